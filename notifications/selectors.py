from django.core.cache import cache
from django.db.models import QuerySet

from notifications.models import Notification
from notifications.unread import UNREAD_CACHE_SECONDS, unread_key


def notification_list(*, user) -> QuerySet[Notification]:
    """A person's own notifications, newest first; nobody reads anyone else's."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def unread_count(*, user) -> int:
    """Read on every page (the bell) and by /api/v1/me/today/: kept in the cache until a notification is sent
    to the person or read (notifications.services forget it)."""
    if not user.is_authenticated:
        return 0
    key = unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = notification_list(user=user).filter(read_at__isnull=True).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count
