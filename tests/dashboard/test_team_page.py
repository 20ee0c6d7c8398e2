"""The team dashboard page: the hand-made numbers as people read them, pickers, sorting, bad input, Chinese,
and the half-minute reuse it shares with the JSON endpoint."""

import datetime as dt
import re

import pytest
from django.core.cache import cache

from kpi.models import DailyTeamMetric
from tests.dashboard import team_data
from tests.dashboard.team_data import DAY, d

PAGE, API = "/dashboard/team/", "/api/v1/dashboard/team/"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seeded(team, agent, second_agent, supervisor, qa_inspector, sibling_agent):
    return team_data.seed_all(team, agent, second_agent, supervisor, qa_inspector, sibling_agent)


@pytest.fixture
def page(client, supervisor):
    client.force_login(supervisor)

    def get(**params):
        response = client.get(PAGE, {"date": DAY.isoformat(), **params})
        return response, response.content.decode()

    return get


def card(html: str, metric: str) -> str:
    start = html.index(f'data-metric="{metric}"')
    return html[start : html.index('data-metric="', start + 1) if 'data-metric="' in html[start + 1 :] else None]


def texts(fragment: str, field: str) -> list[str]:
    return re.findall(rf'data-field="{field}"[^>]*>([^<]*)<', fragment)


def test_the_glance_reads_as_people_read_it(page, seeded):
    response, html = page()
    assert response.status_code == 200
    conversations = card(html, "conversations")
    assert texts(conversations, "actual") == ["40", "120"]
    assert texts(conversations, "target") == ["50", "200"]
    assert texts(conversations, "percent") == ["80%", "60%"]
    assert 'data-trend="worse"' in conversations and "−20%" in conversations and "+50%" in conversations
    first_response = card(html, "first_response_seconds")
    assert texts(first_response, "actual") == ["30 s", "40 s"] and texts(first_response, "percent") == [
        "150%",
        "113%",
    ]  # 112.5 rounds up
    assert texts(card(html, "resolution_rate"), "actual") == ["75.0%", "75.0%"]
    assert texts(card(html, "sales_amount"), "actual") == ["5,000.00", "15,000.00"]
    assert ">November 26<" in html and ">Its week<" in html  # not today


def test_the_agents_table_links_each_agent_and_marks_who_is_behind(page, seeded, agent):
    _response, html = page(sort="-conversations")
    table = html[html.index('id="agents-table"') : html.index("</table>", html.index('id="agents-table"'))]
    agents = re.findall(r'<tr data-agent="([^"]+)"', table)
    assert agents[:3] == ["alice", "bob", "sam"] and set(agents[3:]) == {"carol", "dave"}
    assert f'href="/dashboard/agents/{agent.pk}/"' in table
    alice = table[table.index('data-agent="alice"') : table.index('data-agent="bob"')]
    assert ">50<" in alice and ">26 s<" in alice and ">84.0%<" in alice and ">6,000.00<" in alice
    assert 'class="text-end text-nowrap text-danger" data-key="conversations_attainment"' in alice  # 50 %
    assert ">231%<" in alice and 'title="50 of 100 on the 4 days with a target"' in alice
    assert "Submitted" in alice and "helping" in table[table.index('data-agent="sam"') :]
    assert 'aria-sort="descending"' in table and "sort=conversations" in table  # a second click reverses


def test_the_other_panels(page, seeded):
    _response, html = page()
    assert re.search(r'id="plans-submitted">1<', html) and re.search(r'id="plans-scheduled">3<', html)
    assert re.search(r'id="qa-average">79.7<', html) and re.search(r'id="open-disputes">1<', html)
    assert re.findall(r'data-bucket="\d+">(\d+)<', html) == ["1", "1", "1", "2", "2"]
    assert "Thu 10:00 (20) · Mon 09:00 (15)" in html
    # the page's clock is the real one, when both unanswered complaints are long overdue
    assert re.search(r'id="complaints-open">3<', html) and "2 past the SLA" in html
    assert 'id="award-winner">' in html and "2026-W47" in html
    assert f'href="/recognition/awards/{seeded["award"].pk}/"' in html
    assert 'id="team-trend-data"' in html and "chart.umd.min.js" in html


