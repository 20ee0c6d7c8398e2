"""API rate limits as fixed-window counters.

DRF's SimpleRateThrottle keeps the time of every request of the window in the cache and reads and writes the
whole list on each request: work that grows with the rate (1,200 floats a request at 1,200 a minute). Here a
window is one counter (add or increment): the same limit, a constant cost. A client may send up to twice the
rate across a window boundary, which is the usual price of fixed windows.
"""

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle


class _FixedWindow:
    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        count = _count_in_window(self.cache, f"{self.key}:{window}", self.duration + 1)
        self._wait = (window + 1) * self.duration - now
        return count <= self.num_requests

    def wait(self) -> float:
        return self._wait


def _count_in_window(cache, key: str, seconds: int) -> int:
    counting = getattr(cache, "count_in_window", None)  # core.cache's Redis backend: one round trip
    if counting is not None:
        return counting(key, seconds)
    if cache.add(key, 1, seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, seconds)
        return 1


class UserThrottle(_FixedWindow, UserRateThrottle):
    """Per token (its user); anonymous requests fall back to their address."""


class AnonThrottle(_FixedWindow, AnonRateThrottle):
    """Per client address, for requests without a token (the token endpoint, say)."""


class WebhookThrottle(_FixedWindow, SimpleRateThrottle):
    """Per sending address, for chat tools posting events (the token in the URL is their credential)."""

    scope = "webhook"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
