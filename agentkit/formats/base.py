"""What a format is: its field table and the few facts that differ between tools.

Formats are data, not subclasses: one generic reader and writer (agentkit.reader / agentkit.writer)
work from a `Format` record, so adding a format is one module that builds one of these.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from agentkit.formats.fields import Field


def stem_without(*suffixes: str) -> Callable[[str], str]:
    """Default agent name from a path: the file name minus the first matching suffix."""

    def name_from(path: str) -> str:
        base = PurePath(path).name
        for suffix in suffixes:
            if base.lower().endswith(suffix):
                return base[: -len(suffix)] or base
        return PurePath(base).stem or base

    return name_from


def parent_dir_name(path: str) -> str:
    parent = PurePath(path).parent.name
    return parent or PurePath(path).name.lstrip(".")


@dataclass(frozen=True)
class Place:
    """A folder a tool reads agent files from (relative to the repository root)."""

    folder: str
    ending: str = ".md"
    recursive: bool = False


@dataclass(frozen=True)
class Format:
    name: str
    title: str  # for people: "Claude Code subagent"
    fields: tuple[Field, ...]
    # Keys the format documents but agentkit keeps as passthrough rather than modelling.
    other_keys: frozenset[str] = frozenset()
    default_name: Callable[[str], str] = stem_without(".md")
    suffix: str = ".md"  # file name ending when written
    examples_in_description: bool = False  # Claude keeps <example> blocks inside `description`
    required: tuple[str, ...] = ()  # frontmatter keys the tool requires
    name_pattern: re.Pattern[str] | None = None  # what the tool accepts as `name`
    name_rule: str = ""  # the rule above, for people
    body_limit: int | None = None  # characters
    description_limit: int | None = 1024
    aliases: tuple[str, ...] = field(default=())  # other names accepted by --from
    # Where `export` writes it, relative to the output root; None: not an export target.
    directory: str | None = None
    # Vocabularies for tools and models ("claude", "copilot", "cursor"); "readonly" for Cursor's flag.
    tool_vocab: str | None = None
    model_vocab: str | None = None
    one_line_description: bool = False  # the tool's parser takes single-line scalars only
    header: Mapping[str, Any] = field(default_factory=dict)  # fixed keys written first (format marker)
    colors: frozenset[str] | None = None  # the palette the tool accepts, where it has one
    # Passthrough keys that give or take away capabilities, with their role for agentkit.permissions:
    # "mcp" (servers the agent brings), "hooks" (commands run on events), "infer" (legacy invocation
    # switch), "user" (legacy user-invocation flag). Never translated to another format: dropped there.
    permission_keys: Mapping[str, str] = field(default_factory=dict)

    # How a file of this format is told (agentkit.formats.detect; the most specific match wins):
    # - `file_names`: names that decide alone, lower case: exact (`copilot-instructions.md`) or a suffix
    #   (`*.agent.md`);
    # - `places`: folders the tool reads, with the name ending it reads there (`.claude/agents` and
    #   `.md`; `recursive`: its subfolders too); `init` imports from the places of agent formats;
    # - `signals`: frontmatter keys only this format uses, and `signal_test` for a subtler shape;
    #   formats are asked in `signal_rank` order (lower first) when neither name nor folder decides.
    file_names: tuple[str, ...] = ()
    places: tuple[Place, ...] = ()
    signals: frozenset[str] = frozenset()
    signal_test: Callable[[Mapping[str, Any]], bool] | None = None
    signal_rank: int = 50
    # What a file of this format is: "agent" (converted freely), "rules" (instructions without
    # identity), or what agentkit reads and checks but never turns into an agent ("skill", "command",
    # "prompt", "foreign-agent": another tool's agent whose tools agentkit cannot map safely).
    kind: str = "agent"
    names_yield: bool = False  # True: frontmatter in another format's agent folder outweighs `file_names`
    default_target: bool = False  # written by `sync`/`init` when an agent names no formats
    successor: str | None = None  # the format `sync` writes for a file of this (legacy) format
    subagents_in_tools: bool = False  # the tool list names callable subagents (`Agent(a, b)`)
    # Checks only this format needs (name rules, model vocabulary): (agent, format, key lines) -> findings.
    checks: tuple[Callable[..., list[Any]], ...] = ()
    rejects_unknown_keys: bool = False  # the tool refuses a file with a key it does not know (Gemini CLI)
    lint_kinds: frozenset[str] = frozenset()  # findings `lint` reports for this format besides hidden characters
    body_key: str | None = None  # for a file that is all keys (Codex's TOML): the key that holds the instructions
    # A file syntax other than Markdown with frontmatter: (text, path) -> the parsed file as the generic
    # reader takes it; (frontmatter mapping, body, origin or None) -> (text, the mapping it reads back to).
    parse_text: Callable[[str, str], Any] | None = None
    render_text: Callable[[dict[str, Any], str, Any], tuple[str, dict[str, Any]]] | None = None
    # Passthrough keys export must write for what the agent may not do, where the format says it in
    # a key of its own (Codex's `web_search = "disabled"`): (may it search the web) -> keys.
    permission_passthrough: Callable[[bool], dict[str, Any]] | None = None
    comment: tuple[str, str] = ("<!--", "-->")  # how the file writes a comment (sync's marker line)

    @property
    def is_agent(self) -> bool:
        """An agent carries its own name, model and tools; rules, skills, commands and prompts do not."""
        return self.kind in ("agent", "foreign-agent")

    @property
    def convertible(self) -> bool:
        """Export, convert, merge, init and sync may turn a file of this format into an agent."""
        return self.kind in ("agent", "rules")

    def supports(self, attr: str) -> bool:
        """The format documents a key for this Agent attribute."""
        return any(attr in (f.attr, f.also) and f.documented for f in self.fields)

    @property
    def known_keys(self) -> frozenset[str]:
        body = frozenset({self.body_key}) if self.body_key else frozenset()
        return frozenset(f.key for f in self.fields if f.documented) | self.other_keys | frozenset(self.header) | body
