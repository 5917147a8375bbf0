"""Hostile but plausible inputs, each under the 10 MiB input limit, through the CLI (run by hand):

    python bench/hostile.py            # a Markdown table of wall time and peak memory per command

Each command runs in its own process (`/usr/bin/time`-style figures from `resource.getrusage` of
the child); the aim is under 10 s and 1 GiB for every one, or a refusal at once with one line.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

LIMIT = 600  # seconds before a command is stopped and reported as over the limit


def _front(name: str) -> str:
    return f"---\nname: {name}\ndescription: hostile input {name}\n---\n\n"


SHAPES = {
    "emphasis 70 KB (`*a **b ` repeated)": lambda: _front("emph70") + "- " + "*a **b " * 10_000 + "\n",
    "emphasis 140 KB": lambda: _front("emph140") + "- " + "*a **b " * 20_000 + "\n",
    "unclosed brackets (`[` x100k, `[a](` x30k)": lambda: _front("links") + "- " + "[" * 100_000 + "\n- " + "[a](" * 30_000 + "\n",
    "unclosed parentheses x300k": lambda: _front("parens") + "- " + "(" * 300_000 + "\n",
    "prohibitions (`no ` x200k)": lambda: _front("nos") + "- " + "no " * 200_000 + "\n",
    "1,000,000 short bullets": lambda: _front("bullets") + "".join(f"- b{i}\n" for i in range(1_000_000)),
    "200,000 headings": lambda: _front("headings") + "".join(f"## h{i}\n\n" for i in range(200_000)),
    "a frontmatter list of 1,000,000 tools": lambda: "---\nname: tools\ndescription: many tools\ntools: ["
    + ", ".join(f"T{i}" for i in range(1_000_000)) + "]\n---\n\nBody.\n",
    "19,000 bullets (under the 20,000-line cap)": lambda: _front("b19k") + "".join(f"- b{i}\n" for i in range(19_000)),
    "9,900 headings (under the cap)": lambda: _front("h9k") + "".join(f"## h{i}\n\n" for i in range(9_900)),
    "one line of 9.5 MB": lambda: _front("line") + "- " + "word " * 1_900_000 + "\n",
    "100,000 `<example>` blocks in a description": lambda: "---\nname: ex\ndescription: \"Use it." + "<example>x</example>" * 100_000
    + "\"\n---\n\nBody.\n",
}
COMMANDS = {
    "inspect": lambda path, out: ["inspect", str(path)],
    "merge": lambda path, out: ["merge", str(path)],
    "export": lambda path, out: ["export", str(path), "--format", "claude,copilot,cursor", "-o", str(out), "--allow-wider"],
}


# A wrapper per command, so that the peak memory is that command's own (the largest of it and its
# reading workers), not the largest of every command run so far.
_WRAPPER = ("import resource, subprocess, sys\n"
            "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
            "sys.stdout.write(done.stderr)\n"
            "print(f'\\n#rc {done.returncode} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}')\n")


def run(args: list[str]) -> tuple[float, float, int, str]:
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-c", _WRAPPER, sys.executable, "-m", "agentkit", *args],
                              capture_output=True, text=True, timeout=LIMIT, check=False)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - start, 0.0, -1, f"stopped after {LIMIT} s"
    seconds = time.perf_counter() - start
    lines = done.stdout.strip().splitlines()
    _, code, peak = lines[-1].split()
    last = next((line for line in reversed(lines[:-1]) if line.strip()), "")
    return seconds, int(peak) / 1024, int(code), last


def main() -> None:
    print("| input | size | command | time (s) | peak RSS (MiB) | exit | last line |\n|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for label, make in SHAPES.items():
            path = Path(folder) / "hostile.md"
            path.write_text(make())
            size = path.stat().st_size
            for name, command in COMMANDS.items():
                seconds, peak, code, last = run(command(path, Path(folder) / "out"))
                print(f"| {label} | {size / 1e6:.1f} MB | {name} | {seconds:.2f} | {peak:.0f} | {code} | {last[:70]} |", flush=True)


if __name__ == "__main__":
    main()
