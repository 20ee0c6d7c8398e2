"""Calibration sessions: several reviewers score the same conversations blind, then compare.

A blind score is a Review with `calibration` set (services.review_save with
`calibration=`): the agent is not told and the KPI never counts it. While a
session is open each reviewer sees only their own scores; other people's scores,
the spread and the agreement appear once it is closed.

Agreement is Krippendorff's alpha for interval data (the `krippendorff`
package): rows are reviewers, units are (conversation, criterion) pairs, values
are points / max points so criteria of different scales compare, "not
applicable" and unscored are missing. Only submitted scores count.

Reading alpha follows Krippendorff (Content Analysis, 2004, p. 241): rely on
alpha >= 0.800; between 0.667 and 0.800 draw only tentative conclusions; below
0.667 the reviewers do not agree well enough.

A reviewer's deviation is the mean, over the conversations at least two reviewers
scored, of (their total - the mean total of everyone who scored it), in points of
the 0-100 total. Beyond DEVIATION_THRESHOLD_POINTS below the group the reviewer is
strict, above it lenient, otherwise in line.
"""

from qa_reviews.calibration.results import (
    ALPHA_FEWER_REVIEWERS,
    ALPHA_GOOD,
    ALPHA_NO_PAIRS,
    ALPHA_NO_VARIANCE,
    ALPHA_READINGS,
    ALPHA_TENTATIVE,
    ALPHA_UNDEFINED_REASONS,
    DEVIATION_THRESHOLD_POINTS,
    MIN_REVIEWERS,
    CalibrationResults,
    ConversationTotals,
    CriterionResult,
    CriterionSpread,
    ReviewerDeviation,
    ReviewerPoints,
    alpha_reading,
    calibration_results,
    interval_alpha,
)
from qa_reviews.calibration.selectors import (
    ReviewerProgress,
    calibration_list,
    calibration_own_scores,
    calibration_progress,
)
from qa_reviews.calibration.services import calibration_close, calibration_create, calibration_score, can_close

__all__ = [
    "ALPHA_FEWER_REVIEWERS",
    "ALPHA_GOOD",
    "ALPHA_NO_PAIRS",
    "ALPHA_NO_VARIANCE",
    "ALPHA_READINGS",
    "ALPHA_TENTATIVE",
    "ALPHA_UNDEFINED_REASONS",
    "DEVIATION_THRESHOLD_POINTS",
    "MIN_REVIEWERS",
    "CalibrationResults",
    "ConversationTotals",
    "CriterionResult",
    "CriterionSpread",
    "ReviewerDeviation",
    "ReviewerPoints",
    "ReviewerProgress",
    "alpha_reading",
    "calibration_close",
    "calibration_create",
    "calibration_list",
    "calibration_own_scores",
    "calibration_progress",
    "calibration_results",
    "calibration_score",
    "can_close",
    "interval_alpha",
]
