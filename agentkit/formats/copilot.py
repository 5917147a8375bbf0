"""GitHub Copilot custom agents (`*.agent.md`) and legacy chat modes (`*.chatmode.md`) (reference §4.1, §4.3)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from agentkit.formats.base import Format, Place, stem_without
from agentkit.formats.fields import (
    Field,
    as_bool,
    as_handoffs,
    as_inverted_bool,
    as_list,
    as_model,
    as_str,
    copilot_handoffs_yaml,
    handoff_gaps,
    identity,
    inverted,
    yaml_list,
)

FIELDS = (
    Field("name", "name", as_str, identity),
    Field("description", "description", as_str, identity),
    Field("tools", "tools", as_list, yaml_list, empty_means_none=True, strict=True),
    Field("model", "model", as_model, identity),
    Field("handoffs", "handoffs", as_handoffs, copilot_handoffs_yaml, notice=handoff_gaps),
    Field("triggers", "triggers", as_list, yaml_list, documented=False),
    Field("color", "color", as_str, identity, documented=False),
    Field("skills", "skills", as_list, yaml_list, documented=False),
    Field("background", "background", as_bool, identity, documented=False),
    # Last: written after the keys above, where files have them (issue 15 keeps the author's order).
    Field("agents", "subagents", as_list, yaml_list, empty_means_none=True, strict=True),
    Field("user-invocable", "user_invocable", as_bool, identity, strict=True),
    Field("disable-model-invocation", "model_invocable", as_inverted_bool, inverted, strict=True),
)

OTHER_KEYS = frozenset({
    "target", "argument-hint", "infer", "mcp-servers", "metadata", "hooks", "user-invokable", "advancedOptions", "github",
})
PERMISSION_KEYS = {"mcp-servers": "mcp", "hooks": "hooks", "infer": "infer", "user-invokable": "user"}

# Keys only Copilot agents use: their presence outweighs a Claude-looking `name`/`description`.
_ONLY_COPILOT = frozenset({"argument-hint", "target", "mcp-servers", "user-invocable", "disable-model-invocation", "infer", "agents"})


def _copilot_tools(data: Mapping[str, Any]) -> bool:
    """A tool list in Copilot's spelling: lower-case names or `server/tool` (Claude's are CamelCase)."""
    tools = data.get("tools")
    return isinstance(tools, list) and any(isinstance(t, str) and ("/" in t or t.islower()) for t in tools)


AGENT = Format(
    name="copilot",
    title="GitHub Copilot custom agent",
    fields=FIELDS,
    other_keys=OTHER_KEYS,
    default_name=stem_without(".agent.md", ".md"),
    suffix=".agent.md",
    required=("description",),
    # github.com: the file name (the agent id) may contain only these characters.
    name_pattern=re.compile(r"^[A-Za-z0-9._ -]+$"),
    name_rule="letters, digits, '.', '-', '_' (the file name becomes the agent id on github.com)",
    body_limit=30_000,
    directory=".github/agents",
    tool_vocab="copilot",
    model_vocab="copilot",
    permission_keys=PERMISSION_KEYS,
    file_names=("*.agent.md",),
    places=(Place(".github/agents"),),
    signals=_ONLY_COPILOT,
    signal_test=_copilot_tools,
    signal_rank=60,
    default_target=True,
)

CHATMODE = Format(
    name="copilot-chatmode",
    title="GitHub Copilot chat mode (legacy)",
    fields=FIELDS,
    other_keys=OTHER_KEYS | {"title", "mode", "hidden"},
    default_name=stem_without(".chatmode.md", ".md"),
    suffix=".chatmode.md",
    body_limit=30_000,
    aliases=("chatmode",),
    tool_vocab="copilot",
    model_vocab="copilot",
    permission_keys=PERMISSION_KEYS,
    file_names=("*.chatmode.md",),
    places=(Place(".github/chatmodes", ".chatmode.md"),),
    successor="copilot",
)
