"""Reads for people and structure, always narrowed by teams.policy."""

from datetime import date

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When

from teams import policy
from teams.models import Membership, Responsibility, Role, Shift, Shop, Team

_ROLE_RANK = Case(
    *(
        When(role=role, then=Value(rank))
        for rank, role in enumerate([Role.MANAGER, Role.SUPERVISOR, Role.QA, Role.AGENT])
    ),
    output_field=IntegerField(),
)


def teams_with_member_counts() -> QuerySet[Team]:
    """Every team with its parent and active head count; callers narrow it by policy."""
    return (
        Team.objects.select_related("parent")
        .annotate(active_member_count=Count("memberships", filter=Q(memberships__active=True)))
        .order_by("name", "id")
    )


def team_list(*, user) -> QuerySet[Team]:
    return policy.scope_queryset(user, teams_with_member_counts(), team_field="id")


def membership_list(*, user) -> QuerySet[Membership]:
    return policy.scope_queryset(user, Membership.objects.select_related("user", "team"))


def shop_list(*, user) -> QuerySet[Shop]:
    return policy.scope_queryset(user, Shop.objects.select_related("team"))


def team_shops(*, user, team: Team) -> QuerySet[Shop]:
    """Shops the team serves: its own and those of its department."""
    return shop_list(user=user).filter(Q(team=team) | Q(team_id=team.parent_id)).order_by("name")


def responsibility_list(*, user) -> QuerySet[Responsibility]:
    return policy.scope_queryset(user, Responsibility.objects.select_related("team", "owner", "backup"))


def shift_list(*, user) -> QuerySet[Shift]:
    return policy.scope_queryset(user, Shift.objects.select_related("team", "user"))


def team_roster(*, team: Team, on_date: date) -> QuerySet[Membership]:
    """Active and former members of one team, each with their shift on `on_date`."""
    shifts_that_day = Shift.objects.filter(team=team, date=on_date)
    return (
        Membership.objects.filter(team=team)
        .select_related("user")
        .prefetch_related(Prefetch("user__shifts", queryset=shifts_that_day, to_attr="shifts_that_day"))
        .order_by("-active", _ROLE_RANK, "position", "user__username")
    )


def team_responsibility_matrix(*, user, team: Team) -> QuerySet[Responsibility]:
    """The matrix of a team and, for a department, of the teams under it the user may read."""
    return responsibility_list(user=user).filter(Q(team=team) | Q(team__parent=team)).order_by("category", "team__name")


def user_memberships(*, user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, active=True).select_related("team").order_by("team__name")
