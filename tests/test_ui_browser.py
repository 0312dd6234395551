"""End-to-end: the app (`gigsim ui`) driven in headless Chromium. Screenshots go to artifacts/screenshots/.

Robust on a loaded two-core machine: every wait is for a condition on the page (never a sleep), with a
generous timeout, so a slow frame delays a test but does not fail it; what is checked is unchanged.
"""

from __future__ import annotations

import contextlib
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

WAIT = 180_000  # ms: generous, the machine is shared (a condition usually holds within a second)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_ui(log_dir, *args: str, cwd=None):
    """`gigsim ui` on 127.0.0.1 and a free port with `args`; yields its URL; stopped (by its process group) after."""
    port = free_port()
    log = open(log_dir / "server.log", "w+")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "gigsim.cli", "ui", "--port", str(port), *args], stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True, cwd=cwd,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=10) as response:
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
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, chromium):
    """`gigsim ui` with a tiny experiment under its results root."""
    root = make_small_experiment(tmp_path_factory.mktemp("browser_results"))
    with running_ui(tmp_path_factory.mktemp("server"), "--results-root", str(root)) as url:
        yield url


@pytest.fixture
def page(chromium, app_url):
    context = chromium.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(WAIT)
    yield page
    context.close()


def open_explore(page, url, day: int = 0):
    page.goto(url + "/")
    page.wait_for_selector(".gigsim-chart")
    page.wait_for_selector(f"text=day {day} of 365")


def points(page) -> int:
    return int(page.locator(".gigsim-chart").first.get_attribute("data-points"))


def wait_points(page, n: int) -> None:
    page.wait_for_function(f"() => Number(document.querySelector('.gigsim-chart')?.dataset.points) >= {n}")


def wait_points_exactly(page, n: int) -> None:
    page.wait_for_function(f"() => Number(document.querySelector('.gigsim-chart')?.dataset.points) === {n}")


def wait_day(page, day: int) -> None:
    page.wait_for_selector(f".gigsim-day:text-is('day {day} of 365')")


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

    drag_slider(page, "Workers:", 0.02)
    page.wait_for_selector("text=Settings changed")
    expect(page.locator(".v-input", has_text="Workers:").first).not_to_contain_text("Workers: 10,000")
    page.locator(".gigsim-reset").click()
    page.wait_for_selector("text=day 0 of 365")
    wait_points_exactly(page, 0)  # the new run's charts start empty
    page.locator(".gigsim-step").click()
    wait_points_exactly(page, 1)
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


def switch_on(page, css: str) -> None:
    """Turn on the Vuetify switch under `css` and wait until the app has applied it.

    The switch is controlled by the server: it shows checked only after Solara's round trip, so Playwright's
    `check()`, which asserts the new state right after its click, fails on a busy machine."""
    box = page.locator(f"{css} input")
    expect(box).to_be_attached(timeout=WAIT)
    box.click(force=True)
    expect(box).to_be_checked(timeout=WAIT)


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
        expect(folder).to_have_value(outside)
        page.locator(".gigsim-open").click()
        expect(page.locator(".gigsim-compare-error")).to_contain_text(f"'{outside}' is outside the results root")
    folder.fill("small")
    expect(folder).to_have_value("small")
    page.locator(".gigsim-open").click()
    table = page.locator(".gigsim-compare-table")
    table.wait_for()
    text = table.inner_text()
    for arm in ("control", "floor", "recession"):
        assert arm in text
    assert "median_net_hourly_earnings" in text
    charts = page.locator(".gigsim-page-compare .gigsim-chart")
    expect(charts).to_have_count(3)
    assert charts.first.get_attribute("data-points") == "30"
    screenshot(page, "compare")


def test_two_sessions_do_not_see_each_others_model_or_settings(chromium, app_url):
    contexts = [chromium.new_context(viewport={"width": 1500, "height": 1000}) for _ in range(2)]
    try:
        a, b = (c.new_page() for c in contexts)
        for p in (a, b):
            p.set_default_timeout(WAIT)
            open_explore(p, app_url)
        demand_label = b.locator(".v-input", has_text="Demand (").first.inner_text()
        for _ in range(3):
            a.locator(".gigsim-step").click()
        wait_points(a, 3)
        drag_slider(a, "Demand (", 0.9)
        a.wait_for_selector("text=Settings changed")
        b.reload()
        open_explore(b, app_url)
        assert points(b) == 0
        expect(a.locator(".v-input", has_text="Demand (").first).not_to_have_text(demand_label)
        assert b.locator(".v-input", has_text="Demand (").first.inner_text() == demand_label
        assert b.locator("text=Settings changed").count() == 0
        b.locator(".gigsim-step").click()
        wait_points(b, 1)
        assert points(a) == 3 and points(b) == 1
    finally:
        for c in contexts:
            c.close()


# --------------------------------------------------------------------------- issue 18


