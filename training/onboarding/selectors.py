"""Reads of onboarding: what a user sees, and the state of every step, computed for many checklists at once.

A step is done when:
- read_article: the member has an ArticleRead of the article (they opened it, before or after the checklist
  started);
- pass_course: the member has a training Assignment of the course with completed_at set (every material done
  and, when the course has a quiz, the quiz passed: training.progress);
- shadow / other: a supervisor ticked it (an OnboardingStepDone row with confirmed_by).
A read_article or pass_course step whose article or course was deleted can no longer tick itself, so a
supervisor ticks it like a shadow step.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F, Min, QuerySet
from django.urls import NoReverseMatch

from teams import policy
from teams.models import Team
from training.access import visible_onboardings
from training.models import (
    ArticleRead,
    Assignment,
    Onboarding,
    OnboardingStep,
    OnboardingStepDone,
    OnboardingTemplate,
    StepKind,
)


def team_tree() -> dict[int, int | None]:
    """Every team's parent, in one query (teams number in the hundreds, not millions)."""
    return dict(Team.objects.values_list("id", "parent_id"))


def team_and_ancestors(team_id: int, *, parent_of: dict[int, int | None] | None = None) -> list[int]:
    """The team and the departments above it, nearest first."""
    if parent_of is None:
        parent_of = team_tree()
    chain: list[int] = []
    current: int | None = team_id
    while current is not None and current not in chain:
        chain.append(current)
        current = parent_of.get(current)
    return chain


def step_is_confirmable(step: OnboardingStep) -> bool:
    """Whether a supervisor ticks this step (rather than the member's reading or course completing it)."""
    if step.kind == StepKind.READ_ARTICLE:
        return step.article_id is None
    if step.kind == StepKind.PASS_COURSE:
        return step.course_id is None
    return True


def url_of(obj) -> str:
    """The page of another area's object, or "" while that area's pages are not installed."""
    if obj is None:
        return ""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return ""


@dataclass(frozen=True)
class StepState:
    step: OnboardingStep
    done: bool
    done_at: dt.datetime | None = None
    how: str = ""  # "article_read", "course_completed" or "confirmed"
    confirmed_by: object = None

    @property
    def confirmable(self) -> bool:
        return step_is_confirmable(self.step)

    @property
    def link(self) -> str:
        if self.step.kind == StepKind.READ_ARTICLE:
            return url_of(self.step.article)
        if self.step.kind == StepKind.PASS_COURSE:
            return url_of(self.step.course)
        return ""


@dataclass
class OnboardingState:
    onboarding: Onboarding
    steps: list[StepState] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def done_count(self) -> int:
        return sum(1 for state in self.steps if state.done)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.total) if self.total else 0

    @property
    def all_done(self) -> bool:
        """Every step done (a checklist without steps is never done: there is nothing to show for it)."""
        return bool(self.steps) and self.done_count == self.total


def onboarding_list(*, user) -> QuerySet[Onboarding]:
    """The user's own checklists and, for those who supervise a team, every checklist of that team."""
    return (
        visible_onboardings(user)
        .select_related("template", "user", "team")
        .order_by(F("completed_at").asc(nulls_first=True), "-created_at", "-id")
    )


def onboarding_template_list(*, user) -> QuerySet[OnboardingTemplate]:
    """Templates of the teams the user authors for (training.access.can_author)."""
    return (
        OnboardingTemplate.objects.filter(team_id__in=policy.team_access(user).supervised)
        .select_related("team")
        .prefetch_related("steps")
        .order_by("team__name", "position", "name", "id")
    )


def onboarding_states(onboardings) -> dict[int, OnboardingState]:
    """Each checklist's steps with their state, in at most four queries whatever the number of checklists."""
    onboardings = list(onboardings)
    if not onboardings:
        return {}
    template_ids = {onboarding.template_id for onboarding in onboardings}
    user_ids = {onboarding.user_id for onboarding in onboardings}
    steps_of: dict[int, list[OnboardingStep]] = {template_id: [] for template_id in template_ids}
    steps = (
        OnboardingStep.objects.filter(template_id__in=template_ids)
        .select_related("article", "course")
        .defer("article__body", "article__search_document", "course__description")
        .order_by("position", "id")
    )
    for step in steps:
        steps_of[step.template_id].append(step)
    all_steps = [step for template_steps in steps_of.values() for step in template_steps]
    article_ids = {s.article_id for s in all_steps if s.kind == StepKind.READ_ARTICLE and s.article_id}
    course_ids = {s.course_id for s in all_steps if s.kind == StepKind.PASS_COURSE and s.course_id}

    ticked = {
        (done.onboarding_id, done.step_id): done
        for done in OnboardingStepDone.objects.filter(onboarding__in=[o.pk for o in onboardings]).select_related(
            "confirmed_by"
        )
    }
    reads = {}
    if article_ids:
        rows = ArticleRead.objects.filter(user_id__in=user_ids, article_id__in=article_ids)
        reads = {(row.user_id, row.article_id): row.first_read_at for row in rows}
    completions = {}
    if course_ids:
        rows = (
            Assignment.objects.filter(user_id__in=user_ids, course_id__in=course_ids, completed_at__isnull=False)
            .values("user_id", "course_id")
            .annotate(first=Min("completed_at"))
            .order_by()
        )
        completions = {(row["user_id"], row["course_id"]): row["first"] for row in rows}

    states = {}
    for onboarding in onboardings:
        state = OnboardingState(onboarding)
        for step in steps_of[onboarding.template_id]:
            state.steps.append(_step_state(onboarding, step, ticked, reads, completions))
        states[onboarding.pk] = state
    return states


def _step_state(onboarding, step, ticked, reads, completions) -> StepState:
    if step_is_confirmable(step):
        done = ticked.get((onboarding.pk, step.pk))
        if done is None:
            return StepState(step, False)
        return StepState(step, True, done.done_at, "confirmed", done.confirmed_by)
    if step.kind == StepKind.READ_ARTICLE:
        read_at = reads.get((onboarding.user_id, step.article_id))
        return StepState(step, read_at is not None, read_at, "article_read" if read_at else "")
    completed_at = completions.get((onboarding.user_id, step.course_id))
    return StepState(step, completed_at is not None, completed_at, "course_completed" if completed_at else "")
