"""Tool and model name tables: data in one place, used by checks, export and diff.

Claude Code tool names are the pivot: every tool name is first put into Claude's vocabulary (where it
has an equivalent), then written in the target's. A name with no equivalent is dropped, never
replaced by something broader: an agent must never gain permissions in translation.
Sources: ../shared/reference/formats.md §3.5, §4.7, §4.8, §7 and §10.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# ---------------------------------------------------------------------------------------------- tools

CLAUDE_TOOLS = frozenset({
    "Read", "Write", "Edit", "MultiEdit", "Glob", "Grep", "Bash", "PowerShell", "NotebookEdit",
    "NotebookRead", "WebFetch", "WebSearch", "TodoWrite", "Agent", "Task", "Skill", "ToolSearch",
    "EnterWorktree", "ExitWorktree", "Monitor", "TaskStop", "SendMessage", "Artifact",
    "AskUserQuestion", "EnterPlanMode", "ExitPlanMode", "LS", "BashOutput", "KillBash", "KillShell",
    "SlashCommand",
})

# Tools that only look: a set made of these is "read-only" (Cursor's `readonly: true`).
READ_ONLY_TOOLS = frozenset({"Read", "Grep", "Glob", "LS", "NotebookRead", "WebFetch", "WebSearch"})
# What Cursor's `readonly: true` stands for when written back as an allowlist.
READ_ONLY_CLAUDE = ("Read", "Grep", "Glob", "WebFetch", "WebSearch")
READ_ONLY_COPILOT = ("read", "search", "web")

# Copilot's portable aliases (GitHub's spec'd aliases, formats.md §4.7/4.8) and the Claude tools each
# one grants. An alias is written only when the source grants all of its Claude tools: `edit` for a
# source that had only `Edit` would add `Write`. Part of a group is written in VS Code's fine-grained
# names (github.com and the CLI ignore those: narrower, never wider), or left out where none exists.
COPILOT_ALIASES: dict[str, frozenset[str]] = {
    "read": frozenset({"Read"}),
    "search": frozenset({"Grep", "Glob"}),
    "edit": frozenset({"Edit", "Write"}),
    "execute": frozenset({"Bash"}),
    "web": frozenset({"WebFetch", "WebSearch"}),
    "todo": frozenset({"TodoWrite"}),
    "agent": frozenset({"Agent"}),
}
CLAUDE_TO_FINE: dict[str, str] = {
    "Grep": "search/textSearch",
    "Glob": "search/fileSearch",
    "Edit": "edit/editFiles",
    "Write": "edit/createFile",
    "NotebookEdit": "edit/editNotebook",
    "WebFetch": "web/fetch",
}
# Claude names that grant the same as another: folded before mapping.
CLAUDE_SYNONYMS = {"Task": "Agent", "MultiEdit": "Edit", "NotebookRead": "Read", "LS": "Read", "PowerShell": "Bash"}
CLAUDE_CORE = ("Read", "Grep", "Glob", "Edit", "Write", "NotebookEdit", "Bash", "WebFetch", "WebSearch", "TodoWrite", "Agent")

# Copilot alias or namespaced tool -> the Claude tools that grant the same (formats.md §10).
COPILOT_TO_CLAUDE: dict[str, tuple[str, ...]] = {
    "read": ("Read",), "read/readfile": ("Read",), "notebookread": ("Read",),
    "search": ("Grep", "Glob"), "search/codebase": ("Grep", "Glob"), "search/textsearch": ("Grep",),
    "search/filesearch": ("Glob",), "search/listdirectory": ("Glob",), "codebase": ("Grep", "Glob"),
    "edit": ("Edit", "Write"), "edit/editfiles": ("Edit",), "edit/createfile": ("Write",),
    "edit/createdirectory": ("Write",), "edit/editnotebook": ("NotebookEdit",), "editfiles": ("Edit",),
    "createfile": ("Write",), "createdirectory": ("Write",),
    "execute": ("Bash",), "shell": ("Bash",), "runcommands": ("Bash",), "execute/runinterminal": ("Bash",),
    "execute/getterminaloutput": ("Bash",), "runinterminal": ("Bash",),
    "web": ("WebFetch", "WebSearch"), "web/fetch": ("WebFetch",), "fetch": ("WebFetch",),
    "todo": ("TodoWrite",), "todos": ("TodoWrite",),
    "agent": ("Agent",), "agent/runsubagent": ("Agent",), "runsubagent": ("Agent",), "custom-agent": ("Agent",),
    # OpenCode's lowercase tool names (its `tools:` boolean map / `permission` keys).
    "grep": ("Grep",), "glob": ("Glob",), "list": ("Glob",), "bash": ("Bash",), "write": ("Write",),
    "patch": ("Edit",), "webfetch": ("WebFetch",), "websearch": ("WebSearch",), "todowrite": ("TodoWrite",),
    "task": ("Agent",),
}

# Copilot's pre-namespacing (2025) tool names and what VS Code renamed them to (formats.md §4.7: the
# verified pairs and those consistent with the tool sets), so that old and new spellings compare equal.
COPILOT_LEGACY = {
    "problems": "read/problems", "changes": "search/changes", "testfailure": "execute/testFailure",
    "fetch": "web/fetch", "githubrepo": "web/githubRepo", "editfiles": "edit/editFiles",
    "createfile": "edit/createFile", "createdirectory": "edit/createDirectory", "todos": "todo",
    "runsubagent": "agent/runSubagent", "runcommands": "execute", "codebase": "search/codebase",
    "usages": "search/usages", "terminallastcommand": "read/terminalLastCommand",
    "terminalselection": "read/terminalSelection", "vscodeapi": "vscode/VSCodeAPI", "extensions": "vscode/extensions",
}

# Copilot tool sets that are not MCP servers: `read/problems` is VS Code's, not a server called `read`.
COPILOT_TOOLSETS = frozenset({
    "read", "search", "edit", "execute", "web", "agent", "todo", "vscode", "browser", "new",
    "runnotebooks", "runtasks", "runcommands",
})

_CLAUDE_PATTERN = re.compile(r"^(?P<tool>[A-Z][A-Za-z]+)(?:\((?P<args>.*)\))?$")


def is_claude_tool(name: str) -> bool:
    """Claude's vocabulary: CamelCase built-ins (with optional argument patterns) and `mcp__` tools."""
    if name.startswith("mcp__"):
        return True
    match = _CLAUDE_PATTERN.match(name)
    return bool(match) and match.group("tool") in CLAUDE_TOOLS


