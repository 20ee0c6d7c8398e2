"""Writing an audit entry: `audit_record(...)`, from receivers and the middleware (never from a view)."""

from audit.models import AuditEntry, AuditResult


def audit_record(
    action: str,
    *,
    actor=None,
    actor_name: str = "",
    team_id: int | None = None,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    result: str = AuditResult.OK,
    summary: str = "",
    detail: dict | None = None,
    ip: str | None = None,
) -> AuditEntry:
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_id, actor_name = actor.pk, actor_name or actor.get_username()
    else:
        actor_id = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return AuditEntry.objects.create(
        actor_id=actor_id,
        actor_name=actor_name[:150],
        action=action,
        result=result,
        team_id=team_id,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:300],
        detail=detail or {},
        ip=ip or None,
    )


def home_team_id(user) -> int | None:
    """The team a person's entries belong to: their first active membership (None for outsiders)."""
    from teams.models import Membership

    if user is None or not getattr(user, "pk", None):
        return None
    return (
        Membership.objects.filter(user_id=user.pk, active=True).order_by("id").values_list("team_id", flat=True).first()
    )
