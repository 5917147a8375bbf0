"""Agent Skills (`SKILL.md` in a folder named like the skill; agentskills.io/specification, checked
against formats-update.md 2026-12-02). A skill is not an agent: agentkit reads and checks it, and
refuses to export, convert, merge or sync it into one."""

from __future__ import annotations

import re
from pathlib import PurePath

from agentkit.formats.base import Format, parent_dir_name
from agentkit.formats.fields import Field, as_str, identity
from agentkit.model import Agent, Finding

NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NAME_LIMIT = 64
COMPATIBILITY_LIMIT = 500


def _spec_rules(agent: Agent, fmt: Format, key_lines: dict[str, int]) -> list[Finding]:
    """The Agent Skills rules the generic checks do not know: the name is its folder's, at most 64
    characters; `compatibility` at most 500."""
    found: list[Finding] = []
    name, line = agent.name, key_lines.get("name")
    folder = PurePath(agent.path).parent.name if agent.path else ""
    if name and len(name) > NAME_LIMIT:
        found.append(Finding("bad-name", f"skill name is {len(name)} characters; the Agent Skills limit is {NAME_LIMIT}", line))
    if name and folder and name != folder:
        found.append(Finding("skill-folder", f"skill name {name!r} differs from its folder {folder!r}; tools load the skill by its folder", line))
    compatibility = agent.passthrough.get(fmt.name, {}).get("compatibility")
    if isinstance(compatibility, str) and len(compatibility) > COMPATIBILITY_LIMIT:
        found.append(Finding("long-compatibility", f"compatibility is {len(compatibility)} characters (limit {COMPATIBILITY_LIMIT})",
                             key_lines.get("compatibility")))
    return found


SKILL = Format(
    name="skill",
    title="Agent Skill",
    fields=(
        Field("name", "name", as_str, identity),
        Field("description", "description", as_str, identity),
    ),
    # The specification's optional keys, and the ones Claude Code adds to skills (code.claude.com/docs/en/skills).
    other_keys=frozenset({
        "license", "compatibility", "metadata", "allowed-tools", "model", "disable-model-invocation",
        "user-invocable", "argument-hint", "context", "agent", "hooks", "version",
    }),
    default_name=parent_dir_name,
    required=("name", "description"),
    name_pattern=NAME,
    name_rule="lowercase letters, digits and single hyphens, at most 64 characters",
    description_limit=1024,
    kind="skill",
    file_names=("skill.md",),
    names_yield=True,  # `.claude/agents/skill.md` with frontmatter is an agent named skill
    checks=(_spec_rules,),
    # `lint` holds skills to the specification (agents get these as inspect warnings only).
    lint_kinds=frozenset({"bad-name", "skill-folder", "long-compatibility", "long-description", "missing-key"}),
)