@dataclass(frozen=True)
class ToolMapping:
    tools: tuple[str, ...]  # the names in the target vocabulary, in source order, deduplicated
    dropped: tuple[str, ...]  # source names with no equivalent that is not broader


def _dedupe(names: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def to_claude(names: tuple[str, ...]) -> ToolMapping:
    """Any tool names (Claude's or Copilot's) -> Claude tool names."""
    out, dropped = [], []
    for name in names:
        if is_claude_tool(name):
            out.append(name)  # `Task` stays: older Claude Code versions know only that spelling
            continue
        name = COPILOT_LEGACY.get(name.lower(), name)  # one spelling per tool, the current one
        key = name.lower()
        if key in COPILOT_TO_CLAUDE:
            out.extend(COPILOT_TO_CLAUDE[key])
        elif "/" in key and key.split("/", 1)[0] not in COPILOT_TOOLSETS and "." not in key.split("/", 1)[0]:
            server, tool = name.split("/", 1)
            out.append(f"mcp__{server}" if tool == "*" else f"mcp__{server}__{tool}")
        else:
            dropped.append(name)
    return ToolMapping(_dedupe(out), _dedupe(dropped))


def to_copilot(names: tuple[str, ...]) -> ToolMapping:
    """Any tool names -> Copilot tools: aliases for whole groups, fine-grained names for parts."""
    out, dropped, granted = [], [], []
    for name in names:
        if not is_claude_tool(name):
            out.append(name)  # already Copilot's (an alias, a namespaced tool or an MCP `server/tool`)
        elif name.startswith("mcp__"):
            parts = name.split("__")
            out.append(f"{parts[1]}/{parts[2] if len(parts) > 2 and parts[2] else '*'}")
        elif _CLAUDE_PATTERN.match(name).group("args") is not None:  # type: ignore[union-attr]
            dropped.append(name)  # `Bash(git:*)`: Copilot has no argument patterns; `execute` would allow every command
        else:
            granted.append(CLAUDE_SYNONYMS.get(name, name))
    have = set(granted)
    for name in granted:  # in source order, each alias where its first member stood
        alias = next((a for a, members in COPILOT_ALIASES.items() if name in members), None)
        if alias and COPILOT_ALIASES[alias] <= have:
            out.append(alias)
        elif name in CLAUDE_TO_FINE:
            out.append(CLAUDE_TO_FINE[name])
        else:
            dropped.append(name)
    return ToolMapping(_dedupe(out), tuple(dict.fromkeys(dropped)))


def allow_all_but(denied: tuple[str, ...]) -> tuple[str, ...]:
    """Claude's core tools minus a denylist: how `disallowedTools` is held by a target without one."""
    blocked = {CLAUDE_SYNONYMS.get(t, t) for t in to_claude(denied).tools}
    return tuple(t for t in CLAUDE_CORE if t not in blocked)


def is_read_only(names: tuple[str, ...]) -> bool:
    mapped = to_claude(names)
    return not mapped.dropped and all(_CLAUDE_PATTERN.match(t) and t in READ_ONLY_TOOLS for t in mapped.tools)


# --------------------------------------------------------------------------------------------- models

CLAUDE_MODEL_ALIASES = frozenset({"sonnet", "opus", "haiku", "fable", "inherit"})
CLAUDE_FAMILIES = ("haiku", "sonnet", "opus", "fable")
# Current ids put the family first (`claude-opus-5`, `claude-sonnet-4-20250514`); only Claude 3.x ids
# put the version first (`claude-3-5-sonnet-20241022`). `claude-4-5-opus` is a Cursor-style id.
_CLAUDE_ID = re.compile(
    r"^claude-(?:(?:opus|sonnet|haiku|fable)-\d+(?:-\d+)?|3(?:-\d)?-(?:opus|sonnet|haiku))(?:-\d{8})?$"
)

CLAUDE_COLORS = frozenset({"red", "blue", "green", "yellow", "purple", "orange", "pink", "cyan"})
# Colours outside the palette, as older lists and hand-written files have them -> the nearest one.
COLOR_SYNONYMS = {
    "magenta": "pink", "violet": "purple", "indigo": "blue", "navy": "blue", "teal": "cyan",
    "turquoise": "cyan", "lime": "green", "amber": "orange", "gold": "yellow", "brown": "orange",
    "crimson": "red", "rose": "pink", "fuchsia": "pink", "sky": "cyan",
}

# What each Claude alias is written as where a tool needs a concrete model (formats.md §7.3,
# Aug 2026). Aliases move; this table is the one place to update.
ALIAS_TO_COPILOT = {
    "haiku": "Claude Haiku 4.5 (copilot)",
    "sonnet": "Claude Sonnet 4.6 (copilot)",
    "opus": "Claude Opus 4.8 (copilot)",
    "fable": "Claude Fable 5 (copilot)",
}
ALIAS_TO_CURSOR = {
    "haiku": "claude-haiku-4-5",
    "sonnet": "claude-sonnet-4-6",
    "opus": "claude-opus-4-8",
    "fable": "claude-fable-5",
}


def is_claude_model(model: str) -> bool:
    return model in CLAUDE_MODEL_ALIASES or bool(_CLAUDE_ID.match(model))


def claude_family(model: str) -> str | None:
    """`claude-4-5-opus`, `Claude Opus 4.5 (copilot)`, `claude-sonnet-4.6` -> opus / sonnet."""
    match = re.search(r"(opus|sonnet|haiku|fable)", model.lower())
    return match.group(1) if match else None


@dataclass(frozen=True)
class ModelName:
    """A model parsed out of any tool's spelling: vendor family, version and the rest."""

    family: str | None  # haiku/sonnet/opus/fable for Claude models
    version: str | None  # "4.5", "5", "4" (dotted)
    date: str | None  # Anthropic snapshot date, kept only for Claude ids
    alias: bool  # the source used a bare alias (`sonnet`), a moving target
    original: str


def parse_model(model: str) -> ModelName:
    text = re.sub(r"\s*\((?:copilot|[^)]*)\)\s*$", "", model.strip())  # `Claude Sonnet 4.5 (copilot)`
    lower = text.lower()
    if lower in CLAUDE_FAMILIES:
        return ModelName(lower, None, None, True, model)
    family = claude_family(lower)
    if family is None or "claude" not in lower and not lower.startswith(family):
        return ModelName(None, None, None, False, model)
    date = re.search(r"(\d{8})", lower)
    rest = lower.replace(date.group(1), "") if date else lower
    numbers = re.findall(r"\d+", rest.replace("claude", ""))
    bracket = re.search(r"\[.*\]$", rest)
    if bracket:
        numbers = re.findall(r"\d+", rest[: bracket.start()].replace("claude", ""))
    version = ".".join(numbers[:2]) if numbers else None
    return ModelName(family, version, date.group(1) if date else None, False, model)


def model_for(model: str, target: str) -> str | None:
    """`model` written for `target` ("claude", "copilot", "cursor"); None when there is no equivalent."""
    if model == "inherit":
        return None if target == "copilot" else "inherit"
    if target == "claude" and is_claude_model(model):
        return model
    parsed = parse_model(model)
    if parsed.family is None:
        # Not a Claude model: Claude Code cannot run it; Copilot and Cursor take their own spellings.
        if target == "claude":
            return None
        if target == "copilot":
            return model
        return re.sub(r"\s*\(copilot\)$", "", model).strip().lower().replace(" ", "-")
    if parsed.alias or parsed.version is None:
        return {"claude": parsed.family, "copilot": ALIAS_TO_COPILOT[parsed.family], "cursor": ALIAS_TO_CURSOR[parsed.family]}[target]
    dashed = parsed.version.replace(".", "-")
    if target == "claude":
        date = f"-{parsed.date}" if parsed.date else ""
        if parsed.version.startswith("3"):
            return f"claude-{dashed}-{parsed.family}{date}"  # Claude 3.x ids put the version first
        return f"claude-{parsed.family}-{dashed}{date}"
    if target == "copilot":
        return f"Claude {parsed.family.capitalize()} {parsed.version} (copilot)"
    return f"claude-{parsed.family}-{dashed}"


def same_model(a: str | None, b: str | None) -> bool:
    """Two model names mean the same model, across spellings (`claude-opus-4-5` = `Claude Opus 4.5 (copilot)`),
    or one is what the mapping table writes for the other (`sonnet` = `Claude Sonnet 4.6 (copilot)`)."""
    if a is None or b is None:
        return a == b
    if a == b:
        return True
    if any(model_for(x, t) == y for x, y in ((a, b), (b, a)) for t in ("claude", "copilot", "cursor")):
        return True
    pa, pb = parse_model(a), parse_model(b)
    if pa.family is None or pb.family is None:
        return a.strip().lower().removesuffix(" (copilot)") == b.strip().lower().removesuffix(" (copilot)")
    return (pa.family, pa.version, pa.alias) == (pb.family, pb.version, pb.alias)
