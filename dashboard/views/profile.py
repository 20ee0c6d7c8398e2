"""The agent profile page: for the agent themself and for the people who lead them (404 for anyone else)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core.service_errors import add_errors_to_form
from dashboard.me import metric_text
from dashboard.profile import (
    agent_profile,
    chart_payload,
    default_period,
    local_today,
    period_check,
    profile_subject,
)
from dashboard.profile_tables import PROFILE_TABLE_CHOICES, profile_table
from kpi.definitions import METRICS

SUMMARY_METRICS = (
    "conversations",
    "sales_amount",
    "csat_avg",
    "first_response_seconds",
    "resolution_rate",
    "qa_score_avg",
)


class ProfilePeriodForm(forms.Form):
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    format = forms.ChoiceField(
        label=gettext_lazy("Export"),
        required=False,
        choices=[("", "—"), ("csv", "CSV"), ("xlsx", gettext_lazy("Excel"))],
    )
    table = forms.ChoiceField(
        label=gettext_lazy("Table to export"),
        required=False,
        choices=[("", ""), *PROFILE_TABLE_CHOICES],
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        cleaned = super().clean()
        if "date_from" not in cleaned or "date_to" not in cleaned:
            return cleaned
        cleaned["date_to"] = cleaned["date_to"] or self.today
        cleaned["date_from"] = cleaned["date_from"] or default_period(cleaned["date_to"])[0]
        try:
            period_check(cleaned["date_from"], cleaned["date_to"])
        except ValidationError as error:
            add_errors_to_form(self, error)
        return cleaned


@login_required
@require_safe
def agent_profile_page(request, user_id: int):
    subject = profile_subject(viewer=request.user, person_id=user_id)
    if subject is None:
        raise Http404
    today = local_today(subject.home_team)
    form = ProfilePeriodForm(request.GET, today=today)
    if form.is_valid():
        date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    else:
        date_from, date_to = default_period(today)
    profile = agent_profile(subject=subject, date_from=date_from, date_to=date_to)
    if form.is_valid() and form.cleaned_data["format"]:
        return _export(profile, form.cleaned_data["format"], form.cleaned_data["table"] or "history")
    chosen = request.GET.get("metric", "")
    chart = chart_payload(profile.figures.days, selected=chosen)
    chart["totals"] = {name: metric_text(name, profile.figures.totals[name]) for name in METRICS}
    context = {
        "profile": profile,
        "person": subject.person,
        "is_self": subject.person.pk == request.user.pk,
        "form": form,
        "chart": chart,
        "trend_total": chart["totals"][chart["selected"]],
        "columns": [(name, str(definition.label)) for name, definition in METRICS.items()],
        "history": _history_rows(profile.figures.days_with_data[::-1]),
        "totals": [metric_text(name, profile.figures.totals[name]) for name in METRICS],
        "summary": [
            {
                "metric": name,
                "label": METRICS[name].label,
                "value": profile.figures.totals[name],
                "text": metric_text(name, profile.figures.totals[name]),
            }
            for name in SUMMARY_METRICS
        ],
        "export_query": _query_without_format(request),
    }
    return render(request, "dashboard/profile.html", context, status=200 if form.is_valid() else 400)


def _history_rows(days: list[dict]) -> list[dict]:
    return [{"date": day["date"], "cells": [metric_text(name, day[name]) for name in METRICS]} for day in days]


def _query_without_format(request) -> str:
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("table", None)
    return query.urlencode()


def _export(profile, fmt: str, table: str):
    from dashboard.exports import table_export

    rows, columns = profile_table(profile, table)
    person = profile.subject.person
    kind = "metrics" if table == "history" else table
    filename = f"{person.username}-{kind}-{profile.date_from:%Y%m%d}-{profile.date_to:%Y%m%d}"
    return table_export(rows=rows, columns=columns, filename=filename, fmt=fmt)
