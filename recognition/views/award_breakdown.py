"""Turning an award's stored breakdown into what its page shows: metric columns with labels, one row per visible
candidate with a cell per metric, the reasons someone was not eligible in words, and who ranked above the winner.

Only presentation: every number comes from the breakdown as stored (the page never recomputes).
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from kpi.definitions import METRICS, Direction

# The engine stores the tie-break order in English; the page shows it in the reader's language.
TIE_BREAK_WORDS = {
    "total (higher)": _("total (higher)"),
    "conversations (more)": _("conversations (more)"),
    "qa_score_avg (higher)": _("QA score (higher)"),
    "username (A→Z)": _("username (A→Z)"),
}
PERCENT_OF_ONE = {"resolution_rate", "conversion_rate"}  # stored as a share: shown as a percentage
PERCENT = {"csi"}
SECONDS = {"first_response_seconds", "avg_response_seconds"}


def metric_value(metric: str, value) -> str:
    if value is None:
        return "—"
    number = float(value)
    if metric in PERCENT_OF_ONE:
        return f"{number * 100:.1f}%"
    if metric in PERCENT:
        return f"{number:.1f}%"
    if metric in SECONDS:
        return f"{number:.1f} s"
    if isinstance(value, int):  # counts
        return f"{value:,}"
    return f"{number:,.2f}"


def weight_text(weight) -> str:
    """'2.000' -> '2', '1.500' -> '1.5' (the engine stores the weight's decimal string)."""
    try:
        return f"{Decimal(str(weight)).normalize():f}"
    except (InvalidOperation, ValueError):
        return str(weight)


def ineligible_reasons(codes: list[str], rules: dict) -> list[str]:
    conversations, reviews = rules.get("min_conversations", 0), rules.get("min_qa_reviews", 0)
    words = {
        "min_conversations": ngettext(
            "fewer than %(count)s conversation", "fewer than %(count)s conversations", conversations
        )
        % {"count": conversations},
        "min_qa_reviews": ngettext("fewer than %(count)s QA review", "fewer than %(count)s QA reviews", reviews)
        % {"count": reviews},
        "upheld_auto_fail": gettext("an upheld auto-fail QA review"),
    }
    return [str(words.get(code, code)) for code in codes]


def no_winner_text(reason: str) -> str:
    """The engine stores the reason in English, marked for the catalogue (gettext_noop): translate it here."""
    return gettext(reason) if reason else ""


def breakdown_table(breakdown: dict, *, viewer_id: int) -> dict:
    """Columns (metric, label, weight, direction) and rows (the candidate, its cells in column order)."""
    weights = breakdown.get("weights") or {}
    rules = breakdown.get("rules") or {}
    columns = []
    for metric, weight in weights.items():
        definition = METRICS.get(metric)
        columns.append(
            {
                "metric": metric,
                "label": definition.label if definition else metric,
                "weight": weight_text(weight),
                "lower_is_better": bool(definition and definition.direction == Direction.LOWER_IS_BETTER),
            }
        )
    winner_id, runner_up_id = breakdown.get("winner_id"), breakdown.get("runner_up_id")
    rows, above_winner, winner_row = [], [], None
    for candidate in breakdown.get("candidates") or []:
        lines = {line.get("metric"): line for line in candidate.get("lines") or []}
        cells = []
        for column in columns:
            line = lines.get(column["metric"], {})
            cells.append(
                {
                    "value": metric_value(column["metric"], line.get("value")),
                    "normalised": line.get("normalised"),
                    "weight": weight_text(line.get("weight", column["weight"])),
                    "contribution": line.get("contribution"),
                }
            )
        row = {
            **candidate,
            "cells": cells,
            "reasons": ineligible_reasons(candidate.get("ineligible") or [], rules),
            "qa_score_avg_text": metric_value("qa_score_avg", candidate.get("qa_score_avg")),
            "is_winner": candidate.get("agent_id") == winner_id,
            "is_runner_up": candidate.get("agent_id") == runner_up_id,
            "is_viewer": candidate.get("agent_id") == viewer_id,
        }
        if row["is_winner"]:
            winner_row = row
        rows.append(row)
    if winner_row is not None:
        above_winner = [row for row in rows if (row.get("rank") or 0) < (winner_row.get("rank") or 0)]
    runner_up_row = next((row for row in rows if row["is_runner_up"]), None)
    return {
        "columns": columns,
        "rows": rows,
        "winner": winner_row,
        "runner_up": runner_up_row,
        "above_winner": above_winner,
        "rules": rules,
        "tie_break": [str(TIE_BREAK_WORDS.get(step, step)) for step in breakdown.get("tie_break") or []],
        "no_winner_text": no_winner_text(breakdown.get("no_winner_reason") or ""),
        "tie": breakdown.get("margin") == 0 and winner_row is not None and runner_up_row is not None,
    }
