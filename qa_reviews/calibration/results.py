"""The numbers of a closed session: spread per criterion, Krippendorff's alpha, each reviewer's deviation.

See the package docstring for the definitions and the thresholds.
"""

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import krippendorff
import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conversations.models import Conversation
from qa_reviews.models import CalibrationSession, CalibrationStatus, Criterion, CriterionScore, ReviewStatus

MIN_REVIEWERS = 2
# One step on a heavily weighted criterion moves a 0-100 total by about this much;
# smaller average gaps are within what a handful of conversations can show by chance.
DEVIATION_THRESHOLD_POINTS = 5.0
ALPHA_GOOD = 0.8
ALPHA_TENTATIVE = 0.667

# Why alpha could not be computed.
ALPHA_FEWER_REVIEWERS = "fewer_reviewers"
ALPHA_NO_PAIRS = "no_pairs"
ALPHA_NO_VARIANCE = "no_variance"
ALPHA_UNDEFINED_REASONS = {
    ALPHA_FEWER_REVIEWERS: gettext_lazy("Fewer than two reviewers submitted scores, so there is nothing to compare."),
    ALPHA_NO_PAIRS: gettext_lazy("No criterion of any conversation was scored by two reviewers."),
    ALPHA_NO_VARIANCE: gettext_lazy(
        "Every score is the same, so agreement cannot be told apart from chance: alpha is undefined."
    ),
}
ALPHA_READINGS = {
    "good": gettext_lazy("Good agreement (alpha ≥ 0.800): the reviewers score alike."),
    "tentative": gettext_lazy(
        "Tentative agreement (0.667 ≤ alpha < 0.800): good enough only for tentative conclusions."
    ),
    "poor": gettext_lazy("Poor agreement (alpha < 0.667): the reviewers read the scorecard differently."),
}
LEANINGS = {
    "strict": gettext_lazy("strict"),
    "lenient": gettext_lazy("lenient"),
    "in_line": gettext_lazy("in line"),
}


@dataclass(frozen=True)
class ReviewerPoints:
    reviewer_id: int
    scored: bool  # submitted a score for this conversation
    points: int | None  # None: not applicable (or not scored)


@dataclass(frozen=True)
class CriterionSpread:
    """One criterion on one conversation: every reviewer's points and how far apart they are."""

    conversation: Conversation
    cells: list[ReviewerPoints]  # in the order of CalibrationResults.reviewers
    mean: float | None
    minimum: int | None
    maximum: int | None
    std_dev: float | None  # population standard deviation; needs two applicable scores


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    alpha: float | None
    alpha_undefined: str  # a key of ALPHA_UNDEFINED_REASONS when alpha is None
    mean_std_dev: float | None  # the criterion's spread: mean of its per-conversation standard deviations
    conversations: list[CriterionSpread]

    @property
    def alpha_undefined_text(self) -> str:
        return str(ALPHA_UNDEFINED_REASONS.get(self.alpha_undefined, ""))


@dataclass(frozen=True)
class ConversationTotals:
    conversation: Conversation
    totals: list[Decimal | None]  # in the order of CalibrationResults.reviewers; None: not scored
    mean: float | None


@dataclass(frozen=True)
class ReviewerDeviation:
    reviewer: object
    conversations_scored: int
    conversations_compared: int  # scored, and scored by at least one other reviewer
    deviation: float | None  # mean of (own total - group mean total), in points of the 0-100 total
    leaning: str  # "strict", "lenient", "in_line", or "" when there is nothing to compare

    @property
    def leaning_text(self) -> str:
        return str(LEANINGS.get(self.leaning, ""))


@dataclass(frozen=True)
class CalibrationResults:
    session: CalibrationSession
    reviewers: list  # every reviewer of the session, by username
    alpha: float | None
    alpha_undefined: str
    criteria: list[CriterionResult]
    totals: list[ConversationTotals]
    deviations: list[ReviewerDeviation]
    deviation_threshold: float = DEVIATION_THRESHOLD_POINTS

    @property
    def alpha_reading(self) -> str:
        return alpha_reading(self.alpha)

    @property
    def alpha_reading_text(self) -> str:
        return str(ALPHA_READINGS.get(self.alpha_reading, ""))

    @property
    def alpha_undefined_text(self) -> str:
        return str(ALPHA_UNDEFINED_REASONS.get(self.alpha_undefined, ""))


def alpha_reading(alpha: float | None) -> str:
    """Krippendorff's conventions: >= 0.800 good, 0.667 to 0.800 tentative, below poor."""
    if alpha is None:
        return ""
    if alpha >= ALPHA_GOOD:
        return "good"
    if alpha >= ALPHA_TENTATIVE:
        return "tentative"
    return "poor"


def interval_alpha(reliability_data: np.ndarray) -> tuple[float | None, str]:
    """Krippendorff's interval alpha of a reviewers x units matrix (np.nan: missing), or (None, why not)."""
    matrix = np.asarray(reliability_data, dtype=float)
    if matrix.ndim != 2 or int((~np.isnan(matrix)).any(axis=1).sum()) < MIN_REVIEWERS:
        return None, ALPHA_FEWER_REVIEWERS
    # Units with fewer than two values cannot be paired and do not enter alpha.
    pairable = matrix[:, (~np.isnan(matrix)).sum(axis=0) >= 2]
    if pairable.shape[1] == 0:
        return None, ALPHA_NO_PAIRS
    values = pairable[~np.isnan(pairable)]
    if np.unique(values).size < 2:
        return None, ALPHA_NO_VARIANCE
    try:
        alpha = float(krippendorff.alpha(reliability_data=pairable, level_of_measurement="interval"))
    except ValueError:
        return None, ALPHA_NO_VARIANCE
    if not math.isfinite(alpha):
        return None, ALPHA_NO_VARIANCE
    return alpha, ""


