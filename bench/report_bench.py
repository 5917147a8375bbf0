"""Merge report benchmark (run by hand): the whole corpus merged with `--report`, then the page opened in
headless Chromium with each kind of filter; prints the page's size and how long it took from opening to
drawn (the page records it: `data-render-ms`).

    python bench/report_bench.py
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
FILTERS = ("", "#kind=folded", "#kind=alike", "#q=test", "#input=100", "#section=5")


def main() -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("no chromium on PATH (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "merge.html"
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "agentkit", "merge", str(CORPUS), "--report", str(page), "-o", str(Path(folder) / "m.md")],
                       capture_output=True, check=False)
        merged = time.perf_counter() - start
        print(f"merge --report of the corpus: {merged:.1f} s, page {page.stat().st_size / 1e6:.1f} MB")
        print("| view | items shown | opened and drawn (ms) |\n|---|---|---|")
        for fragment in FILTERS:
            dom = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                  "--disable-component-update", "--no-first-run", "--disable-sync", f"--user-data-dir={folder}/profile",
                                  "--virtual-time-budget=10000", "--dump-dom", page.as_uri() + fragment],
                                 capture_output=True, text=True, check=False).stdout
            shown = re.search(r'id="count">([^<]*)', dom)
            drawn = re.search(r'data-render-ms="(\d+)"', dom)
            print(f"| `{fragment or '(all)'}` | {shown.group(1) if shown else '?'} | {drawn.group(1) if drawn else '?'} |")


if __name__ == "__main__":
    main()
