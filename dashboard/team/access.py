"""Who may open a team's dashboard: those who supervise the team (supervisors, QA inspectors, managers above it)."""

from django.db.models import Exists, OuterRef, QuerySet

from teams import policy
from teams.models import Team


def dashboard_teams(user) -> QuerySet[Team]:
    """The teams whose dashboard the user may open: teams first, departments after, each by name."""
    supervised = policy.team_access(user).supervised
    return (
        Team.objects.filter(pk__in=supervised)
        .annotate(is_department=Exists(Team.objects.filter(parent=OuterRef("pk"))))
        .order_by("is_department", "name", "pk")
    )


def dashboard_team(user, team_id: int | None) -> Team:
    """The team if the user may open its dashboard (without an id: their first); Team.DoesNotExist otherwise,
    so an outsider learns nothing."""
    if team_id is None:
        team = dashboard_teams(user).first()
        if team is None:
            raise Team.DoesNotExist
        return team
    if not policy.can_supervise_team(user, team_id):
        raise Team.DoesNotExist
    return Team.objects.get(pk=team_id)
