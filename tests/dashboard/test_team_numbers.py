"""The team dashboard's numbers on hand-made metrics and targets (tests/dashboard/team_data.py), worked out by hand."""

import pytest

from dashboard.team import team_dashboard
from tests.dashboard import team_data
from tests.dashboard.team_data import DAY, NOW, d


@pytest.fixture
def seeded(team, agent, second_agent, supervisor, qa_inspector, sibling_agent):
    extra = team_data.seed(team, agent, second_agent, supervisor, qa_inspector, sibling_agent)
    extra["complaints"] = team_data.complaints(team, agent, second_agent)
    return extra


@pytest.fixture
def board(team, seeded):
    return team_dashboard(team=team, day=DAY, now=NOW)


def glance(board, metric):
    return next(row for row in board["glance"] if row["metric"] == metric)


def test_conversations_today_and_this_week_against_the_agents_targets(board):
    row = glance(board, "conversations")
    assert row["has_target"] and row["direction"] == "up"
    # today 40 of 25 + 25; a week earlier (Thursday 11-19) 50
    assert row["today"] == {
        "actual": 40,
        "target": 50,
        "target_days": 1,
        "actual_targeted": 40,
        "percent": 80.0,
        "previous": 50,
        "change_percent": -20.0,
        "trend": "worse",
    }
    # Monday to Thursday: 20 + 60 + 40 of 4 x 50; the same days a week earlier 30 + 50
    assert row["week"] == {
        "actual": 120,
        "target": 200,
        "target_days": 4,
        "actual_targeted": 120,
        "percent": 60.0,
        "previous": 80,
        "change_percent": 50.0,
        "trend": "better",
    }


def test_first_response_uses_the_teams_own_target_and_lower_is_better(board):
    row = glance(board, "first_response_seconds")
    assert row["direction"] == "down"
    # 30 s against the team's 45 s (not the agents' 60 s): 45 / 30 = 150 %; 50 s a week earlier
    assert row["today"] == {
        "actual": 30.0,
        "target": 45.0,
        "target_days": 1,
        "actual_targeted": 30.0,
        "percent": 150.0,
        "previous": 50.0,
        "change_percent": -40.0,
        "trend": "better",
    }
    # (20 x 60 + 60 x 40 + 40 x 30) / 120 = 40 s; a week earlier (30 x 20 + 50 x 50) / 80 = 38.75 s
    week = row["week"]
    assert (week["actual"], week["target"], week["percent"], week["previous"]) == (40.0, 45.0, 112.5, 38.75)
    assert (week["change_percent"], week["trend"]) == (3.2258, "worse")


def test_metrics_without_a_target_still_show_their_figures_and_trend(board):
    resolution = glance(board, "resolution_rate")
    assert not resolution["has_target"]
    assert resolution["today"] == {
        "actual": 0.75,
        "target": None,
        "target_days": 0,
        "actual_targeted": None,
        "percent": None,
        "previous": 0.8,
        "change_percent": -6.25,
        "trend": "worse",
    }
    assert (resolution["week"]["actual"], resolution["week"]["previous"]) == (0.75, 0.6875)  # 90/120, 55/80
    sales = glance(board, "sales_amount")
    assert (sales["today"]["actual"], sales["week"]["actual"], sales["week"]["change_percent"]) == (
        5000.0,
        15000.0,
        200.0,
    )
    csat = glance(board, "csat_avg")["today"]
    assert (csat["actual"], csat["trend"]) == (None, None)
    assert [row["metric"] for row in board["glance"]] == [
        "conversations",
        "sales_amount",
        "first_response_seconds",
        "resolution_rate",
        "csat_avg",
        "conversion_rate",
        "qa_score_avg",
    ]


def test_the_line_covers_thirty_days_with_gaps_where_nothing_was_computed(board):
    points = {point["date"]: (point["actual"], point["target"]) for point in board["trend"]["points"]}
    assert len(points) == 30 and min(points) == d(28, 10) and max(points) == DAY
    assert points[d(26)] == (40, 50) and points[d(25)] == (60, 50) and points[d(23)] == (20, 50)
    assert points[d(24)] == (None, 50)  # no metrics computed that day
    assert points[d(19)] == (50, None) and points[d(22)] == (None, None)
    assert d(20, 10) not in points


