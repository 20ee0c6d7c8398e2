"""Assigning courses to people and whole teams, progress per material, and overdue notices."""

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from notifications.services import Outgoing, notifications_send
from teams import policy
from teams.models import Membership, Role, Team
from training.models import AssessmentSchedule, Assignment, Course, Material, MaterialProgress
from training.progress import assignment_refresh
from training.selectors_courses import audience_memberships, course_audience_team_ids
from training.signals import assignments_created

OVERDUE_BATCH = 500


def local_today(zone_name: str, now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(zone_name)).date()


def _name(person) -> str:
    return str(person)


@transaction.atomic
def assignments_create(
    *, course: Course, actor, due_date: dt.date, users: Iterable = (), teams: Iterable[Team] = ()
) -> list[Assignment]:
    """Assign a published course to people and/or whole teams; returns the assignments that are new.

    A team reaches each of its active agents in the course's audience; a person reached twice (named and
    through a team, or through two teams), or already assigned the course for that due date, gets one
    assignment. Everyone must be in a team the actor supervises within the course's audience; otherwise
    nothing is written. The assignees are notified; training.signals.assignments_created follows the commit.
    """
    users, teams = list(users), list(teams)
    if not users and not teams:
        raise ValidationError({"users": _("Choose the people or the teams to assign the course to.")})
    if not course.is_published:
        raise ValidationError({"course": _("Publish the course before assigning it.")})
    if due_date < local_today(course.team.timezone):
        raise ValidationError({"due_date": _("The due date is in the past.")})
    allowed_team_ids = course_audience_team_ids(course) & policy.team_access(actor).supervised
    if not allowed_team_ids:
        raise PermissionDenied(_("You do not supervise any team in this course's audience."))
    errors = {}
    outside_teams = [team for team in teams if team.pk not in allowed_team_ids]
    if outside_teams:
        errors["teams"] = _("%(team)s is not a team you supervise within the course's audience.") % {
            "team": outside_teams[0]
        }
    in_audience = audience_memberships(course, team_ids=allowed_team_ids)
    team_of: dict[int, int] = {}
    # A person reached through a chosen team is assigned there; someone named directly, in their own team.
    chosen_team_ids = [team.pk for team in teams if team.pk in allowed_team_ids]
    for user_id, team_id in (
        in_audience.filter(team_id__in=chosen_team_ids, role=Role.AGENT)
        .order_by("team_id", "user_id")
        .values_list("user_id", "team_id")
    ):
        team_of.setdefault(user_id, team_id)
    named = {person.pk: person for person in users}
    for user_id, team_id in in_audience.filter(user_id__in=named).order_by("team_id").values_list("user_id", "team_id"):
        team_of.setdefault(user_id, team_id)
    outside_people = [person for pk, person in named.items() if pk not in team_of]
    if outside_people:
        errors["users"] = _("%(name)s is not in a team you supervise within the course's audience.") % {
            "name": _name(outside_people[0])
        }
    if errors:
        raise ValidationError(errors)
    if not team_of:
        raise ValidationError({"teams": _("Nobody in these teams is in the course's audience.")})
    return assignments_write(course=course, due_date=due_date, team_of=team_of, assigned_by=actor)


def assignments_write(
    *,
    course: Course,
    due_date: dt.date,
    team_of: dict[int, int],
    assigned_by=None,
    schedule: AssessmentSchedule | None = None,
    period: str = "",
) -> list[Assignment]:
    """Insert the assignments not there yet (person → team), notify, and announce them after the commit.

    Run inside a transaction. The unique (course, user, due_date) constraint makes a re-sent or concurrent
    write create nothing twice.
    """
    already = set(
        Assignment.objects.filter(course=course, due_date=due_date, user_id__in=team_of).values_list(
            "user_id", flat=True
        )
    )
    new = {user_id: team_id for user_id, team_id in team_of.items() if user_id not in already}
    if not new:
        return []
    Assignment.objects.bulk_create(
        [
            Assignment(
                course=course,
                user_id=user_id,
                team_id=team_id,
                due_date=due_date,
                assigned_by=assigned_by,
                schedule=schedule,
                period=period,
            )
            for user_id, team_id in new.items()
        ],
        ignore_conflicts=True,
    )
    created = list(
        Assignment.objects.filter(course=course, due_date=due_date, user_id__in=new).select_related("course")
    )
    notifications_send(
        outgoing=[
            Outgoing(
                recipient_id=assignment.user_id,
                kind="training-assigned",
                message=gettext_noop("New training: %(course)s, due %(date)s."),
                params={"course": course.title, "date": due_date.isoformat()},
                link=assignment.get_absolute_url(),
                dedupe_key=f"training-assigned:{assignment.pk}",
            )
            for assignment in created
        ]
    )
    transaction.on_commit(lambda: assignments_created.send(sender=Assignment, assignments=created))
    return created


