"""Overdue notices and periodic assessments run by several workers at once do their work once (PostgreSQL)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from notifications.models import Notification
from teams.models import Role
from tests.factories import member
from tests.training.test_courses_services import assign, in_days, make_course
from training import courses
from training.models import Assignment

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrent transactions (CI sets DATABASE_URL)"
)


def _run_at_once(work, workers: int = 4) -> list:
    results, errors = [], []

    def run():
        try:
            results.append(work())
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def test_concurrent_overdue_runs_claim_each_assignment_once(transactional_db, team, supervisor):
    people = [member(team, Role.AGENT) for _ in range(30)]
    course = make_course(team, supervisor)
    assign(course, supervisor, users=people, due=in_days(1))
    later = dt.datetime.combine(in_days(3), dt.time(12), tzinfo=dt.UTC)
    results = _run_at_once(lambda: courses.assignments_notify_overdue(now=later))
    assert sum(results) == 30
    assert Assignment.objects.filter(overdue_notified_at__isnull=True).count() == 0
    assert Notification.objects.filter(kind="training-overdue").count() == 30
    assert Notification.objects.filter(kind="training-overdue-team", recipient=supervisor).count() == 30


def test_concurrent_assessment_runs_assign_a_period_once(transactional_db, team, supervisor):
    for _ in range(10):
        member(team, Role.AGENT)
    course = make_course(team, supervisor)
    courses.assessment_create(team=team, course=course, actor=supervisor, frequency="weekly")
    now = dt.datetime(2026, 11, 18, 12, tzinfo=dt.UTC)
    results = _run_at_once(lambda: courses.assessments_assign_due(now=now))
    assert sum(results) == 10 and Assignment.objects.count() == 10
