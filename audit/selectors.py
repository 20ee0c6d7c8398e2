from django.db.models import Q, QuerySet

from audit.models import AuditEntry
from teams import policy


def audit_entries(*, user) -> QuerySet[AuditEntry]:
    """The entries of the teams the user leads (supervisors their teams, managers everything below them);
    administrators also see entries tied to no team (failed logins for unknown names)."""
    if not getattr(user, "is_authenticated", False):
        return AuditEntry.objects.none()
    scope = Q(team_id__in=policy.team_access(user).managed)
    if user.is_superuser:
        scope |= Q(team_id__isnull=True)
    return AuditEntry.objects.filter(scope)
