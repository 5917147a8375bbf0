"""Keep every tool's agent files in a repository in step with their configured sources.

Each generated file ends with a marker comment holding a digest of the rest of the file, so that a hand
edit (digest no longer matches) can be told from stale output (digest matches, content outdated), and a
file agentkit did not generate (no marker) is never overwritten without `force`.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from agentkit import formats as registry
from agentkit.config import AgentConfig, Config, source_files
from agentkit.errors import AgentkitError
from agentkit.marker import digest, mark, split_marker
from agentkit.model import Agent, Origin
from agentkit.outputs import Output


@dataclass(frozen=True)
class SyncPlan:
    """What sync would do: the files (planned by `agentkit.outputs`), the problems (one per source or
    file; the other agents are still built) and warnings (a source used, but not as it claims to be)."""

    outputs: tuple[Output, ...]
    errors: tuple[AgentkitError, ...] = ()
    warnings: tuple[AgentkitError, ...] = ()


def build(config: Config, agent_config: AgentConfig) -> tuple[Agent | None, list[AgentkitError], list[AgentkitError]]:
    """The agent from its sources: the one source as it is, several merged. Generated files (their
    marker's digest matching) are never sources; one whose marker does not match is used, with a warning.

    Returns (agent, errors, warnings): sources that cannot be read are errors, one per file; the agent
    is None when none could."""
    from agentkit.export import export
    from agentkit.merge import Options, merge, tools_option
    from agentkit.reader import read
    from agentkit.writer import refuse_empty, refuse_non_agent

    agents, errors = [], []
    problems: list[AgentkitError] = []
    warnings: list[AgentkitError] = []
    for path in source_files(config, agent_config, problems):
        try:
            result = read(path)  # the one safe read: type, size and marker checked there
            refuse_non_agent(result.agent)  # a skill named as a source: one line, the agent's other sources still used
            refuse_empty(result.agent)  # a source with nothing in it (`---` twice) is not an agent to write
        except AgentkitError as exc:
            errors.append(exc)  # named and explained per file; the other sources are still read
            continue
        warnings += [AgentkitError(w.kind, w.message, path, w.line) for w in result.warnings if w.kind == "marker-mismatch"]
        if not result.generated:  # our own output: reading it back as a source would feed sync into itself
            agents.append(result)
    errors = problems + errors
    if not agents:
        if not problems:  # not built: said once, after each unreadable file's line (a missing source's names the agent)
            errors.append(AgentkitError("no-sources", f"agent {agent_config.name!r}: no readable source", config.path))
        return None, errors, warnings
    if len(agents) == 1:
        agent = agents[0].agent
        agent = dataclasses.replace(agent, name=agent_config.name, model=agent_config.model or agent.model)
        if agent_config.permission_mode:
            mode = agent_config.permission_mode
            agent = dataclasses.replace(export(agent, registry.CANONICAL, keep_hidden=True).agent, format=registry.CANONICAL,
                                        permission_mode=None if mode in ("default", "manual") else mode)
        if agent_config.tools:
            # The configured list is read in every vocabulary (`Read` or `read`): held as the canonical agent.
            from agentkit import vocab

            chosen = tools_option(agent_config.tools)
            canonical = export(agent, registry.CANONICAL, keep_hidden=True).agent
            agent = dataclasses.replace(canonical, format=registry.CANONICAL,
                                        tools=None if chosen is None else vocab.ordered_atoms(chosen, "any"))
    else:
        agent = merge([r.agent for r in agents], Options(agent_config.name, agent_config.model, agent_config.tools,
                                                         agent_config.fold, agent_config.apart, agent_config.permission_mode,
                                                         agent_config.keep_repeats)).agent
    return agent, errors, warnings


def plan(config: Config, imported: frozenset[str] = frozenset(), allow_wider: bool = False, force: bool = False,
         progress: Callable[[str], None] | None = None, keep_hidden: bool = False) -> SyncPlan:
    """What sync would write, without writing. `imported`: files init took in, which sync may replace;
    `allow_wider`: write files that allow more than their sources in every format (else per agent config);
    `force`: replace hand edits and files agentkit did not generate; `progress(agent)` after each agent;
    `keep_hidden`: keep invisible characters (removed and reported otherwise, as export does)."""
    from agentkit.export import export
    from agentkit.outputs import Output
    from agentkit.outputs import plan as plan_outputs

    errors: list[AgentkitError] = []
    warnings: list[AgentkitError] = []
    output = os.path.normpath(config.output)
    if os.path.isabs(config.output) or output == os.pardir or output.startswith(os.pardir + os.sep):
        outside = os.path.normpath(os.path.join(config.root, config.output))
        return SyncPlan((), (AgentkitError("outside-repository", f"output {config.output!r} is outside the repository "
                                                                 f"{config.root} ({outside}); nothing written", config.path),))
    from agentkit.reader import near

    root = near(config.root)
    name = os.path.relpath(config.path, config.root)
    drafts: list[Output] = []
    for agent_config in config.agents:
        try:
            agent, problems, notes = build(config, agent_config)
        except AgentkitError as exc:
            errors.append(exc)
            continue
        errors += problems
        warnings += notes
        if progress:
            progress(agent_config.name)
        if agent is None:
            continue
        for fmt in agent_config.formats:
            allowed = allow_wider or fmt in agent_config.allow_wider
            try:  # one line for this file (nothing to write, a name too long to check, ...); the others still planned
                exported = export(agent, fmt, keep_hidden, allow_wider=allowed)
                where = posixpath.join(output.replace(os.sep, "/"), agent_config.files.get(fmt, exported.path))
                template = _template(root, where, fmt)
                if template is not None:  # the file it replaces: edited, its comments and spellings kept
                    exported = export(agent, fmt, keep_hidden, allow_wider=allowed, template=template)
            except AgentkitError as exc:
                errors.append(exc)
                continue
            drafts.append(Output(root, where, mark(exported.text, name, registry.get(fmt).comment),
                                 agent_config.name, fmt, exported.losses, exported.widened,
                                 "refused-wider" if exported.widened and not allowed else ""))
    return SyncPlan(tuple(plan_outputs(drafts, force, _judge(imported))), tuple(errors), tuple(warnings))


def _template(root: str, path: str, fmt: str) -> Origin | None:
    """The file of `fmt` at `path` that sync would replace, as a template for writing it (None when
    there is none, or it is not a file agentkit can read as `fmt`: the output layer then says why)."""
    from agentkit.outputs import existing
    from agentkit.reader import read_bytes

    try:
        text = existing(root, path)
        return None if text is None else read_bytes(text.encode("utf-8"), path, fmt, analyze=False).agent.origin
    except AgentkitError:
        return None


def _judge(imported: frozenset[str]) -> Callable[[Output, str], str]:
    """What an existing file that differs from sync's output is: stale output of ours (`update`), ours
    edited by hand (`edited`: the marker's digest no longer matches, or lines were added below it), or
    not agentkit's (`foreign`, unless init imported it)."""

    def judge(output: Output, old: str) -> str:
        content, recorded = split_marker(old)
        if recorded is None:
            if _MARKER_START in old:  # the marker is there, with something written below it: a hand edit
                return "edited"
            return "update" if os.path.realpath(output.shown) in imported else "foreign"
        return "edited" if digest(content) != recorded else "update"

    return judge


_MARKER_START = "<!-- generated by agentkit from "


def imported_files(config: Config) -> frozenset[str]:
    """Files `init` imported (listed in `.agentkit/imported`): agent files that were there before agentkit."""
    from agentkit.config import inside_root
    from agentkit.reader import read_input

    listing = Path(config.root) / ".agentkit" / "imported"
    if not listing.is_file() or not inside_root(config.root, str(listing)):  # a link out of the repository: not ours
        return frozenset()
    text = read_input(listing).decode("utf-8", errors="replace")

    # Only paths inside the repository: a listing naming a file elsewhere never lets sync replace it.
    return frozenset(os.path.realpath(os.path.join(config.root, line.strip()))
                     for line in text.splitlines() if line.strip() and not line.startswith("#") and "\x00" not in line
                     and not os.path.isabs(line.strip()) and inside_root(config.root, os.path.join(config.root, line.strip())))


# --------------------------------------------------------------------------------------------- init

def _target(fmt: str) -> str | None:
    """The format `init` writes for an agent file it imports: its own, or its legacy format's successor;
    None for files that are no tool's agent (the canonical file, generic Markdown)."""
    spec = registry.FORMATS.get(fmt)
    if spec is None or spec.kind != "agent" or not spec.places:
        return None
    target = spec.successor or spec.name
    return target if registry.FORMATS[target].directory is not None else None  # a format agentkit only reads


def agent_files(root: str) -> list[str]:
    """The agent files init imports under `root`, as a glob of the agent formats' places would find them (hidden names
    and README.md left out), but following symlinked folders once each, so a link loop cannot trap it."""
    from agentkit.reader import is_agent_file, near, walk_files

    found: list[str] = []
    for _, where in registry.agent_places():
        folder, recursive, ending = where.folder, where.recursive, where.ending
        place = os.path.join(root, folder)
        if not os.path.isdir(place):
            continue
        for path in walk_files(place, recursive):
            parts = os.path.relpath(path, place).split(os.sep)
            shown = near(path)  # named in messages as people see it
            if path.endswith(ending) and not any(p.startswith(".") for p in parts) and is_agent_file(path) and shown not in found:
                found.append(shown)
    return found


@dataclass(frozen=True)
class InitPlan:
    """What init would write (planned by `agentkit.outputs`), with what it noticed on the way: files
    left out (`skipped`: notes, not errors), names it had to change (`renamed`) and files it could not
    read (`errors`)."""

    outputs: tuple[Output, ...]
    agents: tuple[str, ...]  # the canonical sources, relative to the repository
    imported: tuple[str, ...]  # the files they came from
    skipped: tuple[AgentkitError, ...] = ()
    renamed: tuple[str, ...] = ()
    errors: tuple[AgentkitError, ...] = ()


def init(root: str, force: bool = False, keep_hidden: bool = False) -> InitPlan:
    """Plan agentkit.toml and one canonical source per agent name found (under .agentkit/agents), and
    the list of imported files (.agentkit/imported). Nothing is written: `agentkit.outputs.apply` does.

    A file that cannot be read is an error and left out (the others are imported); Markdown without
    frontmatter in an agent folder (the folder's notes) is skipped with a note. `force` replaces an
    existing agentkit.toml, never a canonical source that differs from what init would write (an edit)."""
    import json

    from agentkit.export import export
    from agentkit.formats.fields import file_stem, slug
    from agentkit.merge import merge
    from agentkit.outputs import plan as plan_outputs
    from agentkit.reader import display_name, near, read, shown_path
    from agentkit.writer import refuse_empty

    if "\x00" in root:
        raise AgentkitError("bad-path", "path contains a NUL byte", shown_path(root))
    if not os.path.isdir(root):
        raise AgentkitError("not-a-directory", "is not a directory" if os.path.exists(root) else "no such directory", root)
    root = near(root)  # the files are named in messages as people see them
    config_path = os.path.join(root, "agentkit.toml")
    if os.path.lexists(config_path) and not force:
        raise AgentkitError("exists", "exists; --force replaces it (never an edited agent source)", near(config_path))
    groups: dict[str, list[tuple[str, Agent]]] = {}
    formats: list[str] = []
    errors: list[AgentkitError] = []
    skipped: list[AgentkitError] = []
    generated = 0
    for path in agent_files(root):
        try:
            result = read(path)  # the one safe read: type, size and marker checked there
            if not result.has_frontmatter:
                skipped.append(AgentkitError("no-frontmatter", "skipped: Markdown without frontmatter in an agent folder "
                                                               "(notes, not an agent)", path))
                continue
            refuse_empty(result.agent)  # nothing in it (`---` twice): not imported
        except AgentkitError as exc:
            errors.append(exc)
            continue
        if result.generated:
            generated += 1
            continue  # already generated by agentkit: its source is elsewhere
        # Files declaring one agent (`Backend Developer`, `backend-developer`) are merged: grouped by slug.
        groups.setdefault(slug(display_name(result.agent)) or "agent", []).append((path, result.agent))
        target = _target(result.agent.format)
        if target and target not in formats:
            formats.append(target)
    if not groups:
        also = f" other than {generated} generated by agentkit sync (their sources are elsewhere)" if generated else ""
        places = ", ".join(dict.fromkeys(where.folder for _, where in registry.agent_places()))
        raise AgentkitError("no-agents", f"found no agent files{also} ({places})", root)
    formats = [f for f in registry.FORMATS if f in formats] or list(registry.DEFAULT_TARGETS)
    # Each agent keeps its name when its files agree on it; files that spell one name differently are
    # one agent named by the slug, and every reference to the old spellings (handoffs, subagent lists)
    # is renamed with it.
    names: dict[str, str] = {}
    renames: dict[str, str] = {}
    for key, members in groups.items():
        spelled = {display_name(agent) for _, agent in members}
        names[key] = spelled.pop() if len(spelled) == 1 else key
        renames.update({old: names[key] for old in {display_name(agent) for _, agent in members} if old != names[key]})
    lines = [
        "# agentkit sync configuration, written by `agentkit init`.",
        "# The sources under .agentkit/agents are the single source of truth: edit them, then run `agentkit sync`.",
        'output = "."',
        f"formats = [{', '.join(json.dumps(f) for f in formats)}]",
    ]
    drafts: list[Output] = []
    agents: list[str] = []
    renamed = [f"{old!r} is now {new!r} (the files spell it differently)" for old, new in sorted(renames.items())]
    for key, members in sorted(groups.items()):
        name = names[key]
        parts = [agent for _, agent in members]
        canonical = merge(parts).agent if len(parts) > 1 else parts[0]
        canonical, references = _renamed(dataclasses.replace(canonical, name=name), renames)
        renamed += [f"{name}: {reference}" for reference in references]
        source = f".agentkit/agents/{file_stem(name)}.md"  # a long name: a short file name
        try:
            exported = export(canonical, registry.CANONICAL, keep_hidden)  # what it cannot hold (hidden characters, ...) is reported, as export does
            drafts.append(Output(root, source, exported.text, ", ".join(p for p, _ in members), registry.CANONICAL, exported.losses))
        except AgentkitError as exc:
            errors.append(exc)
            continue
        agents.append(source)
        lines += ["", "[[agents]]", f"name = {json.dumps(name, ensure_ascii=False)}", f"sources = [{json.dumps(source, ensure_ascii=False)}]"]
        files = _original_files(root, canonical, members)
        if files:
            lines.append("files = { " + ", ".join(f"{fmt} = {json.dumps(path, ensure_ascii=False)}" for fmt, path in files.items()) + " }")
    imported = tuple(os.path.relpath(p, root).replace(os.sep, "/") for _, members in sorted(groups.items()) for p, _ in members)
    drafts.append(Output(root, "agentkit.toml", "\n".join(lines) + "\n", "init", "toml"))
    drafts.append(Output(root, ".agentkit/imported", "# Agent files agentkit init imported; agentkit sync may replace them "
                                                     "with generated ones.\n" + "\n".join(imported) + "\n", "init", "list"))

    def never_forced(output: Output, old: str) -> str:
        return "source"  # a canonical source that differs is an edit of the single source of truth: never replaced

    # agentkit.toml and the listing are replaced with --force; the sources never are.
    planned = plan_outputs(drafts[:-2], False, never_forced) + plan_outputs(drafts[-2:], force)
    return InitPlan(tuple(planned), tuple(agents), imported, tuple(skipped), tuple(renamed), tuple(errors))


def _original_files(root: str, canonical: Agent, members: list[tuple[str, Agent]]) -> dict[str, str]:
    """Per target format, the imported file sync should replace, where it is not the file the agent's
    name gives (`implement.agent.md` holding `name: Implementer`, `.github/agents/x.md` without
    `.agent`): otherwise the first sync would write the agent a second time beside it."""
    from agentkit.export import export

    files: dict[str, str] = {}
    for path, agent in members:
        target = _target(agent.format)
        if target is None or target in files:
            continue
        relative = os.path.relpath(path, root).replace(os.sep, "/")
        try:
            named = export(canonical, target, allow_wider=True).path
        except AgentkitError:
            continue
        if relative != named:
            files[target] = relative
    return files


def _renamed(agent: Agent, renames: dict[str, str]) -> tuple[Agent, list[str]]:
    """`agent` with every handoff and subagent naming an old spelling renamed; and what was renamed."""
    said: list[str] = []
    handoffs = []
    for handoff in agent.handoffs:
        if handoff.agent in renames:
            said.append(f"handoff to {handoff.agent!r} now names {renames[handoff.agent]!r}")
            handoff = dataclasses.replace(handoff, agent=renames[handoff.agent])
        handoffs.append(handoff)
    subagents = agent.subagents
    if subagents is not None and any(s in renames for s in subagents):
        said += [f"subagent {s!r} now named {renames[s]!r}" for s in subagents if s in renames]
        subagents = tuple(dict.fromkeys(renames.get(s, s) for s in subagents))
    return dataclasses.replace(agent, handoffs=tuple(handoffs), subagents=subagents), said
