"""How fast the Explore page plays: days per second at the default controls (100 ms per frame, 1 day per frame).

Starts `gigsim ui` on 127.0.0.1 and a free port (from the code on PYTHONPATH, so an older checkout can be
measured the same way), opens the page in headless Chromium, presses Play and reads the day counter over
a measured span after a warm-up. The nominal speed is 1000 / play interval = 10 days per second.

    python benchmarks/ui_play_speed.py [--seconds 30] [--warmup 10]
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the server process has used (Linux /proc), a measure the machine's load
    does not inflate the way wall-clock time is."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def day(page) -> int:
    return int(re.search(r"day (\d+) of", page.locator(".gigsim-day").inner_text()).group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--warmup", type=float, default=10.0)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    port = free_port()
    root = tempfile.mkdtemp()
    proc = subprocess.Popen([sys.executable, "-m", "gigsim.cli", "ui", "--port", str(port), "--results-root", root],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(url, timeout=5)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
            page.set_default_timeout(180_000)
            page.goto(url)
            page.wait_for_selector("text=day 0 of 365")
            page.locator(".gigsim-play").click()
            time.sleep(args.warmup)
            d0, t0, c0 = day(page), time.monotonic(), cpu_seconds(proc.pid)
            time.sleep(args.seconds)
            d1, t1, c1 = day(page), time.monotonic(), cpu_seconds(proc.pid)
            browser.close()
        print(f"days {d0} -> {d1} in {t1 - t0:.1f} s: {(d1 - d0) / (t1 - t0):.2f} days/s (nominal 10); "
              f"server CPU {1000 * (c1 - c0) / max(d1 - d0, 1):.0f} ms per day played")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
