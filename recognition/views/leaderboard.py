"""The leaderboard page and the team wall: thin views over recognition.leaderboard and recognition.wall."""

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core.forms import BootstrapFormMixin
from core.service_errors import add_errors_to_form
from kpi.definitions import METRICS
from recognition.leaderboard import (
    FULL,
    METRIC_CHOICES,
    PERIOD_CHOICES,
    SCORE,
    TOP_OF_BOARD,
    WEEK,
    Period,
    board_access,
    board_teams,
    leaderboard,
    period_parse,
    period_resolve,
    visible_part,
)
from recognition.wall import KUDOS_DAYS, team_wall
from teams.models import Team

RECENT_PERIODS = 12  # how many periods the picker offers, the current one first
# Metrics whose unit the figure alone does not tell (counts, percentages and money speak for themselves).
UNIT_SHOWN = {"first_response_seconds", "avg_response_seconds", "csat_avg", "csi", "qa_score_avg"}


class BoardForm(BootstrapFormMixin, forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Period"), choices=PERIOD_CHOICES, required=False)
    key = forms.CharField(label=gettext_lazy("Which"), required=False)
    metric = forms.ChoiceField(label=gettext_lazy("Ranked by"), choices=METRIC_CHOICES, required=False)

    def clean(self):
        cleaned = super().clean()
        cleaned["period"] = cleaned.get("period") or WEEK
        cleaned["metric"] = cleaned.get("metric") or SCORE
        if cleaned.get("key"):
            try:
                period_parse(cleaned["period"], cleaned["key"])
            except ValidationError as error:
                add_errors_to_form(self, error)
        return cleaned


def _chosen_team(request, teams: list[Team]) -> Team | None:
    """The team named by ?team= (404 unless the user may open its board), else the user's first team."""
    raw = request.GET.get("team", "")
    if not raw:
        return teams[0] if teams else None
    team = next((team for team in teams if str(team.pk) == raw), None)
    if team is None:
        raise Http404
    return team


def format_value(metric: str, value) -> str:
    """A figure as people read it: rates as percentages, response times in seconds, money with grouping."""
    if value is None:
        return "—"
    if metric == SCORE:
        return number_format(value, 1)
    if metric in ("resolution_rate", "conversion_rate"):
        return f"{number_format(100 * float(value), 1)}%"
    if metric == "csi":
        return f"{number_format(value, 1)}%"
    if metric in ("first_response_seconds", "avg_response_seconds"):
        return _("%(seconds)s s") % {"seconds": number_format(value, 0)}
    if metric == "sales_amount":
        return number_format(value, 2, force_grouping=True)
    if metric in ("csat_avg", "qa_score_avg"):
        return number_format(value, 2)
    return number_format(value, 0, force_grouping=True)


def period_label(period: Period, *, short: bool = False) -> str:
    if period.kind == WEEK:
        day_format = "m-d" if short else "MONTH_DAY_FORMAT"
        return _("%(key)s (%(start)s – %(end)s)") % {
            "key": period.key,
            "start": date_format(period.start, day_format),
            "end": date_format(period.end, day_format),
        }
    return date_format(period.start, "YEAR_MONTH_FORMAT")


def _period_options(current: Period, chosen: Period) -> list[dict]:
    periods, period = [], current
    for _step in range(RECENT_PERIODS):
        periods.append(period)
        period = period.previous
    if chosen not in periods:
        periods.insert(0, chosen)
    return [
        {"key": "" if p == current else p.key, "label": period_label(p, short=True), "selected": p == chosen}
        for p in periods
    ]


def _query(team: Team, **params) -> str:
    return "?" + urlencode({"team": team.pk, **{k: v for k, v in params.items() if v}})


def _decorate(board) -> None:
    for row in board.rows:
        row.display = format_value(board.metric, row.value)


@login_required
@require_safe
def leaderboard_page(request):
    teams = list(board_teams(request.user))
    team = _chosen_team(request, teams)
    form = BoardForm(request.GET or {})
    chosen = {"period": request.GET.get("period") or WEEK, "metric": request.GET.get("metric") or SCORE}
    context = {
        "teams": teams,
        "team": team,
        "form": form,
        "top": TOP_OF_BOARD,
        "chosen": chosen,
        "period_choices": PERIOD_CHOICES,
        "metric_choices": METRIC_CHOICES,
    }
    if team is not None and form.is_valid():
        data = form.cleaned_data
        try:
            board = leaderboard(team=team, period=data["period"], key=data["key"], metric=data["metric"])
        except ValidationError as error:
            add_errors_to_form(form, error)
        else:
            board = visible_part(board, user=request.user)
            _decorate(board)
            current = period_resolve(team=team, kind=board.period.kind, key=None)
            step = {"period": board.period.kind, "metric": board.metric}
            context |= {
                "board": board,
                "full_view": board_access(request.user, team) == FULL,
                "own_row": next((row for row in board.rows if row.agent_id == request.user.pk), None),
                "period_options": _period_options(current, board.period),
                "period_label": period_label(board.period),
                "previous_url": _query(team, key=board.period.previous.key, **step),
                "next_url": _query(team, key=board.period.next.key, **step)
                if board.period.start < current.start
                else "",
                "metric_help": METRICS[board.metric].unit if board.metric in UNIT_SHOWN else "",
            }
    return render(request, "recognition/leaderboard.html", context)


def _route(name: str, *args, team: Team | None = None) -> str:
    """The URL of another area's page, or "" while that page does not exist."""
    try:
        return reverse(name, args=args) + (_query(team) if team else "")
    except NoReverseMatch:
        return ""


def _award_url(award) -> str:
    try:
        return award.get_absolute_url()
    except NoReverseMatch:
        return ""


def _podium(award, size: int = 3) -> list[dict]:
    """The award's best eligible candidates from its breakdown (who was ineligible, and why, stays on the award
    page)."""
    candidates = award.breakdown.get("candidates") if isinstance(award.breakdown, dict) else None
    eligible = [c for c in candidates or [] if isinstance(c, dict) and c.get("eligible")]
    return sorted(eligible, key=lambda candidate: candidate.get("rank") or 0)[:size]


@login_required
@require_safe
def team_wall_page(request):
    teams = list(board_teams(request.user))
    team = _chosen_team(request, teams)
    context = {"teams": teams, "team": team, "kudos_days": KUDOS_DAYS}
    if team is not None:
        wall = team_wall(team=team, user=request.user)
        _decorate(wall.board)
        for award in [wall.weekly_award, *wall.recent_awards]:
            if award is not None:
                award.url = _award_url(award)
        if wall.weekly_award is not None:
            wall.weekly_award.podium = _podium(wall.weekly_award)
        for case in wall.good_cases:
            case.url = _route("recognition-good-case-detail", case.pk)
        context |= {
            "wall": wall,
            "kudos_url": _route("recognition-kudos-new", team=team),
            "good_cases_url": _route("recognition-good-case-list", team=team),
            "leaderboard_url": reverse("recognition-leaderboard") + _query(team),
        }
    return render(request, "recognition/wall.html", context)
