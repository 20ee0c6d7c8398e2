"""`manage.py loadtest`: serve the seeded database with gunicorn, run the locustfile against it, report.

gunicorn is started the way the read benchmark starts it (dashboard/read_bench/server.py: a loopback socket
bound here and handed over, so there is no race for the port; the server dies with us) but with the API's
real rate limit, which the read benchmark lifts. locust runs as a subprocess (it monkey-patches the standard
library with gevent) and writes CSV files, which are read back into one table per endpoint.
"""

import contextlib
import csv
import json
import os
import re
import secrets
import shutil

# Starts gunicorn and locust with fixed argument lists, no shell (bandit B404 reviewed).
import subprocess  # nosec B404
import sys
import tempfile
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from rest_framework.authtoken.models import Token

from dashboard.read_bench.server import (  # the read benchmark's process handling, shared
    LOOPBACK,
    ServerFailed,
    database_url,
    die_with_parent,
    server_stop,
    wait_until_ready,
)
from demo.department import DEMO_PASSWORD
from demo.load import DEPARTMENT, INTEGRATION_USERNAME
from loadtest import endpoints
from plans.models import DailyPlan
from teams.models import Membership, Role, Shop, Team

LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
THROTTLED = re.compile(rf"\b{endpoints.THROTTLED}\b")


@dataclass
class EndpointFigures:
    name: str
    requests: int = 0
    failures: int = 0  # errors other than 429
    throttled: int = 0  # 429s
    p50: float = 0.0
    p95: float = 0.0
    p99: float = 0.0
    max: float = 0.0
    rps: float = 0.0
    errors: list[str] = field(default_factory=list)


@dataclass
class LoadReport:
    endpoints: list[EndpointFigures]
    total: EndpointFigures
    users: int
    seconds: int
    workers: int
    throttle: str

    @property
    def missing(self) -> list[str]:
        """Endpoints of the locustfile that were never requested."""
        hit = {figures.name for figures in self.endpoints if figures.requests}
        return [name for name in endpoints.ALL.values() if name not in hit]


def default_workers() -> int:
    """gunicorn's rule of thumb, 2 x cores + 1 sync workers (as the Dockerfile runs them)."""
    return 2 * (os.cpu_count() or 1) + 1


def load_people(*, agents: int = 100) -> dict:
    """Real people of the seeded department, each with an API token (minted once, kept across runs)."""
    department = Team.objects.get(name=DEPARTMENT, parent=None)
    children = list(Team.objects.filter(parent=department).values_list("pk", flat=True))
    teams = [department.pk, *children, *Team.objects.filter(parent__in=children).values_list("pk", flat=True)]
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(department.timezone)).date()
    with_plan = set(DailyPlan.objects.filter(team_id__in=teams, date=today).values_list("agent_id", flat=True))
    integration = Q(user__username__startswith=INTEGRATION_USERNAME.split("{")[0])
    agent_rows = list(
        Membership.objects.filter(team_id__in=teams, role=Role.AGENT, active=True)
        .select_related("user")
        .order_by("user__username")
    )
    agent_rows.sort(key=lambda m: m.user_id not in with_plan)  # those with a plan today first
    supervisor_rows = list(
        Membership.objects.filter(team_id__in=teams, role=Role.SUPERVISOR, active=True)
        .exclude(integration)
        .select_related("user")
        .order_by("team_id")
    )
    integrator_rows = list(
        Membership.objects.filter(team_id__in=teams, active=True).filter(integration).select_related("user")
    )
    squad_agents: dict[int, list[str]] = {}
    for membership in agent_rows:
        squad_agents.setdefault(membership.team_id, []).append(membership.user.username)
    shops = list(Shop.objects.filter(team_id__in=teams, active=True).values_list("code", flat=True))

    def token(user) -> str:
        return Token.objects.get_or_create(user=user)[0].key

    return {
        "today": today.isoformat(),
        "password": DEMO_PASSWORD,  # the browsers sign in with it (every demo and load person has it)
        "agents": [
            {"id": m.user_id, "username": m.user.username, "team": m.team_id, "token": token(m.user)}
            for m in agent_rows[:agents]
        ],
        "supervisors": [
            {"username": m.user.username, "team": m.team_id, "token": token(m.user)} for m in supervisor_rows
        ],
        "integrators": [
            {
                "username": m.user.username,
                "team": m.team_id,
                "token": token(m.user),
                "agents": squad_agents.get(m.team_id, []),
                "shops": shops,
            }
            for m in integrator_rows
        ],
        # Other people than the API users, so a page's session and a token never share a user's rate.
        "browser_agents": [{"username": m.user.username} for m in reversed(agent_rows[agents : agents + 20])]
        or [{"username": m.user.username} for m in agent_rows[:5]],
        "browser_supervisors": [{"username": m.user.username, "team": m.team_id} for m in supervisor_rows],
    }


