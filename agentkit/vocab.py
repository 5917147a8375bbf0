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
#
# Checked 2026-12-02 (models 2026-12-05, below) against ../shared/reference/formats.md §3.5, §4.7, §4.8, §5 and formats-update.md
# (Claude Code tools reference; VS Code's own Claude-to-Copilot map in promptFileAttributes.ts; the Cursor
# staff answer on what `readonly` allows). Update the date with the tables.
#
# Every tool name of every vocabulary is read into *atoms*, the one vocabulary in which agentkit says what
# an agent may do (agentkit.permissions). An atom is
# - a Claude Code tool name (`Read`, `Bash`), the pivot, `Task` read as `Agent`;
# - a Claude argument pattern (`Bash(git:*)`), a part of its tool;
# - an MCP tool or server (`mcp__github__create_issue`, `mcp__github`), parts of `mcp` (every MCP tool);
# - a name only one vocabulary has, as `<vocabulary>:<name>` (`copilot:execute/getTerminalOutput`,
#   `claude:LSP` when unknown): written back only to that vocabulary, nowhere else.
# A target name is written only when every atom it grants is granted: never wider.

PIVOT = "claude"  # the vocabulary atoms are spelled in, and tool lists are shown to people in
ANY = "any"  # the canonical and generic formats: every vocabulary's names read, atoms written as they are
LIST_VOCABULARIES = frozenset({PIVOT, "copilot", ANY, "gemini"})  # tool-name lists (Cursor's is a read-only switch)

CLAUDE_TOOLS = frozenset({
    "Read", "Write", "Edit", "MultiEdit", "Glob", "Grep", "Bash", "PowerShell", "NotebookEdit",
    "NotebookRead", "WebFetch", "WebSearch", "TodoWrite", "Agent", "Task", "Skill", "ToolSearch",
    "EnterWorktree", "ExitWorktree", "Monitor", "TaskStop", "SendMessage", "Artifact",
    "AskUserQuestion", "EnterPlanMode", "ExitPlanMode", "LS", "BashOutput", "KillBash", "KillShell",
    "SlashCommand",
    # formats-update.md (tools reference, checked 2026-12-02)
    "LSP", "CronCreate", "CronDelete", "CronList", "TaskCreate", "TaskGet", "TaskList", "TaskUpdate",
    "TaskOutput", "ListMcpResourcesTool", "ReadMcpResourceTool",
})
CLAUDE_SYNONYMS = {"Task": "Agent"}  # the same tool under an older name
# Claude tools that do part of what another does: the whole covers them, never the other way round.
CLAUDE_PARTS = {"MultiEdit": "Edit", "NotebookRead": "Read", "LS": "Glob", "BashOutput": "Bash",
                "KillBash": "Bash", "KillShell": "Bash"}

# Tools that only look. Cursor's `readonly: true` allows these (and blocks every MCP tool), and a Claude
# agent in `plan` mode is held to them.
READ_ONLY_TOOLS = frozenset({"Read", "Grep", "Glob", "LS", "NotebookRead", "WebFetch", "WebSearch"})
READ_ONLY_CLAUDE = ("Read", "Grep", "Glob", "WebFetch", "WebSearch")
# Claude's core tools: what "every tool but a denylist" is written as for a target without a denylist.
CLAUDE_CORE = ("Read", "Grep", "Glob", "Edit", "Write", "NotebookEdit", "Bash", "WebFetch", "WebSearch", "TodoWrite", "Agent")

