"""Granting awards: the weekly best agent (job and command), the monthly one and special ones (supervisors).

Exactly one weekly or monthly award per team and period, however often and however concurrently a
grant runs: the insert is guarded by the unique constraint (team, kind, period); a grant that loses
the race, or finds the award already there, returns the existing award unchanged. Only `replace=True`
recomputes an existing award, keeping what it had before in an AwardAudit entry. Every grant writes
an AwardAudit "granted" entry and announces the award once its transaction has committed.
"""

import datetime as dt
import functools
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from recognition.announce import award_announce
from recognition.awards.computation import award_period_compute
from recognition.awards.periods import Period, check_period_ended, due_week, local_now, month_period, week_period
from recognition.models import Award, AwardAudit, AwardKind
from teams import policy
from teams.models import Membership, Role, Team

logger = logging.getLogger(__name__)

CITATION_MAX_LENGTH = 2000


class AwardAction:
    GRANTED = "granted"
    KEPT = "kept"  # not an audit action: the award was already there and stays as it is
    REPLACED = "replaced"


@dataclass(frozen=True)
class GrantOutcome:
    award: Award
    action: str  # AwardAction


class AwardsRunError(RuntimeError):
    """Some teams' weekly awards failed (the others were granted)."""


def award_weekly_grant(
    *, team: Team, week: str, replace: bool = False, actor=None, now: dt.datetime | None = None
) -> Award:
    """The team's best agent of an ISO week ("2026-W47", Monday to Sunday in the team's time zone).

    `actor` is None for the weekly job and the command; a person must supervise the team.
    """
    return award_period_grant(
        team=team, kind=AwardKind.WEEKLY, period=week_period(week), replace=replace, actor=actor, now=now
    ).award


def award_monthly_grant(
    *, team: Team, month: str, actor, replace: bool = False, now: dt.datetime | None = None
) -> Award:
    """The team's best agent of a month ("2026-11"), granted by a supervisor once the month has ended."""
    _require_award_manager(actor, team)
    return award_period_grant(
        team=team, kind=AwardKind.MONTHLY, period=month_period(month), replace=replace, actor=actor, now=now
    ).award


def award_period_grant(
    *, team: Team, kind: str, period: Period, replace: bool = False, actor=None, now: dt.datetime | None = None
) -> GrantOutcome:
    """Grant the weekly or monthly award of a period that has ended; says whether it granted, kept or replaced."""
    field = "week" if kind == AwardKind.WEEKLY else "month"
    if actor is not None:
        _require_award_manager(actor, team)
    check_period_ended(team, period, field, now)
    existing = _existing(team, kind, period)
    if existing is not None and not replace:
        return GrantOutcome(existing, AwardAction.KEPT)
    with transaction.atomic():
        if existing is not None:
            return GrantOutcome(_replace(existing, actor), AwardAction.REPLACED)
        breakdown = award_period_compute(team=team, kind=kind, period_start=period.start, period_end=period.end)
        try:
            with transaction.atomic():  # a savepoint: losing the race must not spoil the outer transaction
                award = Award.objects.create(
                    team=team,
                    kind=kind,
                    period=period.label,
                    period_start=period.start,
                    period_end=period.end,
                    granted_by=actor,
                    **_result_fields(breakdown),
                )
        except IntegrityError:
            # Another run granted it meanwhile (on PostgreSQL the insert waited for it to commit).
            existing = _existing(team, kind, period)
            if existing is None:
                raise
            if not replace:
                return GrantOutcome(existing, AwardAction.KEPT)
            return GrantOutcome(_replace(existing, actor), AwardAction.REPLACED)
        AwardAudit.objects.create(
            award=award, team=team, action=AwardAction.GRANTED, actor=actor, after=_snapshot(award)
        )
        _announce_after_commit(award)
    return GrantOutcome(award, AwardAction.GRANTED)


@transaction.atomic
def award_special_grant(*, team: Team, winner, citation: str, actor) -> Award:
    """A supervisor's special award to an active member of the team, with a citation saying why.

    Sending the same award twice (a double-clicked form) on the same day grants it once.
    """
    _require_award_manager(actor, team)
    citation = (citation or "").strip()
    if not citation:
        raise ValidationError({"citation": _("Say why this person gets the award.")})
    if len(citation) > CITATION_MAX_LENGTH:
        raise ValidationError(
            {"citation": _("Keep the citation under %(count)d characters.") % {"count": CITATION_MAX_LENGTH}}
        )
    if winner is None or not Membership.objects.filter(team=team, user_id=winner.pk, active=True).exists():
        raise ValidationError({"winner": _("The winner must be an active member of the team.")})
    Team.objects.select_for_update().filter(pk=team.pk).first()  # one special grant of a team at a time
    today = local_now(team).date()
    duplicate = Award.objects.filter(
        team=team, kind=AwardKind.SPECIAL, winner_id=winner.pk, citation=citation, period_end=today
    ).first()
    if duplicate is not None:
        return duplicate
    award = Award.objects.create(
        team=team,
        kind=AwardKind.SPECIAL,
        period="",
        period_start=today,
        period_end=today,
        winner=winner,
        citation=citation,
        granted_by=actor,
    )
    AwardAudit.objects.create(award=award, team=team, action=AwardAction.GRANTED, actor=actor, after=_snapshot(award))
    _announce_after_commit(award)
    return award


