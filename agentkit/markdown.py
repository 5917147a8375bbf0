"""Markdown body -> sections of guidance items, each item keeping its 1-based source line.

markdown-it-py gives every block a `.map` of source lines; items are cut from the source by those maps
so that their text is the author's Markdown (minus the list marker), not a re-rendering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from agentkit.model import Item, Section

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_CHECKBOX = re.compile(r"^\[([ xX])\]\s+")
# A paragraph line that is only a bold label, e.g. "**Security Best Practices:**" or "**API Design**:".
_BOLD_LABEL = re.compile(r"^\s*(?:\*\*|__)(?P<title>[^*_\n]+?)(?::\s*)?(?:\*\*|__)\s*:?\s*$")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # Block structure only: item text is cut from the source lines, so inline parsing is wasted work.
    return MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])


def clean_title(text: str) -> str:
    """Heading text without Markdown emphasis, trailing colon or closing hashes."""
    text = re.sub(r"\s#+\s*$", "", text.strip())
    text = re.sub(r"(\*\*|__|`)", "", text)
    return text.strip().rstrip(":").strip()


def bold_label(line: str) -> str | None:
    match = _BOLD_LABEL.match(line)
    return clean_title(match.group("title")) if match else None


@dataclass(frozen=True)
class _Block:
    """A block token with its children, from markdown-it's flat token stream."""

    type: str
    tag: str
    map: tuple[int, int]
    children: tuple[_Block, ...]


def _blocks(tokens: list[Token]) -> list[_Block]:
    """Nest the flat `*_open` / `*_close` stream into blocks (inline tokens ignored)."""
    stack: list[tuple[Token, list[_Block]]] = []
    top: list[_Block] = []
    for token in tokens:
        if token.nesting == 1:
            stack.append((token, []))
        elif token.nesting == -1:
            opened, children = stack.pop()
            start, end = opened.map or (0, 0)
            block = _Block(opened.type[: -len("_open")], opened.tag, (start, end), tuple(children))
            (stack[-1][1] if stack else top).append(block)
        elif token.type != "inline":
            start, end = token.map or (0, 0)
            block = _Block(token.type, token.tag, (start, end), ())
            (stack[-1][1] if stack else top).append(block)
    return top


def parse_sections(body: str, first_line: int = 1, path: str = "") -> tuple[Section, ...]:
    """Split a Markdown body into sections of items. `first_line` is the file line where `body` starts."""
    lines = body.split("\n")
    builder = _Builder(lines, first_line - 1, path)
    cursor = 0
    for block in _blocks(_parser().parse(body)):
        builder.gap(cursor, block.map[0])
        builder.block(block)
        cursor = max(cursor, block.map[1])
    builder.gap(cursor, len(lines))
    return builder.finish()


class _Builder:
    """Accumulates sections while walking top-level blocks (mutable on purpose: it is local to one parse)."""

    def __init__(self, lines: list[str], offset: int, path: str) -> None:
        self.lines = lines
        self.offset = offset
        self.path = path
        self.sections: list[Section] = []
        self.title, self.level, self.line = "", 0, offset + 1
        self.items: list[Item] = []
        self.heading = ""
        self.heading_level = 0

    def open_section(self, title: str, level: int, line: int, heading: str = "") -> None:
        if self.items or self.title:
            self.sections.append(Section(self.title, self.level, self.line, tuple(self.items), self.heading))
        self.title, self.level, self.line, self.items, self.heading = title, level, line, [], heading

    def finish(self) -> tuple[Section, ...]:
        self.open_section("", 0, 0)
        return tuple(s for s in self.sections if s.items or s.title)

    def source(self, start: int, end: int) -> str:
        return "\n".join(self.lines[start:end]).strip("\n")

    def add(self, text: str, kind: str, start: int, depth: int = 0, checked: bool | None = None) -> None:
        text = text.strip("\n")
        if text.strip():
            self.items.append(Item(text, kind, self.offset + start + 1, self.path, depth, checked))

    def block(self, node: _Block) -> None:
        start, end = node.map
        if node.type == "heading":
            self.heading_level = int(node.tag[1])
            heading = heading_text(self.lines[start:end])
            self.open_section(clean_title(heading_line(heading)), self.heading_level, self.offset + start + 1, heading)
        elif node.type == "paragraph":
            self.paragraph(start, end)
        elif node.type in ("bullet_list", "ordered_list"):
            self.list_block(node, 0)
        else:
            self.other(node, 0)

    def gap(self, start: int, end: int, depth: int = 0, indent: int = 0) -> None:
        """Lines between blocks that no block token covers (link reference definitions such as
        `[docs]: https://...`, which markdown-it keeps aside): kept verbatim, as one item."""
        lines = self.lines[start:end]
        text = [i for i, line in enumerate(lines) if line.strip()]
        if text:
            self.add(_dedent(lines[text[0]:], indent), "reference", start + text[0], depth)

    def other(self, node: _Block, depth: int, indent: int = 0) -> None:
        """A block that is not a heading or list: kept whole, as the author wrote it, as one item."""
        start, end = node.map
        kind = _KINDS.get(node.type, "html")  # whatever markdown-it adds later is kept verbatim too
        self.add(_dedent(self.lines[start:end], indent), kind, start, depth)

    def paragraph(self, start: int, end: int) -> None:
        label = bold_label(self.lines[start])
        if label is not None:
            # A bold label on its own line acts as a sub-heading one level below the last real heading;
            # it is written back as the author wrote it (`heading`), not as a Markdown heading.
            self.open_section(label, self.heading_level + 1, self.offset + start + 1, self.lines[start].strip())
            start += 1
        self.add(self.source(start, end), "paragraph", start)

    def list_block(self, node: _Block, depth: int) -> None:
        ordered = node.type == "ordered_list"
        for item in node.children:
            self.list_item(item, depth, ordered)

    def list_item(self, node: _Block, depth: int, ordered: bool) -> None:
        """The item's own text runs up to its first nested list; every block after that (more lists,
        paragraphs, code, tables) becomes an item nested under it, in source order, so none is lost."""
        start, end = node.map
        first_list = next((i for i, c in enumerate(node.children) if c.type in ("bullet_list", "ordered_list")), None)
        own_end = node.children[first_list].map[0] if first_list is not None else end
        indent = _content_column(self.lines[start])
        text = _strip_marker(self.lines[start:own_end])
        kind, checked = ("step" if ordered else "bullet"), None
        box = _CHECKBOX.match(text)
        if box:
            kind, checked, text = "check", box.group(1) != " ", text[box.end():]
        self.add(text, kind, start, depth, checked)
        if first_list is None:
            return
        cursor = own_end
        for child in node.children[first_list:]:
            self.gap(cursor, child.map[0], depth + 1, indent)
            if child.type in ("bullet_list", "ordered_list"):
                self.list_block(child, depth + 1)
            else:
                self.other(child, depth + 1, indent)
            cursor = child.map[1]
        self.gap(cursor, end, depth + 1, indent)


