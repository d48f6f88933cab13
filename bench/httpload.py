"""A small load generator for benchmarks: asyncio, new connection per request (gunicorn's
sync workers close connections), bounded in time, loopback only."""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time
from collections.abc import Sequence


async def _one(port: int, path: str | tuple, extra: str = "") -> tuple[float, int]:
    """One request: a path to GET, or (path, body[, content type]) to POST (a form unless
    the type says otherwise); `extra` is header lines."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    if isinstance(path, tuple):
        target, body, *kind = path
        content_type = kind[0] if kind else "application/x-www-form-urlencoded"
        head = (
            f"POST {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            f"{extra}Content-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        writer.write(head.encode() + body)
    else:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{extra}\r\n".encode()
        )
    data = await reader.read()
    writer.close()
    return (time.perf_counter() - started) * 1000, int(data[9:12] or 0)


async def _run(
    port: int, paths: Sequence, seconds: float, concurrency: int, extra: str = ""
) -> dict:
    deadline = time.perf_counter() + seconds
    cycle = itertools.cycle(paths)
    latencies: list[float] = []
    errors = 0

    async def worker() -> None:
        nonlocal errors
        while time.perf_counter() < deadline:
            latency, status = await _one(port, next(cycle), extra)
            if status in (200, 201):
                latencies.append(latency)
            else:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return {
        "qps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) if latencies else float("nan"),
        "p99_ms": statistics.quantiles(latencies, n=100)[98]
        if len(latencies) > 100
        else float("nan"),
        "errors": errors,
        "requests": len(latencies),
    }


def load(
    port: int,
    paths: Sequence,
    *,
    seconds: float = 8.0,
    concurrency: int = 4,
    headers: dict[str, str] | None = None,
) -> dict:
    extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
    return asyncio.run(_run(port, paths, seconds, concurrency, extra))
