"""Merge benchmark (run by hand): 5, 50 and 500 real specs from ../shared/corpus, wall time and peak memory.

    python bench/merge_bench.py            # prints a Markdown table for the README

Each size runs in a fresh subprocess so that peak RSS is that run's own. Specs are the corpus's Claude
agents in path order, repeated (each copy a separate input) to reach 500; timing covers reading and
merging (what `agentkit merge` does, reading in a process pool from 64 files on).
"""

from __future__ import annotations

import dataclasses
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "claude-agents"


def one(count: int) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from agentkit.merge import merge
    from agentkit.reader import read_many

    files = sorted(CORPUS.rglob("*.md"))
    chosen = [str(files[i % len(files)]) for i in range(count)]
    start = time.perf_counter()
    # Read as `agentkit merge` reads (a process pool from 64 files on); a repeated spec is another
    # input (its own path), as if 500 different files had been given.
    agents = [dataclasses.replace(r.agent, path=f"{p}#{i}") for i, (p, r) in enumerate(zip(chosen, read_many(chosen)))]
    read_done = time.perf_counter()
    result = merge(agents)
    end = time.perf_counter()
    # The larger of this process and its biggest reading worker.
    peak_kib = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return {"specs": count, "items_in": result.items_in, "items_out": result.items_out,
            "read_s": read_done - start, "merge_s": end - read_done, "total_s": end - start, "peak_mib": peak_kib / 1024}


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        print(json.dumps(one(int(sys.argv[2]))))
        return
    print(f"machine: {platform.processor() or platform.machine()}, {__import__('os').cpu_count()} cores, Python {platform.python_version()}")
    print("| specs | items in | items out | read (s) | merge (s) | total (s) | peak RSS (MiB) |")
    print("|---|---|---|---|---|---|---|")
    for count in (5, 50, 500):
        out = subprocess.run([sys.executable, __file__, "--one", str(count)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        print(f"| {r['specs']} | {r['items_in']} | {r['items_out']} | {r['read_s']:.2f} | {r['merge_s']:.2f} | {r['total_s']:.2f} | {r['peak_mib']:.0f} |")


if __name__ == "__main__":
    main()
