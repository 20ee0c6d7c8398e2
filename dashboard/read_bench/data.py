"""The read benchmark's data: one team with agents and weeks of history, as the dashboards read it.

A department with one team, a supervisor, a QA inspector, a manager and `agents` agents; their shifts
(five days a week; the measured agent works every day); conversations generated inside PostgreSQL
(generate_series, as kpi/benchmark.py does) and turned into daily metrics by the real
`daily_metrics_compute`; targets cascaded by `kpi_targets_cascade`; a plan per shift (past ones
submitted); QA reviews, complaints, tasks, kudos and last week's award. Everything lives under its own
department and source, is created in one transaction and removed by `read_bench_remove`, so a run never
touches real teams.
"""

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from rest_framework.authtoken.models import Token

from kpi.computation.daily import daily_metrics_compute
from kpi.definitions import METRICS
from kpi.models import DailyTarget
from kpi.targets import kpi_targets_cascade
from plans.models import DailyPlan, ItemKind, PlanItem, PlanStatus, Task
from qa_reviews.models import Complaint, ComplaintCategory, ComplaintStatus, Review, ReviewStatus
from qa_reviews.services import scorecard_create
from recognition.awards import award_weekly_grant
from recognition.models import Award, AwardAudit, Kudos, KudosValue
from teams.models import Membership, Position, Role, Shift, Shop, Team

UNUSABLE = make_password(None)  # nobody logs in as a benchmark user

READ_BENCH_DEPARTMENT = "Read benchmark (generated)"
READ_BENCH_TEAM = "Read benchmark team"
READ_BENCH_SOURCE = "bench-read"
READ_BENCH_USERNAME = "read-bench-"  # prefix of every generated user
LOCAL_HOUR_OF_RUN = 13  # the team's zone is chosen so that a run falls in the middle of its working day
SHIFT_START, SHIFT_END = dt.time(9), dt.time(18)
CONVERSATIONS_PER_SHIFT = 36  # minus 0..6 per agent
MESSAGES_PER_CONVERSATION = 6
REVIEW_STATUSES = [ReviewStatus.ACKNOWLEDGED, ReviewStatus.SUBMITTED, ReviewStatus.RESOLVED, ReviewStatus.DISPUTED]


@dataclass(frozen=True)
class ReadBenchWorld:
    team_id: int
    today: dt.date  # in the team's time zone
    agent_token: str  # the measured agent works today and has a plan
    supervisor_token: str
    agents: int
    days: int


def read_bench_remove() -> None:
    department = Team.objects.filter(name=READ_BENCH_DEPARTMENT, parent=None).first()
    if department is None:
        return
    team_ids = [department.pk, *Team.objects.filter(parent=department).values_list("pk", flat=True)]
    with transaction.atomic():
        # Rows that protect the people and teams below go first.
        Review.objects.filter(team_id__in=team_ids).delete()
        Complaint.objects.filter(team_id__in=team_ids).delete()
        AwardAudit.objects.filter(team_id__in=team_ids).delete()
        Award.objects.filter(team_id__in=team_ids).delete()
        with connection.cursor() as cursor:  # plain SQL: the ORM would load every message first
            cursor.execute(
                "DELETE FROM conversations_message WHERE conversation_id IN "
                "(SELECT id FROM conversations_conversation WHERE source = %s)",
                [READ_BENCH_SOURCE],
            )
            cursor.execute("DELETE FROM conversations_conversation WHERE source = %s", [READ_BENCH_SOURCE])
        User = get_user_model()
        generated = User.objects.filter(username__startswith=READ_BENCH_USERNAME, memberships__team_id__in=team_ids)
        User.objects.filter(pk__in=list(generated.values_list("pk", flat=True))).delete()
        Team.objects.filter(parent=department).delete()
        department.delete()


