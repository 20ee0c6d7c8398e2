"""File import: CSV and JSON Lines, encodings, strictness, idempotence, and a corpus of bad files."""

import json

import pytest
from django.core.management import CommandError, call_command

from conversations.importers.base import ImportContext
from conversations.importers.service import import_file
from conversations.models import Conversation, Message
from tests.conversations.factories import native

HEADER = "external_id,channel,agent,customer,category,started_at,closed_at,resolved,rating,ordered,order_amount,sender,sent_at,text\n"
ROWS = (
    "c-1,web,alice,buyer-1,pre_sales,2026-11-20T09:00:00+08:00,2026-11-20T09:20:00+08:00,yes,5,yes,199.00,customer,2026-11-20T09:00:00+08:00,蓝色有货吗？\n"
    'c-1,web,alice,buyer-1,pre_sales,2026-11-20T09:00:00+08:00,2026-11-20T09:20:00+08:00,yes,5,yes,199.00,agent,2026-11-20T09:00:40+08:00,"有的, 今天发货"\n'
    "c-2,web,alice,buyer-2,after_sales,2026-11-20T10:00:00+08:00,,no,,no,,customer,2026-11-20T10:00:00+08:00,Where is my parcel?\n"
)
GOOD_CSV = HEADER + ROWS


def counts():
    return Conversation.objects.count(), Message.objects.count()


@pytest.fixture
def context(team, agent):
    return ImportContext(source="shopchat", team=team)


def run(raw: bytes, context, format_name="csv", encoding="utf-8"):
    return import_file(raw=raw, format_name=format_name, encoding=encoding, context=context)


def test_csv_import_creates_conversations_with_messages(context, agent):
    outcome = run(GOOD_CSV.encode(), context)
    assert outcome.ok, outcome.errors
    assert (outcome.result.created, outcome.rows_total) == (2, 3)
    assert counts() == (2, 3)
    first = Conversation.objects.get(external_id="c-1")
    assert (first.agent, first.resolved, first.rating, str(first.order_amount)) == (agent, True, 5, "199.00")
    assert list(first.messages.values_list("text", flat=True)) == ["蓝色有货吗？", "有的, 今天发货"]


def test_reimporting_the_same_file_adds_nothing(context):
    run(GOOD_CSV.encode(), context)
    outcome = run(GOOD_CSV.encode(), context)
    assert (outcome.result.created, outcome.result.updated, outcome.result.unchanged) == (0, 0, 2)
    assert counts() == (2, 3)


def test_utf8_with_bom_and_crlf(context):
    outcome = run(b"\xef\xbb\xbf" + GOOD_CSV.replace("\n", "\r\n").encode(), context)
    assert outcome.ok, outcome.errors
    assert counts() == (2, 3)


def test_gbk_when_declared(context):
    outcome = run(GOOD_CSV.encode("gbk"), context, encoding="gbk")
    assert outcome.ok, outcome.errors
    assert Message.objects.filter(text="蓝色有货吗？").exists()


def test_jsonl_import_is_the_native_form(context):
    lines = "\n".join(json.dumps(native(f"j-{n}")) for n in range(3)) + "\n\n"
    outcome = run(lines.encode(), context, format_name="jsonl")
    assert outcome.ok, outcome.errors
    assert counts() == (3, 6)
    assert run(lines.encode(), context, format_name="jsonl").result.unchanged == 3


def _row(**changes) -> str:
    values = dict(
        external_id="c-9",
        channel="web",
        agent="alice",
        customer="b",
        category="pre_sales",
        started_at="2026-11-20T09:00:00+08:00",
        closed_at="",
        resolved="no",
        rating="",
        ordered="no",
        order_amount="",
        sender="customer",
        sent_at="2026-11-20T09:00:00+08:00",
        text="hi",
    )
    values.update(changes)
    return ",".join(values.values()) + "\n"


