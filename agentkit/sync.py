"""Keep every tool's agent files in a repository in step with their configured sources.

Each generated file ends with a marker comment holding a digest of the rest of the file, so that a hand
edit (digest no longer matches) can be told from stale output (digest matches, content outdated), and a
file agentkit did not generate (no marker) is never overwritten without `force`.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

from agentkit.config import AgentConfig, Config, source_files
from agentkit.errors import AgentkitError
from agentkit.marker import digest, mark, split_marker
from agentkit.model import Agent


@dataclass(frozen=True)
class Planned:
    path: str  # where the file goes
    agent: str
    format: str
    text: str  # the whole file, marker included
    old: str | None  # what is there now
    status: str  # create | update | unchanged | edited (by hand) | foreign (not agentkit's) | refused-wider
    losses: tuple[str, ...] = ()
    # What the file would let the agent do beyond its sources (`permissions.wider`); such a file is
    # planned as `refused-wider` unless the configuration or --allow-wider allows it for this format.
    widened: tuple[str, ...] = ()


def build(config: Config, agent_config: AgentConfig) -> tuple[Agent | None, list[AgentkitError]]:
    """The agent from its sources: the one source as it is, several merged. Generated files are never sources.

    Sources that cannot be read are returned as errors, one per file; the agent is None when none could."""
    from agentkit.export import export
    from agentkit.merge import Options, merge, tools_option
    from agentkit.reader import read
    from agentkit.writer import refuse_empty

    agents, errors = [], []
    for path in source_files(config, agent_config):
        try:
            result = read(path)  # the one safe read: type, size and marker checked there
            refuse_empty(result.agent)  # a source with nothing in it (`---` twice) is not an agent to write
        except AgentkitError as exc:
            errors.append(exc)  # named and explained per file; the other sources are still read
            continue
        if not result.generated:  # our own output: reading it back as a source would feed sync into itself
            agents.append(result)
    if not agents:
        errors.append(AgentkitError("no-sources", f"agent {agent_config.name!r}: no readable source", config.path))
        return None, errors
    if len(agents) == 1:
        agent = agents[0].agent
        agent = dataclasses.replace(agent, name=agent_config.name, model=agent_config.model or agent.model)
        if agent_config.permission_mode:
            mode = agent_config.permission_mode
            agent = dataclasses.replace(export(agent, "agentkit").agent, format="agentkit",
                                        permission_mode=None if mode in ("default", "manual") else mode)
        if agent_config.tools:
            # The configured list is read in every vocabulary (`Read` or `read`): held as the canonical agent.
            from agentkit import vocab

            chosen = tools_option(agent_config.tools)
            canonical = export(agent, "agentkit").agent
            agent = dataclasses.replace(canonical, format="agentkit",
                                        tools=None if chosen is None else vocab.ordered_atoms(chosen, "any"))
    else:
        agent = merge([r.agent for r in agents], Options(agent_config.name, agent_config.model, agent_config.tools,
                                                         agent_config.fold, agent_config.apart, agent_config.permission_mode)).agent
    return agent, errors


def plan(config: Config, imported: frozenset[str] = frozenset(), allow_wider: bool = False) -> tuple[list[Planned], list[AgentkitError]]:
    """What sync would write, without writing. `imported`: files init took in, which sync may replace;
    `allow_wider`: write files that allow more than their sources in every format (else per agent config)."""
    from agentkit.export import export
    from agentkit.files import inside, read_existing

    planned: list[Planned] = []
    errors: list[AgentkitError] = []
    root = os.path.join(config.root, config.output)
    name = os.path.relpath(config.path, config.root)
    for agent_config in config.agents:
        try:
            agent, problems = build(config, agent_config)
        except AgentkitError as exc:
            errors.append(exc)
            continue
        errors += problems
        if agent is None:
            continue
        for fmt in agent_config.formats:
            try:  # one line for this file (nothing to write, a name too long to check, ...); the others still planned
                exported = export(agent, fmt, allow_wider=allow_wider or fmt in agent_config.allow_wider)
                path = os.path.normpath(os.path.join(root, exported.path))
                if not inside(root, path):
                    raise AgentkitError("outside-root", f"{path} would be written outside {root}", config.path)
                old = read_existing(path)
            except AgentkitError as exc:
                errors.append(exc)
                continue
            text = mark(exported.text, name)
            allowed = allow_wider or fmt in agent_config.allow_wider
            status = "refused-wider" if exported.widened and not allowed else _status(path, old, text, imported)
            planned.append(Planned(path, agent_config.name, fmt, text, old, status,
                                   tuple(f"{loss.field}: {loss.message} [{loss.kind}]" for loss in exported.losses),
                                   exported.widened))
    return planned, errors


def _status(path: str, old: str | None, text: str, imported: frozenset[str]) -> str:
    if old is None:
        return "create"
    if old == text:
        return "unchanged"
    content, recorded = split_marker(old)
    if recorded is None:
        return "update" if os.path.realpath(path) in imported else "foreign"
    return "edited" if digest(content) != recorded else "update"


def imported_files(config: Config) -> frozenset[str]:
    """Files `init` imported (listed in `.agentkit/imported`): agent files that were there before agentkit."""
    from agentkit.reader import read_input

    listing = Path(config.root) / ".agentkit" / "imported"
    if not listing.is_file():
        return frozenset()
    text = read_input(listing).decode("utf-8", errors="replace")
    return frozenset(os.path.realpath(os.path.join(config.root, line.strip()))
                     for line in text.splitlines() if line.strip() and not line.startswith("#") and "\x00" not in line)


# --------------------------------------------------------------------------------------------- init

# Where tools look for agents (formats.md §1): what init imports, as (folder, its subfolders too, name ending):
# .claude/agents/**/*.md, .github/agents/*.md, .github/chatmodes/*.chatmode.md, .cursor/agents/*.md.
AGENT_PLACES = ((".claude/agents", True, ".md"), (".github/agents", False, ".md"),
                (".github/chatmodes", False, ".chatmode.md"), (".cursor/agents", False, ".md"))
_TARGET = {"claude": "claude", "copilot": "copilot", "copilot-chatmode": "copilot", "cursor": "cursor"}


def agent_files(root: str) -> list[str]:
    """The agent files init imports under `root`, as a glob of AGENT_PLACES would find them (hidden names
    and README.md left out), but following symlinked folders once each, so a link loop cannot trap it."""
    from agentkit.reader import walk_files

    found: list[str] = []
    for folder, recursive, ending in AGENT_PLACES:
        place = os.path.join(root, folder)
        if not os.path.isdir(place):
            continue
        for path in walk_files(place, recursive):
            parts = os.path.relpath(path, place).split(os.sep)
            if path.endswith(ending) and not any(p.startswith(".") for p in parts) and parts[-1].lower() != "readme.md" and path not in found:
                found.append(path)
    return found


def init(root: str, force: bool = False, problems: list[AgentkitError] | None = None) -> tuple[str, list[str], list[str]]:
    """Write agentkit.toml and one canonical source per agent name found (under .agentkit/agents),
    and list the imported files in .agentkit/imported. Returns (config path, written files, imported files).

    A file that cannot be read is appended to `problems` and left out (the others are imported);
    without a `problems` list the first such file is raised."""
    from agentkit.export import export
    from agentkit.files import write_atomic
    from agentkit.formats.fields import file_stem, slug
    from agentkit.merge import merge
    from agentkit.reader import display_name, read, shown_path
    from agentkit.writer import refuse_empty

    if "\x00" in root:
        raise AgentkitError("bad-path", "path contains a NUL byte", shown_path(root))
    if not os.path.isdir(root):
        raise AgentkitError("not-a-directory", "is not a directory" if os.path.exists(root) else "no such directory", root)
    config_path = os.path.join(root, "agentkit.toml")
    if os.path.exists(config_path) and not force:
        raise AgentkitError("exists", "agentkit.toml exists; use --force to replace it", config_path)
    groups: dict[str, list] = {}
    formats: list[str] = []
    for path in agent_files(root):
        try:
            result = read(path)  # the one safe read: type, size and marker checked there
            refuse_empty(result.agent)  # nothing in it (`---` twice): not imported
        except AgentkitError as exc:
            if problems is None:
                raise
            problems.append(exc)
            continue
        if result.generated:
            continue  # already generated by agentkit
        groups.setdefault(slug(display_name(result.agent)) or "agent", []).append((path, result.agent))
        target = _TARGET.get(result.agent.format)
        if target and target not in formats:
            formats.append(target)
    if not groups:
        raise AgentkitError("no-agents", "found no agent files (.claude/agents, .github/agents, .cursor/agents)", root)
    formats = [f for f in ("claude", "copilot", "cursor") if f in formats] or ["claude", "copilot", "cursor"]
    written, lines = [], [
        "# agentkit sync configuration, written by `agentkit init`.",
        "# The sources under .agentkit/agents are the single source of truth: edit them, then run `agentkit sync`.",
        'output = "."',
        f"formats = [{', '.join(repr(f).replace(chr(39), chr(34)) for f in formats)}]",
    ]
    for name, members in sorted(groups.items()):
        agents = [agent for _, agent in members]
        canonical = merge(agents).agent if len(agents) > 1 else agents[0]
        canonical = dataclasses.replace(canonical, name=name)
        source = os.path.join(".agentkit", "agents", f"{file_stem(name)}.md")  # a long name: a short file name
        write_atomic(os.path.join(root, source), export(canonical, "agentkit").text)
        written.append(source)
        lines += ["", "[[agents]]", f'name = "{name}"', f'sources = ["{source}"]']
    write_atomic(config_path, "\n".join(lines) + "\n")
    imported = [os.path.relpath(p, root) for _, members in sorted(groups.items()) for p, _ in members]
    write_atomic(os.path.join(root, ".agentkit", "imported"),
                 "# Agent files agentkit init imported; agentkit sync may replace them with generated ones.\n"
                 + "\n".join(imported) + "\n")
    return config_path, written, imported
