"""Plans and tasks through the API, and GET /api/v1/me/today/."""

import datetime as dt

import pytest
from django.utils import timezone

from plans import services
from plans.models import DailyPlan, PlanStatus, Task
from teams.models import Shift


@pytest.fixture
def plan(team, agent):
    today = timezone.localdate()
    Shift.objects.create(team=team, user=agent, date=today, start_time=dt.time(0), end_time=dt.time(23, 59))
    services.daily_plans_create(now=timezone.now())
    return DailyPlan.objects.get(agent=agent)


def test_agent_works_through_the_plan(api, agent, plan):
    client = api.as_user(agent)
    item = client.post(f"/api/v1/plans/{plan.pk}/items/", {"text": "Answer the backlog"}, format="json").json()
    assert (
        client.post(f"/api/v1/plans/{plan.pk}/items/{item['id']}/done/", {"done": True}, format="json").json()["done"]
        is True
    )
    response = client.patch(
        f"/api/v1/plans/{plan.pk}/", {"problems": "Refund tool slow", "status": "reviewed"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "draft"  # status is not the agent's to set
    assert client.post(f"/api/v1/plans/{plan.pk}/submit/").json()["status"] == "submitted"
    locked = client.patch(f"/api/v1/plans/{plan.pk}/", {"note": "late"}, format="json")
    assert locked.status_code == 400 and "status" in locked.json()


def test_another_agent_gets_404_and_changes_nothing(api, second_agent, plan):
    client = api.as_user(second_agent)
    assert client.get(f"/api/v1/plans/{plan.pk}/").status_code == 404
    assert client.patch(f"/api/v1/plans/{plan.pk}/", {"note": "mine now"}, format="json").status_code == 404
    assert client.post(f"/api/v1/plans/{plan.pk}/submit/").status_code == 404
    plan.refresh_from_db()
    assert (plan.note, plan.status) == ("", PlanStatus.DRAFT)
    assert client.get("/api/v1/plans/").json()["count"] == 0


def test_supervisor_reviews_and_the_agent_cannot(api, agent, supervisor, outsider, plan):
    api.as_user(agent).post(f"/api/v1/plans/{plan.pk}/submit/")
    assert api.as_user(agent).post(f"/api/v1/plans/{plan.pk}/review/", {}, format="json").status_code == 403
    assert api.as_user(outsider).post(f"/api/v1/plans/{plan.pk}/review/", {}, format="json").status_code == 404
    back = api.as_user(supervisor).post(f"/api/v1/plans/{plan.pk}/review/", {"send_back": True}, format="json")
    assert back.status_code == 400 and "comment" in back.json()
    done = api.as_user(supervisor).post(f"/api/v1/plans/{plan.pk}/review/", {"comment": "Good day"}, format="json")
    assert done.json()["status"] == "reviewed"


def test_tasks_are_given_by_supervisors_and_seen_by_assignees(api, agent, second_agent, supervisor, team):
    body = {
        "team": team.pk,
        "what": "Update the sizing FAQ",
        "why": "Many sizing questions",
        "assignees": [agent.pk],
        "due_at": "2026-12-01T18:00:00+08:00",
        "how_much": "2",
        "how_much_unit": "hours",
    }
    assert api.as_user(agent).post("/api/v1/tasks/", body, format="json").status_code == 403
    created = api.as_user(supervisor).post("/api/v1/tasks/", body, format="json")
    assert created.status_code == 201, created.content
    task_id = created.json()["id"]
    assert [t["id"] for t in api.as_user(agent).get("/api/v1/tasks/").json()["results"]] == [task_id]
    assert api.as_user(second_agent).get(f"/api/v1/tasks/{task_id}/").status_code == 404
    moved = api.as_user(agent).post(f"/api/v1/tasks/{task_id}/status/", {"status": "in_progress"}, format="json")
    assert moved.json()["status"] == "in_progress"
    invalid = api.as_user(supervisor).post("/api/v1/tasks/", {**body, "assignees": []}, format="json")
    assert invalid.status_code == 400 and "assignees" in invalid.json()
    assert Task.objects.count() == 1


def test_me_today_shows_targets_plan_tasks_and_notifications(api, agent, supervisor, team, plan):
    services.task_create(
        team=team,
        creator=supervisor,
        what="Call back buyer-77",
        due_at=timezone.now() + dt.timedelta(hours=1),
        assignees=[agent],
    )
    body = api.as_user(agent).get("/api/v1/me/today/").json()
    assert body["plan"]["id"] == plan.pk
    assert [t["what"] for t in body["tasks"]] == ["Call back buyer-77"]
    assert body["unread_notifications"] == 1


def test_me_today_query_count_does_not_grow_with_history(api, agent, team, plan, django_assert_max_num_queries):
    client = api.as_user(agent)
    with django_assert_max_num_queries(12):
        client.get("/api/v1/me/today/")
    today = timezone.localdate()
    DailyPlan.objects.bulk_create(
        [DailyPlan(agent=agent, team=team, date=today - dt.timedelta(days=n)) for n in range(1, 365)]
    )
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/me/today/").status_code == 200
