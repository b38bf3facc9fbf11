"""The web page (`minisora site`) in a real browser: weight, load, and time per keystroke.

    python benchmarks/site.py                    # the shipped catalogue, 1,000 and 10,000 papers
    python benchmarks/site.py --sizes 10000 --runs 9

For each catalogue: builds the site, serves it from 127.0.0.1, and opens it in Debian's chromium
(/usr/bin/chromium, driven by Playwright) with a cold page each run. Prints medians of:

- weight: bytes of index.html (what the browser loads; list.html is only for browsers without
  JavaScript), and gzipped (what GitHub Pages sends);
- load: the Performance API's navigation timing (responseEnd, domInteractive, load event) and the
  page's own ``minisora-ready`` mark (set when the first results are on screen: interactive);
- keystroke: a query typed one letter at a time ("d", "di", ... "diffusion", then "diffusion
  video", then cleared) and filter changes. Each step sets the input and dispatches its event,
  then forces style and layout (reading offsetHeight), all timed with performance.now(): the work
  a keystroke costs before the frame can paint. The same letters are also typed as real key
  presses, and the Event Timing API (``PerformanceEventTiming``: key press to next paint) reports
  any event of 16 ms or more, the smallest it reports.
"""

from __future__ import annotations

import argparse
import gzip
import platform
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))  # the browser and server the tests use

from browser import ARGS, CHROMIUM, static_files  # noqa: E402
from make_catalogue import catalogue  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from minisora import catalog  # noqa: E402
from minisora.render.site import write_site  # noqa: E402

QUERY = "diffusion video"

LOAD = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const ready = performance.getEntriesByName('minisora-ready')[0];
  return {response: nav.responseEnd, interactive: nav.domInteractive,
          load: nav.loadEventEnd, ready: ready ? ready.startTime : -1,
          bytes: nav.encodedBodySize,
          heap: performance.memory ? performance.memory.usedJSHeapSize : 0};
}"""

# Each step: set a control, fire its event, force style + layout; ms per step.
STEPS = """(steps) => {
  const out = [];
  const results = document.getElementById('results');
  for (const [id, value, type] of steps) {
    const control = document.getElementById(id);
    const t0 = performance.now();
    control.value = value;
    control.dispatchEvent(new Event(type, {bubbles: true}));
    results.offsetHeight;
    out.push([id + '=' + value, performance.now() - t0,
              Number(document.getElementById('count').dataset.shown)]);
  }
  return out;
}"""

OBSERVE = """() => {
  window.__events = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__events.push([e.name, e.duration]);
  }).observe({type: 'event', durationThreshold: 16, buffered: true});
}"""


def _steps() -> list[list[str]]:
    typed = [QUERY[: i + 1] for i in range(len(QUERY))]
    steps = [["q", text, "input"] for text in typed]
    steps += [["q", "", "input"], ["category", "video-generation", "change"]]
    steps += [["from", "2020", "change"], ["q", "diffusion", "input"], ["category", "", "change"]]
    return steps


def measure(page, url: str, runs: int) -> dict[str, object]:
    loads, keystrokes, events = [], {}, []
    for _ in range(runs):
        page.goto("about:blank")
        page.goto(url)
        page.wait_for_selector("#app:not([hidden])")
        loads.append(page.evaluate(LOAD))
        for name, ms, shown in page.evaluate(STEPS, _steps()):
            keystrokes.setdefault(name, []).append((ms, shown))
        page.evaluate("location.hash = ''")
        page.evaluate(OBSERVE)
        page.click("#q")
        page.keyboard.press("Control+a")
        page.keyboard.press("Backspace")
        page.keyboard.type(QUERY)
        page.wait_for_timeout(300)
        events += page.evaluate("window.__events")
    med = {k: statistics.median(run[k] for run in loads) for k in loads[0]}
    typing = {k: (statistics.median(m for m, _ in v), v[0][1]) for k, v in keystrokes.items()}
    return {"load": med, "steps": typing, "events": events}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="minisora-site-bench-"))
    sites = {"shipped": catalog.load()}
    for n in args.sizes:
        path = root / f"papers-{n}.yaml"
        path.write_text(catalogue(n), encoding="utf-8")
        sites[f"{n:,}"] = catalog.load(path)
    for name, cat in sites.items():
        write_site(cat, root / name)
    with static_files(root) as served, sync_playwright() as playwright:
        base = served.base_url
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        print(f"chromium {browser.version}, Python {platform.python_version()}, {args.runs} runs")
        for name, cat in sites.items():
            index = (root / name / "index.html").read_bytes()
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            result = measure(context.new_page(), f"{base}/{name}/index.html", args.runs)
            context.close()
            load = result["load"]
            print(f"\n## {name} catalogue: {len(cat.papers):,} papers")
            print(
                f"index.html {len(index) / 1e6:.2f} MB ({len(gzip.compress(index)) / 1e6:.2f} MB "
                f"gzipped), list.html {(root / name / 'list.html').stat().st_size / 1e6:.2f} MB"
            )
            print(
                f"load (median ms from navigation start): response {load['response']:.0f}, "
                f"domInteractive {load['interactive']:.0f}, ready {load['ready']:.0f}, "
                f"load event {load['load']:.0f}; JS heap {load['heap'] / 1e6:.1f} MB"
            )
            print("| step | results | median ms |\n| --- | ---: | ---: |")
            for step, (ms, shown) in result["steps"].items():
                print(f"| {step} | {shown:,} | {ms:.1f} |")
            keys = [d for n, d in result["events"] if n == "keydown"]
            typed = (len(QUERY) + 3) * args.runs  # and Control, a, Backspace to clear the box
            print(
                f"Event Timing, real key presses: {len(keys)} of {typed} keydowns took 16 ms or "
                "more to the next paint"
                + (
                    f" (median {statistics.median(keys):.0f} ms, max {max(keys):.0f} ms)"
                    if keys
                    else ""
                )
            )
            idle = [d for n, d in result["events"] if n == "pointerdown"]
            if idle:
                print(
                    f"  for scale, a click that runs no script of the page: pointerdown median "
                    f"{statistics.median(idle):.0f} ms to the next paint"
                )
        browser.close()


if __name__ == "__main__":
    main()
