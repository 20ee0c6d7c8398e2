"""The dashboard's plain data made readable for the page: figures formatted as people read them, labels, links
to other pages, chart payloads. No queries: everything here works on what team_dashboard returned."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dashboard.team.agents import ATTAINMENT_SUFFIX, PLAN_MISSING, PLAN_OFF
from dashboard.team.floor import PLAN_STATES
from dashboard.team.periods import DAY, MONTH, WEEK
from kpi.definitions import METRICS
from plans.models import PlanStatus
from qa_reviews.models import ComplaintPriority

RATES = {"resolution_rate", "conversion_rate"}  # shares 0-1, shown as percentages
PERCENTS = {"csi"}  # already 0-100
SECONDS = {"first_response_seconds", "avg_response_seconds"}
TWO_DECIMALS = {"csat_avg", "qa_score_avg", "sales_amount"}
PLAN_LABELS = {
    PlanStatus.REVIEWED: PlanStatus.REVIEWED.label,
    PlanStatus.SUBMITTED: PlanStatus.SUBMITTED.label,
    PlanStatus.DRAFT: gettext_lazy("Not submitted"),
    PLAN_MISSING: gettext_lazy("No plan yet"),
    PLAN_OFF: gettext_lazy("Not scheduled"),
}
PLAN_BADGES = {
    PlanStatus.REVIEWED: "text-bg-success",
    PlanStatus.SUBMITTED: "text-bg-primary",
    PlanStatus.DRAFT: "text-bg-warning",
    PLAN_MISSING: "text-bg-secondary",
    PLAN_OFF: "text-bg-light border",
}
HEAT_LEVELS = 5


def number_text(value, digits: int, *, grouping: bool = False) -> str:
    """Rounded half up (number_format alone would cut the digits off), in the active language's format."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return number_format(rounded, digits, force_grouping=grouping)


def metric_text(metric: str, value) -> str:
    if value is None:
        return "—"
    if metric in RATES:
        return f"{number_text(100 * float(value), 1)}%"
    if metric in PERCENTS:
        return f"{number_text(value, 1)}%"
    if metric in SECONDS:
        return _("%(seconds)s s") % {"seconds": number_text(value, 0)}
    if metric in TWO_DECIMALS:
        return number_text(value, 2, grouping=True)
    return number_text(value, 0, grouping=True)


def chart_value(metric: str, value):
    """What the line chart plots: shares as percentages, like the figures on the page."""
    if value is None:
        return None
    return round(100 * value, 2) if metric in RATES else value


def percent_text(value) -> str:
    return "—" if value is None else f"{number_text(value, 0)}%"


def change_text(value) -> str:
    if value is None:
        return ""
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    digits = 1 if 0 < abs(value) < 1 else 0  # not "−0%" for a small fall
    return f"{sign}{number_text(abs(value), digits)}%"


def duration_text(seconds: int) -> str:
    """12 min, 1 h 5 min, 2 d 3 h: the SLA clock (team.js writes the same while the page stays open)."""
    minutes = abs(seconds) // 60
    days, hours, minutes = minutes // 1440, minutes // 60 % 24, minutes % 60
    if days:
        return _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)s min") % {"minutes": minutes}


def clock_texts() -> dict:
    """The SLA clock's words for team.js."""
    return {
        "left": _("%(time)s left"),
        "late": _("%(time)s late"),
        "days": _("%(days)s d %(hours)s h"),
        "hours": _("%(hours)s h %(minutes)s min"),
        "minutes": _("%(minutes)s min"),
    }


