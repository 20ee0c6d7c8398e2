"""API token authentication that remembers, for a few seconds and in this process only, whose a token is.

Every API request otherwise starts with a query for its token and user, which is a third of what a cached
dashboard answer costs. The remembered user is copied for each request (policy.team_access caches scopes on
the user object, and those must not outlive the request). A deleted or replaced token, or a user who was
deactivated or changed, is refused at once by the process that made the change and by every other process
within API_TOKEN_CACHE_SECONDS (10 s by default; 0 turns the memory off).
"""

import copy
import threading
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

TOKEN_CACHE_SECONDS = getattr(settings, "API_TOKEN_CACHE_SECONDS", 10)
_MOST_REMEMBERED = 10_000  # tokens; beyond it the memory starts again (a worker serves far fewer people)

_lock = threading.Lock()
_remembered: dict[str, tuple[float, object, Token]] = {}  # token key -> (expires, user, token)


class CachedTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        if not TOKEN_CACHE_SECONDS:
            return super().authenticate_credentials(key)
        now = time.monotonic()
        seen = _remembered.get(key)
        if seen is None or seen[0] <= now:
            user, token = super().authenticate_credentials(key)  # raises for unknown tokens and inactive users
            seen = (now + TOKEN_CACHE_SECONDS, user, token)
            with _lock:
                if len(_remembered) >= _MOST_REMEMBERED:
                    _remembered.clear()
                _remembered[key] = seen
        return copy.copy(seen[1]), seen[2]


def forget_tokens() -> None:
    with _lock:
        _remembered.clear()


@receiver([post_save, post_delete], sender=Token, dispatch_uid="core.api.forget_tokens_on_token_change")
@receiver([post_save, post_delete], sender=get_user_model(), dispatch_uid="core.api.forget_tokens_on_user_change")
def _forget_on_change(sender, **kwargs) -> None:
    forget_tokens()
