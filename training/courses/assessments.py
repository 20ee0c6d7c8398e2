"""定期考核: periodic assessments. A schedule assigns a course to its team's agents once per period (ISO week,
month or quarter, in the team's time zone), due `due_days` after the period starts."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teams.models import Role
from training import access
from training.courses.assigning import assignments_write, local_today
from training.models import AssessmentSchedule, Assignment, Frequency
from training.selectors_courses import audience_memberships, course_audience_team_ids

SCHEDULE_FIELDS = ("frequency", "due_days", "is_active")


def period_of(frequency: str, day: dt.date) -> tuple[str, dt.date]:
    """The period `day` falls in: its key (2026-W47, 2026-11, 2026-Q4) and its first day."""
    if frequency == Frequency.WEEKLY:
        year, week, _weekday = day.isocalendar()
        return f"{year}-W{week:02d}", day - dt.timedelta(days=day.weekday())
    if frequency == Frequency.QUARTERLY:
        quarter = (day.month - 1) // 3 + 1
        return f"{day.year}-Q{quarter}", dt.date(day.year, 3 * quarter - 2, 1)
    return f"{day.year}-{day.month:02d}", day.replace(day=1)


def _require_author(actor, team_id: int) -> None:
    if not access.can_author(actor, team_id):
        raise PermissionDenied(_("Only the team's supervisors, QA inspectors and managers schedule its assessments."))


@transaction.atomic
def assessment_create(
    *, team, course, actor, frequency: str = Frequency.MONTHLY, due_days: int = 7, is_active: bool = True
) -> AssessmentSchedule:
    _require_author(actor, team.pk)
    if team.pk not in course_audience_team_ids(course):
        raise ValidationError(
            {"course": _("This course is not meant for the team: choose one of its own or its department's.")}
        )
    if not course.is_published:
        raise ValidationError({"course": _("Publish the course before scheduling it.")})
    if AssessmentSchedule.objects.filter(team=team, course=course).exists():
        raise ValidationError({"course": _("The team already has a periodic assessment with this course.")})
    schedule = AssessmentSchedule(
        team=team, course=course, frequency=frequency, due_days=due_days, is_active=is_active, created_by=actor
    )
    schedule.full_clean(exclude=["created_by"], validate_constraints=False)
    schedule.save()
    return schedule


@transaction.atomic
def assessment_update(*, schedule: AssessmentSchedule, actor, **fields) -> AssessmentSchedule:
    """Change the frequency, the days to complete or pause it; the team and the course stay."""
    _require_author(actor, schedule.team_id)
    unknown = set(fields) - set(SCHEDULE_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed.")})
    schedule = AssessmentSchedule.objects.select_for_update().get(pk=schedule.pk)
    for field, value in fields.items():
        setattr(schedule, field, value)
    schedule.full_clean(exclude=["created_by"], validate_constraints=False)
    schedule.save()
    return schedule


@transaction.atomic
def assessment_delete(*, schedule: AssessmentSchedule, actor) -> None:
    """Stop the schedule; the assignments it made stay."""
    _require_author(actor, schedule.team_id)
    schedule.delete()


def assessments_assign_due(*, now: dt.datetime | None = None) -> int:
    """Every active schedule whose current period has no assignments yet assigns its course to the team's
    active agents (in the course's audience). Returns how many assignments were created; a second run in the
    same period creates nothing. Due date: the period's first day + due_days, never before the team's today.
    """
    now = now or timezone.now()
    created = 0
    schedules = AssessmentSchedule.objects.filter(is_active=True, course__is_published=True).select_related("team")
    for schedule in schedules:
        today = local_today(schedule.team.timezone, now)
        period, start = period_of(schedule.frequency, today)
        if schedule.last_period != period:
            created += _assign_period(
                schedule_id=schedule.pk,
                period=period,
                due_date=max(start + dt.timedelta(days=schedule.due_days), today),
            )
    return created


@transaction.atomic
def _assign_period(*, schedule_id: int, period: str, due_date: dt.date) -> int:
    # The lock serialises concurrent runs: the second one sees last_period already set.
    schedule = AssessmentSchedule.objects.select_for_update().get(pk=schedule_id)
    if schedule.last_period == period or not schedule.is_active:
        return 0
    created = []
    if not Assignment.objects.filter(schedule=schedule, period=period).exists():
        course = schedule.course
        agents = audience_memberships(course, team_ids={schedule.team_id}).filter(role=Role.AGENT)
        team_of = dict.fromkeys(agents.values_list("user_id", flat=True), schedule.team_id)
        if team_of:
            created = assignments_write(
                course=course, due_date=due_date, team_of=team_of, schedule=schedule, period=period
            )
    schedule.last_period = period
    schedule.save(update_fields=["last_period", "updated_at"])
    return len(created)
