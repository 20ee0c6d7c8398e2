"""Assigned learning on the agent's day: learning items on the plans before the due date, added to today's
draft plan when assigned, ticked off when the assignment completes, linking to the assignment page."""

import datetime as dt

import pytest
from django.utils import timezone

from plans import services
from plans.models import DailyPlan, ItemKind, PlanItem, PlanStatus
from teams.models import Shift
from tests.training.test_courses_services import assign, in_days, make_course, today
from training import courses
from training.models import Assignment

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
DAY = dt.date(2026, 11, 20)


def at(hour, minute=0, day=DAY):
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def shift(team, person, day=DAY):
    return Shift.objects.create(team=team, user=person, date=day, start_time=dt.time(9), end_time=dt.time(18))


def assignment(course, person, team, due, created=None):
    """An assignment written as of `created` (the services refuse due dates in the real past)."""
    row = Assignment.objects.create(course=course, user=person, team=team, due_date=due)
    if created:
        Assignment.objects.filter(pk=row.pk).update(created_at=created)
    return row


def learning(plan) -> list[tuple[str, int, bool]]:
    return sorted(
        plan.items.filter(kind=ItemKind.LEARNING).values_list("text", "training_assignment_id", "done"),
        key=lambda row: row[0],
    )


def test_open_assignments_due_on_or_after_the_day_are_on_the_plan(team, supervisor, agent):
    course, later, past, done = (make_course(team, supervisor, title=t) for t in ("Returns", "Upsell", "Old", "Done"))
    due_today = assignment(course, agent, team, DAY, created=at(8, day=DAY - dt.timedelta(days=3)))
    due_later = assignment(
        later, agent, team, DAY + dt.timedelta(days=5), created=at(8, day=DAY - dt.timedelta(days=1))
    )
    assignment(past, agent, team, DAY - dt.timedelta(days=1), created=at(8, day=DAY - dt.timedelta(days=5)))
    finished = assignment(done, agent, team, DAY + dt.timedelta(days=1), created=at(8, day=DAY - dt.timedelta(days=5)))
    Assignment.objects.filter(pk=finished.pk).update(completed_at=at(7))
    assignment(
        course, agent, team, DAY + dt.timedelta(days=9), created=at(8, day=DAY + dt.timedelta(days=1))
    )  # tomorrow's
    shift(team, agent)
    services.daily_plans_create(now=at(9, 30))
    plan = DailyPlan.objects.get()
    assert learning(plan) == [("Returns", due_today.pk, False), ("Upsell", due_later.pk, False)]
    services.daily_plans_create(now=at(10))  # again: nothing twice
    assert plan.items.filter(kind=ItemKind.LEARNING).count() == 2


@pytest.fixture
def todays_plan(team, agent):
    day = today()
    return DailyPlan.objects.create(agent=agent, team=team, date=day)


def test_a_new_assignment_joins_todays_draft_plan_and_is_ticked_off_when_completed(
    team, supervisor, agent, second_agent, todays_plan, django_capture_on_commit_callbacks
):
    course = make_course(team, supervisor, title="Returns")
    yesterday = DailyPlan.objects.create(agent=agent, team=team, date=todays_plan.date - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        created = assign(course, supervisor, teams=[team], due=in_days(3))
    mine = next(a for a in created if a.user == agent)
    assert learning(todays_plan) == [("Returns", mine.pk, False)]
    assert learning(yesterday) == []  # only today's plan
    with django_capture_on_commit_callbacks(execute=True):
        assign(course, supervisor, teams=[team], due=in_days(3))  # re-sent: nothing twice
    assert PlanItem.objects.filter(training_assignment=mine).count() == 1
    for material in course.materials.all():
        courses.material_mark_done(assignment=mine, material=material, actor=agent)
    assert learning(todays_plan) == [("Returns", mine.pk, True)]


def test_a_submitted_plan_stays_as_it_was(team, supervisor, agent, todays_plan, django_capture_on_commit_callbacks):
    course = make_course(team, supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        (mine,) = assign(course, supervisor, users=[agent])
    DailyPlan.objects.filter(pk=todays_plan.pk).update(status=PlanStatus.SUBMITTED, submitted_at=timezone.now())
    for material in course.materials.all():
        courses.material_mark_done(assignment=mine, material=material, actor=agent)
    assert learning(todays_plan) == [("Return policy", mine.pk, False)]


def test_my_day_links_a_learning_item_to_its_assignment(client, team, supervisor, agent, todays_plan):
    course = make_course(team, supervisor, title="Returns")
    with_assignment = assign(course, supervisor, users=[agent])[0]
    PlanItem.objects.create(
        plan=todays_plan, kind=ItemKind.LEARNING, text="Returns", training_assignment=with_assignment
    )
    client.force_login(agent)
    page = client.get("/plans/today/").content.decode()
    assert f'href="/training/assignments/{with_assignment.pk}/"' in page
