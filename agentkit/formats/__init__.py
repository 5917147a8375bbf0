"""The one table of formats, and how a file's format is told from its path and frontmatter."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from agentkit.errors import AgentkitError
from agentkit.formats import canonical, claude, codex, commands, copilot, cursor, foreign, gemini, instructions, opencode, skills
from agentkit.formats.base import Format, Place

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
        opencode.FORMAT,
        gemini.FORMAT,
        codex.FORMAT,
        skills.SKILL,
        commands.CLAUDE_COMMAND,
        commands.COPILOT_PROMPT,
        commands.OPENCODE_COMMAND,
        *foreign.FOREIGN,
    )
}

_ALIASES = {alias: f.name for f in FORMATS.values() for alias in f.aliases}

CANONICAL = canonical.FORMAT.name  # what merge writes and sync builds from
PLAIN = instructions.PLAIN.name  # Markdown without frontmatter
GENERIC = instructions.GENERIC.name  # Markdown with frontmatter no format claims
# What `sync` and `init` write when an agent names no formats, in this order.
DEFAULT_TARGETS = tuple(f.name for f in FORMATS.values() if f.default_target)
_BY_SIGNAL_RANK = sorted(FORMATS.values(), key=lambda f: f.signal_rank)  # the order content detection asks them in

# Files a folder scan passes over (a folder's notes, not agents): never written under these names either.
NOT_AGENT_NAMES = frozenset({"readme.md", "changelog.md", "license.md"})


def agent_places() -> list[tuple[str, Place]]:
    """(format, place) for every folder a tool reads agents from: what `init` imports."""
    return [(f.name, place) for f in FORMATS.values() if f.kind == "agent" for place in f.places]


def reads_back_as(path: str, fmt: str) -> bool:
    """True when a file of `fmt` written at `path` is read back as `fmt` and found by a folder scan: its
    name is not one another format claims (`claude.md` is Claude Code's memory file, `skill.md` a skill,
    `x.agent.md` a Copilot agent) unless the agent folder it sits in decides, as for
    `.claude/agents/claude.md`; and not one a scan passes over (`readme.md`)."""
    if PurePath(path).name.lower() in NOT_AGENT_NAMES:
        return False
    by_name, by_place = _by_name(path), _by_place(path)
    by_path = by_name or by_place
    return by_path in (None, fmt) or by_name is not None and FORMATS[by_name].names_yield and by_place == fmt


def get(name: str) -> Format:
    key = _ALIASES.get(name.lower(), name.lower())
    if key not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise AgentkitError("unknown-format", f"unknown format {name!r} (known: {known})")
    return FORMATS[key]


def names(where: str = "read") -> str:
    """The format names for help texts: every format ("read"), or those `export` writes ("write")."""
    chosen = [f for f in FORMATS.values() if where == "read" or f.directory is not None]
    return ", ".join(f.name for f in chosen)


def _posix(path: str) -> str:
    return "/" + PurePath(path).as_posix().lower()


def _name_matches(base: str, pattern: str) -> int:
    """How specific a match of a `file_names` pattern is (0: none): exact names beat suffixes, longer beat shorter."""
    if pattern.startswith("*"):
        return len(pattern) if base.endswith(pattern[1:]) and base != pattern[1:] else 0
    return 1000 + len(pattern) if base == pattern else 0


def _by_name(path: str) -> str | None:
    base = _posix(path).rsplit("/", 1)[-1]
    best = max(((max((_name_matches(base, p) for p in f.file_names), default=0), f.name) for f in FORMATS.values()), default=(0, ""))
    return best[1] if best[0] else None


def _by_place(path: str) -> str | None:
    """The format whose folder holds the file (the deepest folder wins: `.opencode/agent/` before `.opencode/`)."""
    posix = _posix(path)
    folder, base = posix.rsplit("/", 1)
    found: tuple[int, str] | None = None
    for f in FORMATS.values():
        for place in f.places:
            inside = "/" + place.folder.lower().strip("/") + "/"
            at = (folder + "/").rfind(inside)
            # A subfolder counts too (`recursive` is what `init` walks): a file there is still that tool's.
            if at < 0 or not base.endswith(place.ending) or base == place.ending:
                continue
            if found is None or len(inside) > found[0]:
                found = (len(inside), f.name)
    return found[1] if found else None


def detect_from_path(path: str) -> str | None:
    """The format a path alone decides, or None when the content has to tell."""
    return _by_name(path) or _by_place(path)


def detect_from_content(data: Mapping[str, Any] | None) -> str:
    if data is None:
        return PLAIN
    keys = set(map(str, data))
    for f in _BY_SIGNAL_RANK:
        if keys & f.signals or (f.signal_test is not None and f.signal_test(data)):
            return f.name
    return GENERIC


def detect(path: str, data: Mapping[str, Any] | None) -> str:
    """The path decides, then the frontmatter; but two things outweigh a file name: agentkit's own
    `agentkit:` key, and frontmatter in an agent folder. So an agent named `claude`, `agents`, `skill`
    or `readme` reads back as what it was written as (`.claude/agents/claude.md` is a Claude subagent
    to Claude Code; only without frontmatter is it that folder's notes)."""
    if data is not None and CANONICAL in map(str, data):
        return CANONICAL
    by_name = _by_name(path)
    if by_name is not None and not (data is not None and FORMATS[by_name].names_yield):
        return by_name
    return _by_place(path) or by_name or detect_from_content(data)
