"""Where each agent stands on their position's career path, computed for a whole team in a fixed number of
queries (no query per agent).

The path of a team and position is the levels that team defines for the position or, when it defines none,
those of the nearest department above it that does. An agent's current level is the highest rank whose
criteria, and those of every lower rank, are met; the next level is the first one not met, shown with each
criterion's value, requirement and whether it is met. The criteria:

- courses: each required course has an Assignment of the agent with completed_at set (any time);
- QA score: the mean total of the agent's counted reviews (submitted, acknowledged, disputed or resolved; not
  calibration scores) in this team submitted in the last QA_WINDOW_DAYS days; no review, not met;
- KPI attainment: over the agent's daily targets in this team on the KPI_WINDOW_DAYS days before today (the
  team's local date; today is not over yet), the mean of kpi.selectors.attainment_percent per day and metric,
  the same figure the Performance page shows per row. A day whose actual is unknown (no computed metrics)
  does not count; no counted day, not met.
Values are rounded to two decimals before they are compared, so what the page shows is what was compared.
"""

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Prefetch, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kpi.definitions import METRICS
from kpi.models import DailyAgentMetric, DailyTarget
from kpi.selectors import attainment_percent
from qa_reviews.models import COUNTED_STATUSES, Review
from teams import policy
from teams.models import Membership, Position, Role, Team
from training.models import Assignment, CareerLevel, Course
from training.onboarding.selectors import team_and_ancestors

QA_WINDOW_DAYS = 90
KPI_WINDOW_DAYS = 30
_CENTS = Decimal("0.01")


