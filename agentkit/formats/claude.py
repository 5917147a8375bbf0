"""Claude Code subagents: `.claude/agents/*.md` (reference §3.1)."""

from __future__ import annotations

import re

from agentkit import vocab
from agentkit.formats.base import Format, Place
from agentkit.formats.fields import (
    Field,
    as_bool,
    as_handoffs,
    as_list,
    as_str,
    comma_text,
    handoffs_yaml,
    identity,
    yaml_list,
)
from agentkit.model import Agent, Finding


def _name_check(agent: Agent, fmt: Format, key_lines: dict[str, int]) -> list[Finding]:
    name = agent.name
    if name and (":" in name or name.startswith("-")):
        return [Finding("bad-name", f"name {name!r} contains ':' or starts with '-': Claude Code skips this file", key_lines.get("name"))]
    return []


def _model_check(agent: Agent, fmt: Format, key_lines: dict[str, int]) -> list[Finding]:
    if not agent.model or vocab.is_claude_model(agent.model):
        return []
    family = vocab.claude_family(agent.model)
    hint = f"; did you mean `{family}`?" if family else ""
    return [Finding("unknown-model", f"model `{agent.model}` is not a Claude Code alias or model id{hint}", key_lines.get("model"))]


FORMAT = Format(
    name="claude",
    title="Claude Code subagent",
    fields=(
        Field("name", "name", as_str, identity),
        Field("description", "description", as_str, identity),
        Field("tools", "tools", as_list, comma_text, empty_means_none=True, strict=True),
        Field("disallowedTools", "disallowed_tools", as_list, comma_text, empty_means_none=True, strict=True),
        Field("model", "model", as_str, identity),
        Field("color", "color", as_str, identity),
        Field("skills", "skills", as_list, yaml_list),
        Field("background", "background", as_bool, identity),
        # Not Claude Code keys, but Copilot-flavoured Claude files carry them (seed 002).
        Field("handoffs", "handoffs", as_handoffs, handoffs_yaml, documented=False),
        Field("triggers", "triggers", as_list, yaml_list, documented=False),
        # Last: written where files have it, after the keys above (issue 15 keeps the author's order).
        Field("permissionMode", "permission_mode", as_str, identity, strict=True),
    ),
    # Documented subagent keys agentkit does not model (code.claude.com/docs/en/sub-agents, "Supported
    # frontmatter fields", checked 2026-12-05). `omitClaudeMd` (start without the CLAUDE.md hierarchy,
    # v2.1.271) is known only from formats-update.md's secondary sources: tolerated, not warned about.
    other_keys=frozenset({
        "maxTurns", "mcpServers", "hooks", "memory", "effort", "isolation",
        "initialPrompt", "experimental", "omitClaudeMd",
    }),
    examples_in_description=True,
    required=("name", "description"),
    # Claude Code documents "lowercase letters and hyphens"; digits are common and accepted in practice.
    name_pattern=re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$"),
    name_rule="lowercase letters, digits and hyphens; no ':' and no leading '-'",
    directory=".claude/agents",
    colors=vocab.CLAUDE_COLORS,
    tool_vocab="claude",
    permission_keys={"mcpServers": "mcp", "hooks": "hooks"},
    model_vocab="claude",
    places=(Place(".claude/agents", recursive=True),),
    # The last resort of detection: a name and a description and nothing more specific.
    signal_test=lambda data: {"name", "description"} <= set(map(str, data)),
    signal_rank=90,
    default_target=True,
    subagents_in_tools=True,
    checks=(_name_check, _model_check),
)
