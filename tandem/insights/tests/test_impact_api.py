"""The impact API: summaries per program, the whole report and its parts, each
estimate as {n, value, low, high, enough}; program admins and executive viewers read
it, anyone else gets a 404 (401 without credentials). The page, the API and the CSV
show the same numbers."""

import csv
import io

from django.test import TestCase
from django.urls import reverse

from tandem.api.testing import token_client
from tandem.insights.tests.test_impact_views import impact_world
from tandem.insights.views.impact import estimate_text
from tandem.lib import stats

API = "/api/v1/impact/programs"


def parts(pk: int) -> list[str]:
    return [f"{API}/{pk}", *(f"{API}/{pk}/{part}" for part in PARTS)]


PARTS = ["criteria", "metrics", "effects", "roi"]


def as_estimate(data: dict) -> stats.Estimate:
    return stats.Estimate(data["n"], data["value"], data["low"], data["high"], data["enough"])


class ImpactApi(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.data = impact_world()

    def test_it_lists_each_program_with_participants_and_its_headline(self):
        data = self.data
        response = token_client(data.admin).get(API)
        assert response.status_code == 200
        (row,) = response.json()
        assert row["program_id"] == data.program.pk and row["name"] == "Leading Teams 2025"
        assert (row["participants"], row["comparison"]) == (12, 12)
        assert row["criteria"] == {"met": 1, "not_met": 0, "not_yet_clear": 0, "not_enough_data": 1}
        assert row["engagement_effect"] == {
            "n": 24,
            "value": 8.0,
            "low": 8.0,
            "high": 8.0,
            "enough": True,
        }
        assert round(row["roi_percent"], 6) == -20.0 and round(row["bcr"], 6) == 0.8
        assert round(row["payback_months"], 6) == 15.0 and row["currency"] == "EUR"

    def test_it_returns_the_whole_report(self):
        data = self.data
        response = token_client(data.admin).get(f"{API}/{data.program.pk}")
        assert response.status_code == 200
        body = response.json()
        assert (body["participants"], body["comparison"]) == (12, 12)
        figures = {figure["key"]: figure for figure in body["figures"]}
        assert figures["team_engagement"]["participants"]["value"] == 70.0
        assert figures["team_engagement"]["comparison"]["value"] == 62.0
        assert figures["goal_completion_rate"]["participants"] == {
            "n": 0,
            "value": None,
            "low": None,
            "high": None,
            "enough": False,
        }
        assert [c["verdict"] for c in body["criteria"]] == ["met", "not enough data"]
        assert body["effects"][0]["estimate"]["value"] == 8.0
        retention = body["retention"]
        assert retention["hazard_ratio"]["enough"] is False
        assert [curve["group"] for curve in retention["curves"]] == ["participants", "comparison"]
        assert retention["curves"][0]["retained"][0] == 1.0
        assert body["roi"]["available"] is True
        assert [level["number"] for level in body["levels"]] == [1, 2, 3, 4, 5]
        assert body["trend"]["pulses"] == ["Pulse March 2025", "Pulse December 2025"]
        assert [e["value"] for e in body["trend"]["participants"]] == [60.0, 70.0]

    def test_it_returns_each_part_of_the_report(self):
        data = self.data
        client = token_client(data.executive)
        criteria = client.get(f"{API}/{data.program.pk}/criteria").json()
        assert criteria[0]["metric"] == "team_engagement"
        assert (criteria[0]["baseline"], criteria[0]["target"]) == (60.0, 65.0)
        assert criteria[0]["due"] is True
        metrics = client.get(f"{API}/{data.program.pk}/metrics").json()
        assert {m["scope"] for m in metrics} == {"individual", "team", "organization"}
        effects = client.get(f"{API}/{data.program.pk}/effects").json()
        assert effects["effects"][0]["participants_after"]["value"] == 70.0
        assert effects["retention"]["exits_avoided"] == 0.0
        roi = client.get(f"{API}/{data.program.pk}/roi").json()
        assert (roi["total_costs"], roi["total_benefits"]) == (25_000.0, 20_000.0)
        assert [c["label"] for c in roi["costs"]] == [
            "Facilitation and design",
            "Platform and administration",
        ]
        benefit = next(b for b in roi["benefits"] if b["label"] == "Fewer escalations")
        assert benefit["monetized"] == 20_000.0
        assert roi["intangibles"] == [{"description": "Stronger peer network", "evidence": ""}]

    def test_a_program_without_costs_has_no_roi(self):
        data = self.data
        roi = token_client(data.admin).get(f"{API}/{data.empty_program.pk}/roi").json()
        assert roi["available"] is False and roi["bcr"] is None and roi["costs"] == []

    def test_it_names_no_one(self):
        data = self.data
        client = token_client(data.executive)
        text = "".join(client.get(url).content.decode() for url in [API, *parts(data.program.pk)])
        assert not [name for name in data.names if name in text]

    def test_it_is_a_404_for_everyone_else_and_a_401_without_credentials(self):
        data = self.data
        for user in (data.participant, data.manager, data.outsider):
            client = token_client(user)
            for url in [API, *parts(data.program.pk)]:
                response = client.get(url)
                assert response.status_code == 404, (user, url)
                assert "detail" in response.json()
        for url in [API, *parts(data.program.pk)]:
            assert self.client.get(url).status_code == 401

    def test_it_is_a_404_for_an_unknown_program_and_a_422_for_a_bad_id(self):
        client = token_client(self.data.admin)
        for url in parts(999_999):
            assert client.get(url).status_code == 404
        for url in parts(0):
            assert client.get(url).status_code == 422
        assert client.get(f"{API}/nine").status_code == 422


class ImpactFiguresAgree(TestCase):
    """The page, the API and the CSV export show the same numbers."""

    @classmethod
    def setUpTestData(cls):
        cls.data = impact_world()

    def test_page_api_and_export_show_the_same_numbers(self):
        data = self.data
        self.client.force_login(data.admin)
        page = self.client.get(reverse("insights:program-impact", args=[data.program.pk]))
        page = page.content.decode()
        api = token_client(data.admin).get(f"{API}/{data.program.pk}").json()
        export = self.client.get(reverse("insights:program-impact-csv", args=[data.program.pk]))
        rows = list(csv.DictReader(io.StringIO(export.content.decode())))

        def row(section: str, key: str, group: str = "participants") -> dict:
            found = [r for r in rows if r["section"] == section and r["key"] == key]
            if section != "criterion":
                found = [r for r in found if r["group"] == group]
            (only,) = found
            return only

        def same(api_estimate: dict, exported: dict) -> None:
            for name in ("n", "value", "low", "high"):
                value = api_estimate[name]
                assert exported[name] == ("" if value is None else str(value)), name

        for figure in api["figures"]:
            same(figure["participants"], row("figure", figure["key"]))
            text = estimate_text(as_estimate(figure["participants"]), figure["unit"])
            assert f'data-figure="{figure["key"]}">{text}<' in page
            if figure["comparison"] is not None:
                same(figure["comparison"], row("figure", figure["key"], "comparison"))
                text = estimate_text(as_estimate(figure["comparison"]), figure["unit"])
                assert f'data-comparison="{figure["key"]}">{text}<' in page
        for criterion in api["criteria"]:
            exported = row("criterion", criterion["key"])
            same(criterion["actual"], exported)
            assert exported["verdict"] == criterion["verdict"]
            text = estimate_text(as_estimate(criterion["actual"]), criterion["unit"])
            assert f'data-criterion="{criterion["key"]}">{text}<' in page
        for effect in api["effects"]:
            same(effect["estimate"], row("effect", effect["key"], "difference in differences"))
            text = estimate_text(as_estimate(effect["estimate"]), effect["unit"], signed=True)
            assert f'data-effect="{effect["key"]}">{text}<' in page
        ratio = api["retention"]["hazard_ratio"]
        same(ratio, row("retention", "hazard_ratio", ""))
        assert f'data-figure="hazard_ratio">{estimate_text(as_estimate(ratio), "ratio")}<' in page
        roi = api["roi"]
        for key in ("total_costs", "total_benefits", "bcr", "roi_percent", "payback_months"):
            assert row("roi", key, "")["value"] == str(roi[key])
        assert f'data-figure="bcr">{roi["bcr"]:.2f}<' in page
        assert f'data-figure="roi_percent">{roi["roi_percent"]:.0f}%<' in page
