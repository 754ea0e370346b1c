import json
import re

import pytest
from playwright.sync_api import expect

from tandem.coaching.models import JournalEntry
from tandem.e2e.steps import sign_in, snapshot
from tandem.people.models import Person
from tandem.tests.factories import PersonFactory, make_user_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_admin_exports_a_person_then_erases_them(page, org, program_admin):
    PersonFactory(
        first_name="Zelda", last_name="Quixote", email="zelda@example.com", manager=org.manager
    )
    zelda = Person.objects.get(email="zelda@example.com")
    make_user_for(zelda)
    JournalEntry.objects.create(author=zelda, trigger="pressure", situation="A hard week")
    sign_in(page, program_admin.username)

    page.goto("/privacy/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy")
    page.get_by_label("Name, email or employee id").fill("quixote")
    page.get_by_role("button", name="Search").click()
    results = page.locator("#privacy-results")
    expect(results).to_contain_text("zelda@example.com")
    snapshot(page, "privacy-search")

    with page.expect_download() as download:
        results.get_by_role("link", name="Download the export of Zelda Quixote").click()
    exported = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert exported["person"]["email"] == "zelda@example.com"
    assert len(exported["coaching"]["journal_entries"]) == 1
    assert "A hard week" not in json.dumps(exported)  # confidential text is withheld

    results.get_by_role("link", name="Erase Zelda Quixote…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erase Zelda Quixote")
    page.get_by_label("Type the person's full name to confirm").fill("Zelda")
    page.get_by_role("button", name="Erase this person").click()
    expect(page.get_by_text("That is not this person's full name.")).to_be_visible()
    snapshot(page, "privacy-erase-refused")

    page.get_by_label("Type the person's full name to confirm").fill("Zelda Quixote")
    page.get_by_role("button", name="Erase this person").click()
    page.wait_for_url(re.compile(r"/privacy/$"))
    expect(page.get_by_text(f"Erased person {zelda.pk}")).to_be_visible()
    snapshot(page, "privacy-erased")

    page.get_by_label("Name, email or employee id").fill("quixote")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("Nobody matches.")).to_be_visible()
    assert Person.objects.get(pk=zelda.pk).full_name == f"Erased person {zelda.pk}"
    assert not JournalEntry.objects.filter(author_id=zelda.pk).exists()
