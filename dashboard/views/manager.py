"""The manager's overview and the staffing advice pages; `?format=csv|xlsx` downloads their tables."""

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from core.forms import BootstrapFormMixin
from dashboard import staffing as advice
from dashboard.exports import table_export_for_request
from dashboard.manager import (
    MAX_PERIOD_DAYS,
    manager_overview,
    overview_columns,
    overview_row,
    overview_teams,
    short_hours_text,
    team_dashboard_path,
)
from kpi.definitions import METRICS


class PeriodForm(BootstrapFormMixin, forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        cleaned["date_to"] = cleaned.get("date_to") or today
        cleaned["date_from"] = cleaned.get("date_from") or cleaned["date_to"].replace(day=1)
        if cleaned["date_to"] < cleaned["date_from"]:
            self.add_error("date_to", _("The end is before the start."))
        elif (cleaned["date_to"] - cleaned["date_from"]).days >= MAX_PERIOD_DAYS:
            self.add_error("date_from", _("Choose a period of at most a year."))
        return cleaned


class StaffingForm(BootstrapFormMixin, forms.Form):
    team = forms.TypedChoiceField(label=_("Team"), coerce=int)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    service_level = forms.IntegerField(label=_("Answered share (%)"), min_value=1, max_value=99)
    answer_seconds = forms.IntegerField(label=_("Within (seconds)"), min_value=1, max_value=3600)
    weeks = forms.IntegerField(label=_("Weeks of history"), min_value=1, max_value=12)
    chats_at_once = forms.IntegerField(label=_("Chats per agent at once"), min_value=1, max_value=10)
    max_occupancy = forms.IntegerField(
        label=_("Busiest allowed (%)"),
        min_value=50,
        max_value=100,
        required=False,
        help_text=_("Optional: the share of time agents may be busy at most."),
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {team.pk: team for team in teams}
        self.fields["team"].choices = [(team.pk, _team_label(team)) for team in teams]

    def clean_team(self):
        return self.teams[self.cleaned_data["team"]]

    def targets(self) -> advice.StaffingTargets:
        data = self.cleaned_data
        return advice.StaffingTargets(
            service_level_percent=data["service_level"],
            answer_seconds=data["answer_seconds"],
            weeks=data["weeks"],
            chats_at_once=data["chats_at_once"],
            max_occupancy_percent=data.get("max_occupancy"),
        )


def _team_label(team) -> str:
    return f"{team.parent.name} · {team.name}" if team.parent_id else team.name


def _managed_teams_or_404(user) -> list:
    teams = list(overview_teams(user))
    if not teams:
        raise Http404
    return teams


def _query_with(request, **changes) -> str:
    params = request.GET.copy()
    params.pop("format", None)
    for key, value in changes.items():
        params[key] = value
    return "?" + params.urlencode()


TARGET_DEFAULTS = {
    "default_service_level": advice.DEFAULT_SERVICE_LEVEL_PERCENT,
    "default_answer_seconds": advice.DEFAULT_ANSWER_SECONDS,
}


@login_required
@require_safe
def manager_page(request):
    teams = _managed_teams_or_404(request.user)
    today = timezone.localdate()
    # Always bound, so the inputs show the period in force (this month so far, until changed).
    defaults = {"date_from": today.replace(day=1).isoformat(), "date_to": today.isoformat()}
    form = PeriodForm(defaults | {k: v for k, v in request.GET.items() if k in defaults and v})
    context = {"form": form, **TARGET_DEFAULTS}
    if form.is_valid():
        overview = manager_overview(
            teams=teams, date_from=form.cleaned_data["date_from"], date_to=form.cleaned_data["date_to"]
        )
        targeted = overview.targeted_metrics
        rows = [overview_row(entry, targeted) for entry in overview.teams]
        columns = overview_columns(targeted)
        filename = f"teams-{overview.date_from:%Y%m%d}-{overview.date_to:%Y%m%d}"
        total = overview_row(overview.total, targeted) if overview.total else None
        exported = [*rows, total] if total and len(rows) > 1 else rows
        download = table_export_for_request(request, rows=exported, columns=columns, filename=filename)
        if download is not None:
            return download
        for row, entry in zip(rows, overview.teams, strict=True):
            row["dashboard_url"] = entry.dashboard_url
            row["staffing_url"] = reverse("dashboard-staffing") + "?" + urlencode({"team": entry.team.pk})
            row["has_history"] = row["short_hours"] is not None
            row["attainment"] = [(METRICS[m].label, row[f"attainment_{m}"]) for m in targeted]
        if total:
            total["attainment"] = [(METRICS[m].label, total[f"attainment_{m}"]) for m in targeted]
        context |= {
            "overview": overview,
            "rows": rows,
            "total": total,
            "targeted": [{"metric": m, "label": METRICS[m].label} for m in targeted],
            "chart": {
                "axis": str(_("Attainment (%)")),
                "teams": [row["team"] for row in rows],
                "series": [
                    {"label": str(METRICS[m].label), "values": [row[f"attainment_{m}"] for row in rows]}
                    for m in targeted
                ],
            },
            "several_departments": len({row["department"] for row in rows}) > 1,
            "department_name": rows[0]["department"] if rows else "",
            "short_total": sum(row["short_hours"] or 0 for row in rows),
            "quick_periods": _quick_periods(request, overview.date_from, overview.date_to),
            "csv_url": _query_with(request, format="csv"),
            "xlsx_url": _query_with(request, format="xlsx"),
        }
    return render(request, "dashboard/manager.html", context)


def _quick_periods(request, chosen_from: dt.date, chosen_to: dt.date) -> list[dict]:
    today = timezone.localdate()
    month_start = today.replace(day=1)
    last_month_end = month_start - dt.timedelta(days=1)
    periods = [
        (_("This month"), month_start, today),
        (_("Last month"), last_month_end.replace(day=1), last_month_end),
        (_("Last 7 days"), today - dt.timedelta(days=6), today),
        (_("Last 30 days"), today - dt.timedelta(days=29), today),
    ]
    return [
        {
            "label": label,
            "url": _query_with(request, date_from=start.isoformat(), date_to=end.isoformat()),
            "active": (start, end) == (chosen_from, chosen_to),
        }
        for label, start, end in periods
    ]


STAFFING_COLUMNS = [
    ("hour", _("Hour")),
    ("expected_conversations", _("Expected chats")),
    ("needed", _("Agents needed")),
    ("scheduled", _("Agents scheduled")),
    ("gap", _("Gap")),
]


def staffing_rows(result: advice.TeamStaffing) -> list[dict]:
    return [
        {
            "hour": hour.label,
            "expected_conversations": hour.expected_conversations,
            "needed": hour.needed,
            "scheduled": hour.scheduled,
            "gap": hour.gap,
            "short": hour.short,
        }
        for hour in result.hours
    ]


STAFFING_DEFAULTS = {
    "service_level": advice.DEFAULT_SERVICE_LEVEL_PERCENT,
    "answer_seconds": advice.DEFAULT_ANSWER_SECONDS,
    "weeks": advice.DEFAULT_WEEKS,
    "chats_at_once": advice.DEFAULT_CHATS_AT_ONCE,
}


@login_required
@require_safe
def staffing_page(request):
    teams = _managed_teams_or_404(request.user)
    team = teams[0]
    raw_team = request.GET.get("team", "")
    if raw_team:
        team = next((team for team in teams if str(team.pk) == raw_team), None)
        if team is None:
            raise Http404
    # Always bound, so the inputs show the targets in force (the team's defaults until changed).
    defaults = {"team": team.pk, "date": advice.local_today(team).isoformat(), **STAFFING_DEFAULTS}
    form = StaffingForm(defaults | {k: v for k, v in request.GET.items() if v != ""}, teams=teams)
    context = {"form": form, **TARGET_DEFAULTS}
    if form.is_valid():
        day = form.cleaned_data["date"]
        result = advice.staffing_advice(team=team, day=day, targets=form.targets())
        rows = staffing_rows(result)
        download = table_export_for_request(
            request, rows=rows, columns=STAFFING_COLUMNS, filename=f"staffing-{team.pk}-{day:%Y%m%d}"
        )
        if download is not None:
            return download
        context |= {
            "team": team,
            "day": day,
            "staffing": result,
            "rows": [row for row in rows if row["expected_conversations"] or row["needed"] or row["scheduled"]],
            "short_ranges": short_hours_text(result),
            "previous_day": _query_with(request, team=team.pk, date=(day - dt.timedelta(days=1)).isoformat()),
            "next_day": _query_with(request, team=team.pk, date=(day + dt.timedelta(days=1)).isoformat()),
            "chart": {
                "labels": {
                    "needed": str(_("Agents needed")),
                    "scheduled": str(_("Agents scheduled")),
                    "expected": str(_("Expected chats")),
                    "agents": str(_("Agents")),
                    "chats": str(_("Chats")),
                },
                "hours": [row["hour"] for row in rows],
                "needed": [row["needed"] for row in rows],
                "scheduled": [row["scheduled"] for row in rows],
                "expected": [row["expected_conversations"] for row in rows],
            },
            "csv_url": _query_with(request, format="csv"),
            "xlsx_url": _query_with(request, format="xlsx"),
            "team_dashboard_url": f"{team_dashboard_path()}?team={team.pk}",
        }
    return render(request, "dashboard/staffing.html", context)