def test_the_chart_carries_the_chosen_metric(page, seeded):
    import json

    response, html = page(metric="resolution_rate")
    chart = json.loads(re.search(r'id="team-trend-data" type="application/json">(.*?)</script>', html).group(1))
    assert chart["metric"] == "resolution_rate" and chart["suffix"] == "%"
    assert chart["actual"][-1] == 75.0 and len(chart["labels"]) == 30  # shares plotted as percentages
    assert response.context["form"]["metric"].value() == "resolution_rate"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date": "2026-13-45"}, "Date"),
        ({"date": "0001-01-01"}, "Date"),
        ({"metric": "happiness"}, "Metric"),
        ({"period": "decade"}, "Agents and QA over"),
        ({"sort": "salary"}, "Sort by"),
        ({"format": "pdf"}, "Export format"),
    ],
)
def test_bad_input_names_the_field(page, seeded, params, field):
    response, html = page(**params)
    assert response.status_code == 400
    assert f"{field}: " in html
    assert 'id="agents-table"' not in html


def test_the_api_names_bad_fields(api, supervisor, team, seeded):
    client = api.as_user(supervisor)
    for params, field in (
        ({"date": "tomorrow"}, "date"),
        ({"date": "0001-01-01"}, "date"),
        ({"metric": "x"}, "metric"),
        ({"sort": "x"}, "sort"),
    ):
        response = client.get(API, {"team": team.pk, **params})
        assert response.status_code == 400 and field in response.json(), response.content


def test_the_date_defaults_to_the_teams_today(client, supervisor, team, monkeypatch):
    import dashboard.views.team as view

    monkeypatch.setattr(view, "team_today", lambda team: d(3, 12))
    client.force_login(supervisor)
    response = client.get(PAGE)
    assert response.context["data"]["date"] == d(3, 12)
    assert response.context["is_today"] and "Today" in response.content.decode()


def test_in_chinese(client, supervisor, seeded):
    client.force_login(supervisor)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": PAGE})
    html = client.get(PAGE, {"date": DAY.isoformat()}).content.decode()
    assert 'lang="zh-hans"' in html
    assert "首次响应" in html and "解决率" in html and "目标" in html  # the KPI names and "Target"


def test_page_and_api_reuse_the_same_figures_for_half_a_minute(client, api, supervisor, team, seeded):
    client.force_login(supervisor)
    query = {"team": team.pk, "date": DAY.isoformat()}
    first = api.as_user(supervisor).get(API, query).json()
    DailyTeamMetric.objects.filter(team=team, date=DAY).update(conversations=41)
    assert client.get(PAGE, query).context["data"]["glance"][0]["today"]["actual"] == 40  # reused
    again = api.as_user(supervisor).get(API, {**query, "sort": "-conversations"}).json()
    assert again["as_of"] == first["as_of"] and again["glance"] == first["glance"]
    assert [row["username"] for row in again["agents"]["rows"]][:3] == ["alice", "bob", "sam"]  # sorted per request
    cache.clear()
    assert api.as_user(supervisor).get(API, query).json()["glance"][0]["today"]["actual"] == 41


def test_the_sla_clocks_run_on_reused_figures(team, seeded):
    from dashboard.team import team_dashboard_cached
    from tests.dashboard.team_data import NOW

    def clocks(now):
        board = team_dashboard_cached(team=team, day=DAY, now=now)
        return [(item["summary"], item["seconds_left"], item["breached"]) for item in board["complaints"]["items"]]

    assert clocks(NOW) == [("Parcel lost", -1800, True), ("Lid broken", 1200, False), ("Wrong colour", None, False)]
    later = NOW + dt.timedelta(minutes=25)
    assert clocks(later)[1] == ("Lid broken", -300, True)
