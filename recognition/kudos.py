"""Kudos: a member thanks a colleague of a team they share, with a value tag and a short message.

Rules
- Giver and receiver are active members of a team they share; the kudos belongs to that team (with several
  shared teams the caller may name one, else the first by name). Nobody thanks themselves.
- The message is required and at most 280 characters; the value is one of KudosValue.
- Rate limits, by the local day of the kudos' team (its time zone): one kudos from a giver to the same
  receiver, and five from a giver in all. The giver's user row is locked (SELECT ... FOR UPDATE) before
  counting, so two sends by one giver run one after the other and the second one counts the first.
  Going over a limit raises KudosRateLimited: a ValidationError naming `receiver` (same person today) or
  NON_FIELD_ERRORS (five today), with `retry_after` seconds until the team's next local midnight.
- Kudos are public within their team: everyone who reads the team reads them.
- The receiver gets one notification per kudos (dedupe key "kudos:<id>").
"""

import datetime as dt
import re
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from notifications.services import Outgoing, notifications_send
from recognition.models import Kudos, KudosValue
from teams import policy
from teams.models import Membership, Team

MESSAGE_MAX_LENGTH = Kudos._meta.get_field("message").max_length  # 280
PER_RECEIVER_PER_DAY = 1
PER_GIVER_PER_DAY = 5
ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


class KudosRateLimited(ValidationError):
    """Too many kudos today; `retry_after` is the number of seconds until the limit resets."""

    def __init__(self, field: str, message: str, retry_after: int):
        super().__init__({field: message})
        self.retry_after = retry_after


# --- days and weeks in a team's time zone ----------------------------------------------------------


