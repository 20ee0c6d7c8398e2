import datetime as dt

import factory

from conversations.models import Category, Conversation, Message, Sender
from tests.factories import TeamFactory, UserFactory


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    source = "shopchat"
    external_id = factory.Sequence(lambda n: f"c-{n}")
    team = factory.SubFactory(TeamFactory)
    agent = factory.SubFactory(UserFactory)
    category = Category.PRE_SALES
    started_at = factory.Sequence(lambda n: dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC) + dt.timedelta(minutes=n))


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    conversation = factory.SubFactory(ConversationFactory)
    sender = Sender.CUSTOMER
    sent_at = factory.LazyAttribute(lambda m: m.conversation.started_at)
    text = "Hello"
    fingerprint = factory.Sequence(lambda n: f"test:{n}")


def native(external_id: str = "c-1001", agent: str = "alice", **overrides) -> dict:
    """One conversation in the native form of DESIGN.md."""
    item = {
        "source": "shopchat",
        "external_id": external_id,
        "channel": "web",
        "shop": None,
        "agent": agent,
        "customer": "buyer-77",
        "category": "pre_sales",
        "started_at": "2026-11-20T09:00:00+08:00",
        "closed_at": "2026-11-20T09:20:00+08:00",
        "resolved": True,
        "rating": 5,
        "ordered": True,
        "order_amount": "199.00",
        "messages": [
            {"sender": "customer", "sent_at": "2026-11-20T09:00:00+08:00", "text": "Is the blue one in stock?"},
            {"sender": "agent", "sent_at": "2026-11-20T09:00:40+08:00", "text": "Yes, it ships today."},
        ],
    }
    item.update(overrides)
    return item
