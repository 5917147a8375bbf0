"""The one table of formats, and how a file's format is told from its path and frontmatter."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from agentkit.errors import AgentkitError
from agentkit.formats import canonical, claude, copilot, cursor, instructions
from agentkit.formats.base import Format

FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        claude.FORMAT,
        copilot.AGENT,
        copilot.CHATMODE,
        cursor.AGENT,
        cursor.RULE,
        instructions.COPILOT,
        instructions.PLAIN,
        instructions.GENERIC,
        canonical.FORMAT,
    )
}

_ALIASES = {alias: f.name for f in FORMATS.values() for alias in f.aliases}

# Keys only Copilot agents use: their presence outweighs a Claude-looking `name`/`description`.
_COPILOT_ONLY = {"argument-hint", "target", "mcp-servers", "user-invocable", "disable-model-invocation", "infer", "agents"}
_PLAIN_NAMES = {"agents.md", "claude.md", "gemini.md", "agents.override.md", "claude.local.md"}


# Files a folder scan passes over (a folder's notes, not agents): never written under these names either.
NOT_AGENT_NAMES = frozenset({"readme.md", "changelog.md", "license.md"})


def reads_back_as(path: str, fmt: str) -> bool:
    """True when a file of `fmt` written at `path` is read back as `fmt` and found by a folder scan: its
    name is not one another format claims (`claude.md` is Claude Code's memory file, `skill.md` a skill,
    `x.agent.md` a Copilot agent) unless the agent folder it sits in decides, as for
    `.claude/agents/claude.md`; and not one a scan passes over (`readme.md`)."""
    if PurePath(path).name.lower() in NOT_AGENT_NAMES:
        return False
    by_path = detect_from_path(path)
    return by_path in (None, fmt) or by_path in ("agents-md", "markdown") and _agent_folder(path) == fmt


def get(name: str) -> Format:
    key = _ALIASES.get(name.lower(), name.lower())
    if key not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise AgentkitError("unknown-format", f"unknown format {name!r} (known: {known})")
    return FORMATS[key]


def detect_from_path(path: str) -> str | None:
    """The format a path alone decides, or None when the content has to tell."""
    posix = "/" + PurePath(path).as_posix().lower()
    base = posix.rsplit("/", 1)[-1]
    if base.endswith(".agentkit.md"):
        return "agentkit"
    if base.endswith(".agent.md"):
        return "copilot"
    if base.endswith(".chatmode.md"):
        return "copilot-chatmode"
    if base.endswith(".instructions.md") or base == "copilot-instructions.md":
        return "copilot-instructions"
    if base.endswith(".mdc") or base == ".cursorrules":
        return "cursor-rule"
    if base in _PLAIN_NAMES:
        return "agents-md"
    if base == "skill.md" or base.endswith(".prompt.md") or "/.opencode/" in posix:
        return "markdown"  # skills, prompt files and OpenCode agents: not agents of the three tools
    if not base.endswith(".md"):
        return None
    if "/.cursor/agents/" in posix:
        return "cursor"
    if "/.claude/agents/" in posix:
        return "claude"
    if "/.github/agents/" in posix:
        return "copilot"
    if "/.cursor/rules/" in posix:
        return "cursor-rule"
    return None


def detect_from_content(data: Mapping[str, Any] | None) -> str:
    if data is None:
        return "agents-md"
    keys = set(map(str, data))
    if "agentkit" in keys:
        return "agentkit"
    if keys & {"globs", "alwaysApply"}:
        return "cursor-rule"
    if "applyTo" in keys:
        return "copilot-instructions"
    if keys & {"readonly", "is_background"}:
        return "cursor"
    if isinstance(data.get("tools"), dict) or keys & {"mode", "temperature", "permission", "permissions"}:
        return "markdown"  # OpenCode agents: boolean tool maps, modes, sampling settings
    tools = data.get("tools")
    copilot_tools = isinstance(tools, list) and any(isinstance(t, str) and ("/" in t or t.islower()) for t in tools)
    if keys & _COPILOT_ONLY or copilot_tools:
        return "copilot"
    if {"name", "description"} <= keys:
        return "claude"
    return "markdown"


def _agent_folder(path: str) -> str | None:
    posix = "/" + PurePath(path).as_posix().lower()
    return next((fmt for folder, fmt in _AGENT_FOLDERS if folder in posix), None)


_AGENT_FOLDERS = (("/.cursor/agents/", "cursor"), ("/.claude/agents/", "claude"), ("/.github/agents/", "copilot"))


def detect(path: str, data: Mapping[str, Any] | None) -> str:
    """The path decides, then the frontmatter; but two things outweigh a file name: agentkit's own
    `agentkit:` key, and frontmatter in an agent folder. So an agent named `claude`, `agents`, `skill`
    or `readme` reads back as what it was written as (`.claude/agents/claude.md` is a Claude subagent
    to Claude Code; only without frontmatter is it that folder's notes)."""
    if data is not None and "agentkit" in map(str, data):
        return "agentkit"
    by_path = detect_from_path(path)
    if data is not None and by_path in ("agents-md", "markdown"):
        by_path = _agent_folder(path) or by_path
    return by_path or detect_from_content(data)
