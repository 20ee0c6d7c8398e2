"""Reads of the agent profile: who may open whose profile, and the profile itself (metrics history, QA reviews,
training, awards, career level), each section one set-based query whatever the history or the team's size.

Who sees what:
- everyone opens their own profile, over every team they are an active member of;
- supervisors, QA inspectors and managers (teams.policy "supervised") open the profile of an agent of a team
  they supervise, and see only what the agent did in those teams (an agent who helps a second team keeps
  that team's numbers to its own leads);
- anyone else gets None (a 404 for the caller), whether the person exists or not.

Also the daily figures and the chart payload shared with "My day" (dashboard/me.py).
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, F, Max, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kpi.definitions import METRICS, PART_NAMES, derive
from kpi.models import DailyAgentMetric
from qa_reviews.models import Review, ReviewStatus
from recognition.models import Award
from teams import policy
from teams.models import Membership, Role, Team
from training.career import career_progress
from training.models import Assignment, Attempt, AttemptStatus
from training.selectors_courses import with_progress

DEFAULT_PERIOD_DAYS = 30
MAX_PERIOD_DAYS = 366
LIST_LIMIT = 20  # rows of each list on the profile (the totals count every row)
SHARE_METRICS = frozenset({"resolution_rate", "conversion_rate"})  # stored as 0-1, charted as percent
SECOND_METRICS = frozenset({"first_response_seconds", "avg_response_seconds"})


# ------------------------------------------------------------------------------------ daily figures


@dataclass
class DailyFigures:
    days: list[dict]  # one per calendar day: {"date", "has_data", <metric>: figure or None}
    totals: dict  # the period's figures from the summed parts (never an average of averages)

    @property
    def days_with_data(self) -> list[dict]:
        return [day for day in self.days if day["has_data"]]


def daily_figures(*, agent_id: int, team_ids, date_from: dt.date, date_to: dt.date) -> DailyFigures:
    """The agent's metrics per day (summed over the given teams) and for the whole period, in one query."""
    rows = (
        DailyAgentMetric.objects.filter(
            agent_id=agent_id, team_id__in=list(team_ids), date__gte=date_from, date__lte=date_to
        )
        .values("date")
        .annotate(**{name: Sum(name) for name in PART_NAMES})
        .order_by("date")
    )
    by_date = {row["date"]: row for row in rows}
    empty = dict.fromkeys(METRICS)
    days, summed = [], {name: 0 for name in PART_NAMES}
    day = date_from
    while day <= date_to:
        row = by_date.get(day)
        if row is None:
            days.append({"date": day, "has_data": False, **empty})
        else:
            days.append({"date": day, "has_data": True, **derive(row)})
            for name in PART_NAMES:
                summed[name] += row[name] or 0
        day += dt.timedelta(days=1)
    summed["sales_amount"] = Decimal(summed["sales_amount"])
    return DailyFigures(days, derive(summed) if by_date else dict(empty))


def metric_choices() -> list[dict]:
    """The metrics a chart can show, with how the page scales them (shares become percentages) and the unit
    worth naming beside the label (none for counts, amounts and scores, whose label says it)."""
    return [
        {
            "name": name,
            "label": str(definition.label),
            "unit": _unit(name),
            "scale": 100 if name in SHARE_METRICS else 1,
            "direction": definition.direction,
        }
        for name, definition in METRICS.items()
    ]


def _unit(name: str) -> str:
    if name in SHARE_METRICS or name == "csi":
        return "%"
    if name in SECOND_METRICS:
        return str(METRICS[name].unit)
    return ""


def chart_payload(days: list[dict], *, selected: str) -> dict:
    """What the page's Chart.js script reads (through json_script): a series per metric over the days."""
    return {
        "labels": [day["date"].isoformat() for day in days],
        "series": {name: [_plain(day[name]) for day in days] for name in METRICS},
        "metrics": metric_choices(),
        "selected": selected if selected in METRICS else "conversations",
    }


def _plain(value):
    return None if value is None else float(value)


# --------------------------------------------------------------------------------------- who may see


@dataclass(frozen=True)
class ProfileSubject:
    person: object  # the User
    teams: list[Team]  # the teams whose records the viewer sees on this profile, by name
    memberships: list[Membership]  # the person's active memberships in those teams

    @property
    def team_ids(self) -> list[int]:
        return [team.pk for team in self.teams]

    @property
    def home_team(self) -> Team | None:
        """The team whose time zone and career path the profile uses: the first where the person is an agent."""
        for membership in self.memberships:
            if membership.role == Role.AGENT:
                return membership.team
        return self.teams[0] if self.teams else None


