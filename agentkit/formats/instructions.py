"""Instruction files: Copilot `*.instructions.md` / `copilot-instructions.md`, and plain Markdown
instruction files without agent metadata (AGENTS.md, CLAUDE.md, GEMINI.md) (reference §4.4, §4.5, §6.1)."""

from __future__ import annotations

from agentkit.formats.base import Format, parent_dir_name, stem_without
from agentkit.formats.fields import Field, as_denied_permissions, as_list, as_str, as_tool_map, comma_text, identity

COPILOT = Format(
    name="copilot-instructions",
    title="GitHub Copilot instructions",
    fields=(
        Field("name", "name", as_str, identity),
        Field("description", "description", as_str, identity),
        Field("applyTo", "globs", as_list, comma_text),
    ),
    other_keys=frozenset({"excludeAgent"}),
    default_name=stem_without(".instructions.md", ".md"),
    suffix=".instructions.md",
    description_limit=None,
    aliases=("instructions",),
    directory=".github/instructions",
    kind="rules",
    file_names=("*.instructions.md", "copilot-instructions.md"),
    signals=frozenset({"applyTo"}),
    signal_rank=20,
)


def _plain_name(path: str) -> str:
    # `AGENTS.md` names nothing by itself; the folder it sits in does.
    return parent_dir_name(path)


PLAIN = Format(
    name="agents-md",
    title="Plain Markdown instructions (AGENTS.md, CLAUDE.md, GEMINI.md)",
    fields=(),
    default_name=_plain_name,
    description_limit=None,
    aliases=("agents.md", "claude-md", "plain"),
    kind="rules",
    file_names=("agents.md", "claude.md", "gemini.md", "agents.override.md", "claude.local.md"),
    names_yield=True,
)

# Markdown with frontmatter from tools agentkit does not model one by one (OpenCode agents, SKILL.md,
# prompt files, rulesync rules): the common keys are read, every other key passes through.
GENERIC = Format(
    name="markdown",
    title="Markdown with frontmatter (generic)",
    fields=(
        Field("name", "name", as_str, identity),
        Field("description", "description", as_str, identity),
        Field("model", "model", as_str, identity),
        Field("tools", "tools", as_tool_map, list, empty_means_none=True, strict=True),
        Field("disallowedTools", "disallowed_tools", as_list, list, empty_means_none=True, strict=True),
        Field("permission", "disallowed_tools", as_denied_permissions, list, strict=True),
        Field("permissionMode", "permission_mode", as_str, identity, strict=True),
        Field("globs", "globs", as_list, comma_text),
        Field("paths", "globs", as_list, list),
    ),
    examples_in_description=True,
    description_limit=None,
    # Names from any tool (Claude's, Copilot's, OpenCode's lowercase ones): these files come from all of them.
    tool_vocab="any",
    permission_keys={"mcpServers": "mcp", "mcp-servers": "mcp", "hooks": "hooks"},
    # OpenCode-like agents met outside OpenCode's folders: boolean tool maps, modes, sampling settings.
    signals=frozenset({"mode", "temperature", "permission", "permissions"}),
    signal_test=lambda data: isinstance(data.get("tools"), dict),
    signal_rank=40,
)
