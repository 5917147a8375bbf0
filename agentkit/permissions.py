"""What an agent may do, in one vocabulary, and whether one agent may do more than another.

`grants(agent)` reads every part of an agent that gives or takes away capabilities (tool allowlist,
denylist, permission mode, read-only flag, subagent allowlist, MCP servers, hooks, who may invoke it),
as the agent's own format means them, into one `Grants` value in the atom vocabulary of `agentkit.vocab`.
`wider(out, source)` lists what `out` may do that `source` may not. Every export is checked with these
two, so no output grants what its source does not, whatever format pair or input.
Format knowledge comes from each format's record (`tool_vocab`, `permission_keys`), never from its name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from agentkit import formats, vocab
from agentkit.model import Agent

# Claude Code's permission modes (formats.md §3.1, formats-update.md; checked 2026-12-02), from the one
# that lets the agent do least without asking to the one that lets it do most. `plan` is read-only and is
# held as the read-only tools instead; `manual` is an alias of `default`; `delegate` (coordination only)
# and `dontAsk` (deny whatever is not pre-approved) ask less but allow less than `default`.
MODE_RANK = {"dontAsk": 0, "delegate": 0, "plan": 0, "default": 1, "manual": 1, "acceptEdits": 2, "auto": 3, "bypassPermissions": 4}
DEFAULT_MODE = "default"
# Hook events whose command can block what the agent does: dropping such a hook widens the agent.
GUARD_EVENTS = frozenset({"PreToolUse", "PermissionRequest", "UserPromptSubmit", "preToolUse"})
# Who may start the agent without a person choosing it: the model, delegating to it as a subagent.
# (Whether the user may pick it, Copilot's `user-invocable`, is presentation: a person choosing an agent
# gives it nothing it could not do; that flag is modelled and reported as dropped, not as a permission.)
INVOKERS = frozenset({"model"})


@dataclass(frozen=True)
class Grants:
    """Capabilities, in atoms. `tools` None means every tool (less `denied`); an empty set means none."""

    tools: frozenset[str] | None
    denied: frozenset[str] = frozenset()
    subagents: frozenset[str] | None = None  # None: any subagent, where `Agent` is allowed
    mode: str = DEFAULT_MODE
    mcp_servers: frozenset[str] = frozenset()  # servers the agent brings itself
    hooks: frozenset[str] = frozenset()  # commands run on events, `event: command`
    guards: frozenset[str] = frozenset()  # the hooks among them that can block
    invokers: frozenset[str] = INVOKERS  # {"model"}: the model may delegate to it unasked
    # Tool names agentkit does not know for the format: kept as `<vocabulary>:<name>` atoms, so the
    # format's own files keep them (the tool may know them) and no other format is ever given them.
    unknown: tuple[str, ...] = ()
    agent: bool = True  # False for rules and instructions: they grant nothing by themselves

    def allows(self, atom: str) -> bool:
        """The agent may use all of `atom`."""
        chain = vocab.lineage(atom)
        if self.tools is not None and not any(a in self.tools for a in chain):
            return False
        if any(a in self.denied for a in chain):
            return False
        # `Bash` is not wholly allowed when `Bash(rm:*)` is denied.
        return not any(atom in vocab.lineage(d)[1:] for d in self.denied)


# Rules and instructions carry no permissions: their guidance runs with what the session around them
# may do by default. As an output they widen nothing; as a source they restrict nothing.
RULE = Grants(tools=None, agent=False)


def vocabulary_of(agent: Agent) -> str:
    """The tool vocabulary the agent's own format reads its names in ("any" when the format is unknown)."""
    spec = formats.FORMATS.get(agent.format)
    return spec.tool_vocab if spec and spec.tool_vocab else "any"