@transaction.atomic
def read_bench_generate(*, agents: int = 30, days: int = 35, now: dt.datetime | None = None) -> ReadBenchWorld:
    """`days` days of history up to today (in the team's zone) for a team of `agents` agents."""
    if agents < 2 or days < 1:
        raise ValueError("The read benchmark needs at least 2 agents and 1 day.")
    now = now or timezone.now()
    zone = zoneinfo.ZoneInfo(zone_at_midday(now))
    today = now.astimezone(zone).date()
    first_day = today - dt.timedelta(days=days - 1)
    department = Team.objects.create(name=READ_BENCH_DEPARTMENT, timezone=zone.key)
    team = Team.objects.create(name=READ_BENCH_TEAM, parent=department, timezone=zone.key)
    shop = Shop.objects.create(team=team, code=f"{READ_BENCH_USERNAME}shop-{team.pk}", name="Benchmark shop")
    people = _people(team, department, agents)
    staff = people["agents"]
    _shifts(team, shop, staff, first_day, today)
    _conversations(team, zone, now)
    _reviews(team, zone, reviewer=people["qa"], supervisor=people["supervisor"], now=now)
    for offset in range(days):
        daily_metrics_compute(day=first_day + dt.timedelta(days=offset), teams=Team.objects.filter(pk=team.pk))
    _targets(team, staff, first_day, today, created_by=people["supervisor"])
    _plans(team, staff, first_day, today, now)
    _tasks(team, staff, people["supervisor"], zone, today, now)
    _complaints(team, staff, now)
    _kudos(team, staff)
    last_week = (today - dt.timedelta(days=7)).isocalendar()
    if first_day <= dt.date.fromisocalendar(last_week.year, last_week.week, 1):
        award_weekly_grant(team=team, week=f"{last_week.year}-W{last_week.week:02d}", now=now)
    return ReadBenchWorld(
        team_id=team.pk,
        today=today,
        agent_token=Token.objects.create(user=staff[0]).key,
        supervisor_token=Token.objects.create(user=people["supervisor"]).key,
        agents=agents,
        days=days,
    )


def zone_at_midday(now: dt.datetime) -> str:
    """The whole-hour zone in which `now` is about 13:00, so that today has live figures (conversations so
    far, open complaints counting down) whatever the hour of the run, and runs compare. Etc/GMT zones
    count the POSIX way: Etc/GMT-8 is eight hours ahead of UTC."""
    ahead = (LOCAL_HOUR_OF_RUN - now.astimezone(dt.UTC).hour + 12) % 24 - 12  # -12 .. 11
    return f"Etc/GMT{-ahead:+d}" if ahead else "Etc/GMT"


def _people(team: Team, department: Team, agents: int) -> dict:
    User = get_user_model()
    names = ["supervisor", "qa", "manager", *(f"agent-{n:03d}" for n in range(agents))]
    users = User.objects.bulk_create(
        [User(username=f"{READ_BENCH_USERNAME}{name}", display_name=name.title(), password=UNUSABLE) for name in names]
    )
    by_name = dict(zip(names, users, strict=True))
    staff = users[3:]
    Membership.objects.bulk_create(
        [
            Membership(user=by_name["supervisor"], team=team, role=Role.SUPERVISOR),
            Membership(user=by_name["qa"], team=team, role=Role.QA),
            Membership(user=by_name["manager"], team=department, role=Role.MANAGER),
            *(
                Membership(
                    user=user, team=team, role=Role.AGENT, position=[Position.PRE_SALES, Position.AFTER_SALES][n % 2]
                )
                for n, user in enumerate(staff)
            ),
        ]
    )
    return {"supervisor": by_name["supervisor"], "qa": by_name["qa"], "agents": staff}


def _works(n: int, day: dt.date) -> bool:
    """Five days a week with staggered days off; agent 0, the one measured, works every day."""
    return n == 0 or (n + day.toordinal()) % 7 < 5


def _shifts(team: Team, shop: Shop, staff: list, first_day: dt.date, today: dt.date) -> None:
    days = [first_day + dt.timedelta(days=k) for k in range((today - first_day).days + 1)]
    Shift.objects.bulk_create(
        [
            Shift(team=team, user=user, date=day, shop=shop, start_time=SHIFT_START, end_time=SHIFT_END)
            for n, user in enumerate(staff)
            for day in days
            if _works(n, day)
        ],
        batch_size=2000,
    )


