"""My day, a plan, the team's board and task pages."""

import datetime as dt

import pytest
from django.utils import timezone

from plans import services
from plans.models import DailyPlan, PlanItem, PlanStatus, Task
from teams.models import Shift


@pytest.fixture
def plan(team, agent):
    Shift.objects.create(
        team=team, user=agent, date=timezone.localdate(), start_time=dt.time(0), end_time=dt.time(23, 59)
    )
    services.daily_plans_create(now=timezone.now())
    plan = DailyPlan.objects.get(agent=agent)
    services.plan_item_add(plan=plan, actor=agent, text="Answer the backlog")
    return plan


def test_agent_ticks_off_saves_and_submits(client, agent, plan):
    client.force_login(agent)
    page = client.get("/plans/today/").content.decode()
    assert "Answer the backlog" in page and 'id="summary-form"' in page
    item = PlanItem.objects.get()
    partial = client.post(f"/plans/items/{item.pk}/toggle/", HTTP_HX_REQUEST="true").content.decode()
    assert "text-decoration-line-through" in partial and "<html" not in partial
    client.post(f"/plans/{plan.pk}/submit/", {"problems": "Slow refund tool", "unanswered": ""})
    plan.refresh_from_db()
    assert (plan.status, plan.problems) == (PlanStatus.SUBMITTED, "Slow refund tool")


def test_other_agents_and_outsiders_get_404(client, second_agent, outsider, plan):
    for person in (second_agent, outsider):
        client.force_login(person)
        assert client.get(f"/plans/{plan.pk}/").status_code == 404
        assert client.post(f"/plans/{plan.pk}/submit/", {"note": "x"}).status_code == 404
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_supervisor_board_and_review(client, agent, second_agent, supervisor, team, plan):
    Shift.objects.create(
        team=team, user=second_agent, date=timezone.localdate(), start_time=dt.time(9), end_time=dt.time(18)
    )
    services.plan_submit(plan=plan, actor=agent)
    client.force_login(supervisor)
    board = client.get(f"/plans/team/{team.pk}/").content.decode()
    assert "1 of 2 submitted" in board and "no plan" in board
    missing = client.get(f"/plans/team/{team.pk}/", {"status": "missing"})
    assert [row["agent"] for row in missing.context["rows"]] == [second_agent]
    client.post(f"/plans/{plan.pk}/send-back/", {"comment": "Add what you learnt"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.review_comment == "Add what you learnt"


def test_agents_do_not_see_the_board(client, agent, team):
    client.force_login(agent)
    assert client.get(f"/plans/team/{team.pk}/").status_code == 403


def test_supervisor_gives_a_task_and_the_agent_moves_it(client, agent, supervisor, team):
    client.force_login(supervisor)
    response = client.post(
        "/tasks/new/",
        {
            "team": team.pk,
            "what": "Tidy the FAQ",
            "why": "Outdated answers",
            "assignees": [agent.pk],
            "due_at": "2026-12-01T18:00",
            "where": "Knowledge base",
            "how": "Rewrite five articles",
            "how_much": "5",
            "how_much_unit": "articles",
        },
    )
    task = Task.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tasks/{task.pk}/"
    client.force_login(agent)
    assert "Tidy the FAQ" in client.get(f"/tasks/{task.pk}/").content.decode()
    client.post(f"/tasks/{task.pk}/", {"status": "done"})
    assert Task.objects.get().status == "done"
    assert client.get("/tasks/new/").status_code == 403