def grants(agent: Agent) -> Grants:
    """What `agent` may do, read as its own format (`agent.format`) means each key."""
    spec = formats.FORMATS.get(agent.format)
    if spec is not None and not spec.is_agent:
        return RULE
    vocabulary = vocabulary_of(agent)
    tools: frozenset[str] | None = None
    subagents: frozenset[str] | None = None
    unknown: list[str] = []
    if vocabulary == "readonly":
        tools = frozenset(vocab.READ_ONLY_CLAUDE) if agent.readonly else None
    else:
        if agent.tools is not None:
            read = vocab.atoms(agent.tools, vocabulary)
            tools = None if read.everything else read.atoms
            subagents = read.subagents
            unknown += read.unknown
        if agent.readonly:
            tools = read_only(tools)
    denied = denied_atoms(agent)
    if agent.disallowed_tools:
        unknown += vocab.atoms(agent.disallowed_tools, vocabulary).unknown
    mode = (agent.permission_mode or DEFAULT_MODE).strip()
    if mode == "plan":
        tools, mode = read_only(tools), DEFAULT_MODE
    if mode not in MODE_RANK:
        mode = DEFAULT_MODE  # an unknown mode is ignored by the tool: its default applies
    if tools is not None and denied:
        # One meaning, one value: a denied tool the allowlist does not hold says nothing; only denied
        # parts of allowed tools (`Bash(rm:*)` under `Bash`) still restrict.
        tools = frozenset(a for a in tools if not any(x in denied for x in vocab.lineage(a)))
        denied = frozenset(d for d in denied if any(a in tools for a in vocab.lineage(d)[1:]))
    if agent.subagents is not None:
        named = frozenset(agent_id(n) for n in agent.subagents)
        subagents = None if "*" in named else named if subagents is None else subagents & named
    servers, hooks, guards, infer, web = _passthrough_grants(agent)
    # A web-search switch beside a tool setting (Codex's `web_search`, on unless "disabled"): the
    # sandbox grants the rest, the switch grants or denies web search.
    if web is True and tools is not None:
        tools = tools | {vocab.WEB_SEARCH}
    elif web is False and tools is not None:
        tools = tools - {vocab.WEB_SEARCH}
    elif web is False:
        denied = denied | {vocab.WEB_SEARCH}
    invokers = set(INVOKERS)
    if agent.model_invocable is False or (agent.model_invocable is None and infer is False):
        invokers.discard("model")
    return Grants(tools, denied, subagents, mode, servers, hooks, guards, frozenset(invokers), tuple(dict.fromkeys(unknown)))


def denied_atoms(agent: Agent) -> frozenset[str]:
    """The agent's denylist as atoms, as written (`grants` drops the entries its allowlist makes moot)."""
    if not agent.disallowed_tools:
        return frozenset()
    read = vocab.atoms(agent.disallowed_tools, vocabulary_of(agent))
    return read.atoms - {a for a in read.atoms if ":" in a.split("(", 1)[0]}  # an unknown name denies nothing


def agent_id(name: str) -> str:
    """A subagent as tools match it: `PRD Quality Reviewer` is the agent exported as `prd-quality-reviewer`."""
    from agentkit.formats.fields import slug

    return "*" if name.strip() == "*" else slug(name) or name


def read_only(tools: frozenset[str] | None) -> frozenset[str]:
    """The tools of `tools` (None: every tool) that only look."""
    if tools is None:
        return frozenset(vocab.READ_ONLY_CLAUDE)
    return frozenset(a for a in tools if any(x in vocab.READ_ONLY_TOOLS for x in vocab.lineage(a)))


def _passthrough_grants(agent: Agent) -> tuple[frozenset[str], frozenset[str], frozenset[str], bool | None, bool | None]:
    """MCP servers, hooks, the legacy invocation switch and a web-search switch, from the keys each
    format marks as such. The web switch is None where the format has none, else whether it is on
    (a `web` key missing from a format that has one is on: Codex's default is `cached`)."""
    servers: set[str] = set()
    hooks: set[str] = set()
    guards: set[str] = set()
    infer: bool | None = None
    own = formats.FORMATS.get(agent.format)
    web: bool | None = True if own is not None and "web" in own.permission_keys.values() else None
    for fmt, keys in agent.passthrough.items():
        spec = formats.FORMATS.get(fmt)
        if spec is None:
            continue
        for key, role in spec.permission_keys.items():
            if key not in keys:
                continue
            value = keys[key]
            if role == "user":
                continue  # presentation, see INVOKERS
            if role == "mcp":
                servers |= set(server_names(value))
            elif role == "hooks":
                for event, entry in hook_entries(value):
                    hooks.add(f"{event}: {entry}")
                    if event in GUARD_EVENTS:
                        guards.add(f"{event}: {entry}")
            elif role == "infer" and isinstance(value, bool):
                infer = value
            elif role == "web" and fmt == agent.format:
                web = str(value).strip().lower() != "disabled"
    return frozenset(servers), frozenset(hooks), frozenset(guards), infer, web


