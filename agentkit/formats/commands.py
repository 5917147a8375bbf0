"""Prompt-like files: Claude Code custom commands (`.claude/commands/**/*.md`), OpenCode commands
(`.opencode/command(s)/**/*.md`, opencode.ai/docs/commands) and GitHub Copilot prompt files
(`*.prompt.md`, `.github/prompts/`) (formats.md §3.4, §4.6). They are run by a person
as a slash command, not delegated to as agents: agentkit reads and checks them and refuses to turn
them into agents."""

from __future__ import annotations

from agentkit.formats.base import Format, Place, stem_without
from agentkit.formats.fields import Field, as_str, identity


def _command(name: str, title: str, other_keys: frozenset[str], *places: Place) -> Format:
    """A slash command's file: a description and a model read, the rest passed through."""
    return Format(
        name=name,
        title=title,
        fields=(
            Field("description", "description", as_str, identity),
            Field("model", "model", as_str, identity),
        ),
        other_keys=other_keys,
        description_limit=None,
        kind="command",
        places=places,
    )


CLAUDE_COMMAND = _command("claude-command", "Claude Code command", frozenset({"argument-hint", "allowed-tools", "disable-model-invocation"}),
                          Place(".claude/commands", recursive=True))
OPENCODE_COMMAND = _command("opencode-command", "OpenCode command", frozenset({"agent", "subtask", "template"}),
                            Place(".opencode/command", recursive=True), Place(".opencode/commands", recursive=True))

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
    kind="prompt",
    file_names=("*.prompt.md",),
    places=(Place(".github/prompts", ".prompt.md"),),
    names_yield=True,
)
