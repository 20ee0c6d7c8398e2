"""The one permission policy: what a user may see and change.

Used by the API base class and by the browser pages alike, so both answer the
same. Rules (roles are per team, from active memberships):

- manager: reads, supervises and manages their team and every team under it;
- supervisor: reads, supervises and manages their own team;
- qa inspector: reads and supervises (sees everyone's records in) their own team;
- agent: reads their own team's public information and only their own records.

Everyone also reads the public information of the departments above their
teams (name, vision). Superusers see and manage everything; inactive users nothing.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet

from teams.models import Membership, Role, Team

_CACHE_ATTRIBUTE = "_team_access"


@dataclass(frozen=True)
class TeamAccess:
    readable: frozenset[int]  # team public info: the team, roster, shops, matrix, shifts
    supervised: frozenset[int]  # every member's own records (chats, metrics, reviews)
    managed: frozenset[int]  # may change the roster and configuration

    @property
    def manages_any(self) -> bool:
        return bool(self.managed)


NO_ACCESS = TeamAccess(frozenset(), frozenset(), frozenset())


def team_access(user) -> TeamAccess:
    """The user's team scopes, computed once per user object (two queries)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_ACCESS
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = _compute_access(user)
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def forget_team_access(user) -> None:
    """Drop the cached scopes after the user's memberships changed."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def _compute_access(user) -> TeamAccess:
    parent_of = dict(Team.objects.values_list("id", "parent_id"))
    if user.is_superuser:
        everything = frozenset(parent_of)
        return TeamAccess(everything, everything, everything)

    children_of: dict[int, list[int]] = defaultdict(list)
    for team_id, parent_id in parent_of.items():
        if parent_id is not None:
            children_of[parent_id].append(team_id)

    readable: set[int] = set()
    supervised: set[int] = set()
    managed: set[int] = set()
    memberships = Membership.objects.filter(user=user, active=True).values_list("team_id", "role")
    for team_id, role in memberships:
        readable |= _with_ancestors(team_id, parent_of)
        if role == Role.MANAGER:
            subtree = _subtree(team_id, children_of)
            readable |= subtree
            supervised |= subtree
            managed |= subtree
        elif role == Role.SUPERVISOR:
            supervised.add(team_id)
            managed.add(team_id)
        elif role == Role.QA:
            supervised.add(team_id)
    return TeamAccess(frozenset(readable), frozenset(supervised), frozenset(managed))


def _with_ancestors(team_id: int, parent_of: dict[int, int | None]) -> set[int]:
    seen: set[int] = set()
    current: int | None = team_id
    while current is not None and current not in seen:
        seen.add(current)
        current = parent_of.get(current)
    return seen


def _subtree(team_id: int, children_of: dict[int, list[int]]) -> set[int]:
    seen: set[int] = set()
    stack = [team_id]
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(children_of.get(current, ()))
    return seen


def team_id_of(obj: Model, team_field: str = "team") -> int | None:
    """The id of the team an object belongs to, following `team_field` like an ORM lookup."""
    *path, last = team_field.split("__")
    for attribute in path:
        obj = getattr(obj, attribute)
        if obj is None:
            return None
    if last in ("id", "pk"):
        return obj.pk
    return getattr(obj, f"{last}_id")


def scope_queryset(user, queryset: QuerySet, *, team_field: str = "team", owner_field: str | None = None) -> QuerySet:
    """Narrow a queryset to what the user may read.

    Without `owner_field` every row of a readable team is visible (team public
    information). With it, rows are private: visible to those who supervise the
    team, and otherwise only to the person named by `owner_field`.
    """
    access = team_access(user)
    in_readable_team = Q(**{f"{team_field}__in": access.readable})
    if owner_field is None:
        return queryset.filter(in_readable_team)
    supervised = Q(**{f"{team_field}__in": access.supervised})
    own = Q(**{owner_field: user.pk})
    return queryset.filter(in_readable_team & (supervised | own))


def can_read_team(user, team_id: int | None) -> bool:
    return team_id in team_access(user).readable


def can_supervise_team(user, team_id: int | None) -> bool:
    return team_id in team_access(user).supervised


def can_manage_team(user, team_id: int | None) -> bool:
    return team_id in team_access(user).managed


def can_change(user, obj: Model, team_field: str = "team") -> bool:
    return can_manage_team(user, team_id_of(obj, team_field))


def may_grant_role(user, team: Team, role: str) -> bool:
    """Who may make someone a member of `team` with `role`.

    Anyone who manages the team may add agents, QA inspectors and supervisors; the
    manager role widens a person's reach to every team below, so only someone who
    manages the team's parent department (or an administrator) grants it.
    """
    if not can_manage_team(user, team.pk):
        return False
    if role != Role.MANAGER:
        return True
    return user.is_superuser or (team.parent_id is not None and can_manage_team(user, team.parent_id))


def may_move_team(user, team: Team, new_parent: Team | None) -> bool:
    """Moving a team needs the right to manage its new department; making it top-level is for administrators."""
    if new_parent is None:
        return user.is_superuser
    return can_manage_team(user, new_parent.pk)


def readable_teams(user) -> QuerySet[Team]:
    return Team.objects.filter(id__in=team_access(user).readable)


def managed_teams(user) -> QuerySet[Team]:
    return Team.objects.filter(id__in=team_access(user).managed)


def users_in_teams(team_ids: Iterable[int]):
    """Users with an active membership in any of the teams."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(memberships__team_id__in=list(team_ids), memberships__active=True).distinct()
