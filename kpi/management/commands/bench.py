import datetime as dt
import os
import resource
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from kpi.benchmark import FLOOR_SQL, REFERENCE_SQL, bench_data_generate, bench_data_remove
from kpi.computation.daily import daily_metrics_compute, local_day_bounds
from teams.models import Team

DAY = dt.date(2026, 1, 15)
SIZES = [  # (agents, conversations, messages per conversation)
    (1_000, 100_000, 10),
    (1_000, 100_000, 20),
]


class Command(BaseCommand):
    help = (
        "Benchmark the daily metrics on PostgreSQL: the service against hand-written reference SQL and a "
        "GROUP BY floor, at 1M and 2M messages; then the weekly award job at 100 and 1,000 agents. Generated "
        "data is removed afterwards. Then the read benchmark: the dashboards' JSON endpoints served by gunicorn "
        "against a trivial view (--read-only runs just this part)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=3, help="Best of this many runs per measurement.")
        only = parser.add_mutually_exclusive_group()
        only.add_argument(
            "--awards-only", action="store_true", help="Only the award job's figures (skips the daily metrics)."
        )
        only.add_argument("--read-only", action="store_true", help="Only the read benchmark of the dashboards.")
        read = parser.add_argument_group("read benchmark")
        read.add_argument("--read-seconds", type=float, default=10, help="Measured seconds per endpoint.")
        read.add_argument("--read-warmup", type=float, default=2, help="Warm-up seconds per endpoint, not measured.")
        read.add_argument("--read-clients", type=int, default=8, help="Concurrent clients.")
        read.add_argument("--read-agents", type=int, default=30, help="Agents in the generated team.")
        read.add_argument("--read-days", type=int, default=35, help="Days of generated history, today included.")

    def handle(self, *args, repeat: int, awards_only: bool = False, read_only: bool = False, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark needs PostgreSQL: set DATABASE_URL.")
        for name, lowest in [("read_clients", 1), ("read_agents", 2), ("read_days", 1)]:
            if options[name] < lowest:
                raise CommandError(f"--{name.replace('_', '-')} must be at least {lowest}.")
        if options["read_seconds"] <= 0 or options["read_warmup"] < 0:
            raise CommandError("--read-seconds must be above 0 and --read-warmup at least 0.")
        if not read_only:
            if not awards_only:
                self._daily_metrics(repeat)
            # The award job reads the daily metrics; recognition depends on kpi, so it is imported here.
            from recognition.benchmark import award_bench_measure, award_bench_report

            self.stdout.write("")
            self.stdout.write("Generating a week of daily metrics for 100 and 1,000 agents ...")
            award_bench_report(award_bench_measure(repeat=repeat), self.stdout.write)
        if not awards_only:
            self._read(options)

    def _read(self, options: dict) -> None:
        # The dashboards read every app: the dashboard app depends on kpi, not the other way round.
        from dashboard.read_bench import read_bench

        self.stdout.write("")
        read_bench(
            agents=options["read_agents"],
            days=options["read_days"],
            clients=options["read_clients"],
            seconds=options["read_seconds"],
            warmup=options["read_warmup"],
            redis_url=settings.REDIS_URL or os.environ.get("REDIS_URL", ""),
            write=self.stdout.write,
        )

    def _daily_metrics(self, repeat: int) -> None:
        results = []
        try:
            for agents, conversations, per in SIZES:
                bench_data_remove()
                self.stdout.write(
                    f"Generating {agents:,} agents, {conversations:,} conversations, {conversations * per:,} messages ..."
                )
                team = bench_data_generate(
                    day=DAY, agents=agents, conversations=conversations, messages_per_conversation=per
                )
                results.append(self._measure(team, conversations * per, repeat))
        finally:
            bench_data_remove()
        self._report(results)

    def _measure(self, team: Team, messages: int, repeat: int) -> dict:
        start, end = local_day_bounds(DAY, team.timezone)
        params = {"team": team.pk, "start": start, "end": end}
        statements: list[str] = []

        def count_statements(execute, sql, params, many, context):
            statements.append(sql)
            return execute(sql, params, many, context)

        def compute():
            daily_metrics_compute(day=DAY, teams=Team.objects.filter(pk=team.pk))

        def run_sql(sql):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()

        compute()  # warm the caches the same way for all three
        with connection.execute_wrapper(count_statements):
            compute()
        return {
            "messages": messages,
            "service": _best(compute, repeat),
            "reference": _best(lambda: run_sql(REFERENCE_SQL), repeat),
            "floor": _best(lambda: run_sql(FLOOR_SQL), repeat),
            "statements": len(statements),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }

    def _report(self, results: list[dict]) -> None:
        write = self.stdout.write
        write("")
        write(
            f"{'messages':>10} {'service s':>10} {'reference s':>12} {'floor s':>8} {'svc/ref':>8} {'svc/floor':>10} {'statements':>11} {'peak MB':>8}"
        )
        for r in results:
            write(
                f"{r['messages']:>10,} {r['service']:>10.3f} {r['reference']:>12.3f} {r['floor']:>8.3f} "
                f"{r['service'] / r['reference']:>8.2f} {r['service'] / r['floor']:>10.1f} {r['statements']:>11} {r['peak_rss_mb']:>8.0f}"
            )
        small, large = results[0], results[-1]
        checks = [
            ("service within 1.5x of the reference SQL", all(r["service"] <= 1.5 * r["reference"] for r in results)),
            (
                f"2M messages take at most 2.2x the time of 1M ({large['service'] / small['service']:.2f}x)",
                large["service"] <= 2.2 * small["service"],
            ),
            ("same number of statements at both sizes", small["statements"] == large["statements"]),
            ("peak memory below 150 MB", max(r["peak_rss_mb"] for r in results) < 150),
        ]
        write("")
        for label, ok in checks:
            write(("  ok    " if ok else "  MISS  ") + label)


def _best(function, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        timings.append(time.perf_counter() - began)
    return min(timings)
