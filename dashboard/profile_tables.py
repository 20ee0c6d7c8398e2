"""The agent profile's tables as rows and (key, label) columns for dashboard.exports.table_export:
`?format=csv|xlsx&table=<name>` on the page downloads one (the daily metrics by default)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboard.profile import AgentProfile, metric_choices
from kpi.definitions import METRICS

Table = tuple[list[dict], list[tuple[str, str]]]

PROFILE_TABLE_CHOICES = [
    ("history", gettext_lazy("Daily metrics")),
    ("reviews", gettext_lazy("QA reviews")),
    ("assignments", gettext_lazy("Training")),
    ("quizzes", gettext_lazy("Quiz results")),
]


def profile_table(profile: AgentProfile, name: str) -> Table:
    return {"history": _history, "reviews": _reviews, "assignments": _assignments, "quizzes": _quizzes}[name](profile)


def _history(profile: AgentProfile) -> Table:
    """One row per day with computed metrics, then the whole period; shares as percentages, like the page."""
    choices = {metric["name"]: metric for metric in metric_choices()}
    columns = [("date", _("Date"))] + [
        (name, f"{choice['label']} ({choice['unit']})" if choice["unit"] else choice["label"])
        for name, choice in choices.items()
    ]

    def row(date, figures) -> dict:
        return {"date": date, **{name: _scaled(figures[name], choices[name]["scale"]) for name in METRICS}}

    rows = [row(day["date"], day) for day in profile.figures.days_with_data]
    rows.append(row(_("Whole period"), profile.figures.totals))
    return rows, columns


def _scaled(value, scale: int):
    if value is None:
        return None
    if isinstance(value, int):
        return value
    return round(float(value) * scale, 4)


def _reviews(profile: AgentProfile) -> Table:
    columns = [
        ("submitted_at", _("Submitted")),
        ("scorecard", _("Scorecard")),
        ("reviewer", _("Reviewer")),
        ("status", _("Status")),
        ("total", _("Total")),
        ("auto_failed", _("auto-fail")),
    ]
    rows = [
        {
            "submitted_at": review.submitted_at,
            "scorecard": review.scorecard.name,
            "reviewer": str(review.reviewer),
            "status": review.get_status_display(),
            "total": review.total,
            "auto_failed": review.auto_failed,
        }
        for review in profile.reviews
    ]
    return rows, columns


def _assignments(profile: AgentProfile) -> Table:
    columns = [
        ("course", _("Course")),
        ("due_date", _("Due")),
        ("progress", _("Progress") + " (%)"),
        ("completed_at", _("completed")),
        ("overdue", _("overdue")),
    ]
    rows = [
        {
            "course": assignment.course.title,
            "due_date": assignment.due_date,
            "progress": assignment.progress_percent,
            "completed_at": assignment.completed_at,
            "overdue": assignment.is_overdue,
        }
        for assignment in profile.assignments
    ]
    return rows, columns


def _quizzes(profile: AgentProfile) -> Table:
    columns = [
        ("quiz", _("Quiz")),
        ("attempt", _("Attempt")),
        ("submitted_at", _("Date")),
        ("percent", _("Score") + " (%)"),
        ("passed", _("passed")),
    ]
    rows = [
        {
            "quiz": attempt.quiz.course.title,
            "attempt": attempt.number,
            "submitted_at": attempt.submitted_at,
            "percent": attempt.percent,
            "passed": attempt.passed,
        }
        for attempt in profile.attempts
    ]
    return rows, columns