# Copilot names (lower case: Copilot matches them so) -> the atoms each grants. The aliases are GitHub's
# portable ones (formats.md §4.7); VS Code's `edit` set also edits notebooks. Fine-grained names map only
# to the part they name (formats-update.md: VS Code's own map).
COPILOT_NAMES: dict[str, frozenset[str]] = {
    "read": frozenset({"Read"}), "read/readfile": frozenset({"Read"}),
    "search": frozenset({"Grep", "Glob"}), "search/textsearch": frozenset({"Grep"}), "search/filesearch": frozenset({"Glob"}),
    "edit": frozenset({"Edit", "Write", "NotebookEdit"}), "edit/editfiles": frozenset({"Edit"}),
    "edit/createfile": frozenset({"Write"}), "edit/editnotebook": frozenset({"NotebookEdit"}),
    "execute": frozenset({"Bash"}), "execute/runinterminal": frozenset({"Bash"}),
    "web": frozenset({"WebFetch", "WebSearch"}), "web/fetch": frozenset({"WebFetch"}),
    "todo": frozenset({"TodoWrite"}),
    "agent": frozenset({"Agent"}), "agent/runsubagent": frozenset({"Agent"}),
}
# How each name is written, in Copilot's spelling, aliases first (the order `names_for` tries them in).
COPILOT_SPELLING = {
    "read": "read", "search": "search", "edit": "edit", "execute": "execute", "web": "web", "todo": "todo",
    "agent": "agent", "read/readfile": "read/readFile", "search/textsearch": "search/textSearch",
    "search/filesearch": "search/fileSearch", "edit/editfiles": "edit/editFiles", "edit/createfile": "edit/createFile",
    "edit/editnotebook": "edit/editNotebook", "execute/runinterminal": "execute/runInTerminal", "web/fetch": "web/fetch",
    "agent/runsubagent": "agent/runSubagent",
}
# Copilot-only tools that a Claude tool covers (so a Claude agent with the whole may keep them, and a
# Copilot agent with them is never given the whole): `execute/getTerminalOutput` reads output, `Bash` runs anything.
COPILOT_PARTS = {
    "edit/createdirectory": "Write", "execute/getterminaloutput": "Bash", "execute/createandruntask": "Bash",
    "execute/runnotebookcell": "Bash", "execute/testfailure": "Bash", "search/listdirectory": "Glob",
    "read/terminallastcommand": "Bash", "read/terminalselection": "Bash",
}
# Copilot's pre-namespacing (2025) tool names and what VS Code renamed them to (formats.md §4.7: the
# verified pairs and those consistent with the tool sets), so that old and new spellings compare equal.
COPILOT_LEGACY = {
    "problems": "read/problems", "changes": "search/changes", "testfailure": "execute/testFailure",
    "fetch": "web/fetch", "githubrepo": "web/githubRepo", "editfiles": "edit/editFiles",
    "createfile": "edit/createFile", "createdirectory": "edit/createDirectory", "todos": "todo",
    "runsubagent": "agent/runSubagent", "runcommands": "execute", "shell": "execute", "codebase": "search/codebase",
    "usages": "search/usages", "terminallastcommand": "read/terminalLastCommand",
    "terminalselection": "read/terminalSelection", "vscodeapi": "vscode/VSCodeAPI", "extensions": "vscode/extensions",
    "runinterminal": "execute/runInTerminal", "custom-agent": "agent",
}
# Copilot tool sets that are not MCP servers: `read/problems` is VS Code's, not a server called `read`.
COPILOT_TOOLSETS = frozenset({
    "read", "search", "edit", "execute", "web", "agent", "todo", "vscode", "browser", "new",
    "runnotebooks", "runtasks", "runcommands",
})
# OpenCode's lowercase tool and permission names (its `tools:` map and `permission:` keys), read in the
# generic vocabulary; `edit` covers write and patch there, as Copilot's `edit` does.
OPENCODE_NAMES: dict[str, frozenset[str]] = {
    "grep": frozenset({"Grep"}), "glob": frozenset({"Glob"}), "list": frozenset({"LS"}), "bash": frozenset({"Bash"}),
    "write": frozenset({"Write"}), "patch": frozenset({"Edit"}), "webfetch": frozenset({"WebFetch"}),
    "websearch": frozenset({"WebSearch"}), "todowrite": frozenset({"TodoWrite"}), "todoread": frozenset({"TodoWrite"}),
    "task": frozenset({"Agent"}),
}

