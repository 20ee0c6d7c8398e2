"""Real Celery processes for tests: workers and beats started against the test database, and a private
redis-server that a test may crash and restart (never the shared one)."""

import base64
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models import Count, UniqueConstraint
from kombu import pools as kombu_pools

from cs_platform.celery import app as celery_app

NEEDS_REDIS_AND_POSTGRES = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a real Redis: set REDIS_URL (CI does)"),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="needs PostgreSQL: the worker process must share the test database (set DATABASE_URL; CI does)",
    ),
]
NEEDS_REDIS_SERVER_BINARY = pytest.mark.skipif(
    shutil.which("redis-server") is None,
    reason="needs the redis-server binary: the trial starts (and crashes) a Redis of its own on port 6391-6399",
)
PRIVATE_REDIS_PORTS = range(6391, 6400)
PROJECT_APPS = {
    "teams", "conversations", "kpi", "notifications", "plans", "qa_reviews", "training", "recognition", "core",
}  # fmt: skip


def worker_database_url() -> str:
    """DATABASE_URL pointed at the database pytest-django created for this run."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def wait_for(condition, *, timeout: float, what: str, interval: float = 0.2, processes=()):
    """Poll until condition() is truthy (returns it); fail naming `what` after `timeout` seconds, or at once
    when one of `processes` died (its log tail is in the message)."""
    deadline = time.monotonic() + timeout
    while True:
        if value := condition():
            return value
        for process in processes:
            assert process.alive, f"{process.name} exited while waiting for {what}:\n{process.log_tail()}"
        assert time.monotonic() < deadline, f"timed out after {timeout}s waiting for {what}"
        time.sleep(interval)


class CeleryProcess:
    """A `celery` command in its own process group (so SIGKILL takes its pool children too), logging to a file
    (a pipe nobody reads would fill up and block it)."""

    def __init__(self, name: str, arguments: list[str], environment: dict[str, str], log_dir: Path):
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "cs_platform", *arguments],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log().splitlines()[-lines:])

    def kill(self) -> None:
        """SIGKILL to the whole group: the main process and its pool children die at once, nothing is acked."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.alive:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        # Pool children left behind by a killed main process.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self._log.close()