def _conversations(team: Team, zone: zoneinfo.ZoneInfo, now: dt.datetime) -> None:
    """Conversations spread over each shift (none in the future), customer and agent taking turns."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO conversations_conversation
                (source, external_id, team_id, agent_id, shop_id, channel, customer, category, started_at, resolved,
                 rating, ordered, order_amount, created_at, updated_at)
            SELECT %(source)s, 'rb-' || s.id || '-' || g, s.team_id, s.user_id, s.shop_id, 'web',
                   'customer-' || s.id || '-' || g,
                   (ARRAY['pre_sales', 'after_sales', 'complaint', 'tech'])[1 + (g + s.user_id) %% 4],
                   t.started_at, (g + s.id) %% 5 <> 0,
                   CASE WHEN (g + s.id) %% 3 = 0 THEN NULL ELSE 3 + (g + s.user_id) %% 3 END,
                   (g + s.id) %% 4 = 0, CASE WHEN (g + s.id) %% 4 = 0 THEN 50 + (g * 37 + s.id) %% 450 ELSE 0 END,
                   now(), now()
            FROM teams_shift s
            CROSS JOIN LATERAL generate_series(1, %(per_shift)s - s.user_id %% 7) AS g
            CROSS JOIN LATERAL (
                SELECT ((s.date + s.start_time) AT TIME ZONE %(zone)s)
                       + ((g * 977 + s.user_id * 131) %% 520) * interval '1 minute' AS started_at
            ) t
            WHERE s.team_id = %(team)s AND t.started_at < %(now)s
            """,
            {
                "source": READ_BENCH_SOURCE,
                "team": team.pk,
                "zone": zone.key,
                "now": now,
                "per_shift": CONVERSATIONS_PER_SHIFT,
            },
        )
        cursor.execute(
            """
            INSERT INTO conversations_message (conversation_id, external_id, fingerprint, sender, sent_at, text)
            SELECT c.id, '', 'rb' || k, CASE WHEN k %% 2 = 1 THEN 'customer' ELSE 'agent' END,
                   c.started_at + (k * (15 + c.id %% 40)) * interval '1 second', 'generated message'
            FROM conversations_conversation c, generate_series(1, %(per)s) AS k
            WHERE c.source = %(source)s
            """,
            {"source": READ_BENCH_SOURCE, "per": MESSAGES_PER_CONVERSATION},
        )