def awards_weekly_run(*, now: dt.datetime | None = None) -> int:
    """Grant each team's last week's award where it is due and missing; returns how many were granted.

    A week is due from Monday WEEKLY_DUE_HOUR:00 in the team's own time zone. Teams without active
    agents get none. Each team's grant is its own transaction, so a killed run leaves only whole awards
    and the next run grants the rest; a team that fails does not stop the others, and the run then fails
    as a whole so the job shows up as failed. Awards whose announcement was lost (a worker killed right
    after the commit) are announced again; announcing is idempotent.
    """
    teams = list(teams_with_agents())
    due = {team.pk: due_week(team, now) for team in teams}
    awards = {
        (team_id, period): (pk, announced_at)
        for team_id, period, pk, announced_at in Award.objects.filter(
            kind=AwardKind.WEEKLY, team_id__in=due, period__in={period.label for period in due.values()}
        ).values_list("team_id", "period", "pk", "announced_at")
    }
    granted, failed = 0, []
    for team in teams:
        period = due[team.pk]
        found = awards.get((team.pk, period.label))
        try:
            if found is None:
                outcome = award_period_grant(team=team, kind=AwardKind.WEEKLY, period=period, now=now)
                granted += outcome.action == AwardAction.GRANTED
            elif found[1] is None:
                award_announce_now(award_id=found[0])
        except Exception:
            logger.exception("The weekly award of team %s for %s failed", team.pk, period.label)
            failed.append(team.pk)
    if failed:
        raise AwardsRunError(f"Weekly awards of teams {failed} failed; {granted} were granted for the others.")
    return granted


def teams_with_agents() -> QuerySet[Team]:
    """The teams the weekly award is for: those with at least one active agent."""
    agents = Membership.objects.filter(role=Role.AGENT, active=True, user__is_active=True)
    return Team.objects.filter(pk__in=agents.values("team_id")).order_by("pk")


def award_announce_now(*, award_id: int) -> None:
    """Announce an award (in-app, and whatever recognition.announce adds) and note when; safe to repeat."""
    award = Award.objects.select_related("team", "winner").get(pk=award_id)
    award_announce(award=award)
    Award.objects.filter(pk=award_id, announced_at__isnull=True).update(announced_at=timezone.now())


# --- helpers ------------------------------------------------------------------------------------


def _require_award_manager(actor, team: Team) -> None:
    if not policy.can_manage_team(actor, team.pk):
        raise PermissionDenied(_("Only the team's supervisors grant its awards."))


def _existing(team: Team, kind: str, period: Period) -> Award | None:
    return Award.objects.filter(team=team, kind=kind, period=period.label).first()


def _replace(award: Award, actor) -> Award:
    """Recompute an existing award in place (inside the caller's transaction), auditing before and after."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    before = _snapshot(award, with_breakdown=True)
    breakdown = award_period_compute(
        team=award.team, kind=award.kind, period_start=award.period_start, period_end=award.period_end
    )
    winner_changed = breakdown["winner_id"] != award.winner_id
    for name, value in _result_fields(breakdown).items():
        setattr(award, name, value)
    if winner_changed:
        award.announced_at = None
    award.save()
    AwardAudit.objects.create(
        award=award,
        team_id=award.team_id,
        action=AwardAction.REPLACED,
        actor=actor,
        before=before,
        after=_snapshot(award),
    )
    if winner_changed:
        _announce_after_commit(award)
    return award


def _result_fields(breakdown: dict) -> dict:
    winner = next((c for c in breakdown["candidates"] if c["agent_id"] == breakdown["winner_id"]), None)
    margin = breakdown["margin"]
    return {
        "winner_id": breakdown["winner_id"],
        "runner_up_id": breakdown["runner_up_id"],
        "score": _decimal(winner["total"]) if winner else None,
        "margin": _decimal(margin) if margin is not None else None,
        "breakdown": breakdown,
    }


def _decimal(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.0001"))  # as the column stores it


def _snapshot(award: Award, *, with_breakdown: bool = False) -> dict:
    """What an audit entry keeps of an award; the full breakdown for the state that is being replaced."""
    snapshot = {
        "winner_id": award.winner_id,
        "score": None if award.score is None else str(award.score),
        "runner_up_id": award.runner_up_id,
        "margin": None if award.margin is None else str(award.margin),
        "no_winner_reason": award.breakdown.get("no_winner_reason", ""),
    }
    if award.citation:
        snapshot["citation"] = award.citation
    if with_breakdown:
        snapshot["breakdown"] = award.breakdown
    return snapshot


def _announce_after_commit(award: Award) -> None:
    # robust: a failing announcement must not fail the grant; announced_at stays empty and the next
    # weekly run announces it again.
    transaction.on_commit(functools.partial(award_announce_now, award_id=award.pk), robust=True)