@contextmanager
def gunicorn_running(*, database: dict, redis_url: str, workers: int, throttle: str) -> Iterator[int]:
    """gunicorn on a free loopback port with the production settings (DEBUG off; they need Redis) and the
    API's rate limit as given; yields the port. Stopped whatever happens."""
    import socket

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind((LOOPBACK, 0))
    listener.listen(1024)
    port = listener.getsockname()[1]
    environment = {k: v for k, v in os.environ.items() if k not in ("GUNICORN_CMD_ARGS", "WEB_CONCURRENCY")}
    environment.update(
        DJANGO_SETTINGS_MODULE="cs_platform.settings.production" if redis_url else "cs_platform.settings.base",
        DATABASE_URL=database_url(database),
        ALLOWED_HOSTS=LOOPBACK,
        DEBUG="false",
        CONN_MAX_AGE="60",
        SECRET_KEY=secrets.token_urlsafe(50),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        API_THROTTLE_USER=throttle,
        REDIS_URL=redis_url,
    )
    if not redis_url:
        environment.pop("REDIS_URL")
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "cs_platform.wsgi:application",
        f"--bind=fd://{listener.fileno()}",
        f"--workers={workers}",
        "--worker-class=sync",
        "--backlog=1024",
        "--log-level=warning",
        "--graceful-timeout=5",
        "--timeout=60",
    ]
    log = tempfile.NamedTemporaryFile(prefix="loadtest-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    # Fixed argument list, no shell (bandit B603 reviewed).
    process = subprocess.Popen(  # nosec B603
        command,
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        pass_fds=(listener.fileno(),),
        start_new_session=True,
        preexec_fn=die_with_parent,
    )
    listener.close()
    failed = True
    try:
        wait_until_ready(process, port, "/api/v1/ping/", 60, Path(log.name))
        yield port
        failed = False
    finally:
        server_stop(process)
        log.close()
        text = Path(log.name).read_text(errors="replace")
        if failed or "Traceback" in text:
            sys.stderr.write(f"gunicorn's log is kept in {log.name}\n")
        else:
            os.unlink(log.name)


def locust_run(
    *, port: int, people: dict, users: int, spawn_rate: float, seconds: int, out_dir: Path, smoke: bool
) -> Path:
    """The locustfile headless against the server; returns the CSV prefix. Never imported here: a subprocess."""
    people_file = out_dir / "people.json"
    people_file.write_text(json.dumps(people))
    people_file.chmod(0o600)  # API tokens
    prefix = out_dir / "locust"
    locust = Path(sys.executable).parent / "locust"
    command = [
        str(locust) if locust.exists() else "locust",
        f"--locustfile={LOCUSTFILE}",
        "--headless",
        f"--users={users}",
        f"--spawn-rate={spawn_rate}",
        f"--run-time={seconds}s",
        f"--host=http://{LOOPBACK}:{port}",
        f"--csv={prefix}",
        "--only-summary",
        "--stop-timeout=10",
        "--loglevel=WARNING",
    ]
    environment = {**os.environ, "LOADTEST_PEOPLE": str(people_file), "LOADTEST_SMOKE": "1" if smoke else "0"}
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(settings.BASE_DIR), os.environ.get("PYTHONPATH")]))
    with open(out_dir / "locust.log", "wb") as log:
        # Fixed argument list, no shell (bandit B603 reviewed).
        finished = subprocess.run(  # nosec B603
            command, cwd=settings.BASE_DIR, env=environment, stdout=log, stderr=subprocess.STDOUT, timeout=seconds + 120
        )
    if not Path(f"{prefix}_stats.csv").exists():
        raise ServerFailed(
            f"locust exited with status {finished.returncode} and wrote no statistics:\n"
            + (out_dir / "locust.log").read_text(errors="replace")[-3000:]
        )
    return prefix


