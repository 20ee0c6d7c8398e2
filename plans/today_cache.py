"""The answer of /api/v1/me/today/ kept per person and language for MY_DAY_CACHE_SECONDS.

Integrations poll it every few minutes for every agent, and the figures in it only change when Celery
recomputes the metrics (kpi.tasks.metrics_refresh_task, every few minutes). The person's own plan, items, tasks
and unread count are never shown stale: every write to them forgets the answer (plans.receivers, the bulk writes
in plans.services, notifications' unread_changed), when it is written and again when its transaction commits.
"""

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

MY_DAY_CACHE_SECONDS = getattr(settings, "MY_DAY_CACHE_SECONDS", 30)


def _key(user_id: int, language: str) -> str:
    return f"me-today:{user_id}:{language}"


Answer = TypeVar("Answer")


def today_answer_cached(user_id: int, language: str, build: Callable[[], Answer]) -> Answer:
    if not MY_DAY_CACHE_SECONDS:
        return build()
    key = _key(user_id, language)
    answer = cache.get(key)
    if answer is None:
        answer = build()
        cache.set(key, answer, MY_DAY_CACHE_SECONDS)
    return answer


def today_answer_forget(user_ids: Iterable[int]) -> None:
    keys = [_key(user_id, code) for user_id in set(user_ids) for code, _name in settings.LANGUAGES]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