class CeleryProcesses:
    """Starts workers and beats of the project's app against the test database; stops them all at the end."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.started: list[CeleryProcess] = []

    def environment(self, **overrides: str) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cs_platform.settings.base",
            "DATABASE_URL": worker_database_url(),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),  # where the test stored the uploads
            **overrides,
        }

    def worker(self, *, queue: str = "celery", pool: str = "solo", concurrency: int = 1, **environment: str):
        name = f"worker-{len(self.started)}-{uuid.uuid4().hex[:6]}"
        arguments = ["worker", f"--pool={pool}", "--loglevel=INFO", "--without-gossip", "--without-mingle"]
        arguments += ["--without-heartbeat", "-Q", queue, "-n", f"{name}@localhost"]
        if pool == "prefork":
            arguments.append(f"--concurrency={concurrency}")
        return self._start(name, arguments, environment)

    def beat(self, **environment: str):
        name = f"beat-{len(self.started)}"
        # No pidfile (two beats would refuse to share one) and no local schedule file: DatabaseScheduler.
        arguments = ["beat", "--loglevel=INFO", "--pidfile=", "-S", "django_celery_beat.schedulers:DatabaseScheduler"]
        return self._start(name, arguments, environment)

    def _start(self, name: str, arguments: list[str], environment: dict[str, str]) -> CeleryProcess:
        process = CeleryProcess(name, arguments, self.environment(**environment), self.log_dir)
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.started:
            process.stop()


@pytest.fixture
def celery_processes(transactional_db, tmp_path) -> Iterator[CeleryProcesses]:
    processes = CeleryProcesses(tmp_path)
    try:
        yield processes
    finally:
        processes.stop_all()


class PrivateRedis:
    """A redis-server of the test's own on a free port 6391-6399, which the test may crash and restart."""

    def __init__(self, directory: Path, *, appendonly: bool):
        self.directory = directory
        self.appendonly = appendonly
        self.port = next(port for port in PRIVATE_REDIS_PORTS if not _port_in_use(port))
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        # No RDB snapshots: what survives a crash is the append-only file (fsynced every second) or nothing.
        persistence = ["--appendonly", "yes" if self.appendonly else "no", "--appendfsync", "everysec", "--save", ""]
        where = ["--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory)]
        self.process = subprocess.Popen(
            ["redis-server", *where, *persistence, "--logfile", str(self.directory / "redis.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        wait_for(lambda: _pings(client), timeout=20, what=f"redis-server on port {self.port}")
        client.close()

    def crash(self) -> None:
        """SIGKILL: what a host or container crash does; only fsynced append-only data comes back."""
        self.process.kill()
        self.process.wait(timeout=10)

    def queued(self, queue: str = "celery") -> int:
        """Messages waiting in the queue."""
        with redis.Redis.from_url(self.url) as client:
            return client.llen(queue)

    def unacked(self) -> int:
        """Messages delivered to a worker and not acknowledged yet (kombu's Redis transport keeps them)."""
        with redis.Redis.from_url(self.url) as client:
            return client.hlen("unacked")

    def unacked_task_arguments(self) -> list[list]:
        """The positional arguments of each unacknowledged task message."""
        with redis.Redis.from_url(self.url) as client:
            held = client.hvals("unacked")
        arguments = []
        for raw in held:
            message = json.loads(raw)[0]
            body = json.loads(base64.b64decode(message["body"]))
            arguments.append(body[0])
        return arguments

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def _port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _pings(client: redis.Redis) -> bool:
    try:
        return client.ping()
    except redis.ConnectionError:
        return False


@pytest.fixture
def private_redis_factory(tmp_path) -> Iterator:
    servers: list[PrivateRedis] = []

    def start(*, appendonly: bool) -> PrivateRedis:
        directory = tmp_path / f"redis-{len(servers)}"
        directory.mkdir()
        servers.append(PrivateRedis(directory, appendonly=appendonly))
        return servers[-1]

    try:
        yield start
    finally:
        for server in servers:
            server.stop()


@contextlib.contextmanager
def tasks_sent_to(broker_url: str | None = None) -> Iterator[None]:
    """The project's app sends through the broker (not eagerly), to `broker_url` if given, for the block."""
    conf = celery_app.conf
    previous = conf.task_always_eager, conf.broker_url
    conf.task_always_eager = False
    if broker_url:
        _forget_connections()
        conf.broker_url = broker_url
    try:
        yield
    finally:
        conf.task_always_eager = previous[0]
        if broker_url:
            _forget_connections()
            conf.broker_url = previous[1]


def _forget_connections() -> None:
    """Close and forget the pooled broker connections (kombu's registry too, or it would hand back the closed
    pool), so the next send connects to the broker now configured."""
    kombu_pools.reset()
    celery_app._pool = None
    with contextlib.suppress(AttributeError, KeyError):
        celery_app.__dict__["amqp"]._producer_pool = None


@pytest.fixture
def celery_worker_process(transactional_db):
    """One solo-pool worker of the project's app on a queue of its own (the shared REDIS_URL as broker)."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    node_name = f"{queue}@localhost"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cs_platform.settings.base",
        "DATABASE_URL": worker_database_url(),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cs_platform",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queue,
            "-n",
            node_name,
        ],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield queue, node_name
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def tasks_go_through_the_broker():
    with tasks_sent_to():
        yield


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS and not model._meta.proxy
    }


def duplicate_keys() -> dict[str, int]:
    """Keys held by more than one row: every unique constraint of the project's models, checked by counting
    (so a dropped constraint would show here), plus the domain keys no single constraint spells."""
    from notifications.models import Notification

    found = {}
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or model._meta.proxy:
            continue
        for constraint in model._meta.constraints:
            if not isinstance(constraint, UniqueConstraint) or not constraint.fields:
                continue
            rows = model._base_manager.filter(**{f"{name}__isnull": False for name in constraint.fields})
            if constraint.condition is not None:
                rows = rows.filter(constraint.condition)
            shared = rows.values(*constraint.fields).annotate(rows=Count("pk")).filter(rows__gt=1).count()
            if shared:
                found[f"{model._meta.label}{constraint.fields}"] = shared
    # One reminder per plan, whoever received it.
    reminders = (
        Notification.objects.filter(kind="plan-reminder").values("dedupe_key").annotate(rows=Count("pk"))
    ).filter(rows__gt=1)
    if shared := reminders.count():
        found["plan reminder per plan"] = shared
    return found
