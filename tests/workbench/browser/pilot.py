"""Driving the real workbench in headless Chromium: start it, get past the gate, work the map.

Shared by the browser tests and bench/bench_workbench.py. Uses Debian's Chromium
(`/usr/bin/chromium`, or GOLDENBELL_CHROMIUM); Playwright downloads no browser.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from cli.main import streamlit_argv
from settings.table import PROJECT_ROOT

CHROMIUM = os.environ.get("GOLDENBELL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CANVAS = "goldenbell_canvas"
# The pilot's own account, created in each run's fresh access database (synthetic, tests only).
USER = "pilot"
PASSWORD = "Synthetic-Browser-Only-42"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def workbench_server(env: Mapping[str, str], *, log: Path) -> Iterator[str]:
    """The workbench on a free loopback port, started as `goldenbell workbench` starts it."""
    port = free_port()
    argv = streamlit_argv(port)
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(argv, cwd=PROJECT_ROOT, env={**os.environ, **env}, stdout=out, stderr=out)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"the workbench did not start; see {log}") from None
                    time.sleep(0.3)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


@contextmanager
def pilot_workbench(env: Mapping[str, str], folder: Path, *, log: Path, role: str = "analyst") -> Iterator[str]:
    """The workbench with an audit log and user store of its own in `folder`, holding the pilot's
    account in `role`."""
    env = {
        **env,
        "GOLDENBELL_AUDIT_LOG": str(folder / "audit.jsonl"),
        "GOLDENBELL_ACCESS_DB": str(folder / "access.db"),
    }
    add_user(env, role)
    with workbench_server(env, log=log) as url:
        yield url


@contextmanager
def browser(user_data_dir: Path, *, viewport: tuple[int, int] = (1400, 1000)):
    """A fresh Chromium (its own profile folder) and one page; yields (page, requests seen)."""
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(user_data_dir),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": viewport[0], "height": viewport[1]},
            locale="zh-CN",
            accept_downloads=True,
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            context.on("request", lambda request: requests.append(request.url))
            yield page, requests
        finally:
            context.close()


def foreign(requests: list[str], base_url: str) -> list[str]:
    """Requests to anywhere but the workbench itself (data: and blob: URLs stay in the page)."""
    own = urlsplit(base_url).netloc
    return [url for url in requests if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != own]


def add_user(env: Mapping[str, str], role: str = "analyst") -> None:
    """Create the pilot's account in the access database the workbench in `env` uses."""
    from argon2 import PasswordHasher, profiles

    from access.actor import Actor
    from access.audit.log import AuditLog
    from access.passwords import Passwords
    from access.users import UserStore

    cheap = Passwords(PasswordHasher.from_parameters(profiles.CHEAPEST))
    store = UserStore(Path(env["GOLDENBELL_ACCESS_DB"]), AuditLog(Path(env["GOLDENBELL_AUDIT_LOG"])), cheap)
    store.add(USER, role, PASSWORD, by=Actor.cli("pilot"))


def sign_in(page, base_url: str, path: str = "/") -> None:
    """Sign in at `path`: signed out, every page's address shows the login form first."""
    page.goto(base_url + path)
    page.get_by_label("用户名").fill(USER)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def pass_gate(page, base_url: str, case_ref: str = "JX-2025-0142") -> None:
    """Sign in and give the case reference: the workbench's search box is then ready."""
    sign_in(page, base_url)
    page.get_by_label("案件编号").fill(case_ref)
    page.get_by_role("button", name="开始工作").click()
    page.get_by_label("姓名、身份号码").wait_for()


def canvas_frame(page, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            if CANVAS in frame.url:
                try:
                    if frame.evaluate("!!(window.gbCanvas && document.body.dataset.drawnVersion)"):
                        return frame
                except Exception:  # noqa: BLE001 - the frame may be reloading; try again
                    pass
        page.wait_for_timeout(50)
    raise TimeoutError("the relationship map did not appear")


def drawn(page) -> tuple[int, int]:
    """(version drawn, nodes on the canvas)."""
    frame = canvas_frame(page)
    data = frame.evaluate("[document.body.dataset.drawnVersion, document.body.dataset.nodes]")
    return int(data[0]), int(data[1])


def wait_drawn_after(page, version: int, timeout: float = 30.0) -> tuple[int, int]:
    """Wait until the canvas shows a version newer than `version`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            now = drawn(page)
        except Exception:  # noqa: BLE001 - the frame is replaced while Streamlit reruns
            now = (version, 0)
        if now[0] > version:
            return now
        page.wait_for_timeout(10)
    # What the page showed instead, for whoever reads the failure.
    page.screenshot(path=str(PROJECT_ROOT / "test-artifacts" / "map-not-redrawn.png"))
    raise TimeoutError(f"the map was not redrawn after version {version}")


def node_point(page, predicate_js: str) -> tuple[float, float, str]:
    """Page coordinates and id of the first canvas node for which `predicate_js` (over n) holds
    and that a user could click: inside the window, not under the legend, the info box, the
    tools or the time bar. Like a user, it scrolls the map into view when no such node shows."""
    for _ in range(2):
        frame = canvas_frame(page)
        candidates = frame.evaluate(
            f"(() => {{ const c = gbCanvas.cy.container().getBoundingClientRect();"
            f" return gbCanvas.cy.nodes(':visible').filter(n => {predicate_js}).map(n => {{"
            " const p = n.renderedPosition(), x = c.left + p.x, y = c.top + p.y;"
            " const hit = document.elementFromPoint(x, y);"
            " return [x, y, n.id(), !!(hit && hit.closest('#cy'))]; }); })()"
        )
        if not candidates:
            raise LookupError(f"no node on the map for which {predicate_js}")
        iframe = page.locator(f"iframe[title*='{CANVAS}']")
        box = iframe.bounding_box()
        height = page.viewport_size["height"]
        for x, y, node_id, clear in candidates:
            if clear and 0 < box["y"] + y < height:
                return box["x"] + x, box["y"] + y, node_id
        iframe.evaluate("el => el.scrollIntoView({block: 'end'})")
    x, y, node_id, _ = candidates[0]  # covered even so: the click shows why
    return box["x"] + x, box["y"] + y, node_id


def double_click_node(page, predicate_js: str) -> str:
    x, y, node_id = node_point(page, predicate_js)
    page.mouse.dblclick(x, y)
    return node_id


def expand_by_double_click(page, predicate_js: str, version: int) -> tuple[int, int]:
    """Double-click a node and wait for the expanded map. No waiting for the page to settle
    first, and no second try: a gesture made while Streamlit is still rerunning must be kept."""
    double_click_node(page, predicate_js)
    return wait_drawn_after(page, version)


def menu(page, predicate_js: str, action: str) -> str:
    """Right-click a node and choose a menu entry by its action (expand, pin, path_start, …)."""
    x, y, node_id = node_point(page, predicate_js)
    page.mouse.click(x, y, button="right")
    canvas_frame(page).locator(f"#menu [data-action='{action}']").click()
    return node_id
