"""Targets through the API: the cascade preview and apply, attainment, composite scores, weights."""

import datetime as dt
from decimal import Decimal

import pytest

from kpi.computation.daily import daily_metrics_compute
from kpi.models import DailyTarget, MonthlyTarget, ScoreWeight
from tests.conversations.factories import ConversationFactory

DAY = dt.date(2026, 11, 20)


def cascade(client, team, apply, **changes):
    body = {
        "team": team.pk,
        "metric": "sales_amount",
        "month": "2026-11",
        "value": "30000.00",
        "apply": apply,
        "day_weights": [{"date": "2026-11-20", "weight": "2", "reason": "campaign"}],
        **changes,
    }
    return client.post("/api/v1/targets/cascade/", body, format="json")


def test_preview_then_apply(api, supervisor, team, staffed):
    client = api.as_user(supervisor)
    preview = cascade(client, team, apply=False)
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert body["applied"] is False and not MonthlyTarget.objects.exists()
    # 31 day-weights (30 days, one at 2): the 20th carries 2/31 of 30000 = 1935.4838...; the largest
    # remainder gives it the leftover cent, and its two agents split 193549 cents as 96775 + 96774.
    day_20 = next(line for line in body["shop_days"] if line["date"] == "2026-11-20")
    assert Decimal(day_20["value"]) == Decimal("1935.49")
    assert [Decimal(line["value"]) for line in body["agent_days"]] == [Decimal("967.75"), Decimal("967.74")]
    assert len(body["unstaffed"]) == 29
    applied = cascade(client, team, apply=True)
    assert applied.json()["applied"] is True
    assert DailyTarget.objects.filter(agent__isnull=False).count() == 2


@pytest.mark.parametrize(
    ("actor", "status"), [("agent", 403), ("qa_inspector", 403), ("outsider", 400), ("manager", 200)]
)
def test_only_managers_of_the_team_set_targets(api, request, team, staffed, actor, status):
    response = cascade(api.as_user(request.getfixturevalue(actor)), team, apply=True)
    assert response.status_code == status
    assert MonthlyTarget.objects.exists() == (status == 200)


def test_invalid_month_and_metric_are_named(api, supervisor, team, staffed):
    response = cascade(api.as_user(supervisor), team, apply=True, month="November", metric="luck")
    assert response.status_code == 400 and {"month", "metric"} <= set(response.json())


def staffed_target(agent) -> Decimal:
    return DailyTarget.objects.get(agent=agent, date=DAY).value


def test_attainment_against_the_cascade(api, supervisor, agent, team, staffed):
    client = api.as_user(supervisor)
    cascade(client, team, apply=True)
    start = dt.datetime(2026, 11, 20, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    ConversationFactory(team=team, agent=agent, started_at=start, order_amount=Decimal("483.875"), ordered=True)
    daily_metrics_compute(day=DAY)
    rows = client.get(
        "/api/v1/attainment/", {"date_from": "2026-11-20", "date_to": "2026-11-20", "agent": agent.pk}
    ).json()["results"]
    assert len(rows) == 1
    row = rows[0]
    assert (row["target"], row["direction"]) == (str(staffed_target(agent)), "up")
    assert row["attainment_percent"] == pytest.approx(100 * row["actual"] / float(row["target"]))
    assert 49.9 < row["attainment_percent"] < 50.1
    team_rows = client.get(
        "/api/v1/attainment/", {"date_from": "2026-11-20", "date_to": "2026-11-20", "level": "team"}
    ).json()["results"]
    assert [(r["target"], r["agent"]) for r in team_rows] == [("1935.49", None)]


def test_attainment_is_scoped(api, supervisor, agent, second_agent, outsider, team, staffed):
    cascade(api.as_user(supervisor), team, apply=True)
    params = {"date_from": "2026-11-01", "date_to": "2026-11-30"}
    assert {r["agent"] for r in api.as_user(agent).get("/api/v1/attainment/", params).json()["results"]} == {agent.pk}
    assert api.as_user(outsider).get("/api/v1/attainment/", params).json()["count"] == 0
    assert api.as_user(agent).get("/api/v1/attainment/", {"date_from": "x"}).status_code == 400


def test_composite_scores_balance_volume_and_quality(api, supervisor, agent, second_agent, team):
    start = dt.datetime(2026, 11, 20, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    for n in range(3):  # alice: more chats, poor ratings
        ConversationFactory(team=team, agent=agent, started_at=start + dt.timedelta(minutes=n), rating=2)
    ConversationFactory(team=team, agent=second_agent, started_at=start, rating=5)  # bob: one great chat
    daily_metrics_compute(day=DAY)
    ScoreWeight.objects.create(team=team, metric="conversations", weight=Decimal("0.5"))
    ScoreWeight.objects.create(team=team, metric="csat_avg", weight=Decimal("0.5"))
    params = {"team": team.pk, "date_from": "2026-11-20", "date_to": "2026-11-20"}
    rows = api.as_user(supervisor).get("/api/v1/scores/", params).json()["results"]
    assert [(r["username"], r["score"], r["rank"]) for r in rows] == [("alice", 50.0, 1), ("bob", 50.0, 2)]
    ScoreWeight.objects.filter(metric="csat_avg").update(weight=Decimal("1.5"))
    rows = api.as_user(supervisor).get("/api/v1/scores/", params).json()["results"]
    assert [(r["username"], r["score"]) for r in rows] == [("bob", 75.0), ("alice", 25.0)]
    lines = {line["metric"]: line for line in rows[0]["lines"]}
    assert lines["csat_avg"] == {"metric": "csat_avg", "value": 5.0, "normalised": 1.0, "weight": "1.500"}
    # an agent sees only their own line; another team sees nothing
    own = api.as_user(agent).get("/api/v1/scores/", params).json()["results"]
    assert [(r["username"], r["rank"]) for r in own] == [("alice", 2)]


def test_scores_of_another_team_are_404(api, outsider, team):
    params = {"team": team.pk, "date_from": "2026-11-20", "date_to": "2026-11-20"}
    assert api.as_user(outsider).get("/api/v1/scores/", params).status_code == 404


def test_score_weights_are_set_by_supervisors(api, supervisor, agent, team):
    body = {"team": team.pk, "metric": "csat_avg", "weight": "0.7"}
    assert api.as_user(agent).post("/api/v1/score-weights/", body, format="json").status_code == 403
    assert api.as_user(supervisor).post("/api/v1/score-weights/", body, format="json").status_code == 201


def test_metric_definitions_are_listed(api, agent):
    rows = api.as_user(agent).get("/api/v1/metrics/definitions/").json()
    by_name = {row["name"]: row for row in rows}
    assert (
        by_name["first_response_seconds"]["direction"] == "down" and by_name["first_response_seconds"]["split"] is False
    )
    assert by_name["sales_amount"]["split"] is True
    assert api.as_user(None).get("/api/v1/metrics/definitions/").status_code == 401
