from datetime import datetime

from django.db import DatabaseError, connection
from django.db.models import Max

from core.models import WorkerHeartbeat


def database_is_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def redis_is_reachable(redis_url: str) -> bool:
    import redis

    try:
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=2)
        return bool(client.ping())
    except redis.RedisError:
        return False


def last_worker_heartbeat() -> datetime | None:
    try:
        return WorkerHeartbeat.objects.aggregate(last=Max("last_seen_at"))["last"]
    except DatabaseError:  # e.g. a fresh database before `migrate`: report no heartbeat, not a crash
        return None
