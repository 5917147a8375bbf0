"""bytes -> repaired text -> frontmatter + body -> Agent, with every repair and warning returned."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator

from agentkit import checks, formats
from agentkit import text as _text
from agentkit.errors import AgentkitError
from agentkit.examples import split_examples, take_examples_section
from agentkit.formats.fields import read_fields
from agentkit.frontmatter import Frontmatter, key_text, verbatim_line
from agentkit.frontmatter import parse as parse_frontmatter
from agentkit.markdown import parse_sections
from agentkit.marker import digest, split_marker
from agentkit.model import Agent, Finding, Origin, ReadResult
from agentkit.text import decode

# Bounds that keep every command linear and small on any file under the size limit (issue 18): a body
# of more lines, or a frontmatter of more bytes (`frontmatter.MAX_FRONTMATTER_BYTES`), is refused at
# once with one line. Real agent files stay far below both.
MAX_BODY_LINES = 20_000

# What a directory search picks up: Markdown-based agent and rule files.
AGENT_SUFFIXES = (".md", ".mdc", ".markdown")
AGENT_NAMES = (".cursorrules",)


def read(path: str | os.PathLike[str], fmt: str | None = None, analyze: bool = True) -> ReadResult:
    """Read one agent file of any supported format. Raises AgentkitError for input it refuses.

    `analyze=False` skips splitting the body into sections and items and the checks behind the
    warnings (repairs and text warnings still come): export needs neither, and they are most of the
    reading time."""
    name = os.fspath(path)
    data = read_input(name)
    return read_bytes(data, name, fmt, analyze)


# What a path that is not a regular file is, by the type bits of its mode.
_NOT_REGULAR = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
                (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _refuse_unless_regular(mode: int, name: str) -> None:
    if stat.S_ISREG(mode):
        return
    kind = next((what for test, what in _NOT_REGULAR if test(mode)), "not a regular file")
    if kind == "a directory":
        raise AgentkitError("is-directory", "is a directory, not an agent file", name)
    raise AgentkitError("not-regular-file", f"is {kind}, not a regular file", name)


def shown_path(name: str) -> str:
    """A path as an error line can show it: a NUL byte written as \\x00."""
    return name.replace("\x00", "\\x00")


def near(path: str) -> str:
    """A path as people see it in a message: relative to the current folder when it is under it
    (`.claude/agents/a.md`), else as it is."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path
    return path if relative == os.pardir or relative.startswith(os.pardir + os.sep) else relative


