"""Shared benchmark plumbing: start a server in its own process, load it, report percentiles.

Every benchmark compares the app with a floor (the bare framework doing the same work) in one run
on the same machine, and prints the ratio; absolute numbers vary between machines, ratios less.
"""

import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(
    app: str, *, env: dict[str, str], factory: bool = True, workers: int = 1
) -> Iterator[str]:
    """Run `uvicorn app` (with `workers` processes) on a free loopback port until the block
    ends; yield its base URL."""
    port = free_port()
    args = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--port",
        str(port),
        "--host",
        "127.0.0.1",
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    if factory:
        args.append("--factory")
    if workers > 1:
        args += ["--workers", str(workers)]
    process = subprocess.Popen(args, cwd=ROOT, env={**os.environ, **env})
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_up(base: str, seconds: float = 120) -> None:  # a loaded machine starts slowly
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {base} did not start")


@dataclass
class Timing:
    label: str
    samples: list[float]  # seconds per request

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.samples, n=20)[18]

    @property
    def per_second(self) -> float:
        return len(self.samples) / sum(self.samples)

    def line(self) -> str:
        return (
            f"{self.label:<28} {self.per_second:8.0f} req/s   p50 {self.p50 * 1000:7.2f} ms"
            f"   p95 {self.p95 * 1000:7.2f} ms"
        )


def measure(label: str, call: Callable[[], object], *, requests: int, warmup: int = 50) -> Timing:
    """Time `call` sequentially (one client, keep-alive): server time plus loopback, no queueing."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(requests):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return Timing(label, samples)


def ratio_line(app: Timing, floor: Timing, target: float) -> str:
    p50 = app.p50 / floor.p50
    p95 = app.p95 / floor.p95
    verdict = "within" if max(p50, p95) <= target else "OVER"
    return f"ratio app/floor: p50 {p50:.2f}x  p95 {p95:.2f}x  (target <= {target}x: {verdict})"
