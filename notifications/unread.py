"""The cached count of a person's unread notifications: its key and its forgetting.

The count is forgotten when the change is written and again when its transaction commits: a request
that reads the old count in between would otherwise keep it in the cache until it expires.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from notifications.signals import unread_changed

UNREAD_CACHE_SECONDS = getattr(settings, "NOTIFICATIONS_UNREAD_CACHE_SECONDS", 300)


def unread_key(user_id: int) -> str:
    return f"notifications-unread:{user_id}"


def unread_forget(user_ids: Iterable[int]) -> None:
    people = set(user_ids)
    if not people:
        return
    keys = [unread_key(user_id) for user_id in people]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
    unread_changed.send(sender=None, user_ids=people)
