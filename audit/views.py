"""The audit log page: the last entries of the teams one leads, filtered by action and day."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from audit.models import AuditAction
from audit.selectors import audit_entries
from teams import policy


@login_required
@require_safe
def audit_log(request):
    if not (policy.team_access(request.user).managed or request.user.is_superuser):
        raise PermissionDenied
    entries = audit_entries(user=request.user).order_by("-at", "-id")
    action = request.GET.get("action", "")
    if action in AuditAction.values:
        entries = entries.filter(action=action)
    day = request.GET.get("date", "")
    if day:
        entries = entries.filter(at__date=day) if _is_date(day) else entries.none()
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(
        request, "audit/log.html", {"page": page, "actions": AuditAction.choices, "action": action, "date": day}
    )


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True