# Gemini CLI's built-in tool names (google-gemini/gemini-cli@5411f113 packages/core/src/tools/tool-names.ts,
# checked 2026-12-05): each grants the Claude tool that does the same (`list_directory` only the listing
# part); the ones no other tool has are Gemini's own atoms, kept for Gemini and granted nowhere else.
# `save_memory` is gone (Gemini rejects it): read as an unknown name, reported, granting nothing.
GEMINI_NAMES: dict[str, frozenset[str]] = {
    "read_file": frozenset({"Read"}), "read_many_files": frozenset({"Read"}), "list_directory": frozenset({"LS"}),
    "glob": frozenset({"Glob"}), "grep_search": frozenset({"Grep"}), "search_file_content": frozenset({"Grep"}),
    "write_file": frozenset({"Write"}), "replace": frozenset({"Edit"}), "run_shell_command": frozenset({"Bash"}),
    "web_fetch": frozenset({"WebFetch"}), "google_web_search": frozenset({"WebSearch"}), "write_todos": frozenset({"TodoWrite"}),
    "invoke_agent": frozenset({"Agent"}), "activate_skill": frozenset({"Skill"}),
    **{name: frozenset({f"gemini:{name}"}) for name in (
        "get_internal_docs", "ask_user", "enter_plan_mode", "exit_plan_mode", "update_topic", "complete_task",
        "read_mcp_resource", "list_mcp_resources", "tracker_create_task", "tracker_update_task", "tracker_get_task",
        "tracker_list_tasks", "tracker_add_dependency", "tracker_visualize")},
}
# OpenCode's permission keys and tool names (anomalyco/opencode packages/core/src/v1/config/permission.ts
# and agent.ts, checked 2026-12-05): `edit` covers its edit, write and patch tools; `write`, `patch` and
# `todoread` are older `tools` map names, read but never written. `question`, `external_directory`,
# `doom_loop` and `codesearch` are OpenCode's own.
OPENCODE_TABLE: dict[str, frozenset[str]] = {
    "read": frozenset({"Read"}), "edit": frozenset({"Edit", "Write", "NotebookEdit"}), "glob": frozenset({"Glob"}),
    "grep": frozenset({"Grep"}), "list": frozenset({"LS"}), "bash": frozenset({"Bash"}), "task": frozenset({"Agent"}),
    "webfetch": frozenset({"WebFetch"}), "websearch": frozenset({"WebSearch"}), "todowrite": frozenset({"TodoWrite"}),
    "skill": frozenset({"Skill"}), "lsp": frozenset({"LSP"}),
    "write": frozenset({"Write"}), "patch": frozenset({"Edit"}), "todoread": frozenset({"TodoWrite"}),
    **{name: frozenset({f"opencode:{name}"}) for name in ("question", "external_directory", "doom_loop", "codesearch")},
}
# Vocabularies that are a plain table of names: read and written through the table.
TABLE_VOCABULARIES: dict[str, dict[str, frozenset[str]]] = {"gemini": GEMINI_NAMES, "opencode": OPENCODE_TABLE}
READ_ONLY_NAMES = {"opencode": frozenset({"write", "patch", "todoread"})}  # read, never written
# How an MCP server's every tool is named, and every MCP tool (None: the vocabulary has no such name).
MCP_SPELLING: dict[str, tuple[str, str | None]] = {"gemini": ("mcp_{}_*", "mcp_*"), "opencode": ("{}_*", None)}
_SERVER_GLOB = {"gemini": re.compile(r"^mcp_(?P<server>.+)_\*$"), "opencode": re.compile(r"^(?P<server>[^*\s]+)_\*$")}

# Codex has no tool list: its `sandbox_mode` is a switch (agentkit.formats.codex), each mode granting
# these atoms, narrowest first (codex-rs/protocol SandboxMode, checked 2026-12-05). In `read-only` the
# shell runs but cannot write: `codex:shell-read-only`, a part of Bash that no other tool can be given.
# Not counted: `update_plan` (a plan in the conversation, nothing outside it) and notebooks as such
# (`apply_patch` edits them as the files they are, which `Write` grants); subagents cannot spawn
# further (max_depth 1): no Agent.
# Web search is another key (`web_search`, on unless disabled), read through the `web` permission key.
# `danger-full-access` is every tool.
CODEX_SANDBOX: dict[str, frozenset[str]] = {
    "read-only": frozenset({"Read", "Grep", "Glob", "LS", "NotebookRead", "codex:shell-read-only"}),
    "workspace-write": frozenset({"Read", "Grep", "Glob", "LS", "NotebookRead", "Bash", "Edit", "Write", "MultiEdit"}),
}
CODEX_EVERYTHING = "danger-full-access"
CODEX_PARTS = {"shell-read-only": "Bash"}
WEB_SEARCH = "WebSearch"  # the atom a `web` permission key switches

# `<vocabulary>:<name>`: an atom only that vocabulary has, as agentkit's canonical file writes it.
OWN_ATOM_PREFIXES = tuple(f"{v}:" for v in (PIVOT, "copilot", "codex", *TABLE_VOCABULARIES))