def _reviews(team: Team, zone: zoneinfo.ZoneInfo, *, reviewer, supervisor, now: dt.datetime) -> None:
    """One QA review per agent and week, on the week's first conversation; some to acknowledge, some disputed."""
    scorecard = scorecard_create(
        team=team,
        actor=supervisor,
        name="Benchmark scorecard",
        criteria=[
            {"title": "Greeting", "weight": 1, "max_points": 5},
            {"title": "Solution", "weight": 2, "max_points": 5},
        ],
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT DISTINCT ON (agent_id, date_trunc('week', started_at AT TIME ZONE %(zone)s)) id, agent_id, started_at
            FROM conversations_conversation WHERE source = %(source)s
            ORDER BY agent_id, date_trunc('week', started_at AT TIME ZONE %(zone)s), started_at
            """,
            {"source": READ_BENCH_SOURCE, "zone": zone.key},
        )
        firsts = cursor.fetchall()
    rows = []
    for n, (conversation_id, agent_id, started_at) in enumerate(firsts):
        status = REVIEW_STATUSES[n % len(REVIEW_STATUSES)]
        submitted_at = min(started_at + dt.timedelta(hours=3), now)
        rows.append(
            Review(
                conversation_id=conversation_id,
                team=team,
                agent_id=agent_id,
                reviewer=reviewer,
                scorecard=scorecard,
                status=status,
                total=Decimal(55 + (n * 7) % 45),
                submitted_at=submitted_at,
                acknowledged_at=submitted_at if status != ReviewStatus.SUBMITTED else None,
                dispute_reason="The customer had asked for this." if status == ReviewStatus.DISPUTED else "",
            )
        )
    Review.objects.bulk_create(rows, batch_size=1000)


def _targets(team: Team, staff: list, first_day: dt.date, today: dt.date, *, created_by) -> None:
    month = first_day.replace(day=1)
    while month <= today:
        for metric, value in [
            ("conversations", Decimal(len(staff) * 22 * 30)),
            ("sales_amount", Decimal(len(staff) * 22 * 1500)),
            ("first_response_seconds", Decimal(45)),
            ("csat_avg", Decimal("4.3")),
        ]:
            kpi_targets_cascade(team=team, metric=metric, month=month, value=value, apply=True, created_by=created_by)
        month = (month + dt.timedelta(days=32)).replace(day=1)


def _plans(team: Team, staff: list, first_day: dt.date, today: dt.date, now: dt.datetime) -> None:
    """A plan per shift with its cascaded targets (the shape plans.services gives them); past days submitted."""
    targets = defaultdict(list)
    rows = (
        DailyTarget.objects.filter(agent__in=staff, date__range=(first_day, today))
        .values("agent_id", "date", "monthly_target__metric")
        .annotate(total=Sum("value"))
        .order_by("agent_id", "date", "monthly_target__metric")
    )
    for row in rows:
        metric = row["monthly_target__metric"]
        targets[(row["agent_id"], row["date"])].append(
            {"metric": metric, "value": f"{Decimal(row['total']):.2f}", "direction": METRICS[metric].direction}
        )
    plans = [
        DailyPlan(
            agent_id=shift.user_id,
            team=team,
            date=shift.date,
            shift=shift,
            targets=targets[(shift.user_id, shift.date)],
            status=PlanStatus.DRAFT if shift.date == today else PlanStatus.SUBMITTED,
            submitted_at=None if shift.date == today else now - dt.timedelta(days=(today - shift.date).days),
            problems="" if shift.date == today else "Refund system slow in the afternoon",
        )
        for shift in Shift.objects.filter(team=team, date__range=(first_day, today))
    ]
    DailyPlan.objects.bulk_create(plans, batch_size=2000)
    PlanItem.objects.bulk_create(
        [
            PlanItem(plan=plan, kind=ItemKind.WORK, text=text, position=position, done=plan.date < today)
            for plan in plans
            for position, text in enumerate(["Answer yesterday's open conversations", "Follow up on refunds"])
        ],
        batch_size=2000,
    )


def _tasks(team: Team, staff: list, supervisor, zone: zoneinfo.ZoneInfo, today: dt.date, now: dt.datetime) -> None:
    """Two open tasks per agent: one due tonight, one overdue since yesterday."""
    tonight = dt.datetime.combine(today, dt.time(20), tzinfo=zone)
    tasks = Task.objects.bulk_create(
        [
            Task(team=team, what=what, why="Benchmark", due_at=due_at, created_by=supervisor)
            for _ in staff
            for what, due_at in [
                ("Call back the customers of yesterday", tonight),
                ("Update the FAQ", now - dt.timedelta(days=1)),
            ]
        ]
    )
    Through = Task.assignees.through
    Through.objects.bulk_create(
        [Through(task_id=task.pk, user_id=staff[n // 2].pk) for n, task in enumerate(tasks)], batch_size=2000
    )


def _complaints(team: Team, staff: list, now: dt.datetime) -> None:
    """A dozen complaints of the last days: new ones counting down, one breached, some being answered or done."""
    statuses = [ComplaintStatus.NEW, ComplaintStatus.RESPONDING, ComplaintStatus.RESOLVED, ComplaintStatus.NEW]
    rows = []
    for n in range(12):
        received_at = now - dt.timedelta(minutes=20 + 190 * n)
        status = statuses[n % len(statuses)]
        due = received_at + dt.timedelta(minutes=30)
        answered = status != ComplaintStatus.NEW
        rows.append(
            Complaint(
                team=team,
                summary=f"Parcel {n} arrived damaged",
                category=ComplaintCategory.LOGISTICS,
                customer=f"customer-{n}",
                owner=staff[n % len(staff)],
                status=status,
                received_at=received_at,
                sla_minutes=30,
                first_response_due_at=due,
                first_responded_at=received_at + dt.timedelta(minutes=12) if answered else None,
                sla_breached_at=due if not answered and due < now else None,
                resolved_at=received_at + dt.timedelta(hours=2) if status == ComplaintStatus.RESOLVED else None,
            )
        )
    Complaint.objects.bulk_create(rows)


def _kudos(team: Team, staff: list) -> None:
    values = list(KudosValue)
    Kudos.objects.bulk_create(
        [
            Kudos(
                team=team,
                giver=giver,
                receiver=staff[(n + 1) % len(staff)],
                value=values[n % len(values)],
                message="Thanks for covering!",
            )
            for n, giver in enumerate(staff)
        ]
    )