def locust_figures(prefix: Path) -> tuple[list[EndpointFigures], EndpointFigures]:
    """Per endpoint and in all, from locust's CSV files, with the 429s taken out of the failures."""
    figures: dict[str, EndpointFigures] = {}
    total = EndpointFigures("Total")
    with open(f"{prefix}_stats.csv", newline="") as stats:
        for row in csv.DictReader(stats):
            entry = (
                total if row["Name"] == "Aggregated" else figures.setdefault(row["Name"], EndpointFigures(row["Name"]))
            )
            entry.requests = int(row["Request Count"])
            entry.failures = int(row["Failure Count"])
            entry.p50, entry.p95, entry.p99 = (_number(row[p]) for p in ("50%", "95%", "99%"))
            entry.max = _number(row["Max Response Time"])
            entry.rps = _number(row["Requests/s"])
    with open(f"{prefix}_failures.csv", newline="") as failures:
        for row in csv.DictReader(failures):
            entry = figures.setdefault(row["Name"], EndpointFigures(row["Name"]))
            occurrences = int(row["Occurrences"])
            if THROTTLED.search(row["Error"]):
                entry.throttled += occurrences
                entry.failures -= occurrences
                total.throttled += occurrences
                total.failures -= occurrences
            else:
                entry.errors.append(f"{row['Method']} {row['Error'][:300]} x{occurrences}")
    order = list(endpoints.ALL.values())
    ordered = sorted(figures.values(), key=lambda f: order.index(f.name) if f.name in order else len(order))
    return ordered, total


def _number(text: str) -> float:
    with contextlib.suppress(ValueError):
        return float(text)
    return 0.0


def load_report_write(report: LoadReport, write: Callable[[str], None]) -> None:
    write("")
    write(
        f"Load test: {report.users} users for {report.seconds} s against gunicorn ({report.workers} sync workers, "
        f"production settings, DEBUG off) on {os.cpu_count()} CPUs shared with PostgreSQL, Redis and locust; "
        f"API rate limit {report.throttle} per token. Failures: errors other than 429s, which are counted apart. Times "
        "in ms, as the client sees them (queueing included); locust rounds them above 100 ms to two significant digits."
    )
    header = f"{'endpoint':<52} {'requests':>9} {'failures':>8} {'429s':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7} {'req/s':>7}"
    write(header)
    write("-" * len(header))
    for f in [*report.endpoints, report.total]:
        if f is report.total:
            write("-" * len(header))
        write(
            f"{f.name:<52} {f.requests:>9} {f.failures:>8} {f.throttled:>6} {f.p50:>6.0f} {f.p95:>6.0f} "
            f"{f.p99:>6.0f} {f.max:>7.0f} {f.rps:>7.1f}"
        )
    for f in report.endpoints:
        for error in f.errors:
            write(f"  error: {f.name}: {error}")
    for name in report.missing:
        write(f"  never requested: {name}")


def load_run(
    *,
    database: dict,
    redis_url: str,
    users: int,
    seconds: int,
    spawn_rate: float,
    workers: int,
    throttle: str,
    warmup: int = 0,
    smoke: bool = False,
    keep: Path | None = None,
    write: Callable[[str], None] = print,
) -> LoadReport:
    people = load_people()
    if not people["agents"] or not people["supervisors"]:
        raise ServerFailed("No agents or supervisors to play: run `manage.py seed_load` first.")
    write(
        f"People: {len(people['agents'])} agents, {len(people['supervisors'])} supervisors, "
        f"{len(people['integrators'])} integrations with API tokens; browsers sign in with the demo password."
    )
    out_dir = Path(tempfile.mkdtemp(prefix="loadtest-"))
    try:
        with gunicorn_running(database=database, redis_url=redis_url, workers=workers, throttle=throttle) as port:
            if warmup:
                # Every worker imports, connects and compiles templates on its first requests: not measured.
                write(f"gunicorn: {workers} sync workers on {LOOPBACK}:{port}; warming up for {warmup} s ...")
                warm_dir = out_dir / "warmup"
                warm_dir.mkdir()
                locust_run(
                    port=port, people=people, users=10, spawn_rate=10, seconds=warmup, out_dir=warm_dir, smoke=True
                )
            write(f"gunicorn: {workers} sync workers on {LOOPBACK}:{port}; locust: {users} users for {seconds} s ...")
            prefix = locust_run(
                port=port,
                people=people,
                users=users,
                spawn_rate=spawn_rate,
                seconds=seconds,
                out_dir=out_dir,
                smoke=smoke,
            )
        rows, total = locust_figures(prefix)
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            for name in ("locust_stats.csv", "locust_failures.csv", "locust.log"):
                with contextlib.suppress(FileNotFoundError):
                    (keep / name).write_bytes((out_dir / name).read_bytes())
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    report = LoadReport(rows, total, users=users, seconds=seconds, workers=workers, throttle=throttle)
    load_report_write(report, write)
    return report