# Block tokens kept whole as one item, by the item kind they become.
_KINDS = {"paragraph": "paragraph", "fence": "code", "code_block": "code", "table": "table",
          "blockquote": "quote", "html_block": "html", "hr": "rule"}


def heading_text(lines: list[str]) -> str:
    """A heading's text as the author wrote it (backticks, emphasis, trailing colon kept): an ATX
    heading without its opening hashes; a setext heading's lines and underline, one per line."""
    if len(lines) > 1:
        return "\n".join(line.strip() for line in lines)
    return re.sub(r"^\s*#{1,6}", "", lines[0]).strip()


def heading_line(heading: str) -> str:
    """`heading_text` on one line, for writing as an ATX heading (a setext underline dropped)."""
    lines = heading.split("\n")
    return " ".join(lines[:-1] if len(lines) > 1 else lines)


def _dedent(lines: list[str], indent: int) -> str:
    """Block source lines with up to `indent` leading spaces removed (a nested block's list indentation)."""
    return "\n".join(_dedent_lines(lines, indent)).strip("\n")


def _dedent_lines(lines: list[str], indent: int) -> list[str]:
    return [line[indent:] if line[:indent].strip() == "" else line.lstrip() for line in lines]


def _content_column(line: str) -> int:
    """Where a list item's text starts on its first line: after the marker and the spaces that follow it."""
    match = _MARKER.match(line)
    return match.end() if match else len(line) - len(line.lstrip())


@lru_cache(maxsize=65536)  # merge keys every line of every input and of the output: most repeat
def line_key(line: str) -> str:
    """What a body line says, for checking that no line is lost: list and checkbox markers, heading
    hashes, quote markers and whitespace do not count (merge may renumber, re-level or re-indent them)."""
    line = _LINE_PREFIX.sub("", line.strip())
    line = _CLOSING_HASHES.sub("", line)
    return " ".join(line.split())


_CLOSING_HASHES = re.compile(r"\s#+\s*$")


_LINE_PREFIX = re.compile(r"^(?:\s*(?:>[ \t]?|[-*+](?:[ \t]+|$)|\d{1,9}[.)](?:[ \t]+|$)|\[[ xX]\](?:[ \t]+|$)|#{1,6}(?=\s|$)))+")


def _strip_marker(lines: list[str]) -> str:
    """Item source without its list marker, continuation lines dedented to the item's content column."""
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    if not lines:
        return ""
    indent = _content_column(lines[0])
    return "\n".join([lines[0][indent:], *_dedent_lines(lines[1:], indent)])


# Linear in the text, whatever it holds: a bracket class stops at the next bracket, so a failed match
# never rescans what follows ("[[[[..." or "*a **b " repeated cost no more than their length).
_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
_MARKS = re.compile(r"\*\*|__|`|~~")
_EMPHASIS = re.compile(r"[*_]")


def plain_text(markdown: str) -> str:
    """Item text for comparison: emphasis, links, code ticks and leading emoji markers removed."""
    text = _MARKS.sub("", _LINK.sub(r"\1", markdown))
    if "*" in text or "_" in text:
        text = _strip_emphasis(text)
    return " ".join(text.split())


def _strip_emphasis(text: str) -> str:
    """`*word*` and `_word_` without their markers, in one pass: an opener (after a space or
    punctuation, before a non-space) pairs with the next closer (after a non-space, before a space or
    punctuation), as CommonMark reads single emphasis; a marker inside a word (`snake_case`) stays."""
    drop: list[int] = []
    opener: int | None = None
    last = len(text) - 1
    for match in _EMPHASIS.finditer(text):
        at = match.start()
        before = text[at - 1] if at else " "
        after = text[at + 1] if at < last else " "
        if opener is not None and at > opener + 1 and not before.isspace() and not (after.isalnum() or after in "_*"):
            drop += (opener, at)
            opener = None
        elif opener is None and not (before.isalnum() or before in "_*") and not after.isspace():
            opener = at
    return _without(text, drop) if drop else text


def _without(text: str, positions: list[int]) -> str:
    """`text` without the characters at `positions` (in increasing order)."""
    out, cursor = [], 0
    for position in positions:
        out.append(text[cursor:position])
        cursor = position + 1
    out.append(text[cursor:])
    return "".join(out)
