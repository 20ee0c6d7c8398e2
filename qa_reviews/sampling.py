"""Sampling: which conversations a team's QA inspectors review each week, and their queue.

A SamplingRule picks up to N conversations per agent per week (Monday to Sunday in the
team's time zone; a conversation's day is the local date of its start, as in kpi) and
creates one ReviewAssignment for each. Decisions that hold for every kind of rule:

- A run is idempotent: the per-agent quota counts what the rule already assigned that
  week, the picks are deterministic (random is seeded with the rule and the week), and
  the unique (rule, week_start, conversation) constraint absorbs a concurrent run.
- A conversation is sampled at most once, whatever the rule: conversations already in
  any assignment, or with a submitted (counted, non-calibration) review, are skipped,
  so no inspector scores a chat that has been scored, and the KPI never counts it twice.
  Drafts do not block: a draft is work in progress, not a review.
- Nobody reviews their own conversations: each pick goes to the least-loaded reviewer
  (fewest open assignments, ties by id) other than the conversation's agent; an agent's
  conversations are not sampled when the only reviewer is that agent.
- Reviewers are the rule's chosen reviewers who still supervise the team; if there are
  none (none chosen, or all of them left), the team's active QA inspectors.
- Due date: the Sunday after the sampled week (week_start + 13 days), or three days from
  today when an older week is sampled late, so new work is never born overdue.
"""

import datetime as dt
import logging
import zoneinfo
from collections import defaultdict
from itertools import groupby

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import MD5, Cast, Concat, RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from conversations.models import Conversation, Message, Sender
from qa_reviews import sentiment
from qa_reviews.models import (
    COUNTED_STATUSES,
    AssignmentStatus,
    Complaint,
    ComplaintPriority,
    ConversationSentiment,
    Review,
    ReviewAssignment,
    SamplingKind,
    SamplingRule,
    Scorecard,
)
from teams import policy
from teams.models import Membership, Role, Team

logger = logging.getLogger(__name__)

RULE_FIELDS = ("name", "kind", "per_agent_per_week", "slow_first_response_seconds", "scorecard", "is_active")
DUE_AFTER_WEEK_START = dt.timedelta(days=13)  # the Sunday of the following week
MINIMUM_TIME_TO_REVIEW = dt.timedelta(days=3)
SENTIMENT_BATCH = 500


class SamplingRunError(RuntimeError):
    """Some rules of a sampling run failed (the others were sampled)."""


# --- weeks in a team's time zone ----------------------------------------------------------------


