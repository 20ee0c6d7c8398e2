"""A few weeks of believable chats for the demo department, through the normal ingestion service.

Deterministic (seeded), so running it again upserts the same conversations and changes nothing.
"""

import datetime as dt
import random
import zoneinfo
from decimal import Decimal

from conversations.ingest import IngestScope, conversations_ingest
from teams.models import Membership, Role, Shift, Team

SOURCE = "demo-chat"
BATCH = 500

PRE_SALES_OPENERS = [
    "这款有蓝色吗？",
    "今天下单什么时候发货？",
    "可以用优惠券吗？",
    "尺码偏大还是偏小？",
    "Is this in stock in size M?",
]
AFTER_SALES_OPENERS = [
    "我的快递三天没动了",
    "想退货，怎么操作？",
    "收到的商品有破损",
    "退款什么时候到账？",
    "Where is my parcel?",
]
AGENT_REPLIES = [
    "您好，我来帮您查一下。",
    "有的，今天下午发货。",
    "已为您登记，稍后回复您。",
    "可以的，结算时自动抵扣。",
    "Thanks, let me check that for you.",
]
CUSTOMER_FOLLOW_UPS = ["好的，谢谢", "那大概要多久？", "还有别的颜色吗？", "OK, thank you!"]
# What a customer who rates the chat 1 or 2 says last: QA's negative-sentiment sampling finds these.
UNHAPPY_LAST_WORDS = [
    "太慢了，等了半天也没解决，我要投诉！",
    "什么破服务，差评。",
    "说了三遍还是不明白，太失望了。",
    "This is useless, I want a refund.",
]


def demo_chats_seed(*, department: Team, today: dt.date, days: int) -> int:
    """Conversations for every scheduled agent over the last `days` days (today included, up to now)."""
    team_ids = [department.pk, *Team.objects.filter(parent=department).values_list("id", flat=True)]
    positions = dict(
        Membership.objects.filter(team_id__in=team_ids, role=Role.AGENT).values_list("user__username", "position")
    )
    shifts = (
        Shift.objects.filter(team_id__in=team_ids, date__gt=today - dt.timedelta(days=days), date__lte=today)
        .filter(user__username__in=positions)
        .select_related("user", "shop", "team")
        .order_by("date", "user__username")
    )
    now = dt.datetime.now(dt.UTC)
    items = [item for shift in shifts for item in _shift_chats(shift, positions[shift.user.username], now)]
    scope = IngestScope(writable_team_ids=frozenset(team_ids), shop_team_ids=frozenset(team_ids))
    for start in range(0, len(items), BATCH):
        conversations_ingest(items=items[start : start + BATCH], scope=scope)
    return len(items)


def _shift_chats(shift: Shift, position: str, now: dt.datetime) -> list[dict]:
    rng = random.Random(f"{shift.user.username}-{shift.date}")
    skill = random.Random(shift.user.username).uniform(0.6, 1.0)  # each agent is consistently as good
    zone = zoneinfo.ZoneInfo(shift.team.timezone)
    opening = dt.datetime.combine(shift.date, shift.start_time, tzinfo=zone)
    pre_sales = position == "pre_sales"
    chats = []
    for number in range(rng.randint(8, 16)):
        started = opening + dt.timedelta(minutes=rng.randint(0, 8 * 60 - 30))
        if started > now:
            continue
        messages, moment = [], started
        messages.append(
            _message("customer", moment, rng.choice(PRE_SALES_OPENERS if pre_sales else AFTER_SALES_OPENERS))
        )
        if rng.random() < 0.3:
            moment += dt.timedelta(seconds=2)
            messages.append(_message("bot", moment, "欢迎光临，客服马上为您服务。"))
        unanswered = rng.random() < 0.04
        for _turn in range(0 if unanswered else rng.randint(1, 3)):
            moment += dt.timedelta(seconds=int(rng.uniform(8, 150) / skill))
            messages.append(_message("agent", moment, rng.choice(AGENT_REPLIES)))
            moment += dt.timedelta(seconds=rng.randint(20, 240))
            messages.append(_message("customer", moment, rng.choice(CUSTOMER_FOLLOW_UPS)))
        if not unanswered:
            moment += dt.timedelta(seconds=int(rng.uniform(5, 90) / skill))
            messages.append(_message("agent", moment, "还有其他可以帮您的吗？"))
        messages = [m for m in messages if dt.datetime.fromisoformat(m["sent_at"]) <= now]
        ordered = pre_sales and rng.random() < 0.2 + 0.25 * skill
        chats.append(
            {
                "source": SOURCE,
                "external_id": f"{shift.user.username}-{shift.date:%Y%m%d}-{number}",
                "channel": "web",
                "shop": shift.shop.code if shift.shop else None,
                "agent": shift.user.username,
                "customer": f"buyer-{rng.randint(1000, 9999)}",
                "category": "pre_sales" if pre_sales else rng.choice(["after_sales", "after_sales", "complaint"]),
                "started_at": started.isoformat(),
                "closed_at": moment.isoformat() if moment <= now else None,
                "resolved": not unanswered and rng.random() < 0.7 + 0.25 * skill,
                "rating": _rating(rng, skill) if rng.random() < 0.6 else None,
                "ordered": ordered,
                "order_amount": str(Decimal(rng.randint(59, 899)) if ordered else Decimal(0)),
                "messages": messages,
            }
        )
        rating = chats[-1]["rating"]
        if rating is not None and rating <= 2 and moment + dt.timedelta(seconds=30) <= now:
            last_words = random.Random(chats[-1]["external_id"]).choice(UNHAPPY_LAST_WORDS)
            messages.append(_message("customer", moment + dt.timedelta(seconds=30), last_words))
            chats[-1]["closed_at"] = (moment + dt.timedelta(seconds=30)).isoformat()
    return chats


def _rating(rng: random.Random, skill: float) -> int:
    return max(1, min(5, round(rng.gauss(3.2 + 1.8 * skill, 0.8))))


def _message(sender: str, moment: dt.datetime, text: str) -> dict:
    return {"sender": sender, "sent_at": moment.isoformat(), "text": text}