ALL_MCP = "mcp"  # the atom every MCP tool is a part of (Claude writes it `mcp__*` in a denylist)
_CLAUDE_PATTERN = re.compile(r"^(?P<tool>[A-Z][A-Za-z]+)(?:\((?P<args>.*)\))?$", re.S)
_MCP = re.compile(r"^mcp__(?P<server>[^_\s/][^\s/]*?)(?:__(?P<tool>[^\s/]+))?$")


def is_claude_tool(name: str) -> bool:
    """Claude's vocabulary: CamelCase built-ins (with optional argument patterns) and `mcp__` tools."""
    if name.startswith("mcp__"):
        return True
    match = _CLAUDE_PATTERN.match(name)
    return match is not None and match.group("tool") in CLAUDE_TOOLS


def parent(atom: str) -> str | None:
    """The atom that grants everything `atom` grants and more, or None at the top."""
    if atom.startswith("copilot:"):
        return COPILOT_PARTS.get(atom[len("copilot:"):].lower())
    if atom.startswith("codex:"):
        return CODEX_PARTS.get(atom[len("codex:"):])
    if ":" in atom.split("(", 1)[0]:
        return None  # another vocabulary's own name
    if atom.startswith("mcp__"):
        match = _MCP.match(atom)
        if match and match.group("tool") and match.group("tool") != "*":
            return f"mcp__{match.group('server')}"
        return ALL_MCP
    match = _CLAUDE_PATTERN.match(atom)
    if match and match.group("args") is not None:
        return match.group("tool")
    return CLAUDE_PARTS.get(atom)


def lineage(atom: str) -> list[str]:
    """`atom` and everything above it: `mcp__gh__x` -> [`mcp__gh__x`, `mcp__gh`, `mcp`]."""
    chain = [atom]
    while (up := parent(chain[-1])) is not None and up not in chain:
        chain.append(up)
    return chain


@dataclass(frozen=True)
class Atoms:
    """Tool names read into atoms. `subagents`: the agents `Agent(a, b)` names (None: any or no `Agent`);
    `unknown`: names the vocabulary has no meaning for (they grant nothing, and are reported)."""

    atoms: frozenset[str]
    everything: bool = False  # Copilot's `*`
    subagents: frozenset[str] | None = None
    unknown: tuple[str, ...] = ()


def _claude_atom(name: str) -> tuple[str | None, tuple[str, ...] | None]:
    """(atom, subagents named by `Agent(a, b)`) for one Claude name; atom None when it is not Claude's."""
    if name.startswith("mcp__"):
        match = _MCP.match(name)
        if not match or match.group("server").endswith("_"):
            return None, None  # `mcp__github__`: no tool named, and no server of that name
        if match.group("tool") in (None, "*"):
            return (ALL_MCP if match.group("server") == "*" else f"mcp__{match.group('server')}"), None
        return name, None
    match = _CLAUDE_PATTERN.match(name)
    if not match or match.group("tool") not in CLAUDE_TOOLS:
        return None, None
    tool = CLAUDE_SYNONYMS.get(match.group("tool"), match.group("tool"))
    args = match.group("args")
    if args is None:
        return tool, None
    if tool == "Agent":  # `Agent(worker, researcher)`: the subagents it may call
        from agentkit.formats.fields import slug

        return tool, tuple(slug(a) or a.strip() for a in args.split(",") if a.strip())
    return f"{tool}({args})", None


def _copilot_atoms(name: str) -> frozenset[str] | None:
    key = COPILOT_LEGACY.get(name.lower(), name).lower()
    if key in COPILOT_NAMES:
        return COPILOT_NAMES[key]
    head, _, tail = key.partition("/")
    if tail and head not in COPILOT_TOOLSETS and "." not in head:  # an MCP server's tool, `server/*`
        server = name.split("/", 1)[0]
        return frozenset({f"mcp__{server}" if tail == "*" else f"mcp__{server}__{name.split('/', 1)[1]}"})
    if head in COPILOT_TOOLSETS or "." in head:  # VS Code's own tool or an extension's: Copilot only
        spelled = COPILOT_LEGACY.get(name.lower(), name)
        return frozenset({f"copilot:{spelled}"})
    return None


