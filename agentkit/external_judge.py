"""An external judge for the pairs merge's own judge was unsure of (`merge --judge-cmd CMD`).

Teams that have a language model can settle the "alike, kept apart" pairs with it: each pair goes to
the command as one JSON line on its standard input, and the command answers one line per pair,
`fold` or `apart`, in the same order. Folds become decisions (as `--fold` makes them) and the merge
runs again with them; without `--judge-cmd` nothing leaves the machine and merge stays deterministic.

    {"a": {"text": "...", "path": "a.md", "line": 12}, "b": {...}, "score": 0.42, "reason": "..."}
"""

from __future__ import annotations

import json
import shlex
import subprocess
from collections.abc import Sequence

from agentkit.errors import AgentkitError
from agentkit.merge import Alike

TIMEOUT = 600  # seconds for the whole batch: a model may be slow, but a hung command must not hang merge
ANSWERS = ("fold", "apart")


def ask(command: str, pairs: Sequence[Alike]) -> list[tuple[str, str]]:
    """The pairs the command says to fold, each as two `path:line` references. Raises AgentkitError
    (`judge-cmd`) when the command cannot be run, fails, times out or answers anything but one `fold`
    or `apart` per pair."""
    if not pairs:
        return []
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise AgentkitError("judge-cmd", f"--judge-cmd: cannot split the command: {exc}") from None
    if not argv:
        raise AgentkitError("judge-cmd", "--judge-cmd: the command is empty")
    lines = "".join(json.dumps({"a": _side(p, 0), "b": _side(p, 1), "score": round(p.score, 3), "reason": p.reason},
                               ensure_ascii=False) + "\n" for p in pairs)
    try:
        done = subprocess.run(argv, input=lines, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except FileNotFoundError:
        raise AgentkitError("judge-cmd", f"--judge-cmd: no such command: {argv[0]}") from None
    except subprocess.TimeoutExpired:
        raise AgentkitError("judge-cmd", f"--judge-cmd: no answer within {TIMEOUT} s") from None
    except OSError as exc:
        raise AgentkitError("judge-cmd", f"--judge-cmd: cannot run {argv[0]}: {exc.strerror or exc}") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(nothing on stderr)"])[-1]
        raise AgentkitError("judge-cmd", f"--judge-cmd exited {done.returncode}: {last[:200]}")
    answers = [line.strip().lower() for line in done.stdout.splitlines() if line.strip()]
    if len(answers) != len(pairs) or any(a not in ANSWERS for a in answers):
        raise AgentkitError("judge-cmd", f"--judge-cmd must print one line per pair, `fold` or `apart` ({len(pairs)} pairs sent, "
                                         f"{len(answers)} lines back)")
    return [(_where(p, 0), _where(p, 1)) for p, answer in zip(pairs, answers) if answer == "fold"]


def _side(pair: Alike, index: int) -> dict[str, object]:
    source = pair.sources[index]
    return {"text": pair.texts[index], "path": source.path, "line": source.line}


def _where(pair: Alike, index: int) -> str:
    source = pair.sources[index]
    return f"{source.path}:{source.line}"
