"""A benchmark as it was at another git revision, run beside today's in the same sitting, so
a change's cost is a ratio measured on one machine in one load rather than a figure from
another day: the revision is checked out into a temporary worktree and its own copy of the
benchmark runs there, against the same configured database, with its own code first on the
path."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_at(revision: str, script: str, args: list[str]) -> str:
    """The standard output of `bench/<script> args` as of `revision` (echoed as it comes)."""
    with tempfile.TemporaryDirectory(prefix="goldenbell-bench-rev-") as folder:
        tree = Path(folder, "tree")
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), revision],
            check=True,
            capture_output=True,
        )
        try:
            env = {**os.environ, "PYTHONPATH": str(tree)}
            process = subprocess.Popen(
                [sys.executable, str(tree / "bench" / script), *args],
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            lines = []
            assert process.stdout is not None
            for line in process.stdout:
                print(f"  | {line}", end="", flush=True)
                lines.append(line)
            if process.wait() != 0:
                raise SystemExit(f"the benchmark at {revision} failed (exit {process.returncode})")
            return "".join(lines)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)


def figure(output: str, pattern: str) -> float:
    """The number `pattern`'s first group matches in `output`, last occurrence."""
    found = re.findall(pattern, output)
    if not found:
        raise SystemExit(f"no figure matching {pattern!r} in the other revision's output")
    return float(found[-1].replace(",", ""))
