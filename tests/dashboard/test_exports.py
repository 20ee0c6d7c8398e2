"""dashboard.exports.table_export: the files open in the csv module and in openpyxl as a spreadsheet would."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from dashboard.exports import table_export, table_export_for_request

COLUMNS = [("team", gettext_lazy("Team")), ("chats", "Conversations"), ("sales", "Sales"), ("day", "Date")]
ROWS = [
    {"team": "售前一组", "chats": 120, "sales": Decimal("12345.60"), "day": dt.date(2026, 11, 20)},
    {"team": "After-sales", "chats": 0, "sales": None, "day": dt.date(2026, 11, 21), "ignored": "not a column"},
]


def _csv_rows(response) -> list[list[str]]:
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _sheet(response):
    return load_workbook(io.BytesIO(response.content)).active


def test_csv_is_utf8_with_bom_and_opens_with_the_csv_module():
    response = table_export(rows=ROWS, columns=COLUMNS, filename="团队 2026-11", fmt="csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E5%9B%A2%E9%98%9F%202026-11.csv" in response["Content-Disposition"]
    assert _csv_rows(response) == [
        ["Team", "Conversations", "Sales", "Date"],
        ["售前一组", "120", "12345.60", "2026-11-20"],
        ["After-sales", "0", "", "2026-11-21"],
    ]


def test_xlsx_keeps_numbers_as_numbers_with_a_bold_header_and_sized_columns():
    response = table_export(rows=ROWS, columns=COLUMNS, filename="teams", fmt="xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="teams.xlsx"' in response["Content-Disposition"]
    sheet = _sheet(response)
    assert sheet.title == "teams"
    assert [cell.value for cell in sheet[1]] == ["Team", "Conversations", "Sales", "Date"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[2]] == ["售前一组", 120, 12345.6, dt.datetime(2026, 11, 20)]
    assert isinstance(sheet["B2"].value, int) and isinstance(sheet["C2"].value, float)
    assert sheet["C2"].number_format == "#,##0.00" and sheet["D2"].is_date
    assert sheet["C3"].value is None
    assert sheet.max_row == 3
    # Four Chinese characters are as wide as eight Latin ones; "Conversations" sets the second column.
    assert sheet.column_dimensions["A"].width == 13
    assert sheet.column_dimensions["B"].width == len("Conversations") + 2


def test_an_unknown_format_is_a_validation_error_naming_format():
    with pytest.raises(ValidationError) as raised:
        table_export(rows=ROWS, columns=COLUMNS, filename="teams", fmt="pdf")
    assert list(raised.value.message_dict) == ["format"]
    assert "pdf" in raised.value.message_dict["format"][0]


@pytest.mark.parametrize("fmt", ["CSV", " xlsx "])
def test_format_names_are_read_leniently(fmt):
    assert table_export(rows=[], columns=COLUMNS, filename="x", fmt=fmt).status_code == 200


def test_text_that_looks_like_a_formula_stays_text():
    rows = [{"team": '=HYPERLINK("http://evil")', "chats": -3, "sales": "+1", "day": "@SUM(A1)"}]
    lines = _csv_rows(table_export(rows=rows, columns=COLUMNS, filename="x", fmt="csv"))
    assert lines[1] == ['\'=HYPERLINK("http://evil")', "-3", "'+1", "'@SUM(A1)"]
    sheet = _sheet(table_export(rows=rows, columns=COLUMNS, filename="x", fmt="xlsx"))
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == '=HYPERLINK("http://evil")'
    assert sheet["B2"].value == -3


def test_empty_table_has_its_header_and_awkward_values_are_written_plainly():
    aware = timezone.make_aware(dt.datetime(2026, 11, 20, 9, 30))
    rows = [{"team": "line\x07bell", "chats": True, "sales": 0.5, "day": aware}]
    sheet = _sheet(table_export(rows=rows, columns=COLUMNS, filename="a/b:c", fmt="xlsx"))
    assert sheet.title == "a-b-c"
    assert [cell.value for cell in sheet[2]] == ["linebell", True, 0.5, dt.datetime(2026, 11, 20, 9, 30)]
    empty = _csv_rows(table_export(rows=[], columns=COLUMNS, filename="", fmt="csv"))
    assert empty == [["Team", "Conversations", "Sales", "Date"]]


def test_the_page_helper_answers_none_a_file_or_a_400_naming_the_format():
    factory = RequestFactory()
    assert table_export_for_request(factory.get("/"), rows=ROWS, columns=COLUMNS, filename="x") is None
    csv_file = table_export_for_request(factory.get("/?format=csv"), rows=ROWS, columns=COLUMNS, filename="x")
    assert csv_file.status_code == 200 and csv_file["Content-Type"].startswith("text/csv")
    refused = table_export_for_request(factory.get("/?format=doc"), rows=ROWS, columns=COLUMNS, filename="x")
    assert refused.status_code == 400
    assert "doc" in refused.content.decode() and "csv or xlsx" in refused.content.decode()
