"""Uploads are refused before any parsing when too large, of the wrong type by name, or
of the wrong type by content (tandem.lib.uploads), with the message at the file field,
a 400, and nothing written. The people import is the one upload form."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from tandem.accounts.models import AuditLog
from tandem.lib.uploads import SNIFF_BYTES, check_upload
from tandem.people.models import OrgUnit, Person

CSV = b"employee_id,first_name,last_name\nW1,Ana,Silva\n"
URL = "/people/import/"


def workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def refusal(data: bytes, name: str, max_bytes: int = 10_000) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(data, name), kinds=("csv", "xlsx"), max_bytes=max_bytes)
    return caught.value


class TestCheckUpload:
    def test_it_accepts_csv_text_and_a_workbook(self):
        assert check_upload(upload(CSV, "people.csv"), kinds=["csv", "xlsx"], max_bytes=100) == (
            "csv"
        )
        assert check_upload(upload(workbook(), "P.XLSX"), kinds=["xlsx"], max_bytes=10**6) == (
            "xlsx"
        )

    def test_it_accepts_utf16_text_from_a_spreadsheet(self):
        data = "employee_id\tname\nW1\tÅsa\n".encode("utf-16")
        assert check_upload(upload(data, "people.csv"), kinds=["csv"], max_bytes=1000) == "csv"

    def test_it_refuses_a_file_over_the_limit(self):
        error = refusal(CSV, "people.csv", max_bytes=10)
        assert error.code == "too_large"

    @pytest.mark.parametrize("name", ["people.exe", "people.csv.exe", "people", "people.xls"])
    def test_it_refuses_a_name_of_another_type(self, name):
        error = refusal(CSV, name)
        assert error.code == "wrong_type"
        assert error.messages == ["Choose a .csv or .xlsx file."]

    def test_it_refuses_a_workbook_named_csv(self):
        assert refusal(workbook(), "people.csv").code == "wrong_content"

    def test_it_refuses_a_binary_named_csv(self):
        assert refusal(b"\x7fELF\x02\x01\x01\x00\x00\x00", "people.csv").code == "wrong_content"

    def test_it_refuses_text_that_is_not_utf8_and_says_where(self):
        error = refusal(b"employee_id\nW1\n\xff\xfe\n", "people.csv")
        assert error.code == "wrong_content"
        assert "line 3" in error.messages[0]

    def test_it_refuses_csv_text_named_xlsx(self):
        assert refusal(CSV, "people.xlsx").code == "wrong_content"

    def test_a_character_cut_at_the_end_of_the_sample_is_not_an_error(self):
        data = b"a" * (SNIFF_BYTES - 1) + "é".encode()
        assert check_upload(upload(data, "x.csv"), kinds=["csv"], max_bytes=10**6) == "csv"

    def test_it_leaves_the_file_ready_to_read_from_the_start(self):
        file = upload(CSV, "people.csv")
        check_upload(file, kinds=["csv"], max_bytes=1000)
        assert file.read() == CSV


@pytest.mark.django_db
class TestImportForm:
    @pytest.fixture
    def admin_client(self, client, program_admin):
        client.force_login(program_admin)
        return client

    def counts(self):
        return [m.objects.count() for m in (Person, OrgUnit, AuditLog)]

    @pytest.mark.parametrize(
        ("data", "name", "message"),
        [
            (workbook(), "people.csv", "not CSV text"),
            (b"MZ\x90\x00\x03\x00", "people.csv", "not CSV text"),
            (CSV, "people.xlsx", "not an Excel workbook"),
            (CSV, "people.html", "Choose a .csv or .xlsx file."),
        ],
    )
    def test_it_refuses_the_wrong_content_at_the_file_field(
        self, admin_client, data, name, message
    ):
        response = admin_client.post(URL, {"file": upload(data, name), "dry_run": ""})
        assert response.status_code == 400
        assert message in str(response.context["form"].errors["file"])
        assert 'id="id_file_error"' in response.content.decode()
        assert self.counts() == [0, 0, 0]

    @override_settings(TANDEM_MAX_IMPORT_BYTES=20)
    def test_it_refuses_a_file_over_the_limit_and_writes_nothing(self, admin_client):
        response = admin_client.post(URL, {"file": upload(CSV, "people.csv"), "dry_run": ""})
        assert response.status_code == 400
        assert "at most" in str(response.context["form"].errors["file"])
        assert self.counts() == [0, 0, 0]

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
    def test_an_oversized_form_body_is_refused(self, admin_client):
        response = admin_client.post(URL, {"dry_run": "x" * 2000})
        assert response.status_code == 400
        assert self.counts() == [0, 0, 0]
