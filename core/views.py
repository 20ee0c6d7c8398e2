from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import selectors


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers and ops: 200 when every required service answers."""
    database_ok = selectors.database_is_reachable()
    if settings.REDIS_URL:
        redis_status = "ok" if selectors.redis_is_reachable(settings.REDIS_URL) else "unreachable"
    else:
        redis_status = "not configured"  # embedded mode: Celery runs in-process
    heartbeat = selectors.last_worker_heartbeat() if database_ok else None
    healthy = database_ok and redis_status != "unreachable"
    body = {
        "status": "ok" if healthy else "error",
        "database": "ok" if database_ok else "unreachable",
        "redis": redis_status,
        "worker_last_seen_seconds": (round((timezone.now() - heartbeat).total_seconds()) if heartbeat else None),
    }
    return JsonResponse(body, status=200 if healthy else 503)