def _two_places(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(_CENTS, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CriterionProgress:
    kind: str  # "course", "qa_score" or "kpi_attainment"
    label: str
    value: object  # course: completed (bool); the others: a Decimal, or None without data
    required: object  # course: True; the others: the minimum
    met: bool
    course: Course | None = None


@dataclass
class AgentCareerProgress:
    user: object
    position: str
    levels: list[CareerLevel]
    current_level: CareerLevel | None
    next_level: CareerLevel | None
    criteria: list[CriterionProgress] = field(default_factory=list)  # of the next level
    qa_score: Decimal | None = None
    qa_reviews: int = 0
    kpi_attainment: Decimal | None = None
    kpi_days: int = 0  # target rows (day and metric) that counted

    @property
    def position_label(self) -> str:
        return str(Position(self.position).label) if self.position in Position.values else ""

    @property
    def met_count(self) -> int:
        return sum(1 for criterion in self.criteria if criterion.met)

    @property
    def percent_to_next(self) -> int:
        """The share of the next level's criteria met (100 at the top of the path, 0 without a path)."""
        if self.next_level is None:
            return 100 if self.current_level is not None else 0
        return round(100 * self.met_count / len(self.criteria)) if self.criteria else 0


def career_level_list(*, user) -> QuerySet[CareerLevel]:
    """Levels of the teams the user reads (their own teams and the departments above them)."""
    return (
        policy.scope_queryset(user, CareerLevel.objects.all())
        .select_related("team")
        .prefetch_related(Prefetch("required_courses", queryset=Course.objects.only("id", "title", "team_id")))
        .order_by("team__name", "position", "rank", "id")
    )


def career_path(*, team: Team) -> dict[str, list[CareerLevel]]:
    """Each position's levels for this team (its own, or the nearest department's), lowest rank first."""
    chain = team_and_ancestors(team.pk)
    levels = (
        CareerLevel.objects.filter(team_id__in=chain)
        .select_related("team")
        .prefetch_related(Prefetch("required_courses", queryset=Course.objects.only("id", "title", "team_id")))
        .order_by("rank", "id")
    )
    by_owner: dict[tuple[int, str], list[CareerLevel]] = defaultdict(list)
    for level in levels:
        by_owner[(level.team_id, level.position)].append(level)
    path = {}
    for team_id, position in sorted(by_owner, key=lambda key: chain.index(key[0]), reverse=True):
        path[position] = by_owner[(team_id, position)]  # nearer teams come last and win
    return path


def _local_today(team: Team) -> dt.date:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(team.timezone)).date()


def qa_scores(*, team: Team, user_ids: list[int], since: dt.datetime) -> dict[int, tuple[Decimal, int]]:
    """agent id -> (mean total, reviews) of their counted reviews in the team submitted since `since`."""
    rows = (
        Review.objects.filter(
            team=team,
            agent_id__in=user_ids,
            calibration__isnull=True,
            status__in=COUNTED_STATUSES,
            submitted_at__gte=since,
            total__isnull=False,
        )
        .values("agent_id")
        .annotate(mean=Avg("total"), reviews=Count("id"))
        .order_by()
    )
    return {row["agent_id"]: (_two_places(row["mean"]), row["reviews"]) for row in rows}


def kpi_attainment(
    *, team: Team, user_ids: list[int], date_from: dt.date, date_to: dt.date
) -> dict[int, tuple[Decimal, int]]:
    """agent id -> (mean attainment %, counted target rows) over their daily targets in the team."""
    targets = (
        DailyTarget.objects.filter(team=team, agent_id__in=user_ids, date__gte=date_from, date__lte=date_to)
        .values("date", "agent_id", "monthly_target__metric")
        .annotate(target=Sum("value"))
        .order_by()
    )
    targets = list(targets)
    if not targets:
        return {}
    metric_rows = DailyAgentMetric.objects.filter(
        team=team, agent_id__in=user_ids, date__gte=date_from, date__lte=date_to
    )
    figures = {(row.date, row.agent_id): row.figures() for row in metric_rows}
    percents: dict[int, list[float]] = defaultdict(list)
    for row in targets:
        metric = row["monthly_target__metric"]
        if metric not in METRICS:
            continue
        actual = figures.get((row["date"], row["agent_id"]), {}).get(metric)
        percent = attainment_percent(actual, row["target"], METRICS[metric].direction)
        if percent is not None:
            percents[row["agent_id"]].append(percent)
    return {agent_id: (_two_places(sum(values) / len(values)), len(values)) for agent_id, values in percents.items()}


def _completed_courses(user_ids: list[int], course_ids: set[int]) -> set[tuple[int, int]]:
    if not course_ids:
        return set()
    return set(
        Assignment.objects.filter(user_id__in=user_ids, course_id__in=course_ids, completed_at__isnull=False)
        .values_list("user_id", "course_id")
        .distinct()
    )


def _criteria(level: CareerLevel, *, user_id, completed, qa_score, kpi_value) -> list[CriterionProgress]:
    criteria = []
    for course in level.required_courses.all():
        done = (user_id, course.pk) in completed
        criteria.append(CriterionProgress("course", course.title, done, True, done, course))
    if level.min_qa_score is not None:
        met = qa_score is not None and qa_score >= level.min_qa_score
        label = _("QA score (last %(days)s days)") % {"days": QA_WINDOW_DAYS}
        criteria.append(CriterionProgress("qa_score", label, qa_score, level.min_qa_score, met))
    if level.min_kpi_attainment is not None:
        met = kpi_value is not None and kpi_value >= level.min_kpi_attainment
        label = _("KPI attainment (last %(days)s days)") % {"days": KPI_WINDOW_DAYS}
        criteria.append(CriterionProgress("kpi_attainment", label, kpi_value, level.min_kpi_attainment, met))
    return criteria


def career_progress(*, team: Team, users=None, path: dict | None = None) -> list[AgentCareerProgress]:
    """Every active agent of the team (or only `users`, a list of users or ids), by username: their current
    level and the next level's criteria. Eight queries at most, whatever the team's size (five when the
    team's `path`, from career_path(), is given)."""
    memberships = Membership.objects.filter(team=team, active=True, role=Role.AGENT).select_related("user")
    if users is not None:
        memberships = memberships.filter(user_id__in=[getattr(user, "pk", user) for user in users])
    memberships = list(memberships.order_by("user__username"))
    if not memberships:
        return []
    user_ids = [membership.user_id for membership in memberships]
    if path is None:
        path = career_path(team=team)
    course_ids = {course.pk for levels in path.values() for level in levels for course in level.required_courses.all()}
    completed = _completed_courses(user_ids, course_ids)
    qa = qa_scores(team=team, user_ids=user_ids, since=timezone.now() - dt.timedelta(days=QA_WINDOW_DAYS))
    today = _local_today(team)
    kpi = kpi_attainment(
        team=team,
        user_ids=user_ids,
        date_from=today - dt.timedelta(days=KPI_WINDOW_DAYS),
        date_to=today - dt.timedelta(days=1),
    )
    result = []
    for membership in memberships:
        user_id = membership.user_id
        qa_score, qa_reviews = qa.get(user_id, (None, 0))
        kpi_value, kpi_days = kpi.get(user_id, (None, 0))
        levels = path.get(membership.position, [])
        progress = AgentCareerProgress(
            membership.user, membership.position, levels, None, None, [], qa_score, qa_reviews, kpi_value, kpi_days
        )
        for level in levels:
            criteria = _criteria(level, user_id=user_id, completed=completed, qa_score=qa_score, kpi_value=kpi_value)
            if all(criterion.met for criterion in criteria):
                progress.current_level = level
                continue
            progress.next_level, progress.criteria = level, criteria
            break
        result.append(progress)
    return result
