"""Repository configuration: `agentkit.toml`, or `[tool.agentkit]` in `pyproject.toml`.

    output = "."                              # root the generated files go under
    formats = ["claude", "copilot", "cursor"] # default targets of every agent

    [merge]                                   # defaults for every agent's merge
    model = "sonnet"
    tools = "all"
    fold = [["Handle background tasks and queues", "Implement background jobs and async processing"]]
    apart = [["specs/api.md:12", "specs/queue.md:40"]]   # items by text or path:line (relative to this file)
    keep-repeats = false                      # true: items of one source never fold together

    [[agents]]
    name = "backend-developer"                # the merged agent's name
    sources = ["specs/*.md", "legacy/backend.agent.md"]   # files, directories, globs; any format
    formats = ["claude", "copilot"]           # optional: overrides the default
    model = "opus"                            # optional: overrides [merge]
    tools = "Read, Grep"
    permission-mode = "plan"                  # optional: overrides the most restrictive input's mode
    allow-wider = ["cursor"]                  # optional: formats whose file may allow more than the
                                              # agent (no narrower setting there); true for all
    files = { copilot = ".github/agents/implement.agent.md" }   # optional: where a format's file goes
                                              # (relative to `output`), instead of the one named after the agent

`allow-wider` may also stand at the top, for every agent. Unknown keys and wrong types are errors that name the key.
"""

from __future__ import annotations

import dataclasses
import difflib
import glob
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentkit import formats as registry
from agentkit.errors import AgentkitError

CONFIG_NAMES = ("agentkit.toml", "pyproject.toml")
TOOL_TABLE = __name__.split(".")[0]  # pyproject.toml's [tool.agentkit]: named after this package


@dataclass(frozen=True)
class AgentConfig:
    name: str
    sources: tuple[str, ...]
    formats: tuple[str, ...]
    model: str | None = None
    tools: str | None = None
    fold: tuple[tuple[str, str], ...] = ()  # [merge] pairs, then the agent's own
    apart: tuple[tuple[str, str], ...] = ()
    # Formats whose file may let the agent do more than its sources (agentkit.permissions.wider), where
    # the format has no narrower setting; written then, and reported as `widened`.
    allow_wider: frozenset[str] = frozenset()
    permission_mode: str | None = None  # overrides the merge's mode policy
    keep_repeats: bool = False  # items of one source never fold together (merge --keep-repeats)
    # Format -> the file to write (relative to `output`) instead of the one named after the agent: init
    # sets it where an imported file's name differs from its agent's, so sync replaces that file
    # instead of writing a second copy of the agent beside it.
    files: Mapping[str, str] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    path: str  # the file it was read from
    root: str  # the folder paths in it are relative to
    output: str
    agents: tuple[AgentConfig, ...]
    # The decisions under [merge], for every agent (each agent's own `fold`/`apart` include them).
    fold: tuple[tuple[str, str], ...] = ()
    apart: tuple[tuple[str, str], ...] = ()