def profile_subject(*, viewer, person_id: int) -> ProfileSubject | None:
    """The person and the teams of theirs the viewer may see, or None (one query plus the viewer's scopes)."""
    memberships = list(
        Membership.objects.filter(user_id=person_id, user__is_active=True, active=True)
        .select_related("user", "team")
        .order_by("team__name", "team_id")
    )
    if viewer.pk == person_id and viewer.is_active:
        return ProfileSubject(viewer, [m.team for m in memberships], memberships)
    supervised = policy.team_access(viewer).supervised
    shown = [m for m in memberships if m.role == Role.AGENT and m.team_id in supervised]
    if not shown:
        return None
    return ProfileSubject(shown[0].user, [m.team for m in shown], shown)


# --------------------------------------------------------------------------------------------- period


def local_today(team: Team | None, now: dt.datetime | None = None) -> dt.date:
    now = now or timezone.now()
    return now.astimezone(zoneinfo.ZoneInfo(team.timezone)).date() if team else timezone.localdate(now)


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    return today - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1), today


def period_check(date_from: dt.date, date_to: dt.date) -> None:
    """ValidationError naming the field when the period is reversed or longer than MAX_PERIOD_DAYS."""
    if date_from > date_to:
        raise ValidationError({"date_to": _("The end date must be on or after the start date.")})
    if (date_to - date_from).days + 1 > MAX_PERIOD_DAYS:
        raise ValidationError({"date_from": _("Choose a period of at most %(days)s days.") % {"days": MAX_PERIOD_DAYS}})


# -------------------------------------------------------------------------------------------- profile


@dataclass
class AgentProfile:
    subject: ProfileSubject
    date_from: dt.date
    date_to: dt.date
    today: dt.date
    figures: DailyFigures
    review_totals: dict
    reviews: list[Review]
    training_totals: dict
    assignments: list[Assignment]
    attempts: list[Attempt]
    awards: list[Award]
    career: object | None = None  # training.career.AgentCareerProgress


def agent_profile(
    *, subject: ProfileSubject, date_from: dt.date, date_to: dt.date, now: dt.datetime | None = None
) -> AgentProfile:
    """Everything on the profile; the caller got `subject` from profile_subject and checked the period."""
    person, team_ids, home = subject.person, subject.team_ids, subject.home_team
    today = local_today(home, now)
    zone = zoneinfo.ZoneInfo(home.timezone) if home else timezone.get_current_timezone()
    starts = dt.datetime.combine(date_from, dt.time.min, tzinfo=zone)
    ends = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    reviews = Review.objects.filter(
        agent=person, team_id__in=team_ids, calibration__isnull=True, submitted_at__gte=starts, submitted_at__lt=ends
    ).exclude(status=ReviewStatus.DRAFT)
    assignments = Assignment.objects.filter(user=person, team_id__in=team_ids)
    career = None
    if home is not None and any(m.role == Role.AGENT for m in subject.memberships):
        found = career_progress(team=home, users=[person])
        career = found[0] if found and found[0].levels else None  # None: no path for the position
    return AgentProfile(
        subject=subject,
        date_from=date_from,
        date_to=date_to,
        today=today,
        figures=daily_figures(agent_id=person.pk, team_ids=team_ids, date_from=date_from, date_to=date_to),
        review_totals=_review_totals(reviews),
        reviews=list(reviews.select_related("reviewer", "scorecard").order_by("-submitted_at", "-id")[:LIST_LIMIT]),
        training_totals=_training_totals(assignments, today),
        assignments=_assignment_rows(assignments, today),
        attempts=list(
            Attempt.objects.filter(user=person, team_id__in=team_ids, status=AttemptStatus.GRADED)
            .select_related("quiz__course")
            .order_by("-submitted_at", "-id")[:LIST_LIMIT]
        ),
        awards=list(
            Award.objects.filter(winner=person, team_id__in=team_ids)
            .select_related("team")
            .order_by("-period_end", "-id")[:LIST_LIMIT]
        ),
        career=career,
    )


def _review_totals(reviews) -> dict:
    totals = reviews.aggregate(
        count=Count("id"),
        average=Avg("total"),
        lowest=Min("total"),
        highest=Max("total"),
        auto_failed=Count("id", filter=Q(auto_failed=True)),
        to_acknowledge=Count("id", filter=Q(status=ReviewStatus.SUBMITTED)),
        disputed=Count("id", filter=Q(status=ReviewStatus.DISPUTED)),
    )
    totals["average"] = None if totals["average"] is None else round(float(totals["average"]), 2)
    return totals


def _training_totals(assignments, today: dt.date) -> dict:
    return assignments.aggregate(
        assigned=Count("id"),
        completed=Count("id", filter=Q(completed_at__isnull=False)),
        overdue=Count("id", filter=Q(completed_at__isnull=True, due_date__lt=today)),
    )


def _assignment_rows(assignments, today: dt.date) -> list[Assignment]:
    """Open ones first (soonest due), then the latest completed."""
    rows = list(
        with_progress(assignments.select_related("course")).order_by(
            F("completed_at").desc(nulls_first=True), "due_date", "id"
        )[:LIST_LIMIT]
    )
    for assignment in rows:
        assignment.is_overdue = assignment.completed_at is None and assignment.due_date < today
    return rows
