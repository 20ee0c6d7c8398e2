"""Records what a response says about the request: a refusal (403) or a file handed out (an export), and keeps
the request at hand for entries written by model signals during it."""

from audit.context import current_ip, current_request_reset, current_request_set
from audit.models import AuditAction, AuditResult
from audit.services import audit_record, home_team_id


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request_set(request)
        try:
            response = self.get_response(request)
            self._record(request, response)
            return response
        finally:
            current_request_reset(token)

    def _record(self, request, response) -> None:
        user = getattr(request, "user", None)
        actor = user if getattr(user, "is_authenticated", False) else None
        where = {"method": request.method, "path": request.path}
        if response.status_code == 403:
            audit_record(
                AuditAction.ACCESS_DENIED,
                actor=actor,
                team_id=home_team_id(actor),
                result=AuditResult.DENIED,
                summary=f"{request.method} {request.path}",
                detail=where,
                ip=current_ip(),
            )
        elif response.status_code == 200 and "attachment" in response.get("Content-Disposition", ""):
            audit_record(
                AuditAction.EXPORTED,
                actor=actor,
                team_id=_team_asked(request) or home_team_id(actor),
                summary=response["Content-Disposition"][:300],
                detail={**where, "query": request.GET.urlencode()[:500]},
                ip=current_ip(),
            )


def _team_asked(request) -> int | None:
    raw = request.GET.get("team", "")
    return int(raw) if raw.isdigit() else None
