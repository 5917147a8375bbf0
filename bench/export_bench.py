"""Speed benchmarks for issue 6 (run by hand; results go into the README):

    python bench/export_bench.py

1. `agentkit --help` cold start against `python -c "import click"` (best of 10 runs each).
2. `agentkit export` of 5 and 500 specs to three formats (claude, copilot, cursor), through the CLI,
   writing into a fresh directory (best of 3 runs).
3. Reading the whole corpus (`agentkit inspect --json` on every file, through the CLI, best of 3).

The 500 specs are the corpus's Claude agents in path order, copied (with distinct names) into a
temporary folder until there are 500.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
AGENTKIT = [sys.executable, "-m", "agentkit"]


def best(command: list[str], runs: int, cwd: str | None = None, setup=None) -> float:
    times = []
    for _ in range(runs):
        if setup:
            setup()
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def specs(folder: Path, count: int) -> list[str]:
    files = sorted((CORPUS / "claude-agents").rglob("*.md"))
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(count):
        source = files[i % len(files)]
        target = folder / f"{i:03d}-{source.name}"
        # Distinct names so that 500 inputs make 500 outputs, not a pile of name clashes.
        text = source.read_bytes().replace(b"\nname: ", f"\nname: n{i:03d}-".encode(), 1)
        target.write_bytes(text)
        out.append(str(target))
    return out


def main() -> None:
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    click_s = best([sys.executable, "-c", "import click"], 10)
    help_s = best([*AGENTKIT, "--help"], 10)
    print(f"| `python -c 'import click'` | {click_s * 1000:.0f} ms |")
    print(f"| `agentkit --help` | {help_s * 1000:.0f} ms ({help_s / click_s:.2f}x) |")
    with tempfile.TemporaryDirectory() as tmp:
        for count in (5, 500):
            inputs = specs(Path(tmp) / f"in{count}", count)
            out = Path(tmp) / f"out{count}"
            command = [*AGENTKIT, "export", *inputs, "--format", "claude,copilot,cursor", "-o", str(out)]
            seconds = best(command, 3, setup=lambda out=out: shutil.rmtree(out, ignore_errors=True))
            print(f"| export {count} specs to 3 formats | {seconds:.2f} s |")
        corpus = [str(p) for p in CORPUS.rglob("*") if p.is_file() and p.suffix in (".md", ".mdc") or p.name == ".cursorrules"]
        seconds = best([*AGENTKIT, "inspect", "--json", *corpus], 3)
        print(f"| read the whole corpus ({len(corpus)} files, inspect --json) | {seconds:.2f} s |")


if __name__ == "__main__":
    main()
