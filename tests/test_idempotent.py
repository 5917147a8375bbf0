"""Reading, repairing and writing is a fixed point after one pass (issue 15): for mutated corpus files,
YAML grammar cases and hidden-character cases, exporting what agentkit exported changes nothing, in
every format, and normalizing twice equals normalizing once.

`AGENTKIT_FUZZ=N` sets the number of generated inputs (default 240), `AGENTKIT_FUZZ_SEED=S` where
the seeds start; the failures are reported together with the case that makes each."""

from __future__ import annotations

import os
import random

import pytest
from conftest import corpus_files
from test_fuzz import LAYOUTS, SEED, _cases

import agentkit
from agentkit.errors import AgentkitError
from agentkit.export import clean, export
from agentkit.reader import read_bytes
from agentkit.writer import refuse_empty

TOTAL = int(os.environ.get("AGENTKIT_FUZZ", "240"))
TARGETS = ("claude", "copilot", "cursor", "cursor-rule", "agentkit", "gemini", "codex", "opencode")

# Hidden characters where a removal could make a repair possible only on the second pass, or change
# what a line is; and descriptions whose examples are unclosed or broken.
TRICKS = (
    "â€\u200b“", "\u200bâ€“", "ðŸš€\u200b", "-\u200b--", "\u200b# heading", "1\u200b. step", "`\u200b``", "\u200b    code",
    "<example>unclosed", "</example> closing first <example>", "<example>\\n</example>", "\u202eevil\u202c", "\U000e0041\U000e0042",
)


def _tricked(rng: random.Random, data: bytes) -> bytes:
    """`data` with a few tricks spliced into its lines (frontmatter values and body alike)."""
    try:
        lines = data.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        return data
    for _ in range(rng.randint(1, 4)):
        index = rng.randrange(len(lines))
        trick = rng.choice(TRICKS)
        lines[index] = trick if rng.random() < 0.3 else lines[index] + " " + trick
    return "\n".join(lines).encode("utf-8")


def _inputs() -> list[tuple[str, bytes, str]]:
    files = [p.read_bytes() for p in corpus_files()]
    if not files:
        pytest.skip("../shared/corpus is not there")
    cases = _cases("corpus", TOTAL // 2, files) + _cases("grammar", TOTAL // 4)
    rng = random.Random(f"tricks-{SEED}")
    tricked = [(f"tricks-{SEED + i}", _tricked(rng, rng.choice(files)), rng.choice(LAYOUTS)) for i in range(TOTAL // 4)]
    return [(repr(c), c.data, c.layout) for c in cases] + tricked


def _read(data: bytes, path: str, fmt: str | None = None):  # type: ignore[no-untyped-def]
    try:
        return read_bytes(data, path, fmt)
    except AgentkitError:
        return None


def test_export_of_an_export_changes_nothing():
    failures: list[str] = []
    checked = 0
    for name, data, layout in _inputs():
        path = layout.format("fuzz")
        first = _read(data, path)
        if first is None:
            continue
        for fmt in TARGETS:
            try:
                once = export(first.agent, fmt, allow_wider=True)
            except AgentkitError:
                continue
            again = _read(once.text.encode("utf-8"), once.path, fmt)
            if again is None:
                failures.append(f"{name} -> {fmt}: the export does not read back")
                continue
            twice = export(again.agent, fmt, allow_wider=True)
            checked += 1
            if twice.text != once.text:
                failures.append(f"{name} ({layout}) -> {fmt}: exporting the export changed it:\n{_first_difference(once.text, twice.text)}")
    print(f"\nidempotent: {checked} exports of an export compared, {len(failures)} differ")
    assert not failures, "\n".join(failures[:10])


def test_normalizing_twice_equals_once():
    failures: list[str] = []
    for name, data, layout in _inputs():
        path = layout.format("fuzz")
        first = _read(data, path)
        if first is None:
            continue
        try:
            refuse_empty(first.agent)  # as normalize does: nothing to write
            once = agentkit.render(clean(first.agent)[0])
            refuse_empty(first.agent, once)
        except AgentkitError:
            continue
        again = _read(once.encode("utf-8"), path, first.agent.format)
        if again is None:
            failures.append(f"{name}: normalized output does not read back")
            continue
        if again.repairs:
            failures.append(f"{name}: normalized output still needs {[r.kind for r in again.repairs]}")
        if agentkit.render(clean(again.agent)[0]) != once:
            failures.append(f"{name}: normalizing twice differs from once")
    assert not failures, "\n".join(failures[:10])


def _first_difference(a: str, b: str) -> str:
    import difflib

    return "".join(list(difflib.unified_diff(a.splitlines(True), b.splitlines(True), "once", "twice"))[:12])
