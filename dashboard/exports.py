"""Any table on the dashboard pages as a CSV or Excel file.

    table_export(rows=[{"team": "售前", "sales": Decimal("1200.50")}],
                 columns=[("team", _("Team")), ("sales", _("Sales"))],
                 filename="teams-2026-11", fmt="xlsx")

CSV is UTF-8 with a byte-order mark, so Excel opens Chinese text correctly; Excel
files keep numbers as numbers, with a bold, frozen header row and columns sized to
their contents. Text that a spreadsheet would run as a formula (=, +, -, @ first)
is written as plain text, so an exported customer name can never execute.
"""

import csv
import datetime as dt
import io
import re
import unicodedata
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

CSV = "csv"
XLSX = "xlsx"
EXPORT_FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_COLUMN_WIDTH = 60
_UNSAFE_IN_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
_UNSAFE_IN_SHEET_TITLE = re.compile(r"[\\/*?:\[\]]+")


def table_export(*, rows: list[dict], columns: list[tuple[str, str]], filename: str, fmt: str) -> HttpResponse:
    """A download of `rows` with one column per (key, label) of `columns`, in their order.

    Raises ValidationError({"format": ...}) for a format other than csv or xlsx.
    """
    fmt = (fmt or "").strip().lower()
    if fmt not in EXPORT_FORMATS:
        raise ValidationError(
            {"format": _("Unknown export format “%(format)s”: choose csv or xlsx.") % {"format": fmt or "—"}}
        )
    labels = [str(label) for _key, label in columns]
    table = [[_plain(row.get(key)) for key, _label in columns] for row in rows]
    content = _csv_bytes(labels, table) if fmt == CSV else _xlsx_bytes(labels, table, filename)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{_safe_filename(filename)}.{fmt}"
    )
    return response


def table_export_for_request(
    request: HttpRequest, *, rows: list[dict], columns: list[tuple[str, str]], filename: str
) -> HttpResponse | None:
    """For pages: None unless `?format=` asks for a file; the file, or a 400 naming the bad format."""
    fmt = request.GET.get("format")
    if fmt is None:
        return None
    try:
        return table_export(rows=rows, columns=columns, filename=filename, fmt=fmt)
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.message_dict["format"]), content_type="text/plain; charset=utf-8")


def _plain(value):
    """Lazy translations become text, aware times local naive ones (spreadsheets know no time zones)."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if value is None or isinstance(value, bool | int | float | Decimal | str | dt.date | dt.time):
        return value
    return str(value)


def _defuse(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _csv_bytes(labels: list[str], table: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_defuse(label) for label in labels])
    for values in table:
        writer.writerow(
            ["" if value is None else _defuse(value) if isinstance(value, str) else value for value in values]
        )
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_bytes(labels: list[str], table: list[list], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title)
    sheet.append(labels)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.data_type = "s"  # a label is never a formula
    sheet.freeze_panes = "A2"
    for values in table:
        # control characters (pasted from chats) are not allowed in the file format
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
            elif isinstance(cell.value, float | Decimal):
                cell.number_format = "#,##0.00"
            elif isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    for index, label in enumerate(labels, start=1):
        widest = max([_display_width(label), *(_display_width(_shown(values[index - 1])) for values in table)])
        sheet.column_dimensions[get_column_letter(index)].width = min(widest + 2, MAX_COLUMN_WIDTH)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float | Decimal):
        return f"{value:,.2f}"
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return str(value)


def _display_width(text: str) -> int:
    """Characters as wide as a spreadsheet shows them: a Chinese character takes two columns."""
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)


def _safe_filename(name: str) -> str:
    cleaned = _UNSAFE_IN_FILENAME.sub("-", str(name)).strip(" .-")
    return cleaned or "export"


def _sheet_title(name: str) -> str:
    return (_UNSAFE_IN_SHEET_TITLE.sub("-", str(name)).strip("' ") or "Sheet")[:31]
