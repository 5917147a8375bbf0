"""Tool and model name tables: data in one place, used by checks now and by export and diff later."""

from __future__ import annotations

import re

CLAUDE_MODEL_ALIASES = frozenset({"sonnet", "opus", "haiku", "fable", "inherit"})
# Current ids put the family first (`claude-opus-5`, `claude-sonnet-4-20250514`); only Claude 3.x ids
# put the version first (`claude-3-5-sonnet-20241022`). `claude-4-5-opus` is a Cursor-style id.
_CLAUDE_ID = re.compile(
    r"^claude-(?:(?:opus|sonnet|haiku|fable)-\d+(?:-\d+)?|3(?:-\d)?-(?:opus|sonnet|haiku))(?:-\d{8})?$"
)

CLAUDE_COLORS = frozenset({"red", "blue", "green", "yellow", "purple", "orange", "pink", "cyan"})

CLAUDE_TOOLS = frozenset({
    "Read", "Write", "Edit", "MultiEdit", "Glob", "Grep", "Bash", "PowerShell", "NotebookEdit",
    "NotebookRead", "WebFetch", "WebSearch", "TodoWrite", "Agent", "Task", "Skill", "ToolSearch",
    "EnterWorktree", "ExitWorktree", "Monitor", "TaskStop", "SendMessage", "Artifact",
    "AskUserQuestion", "EnterPlanMode", "ExitPlanMode", "LS", "BashOutput", "KillBash", "KillShell",
    "SlashCommand",
})


def is_claude_model(model: str) -> bool:
    return model in CLAUDE_MODEL_ALIASES or bool(_CLAUDE_ID.match(model))


def claude_family(model: str) -> str | None:
    """`claude-4-5-opus`, `Claude Opus 4.5 (copilot)`, `claude-sonnet-4.6` -> opus / sonnet."""
    match = re.search(r"(opus|sonnet|haiku|fable)", model.lower())
    return match.group(1) if match else None
