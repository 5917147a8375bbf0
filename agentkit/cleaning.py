"""What no file agentkit writes may hold, taken out of an agent before it is written.

Every command that writes (export, convert, normalize, merge, sync, init) cleans the agent here, so
the rules live once:
- control characters (C0 but tab and newline, DEL, C1) in any field, where a YAML escape (`"\\x07"`,
  `"\\e"`) put them: always removed, since no writer may put one in a file;
- invisible and direction-changing characters (zero-width, bidi controls, Unicode tags) in any field,
  tools, model, skills, handoff targets and passthrough keys included: removed unless kept on request,
  since they are how instructions are smuggled past a reviewer.
Removing a character never changes the structure of the body: a line that would become a fence, a
rule, a heading, a list item or a code block once it is gone is escaped instead (`\\---`), so
`-\\u200b--` stays a line of text and never turns into frontmatter.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

from agentkit.model import Agent

# Attributes no writer puts in a file: the body is written from `body`, not from its sections.
_NOT_WRITTEN = frozenset({"path", "format", "sections", "origin"})
# Attributes that hold Markdown: stripped line by line, keeping each line's block structure.
_MARKDOWN = frozenset({"body", "text"})
# Allowlists: a name holding a hidden character grants nothing as written (`Re\u200bad` is no tool), so
# the entry is left out; stripping it would grant the tool it spells (wider). A denylist entry is
# stripped: it then denies what it spells, which can only narrow.
_ALLOWLISTS = frozenset({"tools", "subagents"})


@dataclasses.dataclass(frozen=True)
class Cleaned:
    agent: Agent
    hidden: int  # invisible or direction-changing characters removed
    control: int  # control characters removed
    escaped: int  # body lines escaped so that removing a character did not change their structure
    dropped: int = 0  # allowlist entries left out: holding a hidden character, they granted nothing

    def notes(self) -> list[tuple[str, str]]:
        """(field, message) for what was removed: the `hidden` and `control` losses every writer reports."""
        notes = []
        if self.hidden:
            kept = f"; {self.escaped} body line(s) escaped so that they keep their structure" if self.escaped else ""
            kept += f"; {self.dropped} tool or agent name(s) holding them left out (as written they grant nothing)" if self.dropped else ""
            notes.append(("hidden", f"removed {self.hidden} invisible or direction-changing character(s){kept}; --keep-hidden keeps them"))
        if self.control:
            notes.append(("control", f"removed {self.control} control character(s): no file agentkit writes holds them"))
        return notes


def clean(agent: Agent, keep_hidden: bool = False) -> Cleaned:
    """`agent` without control characters and (unless `keep_hidden`) hidden ones, in every field."""
    from agentkit.text import strip_control, strip_hidden

    counts = {"hidden": 0, "control": 0, "escaped": 0, "dropped": 0}
    if not keep_hidden:
        agent = _without_hidden_names(agent, counts)

    def text(value: str, markdown: bool) -> str:
        out, removed = strip_control(value)
        counts["control"] += removed
        if not keep_hidden:
            if markdown:
                out, removed, escaped = strip_hidden_keeping_blocks(out)
                counts["escaped"] += escaped
            else:
                out, removed = strip_hidden(out)
            counts["hidden"] += removed
        return out if out != value else value

    cleaned = _walk(agent, text, False)
    if cleaned.body != agent.body:  # the sections were cut from the old body: parsed again when needed
        cleaned = dataclasses.replace(cleaned, sections=())
    return Cleaned(cleaned, counts["hidden"], counts["control"], counts["escaped"], counts["dropped"])


def _without_hidden_names(agent: Agent, counts: dict[str, int]) -> Agent:
    from agentkit.text import strip_hidden

    changes: dict[str, Any] = {}
    for attr in _ALLOWLISTS:
        names = getattr(agent, attr)
        if names and any(strip_hidden(name)[1] for name in names):
            kept = tuple(name for name in names if not strip_hidden(name)[1])
            counts["dropped"] += len(names) - len(kept)
            counts["hidden"] += sum(strip_hidden(name)[1] for name in names if name not in kept)
            changes[attr] = kept
    return dataclasses.replace(agent, **changes) if changes else agent


def _walk(value: Any, text: Callable[[str, bool], str], markdown: bool) -> Any:
    """`value` with `text` applied to every string in it; the same object where nothing changed."""
    if isinstance(value, str):
        return text(value, markdown)
    if isinstance(value, (tuple, list)):
        items = [_walk(v, text, markdown) for v in value]
        return value if all(a is b for a, b in zip(items, value)) else type(value)(items)
    if isinstance(value, dict):
        pairs = [(_walk(k, text, False), _walk(v, text, False)) for k, v in value.items()]
        return value if all(k is a and v is b for (k, v), (a, b) in zip(pairs, value.items())) else dict(pairs)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            if f.init and f.name not in _NOT_WRITTEN:
                old = getattr(value, f.name)
                new = _walk(old, text, f.name in _MARKDOWN)
                if new is not old:
                    changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value


# --------------------------------------------------------------------------------------------- blocks

_RULE = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
_FENCE = re.compile(r" {0,3}(?:`{3,}|~{3,})")
_BULLET = re.compile(r" *[-*+](?:[ \t]|$)")
_ORDERED = re.compile(r" *\d{1,9}[.)](?:[ \t]|$)")
_QUOTE = re.compile(r" {0,3}>")
_SETEXT = re.compile(r" {0,3}=+[ \t]*$")
_HTML = re.compile(r" {0,3}<")
_TABLE = re.compile(r" {0,3}\|")
_INDENTED = re.compile(r"(?: {4}|\t)")
_KINDS = (("rule", _RULE), ("heading", _HEADING), ("fence", _FENCE), ("bullet", _BULLET), ("ordered", _ORDERED),
          ("quote", _QUOTE), ("setext", _SETEXT), ("html", _HTML), ("table", _TABLE), ("indented", _INDENTED))


def block_kind(line: str) -> str:
    """What a line opens in Markdown (a rule, a heading, a fence, a list item, ...), or `text`."""
    if not line.strip():
        return "blank"
    return next((kind for kind, pattern in _KINDS if pattern.match(line)), "text")


def _escape(line: str) -> str:
    """`line` with a backslash that keeps it text: before its first visible character, or before the
    `.`/`)` of a number that would start a list."""
    ordered = re.match(r"( *\d{1,9})([.)])", line)
    if ordered:
        return f"{ordered.group(1)}\\{ordered.group(2)}{line[ordered.end():]}"
    indent = len(line) - len(line.lstrip(" \t"))
    if indent >= 4 or line[:1] == "\t":
        return line.lstrip(" \t")  # four spaces left by a removed character would make a code block
    return f"{line[:indent]}\\{line[indent:]}"


def strip_hidden_keeping_blocks(text: str) -> tuple[str, int, int]:
    """`text` without hidden characters, how many were removed, and how many lines had to be escaped
    because removing them would have made the line something else (`-\\u200b--` becoming `---`)."""
    from agentkit.text import strip_hidden

    stripped, removed = strip_hidden(text)
    if not removed:
        return text, 0, 0
    out: list[str] = []
    escaped = 0
    in_code = False  # inside a fenced code block only a line that would close it matters
    for before in text.split("\n"):
        after, count = strip_hidden(before)
        was, now = block_kind(before), block_kind(after)
        if count and now != was and (not in_code or now == "fence"):
            after = _escape(after)
            escaped += 1
        in_code = in_code != (was == "fence")
        out.append(after)
    return "\n".join(out), removed, escaped

