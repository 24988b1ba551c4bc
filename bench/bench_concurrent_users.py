"""Concurrent users: N simulated investigators, each signed in with a session of its own and
its own case reference, run a mix of saved queries through one shared query runner (as the
workbench shares one) against the configured Neo4j for a fixed time. Then the audit log is
checked: exactly one entry per action performed, counted per user; no sequence gaps; the
hash chain intact. The same load with one user runs beside it, and the ratios are printed.
Prints figures; asserts nothing.

    .venv/bin/python bench/bench_concurrent_users.py                     # 8 users, 20 s per phase
    .venv/bin/python bench/bench_concurrent_users.py --users 16 --seconds 60
    .venv/bin/python bench/bench_concurrent_users.py --against main~1   # that revision first, then this

Each action is what a page run does, and its latency is measured over all of it: resume the
session (the idle clock restarts, one SQLite write), check the role's permission, take the
case reference and reason from the session, run the query (the audit line is fsync'd before
the result returns). When the database holds no Person, the default sample is generated and
imported first.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import random
import statistics
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench_queries import PICKS
from revision import figure, run_at

from access import Actor, Permission
from access.audit.log import AuditLog
from graph.errors import GraphError
from queries.runner import QueryRefused
from workspace import Workspace

PASSWORD = "Bench-Passphrase-2025"
# (query, weight): what an analyst's session mostly does — search, then expand and look closer.
MIX = (
    ("search.entities", 35),
    ("links.neighbourhood", 30),
    ("links.timeline", 15),
    ("links.pivots", 10),
    ("vehicles.trajectory", 10),
)


def load_default_sample(workspace: Workspace) -> None:
    from ingest.api import import_files
    from synth import generate

    with tempfile.TemporaryDirectory(prefix="goldenbell-bench-") as folder:
        began = time.perf_counter()
        generate(folder)
        files = sorted(p for p in Path(folder).iterdir() if p.suffix in (".csv", ".jsonl", ".xlsx"))
        rejects = Path(folder, "rejects.csv")
        report = import_files(
            files,
            schema=workspace.schema,
            gateway=workspace.gateway,
            rejects_path=rejects,
            batch_size=workspace.settings.batch_size,
        )
        print(f"loaded the default sample: {report.rows_loaded:,} rows in {time.perf_counter() - began:.0f} s")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else float("nan")


@dataclass
class Phase:
    users: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    performed: Counter = field(default_factory=Counter)  # (user, action) → times done
    outcomes: Counter = field(default_factory=Counter)
    elapsed: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def runs(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.runs / self.elapsed if self.elapsed else 0.0


class Load:
    def __init__(self, workspace: Workspace, folder: Path, seed: int):
        self.workspace = workspace
        self.folder = folder
        self.seed = seed
        self.people = workspace.gateway.read("bench.picks", PICKS).data()
        if not self.people:
            raise SystemExit("the database holds no people with phones: load a sample first")
        self.plates = [p["plate"] for p in self.people if p["plate"]] or [None]

    def params(self, rng: random.Random) -> tuple[str, dict]:
        query_id = rng.choices([q for q, _ in MIX], weights=[w for _, w in MIX])[0]
        pick = rng.choice(self.people)
        make: dict[str, Callable[[], dict]] = {
            "search.entities": lambda: {"text": rng.choice([pick["name"], pick["name"][:2], pick["phone"]])},
            "links.neighbourhood": lambda: {"start": f"Person:{pick['person']}", "hops": 2},
            "links.timeline": lambda: {"entity": f"Person:{pick['person']}"},
            "links.pivots": lambda: {"start": f"Phone:{pick['phone']}"},
            "vehicles.trajectory": lambda: {"plate": rng.choice(self.plates)},
        }
        return query_id, make[query_id]()

    def scratch(self, name: str) -> Workspace:
        """A workspace on the same gateway with an audit log and an access database of its own."""
        audit_log, access_db = self.folder / f"audit-{name}.jsonl", self.folder / f"access-{name}.db"
        settings = dataclasses.replace(self.workspace.settings, audit_log=audit_log, access_db=access_db)
        return Workspace(settings, gateway=self.workspace.gateway)

    def run_phase(self, users: int, seconds: float, max_runs: int) -> tuple[Phase, AuditLog]:
        phase_workspace = self.scratch(f"{users}-users")
        sessions, runner = phase_workspace.sessions, phase_workspace.runner
        operator = Actor.cli("bench")
        names = [f"analyst{i:02d}" for i in range(users)]
        for name in names:
            phase_workspace.users.add(name, "analyst", PASSWORD, by=operator)
        phase = Phase(users, seconds)
        phase.performed[(operator.user, "user.add")] = users
        signed_in = [sessions.authenticate(name, PASSWORD) for name in names]
        tokens = [
            sessions.set_reason(s.token, f"BENCH-2025-{i:04d}", "intelligence_analysis").token
            for i, s in enumerate(signed_in)
        ]
        for name in names:
            phase.performed[(name, "login")] += 1
            phase.performed[(name, "reason.set")] += 1
        start = threading.Barrier(users + 1)
        deadline = [0.0]

        def investigator(number: int) -> None:
            rng = random.Random(self.seed * 1000 + number)
            mine: list[float] = []
            done: Counter = Counter()
            start.wait()
            while time.perf_counter() < deadline[0] and len(mine) < max_runs:
                query_id, params = self.params(rng)
                began = time.perf_counter()
                session = sessions.resume(tokens[number])
                if not session.may(Permission.SEARCH):
                    break
                try:
                    runner.run(query_id, params, actor=session.actor.consulting())
                    done["ok"] += 1
                except QueryRefused:
                    done["refused"] += 1
                except GraphError:
                    done["error"] += 1
                mine.append((time.perf_counter() - began) * 1000)
            with phase.lock:
                phase.latencies.extend(mine)
                phase.performed[(names[number], "query.run")] += len(mine)
                phase.outcomes.update(done)

        threads = [threading.Thread(target=investigator, args=(n,)) for n in range(users)]
        for thread in threads:
            thread.start()
        deadline[0] = time.perf_counter() + seconds
        began = time.perf_counter()
        start.wait()
        for thread in threads:
            thread.join()
        phase.elapsed = time.perf_counter() - began
        for token, name in zip(tokens, names, strict=True):
            sessions.logout(token)
            phase.performed[(name, "logout")] += 1
        return phase, phase_workspace.audit


def warm(load: Load) -> None:
    """One pass over the mix so both phases meet warm plans and caches."""
    warm_up = load.scratch("warm-up")
    actor = Actor.cli("bench-warm-up", case_ref="BENCH-0", reason="intelligence_analysis")
    rng = random.Random(load.seed)
    for _ in range(30):
        query_id, params = load.params(rng)
        with contextlib.suppress(QueryRefused, GraphError):  # warming only: outcomes do not matter here
            warm_up.runner.run(query_id, params, actor=actor)


def check_audit(phase: Phase, audit: AuditLog) -> list[str]:
    entries = list(audit.events())
    found = Counter((e["user"], e["action"]) for e in entries)
    lines = []
    wrong = sorted(
        (key, phase.performed.get(key, 0), found.get(key, 0))
        for key in set(found) | set(phase.performed)
        if found.get(key, 0) != phase.performed.get(key, 0)
    )
    lines.append(
        f"    one entry per action: {'yes' if not wrong else 'NO'} — {sum(phase.performed.values()):,} actions, "
        f"{len(entries):,} entries ({phase.runs:,} query runs over {phase.users} users)"
    )
    for (user, action), done, logged in wrong[:10]:
        lines.append(f"      {user} {action}: done {done}, logged {logged}")
    seqs = [e.get("seq") for e in entries]
    gaps = seqs != list(range(1, len(entries) + 1))
    lines.append(f"    sequence: {'1..' + str(len(entries)) + ', no gaps' if not gaps else 'GAPS or disorder'}")
    result = audit.verify()
    verdict = "intact" if result.ok else f"BROKEN: {result.first_fault}"
    lines.append(f"    hash chain and head: {verdict} (last seq {result.last_seq})")
    per_user = sorted(n for (u, a), n in found.items() if a == "query.run")
    if per_user:
        lines.append(f"    query runs per user: min {per_user[0]}, max {per_user[-1]}")
    return lines


def report(phase: Phase, audit: AuditLog) -> None:
    outcomes = ", ".join(f"{k} {v:,}" for k, v in sorted(phase.outcomes.items()))
    print(
        f"  {phase.users:>3} users: {phase.runs:7,} runs in {phase.elapsed:5.1f} s = {phase.throughput:7.1f} runs/s   "
        f"p50 {statistics.median(phase.latencies) if phase.latencies else float('nan'):7.1f} ms   "
        f"p95 {percentile(phase.latencies, 0.95):7.1f} ms   ({outcomes})"
    )
    for line in check_audit(phase, audit):
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=8, help="concurrent users in the main phase")
    parser.add_argument("--seconds", type=float, default=20, help="length of each phase")
    parser.add_argument("--max-runs", type=int, default=100_000, help="at most this many runs per user and phase")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--against", metavar="REVISION", help="first run this benchmark as of a git revision")
    args = parser.parse_args()
    earlier = None
    if args.against:
        same = ["--users", str(args.users), "--seconds", f"{args.seconds:g}", "--max-runs", str(args.max_runs)]
        print(f"== at {args.against}")
        output = run_at(args.against, Path(__file__).name, [*same, "--seed", str(args.seed)])
        earlier = figure(output, rf"\n\s*{args.users} users:\s+[\d,]+ runs in\s+[\d.]+ s =\s+([\d.]+) runs/s")
        print("== this revision")
    with Workspace.open() as workspace, tempfile.TemporaryDirectory(prefix="goldenbell-bench-access-") as tmp:
        gateway, settings = workspace.gateway, workspace.settings
        if not gateway.read("bench.any", "MATCH (p:Person) RETURN count(p) > 0 AS any").single_value(False):
            load_default_sample(workspace)
        persons = gateway.read("bench.persons", "MATCH (p:Person) RETURN count(p)").single_value(0)
        print(f"database: {settings.uri} ({persons:,} persons); pool of {settings.pool_size} Bolt connections")
        load = Load(workspace, Path(tmp), args.seed)
        warm(load)
        mix = ", ".join(f"{q} {w}%" for q, w in MIX)
        print(f"query mix: {mix}\neach phase runs {args.seconds:g} s; every run resumes a session and is audited\n")
        baseline, baseline_audit = load.run_phase(1, args.seconds, args.max_runs)
        report(baseline, baseline_audit)
        loaded, loaded_audit = load.run_phase(args.users, args.seconds, args.max_runs)
        report(loaded, loaded_audit)
        if baseline.throughput and baseline.latencies and loaded.latencies:
            print(
                f"\n{args.users} users against 1: throughput × {loaded.throughput / baseline.throughput:.2f}, "
                f"p95 × {percentile(loaded.latencies, 0.95) / percentile(baseline.latencies, 0.95):.2f}"
            )
        if earlier:
            print(
                f"{args.users} users, this revision against {args.against}: {loaded.throughput:.1f} against "
                f"{earlier:.1f} runs/s = × {loaded.throughput / earlier:.2f}"
            )


if __name__ == "__main__":
    main()
