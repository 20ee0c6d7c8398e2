"""Builders shared by the "My day" and agent profile tests (no tests here): computed metric rows, a plan with
targets, training, QA reviews, kudos and awards made by hand so every expected number can be worked out."""

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.utils import timezone

from kpi.models import DailyAgentMetric
from plans.models import DailyPlan
from qa_reviews.models import Review, ReviewStatus, Scorecard
from recognition.models import Award, AwardKind, Kudos
from tests.conversations.factories import ConversationFactory
from training.models import Assignment, Attempt, AttemptStatus, Course, Quiz


def local_today(team) -> dt.date:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(team.timezone)).date()


def metric_day(team, agent, day: dt.date, **parts) -> DailyAgentMetric:
    return DailyAgentMetric.objects.create(team=team, agent=agent, date=day, **parts)


def metric_history(team, agent, *, end: dt.date, days: int, **parts) -> None:
    """`days` computed days ending on `end`, each with the same parts (days already computed are kept)."""
    DailyAgentMetric.objects.bulk_create(
        [DailyAgentMetric(team=team, agent=agent, date=end - dt.timedelta(days=n), **parts) for n in range(days)],
        ignore_conflicts=True,
    )


def plan_with_targets(team, agent, day: dt.date, targets: dict[str, tuple[str, str]]) -> DailyPlan:
    """targets: metric -> (value, direction), stored as plans.services stores them."""
    return DailyPlan.objects.create(
        agent=agent,
        team=team,
        date=day,
        targets=[{"metric": m, "value": value, "direction": d} for m, (value, d) in targets.items()],
    )


def course(team, title: str) -> Course:
    return Course.objects.create(team=team, title=title, is_published=True)


def assignment(course_, user, team, due: dt.date, *, completed: bool = False) -> Assignment:
    return Assignment.objects.create(
        course=course_, user=user, team=team, due_date=due, completed_at=timezone.now() if completed else None
    )


def graded_attempt(course_, user, team, *, percent: str, passed: bool, number: int = 1) -> Attempt:
    quiz = Quiz.objects.filter(course=course_).first() or Quiz.objects.create(course=course_, pass_mark=80)
    return Attempt.objects.create(
        quiz=quiz,
        user=user,
        team=team,
        number=number,
        status=AttemptStatus.GRADED,
        submitted_at=timezone.now(),
        score=Decimal(percent),
        max_score=Decimal(100),
        percent=Decimal(percent),
        passed=passed,
    )


def review(team, agent, reviewer, total, *, status=ReviewStatus.SUBMITTED, days_ago: float = 1, calibration=None):
    scorecard = Scorecard.objects.filter(team=team).first() or Scorecard.objects.create(
        team=team, name="Chat quality", family=7000 + team.pk
    )
    return Review.objects.create(
        conversation=ConversationFactory(team=team, agent=agent),
        team=team,
        agent=agent,
        reviewer=reviewer,
        scorecard=scorecard,
        status=status,
        total=Decimal(str(total)),
        submitted_at=None if status == ReviewStatus.DRAFT else timezone.now() - dt.timedelta(days=days_ago),
        calibration=calibration,
    )


def kudos(team, giver, receiver, message: str, *, days_ago: float = 0) -> Kudos:
    sent = Kudos.objects.create(team=team, giver=giver, receiver=receiver, value="patience", message=message)
    if days_ago:
        Kudos.objects.filter(pk=sent.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    return sent


def weekly_award(team, winner, monday: dt.date, score: str = "88.5") -> Award:
    year, week, _ = monday.isocalendar()
    return Award.objects.create(
        team=team,
        kind=AwardKind.WEEKLY,
        period=f"{year}-W{week:02d}",
        period_start=monday,
        period_end=monday + dt.timedelta(days=6),
        winner=winner,
        score=Decimal(score),
    )
