"""The agentkit source trees a benchmark compares: this one, and with `--before TREE` another (an older
commit checked out with `git worktree add`), each run as `python -m agentkit` in a fresh process."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def tree_environments(before: str | None) -> dict[str, dict[str, str]]:
    """The environment per tree name ("agentkit", and "before" when given) that makes `python -m
    agentkit` import that tree's code."""
    trees = {"agentkit": str(ROOT)}
    if before:
        trees["before"] = str(Path(before).resolve())
    # `python -m agentkit` puts the current folder first on sys.path: run from a neutral folder, or the
    # agentkit of the folder you stand in (this tree, when run from it) would shadow PYTHONPATH's.
    os.chdir(tempfile.gettempdir())
    return {name: {**os.environ, "PYTHONPATH": tree} for name, tree in trees.items()}