def test_the_line_of_another_metric(team, seeded):
    board = team_dashboard(team=team, day=DAY, metric="first_response_seconds", now=NOW)
    points = {point["date"]: (point["actual"], point["target"]) for point in board["trend"]["points"]}
    assert points[d(26)] == (30.0, 45.0) and points[d(16)] == (20.0, None)
    assert board["trend"]["direction"] == "down"


def test_the_agents_table_for_the_week(board):
    table = board["agents"]
    assert table["columns"] == [
        "conversations",
        "sales_amount",
        "first_response_seconds",
        "resolution_rate",
        "csat_avg",
        "qa_score_avg",
    ]
    assert table["targeted"] == ["conversations", "first_response_seconds"]
    rows = {row["username"]: row for row in table["rows"]}
    assert set(rows) == {"alice", "bob", "carol", "dave", "sam"}
    alice = rows["alice"]
    # 30 + 20 chats; (30 x 30 + 20 x 20) / 50 = 26 s; 42 of 50 resolved; last week's row left out
    assert alice["metrics"] == {
        "conversations": 50,
        "sales_amount": 6000.0,
        "first_response_seconds": 26.0,
        "resolution_rate": 0.84,
        "csat_avg": None,
        "qa_score_avg": None,
    }
    # 50 of 4 x 25; 60 s / 26 s
    assert alice["attainment"] == {
        "conversations": {"actual": 50, "target": 100, "target_days": 4, "actual_targeted": 50, "percent": 50.0},
        "first_response_seconds": {
            "actual": 26.0,
            "target": 60.0,
            "target_days": 4,
            "actual_targeted": 26.0,
            "percent": 230.7692,
        },
    }
    bob = rows["bob"]
    assert (bob["metrics"]["conversations"], bob["metrics"]["resolution_rate"]) == (15, 0.6667)
    assert bob["attainment"]["conversations"]["percent"] == 15.0
    assert bob["attainment"]["first_response_seconds"]["percent"] == 120.0
    assert rows["carol"]["metrics"]["conversations"] is None
    assert rows["carol"]["attainment"]["conversations"] == {
        "actual": None,
        "target": None,
        "target_days": 0,
        "actual_targeted": None,
        "percent": None,
    }
    sam = rows["sam"]  # helped from the sibling team: listed, no plan, no target
    assert (sam["member"], sam["plan_status"], sam["days"], sam["metrics"]["conversations"]) == (False, None, 1, 5)
    assert [rows[name]["plan_status"] for name in ("alice", "bob", "carol", "dave")] == [
        "submitted",
        "missing",
        "draft",
        "off",
    ]


def test_the_month_to_date_and_the_single_day(team, seeded):
    month = team_dashboard(team=team, day=DAY, period="month", now=NOW)
    alice = next(row for row in month["agents"]["rows"] if row["username"] == "alice")
    assert month["period"] == {"kind": "month", "date_from": d(1), "date_to": DAY}
    assert alice["metrics"]["conversations"] == 149  # 99 last week + 50 this week
    # Targets only from 11-23: her 50 chats on those days against 100, not 149 against a target 11-16 never had.
    attained = alice["attainment"]["conversations"]
    assert (attained["actual_targeted"], attained["target"], attained["percent"]) == (50, 100, 50.0)
    day = team_dashboard(team=team, day=DAY, period="day", now=NOW)
    alice = next(row for row in day["agents"]["rows"] if row["username"] == "alice")
    assert (alice["metrics"]["conversations"], alice["attainment"]["conversations"]["percent"]) == (20, 80.0)
    assert day["qa"]["reviews"] == 0  # none submitted on Thursday


def test_attainment_counts_only_the_days_with_a_target(team, seeded, agent):
    from kpi.models import DailyTarget

    # The team's conversation targets (its agents') start on Wednesday 11-25, as when a month's targets are set.
    DailyTarget.objects.filter(monthly_target__metric="conversations", date__lt=d(25)).delete()
    board = team_dashboard(team=team, day=DAY, now=NOW)
    week = glance(board, "conversations")["week"]
    # 120 chats this week, 60 + 40 of them on the two days with a target of 50 each
    assert (week["actual"], week["actual_targeted"], week["target"], week["target_days"]) == (120, 100, 100, 2)
    assert week["percent"] == 100.0
    alice = next(row for row in board["agents"]["rows"] if row["username"] == "alice")["attainment"]["conversations"]
    assert (alice["actual_targeted"], alice["target"], alice["target_days"], alice["percent"]) == (50, 50, 2, 100.0)


