"""bytes -> repaired text -> frontmatter + body -> Agent, with every repair and warning returned."""

from __future__ import annotations

import os
from pathlib import Path

from agentkit import checks, formats
from agentkit.errors import AgentkitError
from agentkit.examples import split_examples, take_examples_section
from agentkit.formats.fields import read_fields
from agentkit.frontmatter import parse as parse_frontmatter
from agentkit.markdown import parse_sections
from agentkit.marker import split_marker
from agentkit.model import Agent, Finding, ReadResult
from agentkit.text import MAX_BYTES, decode

# What a directory search picks up: Markdown-based agent and rule files.
AGENT_SUFFIXES = (".md", ".mdc", ".markdown")
AGENT_NAMES = (".cursorrules",)


def read(path: str | os.PathLike[str], fmt: str | None = None, analyze: bool = True) -> ReadResult:
    """Read one agent file of any supported format. Raises AgentkitError for input it refuses.

    `analyze=False` skips splitting the body into sections and items and the checks behind the
    warnings (repairs and text warnings still come): export needs neither, and they are most of the
    reading time."""
    name = os.fspath(path)
    file = Path(name)
    try:
        if file.is_dir():
            raise AgentkitError("is-directory", "is a directory, not an agent file", name)
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise AgentkitError("too-large", f"file is {size:,} bytes; agentkit reads files up to {MAX_BYTES:,} bytes", name)
        data = file.read_bytes()
    except OSError as exc:
        raise AgentkitError("unreadable", exc.strerror or str(exc), name) from None
    return read_bytes(data, name, fmt, analyze)


# Files that are agent specs in other tools but not Markdown: refused with a reason, not misread.
NOT_MARKDOWN = {".toml": "TOML", ".json": "JSON", ".jsonc": "JSON", ".yaml": "YAML", ".yml": "YAML"}


def read_bytes(data: bytes, path: str = "", fmt: str | None = None, analyze: bool = True) -> ReadResult:
    kind = NOT_MARKDOWN.get(os.path.splitext(path)[1].lower())
    if kind and fmt is None:
        raise AgentkitError("unsupported-format", f"{kind} files are not an agent format agentkit reads (Markdown with frontmatter only)", path)
    try:
        return _read(data, path, fmt, analyze)
    except AgentkitError as exc:
        exc.path = exc.path or path
        raise


def read_frontmatter(data: dict, path: str, fmt: str) -> Agent:
    """The agent a file of `fmt` with this frontmatter is, as `read` makes it, without the body: for
    reading back what agentkit wrote (its permissions), from the mapping `dump` proved the YAML holds."""
    spec = formats.get(fmt)
    try:
        values, passthrough, _ = read_fields(data, spec.fields, spec.name, {}, spec.header)
    except AgentkitError as exc:
        exc.path = exc.path or path
        raise
    carried = dict(values.pop("passthrough", {}))
    if passthrough:
        carried[spec.name] = passthrough
    return Agent(**values, passthrough=carried, path=path, format=spec.name)


def _read(data: bytes, path: str, fmt: str | None, analyze: bool) -> ReadResult:
    decoded = decode(data, path)
    content, _ = split_marker(decoded.text)  # the marker `agentkit sync` ends its files with is not guidance
    doc = parse_frontmatter(content, path)
    spec = formats.get(fmt) if fmt else formats.get(formats.detect(path, doc.data))
    values, passthrough, warnings = read_fields(doc.data or {}, spec.fields, spec.name, doc.key_lines, spec.header)
    repairs = list(decoded.repairs) + list(doc.repairs)
    description = values.get("description")
    # Only Claude-style formats keep examples in the description; elsewhere `<example>` is just text.
    if description and spec.examples_in_description:
        if "\\n" in description and "<example>" in description:
            # Generator-style descriptions escape their newlines twice; even valid YAML keeps `\n` literally.
            description = description.replace("\\n", "\n")
            repairs.append(Finding("literal-newlines", "description: literal \\n read as line breaks", doc.key_lines.get("description")))
        values["description"], values["examples"] = split_examples(description)
    body = doc.body.lstrip("\n")
    section = take_examples_section(body.rstrip()) if not values.get("examples") else None
    if section:
        body, values["examples"] = section
    body_line = doc.body_line + doc.body[: len(doc.body) - len(body)].count("\n")
    carried = dict(values.pop("passthrough", {}))  # the canonical format carries other formats' keys
    if passthrough:
        carried[spec.name] = passthrough
    agent = Agent(
        **values,
        passthrough=carried,
        body=body.rstrip(),
        sections=parse_sections(body, body_line, path) if analyze else (),
        path=path,
        format=spec.name,
    )
    if analyze:
        warnings += checks.check_agent(agent, spec, doc.key_lines, decoded.text.split("\n"), body_line)
    return ReadResult(
        agent=agent,
        repairs=tuple(repairs),
        warnings=tuple(decoded.warnings) + tuple(doc.warnings) + tuple(warnings),
        key_lines=dict(doc.key_lines),
        encoding=decoded.encoding,
        recovered=doc.recovered,
    )


def display_name(agent: Agent) -> str:
    """The agent's name, or the one its tool derives from the file path."""
    if agent.name:
        return agent.name
    spec = formats.FORMATS.get(agent.format)
    return spec.default_name(agent.path) if spec and agent.path else ""


def find_agent_files(path: str | os.PathLike[str]) -> list[str]:
    """A file as given, or the agent files under a directory (sorted, hidden folders like .claude included)."""
    root = os.fspath(path)
    if not os.path.isdir(root):
        return [root]
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in (".git", "node_modules", "__pycache__", ".venv"))
        for name in sorted(files):
            if name.lower().endswith(AGENT_SUFFIXES) or name in AGENT_NAMES:
                if name.lower() in ("readme.md", "changelog.md", "license.md"):
                    continue
                found.append(os.path.join(folder, name))
    return found


# Below this many files a process pool costs more to start than it saves.
PARALLEL_FROM = 64


def read_many(paths: list[str], fmt: str | None = None, analyze: bool = True) -> list[ReadResult | AgentkitError]:
    """Read many files, in input order: each entry is the file's ReadResult or the error it was refused with.

    Reading is mostly Markdown parsing in pure Python, so many files are read in a process pool
    (one worker per core); a bug in a worker is raised here, like one in this process."""
    workers = min(os.cpu_count() or 1, 8)
    if len(paths) < PARALLEL_FROM or workers < 2:
        return [_read_or_error(p, fmt, analyze) for p in paths]
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    with ProcessPoolExecutor(workers) as pool:
        outcomes = list(pool.map(partial(_read_in_worker, fmt=fmt, analyze=analyze), paths, chunksize=16))
    return [AgentkitError(*o) if isinstance(o, tuple) else o for o in outcomes]


def _read_or_error(path: str, fmt: str | None, analyze: bool) -> ReadResult | AgentkitError:
    try:
        return read(path, fmt, analyze)
    except AgentkitError as exc:
        return exc


def _read_in_worker(path: str, fmt: str | None, analyze: bool) -> ReadResult | tuple[str, str, str, int | None]:
    outcome = _read_or_error(path, fmt, analyze)
    if isinstance(outcome, AgentkitError):  # sent back as plain values: exceptions pickle poorly
        return (outcome.reason, outcome.message, outcome.path, outcome.line)
    return outcome