def week_bounds(week_start: dt.date, zone_name: str) -> tuple[dt.datetime, dt.datetime]:
    """The instants of the week's first local midnight and of the next week's."""
    zone = zoneinfo.ZoneInfo(zone_name)
    start = dt.datetime.combine(week_start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(week_start + dt.timedelta(days=7), dt.time.min, tzinfo=zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def local_today(team: Team, now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(team.timezone)).date()


def last_complete_week(team: Team, now: dt.datetime | None = None) -> dt.date:
    """The Monday of the last Monday-to-Sunday week that has ended in the team's time zone."""
    today = local_today(team, now)
    return today - dt.timedelta(days=today.weekday() + 7)


def _check_week_start(team: Team, week_start: dt.date, now: dt.datetime | None) -> None:
    if week_start.weekday() != 0:
        raise ValidationError({"week_start": _("A week starts on a Monday.")})
    if week_start > local_today(team, now):
        raise ValidationError({"week_start": _("This week has not started yet.")})


# --- rules: create, change, switch off ----------------------------------------------------------


def _require_supervisor(actor, team_id: int) -> None:
    if not policy.can_supervise_team(actor, team_id):
        raise PermissionDenied(_("Only the team's supervisors and QA inspectors set its sampling rules."))


def _check_rule(rule: SamplingRule, reviewers) -> None:
    if isinstance(rule.per_agent_per_week, int) and rule.per_agent_per_week < 1:
        raise ValidationError({"per_agent_per_week": _("Sample at least one conversation per agent.")})
    if isinstance(rule.slow_first_response_seconds, int) and rule.slow_first_response_seconds < 1:
        raise ValidationError({"slow_first_response_seconds": _("A slow first response takes at least a second.")})
    try:
        rule.full_clean(exclude=["team"])
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error
    if rule.scorecard_id is not None and rule.scorecard.team_id not in (rule.team_id, rule.team.parent_id):
        raise ValidationError({"scorecard": _("This scorecard belongs to another team.")})
    for reviewer in reviewers or ():
        if not reviewer.is_active or not policy.can_supervise_team(reviewer, rule.team_id):
            raise ValidationError(
                {
                    "reviewers": _("%(name)s does not review this team: choose its QA inspectors or supervisors.")
                    % {"name": reviewer}
                }
            )


@transaction.atomic
def sampling_rule_create(
    *,
    team: Team,
    actor,
    name: str,
    kind: str,
    per_agent_per_week: int = 2,
    slow_first_response_seconds: int = 300,
    scorecard: Scorecard | None = None,
    reviewers=(),
    is_active: bool = True,
) -> SamplingRule:
    _require_supervisor(actor, team.pk)
    rule = SamplingRule(
        team=team,
        name=name,
        kind=kind,
        per_agent_per_week=per_agent_per_week,
        slow_first_response_seconds=slow_first_response_seconds,
        scorecard=scorecard,
        is_active=is_active,
    )
    reviewers = list(reviewers)
    _check_rule(rule, reviewers)
    rule.save()
    rule.reviewers.set(reviewers)
    return rule


@transaction.atomic
def sampling_rule_update(*, rule: SamplingRule, actor, reviewers=None, **changes) -> SamplingRule:
    """Change some of RULE_FIELDS (and the reviewers when given). The team never changes.

    A rule that has sampled conversations keeps its kind: its assignments say why they were picked.
    """
    _require_supervisor(actor, rule.team_id)
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed.")})
    rule = SamplingRule.objects.select_for_update(of=("self",)).select_related("team").get(pk=rule.pk)
    if "kind" in changes and changes["kind"] != rule.kind and rule.assignments.exists():
        raise ValidationError(
            {"kind": _("This rule has sampled conversations already; create a new rule for another kind.")}
        )
    for field, value in changes.items():
        setattr(rule, field, value)
    reviewers = list(reviewers) if reviewers is not None else None
    _check_rule(rule, reviewers)
    rule.save()
    if reviewers is not None:
        rule.reviewers.set(reviewers)
    return rule


def sampling_rule_deactivate(*, rule: SamplingRule, actor) -> SamplingRule:
    """Stop sampling with this rule; its assignments stay in the queue."""
    return sampling_rule_update(rule=rule, actor=actor, is_active=False)


def sampling_rule_run(*, rule: SamplingRule, actor, week_start: dt.date | None = None) -> tuple[dt.date, int]:
    """Sample one week now (default: the last complete week). Returns the week and how many were assigned."""
    _require_supervisor(actor, rule.team_id)
    if not rule.is_active:
        raise ValidationError({"is_active": _("This rule is switched off.")})
    week_start = week_start or last_complete_week(rule.team)
    return week_start, week_sample(rule=rule, week_start=week_start)


# --- the sampling run ---------------------------------------------------------------------------


def sampling_run(*, week_start: dt.date | None = None, team: Team | None = None, now: dt.datetime | None = None) -> int:
    """Sample every active rule (of one team, or all). Without week_start, each team's last complete week.

    Each rule runs in its own transaction; one that fails does not stop the others, and the run
    then fails as a whole (after the others are done) so the job shows up as failed.
    """
    rules = SamplingRule.objects.filter(is_active=True).select_related("team").order_by("team_id", "pk")
    if team is not None:
        rules = rules.filter(team=team)
    created, failed = 0, []
    for rule in rules:
        try:
            created += week_sample(rule=rule, week_start=week_start or last_complete_week(rule.team, now), now=now)
        except Exception:
            logger.exception("Sampling rule %s failed", rule.pk)
            failed.append(rule.pk)
    if failed:
        raise SamplingRunError(f"Sampling rules {failed} failed; {created} assignments were created by the others.")
    return created


@transaction.atomic
def week_sample(*, rule: SamplingRule, week_start: dt.date, now: dt.datetime | None = None) -> int:
    """Create the rule's assignments for one week; returns how many were created (0 on a rerun)."""
    # One run per rule at a time (PostgreSQL); a concurrent second run waits, then finds the quota filled.
    rule = SamplingRule.objects.select_for_update(of=("self",)).select_related("team").get(pk=rule.pk)
    _check_week_start(rule.team, week_start, now)
    if not rule.is_active:
        return 0
    reviewer_ids = _reviewer_ids(rule)
    if not reviewer_ids:
        return 0
    utc_start, utc_end = week_bounds(week_start, rule.team.timezone)
    eligible = _eligible_conversations(rule, utc_start, utc_end, reviewer_ids)
    if rule.kind == SamplingKind.NEGATIVE_SENTIMENT:
        conversation_sentiments_refresh(conversations=eligible)
    already_assigned = dict(
        ReviewAssignment.objects.filter(rule=rule, week_start=week_start)
        .values_list("conversation__agent_id")
        .annotate(total=Count("id"))
    )
    picks = _picks(rule, week_start, eligible, already_assigned)
    if not picks:
        return 0
    open_load = defaultdict(
        int,
        ReviewAssignment.objects.filter(reviewer_id__in=reviewer_ids, status=AssignmentStatus.OPEN)
        .values_list("reviewer_id")
        .annotate(total=Count("id")),
    )
    due_date = max(week_start + DUE_AFTER_WEEK_START, local_today(rule.team, now) + MINIMUM_TIME_TO_REVIEW)
    assignments = []
    for conversation_id, agent_id in picks:
        reviewer_id = min((r for r in reviewer_ids if r != agent_id), key=lambda r: (open_load[r], r))
        open_load[reviewer_id] += 1
        assignments.append(
            ReviewAssignment(
                rule=rule,
                week_start=week_start,
                team_id=rule.team_id,
                conversation_id=conversation_id,
                reviewer_id=reviewer_id,
                due_date=due_date,
            )
        )
    before = ReviewAssignment.objects.filter(rule=rule, week_start=week_start).count()
    ReviewAssignment.objects.bulk_create(assignments, ignore_conflicts=True)
    return ReviewAssignment.objects.filter(rule=rule, week_start=week_start).count() - before


def _reviewer_ids(rule: SamplingRule) -> list[int]:
    chosen = [
        reviewer.pk
        for reviewer in rule.reviewers.filter(is_active=True).order_by("pk")
        if policy.can_supervise_team(reviewer, rule.team_id)
    ]
    if chosen:
        return chosen
    return list(
        Membership.objects.filter(team_id=rule.team_id, role=Role.QA, active=True, user__is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def _eligible_conversations(rule, utc_start, utc_end, reviewer_ids) -> QuerySet[Conversation]:
    conversations = (
        Conversation.objects.filter(
            team_id=rule.team_id, started_at__gte=utc_start, started_at__lt=utc_end, agent__isnull=False
        )
        .exclude(Exists(ReviewAssignment.objects.filter(conversation=OuterRef("pk"))))
        .exclude(
            Exists(
                Review.objects.filter(
                    conversation=OuterRef("pk"), calibration__isnull=True, status__in=COUNTED_STATUSES
                )
            )
        )
    )
    if len(reviewer_ids) == 1:
        conversations = conversations.exclude(agent_id=reviewer_ids[0])  # nobody else could review them
    return conversations


def _picks(rule, week_start, eligible, already_assigned: dict[int, int]) -> list[tuple[int, int]]:
    """(conversation id, agent id) of the new picks: each agent's best candidates up to the quota left."""
    candidates, order = _candidates(rule, week_start, eligible)
    ranked = (
        candidates.annotate(
            pick_rank=Window(RowNumber(), partition_by=[F("agent_id")], order_by=[*order, F("id").asc()])
        )
        .filter(pick_rank__lte=rule.per_agent_per_week)
        .order_by("agent_id", "pick_rank")
        .values_list("pk", "agent_id")
    )
    picks = []
    for agent_id, rows in groupby(ranked, key=lambda row: row[1]):
        quota_left = rule.per_agent_per_week - already_assigned.get(agent_id, 0)
        picks.extend(list(rows)[: max(quota_left, 0)])
    return picks


def _candidates(rule, week_start, conversations):
    """The conversations of the rule's kind and the order that puts the most worth reviewing first."""
    if rule.kind == SamplingKind.RANDOM:
        # A hash of (rule, week, conversation): random-looking, the same on every rerun and database.
        seed = f"{rule.pk}:{week_start.isoformat()}:"
        return conversations.annotate(draw=MD5(Concat(Value(seed), Cast("id", CharField())))), [F("draw").asc()]
    if rule.kind == SamplingKind.LOW_RATING:
        return conversations.filter(rating__lte=2), [F("rating").asc(), F("started_at").asc()]
    if rule.kind == SamplingKind.NEGATIVE_SENTIMENT:
        negative = conversations.filter(qa_sentiment__negative=True, qa_sentiment__method=sentiment.METHOD)
        return negative, [F("qa_sentiment__negativity").desc(), F("started_at").asc()]
    if rule.kind == SamplingKind.COMPLAINT:
        urgency = Case(
            *(When(priority=priority, then=Value(rank)) for rank, priority in enumerate(ComplaintPriority.values)),
            output_field=IntegerField(),
        )
        worst_complaint = Subquery(
            Complaint.objects.filter(conversation=OuterRef("pk"))
            .annotate(urgency=urgency)
            .order_by("-urgency")
            .values("urgency")[:1]
        )
        complained = conversations.annotate(complaint_urgency=worst_complaint).filter(complaint_urgency__isnull=False)
        return complained, [F("complaint_urgency").desc(), F("started_at").asc()]
    if rule.kind == SamplingKind.SLOW_FIRST_RESPONSE:
        return _slow_first_response(conversations, rule.slow_first_response_seconds)
    raise ValidationError({"kind": _("Unknown kind of sampling rule.")})


def _slow_first_response(conversations, threshold_seconds: int):
    """First customer message to the first agent message after it (DESIGN.md), computed in the database.

    A customer who never got an answer waited longest of all: such conversations count as slow
    and come first. Conversations without a customer message have no first response to judge.
    """
    first_customer = Message.objects.filter(conversation=OuterRef("pk"), sender=Sender.CUSTOMER).order_by(
        "sent_at", "id"
    )
    # "After it" as in kpi: later in (sent_at, id) order, so a reply stamped the same second still counts.
    first_reply = Message.objects.filter(
        Q(sent_at__gt=OuterRef("first_customer_at"))
        | Q(sent_at=OuterRef("first_customer_at"), id__gt=OuterRef("first_customer_id")),
        conversation=OuterRef("pk"),
        sender=Sender.AGENT,
    ).order_by("sent_at", "id")
    annotated = (
        conversations.annotate(
            first_customer_at=Subquery(first_customer.values("sent_at")[:1]),
            first_customer_id=Subquery(first_customer.values("id")[:1]),
        )
        .annotate(first_reply_at=Subquery(first_reply.values("sent_at")[:1]))
        .annotate(
            first_response=ExpressionWrapper(F("first_reply_at") - F("first_customer_at"), output_field=DurationField())
        )
        .filter(first_customer_at__isnull=False)
        .filter(Q(first_reply_at__isnull=True) | Q(first_response__gt=dt.timedelta(seconds=threshold_seconds)))
    )
    return annotated, [F("first_response").desc(nulls_first=True), F("started_at").asc()]


def conversation_sentiments_refresh(*, conversations: QuerySet[Conversation]) -> int:
    """Score the customer's messages of conversations that have no score from the current method.

    A cache on ConversationSentiment, upserted in batches; returns how many were scored.
    """
    stale_ids = list(
        conversations.exclude(qa_sentiment__method=sentiment.METHOD).order_by("pk").values_list("pk", flat=True)
    )
    for offset in range(0, len(stale_ids), SENTIMENT_BATCH):
        batch = stale_ids[offset : offset + SENTIMENT_BATCH]
        texts: dict[int, list[str]] = {conversation_id: [] for conversation_id in batch}
        customer_messages = (
            Message.objects.filter(conversation_id__in=batch, sender=Sender.CUSTOMER)
            .order_by("conversation_id", "sent_at", "id")
            .values_list("conversation_id", "text")
        )
        for conversation_id, text in customer_messages:
            texts[conversation_id].append(text)
        rows = []
        for conversation_id, customer_texts in texts.items():
            score = sentiment.negativity(customer_texts)  # is_negative() would score the texts a second time
            rows.append(
                ConversationSentiment(
                    conversation_id=conversation_id,
                    negativity=score,
                    negative=score >= sentiment.NEGATIVE_THRESHOLD,
                    method=sentiment.METHOD,
                )
            )
        ConversationSentiment.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["conversation"],
            update_fields=["negativity", "negative", "method", "computed_at"],
        )
    return len(stale_ids)


# --- selectors ----------------------------------------------------------------------------------


def sampling_rule_list(*, user) -> QuerySet[SamplingRule]:
    """Rules of the teams the user supervises (supervisors, QA inspectors, managers above)."""
    return (
        SamplingRule.objects.filter(team_id__in=policy.team_access(user).supervised)
        .select_related("team", "scorecard")
        .prefetch_related("reviewers")
        .annotate(open_assignments=Count("assignments", filter=Q(assignments__status=AssignmentStatus.OPEN)))
        .order_by("team__name", "name", "pk")
    )


def assignment_list(*, user) -> QuerySet[ReviewAssignment]:
    """Assignments of the teams the user supervises, open first, then by due date. Agents see none.

    `scorecard_to_use` is the current version of the rule's scorecard, for the review screen.
    """
    current_scorecard = Scorecard.objects.filter(family=OuterRef("rule__scorecard__family"), is_current=True)
    return (
        ReviewAssignment.objects.filter(team_id__in=policy.team_access(user).supervised)
        .select_related("rule", "team", "reviewer", "conversation", "conversation__agent", "review")
        .annotate(
            scorecard_to_use=Subquery(current_scorecard.values("pk")[:1]),
            open_first=Case(When(status=AssignmentStatus.OPEN, then=Value(0)), default=Value(1)),
        )
        .order_by("open_first", "due_date", "pk")
    )
