"""The impact exports: a program's figures as CSV and XLSX (the same rows), the
dashboard's as CSV; aggregates only, every figure with its n and interval; text that
a spreadsheet would run as a formula is neutralised; each export is audited."""

import csv
import io

from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from tandem.accounts.models import AuditLog
from tandem.insights import export
from tandem.insights.tests.test_impact_views import impact_world


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode())))


def same_cell(value):
    """A cell compared across CSV text and XLSX values: numbers by value to 12
    significant digits (the workbook gives 70.0 back as 70 and keeps 15 digits), empty
    as empty."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or value in ("True", "False"):
        return str(value)
    try:
        return float(f"{float(value):.12g}")
    except ValueError:
        return value


class ImpactExports(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.data = impact_world()

    def download(self, user, name, *args):
        self.client.force_login(user)
        return self.client.get(reverse(f"insights:{name}", args=args))

    def test_it_exports_every_figure_with_its_n_and_interval(self):
        data = self.data
        response = self.download(data.admin, "program-impact-csv", data.program.pk)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith('attachment; filename="impact-')
        rows = csv_rows(response.content)
        assert rows[0] == export.COLUMNS
        by_key = {(r[0], r[2], r[6]): dict(zip(export.COLUMNS, r, strict=True)) for r in rows[1:]}
        engagement = by_key[("figure", "team_engagement", "participants")]
        assert (engagement["scope"], engagement["unit"]) == ("team", "index (0-100)")
        assert (engagement["n"], engagement["value"], engagement["enough"]) == (
            "12",
            "70.0",
            "True",
        )
        assert by_key[("figure", "team_engagement", "comparison")]["value"] == "62.0"
        goals = by_key[("figure", "goal_completion_rate", "participants")]
        assert (goals["n"], goals["value"], goals["low"], goals["enough"]) == ("0", "", "", "False")
        criterion = by_key[("criterion", "team_engagement", "")]
        assert (criterion["baseline"], criterion["target"], criterion["verdict"]) == (
            "60.0",
            "65.0",
            "met",
        )
        effect = by_key[("effect", "team_engagement", "difference in differences")]
        assert (effect["n"], effect["value"]) == ("24", "8.0")
        assert by_key[("roi", "bcr", "")]["value"] == "0.8"
        assert by_key[("group", "participants", "")]["value"] == "12"
        assert AuditLog.objects.filter(action="export", summary__startswith="impact-").count() == 1

    def test_the_xlsx_holds_the_same_rows_as_the_csv(self):
        data = self.data
        rows = csv_rows(self.download(data.admin, "program-impact-csv", data.program.pk).content)
        response = self.download(data.admin, "program-impact-xlsx", data.program.pk)
        assert response.status_code == 200
        assert response["Content-Type"] == export.XLSX_TYPE
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
        cells = [list(row) for row in sheet.iter_rows(values_only=True)]
        assert [[same_cell(cell) for cell in row] for row in cells] == [
            [same_cell(cell) for cell in row] for row in rows
        ]
        # Numbers are numbers in the workbook, not text.
        assert isinstance(cells[4][8], int | float)

    def test_it_exports_the_dashboard(self):
        data = self.data
        response = self.download(data.executive, "impact-csv")
        assert response.status_code == 200
        rows = [dict(zip(export.COLUMNS, r, strict=True)) for r in csv_rows(response.content)[1:]]
        effect = next(r for r in rows if r["key"] == "team_engagement_effect")
        assert (effect["program"], effect["n"], effect["value"]) == (
            "Leading Teams 2025",
            "24",
            "8.0",
        )
        met = next(r for r in rows if r["key"] == "criteria" and r["verdict"] == "met")
        assert met["value"] == "1"
        organization = [r["key"] for r in rows if r["section"] == "organization"]
        assert organization == [
            "internal_promotion_rate",
            "time_to_fill",
            "time_to_fill_senior",
            "succession_readiness",
        ]

    def test_it_names_no_one(self):
        data = self.data
        text = "".join(
            self.download(data.executive, name, *args).content.decode()
            for name, args in (
                ("impact-csv", ()),
                ("program-impact-csv", (data.program.pk,)),
            )
        )
        assert not [name for name in data.names if name in text]

    def test_it_neutralises_text_a_spreadsheet_would_run_as_a_formula(self):
        data = self.data
        data.program.name = '=HYPERLINK("http://evil.example","x")'
        data.program.save(update_fields=["name"])
        rows = csv_rows(self.download(data.admin, "program-impact-csv", data.program.pk).content)
        assert {row[1] for row in rows[1:]} == {"'" + data.program.name}
        response = self.download(data.admin, "program-impact-xlsx", data.program.pk)
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        assert sheet["B2"].value == "'" + data.program.name
        assert sheet["B2"].data_type == "s"
        # Numbers stay numbers, negative ones included.
        assert export.neutralised(-20.0) == -20.0
        assert export.neutralised("-20") == "'-20"
        assert export.neutralised("@SUM(A1)") == "'@SUM(A1)"

    def test_only_admins_and_executive_viewers_export(self):
        data = self.data
        for user in (data.participant, data.manager, data.outsider):
            for name, args in (
                ("impact-csv", ()),
                ("program-impact-csv", (data.program.pk,)),
                ("program-impact-xlsx", (data.program.pk,)),
            ):
                assert self.download(user, name, *args).status_code == 404
        assert not AuditLog.objects.filter(action="export").exists()
