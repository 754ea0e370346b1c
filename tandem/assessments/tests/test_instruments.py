"""Instruments: versioned JSON documents, frozen once used, importable and exportable."""

import copy
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from tandem.assessments.models import BUILT_IN_DIR, Instrument
from tandem.lib import instruments as rules

pytestmark = pytest.mark.django_db


def built_in(key):
    return Instrument.objects.filter(key=key).order_by("-version").first()


def test_it_ships_the_360_the_self_assessment_and_the_style_profile():
    kinds = dict(Instrument.objects.latest_versions().values_list("key", "kind"))
    assert kinds == {"leadership-360": "360", "leadership-self": "self", "style-profile": "style"}
    assert len(built_in("leadership-360").item_keys()) == 40


def test_it_refuses_an_invalid_document_and_writes_nothing():
    document = copy.deepcopy(built_in("leadership-360").document)
    document["version"] = 2
    document["scale"]["min"] = 9
    with pytest.raises(ValidationError):
        Instrument.objects.create(document=document)
    assert not Instrument.objects.filter(key="leadership-360", version=2).exists()


def test_a_used_instrument_is_frozen_and_changes_only_as_a_new_version():
    instrument = built_in("leadership-360")
    instrument.freeze()
    instrument.document["name"] = "Renamed"
    with pytest.raises(ValidationError, match="frozen"):
        instrument.save()
    instrument.refresh_from_db()
    copy_ = instrument.new_version({**instrument.document, "name": "Renamed"})
    assert (copy_.version, copy_.name, copy_.is_frozen) == (
        instrument.version + 1,
        "Renamed",
        False,
    )
    assert instrument.name != "Renamed"


def test_an_unused_instrument_can_be_edited_in_place():
    instrument = built_in("style-profile")
    instrument.document["description"] = "Edited before first use."
    instrument.save()
    instrument.refresh_from_db()
    assert instrument.document["description"] == "Edited before first use."


def test_it_exports_and_reimports_a_document_unchanged(tmp_path):
    out = io.StringIO()
    call_command("export_instrument", "leadership-self", stdout=out)
    path = tmp_path / "self.json"
    path.write_text(out.getvalue())
    assert json.loads(out.getvalue()) == built_in("leadership-self").document
    before = Instrument.objects.count()
    call_command("import_instrument", str(path), stdout=io.StringIO())
    assert Instrument.objects.count() == before  # the same version again is a no-op


def test_it_imports_a_new_version_and_refuses_changed_content_under_an_old_one(tmp_path):
    document = rules.load(BUILT_IN_DIR / "leadership-360.json")
    document["description"] = "Changed"
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="other content"):
        call_command("import_instrument", str(path), stdout=io.StringIO())
    document["version"] += 1
    path.write_text(json.dumps(document))
    call_command("import_instrument", str(path), stdout=io.StringIO())
    assert built_in("leadership-360").version == document["version"]


def test_the_import_command_lists_every_problem_and_writes_nothing(tmp_path):
    good = rules.load(BUILT_IN_DIR / "style-profile.json")
    good["version"] = 7
    bad = {"key": "broken"}
    (tmp_path / "good.json").write_text(json.dumps(good))
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    (tmp_path / "junk.json").write_text("{not json")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_instrument",
            *(str(tmp_path / n) for n in ("good.json", "bad.json", "junk.json")),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "bad.json" in err.getvalue() and "junk.json" in err.getvalue()
    assert not Instrument.objects.filter(version=7).exists()


def test_the_export_command_names_an_unknown_instrument():
    with pytest.raises(CommandError, match="No instrument 'nope'"):
        call_command("export_instrument", "nope", stdout=io.StringIO())
