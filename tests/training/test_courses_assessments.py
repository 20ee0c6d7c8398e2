"""定期考核: periodic assessments assign a course to a team's agents once per period, in the team's time zone."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from notifications.models import Notification
from teams.models import Role, Team
from tests.factories import member
from tests.training.test_courses_services import make_course
from training import courses, tasks
from training.models import AssessmentSchedule, Assignment


def utc(year, month, day, hour=12) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("frequency", "day", "period", "start"),
    [
        ("weekly", dt.date(2026, 11, 19), "2026-W47", dt.date(2026, 11, 16)),
        ("weekly", dt.date(2026, 12, 31), "2026-W53", dt.date(2026, 12, 28)),
        ("weekly", dt.date(2027, 1, 3), "2026-W53", dt.date(2026, 12, 28)),  # ISO year of the week
        ("monthly", dt.date(2026, 11, 30), "2026-11", dt.date(2026, 11, 1)),
        ("quarterly", dt.date(2026, 11, 30), "2026-Q4", dt.date(2026, 10, 1)),
        ("quarterly", dt.date(2027, 3, 31), "2027-Q1", dt.date(2027, 1, 1)),
    ],
)
def test_periods(frequency, day, period, start):
    assert courses.period_of(frequency, day) == (period, start)


@pytest.fixture
def schedule(team, supervisor, agent, second_agent, qa_inspector):
    course = make_course(team, supervisor, title="Monthly product test")
    return courses.assessment_create(team=team, course=course, actor=supervisor, frequency="monthly", due_days=7)


def test_a_period_is_assigned_once_and_the_next_period_again(schedule, agent, second_agent):
    """Due: the period's first day + due_days (1 + 7 = the 8th)."""
    november = utc(2026, 11, 2)
    assert courses.assessments_assign_due(now=november) == 2
    first = set(Assignment.objects.values_list("pk", "user_id", "period", "due_date"))
    assert {(user, period, due) for _pk, user, period, due in first} == {
        (agent.pk, "2026-11", dt.date(2026, 11, 8)),
        (second_agent.pk, "2026-11", dt.date(2026, 11, 8)),
    }
    assert courses.assessments_assign_due(now=november) == 0
    assert courses.assessments_assign_due(now=utc(2026, 11, 25)) == 0
    assert set(Assignment.objects.values_list("pk", "user_id", "period", "due_date")) == first  # same rows
    assert courses.assessments_assign_due(now=utc(2026, 12, 2)) == 2
    assert courses.assessments_assign_due(now=utc(2026, 12, 3)) == 0
    assert sorted(Assignment.objects.values_list("period", flat=True)) == ["2026-11", "2026-11", "2026-12", "2026-12"]
    schedule.refresh_from_db()
    assert schedule.last_period == "2026-12"
    assert set(Assignment.objects.values_list("schedule_id", flat=True)) == {schedule.pk}
    assert Notification.objects.filter(kind="training-assigned").count() == 4


def test_the_period_starts_at_midnight_in_the_teams_time_zone(schedule):
    # 15:59 UTC on 30 November is 23:59 in Shanghai; 16:00 UTC is already 1 December there.
    courses.assessments_assign_due(now=dt.datetime(2026, 11, 30, 15, 59, tzinfo=dt.UTC))
    assert set(Assignment.objects.values_list("period", flat=True)) == {"2026-11"}
    courses.assessments_assign_due(now=dt.datetime(2026, 11, 30, 16, 0, tzinfo=dt.UTC))
    assert set(Assignment.objects.values_list("period", flat=True)) == {"2026-11", "2026-12"}


def test_a_lost_last_period_does_not_assign_twice(schedule):
    courses.assessments_assign_due(now=utc(2026, 11, 10))
    AssessmentSchedule.objects.filter(pk=schedule.pk).update(last_period="")  # e.g. a crash before it was saved
    assert courses.assessments_assign_due(now=utc(2026, 11, 11)) == 0
    assert Assignment.objects.count() == 2


def test_paused_schedules_and_unpublished_courses_assign_nothing(schedule, supervisor):
    courses.assessment_update(schedule=schedule, actor=supervisor, is_active=False)
    assert courses.assessments_assign_due(now=utc(2026, 11, 10)) == 0
    courses.assessment_update(schedule=schedule, actor=supervisor, is_active=True)
    courses.course_set_published(course=schedule.course, actor=supervisor, published=False)
    assert courses.assessments_assign_due(now=utc(2026, 11, 10)) == 0
    assert not Assignment.objects.exists()


def test_weekly_assessments_follow_iso_weeks(team, supervisor, agent):
    course = make_course(team, supervisor)
    courses.assessment_create(team=team, course=course, actor=supervisor, frequency="weekly", due_days=3)
    courses.assessments_assign_due(now=utc(2026, 11, 18))  # a Wednesday
    assert list(Assignment.objects.values_list("period", "due_date")) == [("2026-W47", dt.date(2026, 11, 19))]
    courses.assessments_assign_due(now=utc(2026, 11, 22))  # Sunday: same week
    courses.assessments_assign_due(now=utc(2026, 11, 23))  # Monday: next week
    assert Assignment.objects.count() == 2


def test_the_task_runs_the_service(schedule):
    assert tasks.assessments_assign_due_task.delay().get() == 2
    assert tasks.assessments_assign_due_task.delay().get() == 0


def test_who_schedules(team, sibling_team, supervisor, agent, manager, other_team, outsider):
    course = make_course(team, supervisor)
    with pytest.raises(PermissionDenied):
        courses.assessment_create(team=team, course=course, actor=agent)
    with pytest.raises(PermissionDenied):
        courses.assessment_create(team=team, course=course, actor=outsider)
    with pytest.raises(ValidationError) as error:
        courses.assessment_create(team=sibling_team, course=course, actor=manager)  # not the course's audience
    assert "course" in error.value.message_dict
    courses.assessment_create(team=team, course=course, actor=supervisor)
    with pytest.raises(ValidationError) as error:
        courses.assessment_create(team=team, course=course, actor=manager)
    assert "course" in error.value.message_dict
    assert AssessmentSchedule.objects.count() == 1


def test_assessments_reach_only_agents_of_the_schedules_team(db):
    night = Team.objects.create(name="Night desk", timezone="America/New_York")
    boss, person = member(night, Role.SUPERVISOR), member(night, Role.AGENT)
    member(night, Role.QA)
    course = make_course(night, boss)
    courses.assessment_create(team=night, course=course, actor=boss, frequency="quarterly", due_days=10)
    # 03:00 UTC on 1 October is still 30 September in New York: the third quarter.
    courses.assessments_assign_due(now=dt.datetime(2026, 10, 1, 3, tzinfo=dt.UTC))
    assert list(Assignment.objects.values_list("user_id", "period", "due_date")) == [
        (person.pk, "2026-Q3", dt.date(2026, 9, 30))  # 1 July + 10 days has passed: due on the team's today
    ]