def material_mark_done(*, assignment: Assignment, material: Material, actor) -> Assignment:
    """The assignee marks one material done (again: nothing changes); completes the assignment when it now is."""
    if actor.pk != assignment.user_id:
        raise PermissionDenied(_("Only the person it is assigned to marks their learning done."))
    if material.course_id != assignment.course_id:
        raise ValidationError({"material": _("This material is not part of the assigned course.")})
    with transaction.atomic():
        MaterialProgress.objects.bulk_create(
            [MaterialProgress(assignment=assignment, material=material)], ignore_conflicts=True
        )
        assignment_refresh(assignment)
    assignment.refresh_from_db()
    return assignment


def assignments_notify_overdue(*, now: dt.datetime | None = None) -> int:
    """Tell the assignee and the team's supervisors about each open assignment past its due date (judged in the
    team's time zone), once per assignment. Returns how many assignments were newly claimed.

    Safe to run twice or concurrently: each batch locks its rows (SKIP LOCKED lets another worker take other
    rows), the UPDATE claims only rows still unclaimed, and the notices are deduplicated per assignment.
    """
    now = now or timezone.now()
    unclaimed = Assignment.objects.filter(completed_at__isnull=True, overdue_notified_at__isnull=True)
    # No time zone is more than 14 hours ahead of UTC: nothing due on or after that date can be overdue yet.
    candidates = unclaimed.filter(due_date__lt=(now + dt.timedelta(hours=14)).date())
    zones = dict(Team.objects.filter(pk__in=candidates.values("team_id")).values_list("pk", "timezone"))
    claimed_total = 0
    for team_id, zone_name in zones.items():
        overdue = unclaimed.filter(team_id=team_id, due_date__lt=local_today(zone_name, now))
        while True:
            with transaction.atomic():
                batch = list(
                    overdue.order_by("due_date", "id")
                    .select_for_update(skip_locked=True)
                    .values_list("pk", flat=True)[:OVERDUE_BATCH]
                )
                if not batch:
                    break
                claimed_total += Assignment.objects.filter(pk__in=batch, overdue_notified_at__isnull=True).update(
                    overdue_notified_at=now, updated_at=now
                )
                _notify_overdue(batch)
            if len(batch) < OVERDUE_BATCH:
                break
    return claimed_total


def _notify_overdue(assignment_ids: list[int]) -> int:
    assignments = list(Assignment.objects.filter(pk__in=assignment_ids).select_related("course", "user"))
    supervisors_of: dict[int, set[int]] = defaultdict(set)
    for team_id, user_id in Membership.objects.filter(
        team_id__in={assignment.team_id for assignment in assignments}, role=Role.SUPERVISOR, active=True
    ).values_list("team_id", "user_id"):
        supervisors_of[team_id].add(user_id)
    outgoing = []
    for assignment in assignments:
        params = {
            "course": assignment.course.title,
            "date": assignment.due_date.isoformat(),
            "person": _name(assignment.user),
        }
        outgoing.append(
            Outgoing(
                recipient_id=assignment.user_id,
                kind="training-overdue",
                message=gettext_noop("Overdue training: %(course)s was due on %(date)s."),
                params=params,
                link=assignment.get_absolute_url(),
                dedupe_key=f"training-overdue:{assignment.pk}",
            )
        )
        outgoing += [
            Outgoing(
                recipient_id=supervisor_id,
                kind="training-overdue-team",
                message=gettext_noop("%(person)s has not completed %(course)s, due on %(date)s."),
                params=params,
                link=assignment.get_absolute_url(),
                dedupe_key=f"training-overdue:{assignment.pk}",
            )
            for supervisor_id in supervisors_of[assignment.team_id]
            if supervisor_id != assignment.user_id
        ]
    return notifications_send(outgoing=outgoing)
