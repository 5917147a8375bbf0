"""Nothing lost on the way in: every body line of an input is in what merge writes.

The check here is independent of agentkit's Markdown parser: it takes the input's text after the
frontmatter and the file `merge` wrote, and looks for every non-blank input line in the output, with
list markers, heading hashes, quote markers and whitespace ignored (merge renumbers and re-indents).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from agentkit.cli import main
from agentkit.errors import AgentkitError
from agentkit.export import export
from agentkit.markdown import parse_sections
from agentkit.merge import LostText, Options, merge
from agentkit.model import Agent
from agentkit.reader import read, read_bytes
from agentkit.text import decode

_PREFIX = re.compile(r"^(?:\s*(?:>\s?|[-*+](?:\s+|$)|\d+[.)](?:\s+|$)|\[[ xX]\](?:\s+|$)|#+(?=\s|$)))+")
_FRONTMATTER = re.compile(r"\A\s*---[ \t]*\n.*?\n-{3,}[ \t]*(?:\n|\Z)", re.S)  # generators close with longer rules too


def said(line: str) -> str:
    line = _PREFIX.sub("", line.strip())
    return " ".join(re.sub(r"\s#+\s*$", "", line).split())


def body_lines(text: str) -> list[str]:
    """Non-blank body lines, without setext underlines (heading markup, like an ATX heading's hashes)."""
    lines = _FRONTMATTER.sub("", text, count=1).split("\n")
    underline = re.compile(r"\s*(?:=+|-+)\s*")
    return [line for before, line in zip(["", *lines], lines)
            if said(line) and not (underline.fullmatch(line) and said(before) and not underline.fullmatch(before))]


def missing(source: str, written: str) -> list[str]:
    have = {said(line) for line in written.split("\n")}
    return [line for line in body_lines(source) if said(line) not in have]


ISSUE_EXAMPLE = """---
name: saver
description: Saves reports
---
# Steps

1. **Save report**:
   - Path: `docs/report.md`

   **Before saving**, present the log. Wait for confirmation before saving the report.

   ```sh
   cat docs/report.md
   ```
2. **Announce**
   - one

   Then stop.

---

**Important:**
Never skip this.

## Use `uv`: always
Setext Title
------------
text
"""


def test_the_issues_example_keeps_every_line_in_place(tmp_path: Path):
    source = tmp_path / "save.md"
    source.write_text(ISSUE_EXAMPLE)
    result = CliRunner().invoke(main, ["merge", str(source), "-o", str(tmp_path / "out.md")])
    assert result.exit_code == 0, result.output
    written = (tmp_path / "out.md").read_text()
    assert missing(ISSUE_EXAMPLE, written) == []
    # In place: the paragraph stays inside step 1, after its sub-list; step 2 keeps its number.
    assert "   - Path: `docs/report.md`\n\n   **Before saving**, present the log." in written
    assert "   ```sh\n   cat docs/report.md\n   ```" in written
    assert "\n2. **Announce**\n" in written
    assert "\n---\n" in written  # the horizontal rule
    assert "\n**Important:**\n" in written  # a bold label stays a bold paragraph, not a heading
    assert "## Use `uv`: always" in written  # backticks and colon kept in headings
    # Merging the merged file again changes nothing: the structure read back is the structure written.
    again = CliRunner().invoke(main, ["merge", str(tmp_path / "out.md")])
    assert again.exit_code == 0
    assert again.stdout == written


def test_nested_blocks_become_items_in_source_order():
    body = "- a\n  - b\n\n  after b\n\n  ```\n  code\n  ```\n  - c\n\n  | x |\n  |---|\n  | 1 |\n- d\n\n---\n"
    items = parse_sections(body)[0].items
    assert [(i.kind, i.depth, i.text) for i in items] == [
        ("bullet", 0, "a"), ("bullet", 1, "b"), ("paragraph", 1, "after b"), ("code", 1, "```\ncode\n```"),
        ("bullet", 1, "c"), ("table", 1, "| x |\n|---|\n| 1 |"), ("bullet", 0, "d"), ("rule", 0, "---"),
    ]


def test_link_reference_definitions_are_kept_where_they_are(tmp_path: Path):
    text = "---\nname: r\ndescription: d\n---\nSee [docs][d].\n\n[d]: https://example.com/docs\n\n- one\n  - sub\n\n  [x]: https://x.example\n- two\n"
    source = tmp_path / "r.md"
    source.write_text(text)
    result = CliRunner().invoke(main, ["merge", str(source)])
    assert result.exit_code == 0, result.output
    assert "See [docs][d].\n\n[d]: https://example.com/docs\n\n- one\n  - sub\n\n  [x]: https://x.example\n\n- two" in result.stdout


def test_merge_that_would_lose_a_line_is_an_internal_error(monkeypatch, tmp_path: Path):
    """The self-check is real: a renderer that drops a line makes merge fail (exit 3), not count."""
    import agentkit.merge as merge_module

    source = tmp_path / "a.md"
    source.write_text(ISSUE_EXAMPLE)
    real = merge_module.render_body
    monkeypatch.setattr(merge_module, "render_body", lambda sections: real(sections).replace("Then stop.", ""))
    with pytest.raises(LostText, match="Then stop"):
        merge([read(source).agent])
    result = CliRunner().invoke(main, ["merge", str(source)])
    assert result.exit_code == 3
    assert "merge lost a line" in result.stderr


# Random bodies built from every kind of block, nested in lists at random depths.
_WORDS = st.sampled_from("alpha beta gamma delta `code` **bold** _em_ [link](x) validate input cache logs".split())
_TEXT = st.lists(_WORDS, min_size=1, max_size=6).map(" ".join)


@st.composite
def _block(draw: st.DrawFn, depth: int = 0) -> list[str]:
    kind = draw(st.sampled_from(["para", "bullets", "steps", "code", "rule", "table", "quote", "html", "label", "heading", "checks", "ref"]
                                if depth < 2 else ["para", "code", "table", "ref"]))
    if kind == "para":
        return [draw(_TEXT), ""]
    if kind == "code":
        return ["```", draw(_TEXT), "```", ""]
    if kind == "rule":
        return ["---", ""] if depth == 0 else [draw(_TEXT), ""]
    if kind == "table":
        return [f"| {draw(_TEXT)} |", "|---|", f"| {draw(_TEXT)} |", ""]
    if kind == "ref":  # a link reference definition: markdown-it gives it no block token
        return [f"[{draw(_TEXT).replace('[', '').replace(']', '')}]: https://example.com/{draw(st.integers(0, 99))}", ""]
    if kind == "quote":
        return [f"> {draw(_TEXT)}", ""]
    if kind == "html":
        return ["<!-- prettier-ignore -->" if depth == 0 else "<div>x</div>", ""]
    if kind == "label":
        return [f"**{draw(_TEXT).replace('*', '')}:**", draw(_TEXT), ""]
    if kind == "heading":
        return [f"{'#' * draw(st.integers(1, 4))} {draw(_TEXT)}", ""]
    lines: list[str] = []
    for number in range(draw(st.integers(1, 3))):
        marker = {"bullets": "- ", "steps": f"{number + 1}. ", "checks": "- [ ] "}[kind]
        lines.append(marker + draw(_TEXT))
        pad = " " * len(marker if kind != "checks" else "- ")
        for child in draw(st.lists(_block(depth + 1), max_size=2)):
            lines.extend((pad + line) if line else "" for line in child)
    return [*lines, ""]


@settings(max_examples=150, deadline=None)
@given(st.lists(_block(), min_size=1, max_size=6))
def test_a_one_file_merge_keeps_every_line_of_any_body(blocks: list[list[str]]):
    text = "---\nname: gen\ndescription: generated\n---\n" + "\n".join(line for block in blocks for line in block)
    agent = read_bytes(text.encode(), "gen.md").agent
    written = export(merge([agent], Options(keep_repeats=True)).agent, "agentkit").text  # repeats inside the file stay
    assert missing(text, written) == []


def _one_file_merge(path: Path) -> tuple[str, str] | None:
    try:
        result = read(path)
    except AgentkitError:
        return None
    agent: Agent = result.agent
    written = export(merge([agent], Options(keep_repeats=True)).agent, "agentkit", allow_wider=True).text
    return decode(path.read_bytes()).text, written


def test_a_one_file_merge_of_every_corpus_file_keeps_every_line(corpus):
    lost: dict[str, list[str]] = {}
    merged = 0
    for path in corpus:
        pair = _one_file_merge(path)
        if pair is None:
            continue
        merged += 1
        gone = missing(*pair)
        if gone:
            lost[str(path)] = gone[:3]
    print(f"\none-file merge: {merged} corpus files, {len(lost)} lose a line")
    assert merged > 400
    assert lost == {}
