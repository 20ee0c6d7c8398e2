from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_count


def notification_bell(request) -> dict:
    """The unread count for the bell in the layout, counted only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user=user))}
