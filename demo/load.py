"""The demo department scaled up for the load test: `manage.py seed_load` (after `seed_demo`).

Extra agents work in squads under the demo's Pre-sales and After-sales teams (grandchildren of the
department, so `seed_demo` run again leaves them alone), on the department's shops and the demo's
roster pattern. Their conversations and messages are generated inside PostgreSQL (generate_series, as
kpi/benchmark.py does) so that the whole database holds exactly the asked number of messages, then turned
into daily metrics by the real `daily_metrics_compute`; the month's targets are cascaded again over every
agent, and each squad agent gets a plan per shift. Running it again with the same sizes on the same day
changes nothing; conversations an earlier load run posted through the API are removed first.
"""

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from conversations.models import Conversation, Message
from demo.department import DEMO_PASSWORD, EARLY, LATE
from kpi.computation.daily import daily_metrics_compute
from kpi.definitions import METRICS
from kpi.models import DailyAgentMetric, DailyTarget, DailyTeamMetric, HourlyVolume, StaleMetricDay
from kpi.targets import kpi_targets_cascade
from plans.models import DailyPlan, ItemKind, PlanItem, PlanStatus
from teams.models import Membership, Position, Role, Shift, Shop, Team

DEPARTMENT = "Online Customer Service"
PARENT_TEAMS = {Position.PRE_SALES: "Pre-sales", Position.AFTER_SALES: "After-sales"}
LOAD_SOURCE = "load-chat"  # generated here
LOAD_API_SOURCE = "load-api"  # posted by the load test's integrators (loadtest/locustfile.py)
AGENT_USERNAME = "load.agent.{:03d}"
SUPERVISOR_USERNAME = "load.sup.{:02d}"
INTEGRATION_USERNAME = "load.api.{:02d}"
MESSAGES_PER_CONVERSATION = 8  # about; the last conversations absorb the remainder of the total
SHIFT_MINUTES = 510  # conversations start within the first 8.5 hours of a 9-hour shift
QUIET_MINUTES = 45  # no generated conversation starts in the last 45 minutes: their messages are all past


@dataclass(frozen=True)
class LoadSizes:
    agents: int  # in the whole department, the demo's included
    messages: int  # in the whole database
    days: int  # of conversations, ending today
    squad_size: int = 20


@dataclass(frozen=True)
class LoadWorld:
    agents: int
    squads: int
    conversations: int
    messages: int
    generated_conversations: int
    generated_messages: int
    regenerated: bool  # False: the data was already there


def load_scale(*, sizes: LoadSizes, now: dt.datetime | None = None) -> LoadWorld:
    """Scale the seeded demo department to `sizes` (run `seed_demo` first). Idempotent for the same day."""
    now = now or timezone.now()
    department = Team.objects.get(name=DEPARTMENT, parent=None)
    zone = zoneinfo.ZoneInfo(department.timezone)
    today = now.astimezone(zone).date()
    first_day = today - dt.timedelta(days=sizes.days - 1)
    _remove_posted_conversations()

    demo_agents = (
        Membership.objects.filter(team__parent=department, role=Role.AGENT, active=True)
        .values("user_id")
        .distinct()
        .count()
    )
    squads = _people(department, max(0, sizes.agents - demo_agents), sizes.squad_size)
    squad_ids = [squad.pk for squad in squads]
    _shifts(department, squads, first_day, today)

    eligible = _eligible_shifts(squad_ids, zone, first_day, now)
    other_messages = Message.objects.exclude(conversation__source=LOAD_SOURCE).count()
    wanted = max(0, sizes.messages - other_messages)
    regenerated = not _already_generated(squad_ids, wanted, first_day, zone, eligible)
    if regenerated:
        with transaction.atomic():
            _remove_generated(department)
            if wanted and eligible:
                per_shift = max(1, round(wanted / (len(eligible) * MESSAGES_PER_CONVERSATION)))
                _conversations(squad_ids, zone, first_day, today, now, per_shift)
                _messages(wanted)
        for offset in range(sizes.days):
            daily_metrics_compute(
                day=first_day + dt.timedelta(days=offset), teams=Team.objects.filter(pk__in=squad_ids)
            )
        _analyze()
    _targets(department, today, first_day)
    _plans(squads, first_day, today, now)

    generated = Conversation.objects.filter(source=LOAD_SOURCE)
    return LoadWorld(
        agents=Membership.objects.filter(team__in=_subtree(department), role=Role.AGENT, active=True)
        .values("user_id")
        .distinct()
        .count(),
        squads=len(squads),
        conversations=Conversation.objects.count(),
        messages=Message.objects.count(),
        generated_conversations=generated.count(),
        generated_messages=Message.objects.filter(conversation__source=LOAD_SOURCE).count(),
        regenerated=regenerated,
    )


