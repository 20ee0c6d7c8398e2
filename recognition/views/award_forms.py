"""Forms of the award pages: granting a monthly or a special award, and a team's award settings."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from recognition import award_settings
from recognition.models import AwardSettings
from teams import policy
from teams.models import Team


def _previous_month(today: dt.date) -> str:
    first = today.replace(day=1)
    return (first - dt.timedelta(days=1)).strftime("%Y-%m")


class MonthlyAwardForm(BootstrapFormMixin, forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), empty_label=None)
    month = forms.RegexField(
        label=_("Month"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        error_messages={"invalid": _("Enter a month like 2026-11.")},
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}),
    )
    replace = forms.BooleanField(
        label=_("Recompute if the month already has its award (recorded in the award's history)"), required=False
    )

    def __init__(self, *args, teams, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["month"].initial = _previous_month(today)


class SpecialAwardForm(BootstrapFormMixin, forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), empty_label=None)
    winner = forms.ModelChoiceField(label=_("Winner"), queryset=Team.objects.none(), empty_label=_("Choose a person"))
    citation = forms.CharField(
        label=_("Citation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why this person gets the award; shown on the award page and announced to the team."),
    )

    def __init__(self, *args, teams, team_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["winner"].queryset = policy.users_in_teams(team_ids).order_by("username")


class AwardSettingsForm(BootstrapFormMixin, forms.Form):
    min_conversations = forms.IntegerField(
        label=_("Minimum conversations"), min_value=0, max_value=award_settings.MAX_MINIMUM
    )
    min_qa_reviews = forms.IntegerField(
        label=_("Minimum QA reviews"), min_value=0, max_value=award_settings.MAX_MINIMUM
    )
    exclude_upheld_auto_fail = forms.BooleanField(
        label=_("An agent with an upheld auto-fail review in the period cannot win"), required=False
    )
    webhook_url = forms.URLField(
        label=_("Webhook URL"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("Each announced award is posted here as signed JSON (e.g. a chat group bot). Empty: none."),
    )
    webhook_secret = forms.CharField(
        label=_("Webhook secret"),
        required=False,
        max_length=100,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    clear_secret = forms.BooleanField(label=_("Remove the secret"), required=False)

    def __init__(self, *args, current: AwardSettings, **kwargs):
        initial = {
            "min_conversations": current.min_conversations,
            "min_qa_reviews": current.min_qa_reviews,
            "exclude_upheld_auto_fail": current.exclude_upheld_auto_fail,
            "webhook_url": current.webhook_url,
        }
        super().__init__(*args, initial=initial, **kwargs)
        secret_field = self.fields["webhook_secret"]
        if current.webhook_secret:
            secret_field.widget.attrs["placeholder"] = "••••••••"
            secret_field.help_text = _(
                "A secret is set (not shown). Leave empty to keep it; type a new one to replace it."
            )
        else:
            secret_field.help_text = _("At least %(count)s characters; the receiver checks X-CS-Signature with it.") % {
                "count": award_settings.MIN_SECRET_LENGTH
            }
            del self.fields["clear_secret"]

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        secret = data.pop("webhook_secret", "")
        if data.pop("clear_secret", False):
            data["webhook_secret"] = ""  # nosec B105: emptied on request, no password in code
        elif secret:
            data["webhook_secret"] = secret
        return data