def local_day_bounds(zone_name: str, now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """The instants of today's local midnight and tomorrow's in the zone."""
    zone = zoneinfo.ZoneInfo(zone_name)
    today = (now or timezone.now()).astimezone(zone).date()
    start = dt.datetime.combine(today, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def local_range_bounds(zone_name: str, first_day: dt.date, last_day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the first day's local midnight to the midnight after the last day (exclusive)."""
    zone = zoneinfo.ZoneInfo(zone_name)
    start = dt.datetime.combine(first_day, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def parse_iso_week(text: str) -> dt.date:
    """The Monday of an ISO week written "2026-W47"; ValueError for anything else."""
    match = ISO_WEEK.match((text or "").strip())
    if match is None:
        raise ValueError(text)
    return dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)


def iso_week_label(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def current_week_start(zone_name: str, now: dt.datetime | None = None) -> dt.date:
    today = (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(zone_name)).date()
    return today - dt.timedelta(days=today.weekday())


# --- links ---------------------------------------------------------------------------------------


def wall_url(team_id: int | None = None) -> str:
    """The team wall (another part of the app) when it is installed, else the kudos list, for that team."""
    try:
        url = reverse("recognition-wall")
    except NoReverseMatch:
        url = reverse("recognition-kudos-list")
    return f"{url}?team={team_id}" if team_id else url


# --- giving --------------------------------------------------------------------------------------


def _shared_team_ids(giver_id: int, receiver_id: int) -> list[int]:
    giver_teams = Membership.objects.filter(user_id=giver_id, active=True).values("team_id")
    return list(
        Membership.objects.filter(user_id=receiver_id, active=True, team_id__in=giver_teams)
        .order_by("team__name", "team_id")
        .values_list("team_id", flat=True)
    )


def _validated_team(*, giver, receiver, team: Team | None) -> Team:
    if receiver.pk == giver.pk:
        raise ValidationError({"receiver": _("You cannot give kudos to yourself.")})
    shared = _shared_team_ids(giver.pk, receiver.pk) if receiver.is_active else []
    if not shared:
        raise ValidationError({"receiver": _("Choose a colleague who is an active member of one of your teams.")})
    if team is None:
        return Team.objects.get(pk=shared[0])
    if team.pk not in shared:
        raise ValidationError({"team": _("You and this colleague are not both members of this team.")})
    return team


def _clean_fields(value: str, message: str) -> str:
    errors = {}
    message = (message or "").strip()
    if value not in KudosValue.values:
        errors["value"] = _("Choose one of the values.")
    if not message:
        errors["message"] = _("Write a short message.")
    elif len(message) > MESSAGE_MAX_LENGTH:
        errors["message"] = _("A message has at most %(limit)s characters.") % {"limit": MESSAGE_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    return message


def _check_rate_limits(*, giver, receiver, team: Team) -> None:
    now = timezone.now()
    day_start, day_end = local_day_bounds(team.timezone, now)
    retry_after = max(1, int((day_end - now).total_seconds()))
    today = Kudos.objects.filter(giver_id=giver.pk, created_at__gte=day_start, created_at__lt=day_end).aggregate(
        total=Count("id"), to_receiver=Count("id", filter=Q(receiver_id=receiver.pk))
    )
    if today["to_receiver"] >= PER_RECEIVER_PER_DAY:
        raise KudosRateLimited(
            "receiver",
            _("You already gave %(name)s kudos today; you can thank them again tomorrow.") % {"name": receiver},
            retry_after,
        )
    if today["total"] >= PER_GIVER_PER_DAY:
        raise KudosRateLimited(
            NON_FIELD_ERRORS,
            _("You have given %(limit)s kudos today, the most for one day; give more tomorrow.")
            % {"limit": PER_GIVER_PER_DAY},
            retry_after,
        )


@transaction.atomic
def kudos_give(*, giver, receiver, value: str, message: str, team: Team | None = None) -> Kudos:
    """Thank a colleague; notifies the receiver. Raises ValidationError (KudosRateLimited over a limit)."""
    if not giver.is_active or not Membership.objects.filter(user_id=giver.pk, active=True).exists():
        raise PermissionDenied(_("Only active team members give kudos."))
    message = _clean_fields(value, message)
    team = _validated_team(giver=giver, receiver=receiver, team=team)
    # Serialise one giver's sends: whoever waits here counts the kudos the other one just committed.
    list(get_user_model().objects.select_for_update().filter(pk=giver.pk).values_list("pk", flat=True))
    _check_rate_limits(giver=giver, receiver=receiver, team=team)
    kudos = Kudos.objects.create(team=team, giver=giver, receiver=receiver, value=value, message=message)
    notifications_send(
        outgoing=[
            Outgoing(
                recipient_id=receiver.pk,
                kind="kudos",
                message=gettext_noop("%(giver)s gave you kudos: “%(message)s”"),
                params={"giver": str(giver), "message": message},
                link=wall_url(team.pk),
                dedupe_key=f"kudos:{kudos.pk}",
            )
        ]
    )
    return kudos


# --- reading -------------------------------------------------------------------------------------


def kudos_list(*, user) -> QuerySet[Kudos]:
    """Kudos of every team the user reads (kudos are public within their team), newest first."""
    return policy.scope_queryset(user, Kudos.objects.select_related("team", "giver", "receiver")).order_by(
        "-created_at", "-id"
    )


def kudos_in_week(kudos: QuerySet[Kudos], *, week_start: dt.date, team_ids) -> QuerySet[Kudos]:
    """Narrow to kudos sent in the ISO week starting `week_start`, each in its own team's local week."""
    week_end = week_start + dt.timedelta(days=6)
    teams_by_zone: dict[str, list[int]] = defaultdict(list)
    for team_id, zone_name in Team.objects.filter(id__in=list(team_ids)).values_list("id", "timezone"):
        teams_by_zone[zone_name].append(team_id)
    in_week = Q(pk__in=[])
    for zone_name, zone_team_ids in teams_by_zone.items():
        start, end = local_range_bounds(zone_name, week_start, week_end)
        in_week |= Q(team_id__in=zone_team_ids, created_at__gte=start, created_at__lt=end)
    return kudos.filter(in_week)


def kudos_counts(*, team_id: int, week_start: dt.date, week_end: dt.date) -> dict[int, dict[str, int]]:
    """Kudos received and given per person in the team, from week_start to week_end (local days, inclusive).

    Two GROUP BY queries (plus one for the team's time zone); people with no kudos are absent.
    """
    zone_name = Team.objects.values_list("timezone", flat=True).get(pk=team_id)
    start, end = local_range_bounds(zone_name, week_start, week_end)
    in_period = Kudos.objects.filter(team_id=team_id, created_at__gte=start, created_at__lt=end).order_by()
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"received": 0, "given": 0})
    for user_id, n in in_period.values_list("receiver_id").annotate(n=Count("id")):
        counts[user_id]["received"] = n
    for user_id, n in in_period.values_list("giver_id").annotate(n=Count("id")):
        counts[user_id]["given"] = n
    return dict(counts)


@dataclass(frozen=True)
class KudosCountRow:
    person: object  # a User
    received: int
    given: int


def kudos_count_rows(*, team_id: int, week_start: dt.date, week_end: dt.date) -> list[KudosCountRow]:
    """kudos_counts with the people loaded, most received first (then most given, then username)."""
    counts = kudos_counts(team_id=team_id, week_start=week_start, week_end=week_end)
    people = get_user_model().objects.in_bulk(list(counts))
    rows = [KudosCountRow(people[user_id], c["received"], c["given"]) for user_id, c in counts.items()]
    return sorted(rows, key=lambda row: (-row.received, -row.given, row.person.username))


def kudos_recent(*, team_id: int, limit: int = 10) -> list[Kudos]:
    """The team's latest kudos, for the team wall."""
    return list(
        Kudos.objects.filter(team_id=team_id).select_related("giver", "receiver").order_by("-created_at", "-id")[:limit]
    )


def colleagues(user, *, team_id: int | None = None) -> QuerySet:
    """People the user may thank: active members of the user's own teams (not of the teams above), not the user.

    With `team_id`, only that team's (empty unless the user is an active member of it).
    """
    own_teams = Membership.objects.filter(user_id=user.pk, active=True).values("team_id")
    if team_id is not None:
        own_teams = own_teams.filter(team_id=team_id)
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__active=True, memberships__team_id__in=own_teams)
        .exclude(pk=user.pk)
        .distinct()
        .order_by("display_name", "username")
    )
