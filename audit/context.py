"""The request being served, for entries written by model signals (whose senders know no request). A contextvar
is per thread and per task, so concurrent requests never see each other's. Celery tasks have none: the system
acts."""

import contextvars

from core.auth import client_ip

_current_request = contextvars.ContextVar("audit_current_request", default=None)


def current_request_set(request):
    return _current_request.set(request)


def current_request_reset(token) -> None:
    _current_request.reset(token)


def current_actor():
    """The person of the request in progress (read late: DRF authenticates a token inside the view)."""
    request = _current_request.get()
    user = getattr(request, "user", None) if request is not None else None
    return user if getattr(user, "is_authenticated", False) else None


def current_ip() -> str | None:
    request = _current_request.get()
    return client_ip(request) if request is not None else None
