"""The team-scoped API base: every list, detail and write goes through teams.policy.

Subclass TeamScopedViewSet and set `team_field` (the ORM path from the model to
its team) and, for private records, `owner_field`. The queryset is narrowed
before any lookup, so another team's object is a 404; writes need the right to
manage the object's team, checked before and after the change.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, permissions, serializers, viewsets

from teams import policy
from teams.models import Team


class TeamPolicyPermission(permissions.BasePermission):
    """Reads are decided by the scoped queryset; writes need a team the user manages."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if (view.lookup_url_kwarg or view.lookup_field) in view.kwargs:
            return True  # a detail write: a hidden object is a 404 first, then the object check
        return policy.team_access(request.user).manages_any

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return policy.can_change(request.user, obj, view.team_field)


class TeamScopedViewSet(viewsets.ModelViewSet):
    permission_classes = [permissions.IsAuthenticated, TeamPolicyPermission]
    team_field = "team"
    owner_field: str | None = None

    def get_queryset(self):
        return policy.scope_queryset(
            self.request.user, super().get_queryset(), team_field=self.team_field, owner_field=self.owner_field
        )

    def require_manages_team(self, team) -> None:
        """Refuse a write that would put the object into a team the user does not manage."""
        if team is not None and not policy.can_manage_team(self.request.user, team.pk):
            raise exceptions.PermissionDenied("You do not manage this team.")


@extend_schema_field(OpenApiTypes.INT)
class ReadableTeamField(serializers.PrimaryKeyRelatedField):
    """A team reference that only resolves teams the requester may read.

    Any other id answers "does not exist", so the API never confirms that
    another team's id is real.
    """

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Team.objects.none()
        return policy.readable_teams(request.user)


@extend_schema_field(OpenApiTypes.INT)
class ReadableMemberField(serializers.PrimaryKeyRelatedField):
    """A person reference that only resolves members of teams the requester may read."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return policy.users_in_teams([])
        return policy.users_in_teams(policy.team_access(request.user).readable)