def _subtree(department: Team) -> list[int]:
    children = list(Team.objects.filter(parent=department).values_list("pk", flat=True))
    return [department.pk, *children, *Team.objects.filter(parent__in=children).values_list("pk", flat=True)]


def _people(department: Team, agents: int, squad_size: int) -> list[Team]:
    """Squads of `squad_size` agents, alternately pre- and after-sales, each with a supervisor and an
    integration account (a supervisor too: the bulk endpoint writes into teams the caller manages)."""
    User = get_user_model()
    parents = {position: Team.objects.get(name=name, parent=department) for position, name in PARENT_TEAMS.items()}
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing 200 times would take a minute
    squad_count = -(-agents // squad_size)
    squads = []
    for index in range(squad_count):
        position = [Position.PRE_SALES, Position.AFTER_SALES][index % 2]
        squad, _ = Team.objects.update_or_create(
            name=f"{PARENT_TEAMS[position]} squad {index + 1}",
            parent=parents[position],
            defaults={"timezone": department.timezone, "vision": parents[position].vision},
        )
        squads.append(squad)
    wanted: list[tuple[str, str, Team, str, str]] = []  # username, display name, squad, role, position
    for number in range(agents):
        squad = squads[number // squad_size]
        position = [Position.PRE_SALES, Position.AFTER_SALES][(number // squad_size) % 2]
        wanted.append((AGENT_USERNAME.format(number + 1), f"Agent {number + 1:03d}", squad, Role.AGENT, position))
    for index, squad in enumerate(squads):
        wanted.append(
            (SUPERVISOR_USERNAME.format(index + 1), f"Supervisor {index + 1:02d}", squad, Role.SUPERVISOR, "")
        )
        wanted.append(
            (INTEGRATION_USERNAME.format(index + 1), f"Chat system {index + 1:02d}", squad, Role.SUPERVISOR, "")
        )
    User.objects.bulk_create(
        [User(username=username, display_name=name, password=password) for username, name, *_ in wanted],
        ignore_conflicts=True,
    )
    users = User.objects.in_bulk([username for username, *_ in wanted], field_name="username")
    Membership.objects.bulk_create(
        [
            Membership(user=users[username], team=squad, role=role, position=position, active=True)
            for username, _, squad, role, position in wanted
        ],
        ignore_conflicts=True,
    )
    # A smaller run after a bigger one: the squads' other members step aside.
    keep = {users[username].pk for username, *_ in wanted}
    Membership.objects.filter(team__in=_squads(department)).exclude(user_id__in=keep).update(active=False)
    Membership.objects.filter(team__in=squads, user_id__in=keep).update(active=True)
    return squads


def _shifts(department: Team, squads: list[Team], first_day: dt.date, today: dt.date) -> None:
    """The demo's pattern: five days in seven (staggered), early and late weeks, a shop a week, to the month's end."""
    shops = list(Shop.objects.filter(team=department).order_by("code"))
    since = min(first_day, today.replace(day=1))
    month_end = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    members = Membership.objects.filter(team__in=squads, role=Role.AGENT, active=True).order_by("user__username")
    rows = []
    for index, membership in enumerate(members):
        day = since
        while day < month_end:
            if (index + day.toordinal()) % 7 < 5:
                week = day.isocalendar().week
                start, end = EARLY if (week + index) % 2 == 0 else LATE
                shop = shops[(index + week) % len(shops)] if shops else None
                rows.append(
                    Shift(
                        team_id=membership.team_id,
                        user_id=membership.user_id,
                        shop=shop,
                        date=day,
                        start_time=start,
                        end_time=end,
                    )
                )
            day += dt.timedelta(days=1)
    Shift.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)


def _eligible_shifts(squad_ids: list[int], zone: zoneinfo.ZoneInfo, first_day: dt.date, now: dt.datetime) -> list[int]:
    """Shifts of the window that began long enough ago to have had a conversation."""
    latest_start = now - dt.timedelta(minutes=QUIET_MINUTES)
    return [
        shift.pk
        for shift in Shift.objects.filter(
            team_id__in=squad_ids,
            date__gte=first_day,
            date__lte=now.astimezone(zone).date(),
            user__memberships__team_id__in=squad_ids,
            user__memberships__active=True,
            user__memberships__role=Role.AGENT,
        )
        if dt.datetime.combine(shift.date, shift.start_time, tzinfo=zone) < latest_start
    ]


def _already_generated(squad_ids, wanted: int, first_day: dt.date, zone, eligible: list[int]) -> bool:
    generated = Conversation.objects.filter(source=LOAD_SOURCE)
    if Message.objects.filter(conversation__source=LOAD_SOURCE).count() != wanted:
        return False
    if not wanted:
        return True
    earliest = generated.order_by("started_at").values_list("started_at", flat=True).first()
    agents = set(generated.values_list("agent_id", flat=True).distinct())
    working = set(Shift.objects.filter(pk__in=eligible).values_list("user_id", flat=True))
    return earliest is not None and earliest.astimezone(zone).date() >= first_day and agents <= working


def _remove_posted_conversations() -> None:
    _delete_conversations(LOAD_API_SOURCE)


def _delete_conversations(source: str) -> None:
    # Plain SQL: the ORM's cascade would load every message first.
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM conversations_message WHERE conversation_id IN "
            "(SELECT id FROM conversations_conversation WHERE source = %s)",
            [source],
        )
        cursor.execute("DELETE FROM conversations_conversation WHERE source = %s", [source])


def _remove_generated(department: Team) -> None:
    """The generated conversations and the metrics of every squad (also those a smaller run no longer uses)."""
    _delete_conversations(LOAD_SOURCE)
    squads = _squads(department)
    for model in (DailyAgentMetric, DailyTeamMetric, HourlyVolume, StaleMetricDay):
        model.objects.filter(team__in=squads).delete()


def _squads(department: Team):
    return Team.objects.filter(parent__parent=department, name__contains=" squad ")


def _conversations(squad_ids, zone, first_day, today, now, per_shift: int) -> None:
    """`per_shift` conversations spread over each eligible shift, pre-sales ones sometimes ordering."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO conversations_conversation
                (source, external_id, team_id, agent_id, shop_id, channel, customer, category, started_at, closed_at,
                 resolved, rating, ordered, order_amount, created_at, updated_at)
            SELECT %(source)s, 'L-' || u.username || '-' || to_char(s.date, 'YYYYMMDD') || '-' || g,
                   s.team_id, s.user_id, s.shop_id, 'web', 'buyer-' || ((g * 7919 + s.user_id * 104729) %% 90000 + 10000),
                   CASE WHEN m.position = 'pre_sales' THEN 'pre_sales'
                        ELSE (ARRAY['after_sales', 'after_sales', 'complaint'])[1 + g %% 3] END,
                   t.started_at, t.started_at + interval '25 minutes',
                   (g + s.user_id) %% 10 <> 0,
                   (ARRAY[5, NULL, 4, 5, NULL, 3, 5, 4, NULL, 2, 5, 1, 4, NULL, 5])[1 + (g * 7 + s.user_id) %% 15],
                   m.position = 'pre_sales' AND (g * 11 + s.user_id) %% 100 < 30,
                   CASE WHEN m.position = 'pre_sales' AND (g * 11 + s.user_id) %% 100 < 30
                        THEN 59 + (g * 37 + s.user_id * 11) %% 840 ELSE 0 END,
                   now(), now()
            FROM teams_shift s
            JOIN teams_user u ON u.id = s.user_id
            JOIN teams_membership m ON m.user_id = s.user_id AND m.team_id = s.team_id
            CROSS JOIN LATERAL generate_series(1, %(per_shift)s) AS g
            CROSS JOIN LATERAL (
                SELECT ((s.date + s.start_time) AT TIME ZONE %(zone)s)
                       + ((g * 523 + s.user_id * 37) %% %(minutes)s) * interval '1 minute' AS started_at
            ) t
            WHERE s.team_id = ANY(%(squads)s) AND m.active AND m.role = 'agent'
              AND s.date BETWEEN %(first_day)s AND %(today)s AND t.started_at < %(latest)s
            """,
            {
                "source": LOAD_SOURCE,
                "squads": squad_ids,
                "zone": zone.key,
                "first_day": first_day,
                "today": today,
                "latest": now - dt.timedelta(minutes=QUIET_MINUTES),
                "per_shift": per_shift,
                "minutes": SHIFT_MINUTES,
            },
        )


def _messages(wanted: int) -> None:
    """Exactly `wanted` messages over the generated conversations: customer and agent taking turns (an
    agent's reply time depends on the agent), the odd double customer message, one in 29 unanswered."""
    count = Conversation.objects.filter(source=LOAD_SOURCE).count()
    if not count:
        return
    base, remainder = divmod(wanted, count)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO conversations_message (conversation_id, external_id, fingerprint, sender, sent_at, text)
            SELECT c.id, '', 'ld' || k,
                   CASE WHEN c.id %% 29 = 0 OR k %% 2 = 1 OR (k = 4 AND c.id %% 7 = 0) THEN 'customer' ELSE 'agent' END,
                   c.started_at + ((k - 1) * (20 + (c.agent_id * 13) %% 40 + c.id %% 30) + (k * c.id) %% 11)
                                  * interval '1 second',
                   CASE WHEN c.id %% 29 = 0 OR k %% 2 = 1 OR (k = 4 AND c.id %% 7 = 0)
                        THEN (ARRAY['这款有现货吗？', '什么时候发货？', '可以用优惠券吗？', '好的，谢谢',
                                    'Where is my parcel?'])[1 + (c.id + k) %% 5]
                        ELSE (ARRAY['您好，我来帮您查一下。', '有的，今天下午发货。', '可以的，结算时自动抵扣。',
                                    'Thanks, let me check that for you.'])[1 + (c.id + k) %% 4] END
            FROM (SELECT id, agent_id, started_at, row_number() OVER (ORDER BY id) AS n
                  FROM conversations_conversation WHERE source = %(source)s) c
            CROSS JOIN LATERAL generate_series(1, %(base)s + CASE WHEN c.n <= %(remainder)s THEN 1 ELSE 0 END) AS k
            """,
            {"source": LOAD_SOURCE, "base": base, "remainder": remainder},
        )


def _analyze() -> None:
    """Fresh planner statistics after a million rows arrived (autovacuum would get there later)."""
    with connection.cursor() as cursor:
        for table in ("conversations_conversation", "conversations_message", "kpi_dailyagentmetric"):
            cursor.execute(f"ANALYZE {table}")


def _targets(department: Team, today: dt.date, first_day: dt.date) -> None:
    """This month's targets over every scheduled agent, sized from the generated days (demo_kpi_seed's shape)."""
    month = today.replace(day=1)
    teams = _subtree(department)
    worked = Shift.objects.filter(team_id__in=teams, date__range=(first_day, today)).count() or 1
    served = Conversation.objects.filter(team_id__in=teams, started_at__date__gte=first_day).aggregate(
        count=Count("id"), sales=Sum("order_amount")
    )
    month_shifts = Shift.objects.filter(team_id__in=teams, date__year=month.year, date__month=month.month).count()
    per_shift = Decimal(served["count"] or 0) / worked
    sales_per_shift = (served["sales"] or Decimal(0)) / worked
    campaign = {month.replace(day=11): (Decimal(2), "campaign")}
    for metric, value, weights in [
        ("conversations", (per_shift * month_shifts).quantize(Decimal(1)), campaign),
        ("sales_amount", (sales_per_shift * month_shifts).quantize(Decimal(1)), campaign),
        ("first_response_seconds", Decimal(45), None),
    ]:
        kpi_targets_cascade(team=department, metric=metric, month=month, value=value, day_weights=weights, apply=True)


def _plans(squads: list[Team], first_day: dt.date, today: dt.date, now: dt.datetime) -> None:
    """A plan per squad shift of the window with its targets: past ones submitted, today's a draft (made for
    every shift of the day, started or not, so that every agent of the load test has a My day)."""
    shifts = Shift.objects.filter(
        team__in=squads,
        date__range=(first_day, today),
        user__memberships__team__in=squads,
        user__memberships__active=True,
        user__memberships__role=Role.AGENT,
    )
    existing = set(
        DailyPlan.objects.filter(team__in=squads, date__range=(first_day, today)).values_list("agent_id", "date")
    )
    missing = [shift for shift in shifts if (shift.user_id, shift.date) not in existing]
    if not missing:
        return
    targets = defaultdict(list)
    rows = (
        DailyTarget.objects.filter(agent_id__in={s.user_id for s in missing}, date__range=(first_day, today))
        .values("agent_id", "date", "monthly_target__metric")
        .annotate(total=Sum("value"))
        .order_by("agent_id", "date", "monthly_target__metric")
    )
    for row in rows:
        metric = row["monthly_target__metric"]
        if metric in METRICS:
            targets[(row["agent_id"], row["date"])].append(
                {"metric": metric, "value": f"{Decimal(row['total']):.2f}", "direction": METRICS[metric].direction}
            )
    plans = DailyPlan.objects.bulk_create(
        [
            DailyPlan(
                agent_id=shift.user_id,
                team_id=shift.team_id,
                date=shift.date,
                shift=shift,
                targets=targets[(shift.user_id, shift.date)],
                status=PlanStatus.DRAFT if shift.date == today else PlanStatus.SUBMITTED,
                submitted_at=None if shift.date == today else now - dt.timedelta(days=(today - shift.date).days),
                problems="" if shift.date == today else "退款系统很慢",
            )
            for shift in missing
        ],
        batch_size=2000,
    )
    PlanItem.objects.bulk_create(
        [
            PlanItem(plan=plan, kind=ItemKind.WORK, text=text, position=position, done=plan.date < today)
            for plan in plans
            for position, text in enumerate(["回复前一天未结束的会话", "跟进退款申请"])
        ],
        batch_size=2000,
    )
