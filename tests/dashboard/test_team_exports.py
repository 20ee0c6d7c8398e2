"""The agents table of the team dashboard as CSV and Excel (dashboard.exports.table_export): the page's rows in
the page's order, numbers kept as numbers."""

import csv
import io

import pytest
from django.core.cache import cache

from tests.dashboard import team_data
from tests.dashboard.team_data import DAY

PAGE = "/dashboard/team/"
HEADER = [
    "Agent",
    "Username",
    "Plan",
    "Conversations",
    "Sales",
    "First response (s)",
    "Resolution rate (%)",
    "CSAT",
    "QA score",
    "Conversations target",
    "Conversations vs target (%)",
    "First response target",
    "First response vs target (%)",
]


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def download(client, team, agent, second_agent, supervisor, qa_inspector, sibling_agent):
    team_data.seed_all(team, agent, second_agent, supervisor, qa_inspector, sibling_agent)
    client.force_login(supervisor)

    def get(fmt, **params):
        return client.get(PAGE, {"team": team.pk, "date": DAY.isoformat(), "format": fmt, **params})

    return get


def test_csv_in_the_pages_order(download):
    response = download("csv", sort="-conversations")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="Pre-sales-20261123-20261126.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    by_user = {row[1]: row for row in rows[1:]}
    assert [row[1] for row in rows[1:4]] == ["alice", "bob", "sam"]
    # alice: 50 chats, 6000.00 sales, 26 s, 84 % resolved, no CSAT or QA; 50 of 100 chats, 60 s target: 230.8 %
    assert by_user["alice"][2:] == [
        "Submitted",
        "50",
        "6000.0",
        "26.0",
        "84.0",
        "",
        "",
        "100.0",
        "50.0",
        "60.0",
        "230.8",
    ]
    assert by_user["dave"][2] == "Not scheduled" and by_user["dave"][3] == ""


def test_excel_keeps_numbers_as_numbers(download):
    from openpyxl import load_workbook

    response = download("xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == HEADER
    bob = next(row for row in values[1:] if row[1] == "bob")
    assert bob[3:6] == (15, 1000.0, 50.0) and bob[10] == 15.0 and bob[12] == 120.0


def test_an_unknown_format_is_an_error_naming_it(download):
    response = download("pdf")
    assert response.status_code == 400 and "Export format: " in response.content.decode()


def test_export_of_a_team_you_do_not_supervise(client, team, outsider):
    client.force_login(outsider)
    assert client.get(PAGE, {"team": team.pk, "format": "csv"}).status_code == 404


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def answer(api, team, supervisor, download):
    """The JSON answer for the same team and day: every exported table holds its figures."""
    return api.as_user(supervisor).get("/api/v1/dashboard/team/", {"team": team.pk, "date": DAY.isoformat()}).json()


def test_every_table_of_the_page_downloads(download, answer):
    from openpyxl import load_workbook

    from dashboard.team.exports import TABLE_CHOICES

    expected_rows = {
        "agents": len(answer["agents"]["rows"]),
        "glance": len(answer["glance"]),
        "trend": len(answer["trend"]["points"]),
        "heatmap": 7,
        "qa": len(answer["qa"]["buckets"]),
        "disputes": len(answer["qa"]["disputes"]),
        "plans": len(answer["plans"]["waiting"]),
        "complaints": len(answer["complaints"]["items"]),
        "leaderboard": len(answer["leaderboard"]["rows"]),
    }
    assert set(expected_rows) == {name for name, _label in TABLE_CHOICES}
    from dashboard.team.exports import _BUILDERS

    assert set(_BUILDERS) == set(expected_rows)  # every choice has its builder
    for table, count in expected_rows.items():
        rows = _csv(download("csv", table=table))
        assert len(rows) == 1 + count, table
        response = download("xlsx", table=table)
        assert load_workbook(io.BytesIO(response.content)).active.max_row == 1 + count, table
        if table != "agents":
            assert f'filename="Pre-sales-{table}-' in response["Content-Disposition"]
    assert all(expected_rows[table] for table in ("trend", "qa", "disputes", "complaints", "leaderboard"))


def test_the_tables_hold_the_apis_figures(download, answer):
    glance = {row[0]: row for row in _csv(download("csv", table="glance"))[1:]}
    conversations = next(card for card in answer["glance"] if card["metric"] == "conversations")
    assert float(glance["Conversations"][1]) == conversations["today"]["actual"]
    assert float(glance["Conversations"][5]) == conversations["week"]["actual"]

    trend = _csv(download("csv", table="trend"))
    assert trend[0] == ["Date", "Conversations", "target"]
    assert [row[0] for row in trend[1:]] == [point["date"] for point in answer["trend"]["points"]]
    assert [float(row[1]) if row[1] else None for row in trend[1:]] == [
        point["actual"] for point in answer["trend"]["points"]
    ]

    heatmap = _csv(download("csv", table="heatmap"))
    assert heatmap[0][:3] == ["Weekday", "00", "01"] and heatmap[1][0] == "Monday"
    assert [[int(cell) for cell in row[1:]] for row in heatmap[1:]] == answer["heatmap"]["cells"]

    qa = _csv(download("csv", table="qa"))
    assert [int(row[1]) for row in qa[1:]] == [bucket["count"] for bucket in answer["qa"]["buckets"]]
    disputes = _csv(download("csv", table="disputes"))
    assert [row[0] for row in disputes[1:]] == [dispute["agent"] for dispute in answer["qa"]["disputes"]]

    complaints = _csv(download("csv", table="complaints"))
    assert [row[0] for row in complaints[1:]] == [item["summary"] for item in answer["complaints"]["items"]]
    board = _csv(download("csv", table="leaderboard"))
    assert [row[1] for row in board[1:]] == [row["name"] for row in answer["leaderboard"]["rows"]]


def test_an_unknown_table_is_an_error_naming_it(download):
    response = download("csv", table="salaries")
    assert response.status_code == 400 and "Table to export" in response.content.decode()


def test_the_page_links_every_table(client, download):
    page = download("")  # no format: the page itself
    from dashboard.team.exports import TABLE_CHOICES

    html = page.content.decode()
    for name, _label in TABLE_CHOICES:
        if name != "agents":  # the agents table has its own buttons
            assert f'data-table="{name}"' in html, name