def test_sorting_the_agents(team, seeded):
    def order(sort):
        board = team_dashboard(team=team, day=DAY, sort=sort, now=NOW)
        return [row["username"] for row in board["agents"]["rows"]]

    by_chats = order("-conversations")
    assert by_chats[:3] == ["alice", "bob", "sam"] and set(by_chats[3:]) == {"carol", "dave"}  # no figure: last
    assert order("conversations")[:3] == ["sam", "bob", "alice"]
    assert order("-first_response_seconds_attainment")[:2] == ["alice", "bob"]


def test_an_unknown_sort_names_the_field(team, seeded):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        team_dashboard(team=team, day=DAY, sort="salary", now=NOW)
    assert "sort" in error.value.message_dict


def test_the_days_plans(board):
    plans = board["plans"]
    assert (plans["agents"], plans["scheduled"], plans["submitted"]) == (4, 3, 1)
    assert plans["counts"] == {"reviewed": 0, "submitted": 1, "draft": 1, "missing": 1, "off": 1}
    assert {(w["status"]) for w in plans["waiting"]} == {"draft", "missing"}
    assert len(plans["waiting"]) == 2


def test_the_heatmap_of_four_weeks(board):
    heatmap = board["heatmap"]
    assert (heatmap["date_from"], heatmap["date_to"], heatmap["weeks"]) == (d(30, 10), DAY, 4)
    cells = heatmap["cells"]
    assert cells[3][10] == 20  # Thursdays at 10: 12 + 8
    assert cells[0][9] == 15  # Monday at 9
    assert sum(map(sum, cells)) == 35  # 10-29 is a day before the four weeks
    assert heatmap["max"] == 20
    assert heatmap["busiest"] == [
        {"weekday": 4, "hour": 10, "conversations": 20},
        {"weekday": 1, "hour": 9, "conversations": 15},
    ]
    assert heatmap["busiest_hours"] == [{"hour": 10, "conversations": 20}, {"hour": 9, "conversations": 15}]


def test_qa_scores_of_the_week_and_open_disputes(board, seeded):
    qa = board["qa"]
    # 55, 65, 70, 85, 88, 95, 100 (Monday 00:00 in Shanghai counts; Sunday 23:59 does not)
    assert qa["reviews"] == 7
    assert qa["average"] == 79.7143  # 558 / 7
    assert [bucket["count"] for bucket in qa["buckets"]] == [1, 1, 1, 2, 2]
    assert [(bucket["low"], bucket["high"]) for bucket in qa["buckets"]] == [
        (0, 60),
        (60, 70),
        (70, 80),
        (80, 90),
        (90, None),
    ]
    assert qa["open_disputes"] == 1
    assert [(row["id"], row["total"], row["reason"]) for row in qa["disputes"]] == [
        (seeded["disputed"].pk, 70.0, "The customer changed their mind.")
    ]


def test_open_complaints_with_their_sla_clocks(board, seeded):
    complaints = board["complaints"]
    assert (complaints["open"], complaints["awaiting"], complaints["breached"]) == (3, 2, 1)
    items = [(item["summary"], item["seconds_left"], item["breached"]) for item in complaints["items"]]
    assert items == [("Parcel lost", -1800, True), ("Lid broken", 1200, False), ("Wrong colour", None, False)]


def test_this_weeks_leaderboard_and_last_weeks_award(board, seeded, agent):
    rows = [(row["rank"], row["username"], row["score"], row["change"]) for row in board["leaderboard"]["rows"]]
    # alice is best on every weighted metric but CSAT (nobody rated): 100 x (0.25 + 0.25 + 0.15 + 0.15) = 80
    # bob: 100 x (0.25 x 10/45 + 0.25 x 1000/6000 + 0.15 x 0 + 0.15 x (10/15)/0.84) = 21.627
    assert rows == [(1, "alice", 80.0, "same"), (2, "bob", 21.627, "new"), (3, "sam", 0.0, "new")]
    assert board["leaderboard"]["period"] == "2026-W48"
    award = board["award"]
    assert (award["id"], award["period"], award["winner_id"], award["score"]) == (
        seeded["award"].pk,
        "2026-W47",
        agent.pk,
        86.4,
    )


def test_an_empty_team_has_empty_panels(team, supervisor):
    board = team_dashboard(team=team, day=DAY, now=NOW)
    assert board["agents"]["rows"] == [] and board["award"] is None
    assert all(row["today"]["actual"] is None for row in board["glance"])
    assert board["heatmap"]["busiest"] == [] and board["qa"]["average"] is None
