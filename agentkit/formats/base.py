"""What a format is: its field table and the few facts that differ between tools.

Formats are data, not subclasses: one generic reader and writer (agentkit.reader / agentkit.writer)
work from a `Format` record, so adding a format is one module that builds one of these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Callable

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

    @property
    def known_keys(self) -> frozenset[str]:
        return frozenset(f.key for f in self.fields if f.documented) | self.other_keys
