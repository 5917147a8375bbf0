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


def build(config: Config, agent_config: AgentConfig) -> tuple[Agent, list[AgentkitError]]:
    """The agent from its sources: the one source as it is, several merged. Generated files are never sources."""
    from agentkit.export import export
    from agentkit.merge import Options, merge, tools_option
    from agentkit.reader import read

    agents, errors = [], []
    for path in source_files(config, agent_config):
        try:
            text = Path(path).read_text(encoding="utf-8", errors="replace")
            if split_marker(text)[1] is not None:
                continue  # our own output: reading it back as a source would feed sync into itself
            agents.append(read(path))
        except AgentkitError as exc:
            errors.append(exc)
    if not agents:
        raise AgentkitError("no-sources", f"agent {agent_config.name!r}: no readable source", config.path)
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
        for fmt in agent_config.formats:
            exported = export(agent, fmt, allow_wider=allow_wider or fmt in agent_config.allow_wider)
            path = os.path.normpath(os.path.join(root, exported.path))
            if not inside(root, path):
                errors.append(AgentkitError("outside-root", f"{path} would be written outside {root}", config.path))
                continue
            text = mark(exported.text, name)
            old = read_existing(path)
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
    listing = Path(config.root) / ".agentkit" / "imported"
    if not listing.is_file():
        return frozenset()
    return frozenset(os.path.realpath(os.path.join(config.root, line.strip()))
                     for line in listing.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#"))


# --------------------------------------------------------------------------------------------- init

# Where tools look for agents (formats.md §1): what init imports.
AGENT_GLOBS = (".claude/agents/**/*.md", ".github/agents/*.md", ".github/chatmodes/*.chatmode.md", ".cursor/agents/*.md")
_TARGET = {"claude": "claude", "copilot": "copilot", "copilot-chatmode": "copilot", "cursor": "cursor"}


def init(root: str, force: bool = False) -> tuple[str, list[str], list[str]]:
    """Write agentkit.toml and one canonical source per agent name found (under .agentkit/agents),
    and list the imported files in .agentkit/imported. Returns (config path, written files, imported files)."""
    import glob

    from agentkit.export import export
    from agentkit.files import write_atomic
    from agentkit.formats.fields import slug
    from agentkit.merge import merge
    from agentkit.reader import display_name, read

    config_path = os.path.join(root, "agentkit.toml")
    if os.path.exists(config_path) and not force:
        raise AgentkitError("exists", "agentkit.toml exists; use --force to replace it", config_path)
    found: list[str] = []
    for pattern in AGENT_GLOBS:
        for path in sorted(glob.glob(os.path.join(root, pattern), recursive=True)):
            if os.path.basename(path).lower() != "readme.md" and path not in found:
                found.append(path)
    groups: dict[str, list] = {}
    formats: list[str] = []
    for path in found:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        if split_marker(text)[1] is not None:
            continue  # already generated by agentkit
        result = read(path)
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
        source = os.path.join(".agentkit", "agents", f"{name}.md")
        write_atomic(os.path.join(root, source), export(canonical, "agentkit").text)
        written.append(source)
        lines += ["", "[[agents]]", f'name = "{name}"', f'sources = ["{source}"]']
    write_atomic(config_path, "\n".join(lines) + "\n")
    imported = [os.path.relpath(p, root) for _, members in sorted(groups.items()) for p, _ in members]
    write_atomic(os.path.join(root, ".agentkit", "imported"),
                 "# Agent files agentkit init imported; agentkit sync may replace them with generated ones.\n"
                 + "\n".join(imported) + "\n")
    return config_path, written, imported
