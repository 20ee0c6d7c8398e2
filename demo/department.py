"""A believable demo department: used by `manage.py seed_demo` and by browser tests."""

from dataclasses import dataclass
from datetime import date, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from teams.models import Membership, Position, Responsibility, Role, Shift, Shop, Team

# The embedded demo's published password (bandit B105 reviewed).
DEMO_PASSWORD = "demo-pass-2026"  # nosec B105
DEPARTMENT_TIMEZONE = "Asia/Shanghai"

EARLY = (time(9, 0), time(18, 0))
LATE = (time(13, 0), time(22, 0))


@dataclass(frozen=True)
class DemoPerson:
    username: str
    display_name: str
    team: str  # key into TEAMS
    role: str
    position: str = ""


TEAMS = {
    "department": (
        "Online Customer Service",
        "",
        "Every customer answered within a minute, every problem owned until it is solved.",
    ),
    "pre": (
        "Pre-sales",
        "department",
        "Turn questions into confident orders: know the product, answer fast, never oversell.",
    ),
    "after": (
        "After-sales",
        "department",
        "Make returns, refunds and complaints painless: one contact, one owner, one fix.",
    ),
}

SHOPS = [("flagship", "Flagship Store"), ("outlet", "Outlet Store"), ("global", "Global Store")]

_PRE_AGENTS = [
    ("wang", "王芳"),
    ("zhang.wei", "张伟"),
    ("liu.yang", "刘洋"),
    ("chen.jing", "陈静"),
    ("yang.fan", "杨帆"),
    ("zhao.lei", "赵磊"),
    ("huang.li", "黄丽"),
    ("wu.hao", "吴昊"),
    ("zhou.ting", "周婷"),
    ("xu.ming", "徐明"),
    ("sun.yue", "孙悦"),
]
_AFTER_AGENTS = [
    ("ma.lin", "马琳"),
    ("zhu.qiang", "朱强"),
    ("hu.xue", "胡雪"),
    ("guo.peng", "郭鹏"),
    ("he.yan", "何燕"),
    ("gao.jun", "高俊"),
    ("lin.na", "林娜"),
    ("luo.bin", "罗斌"),
    ("liang.qian", "梁倩"),
]

PEOPLE = [
    DemoPerson("manager", "周敏", "department", Role.MANAGER),
    DemoPerson("sup.pre", "李娜", "pre", Role.SUPERVISOR, Position.PRE_SALES),
    DemoPerson("sup.after", "陈刚", "after", Role.SUPERVISOR, Position.AFTER_SALES),
    DemoPerson("qa", "林晓", "pre", Role.QA),
    DemoPerson("qa", "林晓", "after", Role.QA),
    *(DemoPerson(u, n, "pre", Role.AGENT, Position.PRE_SALES) for u, n in _PRE_AGENTS),
    *(DemoPerson(u, n, "after", Role.AGENT, Position.AFTER_SALES) for u, n in _AFTER_AGENTS[:7]),
    *(DemoPerson(u, n, "after", Role.AGENT, Position.COMPLAINTS) for u, n in _AFTER_AGENTS[7:]),
]

# (team key, category, owner username, backup username, description)
RESPONSIBILITIES = [
    ("pre", "Product specs and sizing", "wang", "zhang.wei", "Materials, sizes, compatibility, stock."),
    ("pre", "Promotions and coupons", "liu.yang", "chen.jing", "Campaign rules, coupon stacking, price protection."),
    ("pre", "Placing an order and payment", "yang.fan", "zhao.lei", "Checkout problems, payment methods, instalments."),
    ("pre", "Bulk and business orders", "sup.pre", "xu.ming", "Quotes over 20 units go to the supervisor."),
    ("after", "Shipping and delivery", "ma.lin", "zhu.qiang", "Tracking, delays, address changes after payment."),
    ("after", "Returns and exchanges", "hu.xue", "guo.peng", "7-day no-reason returns, exchange of size or colour."),
    ("after", "Refunds", "he.yan", "gao.jun", "Refund status and partial refunds."),
    (
        "after",
        "Complaints and escalations",
        "lin.na",
        "sup.after",
        "Answer within 30 minutes; the supervisor owns anything unresolved after 24 h.",
    ),
    ("after", "Invoices", "luo.bin", "liang.qian", "VAT invoices and corrections."),
]


@transaction.atomic
def seed_demo_department(*, today: date, history_days: int = 0) -> dict[str, int]:
    """Create or refresh the demo department, rostered from this month's first day (or `history_days`
    back, when that is earlier) to the month's end. Running it again changes nothing new."""
    teams: dict[str, Team] = {}
    for key, (name, parent_key, vision) in TEAMS.items():
        teams[key], _ = Team.objects.update_or_create(
            name=name,
            parent=teams.get(parent_key),
            defaults={"timezone": DEPARTMENT_TIMEZONE, "vision": vision},
        )

    shops = [
        Shop.objects.update_or_create(code=code, defaults={"name": name, "team": teams["department"]})[0]
        for code, name in SHOPS
    ]

    User = get_user_model()
    users = {}
    for person in PEOPLE:
        user = users.get(person.username)
        if user is None:
            user, created = User.objects.get_or_create(
                username=person.username, defaults={"display_name": person.display_name}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            users[person.username] = user
        Membership.objects.update_or_create(
            user=user,
            team=teams[person.team],
            defaults={"role": person.role, "position": person.position, "active": True},
        )

    for team_key, category, owner, backup, description in RESPONSIBILITIES:
        Responsibility.objects.update_or_create(
            team=teams[team_key],
            category=category,
            defaults={"owner": users[owner], "backup": users[backup], "description": description},
        )

    since = min(today.replace(day=1), today - timedelta(days=history_days))
    shifts = _roster(since=since, today=today, users=users, teams=teams, shops=shops)
    Shift.objects.bulk_create(shifts, ignore_conflicts=True)
    return {"teams": len(teams), "people": len(users), "shops": len(SHOPS), "shift_days": len(shifts)}


def _roster(*, since: date, today: date, users: dict, teams: dict[str, Team], shops: list[Shop]) -> list[Shift]:
    """Every agent and supervisor works five days in seven, alternating early and late weeks,
    each covering one shop (agents rotate between the shops week by week)."""
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    working_people = [p for p in PEOPLE if p.role in (Role.AGENT, Role.SUPERVISOR)]
    shifts = []
    for index, person in enumerate(working_people):
        day = since
        while day < next_month:
            rest_days = {index % 7, (index + 1) % 7}  # staggered, so every day is staffed
            if day.weekday() not in rest_days:
                start, end = EARLY if (day.isocalendar().week + index) % 2 == 0 else LATE
                shop = shops[(index + day.isocalendar().week) % len(shops)]
                shifts.append(
                    Shift(
                        team=teams[person.team],
                        user=users[person.username],
                        shop=shop,
                        date=day,
                        start_time=start,
                        end_time=end,
                    )
                )
            day += timedelta(days=1)
    return shifts
