"""The supervisor's performance page and the monthly targets page."""

import datetime as dt
from decimal import Decimal

import pytest

from kpi.computation.daily import daily_metrics_compute
from kpi.models import DailyTarget, MonthlyTarget
from tests.conversations.factories import ConversationFactory

DAY = dt.date(2026, 11, 20)


def test_supervisor_previews_then_applies_a_cascade(client, supervisor, team, staffed):
    client.force_login(supervisor)
    form = {
        "team": team.pk,
        "metric": "sales_amount",
        "month": "2026-11",
        "value": "30000",
        "day_weights": "2026-11-20 2 campaign",
    }
    preview = client.post("/kpi/targets/", {**form, "preview": "1"})
    assert preview.status_code == 200 and not MonthlyTarget.objects.exists()
    assert "1935.49" in preview.content.decode()
    applied = client.post("/kpi/targets/", {**form, "apply": "1"})
    assert "cascaded to 2 agent-days" in applied.content.decode()
    assert DailyTarget.objects.filter(agent__isnull=False).count() == 2


def test_bad_day_weights_are_reported_by_line(client, supervisor, team, staffed):
    client.force_login(supervisor)
    response = client.post(
        "/kpi/targets/",
        {
            "team": team.pk,
            "metric": "sales_amount",
            "month": "2026-11",
            "value": "1",
            "day_weights": "2026-11-20 2\nsoon heavy",
            "apply": "1",
        },
    )
    assert "Line 2" in str(response.context["form"].errors["day_weights"])
    assert not MonthlyTarget.objects.exists()


@pytest.mark.parametrize("actor", ["agent", "qa_inspector"])
def test_only_roster_managers_open_the_targets_page(client, request, actor):
    client.force_login(request.getfixturevalue(actor))
    assert client.get("/kpi/targets/").status_code == 403


def test_performance_page_shows_scores_and_attainment(client, supervisor, agent, team, staffed):
    client.force_login(supervisor)
    client.post(
        "/kpi/targets/", {"team": team.pk, "metric": "conversations", "month": "2026-11", "value": "60", "apply": "1"}
    )
    start = dt.datetime(2026, 11, 20, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    ConversationFactory(team=team, agent=agent, started_at=start, rating=5, order_amount=Decimal(0))
    daily_metrics_compute(day=DAY)
    page = client.get("/kpi/performance/", {"team": team.pk, "date_from": "2026-11-20", "date_to": "2026-11-20"})
    html = page.content.decode()
    assert page.status_code == 200 and 'id="scores"' in html and "alice" in html and 'id="attainment"' in html
    row = next(r for r in page.context["attainment"] if r["agent"] == "alice")
    assert (row["target"], row["actual"]) == (Decimal("1"), 1)


def test_agent_sees_only_their_own_score(client, agent, second_agent, team):
    start = dt.datetime(2026, 11, 20, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    ConversationFactory(team=team, agent=agent, started_at=start)
    ConversationFactory(team=team, agent=second_agent, started_at=start)
    daily_metrics_compute(day=DAY)
    client.force_login(agent)
    page = client.get("/kpi/performance/", {"team": team.pk, "date_from": "2026-11-20", "date_to": "2026-11-20"})
    assert [score.username for score in page.context["scores"]] == ["alice"]


def test_outsider_cannot_pick_another_team(client, outsider, team):
    client.force_login(outsider)
    page = client.get("/kpi/performance/", {"team": team.pk, "date_from": "2026-11-20", "date_to": "2026-11-20"})
    assert "team" in page.context["form"].errors


def test_weekday_weights_on_the_targets_page(client, supervisor, team, staffed):
    client.force_login(supervisor)
    form = {"team": team.pk, "metric": "conversations", "month": "2026-11", "value": "300", "preview": "1"}
    bad = client.post("/kpi/targets/", {**form, "weekday_weights": "1, 2"})
    assert "weekday_weights" in bad.context["form"].errors
    good = client.post("/kpi/targets/", {**form, "weekday_weights": "1,1,1,1,1,2,2"})
    days = {day["date"]: day for day in good.context["summary"]["days"]}
    assert days[dt.date(2026, 11, 7)]["weight"] == 2 and days[dt.date(2026, 11, 9)]["weight"] == 1
