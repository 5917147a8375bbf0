"""Speed of start-up, export and reading, and export side by side with rulesync (run by hand; issues 6 and 18):

    python bench/export_bench.py                      # this tree
    python bench/export_bench.py --before ../old-tree # and another agentkit source tree, in the same run
    python bench/export_bench.py --no-rulesync        # without installing rulesync

1. `agentkit --help` cold start against `python -c "import click"` (best of 10 runs each).
2. 500 Claude agents exported to claude, copilot and cursor (`agentkit export DIR --format
   claude,copilot,cursor -o OUT --allow-wider`, a fresh OUT each run: every file written, as rulesync
   writes every file), and rulesync 17 converting the same 500 files
   to cursor and copilot (`rulesync convert --from claudecode --to cursor,copilot -f subagents`, its
   outputs removed before each run), alternating, best of 7 each. rulesync is installed from npm into
   a temporary folder (`npm install rulesync@17.0.0`); it needs Node.js and the npm registry.
3. 5 agents exported the same way, and the whole corpus read (`agentkit inspect --json`), best of 3.

The 500 agents are the corpus's Claude agents that rulesync reads (strict YAML with a name and a
description: rulesync stops at the first file it cannot parse), in path order, repeated with distinct
names (`n000-...`) until there are 500, in `.claude/agents/` of a temporary project.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from trees import tree_environments

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
RULESYNC = "rulesync@17.0.0"


def timed(command: list[str], cwd: str | None = None, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def best_of(runs: int, contenders: dict[str, tuple[list[str], str | None, dict[str, str] | None, Callable[[], None]]]) -> dict[str, float]:
    """Each contender's best time over `runs` rounds, the contenders alternating within a round (so a
    slow moment of the shared machine hits all of them alike)."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(runs):
        for name, (command, cwd, env, setup) in contenders.items():
            setup()
            times[name].append(timed(command, cwd, env))
    return {name: min(values) for name, values in times.items()}


def rulesync_inputs(count: int, into: Path) -> list[Path]:
    """The corpus Claude agents rulesync reads, repeated with distinct names to `count`, in `into`."""
    sys.path.insert(0, str(ROOT))
    from agentkit.errors import AgentkitError
    from agentkit.reader import read

    readable = []
    for path in sorted((CORPUS / "claude-agents").rglob("*.md")):
        try:
            result = read(path, analyze=False)
        except AgentkitError:
            continue
        # Strict YAML, nothing but line endings or a final newline repaired: what rulesync's parser takes.
        if not result.recovered and result.agent.name and result.agent.description and \
                {r.kind for r in result.repairs} <= {"final-newline", "literal-newlines", "line-endings"}:
            readable.append(path)
    into.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(count):
        source = readable[i % len(readable)]
        target = into / f"{i:03d}-{source.name}"
        # Distinct names, so that 500 inputs make 500 outputs per format, not a pile of name clashes.
        target.write_bytes(source.read_bytes().replace(b"\nname: ", f"\nname: n{i:03d}-".encode(), 1))
        made.append(target)
    return made


def install_rulesync(folder: Path) -> str | None:
    """The rulesync command installed under `folder`, or None (with the reason printed)."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        print("rulesync: skipped (no node/npm)")
        return None
    proc = subprocess.run([npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(folder), RULESYNC],
                          capture_output=True, text=True, check=False)
    command = folder / "node_modules" / ".bin" / "rulesync"
    if proc.returncode != 0 or not command.exists():
        print(f"rulesync: skipped (npm install failed: {proc.stderr.strip()[-200:]})")
        return None
    return str(command)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", help="another agentkit source tree to measure in the same run (e.g. an older commit)")
    parser.add_argument("--no-rulesync", action="store_true")
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    envs = tree_environments(options.before)
    agentkit = [sys.executable, "-m", "agentkit"]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")

    startup = best_of(10, {"click": ([sys.executable, "-c", "import click"], None, None, lambda: None),
                           **{name: ([*agentkit, "--help"], None, env, lambda: None) for name, env in envs.items()}})
    print(f"| `python -c 'import click'` | {startup['click'] * 1000:.0f} ms |")
    for name in envs:
        print(f"| `agentkit --help` ({name}) | {startup[name] * 1000:.0f} ms ({startup[name] / startup['click']:.2f}x) |")

    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        inputs = rulesync_inputs(500, project / ".claude" / "agents")
        rulesync = None if options.no_rulesync else install_rulesync(Path(tmp) / "npm")
        contenders = {}
        for name, env in envs.items():
            out = Path(tmp) / f"out-{name}"
            contenders[name] = ([*agentkit, "export", str(project / ".claude" / "agents"), "--format", "claude,copilot,cursor", "-o", str(out),
                                 "--allow-wider"], None, env, lambda out=out: shutil.rmtree(out, ignore_errors=True))
        if rulesync:
            def clean_rulesync() -> None:
                for folder in (".cursor", ".github"):
                    shutil.rmtree(project / folder, ignore_errors=True)

            contenders["rulesync"] = ([rulesync, "convert", "--from", "claudecode", "--to", "cursor,copilot", "-f", "subagents"],
                                      str(project), None, clean_rulesync)
        results = best_of(options.runs, contenders)
        for name in envs:
            written = sum(1 for p in (Path(tmp) / f"out-{name}").rglob("*") if p.is_file())
            ratio = f" = {results[name] / results['rulesync']:.2f}x rulesync" if rulesync else ""
            print(f"| export 500 agents to 3 formats ({name}; {written} files written) | {results[name]:.2f} s{ratio} |")
        if rulesync:
            written = sum(1 for folder in (".cursor", ".github") for p in (project / folder).rglob("*") if p.is_file())
            print(f"| rulesync 17 convert of the same 500 to 2 formats ({written} files written) | {results['rulesync']:.2f} s |")

        small = [str(p) for p in inputs[:5]]
        for name, env in envs.items():
            out = Path(tmp) / f"small-{name}"
            seconds = best_of(3, {name: ([*agentkit, "export", *small, "--format", "claude,copilot,cursor", "-o", str(out)], None, env,
                                         lambda out=out: shutil.rmtree(out, ignore_errors=True))})[name]
            print(f"| export 5 agents to 3 formats ({name}) | {seconds:.2f} s |")
        corpus = [str(p) for p in CORPUS.rglob("*") if p.is_file() and (p.suffix in (".md", ".mdc") or p.name == ".cursorrules")]
        reads = best_of(3, {name: ([*agentkit, "inspect", "--json", *corpus], None, env, lambda: None) for name, env in envs.items()})
        for name in envs:
            print(f"| read the whole corpus ({len(corpus)} files, inspect --json; {name}) | {reads[name]:.2f} s |")


if __name__ == "__main__":
    main()