def route(name: str, *args, query: dict | None = None) -> str:
    """The URL of another page, or "" while that page does not exist."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode(query)}" if query else url


def _figure(metric: str, figure: dict, span_days: int) -> dict:
    partly = figure["target"] is not None and figure["target_days"] < span_days
    return {
        **figure,
        "coverage": ngettext(
            "target for %(days)s of %(total)s day: attainment on those",
            "target for %(days)s of %(total)s days: attainment on those",
            span_days,
        )
        % {"days": figure["target_days"], "total": span_days}
        if partly
        else "",
        "actual_text": metric_text(metric, figure["actual"]),
        "target_text": metric_text(metric, figure["target"]),
        "percent_text": percent_text(figure["percent"]),
        "bar": min(figure["percent"] or 0, 100),
        "change_text": change_text(figure["change_percent"]),
        "previous_text": metric_text(metric, figure["previous"]),
    }


def glance_cards(glance: list[dict], *, week_days: int) -> list[dict]:
    return [
        {
            **row,
            "today": _figure(row["metric"], row["today"], 1),
            "week": _figure(row["metric"], row["week"], week_days),
        }
        for row in glance
    ]


def trend_chart(trend: dict) -> dict:
    metric = trend["metric"]
    return {
        "metric": metric,
        "label": trend["label"],
        "suffix": "%" if metric in RATES | PERCENTS else "",
        "lowerIsBetter": trend["direction"] == "down",
        "labels": [date_format(point["date"], "m-d") for point in trend["points"]],
        "actual": [chart_value(metric, point["actual"]) for point in trend["points"]],
        "target": [chart_value(metric, point["target"]) for point in trend["points"]],
        "texts": {"actual": _("Actual"), "target": _("Target")},
    }


def trend_points(trend: dict) -> list[dict]:
    """The chart's figures as a table, newest first."""
    metric = trend["metric"]
    return [
        {
            "date": point["date"],
            "actual_text": metric_text(metric, point["actual"]),
            "target_text": metric_text(metric, point["target"]),
        }
        for point in reversed(trend["points"])
    ]


def agent_columns(table: dict, sort: str) -> list[dict]:
    """The table's headers, each with the ?sort= it links to (a second click reverses the order)."""
    headers = [("name", _("Agent")), ("plan_status", _("Plan"))]
    headers += [(name, METRICS[name].label) for name in table["columns"]]
    headers += [
        (f"{name}{ATTAINMENT_SUFFIX}", _("%(metric)s vs target") % {"metric": METRICS[name].label})
        for name in table["targeted"]
    ]
    columns = []
    for key, label in headers:
        active = sort.removeprefix("-") == key or (key == "name" and not sort)
        descending = active and sort.startswith("-")
        columns.append(
            {
                "key": key,
                "label": label,
                "numeric": key not in ("name", "plan_status"),
                "active": active,
                "descending": descending,
                "next_sort": key if descending or not active else f"-{key}",
            }
        )
    return columns


def agent_rows(table: dict, *, team_id: int) -> list[dict]:
    rows = []
    for row in table["rows"]:
        cells = [
            {"key": name, "value": row["metrics"][name], "text": metric_text(name, row["metrics"][name])}
            for name in table["columns"]
        ]
        for name in table["targeted"]:
            figure = row["attainment"][name]
            cells.append(
                {
                    "key": f"{name}{ATTAINMENT_SUFFIX}",
                    "value": figure["percent"],
                    "text": percent_text(figure["percent"]),
                    "title": ngettext(
                        "%(actual)s of %(target)s on the %(days)s day with a target",
                        "%(actual)s of %(target)s on the %(days)s days with a target",
                        figure["target_days"],
                    )
                    % {
                        "actual": metric_text(name, figure["actual_targeted"]),
                        "target": metric_text(name, figure["target"]),
                        "days": figure["target_days"],
                    }
                    if figure["target_days"]
                    else _("No target in this period"),
                    "behind": figure["percent"] is not None and figure["percent"] < 100,
                }
            )
        status = row["plan_status"]
        rows.append(
            {
                **row,
                "cells": cells,
                "plan_label": PLAN_LABELS.get(status, "—"),
                "plan_badge": PLAN_BADGES.get(status, ""),
                "plan_order": PLAN_STATES.index(status) if status in PLAN_STATES else len(PLAN_STATES),
                "profile_url": route("dashboard-agent-profile", row["agent_id"]),
            }
        )
    return rows


