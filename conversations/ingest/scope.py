"""Which teams a batch may write into, and where its agents and shops come from."""

from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Lower

from conversations.ingest.errors import IngestError
from conversations.models import Conversation, ExternalIdentity
from teams import policy
from teams.models import Membership, Role, Shop, Team


@dataclass(frozen=True)
class IngestScope:
    writable_team_ids: frozenset[int]  # conversations may only land in these teams
    shop_team_ids: frozenset[int]  # shops of these teams may be named
    default_team_id: int | None = None  # for conversations nobody is assigned to (webhooks, imports)


def scope_for_user(user) -> IngestScope:
    access = policy.team_access(user)
    return IngestScope(writable_team_ids=access.managed, shop_team_ids=access.readable)


def scope_for_team(team: Team) -> IngestScope:
    """An integration or an import bound to one team: its shops and those of the departments above."""
    lineage = set()
    current: Team | None = team
    while current is not None and current.pk not in lineage:
        lineage.add(current.pk)
        current = current.parent
    return IngestScope(frozenset({team.pk}), frozenset(lineage), default_team_id=team.pk)


_AGENT_ROLE_FIRST = Case(When(role=Role.AGENT, then=Value(0)), default=Value(1), output_field=IntegerField())


def resolve_people_and_shops(cleaned: list[dict | None], scope: IngestScope) -> list[IngestError]:
    """Fill in `team_id`, `agent_id` and `shop_id` on every valid item, in three queries."""
    valid = [(index, item) for index, item in enumerate(cleaned) if item is not None]
    handles = {(item["source"], item["agent"]) for _, item in valid if item["agent"]}
    shop_codes = {item["shop"] for _, item in valid if item["shop"]}

    by_identity = {
        (source, ref): (user_id, team_id)
        for source, ref, user_id, team_id in ExternalIdentity.objects.filter(
            source__in={source for source, _ in handles},
            external_ref__in={handle for _, handle in handles},
            team_id__in=scope.writable_team_ids,
            user__is_active=True,
            # the person must still be an active member of the team the identity belongs to
            user__memberships__team_id=F("team_id"),
            user__memberships__active=True,
        ).values_list("source", "external_ref", "user_id", "team_id")
    }
    # A handle may also be a member's username or e-mail address (Chatwoot names assignees by e-mail).
    plain_handles = {handle for _, handle in handles}
    by_username: dict[str, tuple[int, int]] = {}
    memberships = (
        Membership.objects.annotate(email_lower=Lower("user__email"))
        .filter(
            Q(user__username__in=plain_handles) | Q(email_lower__in={handle.lower() for handle in plain_handles}),
            team_id__in=scope.writable_team_ids,
            active=True,
            user__is_active=True,
        )
        .order_by(_AGENT_ROLE_FIRST, "team_id")
        .values_list("user__username", "email_lower", "user_id", "team_id")
    )
    for username, email, user_id, team_id in memberships:
        by_username.setdefault(username, (user_id, team_id))
        if email:
            by_username.setdefault(email, (user_id, team_id))
    shops = dict(Shop.objects.filter(code__in=shop_codes, team_id__in=scope.shop_team_ids).values_list("code", "id"))

    errors = []
    for index, item in valid:
        item["shop_id"] = None
        if item["shop"]:
            item["shop_id"] = shops.get(item["shop"])
            if item["shop_id"] is None:
                errors.append(IngestError(index, "shop", f"Unknown shop {item['shop']!r}."))
        if item["agent"]:
            found = (
                by_identity.get((item["source"], item["agent"]))
                or by_username.get(item["agent"])
                or by_username.get(item["agent"].lower())
            )
            if found is None:
                message = f"Unknown agent {item['agent']!r}: no such member in the teams you may write to."
                errors.append(IngestError(index, "agent", message))
                continue
            item["agent_id"], item["team_id"] = found
        elif scope.default_team_id is not None:
            item["agent_id"], item["team_id"] = None, scope.default_team_id
        else:
            errors.append(IngestError(index, "agent", "This field is required."))
    return errors


def reject_foreign_conversations(cleaned: list[dict | None], scope: IngestScope) -> list[IngestError]:
    """A known (source, external_id) that lives in a team outside the scope may not be overwritten or moved."""
    keys = {(item["source"], item["external_id"]) for item in cleaned if item is not None}
    if not keys:
        return []
    foreign = set()
    for source in {source for source, _ in keys}:
        foreign |= set(
            Conversation.objects.filter(
                source=source, external_id__in=[external_id for s, external_id in keys if s == source]
            )
            .exclude(team_id__in=scope.writable_team_ids)
            .values_list("source", "external_id")
        )
    return [
        IngestError(index, "external_id", "This conversation already belongs to a team you may not write to.")
        for index, item in enumerate(cleaned)
        if item is not None and (item["source"], item["external_id"]) in foreign
    ]
