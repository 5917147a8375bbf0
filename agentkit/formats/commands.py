"""Prompt-like files: Claude Code custom commands (`.claude/commands/**/*.md`), OpenCode commands
(`.opencode/command(s)/**/*.md`, opencode.ai/docs/commands) and GitHub Copilot prompt files
(`*.prompt.md`, `.github/prompts/`) (formats.md §3.4, §4.6). They are run by a person
as a slash command, not delegated to as agents: agentkit reads and checks them and refuses to turn
them into agents."""

from __future__ import annotations

from agentkit.formats.base import Format, Place, stem_without
from agentkit.formats.fields import Field, as_str, identity

CLAUDE_COMMAND = Format(
    name="claude-command",
    title="Claude Code command",
    fields=(
        Field("description", "description", as_str, identity),
        Field("model", "model", as_str, identity),
    ),
    other_keys=frozenset({"argument-hint", "allowed-tools", "disable-model-invocation"}),
    description_limit=None,
    is_agent=False,
    kind="command",
    places=(Place(".claude/commands", recursive=True),),
)

COPILOT_PROMPT = Format(
    name="copilot-prompt",
    title="GitHub Copilot prompt file",
    fields=(
        Field("name", "name", as_str, identity),
        Field("description", "description", as_str, identity),
        Field("model", "model", as_str, identity),
    ),
    other_keys=frozenset({"argument-hint", "agent", "mode", "tools"}),
    default_name=stem_without(".prompt.md", ".md"),
    description_limit=None,
    is_agent=False,
    kind="prompt",
    file_names=("*.prompt.md",),
    places=(Place(".github/prompts", ".prompt.md"),),
    names_yield=True,
)

OPENCODE_COMMAND = Format(
    name="opencode-command",
    title="OpenCode command",
    fields=(
        Field("description", "description", as_str, identity),
        Field("model", "model", as_str, identity),
    ),
    other_keys=frozenset({"agent", "subtask", "template"}),
    description_limit=None,
    is_agent=False,
    kind="command",
    places=(Place(".opencode/command", recursive=True), Place(".opencode/commands", recursive=True)),
)
