"""Browser tests: the real server in its own process, a real database, Debian's Chromium.

Each module gets a fresh database (SQLite file, or a throwaway PostgreSQL database when
ICS_TEST_DATABASE_URL is set) made by `ics db upgrade` and `ics demo load`, as a newcomer would.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from sqlalchemy import Engine, create_engine

from app.config import ROOT
from tests.conftest import _postgres_database

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps trying hosts this machine cannot reach.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LiveServer:
    """`ics serve` on a free port; can be killed (as in a crash) and started again."""

    def __init__(self, database_url: str, workdir: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = database_url
        self.env = {**os.environ, "DATABASE_URL": database_url, "ICS_SESSION_IDLE_MINUTES": "30"}
        self.env.pop("ICS_TEST_DATABASE_URL", None)
        self.log = (workdir / "server.log").open("ab")
        self.process: subprocess.Popen[bytes] | None = None

    def prepare(self) -> list[str]:
        ics = [sys.executable, "-m", "app.cli"]
        subprocess.run(
            [*ics, "db", "upgrade"], env=self.env, check=True, cwd=ROOT, capture_output=True
        )
        loaded = subprocess.run(
            [*ics, "demo", "load"],
            env=self.env,
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        return loaded.stdout.split()

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:create_app",
            "--factory",
            "--port",
            str(self.port),
        ]
        self.process = subprocess.Popen(
            command, env=self.env, cwd=ROOT, stdout=self.log, stderr=self.log
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/sign-in", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start; see server.log")

    def kill(self) -> None:
        """SIGKILL, as a crash: nothing gets a chance to flush or say goodbye."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
            self.process = None


@pytest.fixture(scope="module")
def web_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    admin_url = os.environ.get("ICS_TEST_DATABASE_URL")
    if admin_url:
        yield from _postgres_database(admin_url)
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.sqlite3'}"


@pytest.fixture(scope="module")
def server(web_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(web_database, tmp_path_factory.mktemp("server"))
    live.case_numbers = live.prepare()  # type: ignore[attr-defined]
    live.start()
    yield live
    live.kill()


@pytest.fixture(scope="module")
def db_engine(web_database: str) -> Iterator[Engine]:
    engine = create_engine(web_database)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def new_page(browser: Browser, server: LiveServer, **options: Any) -> tuple[BrowserContext, Page]:
    context = browser.new_context(base_url=server.url, **options)
    context.set_default_timeout(15000)
    return context, context.new_page()


@pytest.fixture()
def page(browser: Browser, server: LiveServer) -> Iterator[Page]:
    context, opened = new_page(browser, server)
    yield opened
    context.close()


def sign_in(page: Page, username: str = "worker", password: str = "demo-password") -> None:
    """Sign in with the keyboard, as a worker would."""
    if "/sign-in" not in page.url:
        page.goto("/sign-in")
    page.locator("#username").focus()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/sign-in" not in url)


def tab_to(page: Page, selector: str, limit: int = 400) -> None:
    """Press Tab until the element matching `selector` has the focus (keyboard-only navigation)."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"could not reach {selector} with the Tab key")


def shoot(page: Page, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