def test_a_fresh_clone_without_results_shows_the_app(chromium, tmp_path):
    """`gigsim ui` where no results/ folder exists yet: the page, not a traceback; Compare says what to do."""
    with running_ui(tmp_path, cwd=tmp_path) as url:
        page = chromium.new_context(viewport={"width": 1300, "height": 900}).new_page()
        page.set_default_timeout(WAIT)
        page.goto(url + "/compare")
        page.wait_for_selector(".gigsim-no-results")
        assert "No experiment folders" in page.inner_text(".gigsim-no-results")
        assert "Traceback" not in page.inner_text("body")
        page.context.close()


def test_tabs_keep_each_pages_state_and_the_url_restores_settings(page, app_url, screenshot):
    open_explore(page, app_url)
    for day in (1, 2, 3):
        page.locator(".gigsim-step").click()
        wait_day(page, day)
    page.locator(".gigsim-tab-compare").click()
    page.locator(".gigsim-page-compare .gigsim-folder input").fill("small")
    page.locator(".gigsim-open").click()
    page.locator(".gigsim-compare-table").wait_for()
    page.locator(".gigsim-tab-explore").click()
    wait_day(page, 3)  # the run is kept, not rebuilt
    assert points(page) == 3
    page.locator(".gigsim-tab-compare").click()
    expect(page.locator(".gigsim-compare-table")).to_be_visible()  # the opened experiment is kept
    page.wait_for_function("() => location.search.includes('exp=small')")
    page.reload()
    page.locator(".gigsim-compare-table").wait_for()  # a reload reopens it from the URL
    page.locator(".gigsim-tab-explore").click()
    wait_day(page, 0)
    # settings go into the URL; a reload (or a link) restores them
    drag_slider(page, "Workers:", 0.02)
    page.wait_for_function("() => /workers=\\d+/.test(location.search)")
    workers = page.locator(".v-input", has_text="Workers:").first.inner_text()
    url = page.url
    page.goto(url)
    page.wait_for_selector(f"text={workers.splitlines()[0]}")
    assert page.locator("text=Settings changed").count() == 0, "the restored settings are the run's"
    screenshot(page, "explore_restored_from_url")


def test_charts_read_well_after_a_single_step(page, app_url, screenshot):
    open_explore(page, app_url)
    page.locator(".gigsim-step").click()
    wait_points(page, 1)
    chart = page.locator(".gigsim-chart[data-title='Participation']")
    expect(chart.locator("circle")).to_have_count(2)  # one step draws a dot per line
    ticks = chart.locator("text").evaluate_all("els => els.map(e => e.textContent.trim())")
    assert "days run" in ticks and "workers" in ticks
    assert "365" in ticks, "the x-axis reaches the horizon"
    for title in ("Participation", "Fill rate", "Platform market shares", "Financially fragile share"):
        svg = page.locator(f".gigsim-chart[data-title='{title}'] svg")
        labels = svg.locator("g > text").evaluate_all("els => els.map(e => e.textContent.trim())")
        y_labels = labels[: len(labels) - 5]  # the x ticks come after the y ticks
        assert len(set(y_labels)) == len(y_labels), f"{title}: repeated tick labels {y_labels}"
        assert not any(t.startswith("-") for t in y_labels), f"{title}: padded below zero {y_labels}"
        assert svg.get_attribute("aria-label").startswith(title)
    box = chart.locator("svg").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + box["height"] / 2)
    expect(chart).to_contain_text("participants: ")  # the hover box shows the values
    assert page.evaluate("document.documentElement.lang") == "en"


def test_a_slider_moved_during_play_is_what_reset_uses(page, app_url):
    open_explore(page, app_url)
    page.locator(".gigsim-play").click()
    wait_points(page, 3)
    drag_slider(page, "Workers:", 0.02)
    page.wait_for_selector("text=Settings changed")  # shown while playing
    shown = page.locator(".v-input", has_text="Workers:").first.inner_text().splitlines()[0]
    assert shown != "Workers: 10,000"
    page.locator(".gigsim-reset").click()
    wait_day(page, 0)
    wait_points_exactly(page, 0)
    page.locator(".gigsim-step").click()
    wait_points_exactly(page, 1)
    assert page.locator("text=Settings changed").count() == 0
    assert page.locator(".v-input", has_text="Workers:").first.inner_text().splitlines()[0] == shown
    assert last_participants(page) < 2000, "the run Reset started is the smaller world the slider shows"


def test_pandemic_shows_every_shock_and_an_automation_path_keeps_its_shape(page, app_url):
    open_explore(page, app_url)
    choose(page, "gigsim-scenario", "pandemic")
    page.wait_for_selector("text=Demand shocks (4 in the scenario)")
    for name in ("lockdown: step", "cautious reopening: decay", "second wave: step", "remote work: ramp"):
        expect(page.locator(".gigsim-shock", has_text=name)).to_have_count(1)
    choose(page, "gigsim-scenario", "autonomous_rides")
    page.wait_for_selector("text=rides: logistic path of the automatable share")
    expect(page.locator(".v-input", has_text="rides: midpoint day: 240")).to_have_count(1)
    assert "Robotaxis" in page.inner_text(".gigsim-description")


