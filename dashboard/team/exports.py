"""Every table of the team dashboard as rows and (key, label) columns for dashboard.exports.table_export.

`?format=csv|xlsx&table=<name>` on the page downloads one; numbers stay numbers (shares as percentages, times in
seconds, as on the page), dates and times are the team's local ones.
"""

from collections.abc import Callable

from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboard.team import display as show
from kpi.definitions import METRICS
from plans.models import PlanStatus
from qa_reviews.models import ComplaintPriority

Table = tuple[list[dict], list[tuple[str, str]]]

TABLE_CHOICES = [
    ("agents", gettext_lazy("Agents")),
    ("glance", gettext_lazy("At a glance")),
    ("trend", gettext_lazy("Last 30 days")),
    ("heatmap", gettext_lazy("Busiest hours")),
    ("qa", gettext_lazy("QA scores")),
    ("disputes", gettext_lazy("Open disputes")),
    ("plans", gettext_lazy("Daily plans")),
    ("complaints", gettext_lazy("Open complaints")),
    ("leaderboard", gettext_lazy("This week's leaderboard")),
]


def team_table(data: dict, name: str) -> Table:
    """The table `name` (one of TABLE_CHOICES) of a team_dashboard answer."""
    return _BUILDERS[name](data)


def _label_with_unit(metric: str) -> str:
    unit = " (%)" if metric in show.RATES | show.PERCENTS else " (s)" if metric in show.SECONDS else ""
    return f"{METRICS[metric].label}{unit}"


def _rounded(value, places: int = 1):
    return None if value is None else round(value, places)


def _agents(data: dict) -> Table:
    return show.export_table(data["agents"])


def _glance(data: dict) -> Table:
    columns = [("metric", _("Metric"))]
    spans = (("today", _("Today")), ("week", _("This week")))
    for span, span_label in spans:
        columns += [
            (f"{span}_actual", f"{span_label}: {_('actual')}"),
            (f"{span}_target", f"{span_label}: {_('target')}"),
            (f"{span}_percent", f"{span_label}: {_('vs target (%)')}"),
            (f"{span}_change", f"{span_label}: {_('change from last week (%)')}"),
        ]
    rows = []
    for card in data["glance"]:
        metric = card["metric"]
        row = {"metric": _label_with_unit(metric)}
        for span, _span_label in spans:
            figure = card[span]
            row[f"{span}_actual"] = show.chart_value(metric, figure["actual"])
            row[f"{span}_target"] = show.chart_value(metric, figure["target"])
            row[f"{span}_percent"] = _rounded(figure["percent"])
            row[f"{span}_change"] = _rounded(figure["change_percent"])
        rows.append(row)
    return rows, columns


def _trend(data: dict) -> Table:
    trend = data["trend"]
    metric = trend["metric"]
    columns = [("date", _("Date")), ("actual", _label_with_unit(metric)), ("target", _("target"))]
    rows = [
        {
            "date": point["date"],
            "actual": show.chart_value(metric, point["actual"]),
            "target": show.chart_value(metric, point["target"]),
        }
        for point in trend["points"]
    ]
    return rows, columns


def _heatmap(data: dict) -> Table:
    columns = [("weekday", _("Weekday")), *((f"h{hour:02d}", f"{hour:02d}") for hour in range(24))]
    rows = [
        {"weekday": str(WEEKDAYS[index]), **{f"h{hour:02d}": count for hour, count in enumerate(counts)}}
        for index, counts in enumerate(data["heatmap"]["cells"])
    ]
    return rows, columns


def _qa(data: dict) -> Table:
    columns = [("band", _("Score")), ("reviews", _("Reviews"))]
    rows = [
        {"band": f"{bucket['low']}–{bucket['high']}", "reviews": bucket["count"]} for bucket in data["qa"]["buckets"]
    ]
    return rows, columns


def _disputes(data: dict) -> Table:
    columns = [
        ("agent", _("Agent")),
        ("reviewer", _("Reviewer")),
        ("total", _("Score")),
        ("submitted_at", _("Submitted")),
        ("reason", _("Reason")),
    ]
    return [{key: dispute[key] for key, _label in columns} for dispute in data["qa"]["disputes"]], columns


def _plans(data: dict) -> Table:
    """Who has not submitted today's plan (the card's list); the counts are in the page and the API."""
    columns = [("agent", _("Agent")), ("status", _("Plan"))]
    labels = {**dict(PlanStatus.choices), **show.PLAN_LABELS}
    rows = [
        {"agent": item["name"], "status": labels.get(item["status"], item["status"])}
        for item in data["plans"]["waiting"]
    ]
    return rows, columns


def _complaints(data: dict) -> Table:
    priorities = dict(ComplaintPriority.choices)
    columns = [
        ("summary", _("Complaint")),
        ("priority", _("Priority")),
        ("owner", _("Owner")),
        ("received_at", _("Received")),
        ("first_response_due_at", _("First answer due")),
        ("first_responded_at", _("First answered")),
        ("breached", _("Past the SLA")),
    ]
    rows = [
        {**{key: item[key] for key, _label in columns}, "priority": priorities.get(item["priority"], item["priority"])}
        for item in data["complaints"]["items"]
    ]
    return rows, columns


def _leaderboard(data: dict) -> Table:
    columns = [("rank", "#"), ("name", _("Agent")), ("score", _("Score")), ("places", _("Places moved"))]
    rows = [
        {"rank": row["rank"], "name": row["name"], "score": _rounded(row["score"]), "places": row["places"]}
        for row in data["leaderboard"]["rows"]
    ]
    return rows, columns


_BUILDERS: dict[str, Callable[[dict], Table]] = {
    "agents": _agents,
    "glance": _glance,
    "trend": _trend,
    "heatmap": _heatmap,
    "qa": _qa,
    "disputes": _disputes,
    "plans": _plans,
    "complaints": _complaints,
    "leaderboard": _leaderboard,
}
