"""A team's award settings: the eligibility rules and the outgoing webhook, changed by those who manage the team.

Changes are audited (AwardAudit without an award): eligibility decides who can win, so the team can see who
changed it and when. The secret never appears in the audit, only whether it changed.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from recognition.models import AwardAudit, AwardSettings
from teams import policy
from teams.models import Team

RULE_FIELDS = ("min_conversations", "min_qa_reviews", "exclude_upheld_auto_fail")
MAX_MINIMUM = 100_000
MIN_SECRET_LENGTH = 16


def award_settings_of(team: Team) -> AwardSettings:
    """The team's settings, or the defaults (unsaved) when it never changed them."""
    found = AwardSettings.objects.filter(team=team).first()
    return found if found is not None else AwardSettings(team=team)


def award_settings_update(
    *,
    team: Team,
    actor,
    min_conversations: int | None = None,
    min_qa_reviews: int | None = None,
    exclude_upheld_auto_fail: bool | None = None,
    webhook_url: str | None = None,
    webhook_secret: str | None = None,
) -> AwardSettings:
    """Change the given settings (None: unchanged). An empty URL turns the webhook off; a URL needs a secret."""
    if not policy.can_manage_team(actor, team.pk):
        raise PermissionDenied(_("Only the team's supervisors and managers change its award settings."))
    changes = {
        "min_conversations": min_conversations,
        "min_qa_reviews": min_qa_reviews,
        "exclude_upheld_auto_fail": exclude_upheld_auto_fail,
        "webhook_url": None if webhook_url is None else webhook_url.strip(),
        "webhook_secret": None if webhook_secret is None else webhook_secret.strip(),
    }
    changes = {name: value for name, value in changes.items() if value is not None}
    with transaction.atomic():
        current, _created = AwardSettings.objects.select_for_update().get_or_create(team=team)
        before, old_secret = _audited(current), current.webhook_secret
        for name, value in changes.items():
            setattr(current, name, value)
        _validate(current)
        current.save()
        after, secret_changed = _audited(current), current.webhook_secret != old_secret
        if after != before or secret_changed:
            after["webhook_secret_changed"] = secret_changed
            AwardAudit.objects.create(award=None, team=team, action="settings", actor=actor, before=before, after=after)
    return current


def _validate(values: AwardSettings) -> None:
    errors: dict[str, str] = {}
    for name in ("min_conversations", "min_qa_reviews"):
        value = getattr(values, name)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_MINIMUM:
            errors[name] = _("Enter a whole number from 0 to %(max)s.") % {"max": MAX_MINIMUM}
    if values.webhook_url:
        try:
            URLValidator(schemes=["http", "https"])(values.webhook_url)
        except ValidationError:
            errors["webhook_url"] = _("Enter an http:// or https:// URL.")
        if len(values.webhook_url) > 200:
            errors["webhook_url"] = _("The URL is longer than 200 characters.")
        if not values.webhook_secret:
            errors["webhook_secret"] = _("A webhook needs a secret to sign its posts.")
    if values.webhook_secret and len(values.webhook_secret) < MIN_SECRET_LENGTH:
        errors["webhook_secret"] = _("Use at least %(count)s characters.") % {"count": MIN_SECRET_LENGTH}
    if len(values.webhook_secret) > 100:
        errors["webhook_secret"] = _("The secret is longer than 100 characters.")
    if errors:
        raise ValidationError(errors)


def _audited(values: AwardSettings) -> dict:
    audited = {name: getattr(values, name) for name in RULE_FIELDS}
    audited["webhook_url"] = values.webhook_url
    return audited
