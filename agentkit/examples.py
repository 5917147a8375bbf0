"""The `<example>` blocks Claude-style descriptions embed: split them off, join them back, read their parts.

Claude Code's generator writes descriptions as a summary, an `Examples:` label and `<example>` blocks
holding a small transcript (`Context:`, `user:`, `assistant:`, `<commentary>`). Keeping the examples apart
lets other formats get a short description while a Claude round trip gives back the same text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agentkit.model import Example

_OPEN = "<example>"
_CLOSE = "</example>"
# The label that introduces the blocks; exactly one is removed so that join -> split is lossless.
_LABEL = re.compile(r"\b(?:[Ff]or example|[Ee]xamples?)\s*:\s*\Z")
_COMMENTARY = re.compile(r"<commentary>(.*?)(?:</commentary>|\Z)", re.S)
_TURN = re.compile(r"(?<![\w-])(context|user|assistant)\s*:", re.I)
_QUOTES = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019"}


def _blocks(text: str) -> tuple[list[Example], list[str]]:
    """Examples from `text` (which starts at the first block) and the non-example text between/after them."""
    examples: list[Example] = []
    leftovers: list[str] = []
    pos = 0
    while (start := text.find(_OPEN, pos)) >= 0:
        leftovers.append(text[pos:start])
        inner = start + len(_OPEN)
        end = text.find(_CLOSE, inner)
        if end < 0:  # never closed: the rest is the example, rather than losing it
            examples.append(Example(text[inner:].strip()))
            return examples, leftovers
        examples.append(Example(text[inner:end].strip()))
        pos = end + len(_CLOSE)
    leftovers.append(text[pos:])
    return examples, leftovers


def split_examples(description: str) -> tuple[str, tuple[Example, ...]]:
    """Description -> (summary without the examples, the `<example>` blocks in order)."""
    first = description.find(_OPEN)
    if first < 0:
        return description.strip(), ()
    summary = _LABEL.sub("", description[:first].rstrip()).rstrip()
    examples, leftovers = _blocks(description[first:])
    # Text between or after the blocks (e.g. "Delegations: ...") stays in the summary: nothing is lost.
    extra = [part.strip() for part in leftovers if part.strip()]
    return "\n\n".join(p for p in (summary, *extra) if p), tuple(examples)


def join_examples(summary: str, examples: Sequence[Example]) -> str:
    """Summary and examples -> a description in Claude's canonical form (inverse of `split_examples`)."""
    if not examples:
        return summary
    blocks = "\n\n".join(f"{_OPEN}\n{example.text}\n{_CLOSE}" for example in examples)
    return f"{summary}\n\nExamples:\n\n{blocks}" if summary else f"Examples:\n\n{blocks}"


def _unquote(text: str) -> str:
    if len(text) >= 2 and _QUOTES.get(text[0]) == text[-1]:
        return text[1:-1].strip()
    return text


def _turn_may_end(text: str, label: str, at_line_start: bool) -> bool:
    """Whether a label found inside a turn ends it: not while a quoted utterance is still open."""
    value = text.strip()
    if at_line_start or label == "context" or not value or value[0] not in _QUOTES:
        return True
    return value.endswith(_QUOTES[value[0]])


def _turns(text: str) -> list[tuple[str, str]]:
    turns: list[tuple[str, str]] = []
    current: tuple[str, int] | None = None
    for match in _TURN.finditer(text):
        before = text[: match.start()].rstrip(" \t")
        at_line_start = not before or before.endswith("\n")
        if current and not _turn_may_end(text[current[1] : match.start()], current[0], at_line_start):
            continue
        if current:
            turns.append((current[0], text[current[1] : match.start()]))
        current = (match.group(1).lower(), match.end())
    if current:
        turns.append((current[0], text[current[1] :]))
    return turns


def example_parts(text: str) -> dict[str, str]:
    """Best-effort structure of one example: `context`, `user`, `assistant`, `commentary` (those found)."""
    commentary = [part.strip() for part in _COMMENTARY.findall(text) if part.strip()]
    parts: dict[str, str] = {}
    for label, value in _turns(_COMMENTARY.sub("\n", text)):
        value = value.strip()
        if label != "context":
            value = _unquote(value)
        if value:
            parts[label] = f"{parts[label]}\n{value}" if label in parts else value  # several turns: keep all
    if commentary:
        parts["commentary"] = "\n\n".join(commentary)
    return parts


# Tools whose description is a one-line summary get the examples as a body section instead; the marker
# lets any reader take them back out, so Claude -> Copilot -> Claude gives the examples back.
SECTION_TITLE = "When to use"
SECTION_MARKER = "<!-- agentkit:examples -->"


def examples_section(examples: Sequence[Example]) -> str:
    """The examples as a Markdown section: one list item per example, its lines indented under it."""
    items = []
    for example in examples:
        lines = example.text.split("\n")
        items.append("\n".join([f"- {lines[0]}", *[f"  {line}" if line.strip() else "" for line in lines[1:]]]))
    return f"## {SECTION_TITLE}\n\n{SECTION_MARKER}\n" + "\n".join(items)


def take_examples_section(body: str) -> tuple[str, tuple[Example, ...]] | None:
    """(body without the section, examples) when the body ends with a section made by `examples_section`."""
    head = f"## {SECTION_TITLE}\n\n{SECTION_MARKER}\n"
    start = body.rfind(head)
    if start < 0 or (start > 0 and body[start - 1] != "\n"):
        return None
    examples: list[list[str]] = []
    for line in body[start + len(head):].split("\n"):
        if line.startswith("- "):
            examples.append([line[2:]])
        elif examples and (line.startswith("  ") or not line.strip()):
            examples[-1].append(line[2:])
        else:
            return None  # something else follows: not (only) our section, leave the body alone
    if not examples:
        return None
    return body[:start].rstrip("\n"), tuple(Example("\n".join(lines).strip()) for lines in examples)
