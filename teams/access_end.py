"""A deactivated person is signed out everywhere: their API tokens are deleted and their sessions ended.

(Django already refuses an inactive user's session; deleting it keeps it from coming back if the account is
reactivated.) Connected in TeamsConfig.ready.
"""

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from rest_framework.authtoken.models import Token

from teams.models import User


def sessions_end(user) -> int:
    """Delete the user's live sessions; returns how many. Sessions are read one by one (their data is encoded),
    which is fine for a rare administrative act."""
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


@receiver(post_save, sender=get_user_model(), dispatch_uid="teams.sign_out_deactivated")
def sign_out_deactivated(sender, instance: User, created: bool, update_fields=None, **kwargs) -> None:
    if created or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    Token.objects.filter(user=instance).delete()
    sessions_end(instance)
