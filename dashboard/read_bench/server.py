"""gunicorn for the read benchmark: on a free loopback port, against the command's own database.

The parent binds the listening socket (port 0: the kernel picks a free one) and hands it to gunicorn
(`--bind fd://N`), so there is no race for the port and clients may connect before the workers are up.
gunicorn runs in its own session and is told to die with its parent (Linux), and `gunicorn_serving`
terminates it on the way out, whatever happened.
"""

import contextlib
import http.client
import os
import secrets
import signal
import socket

# Starts gunicorn with a fixed argument list, no shell (bandit B404 reviewed).
import subprocess  # nosec B404
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from django.conf import settings

LOOPBACK = "127.0.0.1"
# What a TLS-terminating proxy adds: the production settings redirect plain-HTTP requests otherwise.
PROXY_HEADERS = (("X-Forwarded-Proto", "https"),)


class ServerFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class RunningServer:
    host: str
    port: int
    workers: int
    worker_class: str
    settings_module: str
    pid: int  # the master's


def database_url(database: dict) -> str:
    """The DATABASE_URL (django-environ) of a PostgreSQL settings entry, password and options included."""
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise ServerFailed("The read benchmark needs PostgreSQL: set DATABASE_URL.")
    user, password = quote(database.get("USER") or "", safe=""), quote(database.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{database['PORT']}" if database.get("PORT") else ""
    options = {key: value for key, value in (database.get("OPTIONS") or {}).items() if isinstance(value, str | int)}
    query = f"?{urlencode(options)}" if options else ""
    return f"postgres://{credentials}{quote(database.get('HOST') or '', safe='')}{port}/{quote(database['NAME'], safe='')}{query}"


def gunicorn_environment(database: dict, redis_url: str = "") -> tuple[dict[str, str], str]:
    """The environment of a production-like server: production settings when Redis is configured (they
    refuse to start without it), else the base settings; DEBUG off, loopback only, persistent connections."""
    environment = {k: v for k, v in os.environ.items() if k not in ("GUNICORN_CMD_ARGS", "WEB_CONCURRENCY")}
    settings_module = "cs_platform.settings.production" if redis_url else "cs_platform.settings.base"
    environment.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        DATABASE_URL=database_url(database),
        ALLOWED_HOSTS=LOOPBACK,
        DEBUG="false",
        CONN_MAX_AGE="60",  # production's default: a worker keeps its database connection
        SECRET_KEY=secrets.token_urlsafe(50),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        # One token asks a thousand times a second here: the throttle still counts every request, never refuses.
        API_THROTTLE_USER="10000000/minute",
    )
    if redis_url:
        environment["REDIS_URL"] = redis_url
    else:
        environment.pop("REDIS_URL", None)
    return environment, settings_module


def die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    if sys.platform == "linux":
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@contextmanager
def gunicorn_serving(
    *,
    database: dict,
    redis_url: str = "",
    workers: int = 2,
    worker_class: str = "sync",
    ready_path: str = "/api/v1/ping/",
    start_timeout: float = 30,
) -> Iterator[RunningServer]:
    """Sync workers by default, as the Dockerfile runs them: they close the connection after each answer
    (production has a proxy in front). "gthread" (one thread each) keeps connections alive, for comparison."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind((LOOPBACK, 0))
    listener.listen(256)
    port = listener.getsockname()[1]
    environment, settings_module = gunicorn_environment(database, redis_url)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "cs_platform.wsgi:application",
        f"--bind=fd://{listener.fileno()}",
        f"--workers={workers}",
        f"--worker-class={worker_class}",
        "--threads=1",
        "--log-level=warning",
        "--graceful-timeout=5",
    ]
    log = tempfile.NamedTemporaryFile(prefix="read-bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    # Fixed argument list, no shell (bandit B603 reviewed).
    process = subprocess.Popen(  # nosec B603
        command,
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        pass_fds=(listener.fileno(),),
        start_new_session=True,
        preexec_fn=die_with_parent,  # the command is single-threaded here
    )
    listener.close()  # gunicorn holds its own copy
    failed = True
    try:
        wait_until_ready(process, port, ready_path, start_timeout, Path(log.name))
        yield RunningServer(LOOPBACK, port, workers, worker_class, settings_module, process.pid)
        failed = False
    finally:
        server_stop(process)
        log.close()
        if failed and os.path.getsize(log.name):
            sys.stderr.write(f"gunicorn's log is kept in {log.name}\n")
        else:
            os.unlink(log.name)


def wait_until_ready(process: subprocess.Popen, port: int, path: str, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerFailed(f"gunicorn exited with status {process.returncode}:\n{_tail(log)}")
        connection = http.client.HTTPConnection(LOOPBACK, port, timeout=5)
        try:
            connection.request("GET", path, headers=dict(PROXY_HEADERS))
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.1)
    raise ServerFailed(f"gunicorn did not answer {path} within {timeout:.0f} s:\n{_tail(log)}")


def server_stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()  # graceful: the master stops its workers
        try:
            process.wait(timeout=15)
            return
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # the master and its workers: the session started above
    process.wait()


def _tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _cpu_seconds(pid: int) -> float | None:
    """User and system CPU time of a process on this machine (Linux /proc), None when it cannot be read."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (name) ": state, ppid, ... utime, stime
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(parent_pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir() if sys.platform == "linux" else ():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == parent_pid:
                children.append(int(entry.name))
    return children


def _local_database_backends() -> list[int]:
    """PostgreSQL backends of the other connections to this database, when the server runs on this machine."""
    from django.db import connection

    host = connection.settings_dict.get("HOST") or "localhost"
    on_this_machine = host in ("localhost", LOOPBACK, "::1") or host.startswith("/")  # or a Unix socket
    if connection.vendor != "postgresql" or not on_this_machine:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'"
        )
        return [pid for (pid,) in cursor.fetchall()]


@dataclass(frozen=True)
class CpuSnapshot:
    """CPU seconds used so far by each of gunicorn's workers and of the database backends serving them
    (empty where they cannot be read: not Linux, or PostgreSQL on another machine)."""

    workers: dict[int, float]
    database: dict[int, float]

    @classmethod
    def take(cls, server: RunningServer) -> "CpuSnapshot":
        def times(pids: list[int]) -> dict[int, float]:
            return {pid: seconds for pid in pids if (seconds := _cpu_seconds(pid)) is not None}

        return cls(times(_children(server.pid)), times(_local_database_backends()))

    def used_since(self, earlier: "CpuSnapshot") -> tuple[float | None, float | None]:
        """(workers, database) CPU seconds between the two snapshots; a process started since counts whole."""

        def used(now: dict[int, float], then: dict[int, float]) -> float | None:
            return sum(seconds - then.get(pid, 0.0) for pid, seconds in now.items()) if now else None

        return used(self.workers, earlier.workers), used(self.database, earlier.database)