def calibration_results(*, session: CalibrationSession) -> CalibrationResults:
    """Spread, agreement and each reviewer's deviation of a closed session, from its submitted scores.

    At most four queries whatever the size: the criteria, the conversations, the reviewers (none when
    prefetched) and every submitted score with its review.
    """
    if session.status != CalibrationStatus.CLOSED:
        raise ValidationError({"status": _("The results are shown once the session is closed.")})
    criteria = list(session.scorecard.criteria.all())
    conversations = list(session.conversations.select_related("agent").order_by("started_at", "id"))
    reviewers = sorted(session.reviewers.all(), key=lambda user: user.get_username())
    scores = (
        CriterionScore.objects.filter(review__calibration=session)
        .exclude(review__status=ReviewStatus.DRAFT)
        .select_related("review")
        .only("points", "criterion_id", "review__conversation_id", "review__reviewer_id", "review__total")
    )
    points: dict[tuple[int, int, int], int | None] = {}  # (conversation, criterion, reviewer) -> points
    totals: dict[tuple[int, int], Decimal | None] = {}  # (conversation, reviewer) -> total
    for score in scores:
        review = score.review
        points[(review.conversation_id, score.criterion_id, review.reviewer_id)] = score.points
        totals[(review.conversation_id, review.reviewer_id)] = review.total

    reviewer_ids = [reviewer.pk for reviewer in reviewers]
    row_of = {reviewer_id: row for row, reviewer_id in enumerate(reviewer_ids)}
    units = [(conversation, criterion) for conversation in conversations for criterion in criteria]
    matrix = np.full((len(reviewer_ids), len(units)), np.nan)
    for column, (conversation, criterion) in enumerate(units):
        for reviewer_id in reviewer_ids:
            value = points.get((conversation.pk, criterion.pk, reviewer_id))
            if value is not None:
                matrix[row_of[reviewer_id], column] = value / criterion.max_points
    alpha, alpha_undefined = interval_alpha(matrix)

    criterion_results = []
    for index, criterion in enumerate(criteria):
        columns = [position * len(criteria) + index for position in range(len(conversations))]
        criterion_alpha, criterion_undefined = interval_alpha(matrix[:, columns])
        spreads = [_spread(conversation, criterion, reviewer_ids, points, totals) for conversation in conversations]
        deviations = [spread.std_dev for spread in spreads if spread.std_dev is not None]
        criterion_results.append(
            CriterionResult(
                criterion=criterion,
                alpha=criterion_alpha,
                alpha_undefined=criterion_undefined,
                mean_std_dev=statistics.fmean(deviations) if deviations else None,
                conversations=spreads,
            )
        )

    conversation_totals = []
    for conversation in conversations:
        row = [totals.get((conversation.pk, reviewer_id)) for reviewer_id in reviewer_ids]
        given = [float(total) for total in row if total is not None]
        conversation_totals.append(
            ConversationTotals(conversation=conversation, totals=row, mean=statistics.fmean(given) if given else None)
        )
    return CalibrationResults(
        session=session,
        reviewers=reviewers,
        alpha=alpha,
        alpha_undefined=alpha_undefined,
        criteria=criterion_results,
        totals=conversation_totals,
        deviations=_deviations(reviewers, conversations, totals),
    )


def _spread(conversation, criterion, reviewer_ids, points, totals) -> CriterionSpread:
    cells = [
        ReviewerPoints(
            reviewer_id=reviewer_id,
            scored=(conversation.pk, reviewer_id) in totals,
            points=points.get((conversation.pk, criterion.pk, reviewer_id)),
        )
        for reviewer_id in reviewer_ids
    ]
    applicable = [cell.points for cell in cells if cell.scored and cell.points is not None]
    return CriterionSpread(
        conversation=conversation,
        cells=cells,
        mean=statistics.fmean(applicable) if applicable else None,
        minimum=min(applicable) if applicable else None,
        maximum=max(applicable) if applicable else None,
        std_dev=statistics.pstdev(applicable) if len(applicable) >= 2 else None,
    )


def _deviations(reviewers, conversations, totals) -> list[ReviewerDeviation]:
    gaps: dict[int, list[float]] = defaultdict(list)
    scored: dict[int, int] = defaultdict(int)
    for conversation in conversations:
        given = {
            reviewer.pk: float(totals[(conversation.pk, reviewer.pk)])
            for reviewer in reviewers
            if totals.get((conversation.pk, reviewer.pk)) is not None
        }
        for reviewer_id in given:
            scored[reviewer_id] += 1
        if len(given) < 2:
            continue
        group_mean = statistics.fmean(given.values())
        for reviewer_id, total in given.items():
            gaps[reviewer_id].append(total - group_mean)
    rows = []
    for reviewer in reviewers:
        deviation = statistics.fmean(gaps[reviewer.pk]) if gaps[reviewer.pk] else None
        rows.append(
            ReviewerDeviation(
                reviewer=reviewer,
                conversations_scored=scored[reviewer.pk],
                conversations_compared=len(gaps[reviewer.pk]),
                deviation=deviation,
                leaning=_leaning(deviation),
            )
        )
    return rows


def _leaning(deviation: float | None) -> str:
    if deviation is None:
        return ""
    if deviation < -DEVIATION_THRESHOLD_POINTS:
        return "strict"
    if deviation > DEVIATION_THRESHOLD_POINTS:
        return "lenient"
    return "in_line"
