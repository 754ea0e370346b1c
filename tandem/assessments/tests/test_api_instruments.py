import pytest

from tandem.assessments.models import Instrument

pytestmark = pytest.mark.django_db


def test_it_refuses_anonymous_callers(client):
    assert client.get("/api/v1/instruments").status_code == 401
    assert client.get(f"/api/v1/instruments/{Instrument.objects.first().pk}").status_code == 401


def test_it_lists_the_newest_versions_to_any_signed_in_user(client, org):
    newer = Instrument.objects.get(key="style-profile").new_version()
    client.force_login(org.outsider.user)
    items = client.get("/api/v1/instruments").json()["items"]
    assert {(i["key"], i["version"]) for i in items} == {
        ("leadership-360", 1),
        ("leadership-self", 1),
        ("style-profile", newer.version),
    }
    only_360 = client.get("/api/v1/instruments", {"kind": "360"}).json()["items"]
    assert [i["key"] for i in only_360] == ["leadership-360"]
    every = client.get("/api/v1/instruments", {"all_versions": "true"}).json()["count"]
    assert every == 4


def test_it_returns_a_whole_document(client, org):
    client.force_login(org.report.user)
    instrument = Instrument.objects.get(key="leadership-360")
    body = client.get(f"/api/v1/instruments/{instrument.pk}").json()
    assert body["document"] == instrument.document
    assert client.get("/api/v1/instruments/999999").status_code == 404
    assert client.get("/api/v1/instruments", {"kind": "nope"}).status_code == 422
