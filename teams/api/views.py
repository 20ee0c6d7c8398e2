from collections.abc import Callable

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, generics, status
from rest_framework.response import Response

from teams import policy, selectors, services
from teams.api import filters, serializers
from teams.api.scoping import TeamScopedViewSet
from teams.models import Membership, Responsibility, Shift, Shop


@extend_schema_view(
    list=extend_schema(summary="List the teams you can see"),
    create=extend_schema(summary="Create a team under a department you manage"),
)
@extend_schema(tags=["teams"])
class TeamViewSet(TeamScopedViewSet):
    serializer_class = serializers.TeamSerializer
    filterset_class = filters.TeamFilter
    search_fields = ["name"]
    ordering_fields = ["name", "id"]
    team_field = "id"
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    queryset = selectors.teams_with_member_counts()

    def perform_create(self, serializer):
        parent = serializer.validated_data.get("parent")
        if parent is None and not self.request.user.is_superuser:
            raise exceptions.PermissionDenied("Only an administrator creates a top-level department.")
        self.require_manages_team(parent)
        serializer.instance = services.team_create(**serializer.validated_data)

    def perform_update(self, serializer):
        team, data = serializer.instance, serializer.validated_data
        if (
            "parent" in data
            and data["parent"] != team.parent
            and not policy.may_move_team(self.request.user, team, data["parent"])
        ):
            raise exceptions.PermissionDenied("You may only move a team into a department you manage.")
        serializer.instance = services.team_update(team=team, data=data)


@extend_schema(tags=["members"])
@extend_schema_view(
    create=extend_schema(
        summary="Create a person and their membership in one call",
        request=serializers.MemberCreateSerializer,
        responses={201: serializers.MemberSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a member's role, position, display name or active flag",
        request=serializers.MemberUpdateSerializer,
        responses={200: serializers.MemberSerializer},
    ),
)
class MemberViewSet(TeamScopedViewSet):
    """Team rosters. Deactivate a member with `PATCH {"active": false}`; history is kept."""

    serializer_class = serializers.MemberSerializer
    filterset_class = filters.MemberFilter
    search_fields = ["user__username", "user__display_name"]
    ordering_fields = ["user__username", "role", "position", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    queryset = Membership.objects.select_related("user", "team")

    def create(self, request, *args, **kwargs):
        payload = serializers.MemberCreateSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        self._require_may_grant(payload.validated_data["team"], payload.validated_data["role"])
        membership = services.member_create(**payload.validated_data)
        return Response(self.get_serializer(membership).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        membership = self.get_object()
        payload = serializers.MemberUpdateSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        if "role" in payload.validated_data and payload.validated_data["role"] != membership.role:
            self._require_may_grant(membership.team, payload.validated_data["role"])
        membership = services.membership_update(membership=membership, data=payload.validated_data)
        return Response(self.get_serializer(membership).data)

    def _require_may_grant(self, team, role) -> None:
        self.require_manages_team(team)
        if not policy.may_grant_role(self.request.user, team, role):
            raise exceptions.PermissionDenied("Only a manager of the department above grants the manager role.")


class _ConfigViewSet(TeamScopedViewSet):
    """Shops, responsibilities and shifts: created and changed through their services."""

    create_service: Callable
    update_service: Callable
    instance_argument: str

    def perform_create(self, serializer):
        self.require_manages_team(serializer.validated_data["team"])
        serializer.instance = self.create_service(**serializer.validated_data)

    def perform_update(self, serializer):
        self.require_manages_team(serializer.validated_data.get("team"))
        serializer.instance = self.update_service(
            **{self.instance_argument: serializer.instance, "data": serializer.validated_data}
        )


@extend_schema(tags=["shops"])
class ShopViewSet(_ConfigViewSet):
    queryset = Shop.objects.select_related("team")
    http_method_names = ["get", "post", "patch", "put", "head", "options"]  # deactivate, never delete
    serializer_class = serializers.ShopSerializer
    filterset_class = filters.ShopFilter
    search_fields = ["code", "name"]
    ordering_fields = ["name", "code", "id"]
    create_service = staticmethod(services.shop_create)
    update_service = staticmethod(services.shop_update)
    instance_argument = "shop"


@extend_schema(tags=["responsibilities"])
class ResponsibilityViewSet(_ConfigViewSet):
    """The responsibility matrix: which question category goes to which team and person."""

    queryset = Responsibility.objects.select_related("team", "owner", "backup")
    serializer_class = serializers.ResponsibilitySerializer
    filterset_class = filters.ResponsibilityFilter
    search_fields = ["category", "description"]
    ordering_fields = ["category", "id"]
    create_service = staticmethod(services.responsibility_create)
    update_service = staticmethod(services.responsibility_update)
    instance_argument = "responsibility"

    def perform_destroy(self, instance):
        services.responsibility_delete(responsibility=instance)


@extend_schema(tags=["shifts"])
class ShiftViewSet(_ConfigViewSet):
    """Who works which day and hours, in the team's local time."""

    queryset = Shift.objects.select_related("team", "user")
    serializer_class = serializers.ShiftSerializer
    filterset_class = filters.ShiftFilter
    ordering_fields = ["date", "start_time", "id"]
    create_service = staticmethod(services.shift_create)
    update_service = staticmethod(services.shift_update)
    instance_argument = "shift"

    def perform_destroy(self, instance):
        services.shift_delete(shift=instance)


@extend_schema(tags=["me"], summary="Who am I: my memberships and the teams I can see, supervise and manage")
class MeView(generics.RetrieveAPIView):
    serializer_class = serializers.MeSerializer

    def get_object(self):
        user = self.request.user
        access = policy.team_access(user)
        user.active_memberships = selectors.user_memberships(user=user)
        user.readable_team_ids = sorted(access.readable)
        user.supervised_team_ids = sorted(access.supervised)
        user.managed_team_ids = sorted(access.managed)
        return user
