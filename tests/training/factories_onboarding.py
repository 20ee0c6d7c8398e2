"""Helpers of the onboarding and career tests: published articles and courses, a checklist template, QA
reviews and KPI targets made by hand (so the expected numbers can be worked out on paper)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from kpi.models import DailyAgentMetric, DailyTarget, MonthlyTarget
from qa_reviews.models import Review, ReviewStatus, Scorecard
from tests.conversations.factories import ConversationFactory
from training import onboarding
from training.models import Article, ArticleStatus, Assignment, Course, StepKind
from training.progress import assignment_refresh


def make_article(team, title="Refund policy", status=ArticleStatus.PUBLISHED) -> Article:
    return Article.objects.create(team=team, title=title, body="Refunds within 7 days.", status=status)


def make_course(team, title="Returns 101") -> Course:
    return Course.objects.create(team=team, title=title, is_published=True)


def make_template(team, actor, *, article, course, position="", name="Pre-sales onboarding"):
    """Three steps: read the article, complete the course, shadow a colleague."""
    return onboarding.onboarding_template_create(
        actor=actor,
        team=team,
        name=name,
        position=position,
        steps=[
            {"kind": StepKind.READ_ARTICLE, "article": article},
            {"kind": StepKind.PASS_COURSE, "course": course},
            {"kind": StepKind.SHADOW, "title": "Shadow Sue for a shift"},
        ],
    )


def complete_course(course, user, team) -> Assignment:
    """An assignment of a course without materials or quiz, completed through the shared completion rule."""
    assignment = Assignment.objects.create(course=course, user=user, team=team, due_date=dt.date(2030, 1, 1))
    assignment_refresh(assignment)
    assignment.refresh_from_db()
    return assignment


def qa_review(team, agent, reviewer, total, *, days_ago=10, status=ReviewStatus.SUBMITTED, calibration=None):
    scorecard = Scorecard.objects.filter(team=team).first() or Scorecard.objects.create(
        team=team, name="Chat quality", family=9000 + team.pk
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


def kpi_day(team, agent, day: dt.date, metric: str, target, **actuals) -> None:
    """One daily target of the agent and, when `actuals` are given, the day's computed metrics."""
    monthly, _ = MonthlyTarget.objects.get_or_create(
        team=team, metric=metric, month=day.replace(day=1), defaults={"value": Decimal(1000)}
    )
    DailyTarget.objects.create(monthly_target=monthly, date=day, team=team, agent=agent, value=Decimal(str(target)))
    if actuals:
        DailyAgentMetric.objects.update_or_create(team=team, agent=agent, date=day, defaults=actuals)
