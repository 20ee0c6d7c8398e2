"""The award job's figure for `manage.py bench`: one team's week of daily metrics at 100 and 1,000 agents.

The award is computed set-based, so both sizes must run the same small number of queries; the time
shows what a thousand-agent team costs. The generated team has its own name, is created and removed
by the command, and never touches real teams.
"""

import datetime as dt
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from kpi.models import DailyAgentMetric
from recognition.awards import award_period_compute, award_weekly_grant
from recognition.awards.periods import week_period
from recognition.models import Award, AwardAudit, AwardKind
from teams.models import Membership, Role, Team

UNUSABLE = make_password(None)  # nobody logs in as a benchmark user

AWARD_BENCH_TEAM = "Benchmark awards (generated)"
AWARD_BENCH_WEEK = "2026-W03"  # Monday 12 to Sunday 18 January 2026
AWARD_BENCH_SIZES = (100, 1_000)


def award_bench_remove() -> None:
    team = Team.objects.filter(name=AWARD_BENCH_TEAM, parent=None).first()
    if team is None:
        return
    with transaction.atomic():
        user_ids = list(Membership.objects.filter(team=team).values_list("user_id", flat=True))
        AwardAudit.objects.filter(team=team).delete()
        Award.objects.filter(team=team).delete()
        DailyAgentMetric.objects.filter(team=team).delete()
        Membership.objects.filter(team=team).delete()
        get_user_model().objects.filter(pk__in=user_ids).delete()
        team.delete()


@transaction.atomic
def award_bench_generate(*, agents: int) -> Team:
    """A team of `agents` agents with seven days of varied daily metrics each (bulk inserts)."""
    team = Team.objects.create(name=AWARD_BENCH_TEAM, timezone="UTC")
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"award-bench-{n}", password=UNUSABLE) for n in range(agents)],
        batch_size=1000,
    )
    Membership.objects.bulk_create([Membership(user=u, team=team, role=Role.AGENT) for u in users], batch_size=1000)
    week = week_period(AWARD_BENCH_WEEK)
    rows = [
        DailyAgentMetric(
            team=team,
            agent=user,
            date=week.start + dt.timedelta(days=day),
            conversations=2 + (n * 7 + day) % 9,
            resolved=1 + (n + day) % 3,
            rated=3,
            rating_sum=9 + (n * 3 + day) % 7,
            rated_good=2,
            first_response_count=2,
            first_response_ms_sum=2000 * (5 + (n * 11 + day) % 40),
            sales_amount=Decimal((n * 37 + day * 13) % 500),
            qa_reviews=(n + day) % 2,
            qa_score_sum=Decimal(70 + (n + day) % 30) * ((n + day) % 2),
        )
        for n, user in enumerate(users)
        for day in range(7)
    ]
    DailyAgentMetric.objects.bulk_create(rows, batch_size=2000)
    return team


def award_bench_measure(*, repeat: int = 3, sizes: tuple[int, ...] = AWARD_BENCH_SIZES) -> list[dict]:
    """Queries and best time of award_period_compute and of a fresh award_weekly_grant (announcement
    to every member included), per team size."""
    results = []
    try:
        for agents in sizes:
            award_bench_remove()
            team = award_bench_generate(agents=agents)
            week = week_period(AWARD_BENCH_WEEK)

            def compute(team=team, week=week):
                award_period_compute(team=team, kind=AwardKind.WEEKLY, period_start=week.start, period_end=week.end)

            def grant(team=team):
                award_weekly_grant(team=team, week=AWARD_BENCH_WEEK)

            def forget_award(team=team):
                AwardAudit.objects.filter(team=team).delete()
                Award.objects.filter(team=team).delete()

            compute()  # warm the caches
            results.append(
                {
                    "agents": agents,
                    "compute_queries": _count_queries(compute),
                    "compute": _best(compute, repeat),
                    "grant_queries": _count_queries(grant, before=forget_award),
                    "grant": _best(grant, repeat, before=forget_award),
                    "candidates": len(Award.objects.get(team=team).breakdown["candidates"]),
                }
            )
    finally:
        award_bench_remove()
    return results


def award_bench_report(results: list[dict], write) -> None:
    write("")
    write(
        "Award job: one team's week of daily metrics (award_period_compute; award_weekly_grant with its announcement)"
    )
    write(f"{'agents':>10} {'compute s':>10} {'grant s':>10} {'compute queries':>16} {'grant queries':>14}")
    for r in results:
        write(
            f"{r['agents']:>10,} {r['compute']:>10.3f} {r['grant']:>10.3f} "
            f"{r['compute_queries']:>16} {r['grant_queries']:>14}"
        )
    small, large = results[0], results[-1]
    checks = [
        (
            f"same number of queries at {small['agents']:,} and {large['agents']:,} agents",
            (small["compute_queries"], small["grant_queries"]) == (large["compute_queries"], large["grant_queries"]),
        ),
        ("every agent is a candidate", all(r["candidates"] == r["agents"] for r in results)),
        (f"the {large['agents']:,}-agent award granted within 1 s", large["grant"] < 1.0),
    ]
    write("")
    for label, ok in checks:
        write(("  ok    " if ok else "  MISS  ") + label)


def _count_queries(function, before=None) -> int:
    if before:
        before()
    statements: list[str] = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        function()
    return len(statements)


def _best(function, repeat: int, before=None) -> float:
    timings = []
    for _ in range(repeat):
        if before:
            before()
        began = time.perf_counter()
        function()
        timings.append(time.perf_counter() - began)
    return min(timings)