def _toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    from agentkit.reader import read_input

    data = read_input(path)  # like every input: regular files only, at most the size limit
    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise AgentkitError("bad-config", f"not UTF-8 (byte {exc.start}): TOML files are UTF-8", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise AgentkitError("bad-config", f"not valid TOML: {exc}", str(path)) from None
    return parsed


def _refuse_nul(value: Any, where: str, path: str) -> None:
    """A NUL in any key or string (TOML allows \\u0000) names no file and no format: refused, naming the key."""
    if isinstance(value, dict):
        for key, item in value.items():
            at = f"{where}.{key}" if where else str(key)
            if "\x00" in key:
                shown = at.replace("\x00", "\\x00")
                raise AgentkitError("bad-config", f"key `{shown}` contains a NUL character", path)
            _refuse_nul(item, at, path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_nul(item, f"{where}[{index}]", path)
    elif isinstance(value, str) and "\x00" in value:
        raise AgentkitError("bad-config", f"`{where}` contains a NUL character", path)


def find(start: str | os.PathLike[str] = ".") -> Path | None:
    """The nearest agentkit.toml, or pyproject.toml with a [tool.agentkit] table, from `start` upwards."""
    folder = Path(start).resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / "agentkit.toml"
        if own.is_file():
            return own
        project = candidate / "pyproject.toml"
        if project.is_file() and TOOL_TABLE in _toml(project).get("tool", {}):
            return project
        if (candidate / ".git").exists():
            break  # do not wander out of the repository
    return None


_TOP = {"output": str, "formats": list, "merge": dict, "agents": list, "allow-wider": object}
_MERGE = {"model": str, "tools": str, "fold": list, "apart": list, "permission-mode": str, "keep-repeats": bool}
_AGENT = {"name": str, "sources": list, "formats": list, "model": str, "tools": str, "fold": list, "apart": list,
          "allow-wider": object, "permission-mode": str, "files": dict, "keep-repeats": bool}


def _check(table: dict[str, Any], schema: Mapping[str, type], where: str, path: str) -> None:
    for key, value in table.items():
        if key not in schema:
            close = difflib.get_close_matches(key, list(schema), n=1)
            hint = f"; did you mean `{close[0]}`?" if close else f"; known keys: {', '.join(schema)}"
            raise AgentkitError("bad-config", f"unknown key `{where}{key}`{hint}", path)
        if not isinstance(value, schema[key]):
            kinds: dict[type, str] = {str: "a string", list: "a list", dict: "a table", bool: "true or false"}
            kind = kinds.get(schema[key], "a value")
            raise AgentkitError("bad-config", f"`{where}{key}` must be {kind}, not {type(value).__name__}", path)


def _allow_wider(value: Any, where: str, path: str, formats: tuple[str, ...]) -> frozenset[str]:
    """`allow-wider = true` (every format of the agent), `false`, or a list of format names."""
    if isinstance(value, bool):
        return frozenset(formats) if value else frozenset()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AgentkitError("bad-config", f"`{where}` must be true, false or a list of format names", path)
    try:
        return frozenset(registry.get(v).name for v in value)
    except AgentkitError as exc:
        raise AgentkitError("bad-config", f"`{where}`: {exc.message}", path) from None


def _mode(value: str | None, where: str, path: str) -> str | None:
    from agentkit.permissions import MODE_RANK

    if value is not None and value not in MODE_RANK:
        raise AgentkitError("bad-config", f"`{where}`: {value!r} is not one of {', '.join(sorted(MODE_RANK))}", path)
    return value


def _strings(values: list[Any], where: str, path: str) -> tuple[str, ...]:
    if not all(isinstance(v, str) and v.strip() for v in values):
        raise AgentkitError("bad-config", f"`{where}` must be a list of non-empty strings", path)
    return tuple(values)


def _pairs(values: list[Any], where: str, path: str, root: str) -> tuple[tuple[str, str], ...]:
    """Decided pairs of items; a `path:line` reference is relative to the configuration's folder."""
    from agentkit.decisions import anchored

    if not all(isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) and x.strip() for x in v) for v in values):
        raise AgentkitError("bad-config", f"`{where}` must be a list of pairs of item texts or path:line, e.g. [[\"A\", \"B\"]]", path)
    return tuple((anchored(a, root), anchored(b, root)) for a, b in values)


def load(path: str | os.PathLike[str]) -> Config:
    from agentkit import formats as registry

    file = Path(path)
    data = _toml(file)
    if file.name == "pyproject.toml":
        data = data.get("tool", {}).get(TOOL_TABLE)
        if not isinstance(data, dict):
            raise AgentkitError("bad-config", "no [tool.agentkit] table", str(file))
        prefix = "tool.agentkit."
    else:
        prefix = ""
    from agentkit.reader import near

    where = near(str(file))  # named in messages as people see it
    _refuse_nul(data, prefix.rstrip("."), where)
    _check(data, _TOP, prefix, where)
    merge = data.get("merge", {})
    _check(merge, _MERGE, f"{prefix}merge.", where)
    root = str(file.parent)
    decided = {key: _pairs(merge.get(key, []), f"{prefix}merge.{key}", where, root) for key in ("fold", "apart")}
    defaults = _strings(data.get("formats", list(registry.DEFAULT_TARGETS)), f"{prefix}formats", where)
    agents = []
    names: set[str] = set()
    for index, table in enumerate(data.get("agents", [])):
        at = f"{prefix}agents[{index}]."
        if not isinstance(table, dict):
            raise AgentkitError("bad-config", f"`{prefix}agents[{index}]` must be a table", where)
        _check(table, _AGENT, at, where)
        for required in ("name", "sources"):
            if required not in table:
                raise AgentkitError("bad-config", f"`{at}{required}` is missing", where)
        fmts = _strings(table.get("formats", list(defaults)), f"{at}formats", where)
        for fmt in fmts:
            try:
                registry.get(fmt)
            except AgentkitError as exc:
                raise AgentkitError("bad-config", f"`{at}formats`: {exc.message}", where) from None
        if table["name"] in names:
            raise AgentkitError("bad-config", f"`{at}name`: {table['name']!r} is configured twice", where)
        names.add(table["name"])
        wider_at = f"{at}allow-wider" if "allow-wider" in table else f"{prefix}allow-wider"
        agents.append(AgentConfig(
            allow_wider=_allow_wider(table.get("allow-wider", data.get("allow-wider", False)), wider_at, where,
                                     tuple(registry.get(f).name for f in fmts)),
            name=table["name"],
            sources=_strings(table["sources"], f"{at}sources", where),
            formats=tuple(registry.get(f).name for f in fmts),
            model=table.get("model", merge.get("model")),
            tools=table.get("tools", merge.get("tools")),
            permission_mode=_mode(table.get("permission-mode", merge.get("permission-mode")), f"{at}permission-mode", where),
            fold=decided["fold"] + _pairs(table.get("fold", []), f"{at}fold", where, root),
            apart=decided["apart"] + _pairs(table.get("apart", []), f"{at}apart", where, root),
            files=_files(table.get("files", {}), f"{at}files", where),
            keep_repeats=table.get("keep-repeats", merge.get("keep-repeats", False)),
        ))
    if not agents:
        raise AgentkitError("bad-config", f"no agents configured (add an [[{prefix}agents]] table)", where)
    return Config(where, root, data.get("output", "."), tuple(agents), decided["fold"], decided["apart"])