def read_input(path: str | os.PathLike[str]) -> bytes:
    """The bytes of one input file, read safely: every command reads its inputs through here.

    Regular files only: the type is checked before opening (a FIFO or a device is refused at once,
    never opened to block or stream forever) and again on the open file, in case it was swapped in
    between. At most `text.MAX_BYTES` + 1 bytes are read, whatever the size the file claims, so a
    growing file or a /proc-like one never exhausts memory. Raises AgentkitError with the reason."""
    name = os.fspath(path)
    if "\x00" in name:
        raise AgentkitError("bad-path", "path contains a NUL byte", shown_path(name))
    limit = _text.MAX_BYTES
    try:
        _refuse_unless_regular(os.stat(name).st_mode, name)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(name, flags)
        try:
            info = os.fstat(fd)
            _refuse_unless_regular(info.st_mode, name)
            if info.st_size > limit:
                raise AgentkitError("too-large", f"file is {info.st_size:,} bytes; agentkit reads files up to {limit:,} bytes", name)
            chunks: list[bytes] = []
            size = 0
            while size <= limit:
                chunk = os.read(fd, min(limit + 1 - size, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        finally:
            os.close(fd)
    except OSError as exc:
        raise AgentkitError("unreadable", exc.strerror or str(exc), name) from None
    if size > limit:
        raise AgentkitError("too-large", f"file has more than {limit:,} bytes (more than its size says); agentkit reads files up to {limit:,} bytes", name)
    return b"".join(chunks)


# Files that are agent specs in other tools but not Markdown: refused with a reason, not misread.
NOT_MARKDOWN = {".toml": "TOML", ".json": "JSON", ".jsonc": "JSON", ".yaml": "YAML", ".yml": "YAML"}


def read_bytes(data: bytes, path: str = "", fmt: str | None = None, analyze: bool = True) -> ReadResult:
    kind = NOT_MARKDOWN.get(os.path.splitext(path)[1].lower())
    if kind and fmt is None and formats.detect_from_path(path) is None:  # `.codex/agents/x.toml` is Codex's
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
    content, recorded = split_marker(decoded.text)  # the marker `agentkit sync` ends its files with is not guidance
    # Our own output only when the marker's digest matches: a marker copied into a file, or a generated
    # file edited since, is somebody's text (read as a source, with a warning), not ours.
    genuine = recorded is not None and digest(content) == recorded
    marker_warning = [] if genuine or recorded is None else [Finding(
        "marker-mismatch", "ends with an agentkit marker that does not match its content: read as a source "
        "(remove the marker line if this file is yours)", decoded.text.rstrip("\n").count("\n") + 1)]
    syntax = formats.get(fmt) if fmt else formats.FORMATS.get(formats.detect_from_path(path) or "")
    doc = syntax.parse_text(content, path) if syntax is not None and syntax.parse_text else parse_frontmatter(content, path)
    lines = doc.body.count("\n") + 1
    if lines > MAX_BODY_LINES:  # refused at once: parsing a body that size would take minutes and gigabytes
        raise AgentkitError("too-many-lines", f"the body has {lines:,} lines; agentkit reads agent files of up to {MAX_BODY_LINES:,} "
                                              "(the largest real one seen has under 2,000)", path, doc.body_line)
    spec = formats.get(fmt) if fmt else formats.get(formats.detect(path, doc.data))
    values, passthrough, warnings = read_fields(doc.data or {}, spec.fields, spec.name, doc.key_lines, spec.header)
    repairs = list(decoded.repairs) + list(doc.repairs) + _verbatim_repairs(doc, spec) + _noticed(values, spec, doc.key_lines)
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
        origin=Origin(spec.name, doc if doc.data is not None else None, doc.body),
    )
    if analyze:
        warnings += checks.check_agent(agent, spec, doc.key_lines, decoded.text.split("\n"), body_line)
    return ReadResult(
        agent=agent,
        repairs=tuple(repairs),
        warnings=tuple(decoded.warnings) + tuple(doc.warnings) + tuple(warnings) + tuple(marker_warning) + tuple(_escaped(doc)),
        key_lines=dict(doc.key_lines),
        encoding=decoded.encoding,
        recovered=doc.recovered,
        generated=genuine,
        has_frontmatter=doc.data is not None,
    )


def _verbatim_repairs(doc: Frontmatter, spec: formats.Format) -> list[Finding]:
    """A key its tool reads as the raw text of its line (Cursor's `globs`), not written the way the tool
    reads it (quoted, a YAML list, spaces after commas): a repair, since the tool would misread it."""
    found: list[Finding] = []
    for field in spec.fields:
        raw = (doc.data or {}).get(field.key)
        if not field.verbatim or raw is None or raw == "":
            continue
        try:
            written = field.write(field.read(raw))
        except ValueError:
            continue
        want = verbatim_line(field.key, written).rstrip("\n") if isinstance(written, str) else None
        have = key_text(doc, field.key)
        if want is not None and have is not None and have != (want,):
            found.append(Finding("verbatim-line", f"{field.key}: {spec.title}s read this line as it stands (quotes become part of a "
                                                  f"pattern, a space after a comma matches nothing); written as `{want}`", doc.key_lines.get(field.key)))
    return found


def _escaped(doc: Frontmatter) -> list[Finding]:
    """Hidden and control characters the frontmatter holds as escapes (YAML's or TOML's `"\u202e"`),
    file:line:column."""
    if doc.data is None or not any("\\" in line for line in doc.lines):
        return []
    values: list[str] = [doc.body] if doc.first_line is not None else []  # TOML: the instructions are a value
    stack: list[object] = [doc.data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            values.append(value)
        elif isinstance(value, dict):
            stack += [*value.keys(), *value.values()]
        elif isinstance(value, list):
            stack += value
    offset = doc.first_line if doc.first_line is not None else doc.body_line - len(doc.lines) - 1
    return _text.find_escaped(doc.lines, offset, "\n".join(values))


def _noticed(values: dict, spec: formats.Format, key_lines: dict[str, int]) -> list[Finding]:
    """Values the format's writer completes because its tool would drop them as written (a Copilot
    handoff without a prompt): repairs, named at their key."""
    found = []
    for field in spec.fields:
        message = field.notice(values[field.attr]) if field.notice and field.attr in values else None
        if message:
            found.append(Finding("completed", f"{field.key}: {message}", key_lines.get(field.key)))
    return found


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
    return [file for file in walk_files(root) if is_agent_file(file)]


def is_agent_file(path: str) -> bool:
    """What a folder search picks up: Markdown files, `.cursorrules` and files in a folder a format
    reads with their ending (`.codex/agents/*.toml`), but not a folder's README, CHANGELOG or LICENSE."""
    name = os.path.basename(path)
    lower = name.lower()
    if lower in formats.NOT_AGENT_NAMES:
        return False
    return lower.endswith(AGENT_SUFFIXES) or name in AGENT_NAMES or formats.detect_from_path(path) is not None


SKIP_FOLDERS = (".git", "node_modules", "__pycache__", ".venv")


def walk_files(root: str, recursive: bool = True) -> list[str]:
    """Every entry under the folder `root` that is not a folder, each folder's sorted, then its subfolders'.

    Symlinked folders are followed, each real folder once (by device and inode), so a link loop ends
    at its first repeat. Nothing is opened: FIFOs, devices and broken links are listed for `read` to
    refuse one by one, and the files beside them are still read."""
    found = [os.path.join(folder, name) for folder, _, files in _folders(root, recursive, SKIP_FOLDERS) for name in files]
    # `agentkit export .` names `.claude/agents/a.md` in its messages, not `./.claude/agents/a.md`.
    here = os.curdir + os.sep
    return [path[len(here):] if path.startswith(here) else path for path in found]


def _folders(root: str, recursive: bool, skip: tuple[str, ...]) -> Iterator[tuple[str, list[str], list[str]]]:
    """os.walk (top down, sorted) following symlinked folders, each real folder once: loop-safe."""
    seen: set[tuple[int, int]] = set()
    for folder, dirs, files in os.walk(root, followlinks=True):
        try:
            info = os.stat(folder)
        except OSError:
            dirs[:] = []
            continue
        if (info.st_dev, info.st_ino) in seen:
            dirs[:] = []  # reached again through a link: already listed
            continue
        seen.add((info.st_dev, info.st_ino))
        dirs[:] = sorted(d for d in dirs if d not in skip) if recursive else []
        yield folder, dirs, sorted(files)


def glob_paths(pattern: str) -> list[str]:
    """glob.glob(pattern, recursive=True), sorted; but a `**` follows symlinked folders once each, where
    glob follows them without end (two links back up a tree keep glob busy for good)."""
    import glob

    parts = pattern.split(os.sep)
    if "**" not in parts:
        return sorted(glob.glob(pattern))  # every component one level deep: no loop possible
    first = next(index for index, part in enumerate(parts) if glob.has_magic(part))
    base = os.curdir if first == 0 else os.sep if parts[:first] == [""] else os.sep.join(parts[:first])
    wanted = parts[first:]
    found = []
    for folder, dirs, files in _folders(base, True, ()):
        relative = os.path.relpath(folder, base)
        at = [] if relative == os.curdir else relative.split(os.sep)
        for name in (*dirs, *files):
            if _glob_match(wanted, (*at, name)):
                found.append(os.path.join(folder, name))
        if not at and _glob_match(wanted, ()):
            found.append(os.path.join(folder, ""))  # `dir/**` names the folder itself too, as glob does
    if first == 0:  # a relative pattern starting with magic: glob names `a/x.md`, not `./a/x.md`
        found = [path[len(os.curdir + os.sep):] if path.startswith(os.curdir + os.sep) else path for path in found]
    return sorted(p for p in found if p)


def _glob_match(pattern: list[str] | tuple[str, ...], path: tuple[str, ...]) -> bool:
    """glob's rules per path component: `**` is any number of components, names starting with a dot
    match only a pattern starting with one."""
    from fnmatch import fnmatchcase

    if not pattern:
        return not path
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return _glob_match(rest, path) or (bool(path) and not path[0].startswith(".") and _glob_match(pattern, path[1:]))
    if not path or (path[0].startswith(".") and not head.startswith(".")):
        return False
    return fnmatchcase(path[0], head) and _glob_match(rest, path[1:])


def read_many(paths: list[str], fmt: str | None = None, analyze: bool = True) -> list[ReadResult | AgentkitError]:
    """Read many files, in input order: each entry is the file's ReadResult or the error it was refused with
    (in a process pool from `pool.PARALLEL_FROM` files on: reading is mostly Markdown parsing)."""
    from functools import partial

    from agentkit.pool import map_files

    return map_files(partial(_read_one, fmt=fmt, analyze=analyze), paths)


def _read_one(path: str, fmt: str | None, analyze: bool) -> ReadResult:
    return read(path, fmt, analyze)
