"""A small HTTP/1.1 load generator: N clients in one asyncio loop, each on its own keep-alive connection.

Each client sends a request, reads the whole answer, then sends the next (a closed loop, like wrk), so
exactly N requests are in flight. A server may close the connection after an answer (gunicorn's sync
workers always do, as they would behind a proxy): the client then reconnects, and the connect time counts
in that request's latency. Standard library only; no Django here.
"""

import asyncio
import math
import time
from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    path: str
    headers: tuple[tuple[str, str], ...] = ()

    def request_bytes(self) -> bytes:
        lines = [f"GET {self.path} HTTP/1.1", f"Host: {self.host}:{self.port}", "Connection: keep-alive"]
        lines += [f"{name}: {value}" for name, value in self.headers]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of already sorted values: the smallest value with `fraction` of all at or below it."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


@dataclass
class LoadResult:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # of the 2xx answers, in seconds, sorted at the end
    errors: Counter = field(default_factory=Counter)  # "HTTP 500", "ConnectionResetError", "timeout" ...
    connections: int = 0
    body_bytes: int = 0  # of the 2xx answers
    client_cpu_seconds: float = 0.0  # the load generator's own CPU time: it shares the machine with the server

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def p50_ms(self) -> float:
        return 1000 * percentile(self.latencies, 0.50)

    @property
    def p95_ms(self) -> float:
        return 1000 * percentile(self.latencies, 0.95)

    @property
    def client_cpu_share(self) -> float:
        """The load generator's CPU time per second of the run (1.0 = one CPU kept busy)."""
        return self.client_cpu_seconds / self.seconds if self.seconds else 0.0

    @property
    def mean_body_bytes(self) -> float:
        return self.body_bytes / self.requests if self.requests else 0.0


class _ServerClosed(Exception):
    """The server closed the connection before answering (e.g. a keep-alive connection it timed out)."""


async def _read_chunked(reader: asyncio.StreamReader) -> int:
    size_total = 0
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
        if size == 0:
            await _skip_trailers(reader)
            return size_total
        await reader.readexactly(size + 2)  # the chunk and its CRLF
        size_total += size


async def _skip_trailers(reader: asyncio.StreamReader) -> None:
    while (await reader.readuntil(b"\r\n")) != b"\r\n":
        pass


async def read_response(reader: asyncio.StreamReader) -> tuple[int, int, bool]:
    """One HTTP/1.x answer: (status, body length, whether the connection may be reused)."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as error:
        if not error.partial:
            raise _ServerClosed from error
        raise
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    version, status = status_line.split(" ", 2)[:2]
    headers = {}
    for line in header_lines:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip().lower()
    reusable = version == "HTTP/1.1" and headers.get("connection") != "close"
    if "chunked" in headers.get("transfer-encoding", ""):
        length = await _read_chunked(reader)
    elif "content-length" in headers:
        length = int(headers["content-length"])
        await reader.readexactly(length)
    else:  # the body ends when the server closes the connection
        length = len(await reader.read())
        reusable = False
    return int(status), length, reusable


async def _client(target: Target, deadline: float, result: LoadResult, timeout: float) -> None:
    request = target.request_bytes()
    reader = writer = None
    try:
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            reused = writer is not None
            try:
                async with asyncio.timeout(timeout):
                    if writer is None:
                        reader, writer = await asyncio.open_connection(target.host, target.port)
                        result.connections += 1
                    writer.write(request)
                    status, length, reusable = await read_response(reader)
            except _ServerClosed:
                writer.close()
                reader = writer = None
                if reused:  # an idle kept-alive connection the server timed out: send the request again
                    continue
                result.errors["closed without an answer"] += 1
                continue
            except (OSError, asyncio.IncompleteReadError, ValueError, TimeoutError) as error:
                result.errors["timeout" if isinstance(error, TimeoutError) else type(error).__name__] += 1
                if writer is not None:
                    writer.close()
                reader = writer = None
                await asyncio.sleep(0.01)  # a refused connection must not spin the loop
                continue
            if 200 <= status < 300:
                result.latencies.append(time.perf_counter() - began)
                result.body_bytes += length
            else:
                result.errors[f"HTTP {status}"] += 1
            if not reusable:
                writer.close()
                reader = writer = None
    finally:
        if writer is not None:
            writer.close()


async def load_run(target: Target, *, clients: int, seconds: float, timeout: float = 5.0) -> LoadResult:
    """`clients` concurrent closed-loop clients for `seconds`; requests under way at the end are finished."""
    result = LoadResult()
    began, cpu_began = time.perf_counter(), time.process_time()
    await asyncio.gather(*(_client(target, began + seconds, result, timeout) for _ in range(clients)))
    result.seconds = time.perf_counter() - began
    result.client_cpu_seconds = time.process_time() - cpu_began
    result.latencies.sort()
    return result


def load_measure(target: Target, *, clients: int, seconds: float, warmup: float = 0.0) -> LoadResult:
    """A warm-up run (discarded) and then the measured run, in a fresh event loop."""

    async def both() -> LoadResult:
        if warmup > 0:
            await load_run(target, clients=clients, seconds=warmup)
        return await load_run(target, clients=clients, seconds=seconds)

    return asyncio.run(both())