def _files(table: dict[str, Any], where: str, path: str) -> dict[str, str]:
    """`files = { copilot = "..." }`: known formats to relative paths (the output layer keeps them inside)."""
    from agentkit import formats as registry

    files: dict[str, str] = {}
    for key, value in table.items():
        try:
            fmt = registry.get(str(key)).name
        except AgentkitError as exc:
            raise AgentkitError("bad-config", f"`{where}`: {exc.message}", path) from None
        if not isinstance(value, str) or not value.strip():
            raise AgentkitError("bad-config", f"`{where}.{key}` must be a path (a string)", path)
        files[fmt] = value
    return files


def inside_root(root: str, path: str) -> bool:
    """True when `path` resolves (symlinks followed) to `root` or a place under it."""
    base = os.path.realpath(root)
    resolved = os.path.realpath(path)
    return resolved == base or resolved.startswith(base.rstrip(os.sep) + os.sep)


def _walk_inside(folder: str, root: str) -> tuple[list[str], list[str]]:
    """Every file and every folder under `folder`, sorted, following symlinked folders once each but
    never out of `root`."""
    from agentkit.reader import SKIP_FOLDERS

    files: list[str] = []
    folders: list[str] = []
    seen: set[str] = set()
    for current, dirs, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(current)
        if real in seen or not inside_root(root, current):
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if d not in SKIP_FOLDERS and inside_root(root, os.path.join(current, d)))
        files += [os.path.join(current, name) for name in sorted(names)]
        folders += [os.path.join(current, d) for d in dirs]
    return files, folders


def source_files(config: Config, agent: AgentConfig, problems: list[AgentkitError] | None = None) -> list[str]:
    """The files an agent is built from: each source as a file, a directory or a glob, relative to the config.

    Every source stays inside the repository (the folder holding the configuration): an absolute source,
    one with `..` leading out, or a file or folder reached through a symlink pointing out is refused with
    its path, and globs and folders are searched inside the repository only. Each problem is one error,
    appended to `problems` (raised when no list is given); the other sources are still found."""
    from agentkit.reader import _glob_match, is_agent_file, near

    def refuse(reason: str, message: str, path: str) -> None:
        error = AgentkitError(reason, message, path)
        if problems is None:
            raise error
        problems.append(error)

    root = config.root
    found: list[str] = []
    real: set[str] = set()  # a file reached twice (through a symlinked folder, or two sources) is one source
    for source in agent.sources:
        pattern = os.path.normpath(os.path.join(root, source))
        if os.path.isabs(source) or not inside_root(root, pattern) and not glob.has_magic(source):
            refuse("outside-repository", f"source {source!r} of agent {agent.name!r} is outside the repository {root}", config.path)
            continue
        relative = os.path.relpath(pattern, root)
        if relative == os.pardir or relative.startswith(os.pardir + os.sep):
            refuse("outside-repository", f"source {source!r} of agent {agent.name!r} is outside the repository {root}", config.path)
            continue
        if glob.has_magic(source):
            wanted = relative.split(os.sep)
            files, folders = _walk_inside(root, root)  # a glob may name files or folders
            matches = [p for p in (*files, *folders) if _glob_match(wanted, tuple(os.path.relpath(p, root).split(os.sep)))]
            matches = sorted(set(matches))
        else:
            matches = [pattern] if os.path.lexists(pattern) else []
        if not matches:
            what = "matches no file" if glob.has_magic(source) else "does not exist"
            refuse("missing-source", f"source {source!r} of agent {agent.name!r} {what}", near(pattern) if not glob.has_magic(source) else config.path)
            continue
        for match in matches:
            if not inside_root(root, match):
                refuse("outside-repository", f"source of agent {agent.name!r} points outside the repository {root}", match)
                continue
            if os.path.isdir(match):
                files = [f for f in _walk_inside(match, root)[0] if is_agent_file(f)]
            else:
                files = [match]
            for file in files:
                if not inside_root(root, file):
                    refuse("outside-repository", f"source of agent {agent.name!r} points outside the repository {root}", file)
                    continue
                if os.path.realpath(file) not in real:
                    real.add(os.path.realpath(file))
                    found.append(near(file))  # named in messages as people see it
    return found