def atoms(names: tuple[str, ...], vocabulary: str) -> Atoms:
    """What `names` grant, read as the given vocabulary does ("claude", "copilot", or "any": the
    canonical and generic formats, which accept every vocabulary's names and atoms)."""
    found: set[str] = set()
    unknown: list[str] = []
    subagents: set[str] | None = None
    unrestricted_agent = False
    everything = False
    if vocabulary == "codex":
        for name in names:
            if name == CODEX_EVERYTHING:
                everything = True
            elif name in CODEX_SANDBOX:
                found |= CODEX_SANDBOX[name]
            else:
                unknown.append(name)
        return Atoms(frozenset(found), everything, None, tuple(unknown))
    table = TABLE_VOCABULARIES.get(vocabulary)
    for name in names:
        if table is not None:
            server = _SERVER_GLOB[vocabulary].match(name)
            # OpenCode's own reading of a denied command (`bash: {"rm *": deny}`) is a Claude pattern atom.
            claude_atom = _claude_atom(name)[0] if vocabulary == "opencode" and (name[:1].isupper() or name.startswith("mcp__")) else None
            if name.strip() == "*":
                everything = True
            elif name.strip() == MCP_SPELLING[vocabulary][1]:
                found.add(ALL_MCP)
            elif name in table:
                found |= table[name]
            elif server:
                found.add(f"mcp__{server.group('server')}")  # `mcp_github_*` (Gemini), `github_*` (OpenCode)
            elif claude_atom is not None:
                found.add(claude_atom)  # a command pattern OpenCode's permission map denies, read as Claude's
            elif vocabulary == "gemini" and name.startswith("mcp_"):
                found.add(f"{vocabulary}:{name}")  # `mcp_<server>_<tool>`: where the server ends is not certain
            else:
                unknown.append(name)
                found.add(f"{vocabulary}:{name}")
            continue
        if name.startswith(OWN_ATOM_PREFIXES) and vocabulary in ("any", name.split(":", 1)[0]):
            found.add(name)  # an atom written by agentkit's canonical file
            continue
        if vocabulary in ("claude", "any"):
            atom, agents = _claude_atom(name)
            if atom is not None:
                found.add(atom)
                if agents is not None:
                    subagents = (subagents or set()) | set(agents)
                elif atom == "Agent":
                    unrestricted_agent = True
                continue
        if vocabulary in ("copilot", "any"):
            if name.strip() == "*":
                everything = True
                continue
            granted = _copilot_atoms(name)
            if granted is None and vocabulary == "any":
                granted = OPENCODE_NAMES.get(name.lower())
            if granted is not None:
                found |= granted
                unrestricted_agent = unrestricted_agent or "Agent" in granted
                continue
        unknown.append(name)
        if vocabulary != "any":
            found.add(f"{vocabulary}:{name}")  # kept for this vocabulary's own files; grants nothing elsewhere
    return Atoms(frozenset(found), everything, None if unrestricted_agent else (frozenset(subagents) if subagents is not None else None), tuple(unknown))


def ordered_atoms(names: tuple[str, ...], vocabulary: str) -> tuple[str, ...]:
    """The atoms of `names` in the order the names stand (a list's author's order is kept where it can be)."""
    out: list[str] = []
    for name in names:
        read = atoms((name,), vocabulary)
        out += sorted(read.atoms, key=_atom_order)
    return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class ToolMapping:
    tools: tuple[str, ...]  # the names in the target vocabulary, in a stable order, deduplicated
    dropped: tuple[str, ...]  # atoms with no target name that is not broader


def _atom_order(atom: str) -> tuple[int, str]:
    core = {t: i for i, t in enumerate(CLAUDE_CORE)}
    return (core.get(atom, len(core)), atom)


def _writable(vocabulary: str) -> dict[str, frozenset[str]]:
    """The names of a table vocabulary agentkit writes (older spellings are only read)."""
    return {name: grants for name, grants in TABLE_VOCABULARIES[vocabulary].items() if name not in READ_ONLY_NAMES.get(vocabulary, ())}


