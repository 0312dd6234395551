"""End-to-end: the app (`gigsim ui`) driven in headless Chromium. Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.test_ui_unit import make_small_experiment

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

WAIT = 60_000  # ms: generous, the machine is shared


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, chromium):
    """`gigsim ui` on 127.0.0.1 and a free port, with a tiny experiment under its results root; stopped after."""
    root = make_small_experiment(tmp_path_factory.mktemp("browser_results"))
    port = free_port()
    log = open(tmp_path_factory.mktemp("server") / "server.log", "w+")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "gigsim.cli", "ui", "--port", str(port), "--results-root",
                             str(root)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"gigsim ui did not start:\n{log.read()[-3000:]}")
            time.sleep(0.5)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


@pytest.fixture
def page(chromium, app_url):
    context = chromium.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(WAIT)
    yield page
    context.close()


def open_explore(page, url):
    page.goto(url + "/")
    page.wait_for_selector(".gigsim-chart")
    page.wait_for_selector("text=day 0 of 365")


def points(page) -> int:
    return int(page.locator(".gigsim-chart").first.get_attribute("data-points"))


def wait_points(page, n: int) -> None:
    page.wait_for_function(f"() => Number(document.querySelector('.gigsim-chart').dataset.points) >= {n}")


def last_participants(page) -> float:
    return float(page.locator(".gigsim-chart[data-title^='Participation']").get_attribute("data-last"))


def drag_slider(page, label_start: str, fraction: float) -> None:
    """Click a Vuetify slider (found by its label) at `fraction` of its track."""
    slider = page.locator(".v-input", has_text=label_start).locator(".v-slider").first
    box = slider.bounding_box()
    page.mouse.click(box["x"] + box["width"] * fraction, box["y"] + box["height"] / 2)


def test_explore_step_play_and_a_slider_change(page, app_url, screenshot):
    open_explore(page, app_url)
    expect(page.locator(".gigsim-titlebar .gigsim-title")).to_have_text("gigsim")
    assert points(page) == 0
    page.locator(".gigsim-step").click()
    wait_points(page, 1)
    first_polyline = page.locator(".gigsim-chart polyline").first.get_attribute("points")
    full_world = last_participants(page)
    page.locator(".gigsim-play").click()
    wait_points(page, 8)
    page.locator(".gigsim-play").click()  # pause
    assert page.locator(".gigsim-chart polyline").first.get_attribute("points") != first_polyline
    assert page.locator(".gigsim-network .gigsim-node").count() == 2 * 300
    screenshot(page, "explore_running")

    drag_slider(page, "Workers:", 0.04)
    page.wait_for_selector("text=Settings changed")
    expect(page.locator(".v-input", has_text="Workers:").first).not_to_contain_text("Workers: 10,000")
    page.locator(".gigsim-reset").click()
    page.wait_for_selector("text=day 0 of 365")
    page.locator(".gigsim-step").click()
    wait_points(page, 1)
    assert points(page) == 1
    assert last_participants(page) < 0.6 * full_world, "a smaller population should have fewer participants"
    assert page.locator("text=Settings changed").count() == 0
    # inspect a worker by clicking its node
    node = page.locator(".gigsim-node").nth(7)
    worker = node.get_attribute("data-worker")
    node.dispatch_event("click")  # nodes may overlap; send the click to this one
    page.wait_for_function(f"() => [...document.querySelectorAll('.gigsim-state td')].some(td => td.textContent === '{worker}')")
    screenshot(page, "explore_smaller_world_inspected")
    # inspect a platform: its history chart appears once the model runs a day
    choose(page, "gigsim-inspect-kind", "platform")
    choose(page, "gigsim-inspect-platform", "staybnb")
    page.wait_for_function("() => [...document.querySelectorAll('.gigsim-state td')].some(td => td.textContent === 'staybnb')")
    assert page.locator(".gigsim-chart[data-title^='platform staybnb']").count() == 0
    for day in (2, 3, 4):
        page.locator(".gigsim-step").click()
        wait_points(page, day)
    history = page.locator(".gigsim-chart[data-title='platform staybnb: tasks and members']")
    history.wait_for()
    expect(history).to_have_attribute("data-points", "3")
    assert history.locator("polyline").count() == 2
    assert float(history.get_attribute("data-last")) >= 0  # tasks filled on the day
    assert "market_share" in page.locator(".gigsim-history").inner_text()
    page.locator(".gigsim-history").scroll_into_view_if_needed()
    screenshot(page, "explore_platform_inspected")


def choose(page, css_class: str, option: str) -> None:
    """Pick `option` in the Vuetify select with class `css_class`."""
    page.locator(f".{css_class} .v-select__slot").click()
    page.locator(".v-menu__content.menuable__content__active .v-list-item", has_text=option).first.click()


def test_bad_and_oversized_uploads_show_the_error_and_a_good_one_loads(page, app_url, screenshot):
    open_explore(page, app_url)
    upload = page.locator(".gigsim-upload-input")
    upload.set_input_files(files=[{"name": "bad.toml", "mimeType": "text/plain",
                                   "buffer": b'extends = "baseline"\n[population]\nworkrs = 100\n'}])
    error = page.locator(".gigsim-upload-error")
    error.wait_for()
    assert "bad.toml: population.workrs: unknown key 'workrs' (did you mean 'workers'?)" in error.inner_text()
    assert "Traceback (most recent call last)" not in page.inner_text("body")
    screenshot(page, "upload_error")
    upload.set_input_files(files=[{"name": "huge.toml", "mimeType": "text/plain", "buffer": b"#" * 400_000}])
    page.wait_for_selector("text=the upload limit is 256,000")
    upload.set_input_files(files=[{"name": "good.toml", "mimeType": "text/plain",
                                   "buffer": b'extends = "baseline"\nname = "mine"\ndays = 50\n'
                                             b'[population]\nworkers = 1000\nclients = 500\n'}])
    page.wait_for_selector("text=day 0 of 50")
    assert page.locator(".gigsim-upload-error").count() == 0
    assert "uploaded: good.toml" in page.content()


def test_compare_page_refuses_outside_folders_and_compares_arms(page, app_url, screenshot):
    page.goto(app_url + "/compare")
    folder = page.locator(".gigsim-folder input")
    folder.wait_for()
    expect(page.locator(".gigsim-titlebar .gigsim-title")).to_have_text("gigsim")  # the title bar on every page
    for outside in ("..", "/etc", "small/../../.."):
        folder.fill(outside)
        page.locator(".gigsim-open").click()
        page.wait_for_selector(".gigsim-compare-error")
        assert "outside the results root" in page.locator(".gigsim-compare-error").inner_text()
    folder.fill("small")
    page.locator(".gigsim-open").click()
    table = page.locator(".gigsim-compare-table")
    table.wait_for()
    text = table.inner_text()
    for arm in ("control", "floor", "recession"):
        assert arm in text
    assert "median_net_hourly_earnings" in text
    assert page.locator(".gigsim-chart").count() == 3
    assert page.locator(".gigsim-chart").first.get_attribute("data-points") == "30"
    screenshot(page, "compare")


def test_two_sessions_do_not_see_each_others_model_or_settings(chromium, app_url):
    contexts = [chromium.new_context(viewport={"width": 1500, "height": 1000}) for _ in range(2)]
    try:
        a, b = (c.new_page() for c in contexts)
        for p in (a, b):
            p.set_default_timeout(WAIT)
            open_explore(p, app_url)
        demand_label = b.locator(".v-input", has_text="Demand level").first.inner_text()
        for _ in range(3):
            a.locator(".gigsim-step").click()
        wait_points(a, 3)
        drag_slider(a, "Demand level", 0.9)
        a.wait_for_selector("text=Settings changed")
        b.reload()
        open_explore(b, app_url)
        assert points(b) == 0
        expect(a.locator(".v-input", has_text="Demand level").first).not_to_have_text(demand_label)
        assert b.locator(".v-input", has_text="Demand level").first.inner_text() == demand_label
        assert b.locator("text=Settings changed").count() == 0
        b.locator(".gigsim-step").click()
        wait_points(b, 1)
        assert points(a) == 3 and points(b) == 1
    finally:
        for c in contexts:
            c.close()
