import datetime as dt

from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from kpi.definitions import METRICS
from teams import policy
from teams.models import Team


class PeriodForm(BootstrapFormMixin, forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), empty_label=None)
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = policy.readable_teams(user).order_by("name")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_to"] < cleaned["date_from"]:
            self.add_error("date_to", _("The end is before the start."))
        return cleaned


class CascadeForm(BootstrapFormMixin, forms.Form):
    team = forms.ModelChoiceField(label=_("Department or team"), queryset=Team.objects.none(), empty_label=None)
    metric = forms.ChoiceField(label=_("Metric"), choices=[(name, d.label) for name, d in METRICS.items()])
    month = forms.DateField(
        label=_("Month"), input_formats=["%Y-%m"], widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    )
    value = forms.DecimalField(label=_("Monthly target"), max_digits=14, decimal_places=2, min_value=0)
    day_weights = forms.CharField(
        label=_("Day weights"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2026-11-11 2 campaign\n2026-11-25 0.8 off-season"}),
        help_text=_("One line per special day: date, weight, reason. Other days weigh 1."),
    )

    weekday_weights = forms.CharField(
        label=_("Weekday weights"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "1, 1, 1, 1, 1, 1.5, 1.5"}),
        help_text=_("Seven numbers, Monday first, multiplied with the day weights. Empty: every weekday weighs 1."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # departments first: a month's target is usually set for the whole department
        self.fields["team"].queryset = policy.managed_teams(user).order_by(F("parent").asc(nulls_first=True), "name")

    def clean_weekday_weights(self) -> list | None:
        text = self.cleaned_data["weekday_weights"].strip()
        if not text:
            return None
        try:
            weights = [forms.DecimalField(min_value=0).clean(part.strip()) for part in text.split(",")]
        except forms.ValidationError as error:
            raise forms.ValidationError(_("Write seven numbers separated by commas.")) from error
        if len(weights) != 7:
            raise forms.ValidationError(_("Write seven numbers separated by commas."))
        return weights

    def clean_day_weights(self) -> dict:
        weights = {}
        for number, line in enumerate(self.cleaned_data["day_weights"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.split(maxsplit=2)
            try:
                day = dt.date.fromisoformat(parts[0])
                weight = forms.DecimalField(min_value=0).clean(parts[1])
            except (ValueError, IndexError, forms.ValidationError) as error:
                raise forms.ValidationError(
                    _("Line %(number)s: write a date, a weight and optionally a reason."), params={"number": number}
                ) from error
            weights[day] = (weight, parts[2] if len(parts) > 2 else "")
        return weights
