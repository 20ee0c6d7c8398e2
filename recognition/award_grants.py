"""Granting a monthly or a special award from the page or the API: the permission check, then the engine."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from recognition.models import Award, AwardKind
from teams import policy
from teams.models import Team


def award_grant(
    *, kind: str, team: Team, actor, month: str = "", replace: bool = False, winner=None, citation: str = ""
) -> Award:
    """A monthly award computed by the engine for `month` (YYYY-MM), or a special award with a citation.

    Only those who manage the team grant its awards. The engine (recognition.awards, imported here so this
    module does not depend on its import order) validates, stores the breakdown, audits and announces.
    """
    if not policy.can_manage_team(actor, team.pk):
        raise PermissionDenied(_("Only the team's supervisors and managers grant its awards."))
    from recognition import awards as engine

    if kind == AwardKind.MONTHLY:
        return engine.award_monthly_grant(team=team, month=month, actor=actor, replace=replace)
    if kind == AwardKind.SPECIAL:
        return engine.award_special_grant(team=team, winner=winner, citation=citation, actor=actor)
    raise ValueError(f"Awards of kind {kind!r} are not granted by hand.")
