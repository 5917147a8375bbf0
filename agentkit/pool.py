"""Work on many files in a process pool: reading is mostly Markdown parsing and exporting mostly YAML
emitting, both pure Python, so many files go to one worker per core (up to eight).

Results come back in input order. A function's AgentkitError comes back as that file's result (the
other files go on); any other exception is a bug and is raised here, as it would be in this process.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TypeVar

from agentkit.errors import AgentkitError

# Below this many files a process pool costs more to start than it saves.
PARALLEL_FROM = 64
_MAX_WORKERS = 8

T = TypeVar("T")


def map_files(function: Callable[[str], T], paths: Sequence[str]) -> list[T | AgentkitError]:
    """`function(path)` for every path, in order; a refusal (AgentkitError) is that path's result.
    `function` must be picklable (a module-level function, or a functools.partial of one)."""
    workers = min(os.cpu_count() or 1, _MAX_WORKERS)
    if len(paths) < PARALLEL_FROM or workers < 2:
        return [_refusal_or_result(function, path) for path in paths]
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    # Chunks of a few files: each pickling round trip carries several results, and the cores stay even.
    chunk = max(1, min(16, len(paths) // (workers * 4)))
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(partial(_refusal_or_result, function), paths, chunksize=chunk))


def _refusal_or_result(function: Callable[[str], T], path: str) -> T | AgentkitError:
    try:
        return function(path)
    except AgentkitError as exc:
        return exc