def export_table(table: dict) -> tuple[list[dict], list[tuple[str, str]]]:
    """The agents table as rows and (key, label) columns for dashboard.exports.table_export: numbers stay
    numbers (shares as percentages, like the page)."""
    columns = [("name", _("Agent")), ("username", _("Username")), ("plan", _("Plan"))]
    for name in table["columns"]:
        unit = " (%)" if name in RATES | PERCENTS else " (s)" if name in SECONDS else ""
        columns.append((name, f"{METRICS[name].label}{unit}"))
    for name in table["targeted"]:
        label = METRICS[name].label
        columns.append((f"{name}_target", _("%(metric)s target") % {"metric": label}))
        columns.append((f"{name}{ATTAINMENT_SUFFIX}", _("%(metric)s vs target (%%)") % {"metric": label}))
    rows = []
    for row in table["rows"]:
        line = {"name": row["name"], "username": row["username"], "plan": PLAN_LABELS.get(row["plan_status"], "")}
        for name in table["columns"]:
            line[name] = chart_value(name, row["metrics"][name])
        for name in table["targeted"]:
            figure = row["attainment"][name]
            line[f"{name}_target"] = chart_value(name, figure["target"])
            percent = figure["percent"]
            line[f"{name}{ATTAINMENT_SUFFIX}"] = round(percent, 1) if percent is not None else None
        rows.append(line)
    return rows, columns


def heatmap_rows(heatmap: dict) -> list[dict]:
    """Seven rows of 24 cells; each cell's shade is its share of the busiest cell, the busiest ones marked."""
    busiest = {(cell["weekday"], cell["hour"]) for cell in heatmap["busiest"]}
    top = heatmap["max"] or 1
    rows = []
    for index, counts in enumerate(heatmap["cells"]):
        cells = []
        for hour, count in enumerate(counts):
            level = 0 if not count else max(1, round(HEAT_LEVELS * count / top))
            cells.append({"hour": hour, "count": count, "level": level, "busiest": (index + 1, hour) in busiest})
        rows.append({"weekday": WEEKDAYS_ABBR[index], "cells": cells})
    return rows


def busiest_texts(heatmap: dict) -> list[str]:
    return [
        _("%(weekday)s %(time)s (%(count)s)")
        % {
            "weekday": WEEKDAYS_ABBR[cell["weekday"] - 1],
            "time": f"{cell['hour']:02d}:00",
            "count": cell["conversations"],
        }
        for cell in heatmap["busiest"]
    ]


def qa_buckets(qa: dict) -> list[dict]:
    largest = max([bucket["count"] for bucket in qa["buckets"]] + [1])
    buckets = []
    for bucket in qa["buckets"]:
        if bucket["high"] is None:
            label = _("%(low)s and over") % {"low": bucket["low"]}
        elif bucket["low"] == 0:
            label = _("under %(high)s") % {"high": bucket["high"]}
        else:
            label = _("%(low)s to %(high)s") % {"low": bucket["low"], "high": bucket["high"]}
        buckets.append({**bucket, "label": label, "width": round(100 * bucket["count"] / largest)})
    return buckets


def complaint_items(complaints: dict) -> list[dict]:
    priorities = dict(ComplaintPriority.choices)
    items = []
    for item in complaints["items"]:
        seconds = item["seconds_left"]
        if seconds is None:
            clock = _("answered")
        elif seconds >= 0:
            clock = _("%(time)s left") % {"time": duration_text(seconds)}
        else:
            clock = _("%(time)s late") % {"time": duration_text(seconds)}
        items.append(
            {
                **item,
                "clock": clock,
                "priority_label": priorities.get(item["priority"], item["priority"]),
                "url": route("complaint-detail", item["id"]),
            }
        )
    return items


def period_label(kind: str, date_from: dt.date, date_to: dt.date) -> str:
    if kind == DAY:
        return date_format(date_to, "DATE_FORMAT")
    names = {WEEK: _("Week to date"), MONTH: _("Month to date")}
    return _("%(period)s (%(start)s – %(end)s)") % {
        "period": names[kind],
        "start": date_format(date_from, "MONTH_DAY_FORMAT"),
        "end": date_format(date_to, "MONTH_DAY_FORMAT"),
    }


def glance_captions(day: dt.date, *, is_today: bool) -> dict:
    if is_today:
        return {"today": _("Today"), "week": _("This week")}
    return {"today": date_format(day, "MONTH_DAY_FORMAT"), "week": _("Its week")}