def _names_from_table(ranked: list[str], granted: frozenset[str], vocabulary: str) -> ToolMapping:
    """Atoms -> names of a table vocabulary (Gemini's): for each atom the first name (in table order) that
    grants it and nothing outside `granted`; MCP atoms in the vocabulary's `mcp_` spelling; the
    vocabulary's own atoms as written. What no name can say without granting more is dropped."""
    table = _writable(vocabulary)
    server_name, every_mcp = MCP_SPELLING[vocabulary]
    out: list[str] = []
    dropped: list[str] = []
    covered: set[str] = set()
    for atom in ranked:
        if atom in covered:
            continue
        if atom.startswith(f"{vocabulary}:"):
            out.append(atom[len(vocabulary) + 1:])
            continue
        if atom == ALL_MCP and every_mcp is not None:
            out.append(every_mcp)
            continue
        match = _MCP.match(atom)
        if match and not match.group("tool"):
            out.append(server_name.format(match.group("server")))
            continue
        choice = next((name for name, grants in table.items() if atom in grants and grants <= granted), None)
        if choice is None:
            dropped.append(atom.split(":", 1)[1] if ":" in atom.split("(", 1)[0] else atom)
            continue
        out.append(choice)
        covered |= table[choice]
    return ToolMapping(tuple(dict.fromkeys(out)), tuple(dict.fromkeys(dropped)))


def _codex_sandbox(ranked: list[str], granted: frozenset[str]) -> ToolMapping:
    """Atoms -> one Codex sandbox mode: the widest whose every atom is granted; where none is, the
    narrowest (`read-only`), which `export` then finds wider than the source and refuses unless allowed.
    Granted atoms the mode does not hold are dropped (`narrowed`); web search is its own key."""
    def allowed(atom: str) -> bool:
        return any(a in granted for a in lineage(atom))

    fitting = [mode for mode, atoms_ in CODEX_SANDBOX.items() if all(allowed(a) for a in atoms_)]
    mode = fitting[-1] if fitting else next(iter(CODEX_SANDBOX))
    held = CODEX_SANDBOX[mode]
    # A granted tool the mode holds only a part of (Bash, where the shell is read-only) is narrowed too.
    dropped = [a for a in ranked if a != WEB_SEARCH and not any(x in held for x in lineage(a))]
    return ToolMapping((mode,), tuple(a.split(":", 1)[1] if ":" in a.split("(", 1)[0] else a for a in dropped))


def names_denying(denied: frozenset[str], vocabulary: str, order: tuple[str, ...] = ()) -> tuple[ToolMapping, frozenset[str]]:
    """A denylist in the target vocabulary, and the atoms it denies beyond `denied` (narrower). In a
    table vocabulary every name that touches a denied atom is denied (OpenCode's `edit: deny` for a
    denied Edit denies Write too); elsewhere as `names_for`, whose names deny exactly."""
    if vocabulary not in TABLE_VOCABULARIES:
        return names_for(denied, vocabulary, order=order), frozenset()
    table = _writable(vocabulary)
    touched = [name for name, grants in table.items() if any(x in denied for a in grants for x in lineage(a))
               or any(a in lineage(d) for a in grants for d in denied)]
    extra = frozenset(a for name in touched for a in table[name] if not any(x in denied for x in lineage(a)))
    rest = frozenset(a for a in denied if not any(a in table[name] or any(x in table[name] for x in lineage(a)) for name in touched))
    mapped = names_for(rest, vocabulary, order=order) if rest else ToolMapping((), ())
    return ToolMapping(tuple(dict.fromkeys([*touched, *mapped.tools])), mapped.dropped), extra


def names_for(granted: frozenset[str], vocabulary: str, subagents: frozenset[str] | None = None, order: tuple[str, ...] = ()) -> ToolMapping:
    """Atoms -> names in the target vocabulary ("claude", "copilot", "any"), granting no atom outside `granted`.

    `order`: atoms in the source's order, so that a list keeps its author's order where it can."""
    ranked = list(dict.fromkeys([a for a in order if a in granted] + sorted(granted, key=_atom_order)))
    out: list[str] = []
    dropped: list[str] = []
    if vocabulary == "any":
        return ToolMapping(tuple(ranked), ())
    if vocabulary in TABLE_VOCABULARIES:
        return _names_from_table(ranked, granted, vocabulary)
    if vocabulary == "codex":
        return _codex_sandbox(ranked, granted)
    if vocabulary == "claude":
        for atom in ranked:
            if atom.startswith("claude:"):
                out.append(atom[len("claude:"):])
            elif atom == ALL_MCP:
                out.append("mcp__*")
            elif atom == "Agent" and subagents is not None:
                out.append(f"Agent({', '.join(sorted(subagents))})")
            elif ":" in atom.split("(", 1)[0]:
                dropped.append(atom.split(":", 1)[1])
            else:
                out.append(atom)
        return ToolMapping(tuple(dict.fromkeys(out)), tuple(dict.fromkeys(dropped)))
    # Copilot: an alias where all it grants is granted, else a fine-grained name, else left out.
    covered: set[str] = set()
    for atom in ranked:
        if atom in covered:
            continue
        if atom.startswith("copilot:"):
            out.append(atom[len("copilot:"):])
            continue
        if atom.startswith("mcp__"):
            match = _MCP.match(atom)
            if match:
                tool = match.group("tool")
                out.append(f"{match.group('server')}/{tool if tool else '*'}")
                continue
        choice = next((k for k in COPILOT_SPELLING if atom in COPILOT_NAMES[k] and COPILOT_NAMES[k] <= granted), None)
        if choice is None:
            dropped.append(atom.split(":", 1)[1] if atom.startswith("claude:") else atom)
            continue
        out.append(COPILOT_SPELLING[choice])
        covered |= COPILOT_NAMES[choice]
    return ToolMapping(tuple(dict.fromkeys(out)), tuple(dict.fromkeys(dropped)))


