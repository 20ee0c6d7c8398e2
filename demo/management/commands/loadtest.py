from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from loadtest.runner import ServerFailed, default_workers, load_run


class Command(BaseCommand):
    help = (
        "The load test: gunicorn (production settings, DEBUG off) on a free loopback port against this database, "
        "loadtest/locustfile.py headless against it, then requests, errors, 429s, p50/p95/p99/max and req/s per "
        "endpoint. Fails when any request failed other than with a 429 or an endpoint was never requested. "
        "Run `manage.py seed_load` first (.ci/load.sh does both, on its own database)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=50, help="Concurrent locust users.")
        parser.add_argument("--seconds", type=int, default=120, help="Run time, ramp-up included.")
        parser.add_argument("--spawn-rate", type=float, default=10, help="Users started per second.")
        parser.add_argument("--workers", type=int, default=default_workers(), help="gunicorn sync workers.")
        parser.add_argument("--throttle", default="1200/minute", help="The API's per-token rate limit (production's).")
        parser.add_argument("--warmup", type=int, default=10, help="Seconds of unmeasured requests first (0: none).")
        parser.add_argument("--smoke", action="store_true", help="Every user requests each endpoint once at start.")
        parser.add_argument("--keep", type=Path, help="Copy locust's CSV files and log into this directory.")

    def handle(self, *args, users, seconds, spawn_rate, workers, throttle, warmup, smoke, keep, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The load test needs PostgreSQL: set DATABASE_URL (.ci/load.sh uses cs_load).")
        if min(users, seconds, workers) < 1 or spawn_rate <= 0:
            raise CommandError("--users, --seconds, --workers and --spawn-rate must be above 0.")
        try:
            report = load_run(
                database=connection.settings_dict,
                redis_url=settings.REDIS_URL,
                users=users,
                seconds=seconds,
                spawn_rate=spawn_rate,
                workers=workers,
                throttle=throttle,
                warmup=warmup,
                smoke=smoke,
                keep=keep,
                write=self.stdout.write,
            )
        except ServerFailed as failed:
            raise CommandError(str(failed)) from failed
        problems = []
        if report.total.failures:
            problems.append(f"{report.total.failures} requests failed other than with a 429")
        if report.missing:
            problems.append(f"{len(report.missing)} endpoints never requested")
        if not report.total.requests:
            problems.append("no request was made")
        if problems:
            raise CommandError("; ".join(problems) + ".")
        self.stdout.write(self.style.SUCCESS(f"No errors; {report.total.throttled} requests throttled (429)."))
