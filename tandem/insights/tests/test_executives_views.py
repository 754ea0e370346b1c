"""The executive participation page, its CSV and the API: program admins and
executive viewers read them (aggregates only, no one named); anyone else gets a 404
(the API a 401 without credentials). The page, the API and the CSV show the same
numbers."""

import csv
import io

from django.test import TestCase
from django.urls import reverse

from tandem.accounts import navigation
from tandem.accounts.models import AuditLog
from tandem.api.testing import token_client
from tandem.insights.tests.test_executives import executives_world
from tandem.insights.views.impact import estimate_text
from tandem.lib import stats

API = "/api/v1/impact/executives"


def as_estimate(data: dict) -> stats.Estimate:
    return stats.Estimate(data["n"], data["value"], data["low"], data["high"], data["enough"])


def figure(html: str, key: str) -> str:
    marker = f'data-figure="{key}">'
    start = html.index(marker) + len(marker)
    return html[start : html.index("<", start)]


class ExecutivesPage(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.data = executives_world()
        cls.page = reverse("insights:executives")
        cls.csv = reverse("insights:executives-csv")

    def test_it_shows_the_current_shares_and_the_chart(self):
        self.client.force_login(self.data.admin)
        response = self.client.get(self.page)
        assert response.status_code == 200
        html = response.content.decode()
        assert figure(html, "mentoring") == "33.3% (95% CI 9.7%\u201370.0%, n=6)"
        assert figure(html, "any").startswith("83.3% (95% CI ")
        assert 'src="data:image/svg+xml' in html
        assert html.count("data-quarter=") == 9

    def test_the_page_the_api_and_the_csv_show_the_same_numbers(self):
        self.client.force_login(self.data.executive)
        html = self.client.get(self.page).content.decode()
        body = token_client(self.data.executive).get(API).json()
        rows = list(csv.DictReader(io.StringIO(self.client.get(self.csv).content.decode())))
        current = body["current"]
        assert current == body["quarters"][-1] and current["executives"] == 6
        for share in current["shares"]:
            assert figure(html, share["key"]) == estimate_text(as_estimate(share["share"]), "%")
        assert len(rows) == 9 * 6
        for quarter in body["quarters"]:
            for share in quarter["shares"]:
                (row,) = [
                    r
                    for r in rows
                    if r["quarter"] == quarter["label"] and r["activity"] == share["key"]
                ]
                assert int(row["executives"]) == quarter["executives"]
                assert int(row["n"]) == share["share"]["n"]
                for part in ("value", "low", "high"):
                    expected = share["share"][part]
                    assert (row[part] or None) == (None if expected is None else str(expected))

    def test_the_csv_is_an_audited_attachment(self):
        self.client.force_login(self.data.admin)
        response = self.client.get(self.csv)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        assert AuditLog.objects.filter(target_type="executives").count() == 1

    def test_it_names_no_one(self):
        data = self.data
        self.client.force_login(data.admin)
        text = "".join(
            [
                self.client.get(self.page).content.decode(),
                self.client.get(self.csv).content.decode(),
                token_client(data.admin).get(API).content.decode(),
            ]
        )
        assert not [name for name in data.names if name in text]

    def test_it_is_in_the_menu_of_admins_and_executive_viewers_only(self):
        data = self.data
        for user, shown in [
            (data.admin, True),
            (data.executive, True),
            (data.manager, False),
            (data.participant, False),
        ]:
            names = [item.url_name for item in navigation.items_for(user)]
            assert ("insights:executives" in names) is shown, user

    def test_it_is_a_404_for_everyone_else(self):
        data = self.data
        for user in (data.participant, data.manager):
            self.client.force_login(user)
            for url in (self.page, self.csv):
                assert self.client.get(url).status_code == 404, (user, url)
            assert token_client(user).get(API).status_code == 404, user

    def test_it_sends_the_anonymous_to_log_in_and_the_api_answers_401(self):
        self.client.logout()
        for url in (self.page, self.csv):
            response = self.client.get(url)
            assert response.status_code == 302 and "login" in response["Location"]
        assert self.client.get(API).status_code == 401
