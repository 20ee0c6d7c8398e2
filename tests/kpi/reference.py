"""The metric definitions of DESIGN.md, written as plainly as possible, to check the SQL against."""

import zoneinfo
from collections import defaultdict
from decimal import Decimal

from conversations.models import Conversation
from qa_reviews.models import COUNTED_STATUSES

ZERO = {
    "conversations": 0,
    "messages_sent": 0,
    "unanswered": 0,
    "first_response_count": 0,
    "first_response_ms_sum": 0,
    "response_count": 0,
    "response_ms_sum": 0,
    "resolved": 0,
    "rated": 0,
    "rating_sum": 0,
    "rated_good": 0,
    "pre_sales": 0,
    "pre_sales_ordered": 0,
    "sales_amount": Decimal("0.00"),
    "qa_reviews": 0,
    "qa_score_sum": Decimal("0.00"),
}


def _ms(later, earlier) -> int:
    return round((later - earlier).total_seconds() * 1000)


def conversation_figures(conversation) -> dict:
    messages = sorted(
        (m for m in conversation.messages.all() if m.sender in ("customer", "agent")), key=lambda m: (m.sent_at, m.id)
    )
    figures = dict(ZERO)
    figures["conversations"] = 1
    figures["messages_sent"] = sum(1 for m in messages if m.sender == "agent")

    def next_agent_after(index):
        return next((m for m in messages[index + 1 :] if m.sender == "agent"), None)

    customer_positions = [i for i, m in enumerate(messages) if m.sender == "customer"]
    if customer_positions:
        first = customer_positions[0]
        reply = next_agent_after(first)
        if reply is None:
            figures["unanswered"] = 1
        else:
            figures["first_response_count"] = 1
            figures["first_response_ms_sum"] = _ms(reply.sent_at, messages[first].sent_at)
    for i, message in enumerate(messages):
        starts_turn = message.sender == "customer" and (i == 0 or messages[i - 1].sender == "agent")
        if starts_turn and (reply := next_agent_after(i)) is not None:
            figures["response_count"] += 1
            figures["response_ms_sum"] += _ms(reply.sent_at, message.sent_at)
    figures["resolved"] = int(conversation.resolved)
    if conversation.rating is not None:
        figures["rated"] = 1
        figures["rating_sum"] = conversation.rating
        figures["rated_good"] = int(conversation.rating >= 4)
    if conversation.category == "pre_sales":
        figures["pre_sales"] = 1
        figures["pre_sales_ordered"] = int(conversation.ordered)
    figures["sales_amount"] = conversation.order_amount
    counted = [r for r in conversation.reviews.all() if r.status in COUNTED_STATUSES and r.total is not None]
    figures["qa_reviews"] = len(counted)
    figures["qa_score_sum"] = sum((r.total for r in counted), Decimal("0.00"))
    return figures


def reference_metrics(day) -> tuple[dict, dict]:
    """({(team_id, agent_id): figures}, {team_id: figures}) for the teams' local date `day`."""
    agents: dict = defaultdict(lambda: dict(ZERO))
    teams: dict = defaultdict(lambda: dict(ZERO))
    for conversation in Conversation.objects.select_related("team").prefetch_related("messages", "reviews"):
        local_date = conversation.started_at.astimezone(zoneinfo.ZoneInfo(conversation.team.timezone)).date()
        if local_date != day:
            continue
        figures = conversation_figures(conversation)
        targets = [teams[conversation.team_id]]
        if conversation.agent_id is not None:
            targets.append(agents[(conversation.team_id, conversation.agent_id)])
        for target in targets:
            for name, value in figures.items():
                target[name] += value
    return dict(agents), dict(teams)


def reference_hourly(day) -> dict:
    """{(team_id, hour): (conversations started, customer messages)} in the teams' local time."""
    volumes: dict = defaultdict(lambda: [0, 0])
    for conversation in Conversation.objects.select_related("team").prefetch_related("messages"):
        zone = zoneinfo.ZoneInfo(conversation.team.timezone)
        started = conversation.started_at.astimezone(zone)
        if started.date() == day:
            volumes[(conversation.team_id, started.hour)][0] += 1
        for message in conversation.messages.all():
            sent = message.sent_at.astimezone(zone)
            if message.sender == "customer" and sent.date() == day:
                volumes[(conversation.team_id, sent.hour)][1] += 1
    return {key: tuple(value) for key, value in volumes.items()}