# --------------------------------------------------------------------------------------------- models

# Checked 2026-12-05 against Claude Code's model configuration page (docs.claude.com/docs/claude-code/model-config:
# aliases `default`, `sonnet`, `opus`, `haiku`, `sonnet[1m]`, `opusplan`) and the v2.1.197 release notes
# (github.com/anthropics/claude-code/releases, 30 Jun 2026: Claude Sonnet 5, `claude-sonnet-5`, is the default).
# `[1m]` asks for the 1M-token context window of an alias or an id (`opus[1m]`, `claude-sonnet-4-6[1m]`).
CLAUDE_MODEL_ALIASES = frozenset({"sonnet", "opus", "haiku", "fable", "inherit", "default", "opusplan"})
CLAUDE_FAMILIES = ("haiku", "sonnet", "opus", "fable")
_CONTEXT_SUFFIX = re.compile(r"\[1m\]$", re.I)
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
    """An alias or id Claude Code runs, with or without the `[1m]` context suffix."""
    bare = _CONTEXT_SUFFIX.sub("", model)
    return bare in CLAUDE_MODEL_ALIASES or bool(_CLAUDE_ID.match(bare))


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


# Tools that run only their vendor's models: a model is kept when it is one of theirs, else dropped.
# Gemini CLI: `inherit` (its default) or a Gemini id (docs/core/subagents.md, checked 2026-12-05).
# Codex: OpenAI's ids (`gpt-5.3-codex`, `o3`, `codex-mini-latest`; codex-rs/protocol openai_models.rs).
PROVIDERS = (("claude-", "anthropic"), ("gpt-", "openai"), ("o1", "openai"), ("o3", "openai"), ("o4", "openai"), ("gemini-", "google"))
OWN_MODELS = {"gemini": ("gemini-", "inherit"), "codex": ("gpt-", "o1", "o3", "o4", "codex-")}


def model_for(model: str, target: str) -> str | None:
    """`model` written for `target` ("claude", "copilot", "cursor", or a vocabulary of OWN_MODELS);
    None when there is no equivalent. Claude Code keeps a `[1m]` suffix; the other tools have no such
    setting, so it is left out there."""
    if target == "opencode":  # `provider/model-id` (opencode.ai/docs/models)
        if "/" in model:
            return model
        bare = model_for(model, "cursor")  # Claude's and everyone's plain id: `claude-sonnet-4-6`, `gpt-4.1`
        provider = next((p for prefix, p in PROVIDERS if bare and bare.startswith(prefix)), None)
        return f"{provider}/{bare}" if provider and bare and bare != "inherit" else None
    if "/" in model and target != "copilot":
        model = model.split("/", 1)[1]  # OpenCode's `anthropic/claude-sonnet-4-5`: the id after the provider
    if target in OWN_MODELS:  # Copilot's `GPT-4.1 (copilot)` is `gpt-4.1` to Codex, `Gemini 2.5 Pro` `gemini-2.5-pro` to Gemini
        spelled = re.sub(r"\s*\(copilot\)$", "", model).strip().lower().replace(" ", "-")
        return spelled if spelled.startswith(OWN_MODELS[target]) else None
    if model == "inherit":
        return None if target == "copilot" else "inherit"
    if target == "claude" and is_claude_model(model):
        return model
    if model == "default":  # the account's recommended model: what every tool does without a model
        return None
    model = _CONTEXT_SUFFIX.sub("", model)
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