def test_phone_width_stacks_columns_and_keeps_tabs_reachable(chromium, app_url, screenshot):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.set_default_timeout(WAIT)
        open_explore(page, app_url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 392, "no sideways scrolling"
        for tab in ("explore", "compare"):
            box = page.locator(f".gigsim-tab-{tab}").bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
        controls = page.locator(".gigsim-controls").bounding_box()
        stage = page.locator(".gigsim-stage").bounding_box()
        assert stage["y"] >= controls["y"] + controls["height"] - 1, "the columns stack"
        chart = page.locator(".gigsim-chart").first.bounding_box()
        assert chart["width"] <= 390
        screenshot(page, "explore_phone")
    finally:
        context.close()


def test_upload_and_network_nodes_work_from_the_keyboard(page, app_url):
    open_explore(page, app_url)
    upload = page.locator(".gigsim-upload-button")
    assert upload.get_attribute("tabindex") == "0"
    with page.expect_file_chooser() as chooser:
        upload.focus()
        page.keyboard.press("Enter")
    assert chooser.value is not None
    network = page.locator(".gigsim-network-svg").first
    network.focus()  # focus marks the first node; each arrow moves one on
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    worker = page.locator(".gigsim-node").nth(3).get_attribute("data-worker")
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => [...document.querySelectorAll('.gigsim-state td')].some(td => td.textContent === '{worker}')")


def test_an_upload_too_big_for_memory_is_refused_with_the_estimate(page, app_url):
    open_explore(page, app_url)
    page.locator(".gigsim-upload-input").set_input_files(files=[{
        "name": "huge.toml", "mimeType": "text/plain",
        "buffer": b'extends = "baseline"\n[population]\nworkers = 50000000\nclients = 25000000\n'}])
    error = page.locator(".gigsim-upload-error")
    error.wait_for()
    assert "huge.toml: population.workers: a world of 50,000,000 workers" in error.inner_text()
    assert "GB of memory" in error.inner_text()
    assert page.locator("text=day 0 of 365").count() == 1, "the running world is kept"


def test_ab_runs_a_second_world_beside_the_first_and_shows_the_difference(page, app_url, screenshot):
    open_explore(page, app_url)
    # a commission cap changes drivers' and freelancers' pay from the first task (the default pay floor of 18 no longer
    # binds on the session-5 baseline, whose pay per engaged hour is above it)
    choose(page, "gigsim-ab-lever", "commission_cap")
    switch_on(page, ".gigsim-ab")
    page.locator(".gigsim-ab-card").wait_for()
    expect(page.locator(".gigsim-ab-card")).to_contain_text("B = A with commission cap on")
    for day in (1, 2, 3):
        page.locator(".gigsim-step").click()
        wait_day(page, day)
    difference = page.locator(".gigsim-chart[data-title='B − A: net hourly earnings']")
    expect(difference).to_have_attribute("data-points", "3")
    both = page.locator(".gigsim-chart[data-title='A and B: participants']")
    expect(both.locator("polyline")).to_have_count(2)
    assert float(difference.get_attribute("data-last")) != 0.0, "a commission cap changes the median at once"
    screenshot(page, "explore_ab")


def test_an_enacted_lever_switched_on_goes_into_the_url_and_the_ab_run(page, app_url, screenshot):
    open_explore(page, app_url)
    page.locator(".v-expansion-panel-header", has_text="Policy levers").click()
    switch_on(page, ".gigsim-lever-nyc_pay_standard")
    page.wait_for_function("() => location.search.includes('lever.nyc_pay_standard.enabled=true')")
    expect(page.locator(".v-input", has_text="per minute: 0.287")).to_have_count(1, timeout=WAIT)  # its parameters
    # a reload (or a shared link) runs the world with the standard on; the address is read from the page, since
    # Playwright's page.url follows history.replaceState by a protocol event that can lag on a busy machine
    page.goto(page.evaluate("() => location.href"))
    wait_day(page, 0)
    assert page.locator("text=Settings changed").count() == 0
    page.locator(".v-expansion-panel-header", has_text="Policy levers").click()
    expect(page.locator(".gigsim-lever-nyc_pay_standard input")).to_be_checked(timeout=WAIT)
    choose(page, "gigsim-ab-lever", "nyc_pay_standard")
    switch_on(page, ".gigsim-ab")
    page.locator(".gigsim-ab-card").wait_for()
    expect(page.locator(".gigsim-ab-card")).to_contain_text("B = A with nyc pay standard off")
    page.locator(".gigsim-step").click()
    wait_day(page, 1)
    difference = page.locator(".gigsim-chart[data-title='B − A: net hourly earnings']")
    expect(difference).to_have_attribute("data-points", "1", timeout=WAIT)
    screenshot(page, "explore_levers_ab")
