import datetime
import io

import pytest
from openpyxl import Workbook

from tandem.lib.tabular import TableError, fold, match_columns, read_table


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_it_reads_csv_rows_with_spreadsheet_row_numbers():
    table = read_table(b"id,name\n1,Ann\n\n2,Bob\n", "people.csv")
    assert table.header == ["id", "name"]
    assert table.header_row == 1
    assert table.rows == [(2, ["1", "Ann"]), (4, ["2", "Bob"])]


def test_it_counts_a_quoted_multi_line_cell_as_one_row():
    table = read_table(b'id,note\n1,"two\nlines"\n2,x\n', "people.csv")
    assert table.rows == [(2, ["1", "two\nlines"]), (3, ["2", "x"])]


def test_it_strips_a_utf8_byte_order_mark():
    table = read_table("\ufeffid,name\n1,Zoë\n".encode(), "people.csv")
    assert table.header == ["id", "name"]
    assert table.rows == [(2, ["1", "Zoë"])]


def test_it_reads_utf16_text_with_tabs():
    table = read_table("id\tname\n1\tÅsa\n".encode("utf-16"), "people.csv")
    assert table.rows == [(2, ["1", "Åsa"])]


def test_it_reads_semicolon_separated_csv():
    table = read_table(b"id;name\n1;Ann\n", "people.csv")
    assert table.header == ["id", "name"]


def test_it_strips_cells_and_trailing_empty_headers():
    table = read_table(b" id , name ,,\n 1 , Ann ,,\n", "people.csv")
    assert table.header == ["id", "name"]
    assert table.rows == [(2, ["1", "Ann", "", ""])]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "people.csv", "empty"),
        (b"\n\n  \n", "people.csv", "empty"),
        (b"id,name\n", "people.csv", "no rows"),
        (b"id,name\n\n,\n", "people.csv", "no rows"),
        (b"id,name\n1,\xff\xfe\xfa\n", "people.csv", "not UTF-8"),
        (b"id,name\n1,Ann\n", "people.pdf", "not a CSV or XLSX"),
        (b"id,name\n1,Ann\n", "people", "not a CSV or XLSX"),
        (b"\xd0\xcf\x11\xe0", "people.xls", ".xls"),
        (b"id,name\n1,Ann\n", "people.xlsx", "not an Excel workbook"),
        (b"PK\x03\x04garbage", "people.xlsx", "not an Excel workbook"),
        (b"PK\x03\x04garbage", "people.csv", "not CSV text"),
        (b"\x00\x01\x02binary", "people.csv", "binary"),
    ],
)
def test_it_rejects_unreadable_files_with_a_clear_message(data, name, message):
    with pytest.raises(TableError, match=message):
        read_table(data, name)


def test_it_names_the_line_of_undecodable_bytes():
    with pytest.raises(TableError, match="line 3"):
        read_table(b"id,name\n1,Ann\n2,B\xe9a\n", "people.csv")


def test_it_rejects_a_zip_that_is_not_a_workbook():
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(TableError, match="not a readable Excel workbook"):
        read_table(out.getvalue(), "people.xlsx")


def test_it_reads_the_first_sheet_of_a_workbook_as_text():
    data = xlsx_bytes(
        [
            ["Employee ID", "Start Date", "Score", "Active", None],
            [1001, datetime.datetime(2024, 3, 1), 2.5, True, None],
            [None, None, None, None, None],
            ["E2", datetime.date(2023, 1, 2), 3.0, False, None],
        ]
    )
    table = read_table(data, "People.XLSX")
    assert table.header == ["Employee ID", "Start Date", "Score", "Active"]
    assert table.rows[0] == (2, ["1001", "2024-03-01", "2.5", "TRUE", ""])
    assert table.rows[1][0] == 4
    assert table.rows[1][1][:3] == ["E2", "2023-01-02", "3"]


def test_it_rejects_an_empty_workbook():
    with pytest.raises(TableError, match="empty"):
        read_table(xlsx_bytes([]), "people.xlsx")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Employee ID", "employeeid"),
        ("employee_id", "employeeid"),
        ("EMPLOYEE-ID", "employeeid"),
        (" Work E-mail ", "workemail"),
        ("Mid-level manager", "midlevelmanager"),
    ],
)
def test_it_folds_spellings_to_one_key(text, key):
    assert fold(text) == key


def test_it_matches_headers_through_aliases():
    aliases = {"employee_id": ["Employee ID", "emp id"], "email": ["Work Email"]}
    match = match_columns(["EMP_ID", "work-email", "Favourite colour", ""], aliases)
    assert match.indexes == {"employee_id": 0, "email": 1}
    assert match.unknown == ["Favourite colour"]
    assert match.conflicts == []


def test_it_reports_two_headers_for_one_column():
    match = match_columns(["Employee ID", "employee_id"], {"employee_id": ["Employee ID"]})
    assert match.conflicts == [("employee_id", ["Employee ID", "employee_id"])]
    assert match.indexes == {"employee_id": 0}
