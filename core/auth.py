"""Logging in: who is knocking (the client address recorded with login attempts), and the answer to a
username locked out after too many failed attempts.

Behind NUM_PROXIES trusted proxies, the address is the one the outermost of them saw (DRF's rule, the same the
API throttles use); with no proxy it is REMOTE_ADDR, whatever X-Forwarded-For a client sends.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext
from rest_framework.throttling import BaseThrottle


def client_ip(request) -> str:
    return BaseThrottle().get_ident(getattr(request, "_request", request))


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out username (AXES_LOCKOUT_CALLABLE): 429 with Retry-After, the login
    page's message in the reader's language, JSON for the API. It says the same for every username, known or
    not, so it tells nobody which accounts exist."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    message = ngettext(
        "Too many failed logins for this username. Try again in %(minutes)s minute.",
        "Too many failed logins for this username. Try again in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
