"""Run a command and measure it: wall time, CPU time and peak memory of that one process.

from measure import run
result = run(["minisora", "list"])
print(result.wall, result.cpu, result.peak_mb)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measured:
    wall: float
    cpu: float
    peak_mb: float
    returncode: int
    stdout: bytes


def run(argv: list[str], stdout: Path | None = None, env: dict[str, str] | None = None) -> Measured:
    """Run ``argv`` to completion; its own rusage comes from wait4, not the whole process tree."""
    out = open(stdout, "wb") if stdout else subprocess.PIPE  # noqa: SIM115
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL, env=env)
    data = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if stdout:
        out.close()  # type: ignore[union-attr]
    return Measured(
        wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode, data
    )


def median_wall(argvs: dict[str, list[str]], repeat: int) -> dict[str, float]:
    """Median wall time of each command, the runs interleaved so that noise hits all alike."""
    walls: dict[str, list[float]] = {name: [] for name in argvs}
    for _ in range(repeat):
        for name, argv in argvs.items():
            walls[name].append(run(argv).wall)
    return {name: statistics.median(values) for name, values in walls.items()}