def server_names(value: Any) -> list[str]:
    """MCP server names from Claude's list (names or `{name: config}`) or Copilot's mapping."""
    if isinstance(value, dict):
        return [str(k) for k in value]
    if isinstance(value, list):
        out = []
        for entry in value:
            if isinstance(entry, dict):
                out += [str(k) for k in entry]
            elif entry is not None:
                out.append(str(entry))
        return out
    return [str(value)] if value not in (None, "") else []


def hook_entries(value: Any) -> Iterable[tuple[str, str]]:
    """(event, the hook as stable text) for a hooks mapping; anything else is one opaque hook."""
    if isinstance(value, dict):
        for event, entries in value.items():
            for entry in entries if isinstance(entries, list) else [entries]:
                yield str(event), _hook_text(entry)
    elif value not in (None, "", [], {}):
        yield "hooks", json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


def _hook_text(entry: Any) -> str:
    """`Bash -> ./guard.sh` for Claude's and Copilot's `{matcher, hooks: [{type: command, command}]}`;
    any other shape as stable JSON."""
    if isinstance(entry, dict) and isinstance(entry.get("hooks"), list):
        commands = [str(h.get("command") or h.get("bash") or h.get("prompt") or json.dumps(h, sort_keys=True, default=str))
                    for h in entry["hooks"] if isinstance(h, dict)]
        if len(commands) == len(entry["hooks"]):
            return f"{entry.get('matcher') or '*'} -> {'; '.join(commands)}"
    return json.dumps(entry, sort_keys=True, default=str, ensure_ascii=False)


def effective_tools(g: Grants) -> frozenset[str] | None:
    """The allowlist with the denylist applied (None: every tool, and nothing denied)."""
    if g.tools is None:
        return None
    return frozenset(a for a in g.tools if g.allows(a))


def _show(atoms: Iterable[str]) -> str:
    return ", ".join(a.split(":", 1)[1] if a.startswith(vocab.OWN_ATOM_PREFIXES) else a for a in sorted(atoms))


def wider(out: Grants, source: Grants) -> tuple[str, ...]:
    """What `out` may do that `source` may not, one phrase per capability; empty when `out` <= `source`."""
    if not out.agent:
        return ()  # a rule carries no permissions of its own
    extra: list[str] = []
    if out.tools is None:
        if source.tools is not None:
            extra.append(f"every tool (the source allows only {_show(effective_tools(source) or ()) or 'none'})")
        else:
            lost = [d for d in source.denied if not _denies(out, d)]
            if lost:
                extra.append(f"{_show(lost)} (denied by the source)")
    else:
        more = [a for a in out.tools if out.allows(a) and not source.allows(a)]
        if more:
            extra.append(_show(more))
    if out.allows("Agent") and source.allows("Agent") and source.subagents is not None:
        if out.subagents is None:
            extra.append(f"any subagent (the source allows only {_show(source.subagents) or 'none'})")
        elif out.subagents - source.subagents:
            extra.append(f"subagents {_show(out.subagents - source.subagents)}")
    if MODE_RANK[out.mode] > MODE_RANK[source.mode]:
        extra.append(f"permission mode {out.mode}, where the source has {source.mode}")
    if out.mcp_servers - source.mcp_servers:
        extra.append(f"MCP server(s) {_show(out.mcp_servers - source.mcp_servers)}")
    if out.hooks - source.hooks:
        extra.append(f"hook(s) {', '.join(sorted(out.hooks - source.hooks))}")
    if source.guards - out.guards:
        extra.append(f"runs without the hook(s) that can block it: {', '.join(sorted(source.guards - out.guards))}")
    if out.invokers - source.invokers:
        extra.append("invocation by the model (as a subagent), which the source disables")
    return tuple(extra)


def _denies(g: Grants, atom: str) -> bool:
    return any(a in g.denied for a in vocab.lineage(atom)) or (g.tools is not None and not any(a in g.tools for a in vocab.lineage(atom)))


def restricts(agent: Agent, granted: Grants | None = None) -> bool:
    """The agent may do less than an agent with no permission keys at all (`granted`: its grants, if known)."""
    return bool(wider(_unrestricted(agent.format), granted or grants(agent)))


@cache
def _unrestricted(fmt: str) -> Grants:
    return grants(Agent(format=fmt, name="x"))
