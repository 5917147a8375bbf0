"""OpenCode agents: `.opencode/agents/**/*.md` or `.opencode/agent/**/*.md` (formats.md §6.6;
opencode.ai/docs/agents). The name comes from the file's path, not from a key.

Read, checked and converted from; not yet an export target: OpenCode allows every tool unless
`permission` denies it, so writing a restricted agent needs a deny for every tool it lacks, which is
not built yet (issue 19)."""

from __future__ import annotations

from pathlib import PurePath

from agentkit.formats.base import Format, Place
from agentkit.formats.fields import Field, as_denied_permissions, as_str, as_tool_map, identity


def _name_from_path(path: str) -> str:
    """OpenCode names an agent by its path under `agent/` or `agents/`, without `.md`: `review/security`
    (a `name` key, where a file has one, overrides it)."""
    parts = PurePath(path).parts
    for index in range(len(parts) - 1, -1, -1):
        if parts[index] in ("agent", "agents") and index > 0 and parts[index - 1] == ".opencode":
            inner = "/".join(parts[index + 1:])
            return inner[:-3] if inner.endswith(".md") else inner
    return PurePath(path).stem


FORMAT = Format(
    name="opencode",
    title="OpenCode agent",
    fields=(
        Field("name", "name", as_str, identity),  # overrides the path (the loader spreads the frontmatter over it)
        Field("description", "description", as_str, identity),
        Field("model", "model", as_str, identity),
        # `tools` (a map of tool -> true/false, deprecated) and `permission` (tool -> allow/ask/deny):
        # what is switched off or denied is denied; read in OpenCode's lower-case tool names.
        Field("tools", "tools", as_tool_map, list, empty_means_none=True, strict=True),
        Field("permission", "disallowed_tools", as_denied_permissions, list, strict=True),
    ),
    other_keys=frozenset({"mode", "temperature", "top_p", "prompt", "steps", "maxSteps", "hidden", "disable", "color", "variant"}),
    default_name=_name_from_path,
    required=("description",),
    description_limit=None,
    tool_vocab="any",
    places=(Place(".opencode/agents", recursive=True), Place(".opencode/agent", recursive=True)),
)
