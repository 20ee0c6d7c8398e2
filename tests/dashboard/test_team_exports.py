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
