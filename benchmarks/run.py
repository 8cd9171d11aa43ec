"""The benchmark driver: starts the server, runs every scenario for every client in fresh processes,
and prints a markdown table of medians and ratios to ``raw`` with the project's targets.

Usage (normally through ``scripts/bench``)::

    python -m benchmarks.run [--quick] [--reps N] [--clients raw,openai,pyopenai]
                             [--scenarios chat_sync,...] [--write]

Each measurement is a new child process: one per client per scenario per repetition, clients
interleaved (their order rotates every repetition), so a slow minute on a shared machine hurts every
client alike rather than one. A client that fails is reported as ``error: <message>`` and skipped for
the remaining repetitions of that scenario; the run goes on.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import select
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from benchmarks.scenarios import AIOHTTP_CLIENT, CLIENTS, applies, first_call_code, import_code

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
PLACEHOLDER_HEADING = "## What each optimisation bought"

# Scenarios measured from outside: ``python -c CODE`` minus ``python -c pass``.
EXTERNAL = ("import_module", "import", "first_call")
# Scenarios measured inside a child around the measured loop. name -> (full n, quick n).
INTERNAL: dict[str, tuple[int, int]] = {
    "first_call_phases": (1, 1),
    "chat_sync": (2000, 300),
    "chat_async_64": (2048, 320),
    "chat_stream": (200, 30),
    "responses_stream": (200, 30),
    "streams_async_500": (500, 500),  # one round of 500 streams after a warm-up round
    "embeddings": (15, 4),
    "embeddings_default": (100, 15),
    "files_pagination": (5, 1),
    "models_list": (1000, 150),
    "soak": (100_000, 100_000),  # the flat-memory check needs the 100,000 calls even in quick mode
}
SCENARIOS = (*EXTERNAL, *INTERNAL)
INNER_REPEATS = {"import_module": (5, 3), "import": (5, 3), "first_call": (3, 2)}  # runs per repetition (full, quick)
ONCE = ("soak",)  # measured in the first repetition only (100,000 calls per client)
TIMEOUTS = {"soak": 10.0, "streams_async_500": 5.0}  # multiples of the per-child timeout


@dataclass(frozen=True)
class Row:
    label: str
    scenario: str
    metric: str  # key in Sample.values
    unit: str
    scale: float  # multiply the metric by this for display
    target: float | None  # ceiling for subject/raw
    lead_ref: str  # what the issue measured for openai/raw elsewhere
    subject: str = "pyopenai"  # the client the verdict is about
    ceiling: float | None = None  # a ceiling for the subject's own value (display units), not a ratio


# Targets: issue 21 (ratios to raw httpx2 + json.loads, CPU medians; import and first call as noted).
ROWS = (
    Row("import pyopenai / import openai (CPU, minus bare python)", "import_module", "cpu", "ms", 1e3, 0.5, ""),
    Row("import pyopenai / import openai (wall, minus bare python)", "import_module", "wall", "ms", 1e3, None, ""),
    Row("from X import OpenAI (wall, minus bare python)", "import", "wall", "ms", 1e3, None, "7.1x"),
    Row("from X import OpenAI (CPU, minus bare python)", "import", "cpu", "ms", 1e3, None, ""),
    Row("rss_after_import (peak RSS)", "import", "rss", "MB", 1 / 1024, 1.2, "2.2x"),
    Row("first_call: import + client + 1 chat (wall)", "first_call", "wall", "ms", 1e3, 2.0, "5.10x"),
    Row("first_call: import + client + 1 chat (CPU)", "first_call", "cpu", "ms", 1e3, None, ""),
    Row("  first call, phase 1: from X import OpenAI (CPU)", "first_call_phases", "phase_import", "ms", 1e3, None, ""),
    Row("  first call, phase 2: OpenAI(...) (CPU)", "first_call_phases", "phase_client", "ms", 1e3, None, ""),
    Row("  first call, phase 3: the first create() (CPU)", "first_call_phases", "phase_first_call", "ms", 1e3, None, ""),
    Row("  for comparison: the second create() (CPU)", "first_call_phases", "phase_second_call", "ms", 1e3, None, ""),
    Row("chat_sync: CPU per call", "chat_sync", "cpu", "us", 1e6, 1.0, "3.14x"),
    Row("chat_async_64: CPU per call", "chat_async_64", "cpu", "us", 1e6, 1.0, "2.20x"),
    Row("chat_async_64, pyopenai on aiohttp: CPU per call", "chat_async_64", "cpu", "us", 1e6, 0.8, "",
        subject=AIOHTTP_CLIENT),
    Row("chat_stream: CPU per chunk", "chat_stream", "cpu", "us", 1e6, 0.8, "8.88x"),
    Row("responses_stream: CPU per event", "responses_stream", "cpu", "us", 1e6, 0.8, "6.83x"),
    Row("streams_async_500 (500 concurrent chat streams): CPU per chunk", "streams_async_500", "cpu", "us", 1e6,
        None, ""),
    Row("streams_async_500, pyopenai on aiohttp: CPU per chunk", "streams_async_500", "cpu", "us", 1e6, None, "",
        subject=AIOHTTP_CLIENT),
    Row("embeddings, float on the wire: CPU per call", "embeddings", "cpu", "ms", 1e3, 0.8, "16.6x"),
    Row("embeddings, default call (raw: base64): CPU per call", "embeddings_default", "cpu", "ms", 1e3, 1.0, ""),
    Row("files_pagination: CPU per 10,000 items", "files_pagination", "cpu", "ms", 1e7, 1.0, "7.14x"),
    Row("models_list: CPU per call", "models_list", "cpu", "us", 1e6, 1.0, "4.56x"),
    Row("soak (100,000 sync chat calls): CPU per call", "soak", "cpu", "us", 1e6, 1.0, ""),
    Row("soak: RSS after the first 10,000 calls", "soak", "rss_soak_start_kb", "MB", 1 / 1024, 1.2, ""),
    Row("soak: RSS growth over the last 90,000 calls", "soak", "rss_soak_growth_kb", "kB", 1.0, None, "",
        ceiling=1024.0),
)
UNIT_NAMES = {
    "first_call_phases": "process",
    "streams_async_500": "chunk",
    "soak": "call",
    "chat_sync": "call",
    "chat_async_64": "call",
    "chat_stream": "chunk",
    "responses_stream": "event",
    "embeddings": "call",
    "embeddings_default": "call",
    "files_pagination": "item",
    "models_list": "call",
}


@dataclass
class Cell:
    """All repetitions of one client in one scenario."""

    values: dict[str, list[float]] = field(default_factory=dict[str, list[float]])
    error: str | None = None
    server_cpu: float = 0.0
    child_cpu: float = 0.0
    child_wall: float = 0.0
    connections: list[int] = field(default_factory=list[int])
    requests: list[int] = field(default_factory=list[int])

    def add(self, metric: str, value: float) -> None:
        self.values.setdefault(metric, []).append(value)

    def median(self, metric: str) -> float | None:
        vals = self.values.get(metric)
        return statistics.median(vals) if vals else None

    def spread(self, metric: str) -> float | None:
        """(max - min) / median over the repetitions: how noisy this cell was."""
        vals = self.values.get(metric)
        if not vals or len(vals) < 2:
            return None
        med = statistics.median(vals)
        return (max(vals) - min(vals)) / med if med > 0 else None


@dataclass
class ChildRun:
    wall: float
    cpu: float  # user + system of the whole child process
    rss_kb: int
    returncode: int
    stdout: str
    stderr: str
    server_cpu: float
    connections: int  # TCP connections the child opened to the server
    requests: int


# ------------------------------------------------------------------------------------ processes


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "PYOPENAI_"))}
    env.pop("PYTHONWARNINGS", None)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    # Children must be able to write and read bytecode, as for an installed package; with this set
    # (some machines set it globally) an editable install recompiles every module in every child.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


class Server:
    def __init__(self, python: str) -> None:
        self.proc = subprocess.Popen(
            [python, "-m", "benchmarks.server", "--max-seconds", "3600"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=_clean_env(),
        )
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], 30.0)
        line = self.proc.stdout.readline().decode() if ready else ""
        if not line.startswith("PORT "):
            self.stop()
            raise RuntimeError(f"benchmark server did not start: {line!r}")
        self.port = int(line.split()[1])
        self.base_url = f"http://127.0.0.1:{self.port}/v1"

    def stats(self) -> tuple[float, int, int]:
        """(CPU seconds, connections accepted, requests answered) so far, this query included."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", "/__bench/stats")
            data = json.loads(conn.getresponse().read())
        finally:
            conn.close()
        return float(data["cpu"]), int(data["connections"]), int(data["requests"])

    def stop(self) -> None:
        if self.proc.poll() is None:
            if self.proc.stdin is not None:
                self.proc.stdin.close()  # EOF on its stdin: the server exits
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def run_child(argv: list[str], server: Server, timeout: float) -> ChildRun:
    """Run one child and collect its wall time, CPU and peak RSS with ``wait4``."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        cpu0, conns0, reqs0 = server.stats()
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=ROOT, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=_clean_env())
        watchdog = threading.Timer(timeout, proc.kill)
        watchdog.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            watchdog.cancel()
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        cpu1, conns1, reqs1 = server.stats()
        out.seek(0)
        err.seek(0)
        return ChildRun(
            wall=wall,
            cpu=usage.ru_utime + usage.ru_stime,
            rss_kb=usage.ru_maxrss,
            returncode=proc.returncode,
            stdout=out.read().decode(errors="replace"),
            stderr=err.read().decode(errors="replace"),
            server_cpu=cpu1 - cpu0,
            connections=conns1 - conns0 - 1,  # minus the stats query's own connection and request
            requests=reqs1 - reqs0 - 1,
        )


def _error_of(run: ChildRun, timeout: float) -> str:
    if run.returncode < 0 or run.wall >= timeout:
        return f"killed after {run.wall:.0f}s (timeout or signal {-run.returncode})"
    for line in reversed(run.stdout.splitlines()):
        if line.startswith('{"error"'):
            return str(json.loads(line)["error"])
    lines = [ln.strip() for ln in run.stderr.splitlines() if ln.strip()]
    return (lines[-1] if lines else f"exit status {run.returncode}")[:160]


# ------------------------------------------------------------------------------------ measuring


@dataclass
class Plan:
    python: str
    clients: list[str]
    scenarios: list[str]
    reps: int
    quick: bool
    timeout: float


def measure(plan: Plan, server: Server, log: bool = True) -> dict[tuple[str, str], Cell]:
    cells: dict[tuple[str, str], Cell] = {(s, c): Cell() for s in plan.scenarios for c in plan.clients}
    py = plan.python

    # Compile every client's bytecode once, so no repetition pays for it. pip compiles installed
    # packages (openai, httpx2); an editable pyopenai is compiled here the same way, lazily loaded
    # modules included.
    subprocess.run([py, "-m", "compileall", "-q", str(ROOT / "src" / "pyopenai")], env=_clean_env(), check=False,
                   stdout=subprocess.DEVNULL)
    for client in plan.clients:
        if applies("import", client):
            run_child([py, "-c", import_code(client)], server, plan.timeout)

    for rep in range(plan.reps):
        k = rep % len(plan.clients)
        order = plan.clients[k:] + plan.clients[:k]
        for scenario in plan.scenarios:
            if scenario in ONCE and rep > 0:
                continue
            t_scn = time.perf_counter()
            if scenario in EXTERNAL:
                _measure_external(plan, server, scenario, order, cells)
            else:
                _measure_internal(plan, server, scenario, order, cells)
            if log:
                print(
                    f"  rep {rep + 1}/{plan.reps} {scenario:<20} {time.perf_counter() - t_scn:6.1f}s", file=sys.stderr
                )
    return cells


def _measure_external(
    plan: Plan, server: Server, scenario: str, order: list[str], cells: dict[tuple[str, str], Cell]
) -> None:
    def code(client: str) -> str:
        if scenario == "import_module":
            return import_code(client, module_only=True)
        return import_code(client) if scenario == "import" else first_call_code(client, server.base_url)

    full, quick = INNER_REPEATS[scenario]
    inner = quick if plan.quick else full
    live = [c for c in order if cells[(scenario, c)].error is None and applies(scenario, c)]
    runs: dict[str, list[ChildRun]] = {c: [] for c in ["bare", *live]}
    for _ in range(inner):
        for client in ["bare", *live]:
            if client != "bare" and cells[(scenario, client)].error is not None:
                continue
            run = run_child([plan.python, "-c", code(client)], server, plan.timeout)
            if run.returncode != 0:
                if client == "bare":
                    raise RuntimeError(f"bare interpreter failed: {run.stderr[-300:]}")
                cells[(scenario, client)].error = _error_of(run, plan.timeout)
                continue
            runs[client].append(run)
    bare_wall = statistics.median(r.wall for r in runs["bare"])
    bare_cpu = statistics.median(r.cpu for r in runs["bare"])
    for client in live:
        cell = cells[(scenario, client)]
        if cell.error is not None or not runs[client]:
            continue
        cell.add("wall", statistics.median(r.wall for r in runs[client]) - bare_wall)
        cell.add("cpu", statistics.median(r.cpu for r in runs[client]) - bare_cpu)
        cell.add("rss", statistics.median(r.rss_kb for r in runs[client]))
        cell.server_cpu += sum(r.server_cpu for r in runs[client])
        cell.child_cpu += sum(r.cpu for r in runs[client])
        cell.child_wall += sum(r.wall for r in runs[client])
        cell.connections.extend(r.connections for r in runs[client])
        cell.requests.extend(r.requests for r in runs[client])


def _measure_internal(
    plan: Plan, server: Server, scenario: str, order: list[str], cells: dict[tuple[str, str], Cell]
) -> None:
    full, quick = INTERNAL[scenario]
    n = quick if plan.quick else full
    timeout = plan.timeout * TIMEOUTS.get(scenario, 1.0)
    for client in order:
        cell = cells[(scenario, client)]
        if cell.error is not None or not applies(scenario, client):
            continue
        argv = [plan.python, "-m", "benchmarks.scenarios", scenario, client, server.base_url, str(n)]
        run = run_child(argv, server, timeout)
        result: dict[str, float] | None = None
        for line in reversed(run.stdout.splitlines()):
            if line.startswith("{"):
                result = json.loads(line)
                break
        if run.returncode != 0 or result is None or "error" in result or not result.get("units"):
            cell.error = _error_of(run, timeout)
            continue
        units = result["units"]
        cell.add("cpu", result["cpu"] / units)
        cell.add("wall", result["wall"] / units)
        cell.add("rss", result["rss_kb"])
        for key, value in result.items():
            if key not in ("units", "cpu", "wall", "rss_kb"):
                cell.add(key, value)
        cell.server_cpu += run.server_cpu
        cell.child_cpu += run.cpu
        cell.child_wall += run.wall
        cell.connections.append(run.connections)
        cell.requests.append(run.requests)


# ------------------------------------------------------------------------------------ reporting


def _fmt(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _short(msg: str, width: int = 60) -> str:
    msg = msg.replace("|", "/")
    return msg if len(msg) <= width else msg[: width - 3] + "..."


def render_tables(plan: Plan, cells: dict[tuple[str, str], Cell]) -> str:
    clients = plan.clients
    others = [c for c in clients if c != "raw"]
    head = [
        "scenario",
        *[f"{c}" for c in clients],
        *[f"{c}/raw" for c in others],
        "target",
        "verdict (pyopenai unless named)",
        "openai/raw in issue 21",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for row in ROWS:
        if row.scenario not in plan.scenarios:
            continue
        values: list[str] = []
        medians: dict[str, float | None] = {}
        for c in clients:
            cell = cells[(row.scenario, c)]
            med = cell.median(row.metric)
            medians[c] = med
            if cell.error is not None:
                values.append(f"error: {_short(cell.error)}")
            elif med is None:
                values.append("n/a")
            else:
                values.append(f"{_fmt(med * row.scale)} {row.unit}")
        base = medians.get("raw")
        ratios: dict[str, float | None] = {}
        for c in others:
            med = medians[c]
            ok = base is not None and base > 0 and med is not None and cells[(row.scenario, c)].error is None
            ratios[c] = med / base if ok and med is not None and base is not None else None
        ratio_cells = [
            f"{r:.2f}x" if r is not None else ("error" if cells[(row.scenario, c)].error else "n/a")
            for c, r in ratios.items()
        ]
        if row.target is not None:
            target = f"<= {row.target:g}x"
        elif row.ceiling is not None:
            target = f"<= {row.ceiling:g} {row.unit}"
        else:
            target = "(info)"
        verdict = ""
        subject = row.subject
        if (row.target is not None or row.ceiling is not None) and subject in clients:
            r = ratios.get(subject)
            own = medians.get(subject)
            perr = cells[(row.scenario, subject)].error
            if perr is not None:
                verdict = "error"
            elif row.target is not None:
                verdict = "n/a" if r is None else ("pass" if r <= row.target else "FAIL")
            else:
                assert row.ceiling is not None
                verdict = "n/a" if own is None else ("pass" if own * row.scale <= row.ceiling else "FAIL")
            verdict = f"{verdict} ({subject})" if subject != "pyopenai" else verdict
        lines.append("| " + " | ".join([row.label, *values, *ratio_cells, target, verdict, row.lead_ref]) + " |")

    # Details: wall per unit, peak RSS of the child, the server's CPU share.
    dhead = [
        "scenario",
        *[f"{c} wall" for c in clients],
        *[f"{c} peak RSS" for c in clients],
        *[f"{c}/raw peak RSS" for c in others],
        *[f"{c} CPU spread" for c in clients],
        *[f"server CPU share ({c})" for c in clients],
        *[f"{c} connections/requests" for c in clients],
    ]
    dl = ["| " + " | ".join(dhead) + " |", "|" + "|".join("---" for _ in dhead) + "|"]
    total_server = total_child = total_wall = 0.0
    for scenario in plan.scenarios:
        per = UNIT_NAMES.get(scenario)
        walls: list[str] = []
        rsss: list[str] = []
        spreads: list[str] = []
        shares: list[str] = []
        conns: list[str] = []
        raw_rss = cells[(scenario, "raw")].median("rss")
        rss_ratios = [
            f"{rss / raw_rss:.2f}x" if (rss := cells[(scenario, c)].median("rss")) is not None and raw_rss else "n/a"
            for c in others
        ]
        for c in clients:
            cell = cells[(scenario, c)]
            w, rss = cell.median("wall"), cell.median("rss")
            if cell.error is not None or w is None or rss is None:
                walls.append("error" if cell.error else "n/a")
                rsss.append("error" if cell.error else "n/a")
            else:
                walls.append(f"{_fmt(w * 1e6)} us/{per}" if per else f"{_fmt(w * 1e3)} ms")
                rsss.append(f"{rss / 1024:.1f} MB")
            sp = cell.spread("cpu")
            spreads.append(f"{100 * sp:.0f}%" if sp is not None and cell.error is None else "n/a")
            both = cell.server_cpu + cell.child_cpu
            shares.append(f"{100 * cell.server_cpu / both:.1f}%" if both > 0 else "n/a")
            if cell.requests and cell.error is None:
                conns.append(f"{statistics.median(cell.connections):g}/{statistics.median(cell.requests):g}")
            else:
                conns.append("n/a")
            total_server += cell.server_cpu
            total_child += cell.child_cpu
            total_wall += cell.child_wall
        dl.append("| " + " | ".join([scenario, *walls, *rsss, *rss_ratios, *spreads, *shares, *conns]) + " |")
    overall = 100 * total_server / (total_server + total_child) if total_server + total_child > 0 else 0.0
    cores = total_server / total_wall if total_wall > 0 else 0.0

    notes = (
        "CPU = user + system time of the client process (`time.process_time()` around the measured loop for the\n"
        "in-process scenarios; `wait4` rusage of the whole `python -c` process, minus a bare `python -c pass`, for\n"
        "import and first_call). Medians over the repetitions. `/raw` columns are ratios of medians; the verdict\n"
        "compares pyopenai/raw with the target. Peak RSS is `ru_maxrss` of the child (for import: absolute, not\n"
        "minus bare python). CPU spread = (max - min) / median of the repetitions' CPU. Server CPU share = the\n"
        "server's CPU / (server + client CPU) over each child's lifetime. Connections/requests: TCP connections\n"
        "the child opened and requests it made (median per child, warm-up included); more connections than\n"
        "the warm-up needs means the client did not reuse keep-alive connections.\n"
    )
    return (
        "\n".join(lines)
        + "\n\n"
        + notes
        + "\nDetails (medians; wall per unit for the in-process scenarios):\n\n"
        + "\n".join(dl)
        + f"\n\nServer CPU share over the whole run: {overall:.1f}% of (server + clients) CPU; the server used"
        + f" {cores:.3f} cores on average while the children ran.\n"
    )


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _git_head() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return out.stdout.strip() or "no commit"


def machine_section(plan: Plan, command: str, load_before: str, load_after: str) -> str:
    return (
        "## Machine and versions\n\n"
        f"- CPU: {_cpu_model()}, {os.cpu_count()} cores visible (shared with other work: load average {load_before} at start, {load_after} at end)\n"
        f"- Python {platform.python_version()} ({platform.python_implementation()}), {platform.system()} {platform.release()}\n"
        f"- httpx2 {_version('httpx2')}, openai {_version('openai')}, pyopenai {_version('pyopenai')} (repo at {_git_head()})\n"
        f"- Mode: {'quick' if plan.quick else 'full'}, {plan.reps} repetitions per client per scenario, clients interleaved\n"
        f"- Command: `{command}`\n"
    )


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def write_results(text: str) -> None:
    kept = f"{PLACEHOLDER_HEADING}\n\n_(placeholder: the lead fills this in: one line per optimisation, with the row it moved and by how much.)_\n"
    if RESULTS.exists():
        old = RESULTS.read_text()
        at = old.find(PLACEHOLDER_HEADING)
        if at >= 0:
            kept = old[at:]
    RESULTS.write_text(text + "\n" + kept)


# ------------------------------------------------------------------------------------ profiling


def _importtime_summary(stderr: str, top: int = 25) -> str:
    """Summarise ``python -X importtime`` output: modules by own time, and own time per package."""
    rows: list[tuple[int, str]] = []
    for line in stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line)
        if m:
            rows.append((int(m.group(1)), m.group(2)))
    packages: dict[str, list[int]] = {}
    for us, name in rows:
        parts = name.split(".")
        key = ".".join(parts[:2]) if len(parts) > 2 else parts[0]
        acc = packages.setdefault(key, [0, 0])
        acc[0] += us
        acc[1] += 1
    out = [
        f"{len(rows)} modules, {sum(us for us, _ in rows) / 1e3:.1f} ms own time in total (with importtime's overhead)"
    ]
    out.append("\nby package (first two name parts): own ms, modules")
    for key, (us, count) in sorted(packages.items(), key=lambda kv: -kv[1][0])[:top]:
        out.append(f"  {us / 1e3:8.1f}  {count:5d}  {key}")
    out.append("\nslowest modules by own time: ms")
    for us, name in sorted(rows, reverse=True)[:top]:
        out.append(f"  {us / 1e3:8.1f}  {name}")
    return "\n".join(out)


def profile(plan: Plan, server: Server, scenario: str, client: str) -> str:
    if scenario in EXTERNAL:
        if scenario == "first_call":
            code = first_call_code(client, server.base_url)
        else:
            code = import_code(client, module_only=scenario == "import_module")
        run_child([plan.python, "-c", code], server, plan.timeout)  # bytecode compiled before measuring
        run = run_child([plan.python, "-X", "importtime", "-c", code], server, plan.timeout)
        if run.returncode != 0:
            return f"error: {_error_of(run, plan.timeout)}"
        return _importtime_summary(run.stderr)
    n = INTERNAL[scenario][1]
    argv = [plan.python, "-m", "benchmarks.scenarios", scenario, client, server.base_url, str(n), "--profile"]
    run = run_child(argv, server, plan.timeout)
    if run.returncode != 0:
        return f"error: {_error_of(run, plan.timeout)}"
    return run.stderr


# ------------------------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/bench", description="pyopenai vs openai vs raw httpx2")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and iterations (development)")
    parser.add_argument(
        "--reps", type=int, default=None, help="repetitions per client per scenario (default 5, quick 3)"
    )
    parser.add_argument("--clients", default=",".join(CLIENTS), help="comma-separated subset of raw,openai,pyopenai")
    parser.add_argument(
        "--scenarios", default=",".join(SCENARIOS), help="comma-separated subset of: " + ",".join(SCENARIOS)
    )
    parser.add_argument(
        "--timeout", type=float, default=None, help="seconds before a child is killed (default 120, quick 60)"
    )
    parser.add_argument("--write", action="store_true", help="also write benchmarks/RESULTS.md")
    parser.add_argument(
        "--profile",
        metavar="SCENARIO:CLIENT",
        help="instead of benchmarking, profile one client in one scenario (cProfile of the measured loop; "
        "-X importtime for import and first_call) and print the result",
    )
    parser.add_argument("--python", default=sys.executable, help="interpreter for the server and the children")
    args = parser.parse_args(argv)

    clients = [c for c in args.clients.split(",") if c]
    scenarios = [s for s in args.scenarios.split(",") if s]
    bad = [c for c in clients if c not in CLIENTS] + [s for s in scenarios if s not in SCENARIOS]
    if bad:
        parser.error(f"unknown client or scenario: {', '.join(bad)}")
    if "raw" not in clients:
        clients.insert(0, "raw")  # every ratio needs the floor
    clients.sort(key=CLIENTS.index)
    reps = args.reps if args.reps is not None else (3 if args.quick else 5)
    timeout = args.timeout if args.timeout is not None else (60.0 if args.quick else 120.0)
    plan = Plan(python=args.python, clients=clients, scenarios=scenarios, reps=reps, quick=args.quick, timeout=timeout)

    if args.profile:
        scenario, _, client = args.profile.partition(":")
        if scenario not in SCENARIOS or client not in CLIENTS:
            parser.error(f"--profile wants SCENARIO:CLIENT, e.g. chat_stream:pyopenai; got {args.profile!r}")
        server = Server(plan.python)
        try:
            print(profile(plan, server, scenario, client))
        finally:
            server.stop()
        return 0

    command = "scripts/bench " + " ".join(argv if argv is not None else sys.argv[1:])
    load_before = _loadavg()
    t0 = time.perf_counter()
    server = Server(plan.python)
    try:
        print(f"server on {server.base_url}; {reps} repetitions; clients {', '.join(clients)}", file=sys.stderr)
        cells = measure(plan, server)
    finally:
        server.stop()
    elapsed = time.perf_counter() - t0
    tables = render_tables(plan, cells)
    header = machine_section(plan, command.strip(), load_before, _loadavg())
    text = f"# Benchmarks: pyopenai vs the official openai SDK vs raw httpx2\n\n{header}- Run time: {elapsed:.0f} s\n\n## Results\n\n{tables}"
    print(text)
    if args.write:
        write_results(text)
        print(f"wrote {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