GOOD_ROW = _row()
# (case, file bytes, format, encoding, line named in the error, words in the message)
BAD_FILES = [
    ("empty file", b"", "csv", "utf-8", 1, "empty"),
    ("only whitespace", b"  \n\n", "csv", "utf-8", 1, "empty"),
    ("header only", HEADER.encode(), "csv", "utf-8", 1, "no rows"),
    ("GBK bytes declared as UTF-8", GOOD_CSV.encode("gbk"), "csv", "utf-8", 2, "offset"),
    ("UTF-8 declared as GBK", ("x" * 10 + "\n" + "€").encode("utf-8"), "csv", "gbk", 2, "offset"),
    ("UTF-16 file", GOOD_CSV.encode("utf-16"), "csv", "utf-8", 1, "offset"),
    ("NUL byte", (HEADER + GOOD_ROW).encode().replace(b"hi", b"h\x00i"), "csv", "utf-8", 2, "NUL"),
    ("missing column", b"external_id,category\nc-1,pre_sales\n", "csv", "utf-8", 1, "Missing columns"),
    (
        "unknown column",
        (HEADER.strip() + ",mood\n" + GOOD_ROW.strip() + ",happy\n").encode(),
        "csv",
        "utf-8",
        1,
        "Unknown columns: mood",
    ),
    (
        "wrong column count",
        (HEADER + GOOD_ROW + "c-9,web\n").encode(),
        "csv",
        "utf-8",
        3,
        "Expected 14 columns, found 2",
    ),
    (
        "timestamp without zone",
        (HEADER + _row(started_at="2026-11-20 09:00:00")).encode(),
        "csv",
        "utf-8",
        2,
        "no time zone",
    ),
    ("future timestamp", (HEADER + _row(sent_at="2099-01-01T00:00:00+00:00")).encode(), "csv", "utf-8", 2, "future"),
    ("unknown agent", (HEADER + _row(agent="nobody")).encode(), "csv", "utf-8", 2, "nobody"),
    ("unknown shop", (HEADER.replace("channel,", "shop,") + _row(channel="moon")).encode(), "csv", "utf-8", 2, "moon"),
    ("formula as agent", (HEADER + _row(agent="=cmd|' /C calc'!A0")).encode(), "csv", "utf-8", 2, "identifier"),
    ("formula as id", (HEADER + _row(external_id="@SUM(A1)")).encode(), "csv", "utf-8", 2, "identifier"),
    ("rating out of range", (HEADER + _row(rating="7")).encode(), "csv", "utf-8", 2, "5"),
    ("negative amount", (HEADER + _row(order_amount="-3")).encode(), "csv", "utf-8", 2, "0"),
    ("bad boolean", (HEADER + _row(resolved="maybe")).encode(), "csv", "utf-8", 2, "maybe"),
    ("unknown sender", (HEADER + GOOD_ROW + _row(sender="robot")).encode(), "csv", "utf-8", 3, "robot"),
    (
        "conversation columns disagree",
        (HEADER + GOOD_ROW + _row(customer="someone-else")).encode(),
        "csv",
        "utf-8",
        3,
        "different customer",
    ),
    (
        "closed before started",
        (HEADER + _row(closed_at="2026-11-19T09:00:00+08:00")).encode(),
        "csv",
        "utf-8",
        2,
        "earlier",
    ),
    (
        "truncated JSON line",
        (json.dumps(native("j-1")) + "\n" + json.dumps(native("j-2"))[:40] + "\n").encode(),
        "jsonl",
        "utf-8",
        2,
        "Invalid JSON",
    ),
    ("JSON that is not an object", b"[1, 2, 3]\n", "jsonl", "utf-8", 1, "JSON object"),
    (
        "duplicate ids in JSONL",
        (json.dumps(native("dup")) + "\n" + json.dumps(native("dup")) + "\n").encode(),
        "jsonl",
        "utf-8",
        2,
        "Duplicate",
    ),
    ("unknown encoding", GOOD_CSV.encode(), "csv", "latin-1", 1, "Unsupported encoding"),
]


@pytest.mark.parametrize(
    ("case", "raw", "format_name", "encoding", "line", "fragment"), BAD_FILES, ids=[c[0] for c in BAD_FILES]
)
def test_bad_file_is_rejected_with_its_line_and_writes_nothing(
    context, case, raw, format_name, encoding, line, fragment
):
    run(GOOD_CSV.encode(), context)  # earlier imports stay as they were
    before = counts()
    outcome = run(raw, context, format_name=format_name, encoding=encoding)
    assert not outcome.ok
    assert any(e["line"] == line and fragment in e["message"] for e in outcome.errors), outcome.errors
    assert counts() == before


def test_a_bad_row_anywhere_rejects_the_whole_file(context):
    raw = (GOOD_CSV + _row(external_id="c-3", rating="9")).encode()
    outcome = run(raw, context)
    assert [(e["line"], e["field"]) for e in outcome.errors] == [(5, "rating")]
    assert counts() == (0, 0)


def test_message_errors_name_the_messages_own_line(context):
    raw = (HEADER + GOOD_ROW + _row(sent_at="2026-11-20T09:01:00")).encode()
    outcome = run(raw, context)
    assert [(e["line"], e["field"]) for e in outcome.errors] == [(3, "messages[1].sent_at")]


def test_csv_multiline_quoted_text_keeps_its_newlines(context):
    raw = (HEADER + _row(text='"first line\nsecond line"')).encode()
    outcome = run(raw, context)
    assert outcome.ok, outcome.errors
    assert Message.objects.get().text == "first line\nsecond line"


def test_import_chats_command(tmp_path, team, agent, capsys):
    path = tmp_path / "chats.csv"
    path.write_bytes(GOOD_CSV.encode("gbk"))
    call_command(
        "import_chats",
        str(path),
        "--format",
        "csv",
        "--source",
        "shopchat",
        "--encoding",
        "gbk",
        "--team",
        str(team.pk),
    )
    assert "2 conversations created" in capsys.readouterr().out
    call_command(
        "import_chats", str(path), "--format", "csv", "--source", "shopchat", "--encoding", "gbk", "--team", team.name
    )
    assert "2 unchanged" in capsys.readouterr().out
    assert counts() == (2, 3)


def test_import_chats_command_reports_errors_and_fails(tmp_path, team, agent, capsys):
    path = tmp_path / "chats.csv"
    path.write_bytes((HEADER + _row(agent="ghost")).encode())
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_chats", str(path), "--format", "csv", "--source", "shopchat", "--team", str(team.pk))
    assert "line 2, agent: Unknown agent 'ghost'" in capsys.readouterr().err
    assert counts() == (0, 0)
