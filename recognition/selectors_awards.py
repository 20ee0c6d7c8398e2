"""Reading awards: which ones a person sees, and how much of a breakdown they see.

Everyone who reads a team (its members, its department's managers) sees the team's awards. The breakdown holds
colleagues' metrics, so only those who supervise the team (supervisors, QA inspectors, managers above) see every
candidate; anyone else sees the top of the table, the winner, the runner-up and their own row. On the rows of
others they also do not see "upheld auto-fail" (that is a private QA result); the count rules stay, since the
row shows the counts they follow from. The page and the API both go through `award_breakdown_for`.
"""

from django.db.models import QuerySet

from recognition.models import Award, AwardAudit, AwardKind
from teams import policy

TOP_ROWS = 3  # rows of the table everyone who sees the award sees
PRIVATE_REASONS = frozenset({"upheld_auto_fail"})


def award_list(*, user, team_id: int | None = None, kind: str = "", period: str = "") -> QuerySet[Award]:
    """Awards of the teams the user reads, newest period first, with what a list shows joined in."""
    awards = policy.scope_queryset(user, Award.objects.all()).select_related(
        "team", "winner", "runner_up", "granted_by"
    )
    if team_id is not None:
        awards = awards.filter(team_id=team_id)
    if kind:
        awards = awards.filter(kind=kind)
    if period:
        awards = awards.filter(period=period)
    return awards.order_by("-period_end", "-id")


def award_detail(*, user, award_id: int) -> Award:
    """One award the user may read; Award.DoesNotExist otherwise (a 404 for the caller)."""
    return award_list(user=user).get(pk=award_id)


def award_sees_every_candidate(user, award: Award) -> bool:
    return policy.can_supervise_team(user, award.team_id)


def award_breakdown_for(*, user, award: Award) -> dict:
    """The award's breakdown as this user may see it, with `hidden_candidates`: how many rows were left out."""
    breakdown = dict(award.breakdown or {})
    candidates = list(breakdown.get("candidates") or [])
    if award_sees_every_candidate(user, award):
        breakdown["candidates"] = candidates
        breakdown["hidden_candidates"] = 0
        return breakdown
    named = {
        breakdown.get("winner_id", award.winner_id),
        breakdown.get("runner_up_id", award.runner_up_id),
    } - {None}
    visible = []
    for row in candidates:
        own = row.get("agent_id") == user.pk
        if own or row.get("agent_id") in named or (row.get("rank") or TOP_ROWS + 1) <= TOP_ROWS:
            if not own:
                row = {**row, "ineligible": [r for r in row.get("ineligible") or [] if r not in PRIVATE_REASONS]}
            visible.append(row)
    breakdown["candidates"] = visible
    breakdown["hidden_candidates"] = len(candidates) - len(visible)
    return breakdown


def award_history(award: Award) -> QuerySet[AwardAudit]:
    """What happened to the award (granted, recomputed), for its page: who and when, not the numbers."""
    return award.audit.select_related("actor").order_by("created_at", "id")


def award_grant_teams(user):
    """Teams in which the user grants monthly and special awards: those they manage."""
    return policy.managed_teams(user).order_by("name")


GRANTABLE_KINDS = (AwardKind.MONTHLY, AwardKind.SPECIAL)
