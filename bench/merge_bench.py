"""Merge benchmark (run by hand; issues 6 and 18): real specs from ../shared/corpus, through the CLI.

    python bench/merge_bench.py                       # this tree
    python bench/merge_bench.py --before ../old-tree  # and another agentkit source tree, in the same run

Inputs, each file copied into a temporary folder under its own name (so that every input is its own
file, as in a repository):
- 5, 50 and 500 of the corpus's Claude agents in path order, repeated to reach 500 (172 distinct
  files, each about three times);
- every distinct agent in the corpus, Claude, Copilot and Cursor (435 files, no repeats).

Each row is `agentkit merge DIR -o OUT` in a fresh process: wall time (best of --runs, the trees
alternating so that a slow moment of this shared machine hits both alike) and peak memory (of the
command and its reading workers). A second, in-process run splits the time into reading and merging.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from trees import tree_environments

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"

# A wrapper per command, so that the peak memory is that command's own (the largest of it and its
# reading workers), not the largest of every command run so far.
_WRAPPER = ("import resource, subprocess, sys, time\n"
            "start = time.perf_counter()\n"
            "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
            "seconds = time.perf_counter() - start\n"
            "print(done.returncode, seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")

# In-process: read (as `agentkit merge` reads: a process pool from 64 files on), then merge.
_SPLIT = ("import json, sys, time\n"
          "start = time.perf_counter()\n"
          "from agentkit.cli import _read_all\n"
          "from agentkit.merge import merge\n"
          "results, errors = _read_all((sys.argv[1],), None)\n"
          "read = time.perf_counter()\n"
          "merged = merge([r.agent for r in results])\n"
          "end = time.perf_counter()\n"
          "print(json.dumps({'read': read - start, 'merge': end - read, 'in': merged.items_in, 'out': merged.items_out}))\n")


def corpus_files(kind: str) -> list[Path]:
    if kind == "claude":
        return sorted((CORPUS / "claude-agents").rglob("*.md"))
    skip = {"MANIFEST.tsv", "NOTES.tsv", "README.md"}
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name not in skip and "licences" not in p.parts
                  and (p.suffix in (".md", ".mdc") or p.name == ".cursorrules"))


def folder_of(files: list[Path], count: int, into: Path) -> Path:
    """`count` inputs from `files` (repeated in order when there are fewer), each its own file in `into`."""
    into.mkdir(parents=True)
    for i in range(count):
        source = files[i % len(files)]
        name = source.name if source.name != ".cursorrules" else "cursorrules.md"
        (into / f"{i:03d}-{source.parent.name}-{name}").write_bytes(source.read_bytes())
    return into


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", help="another agentkit source tree to measure in the same run (e.g. an older commit)")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    envs = tree_environments(options.before)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print("| inputs | tree | items in | items out | read (s) | merge (s) | `agentkit merge` wall (s) | peak RSS (MiB) |")
    print("|---|---|---|---|---|---|---|---|")
    claude, everything = corpus_files("claude"), corpus_files("all")
    cases = [(f"{n} Claude agents" + (f" ({len(claude)} distinct, repeated)" if n > len(claude) else ""), claude, n) for n in (5, 50, 500)]
    cases.append((f"every distinct corpus agent ({len(everything)} files)", everything, len(everything)))
    with tempfile.TemporaryDirectory() as tmp:
        for number, (label, files, count) in enumerate(cases):
            folder = folder_of(files, count, Path(tmp) / f"in{number}")
            walls: dict[str, list[tuple[float, float]]] = {name: [] for name in envs}
            for _ in range(options.runs):
                for name, env in envs.items():
                    out = Path(tmp) / "merged.md"
                    out.unlink(missing_ok=True)
                    done = subprocess.run([sys.executable, "-c", _WRAPPER, sys.executable, "-m", "agentkit", "merge", str(folder), "-o", str(out)],
                                          capture_output=True, text=True, env=env, check=True)
                    code, seconds, peak = done.stdout.split()
                    if code != "0":
                        sys.exit(f"agentkit merge failed on {label} ({name}): exit {code}")
                    walls[name].append((float(seconds), int(peak) / 1024))
            for name, env in envs.items():
                split = json.loads(subprocess.run([sys.executable, "-c", _SPLIT, str(folder)], capture_output=True, text=True,
                                                  env=env, check=True).stdout)
                wall, peak = min(walls[name])
                print(f"| {label} | {name} | {split['in']} | {split['out']} | {split['read']:.2f} | {split['merge']:.2f} | {wall:.2f} | {peak:.0f} |",
                      flush=True)
            shutil.rmtree(folder)


if __name__ == "__main__":
    main()
