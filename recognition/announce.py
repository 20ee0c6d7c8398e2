"""Telling people about an award: the winner and the team in-app (idempotent per award and person), and the
team's outgoing webhook when it configured one (one delivery per award and URL, posted by Celery after the commit)."""

from django.utils.translation import gettext_noop

from notifications.services import Outgoing, notifications_send
from recognition import tasks_webhooks  # noqa: F401  (registers the delivery task: workers import this)
from recognition.models import Award
from recognition.webhooks import webhook_delivery_create
from teams.models import Membership


def award_announce(*, award: Award) -> int:
    """Notify the winner and every active member of the award's team, once each; returns how many are new.

    Then, when the team set a webhook URL, create the award's delivery (once) and enqueue it after the commit.
    """
    if award.winner_id is None:
        return 0
    members = Membership.objects.filter(team_id=award.team_id, active=True).values_list("user_id", flat=True)
    recipients = {award.winner_id, *members}
    link = award.get_absolute_url()
    params = {"winner": str(award.winner), "award": str(award.get_kind_display()), "period": award.period}
    outgoing = [
        Outgoing(
            recipient_id=user_id,
            kind="award",
            message=gettext_noop("You won: %(award)s %(period)s!")
            if user_id == award.winner_id
            else gettext_noop("%(winner)s won %(award)s %(period)s."),
            params=params,
            link=link,
            dedupe_key=f"award:{award.pk}",
        )
        for user_id in sorted(recipients)
    ]
    created = notifications_send(outgoing=outgoing)
    webhook_delivery_create(award=award)
    return created
