"""The canonical model: plain frozen data that every reader produces and every writer consumes.

Nothing here knows about Claude, Copilot or Cursor. Merge, dedup and diff work on these types only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agentkit.frontmatter import Frontmatter


@dataclass(frozen=True)
class Finding:
    """Something agentkit repaired or noticed in an input, with the 1-based line where it applies.

    `kind` is a stable machine-readable code (e.g. ``mojibake``, ``crlf``, ``frontmatter-recovered``,
    ``hidden-char``, ``duplicate-name``); `message` is for people.
    """

    kind: str
    message: str
    line: int | None = None
    column: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "line": self.line, "column": self.column}


@dataclass(frozen=True)
class Example:
    """One `<example>` block of a Claude-style description, kept as its inner text."""

    text: str

    def parts(self) -> dict[str, str]:
        from agentkit.examples import example_parts

        return example_parts(self.text)


@dataclass(frozen=True)
class Handoff:
    """A Copilot handoff: a button that passes the conversation to another agent."""

    agent: str
    label: str = ""
    prompt: str = ""
    send: bool | None = None
    model: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Item:
    """One piece of guidance: a list item, numbered step, checklist entry, paragraph, code block or table.

    `text` is the item's Markdown source without its list marker; `line` is 1-based in the source file.
    """

    text: str
    kind: str  # bullet | step | check | paragraph | code | table | quote | html | rule | reference
    line: int
    path: str = ""
    depth: int = 0  # nesting level of list items (0 = top level)
    checked: bool | None = None  # for checklist entries


@dataclass(frozen=True)
class Section:
    """A heading (or a bold label used as one) and the guidance items under it.

    The preamble before the first heading is a section with an empty title and level 0. `title` is
    plain text for matching; `heading` is the heading as written (``## Use `uv`:`` has the title
    "Use uv" and the heading "Use `uv`:"; a bold label's heading is its whole line), for writing back.
    """

    title: str
    level: int
    line: int
    items: tuple[Item, ...] = ()
    heading: str = ""


@dataclass(frozen=True)
class Origin:
    """The file an agent was read from, as a writer needs it to write the agent back in that format
    changing only what changed (edit, do not re-emit): its frontmatter as written (None: it had none)
    and the text after it. A template for the writing, never a source of values."""

    format: str
    frontmatter: Frontmatter | None
    body: str


@dataclass(frozen=True)
class Agent:
    """The canonical agent. `None` means "not set" (e.g. `tools=None` grants the tool's default set)."""

    name: str | None = None
    description: str | None = None
    examples: tuple[Example, ...] = ()
    model: str | None = None
    tools: tuple[str, ...] | None = None
    disallowed_tools: tuple[str, ...] | None = None
    color: str | None = None
    skills: tuple[str, ...] = ()
    handoffs: tuple[Handoff, ...] = ()
    triggers: tuple[str, ...] = ()
    readonly: bool | None = None
    # The rest of what the agent may do (see agentkit.permissions): Claude's `permissionMode`, the
    # subagents it may call (Copilot `agents:`), and who may invoke it (Copilot's invocation flags).
    permission_mode: str | None = None
    subagents: tuple[str, ...] | None = None
    user_invocable: bool | None = None
    model_invocable: bool | None = None
    background: bool | None = None
    globs: tuple[str, ...] | None = None
    always_apply: bool | None = None
    # Keys no modelled field covers, by the format they were read from, in source order.
    passthrough: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    body: str = ""
    sections: tuple[Section, ...] = ()
    path: str = ""
    format: str = ""
    # Where it was read from, for writing it back as written; not part of what the agent is.
    origin: Origin | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ReadResult:
    """An agent as read from one file, with what was repaired and what looks wrong."""

    agent: Agent
    repairs: tuple[Finding, ...] = ()
    warnings: tuple[Finding, ...] = ()
    key_lines: Mapping[str, int] = field(default_factory=dict)  # 1-based line of each frontmatter key
    encoding: str = "utf-8"
    recovered: bool = False  # strict YAML failed and the frontmatter was recovered
    generated: bool = False  # the file ends with the marker `agentkit sync` writes, its digest matching: our own output
    has_frontmatter: bool = True  # False: plain Markdown (in an agent folder, notes rather than an agent)
