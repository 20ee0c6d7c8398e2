"""The metrics that can be reported and targeted: how each derives from the stored sums and counts."""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "up", _("higher is better")
    LOWER_IS_BETTER = "down", _("lower is better")


@dataclass(frozen=True)
class MetricDefinition:
    name: str
    label: str
    unit: str
    direction: str


def _ratio(numerator, denominator) -> float | None:
    return float(numerator) / float(denominator) if denominator else None


# DESIGN.md names, in its order. Each takes the parts (a row or a sum of rows) and returns the figure.
DERIVATIONS = {
    "conversations": lambda p: p["conversations"],
    "messages_sent": lambda p: p["messages_sent"],
    "unanswered": lambda p: p["unanswered"],
    "first_response_seconds": lambda p: _ratio(p["first_response_ms_sum"], 1000 * p["first_response_count"]),
    "avg_response_seconds": lambda p: _ratio(p["response_ms_sum"], 1000 * p["response_count"]),
    "resolution_rate": lambda p: _ratio(p["resolved"], p["conversations"]),
    "csat_avg": lambda p: _ratio(p["rating_sum"], p["rated"]),
    "csi": lambda p: _ratio(100 * p["rated_good"], p["rated"]),
    "conversion_rate": lambda p: _ratio(p["pre_sales_ordered"], p["pre_sales"]),
    "sales_amount": lambda p: Decimal(p["sales_amount"]),
    "qa_score_avg": lambda p: _ratio(p["qa_score_sum"], p["qa_reviews"]),
}

METRICS = {
    definition.name: definition
    for definition in [
        MetricDefinition("conversations", _("Conversations"), _("conversations"), Direction.HIGHER_IS_BETTER),
        MetricDefinition("messages_sent", _("Messages sent"), _("messages"), Direction.HIGHER_IS_BETTER),
        MetricDefinition("unanswered", _("Unanswered"), _("conversations"), Direction.LOWER_IS_BETTER),
        MetricDefinition("first_response_seconds", _("First response"), _("seconds"), Direction.LOWER_IS_BETTER),
        MetricDefinition("avg_response_seconds", _("Average response"), _("seconds"), Direction.LOWER_IS_BETTER),
        MetricDefinition("resolution_rate", _("Resolution rate"), _("share"), Direction.HIGHER_IS_BETTER),
        MetricDefinition("csat_avg", _("CSAT"), _("points of 5"), Direction.HIGHER_IS_BETTER),
        MetricDefinition("csi", _("CSI"), _("percent of ratings of 4 or 5"), Direction.HIGHER_IS_BETTER),
        MetricDefinition("conversion_rate", _("Conversion rate"), _("share"), Direction.HIGHER_IS_BETTER),
        MetricDefinition("sales_amount", _("Sales"), _("currency"), Direction.HIGHER_IS_BETTER),
        MetricDefinition("qa_score_avg", _("QA score"), _("points"), Direction.HIGHER_IS_BETTER),
    ]
}

PART_NAMES = [
    "conversations",
    "messages_sent",
    "unanswered",
    "first_response_count",
    "first_response_ms_sum",
    "response_count",
    "response_ms_sum",
    "resolved",
    "rated",
    "rating_sum",
    "rated_good",
    "pre_sales",
    "pre_sales_ordered",
    "sales_amount",
    "qa_reviews",
    "qa_score_sum",
]


def derive(parts: Mapping) -> dict:
    """Every reported metric from stored parts (one row, or the sums of many rows)."""
    return {name: derivation(parts) for name, derivation in DERIVATIONS.items()}


# Targets of these metrics are amounts that add up: a month's target is split over shops, days and
# agents. Every other metric is a level (a rate, an average): each shop, day and agent gets it whole.
ADDITIVE_DECIMALS = {"conversations": 0, "messages_sent": 0, "sales_amount": 2}
