"""Gemini CLI subagents: `.gemini/agents/*.md` (google-gemini/gemini-cli docs/core/subagents.md;
formats.md §6.3 and formats-update.md, checked 2026-12-02). Gemini CLI rejects unknown keys.

Checked against google-gemini/gemini-cli@5411f113 packages/core/src/agents/agentLoader.ts (2026-12-05):
top-level `*.md` only, frontmatter required, unknown keys reject the file. Read, checked and converted
from, with Gemini's tool names (`read_file`, `run_shell_command`, `*`, `mcp_*`) mapped through the
permission model, and written: only keys the loader accepts (other tools' keys are dropped and said),
tools in Gemini's names where one grants no more than the agent may do."""

from __future__ import annotations

import re

from agentkit.formats.base import Format, Place
from agentkit.formats.fields import Field, as_list, as_str, identity, yaml_list

FORMAT = Format(
    name="gemini",
    title="Gemini CLI subagent",
    fields=(
        Field("name", "name", as_str, identity),
        Field("description", "description", as_str, identity),
        Field("tools", "tools", as_list, yaml_list, empty_means_none=True, strict=True),
        Field("model", "model", as_str, identity),
    ),
    # `mcp_servers` is what the loader accepts (its schema is strict: any other key rejects the file);
    # its documentation shows `mcpServers`, which the loader rejects: kept, and warned about.
    other_keys=frozenset({"kind", "display_name", "mcp_servers", "temperature", "max_turns", "timeout_mins"}),
    required=("name", "description"),
    name_pattern=re.compile(r"^[a-z0-9_-]+$"),
    name_rule="lowercase letters, digits, '-' and '_'",
    description_limit=None,
    tool_vocab="gemini",
    permission_keys={"mcp_servers": "mcp", "mcpServers": "mcp"},
    places=(Place(".gemini/agents"),),
    directory=".gemini/agents",
    model_vocab="gemini",
    signals=frozenset({"max_turns", "timeout_mins"}),
    signal_rank=35,
    rejects_unknown_keys=True,
)
