"""Shared fixtures: a headless Chromium for the browser tests (Debian's /usr/bin/chromium)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("GIGSIM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"


def _missing_browser() -> str | None:
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (install Debian's `chromium`; .ci/run does)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python Playwright is not installed (pip install -e '.[test]')"
    return None


def pytest_collection_modifyitems(config, items):
    """Files with a slow or browser test first, the others after them, each group in its usual order (a stable sort).

    `make test`'s two xdist workers take whole files in collection order (`--dist loadfile --no-loadscope-reorder`),
    each a new one when it is nearly out of work; with the long files first, the short ones fill in at the end and
    both workers finish together. xdist's default order (most tests first) would hand out the oracle's per-topic
    files, one to three long tests each (tests/test_oracle_*.py), last.
    """
    first = {item.path for item in items if item.get_closest_marker("slow") or item.get_closest_marker("browser")}
    items.sort(key=lambda item: item.path not in first)


@pytest.fixture(scope="session")
def chromium():
    """A launched headless Chromium; skips without one, except under CI=true where it fails.

    Playwright gives every launch a fresh temporary profile (it refuses --user-data-dir in `launch`);
    each test opens its own browser context, so cookies and storage are never shared.
    """
    reason = _missing_browser()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def screenshot():
    """Save a page's screenshot under artifacts/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
