"""Bounded cost (issue 18): the shapes that once took minutes (regular expressions backtracking on
emphasis and brackets, work per item that grew with the number of items) go through every command.

These are not speed targets (those are in bench/hostile.py and the README): each run has a generous
limit that only a return of the old behaviour would reach. The 140 KB emphasis body took 47 s to
merge before, 0.5 s after; here the shapes are made larger still, so that quadratic work would take
many minutes, and linear work a second or two.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from agentkit.markdown import plain_text
from agentkit.reader import MAX_BODY_LINES
from agentkit.similarity import MEANING_CHARS, features

HANG = 90  # seconds: the old code needed far more than this for every shape below


def _front(name: str) -> str:
    return f"---\nname: {name}\ndescription: hostile input {name}\n---\n\n"


SHAPES = {
    "emphasis": _front("emphasis") + "- " + "*a **b " * 60_000 + "\n",
    "brackets": _front("brackets") + "- " + "[" * 300_000 + "\n- " + "[a](" * 100_000 + "\n",
    "parentheses": _front("parentheses") + "- " + "(" * 500_000 + "\n",
    "prohibitions": _front("prohibitions") + "- " + "no " * 300_000 + "\n",
    "bullets": _front("bullets") + "".join(f"- rule number {i} of many\n" for i in range(MAX_BODY_LINES - 10)),
    "headings": _front("headings") + "".join(f"## heading {i}\n\n" for i in range(MAX_BODY_LINES // 2 - 10)),
    "one-line": _front("one-line") + "- " + "word " * 1_000_000 + "\n",
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_hostile_shapes_finish(shape: str, tmp_path: Path):
    path = tmp_path / f"{shape}.md"
    path.write_text(SHAPES[shape])
    for args in (["inspect", str(path)], ["merge", str(path), "-o", str(tmp_path / "merged.md")],
                 ["export", str(path), "--format", "claude,copilot,cursor", "-o", str(tmp_path / "out"), "--allow-wider"]):
        proc = subprocess.run([sys.executable, "-m", "agentkit", *args], capture_output=True, text=True, timeout=HANG)
        assert proc.returncode == 0, (args, proc.stderr[-500:])
        assert "Traceback" not in proc.stderr


def test_a_body_at_the_line_cap_is_read_and_one_over_is_refused(tmp_path: Path):
    from agentkit.errors import AgentkitError
    from agentkit.reader import read

    head = "---\nname: lines\ndescription: d\n---\n"
    at_cap = tmp_path / "at-cap.md"
    at_cap.write_text(head + "".join(f"- b{i}\n" for i in range(MAX_BODY_LINES - 1)))
    assert len(read(at_cap).agent.sections[0].items) == MAX_BODY_LINES - 1
    over = tmp_path / "over.md"
    over.write_text(head + "".join(f"- b{i}\n" for i in range(MAX_BODY_LINES)))
    with pytest.raises(AgentkitError) as refused:
        read(over)
    assert refused.value.reason == "too-many-lines" and refused.value.line == 5


def test_plain_text_strips_markup_on_hostile_shapes():
    # Unpaired markers stay (nothing to pair with); paired ones go, as before the rewrite.
    assert plain_text("[" * 1000) == "[" * 1000
    assert plain_text("(" * 1000) == "(" * 1000
    assert plain_text("[a](" * 3 + "[b](c)") == "[a](" * 3 + "b"
    assert plain_text("*a **b " * 3) == "*a b *a b *a b"  # no closer: each `*` is followed by a letter
    assert plain_text("*a* **b** " * 2) == "a b a b"
    assert plain_text("Use *only* the `fast` path, **always**, see [docs](http://x).") == "Use only the fast path, always, see docs."
    assert plain_text("keep snake_case_names and 2*3*4 as written") == "keep snake_case_names and 2*3*4 as written"
    assert plain_text("_emphasis_ and __strong__") == "emphasis and strong"


def test_meaning_is_read_from_the_first_characters_of_a_long_item():
    head = "Validate every input at the API boundary. " * 10
    long = head + "filler " * (MEANING_CHARS // 7)
    assert features(long) == features(long[:MEANING_CHARS])
    assert "valid" in " ".join(features(long).words)
