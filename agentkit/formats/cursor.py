"""Cursor subagents (`.cursor/agents/*.md`) and project rules (`*.mdc`, legacy `.cursorrules`) (reference §5)."""

from __future__ import annotations

import re

from agentkit.formats.base import Format, Place, parent_dir_name, stem_without
from agentkit.formats.fields import Field, as_bool, as_list, as_str, cursor_globs, identity

AGENT = Format(
    name="cursor",
    title="Cursor subagent",
    fields=(
        Field("name", "name", as_str, identity),
        Field("description", "description", as_str, identity),
        Field("model", "model", as_str, identity),
        Field("readonly", "readonly", as_bool, identity, strict=True),
        Field("is_background", "background", as_bool, identity),
    ),
    # Disputed (formats.md §9.1): several guides and rulesync's schema require `name`; writing it is safe.
    required=("name", "description"),
    name_pattern=re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$"),
    name_rule="lowercase letters, digits and hyphens",
    aliases=("cursor-agent",),
    directory=".cursor/agents",
    tool_vocab="readonly",
    model_vocab="cursor",
    one_line_description=True,
    places=(Place(".cursor/agents"),),
    signals=frozenset({"readonly", "is_background"}),
    signal_rank=30,
    default_target=True,
)


def _rule_name(path: str) -> str:
    # A legacy `.cursorrules` file is named after the folder it configures.
    if path.replace("\\", "/").rsplit("/", 1)[-1] == ".cursorrules":
        return parent_dir_name(path)
    return stem_without(".mdc", ".md")(path)


RULE = Format(
    name="cursor-rule",
    title="Cursor project rule",
    fields=(
        Field("description", "description", as_str, identity),
        # Cursor reads the line as it stands: quotes become part of the pattern and a space after a comma
        # matches nothing (formats-update.md, "Cursor"). Not strict YAML, but what Cursor's editor writes.
        Field("globs", "globs", as_list, cursor_globs, verbatim=True),
        Field("alwaysApply", "always_apply", as_bool, identity),
    ),
    default_name=_rule_name,
    suffix=".mdc",
    description_limit=None,
    aliases=("mdc", "cursorrules"),
    directory=".cursor/rules",
    one_line_description=True,
    kind="rules",
    file_names=("*.mdc", ".cursorrules"),
    places=(Place(".cursor/rules", recursive=True),),
    signals=frozenset({"globs", "alwaysApply"}),
    signal_rank=10,
)
