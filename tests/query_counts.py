"""Counting a request's queries as a cold server runs it: nothing in the cache (dashboard answers, unread
counts) and no API token remembered by the process. That is the figure that must not grow with the data."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.api.authentication import forget_tokens


def cold_start() -> None:
    cache.clear()
    forget_tokens()


def cold_queries(function) -> int:
    cold_start()
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)
