"""Frontmatter: find the `---` fences, read the YAML between them safely, recover what real files get wrong.

Real agent files are often not valid YAML (Claude's generator writes one-line descriptions full of
`: `, Cursor globs start with `*`), so a strict read is tried first and, when it fails, every top-level
key is read on its own and the broken ones are kept as plain text, each with a repair naming the line.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from agentkit.errors import AgentkitError
from agentkit.model import Finding

MAX_NODES = 10_000  # expanded node count allowed when the YAML uses aliases
MAX_DEPTH = 50  # nesting levels allowed
MAX_FRONTMATTER_BYTES = 512 * 1024  # characters between the fences: real ones are a few KiB at most
MAX_INT_BITS = 10_000  # about 3,000 digits: longer integers (hex can be any length) stay the text written

GLOB_KEYS = frozenset({"globs", "applyTo", "paths"})


@dataclass(frozen=True)
class Frontmatter:
    data: dict[str, Any] | None  # None when the file has no frontmatter at all; insertion order = source order
    body: str  # everything after the closing fence (the newline ending the fence removed)
    body_line: int  # 1-based line number in the text where `body` starts
    key_lines: dict[str, int]  # 1-based line of each top-level key
    recovered: bool  # True when strict YAML failed and recovery produced `data`
    repairs: tuple[Finding, ...]
    warnings: tuple[Finding, ...]
    # What `edit` needs to write the frontmatter back as its author wrote it: the lines between the
    # fences (dedented), every top-level key with the index of its line among them (a repeated key each
    # time), and the fence lines as written.
    lines: tuple[str, ...] = ()
    key_starts: tuple[tuple[str, int], ...] = ()
    fences: tuple[str, str] = ("---", "---")
    # For a file that is all keys (Codex's TOML): the line of `lines[0]` (1), and the body is a value too.
    first_line: int | None = None


# --------------------------------------------------------------------------------------------- loading


class _Refused(Exception):
    """Input the loader will not read at all (object tags, alias bombs, deep nesting)."""

    def __init__(self, reason: str, message: str, line: int) -> None:
        super().__init__(message)
        self.reason, self.message, self.line = reason, message, line  # line: 0-based in the loaded text

    def error(self, path: str, first_line: int) -> AgentkitError:
        return AgentkitError(self.reason, self.message, path, first_line + self.line)


_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: much faster


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that builds only what JSON can hold, and records duplicate keys and top-level key lines.

    This is where every frontmatter value enters the model, so every value is one a strict JSON parser
    accepts: timestamps, and numbers JSON has no form for (`.inf`, `.nan`, ints past MAX_INT_BITS), stay the
    text written; mapping keys are text; `!!binary` (bytes) and `!!set` refuse the file, naming the line."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.root: Node | None = None
        self.key_lines: dict[str, int] = {}  # 0-based
        self.key_starts: list[tuple[str, int]] = []  # every top-level key, repeats included (0-based line)
        self.duplicates: list[tuple[str, int, int]] = []  # key, first line, repeated line (0-based)
        self.as_text: list[tuple[str, int]] = []  # numbers kept as the text written, and their line (0-based)

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, MappingNode):
            return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]
        self._note_duplicates(node)
        return self._construct_keys(node, deep, node is self.root)

    def _note_duplicates(self, node: MappingNode) -> None:
        seen: dict[str, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            line = key_node.start_mark.line
            if key_node.value in seen:
                self.duplicates.append((key_node.value, seen[key_node.value], line))
            seen[key_node.value] = line

    def _construct_keys(self, node: MappingNode, deep: bool, root: bool) -> dict[str, Any]:
        self.flatten_mapping(node)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise ConstructorError(None, None, "found a collection used as a key", key_node.start_mark)
            key = self.construct_object(key_node, deep=deep)
            # Keys are names, at every level: `on:`, `2024:` or `.nan:` stay the text the author wrote,
            # not True, 2024 or a NaN (JSON keys are text; a NaN key would not even equal itself).
            key = key if isinstance(key, str) else key_node.value
            out[key] = self.construct_object(value_node, deep=deep)
            if root:
                self.key_lines[key] = key_node.start_mark.line
                self.key_starts.append((key, key_node.start_mark.line))
        return out

    def construct_yaml_int(self, node: ScalarNode) -> int | str:
        value = super().construct_yaml_int(node)
        if value.bit_length() <= MAX_INT_BITS:
            return value  # type: ignore[no-any-return]
        self.as_text.append((node.value, node.start_mark.line))  # e.g. 0xfff... : Python prints no int past 4,300 digits
        return str(node.value)

    def construct_yaml_float(self, node: ScalarNode) -> float | str:
        value = super().construct_yaml_float(node)
        if math.isfinite(value):
            return value  # type: ignore[no-any-return]
        self.as_text.append((node.value, node.start_mark.line))  # .inf, .nan, 1e999: JSON has no such number
        return str(node.value)


def _construct_undefined(loader: _Loader, node: Node) -> Any:
    tag = node.tag or ""
    if tag.startswith("tag:yaml.org,2002:"):  # `!!python/object...` and friends: refuse the file
        name = "!!" + tag[len("tag:yaml.org,2002:") :]
        raise _Refused("yaml-tag", f"YAML tag {name} is not allowed in frontmatter (objects are never constructed)", node.start_mark.line)
    raise ConstructorError(None, None, f"unknown YAML tag {tag!r}", node.start_mark)  # local `!tag`: recoverable


def _construct_refused(loader: _Loader, node: Node) -> Any:
    what = {"tag:yaml.org,2002:binary": "!!binary (bytes) is not allowed in frontmatter: JSON has no bytes; write the text itself",
            "tag:yaml.org,2002:set": "!!set is not allowed in frontmatter: JSON has no sets; write a list"}[node.tag]
    raise _Refused("yaml-value", f"YAML tag {what}", node.start_mark.line)


# A `date_added: 2026-03-08` must stay the text written, not become a datetime.date.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_str)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
_Loader.add_constructor("tag:yaml.org,2002:binary", _construct_refused)
_Loader.add_constructor("tag:yaml.org,2002:set", _construct_refused)
_Loader.add_constructor(None, _construct_undefined)

_OPENERS = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken, yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)
_CLOSERS = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


@dataclass(frozen=True)
class _Loaded:
    data: Any
    key_lines: dict[str, int]  # 0-based in the loaded text
    duplicates: tuple[tuple[str, int, int], ...]
    as_text: tuple[tuple[str, int], ...] = ()  # numbers JSON cannot hold, kept as the text written (0-based line)
    key_starts: tuple[tuple[str, int], ...] = ()  # every top-level key and its 0-based line, repeats included


def _scan_structure(text: str) -> bool:
    """Refuse deep nesting before anything recursive runs; return whether aliases occur.

    The token scan is iterative (libyaml), whereas composing recurses per level and could exhaust the stack.
    """
    scanner = _Loader(text)
    depth, aliases = 0, False
    try:
        while scanner.check_token():
            token = scanner.get_token()
            if isinstance(token, _OPENERS):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _Refused("yaml-too-complex", f"frontmatter nests deeper than {MAX_DEPTH} levels", token.start_mark.line)
            elif isinstance(token, _CLOSERS):
                depth -= 1
            elif isinstance(token, yaml.AliasToken):
                aliases = True
    except yaml.MarkedYAMLError as exc:
        # libyaml 0.2.6 (PyYAML 6.0.3 on) stops deep flow nesting itself while it looks ahead, before
        # the tokens reach the count above; any other error is reported by the real load.
        if "nesting depth" in (exc.problem or ""):
            line = exc.problem_mark.line if exc.problem_mark is not None else 0
            raise _Refused("yaml-too-complex", f"frontmatter nests deeper than {MAX_DEPTH} levels", line) from None
    except yaml.YAMLError:
        pass  # the real load reports this error with its position
    finally:
        scanner.dispose()
    return aliases


def _check_expansion(root: Node) -> None:
    """Count nodes as constructed (an alias counts each time it is used): stops billion-laughs input."""
    stack, count = [root], 0
    while stack:
        node = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise _Refused("yaml-too-complex", f"YAML aliases expand to more than {MAX_NODES:,} values (alias bomb?)", node.start_mark.line)
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack += (key, value)


def _may_be_hostile(text: str) -> bool:
    # Aliases need `*`; a level of nesting needs a new line or a bracket. Without either in quantity,
    # neither limit can be reached and the token scan can be skipped.
    return "*" in text or text.count("\n") + text.count("[") + text.count("{") >= MAX_DEPTH


def _load(text: str) -> _Loaded:
    """Strict safe YAML load with the safety limits. Raises yaml.YAMLError or _Refused."""
    aliases = _scan_structure(text) if _may_be_hostile(text) else False
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return _Loaded(None, {}, ())
        if aliases:
            _check_expansion(node)
        loader.root = node
        try:
            data = loader.construct_document(node)
        except (ValueError, TypeError, OverflowError) as exc:  # e.g. `!!int abc`
            raise ConstructorError(None, None, f"bad value: {exc}", node.start_mark) from exc
        _check_json(data, node.start_mark.line)
        return _Loaded(data, dict(loader.key_lines), tuple(loader.duplicates), tuple(loader.as_text), tuple(loader.key_starts))
    finally:
        loader.dispose()


def _check_json(data: Any, line: int) -> None:
    """The loader's promise, checked: only text keys, strings, finite numbers, booleans, nulls, lists and
    mappings. Anything else would be an agentkit bug; the file is refused rather than printed as bad JSON.
    (No cycles to guard against: a recursive alias expands past MAX_NODES and is refused before this.)"""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if not all(isinstance(key, str) for key in value):
                raise _Refused("yaml-value", "a mapping key in the frontmatter is not text", line)
            stack.extend(value.values())
        elif isinstance(value, (list, tuple)):  # tuples: the pairs of `!!omap` and `!!pairs`
            stack.extend(value)
        elif isinstance(value, float) and not math.isfinite(value):
            raise _Refused("yaml-value", "a number in the frontmatter has no JSON form", line)
        elif not (value is None or isinstance(value, (str, int, float))):
            raise _Refused("yaml-value", f"a YAML {type(value).__name__} value has no JSON form", line)


def _problem(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None) or str(error).split("\n")[0]
    return str(problem)


def _error_line(error: yaml.YAMLError) -> int:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return mark.line if mark is not None else 0


def _load_warnings(loaded: _Loaded, first_line: int) -> list[Finding]:
    return [
        Finding("duplicate-key", f"key '{key}' is set again (first on line {first_line + a}); the last value is used", first_line + b)
        for key, a, b in loaded.duplicates
    ] + [
        Finding("yaml-number-as-text", f"{text[:40]!r} is a number JSON cannot hold; kept as the text written", first_line + line)
        for text, line in loaded.as_text
    ]


# --------------------------------------------------------------------------------------------- fences

_FENCE = re.compile(r"^([ \t]*)(-{3,})[ \t\r]*$")
_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_.-]*)\s*:(?:\s|$)")


@dataclass(frozen=True)
class _Fences:
    open_index: int  # 0-based line index of the opening fence
    close_index: int
    indent: int  # columns the opening fence was indented by
    repairs: tuple[Finding, ...]


def _dedent(line: str, indent: int) -> str:
    stripped = line.lstrip(" \t")
    return line[min(indent, len(line) - len(stripped)) :]


def _closing_index(lines: list[str], start: int, indent: int) -> int | None:
    # The first dash rule ends the frontmatter; a later `---` is a Markdown rule in the body.
    for index in range(start, len(lines)):
        match = _FENCE.match(lines[index])
        if match and len(match.group(1)) <= indent:
            return index
    return None


def _looks_like_yaml(lines: list[str]) -> bool:
    first = next((line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")), "")
    return bool(_KEY.match(first))


def _fence_repairs(lines: list[str], start: int, close: int, indent: int) -> tuple[Finding, ...]:
    repairs = []
    if start:
        repairs.append(Finding("frontmatter-fence", f"{start} blank line(s) before the opening '---' removed (tools only read frontmatter on line 1)", start + 1))
    if indent:
        repairs.append(Finding("frontmatter-fence", f"opening '---' was indented by {indent}; frontmatter dedented", start + 1))
    if start + 1 < close and not lines[start + 1].strip():
        repairs.append(Finding("frontmatter-fence", "blank line after the opening '---' removed", start + 2))
    closing = lines[close].strip()  # an indented closing fence goes with an indented opening one, reported above
    if closing != "---":
        repairs.append(Finding("frontmatter-fence", f"closing fence is a {len(closing)}-dash rule; read as '---'", close + 1))
    return tuple(repairs)


def _find_fences(lines: list[str], path: str) -> _Fences | None:
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        return None
    match = _FENCE.match(lines[start])
    if not match or match.group(2) != "---":
        return None
    indent = len(match.group(1))
    strict_open = start == 0 and indent == 0
    close = _closing_index(lines, start + 1, indent)
    if close is None:
        if strict_open:
            raise AgentkitError("unterminated-frontmatter", "frontmatter opened on line 1 is never closed", path, line=1)
        return None  # a lone rule after blank lines is Markdown, not frontmatter
    if not strict_open and not _looks_like_yaml([_dedent(line, indent) for line in lines[start + 1 : close]]):
        return None
    return _Fences(start, close, indent, _fence_repairs(lines, start, close, indent))


# --------------------------------------------------------------------------------------------- recovery


@dataclass(frozen=True)
class _Chunk:
    key: str
    index: int  # 0-based index of the key line in the frontmatter lines
    lines: tuple[str, ...]


@dataclass(frozen=True)
class _Read:
    data: dict[str, Any]
    key_lines: dict[str, int]
    recovered: bool
    repairs: tuple[Finding, ...]
    warnings: tuple[Finding, ...]
    key_starts: tuple[tuple[str, int], ...] = ()  # 0-based line of every top-level key, repeats included


def _trim_chunk(key: str, index: int, lines: list[str]) -> _Chunk:
    while len(lines) > 1 and not lines[-1].strip():
        lines.pop()
    return _Chunk(key, index, tuple(lines))


def _split_chunks(lines: list[str]) -> tuple[list[_Chunk], list[int]]:
    """Top-level key chunks, and the indexes of non-YAML lines before the first key."""
    chunks: list[_Chunk] = []
    garbage: list[int] = []
    current: tuple[str, int, list[str]] | None = None
    for index, line in enumerate(lines):
        match = _KEY.match(line)
        if match:
            if current:
                chunks.append(_trim_chunk(*current))
            current = (match.group(1), index, [line])
        elif line.startswith("#"):
            continue  # a comment at column 0 belongs to no key
        elif current:
            current[2].append(line)  # indented, blank, `- item`, or a stray column-0 continuation
        elif line.strip():
            garbage.append(index)
    if current:
        chunks.append(_trim_chunk(*current))
    return chunks, garbage


def _closing_quote(text: str, quote: str) -> int:
    """Index of the quote closing the scalar that opens `text`, or -1."""
    index = 1
    while index < len(text):
        char = text[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and text[index + 1 : index + 2] == "'":  # '' is an escaped quote
                index += 2
                continue
            return index
        index += 1
    return -1


_UNQUOTED_GLOB = "unquoted glob starts with '*'"


def _plain_cause(text: str, key: str, error: yaml.YAMLError) -> str:
    first = text[:1]
    if first == "*" and key in GLOB_KEYS:
        return f"{_UNQUOTED_GLOB} (YAML reads it as an alias)"
    if text.startswith("**"):
        return "value starts with '**' Markdown bold (YAML reads '*' as an alias)"
    if first == "*":
        return "unquoted value starts with '*' (YAML reads it as an alias)"
    if first and first in "&!":
        return f"unquoted value starts with '{first}' (YAML reads it as an {'anchor' if first == '&' else 'tag'})"
    if first and first in "@`%":
        return f"unquoted value starts with reserved character '{first}'"
    if first and first in "[{":
        return "malformed flow collection"
    if ": " in text or text.endswith(":"):
        return "unquoted value contains ': '"
    return f"invalid YAML ({_problem(error)})"


def _raw_globs(text: str) -> tuple[str, str] | None:
    parts = [part.strip() for part in text.split(",")]
    if len(parts) > 1 and all(len(p) >= 2 and p[0] in "'\"" and p[-1] == p[0] for p in parts):
        return ", ".join(p[1:-1] for p in parts), "several quoted globs separated by commas; read as one comma-separated string"
    return None


def _raw_scalar(text: str, key: str, error: yaml.YAMLError) -> tuple[str, str]:
    """A value YAML could not read -> (the text the author meant, why YAML failed)."""
    if key in GLOB_KEYS and (globs := _raw_globs(text)):
        return globs
    quote = text[:1]
    if quote in ("'", '"'):
        end = _closing_quote(text, quote)
        if end < 0:
            return text[1:].strip(), "unterminated quote; opening quote dropped"
        if len(text) > 1 and text.endswith(quote):
            return text[1:-1], "unescaped quote inside a quoted value; outer quotes removed"
        return text, "quoted value followed by extra text; kept as written"
    return text, _plain_cause(text, key, error) + "; read as plain text"


def _fold(parts: list[str]) -> str:
    """Join continuation lines with single spaces; a blank line becomes a line break (as YAML folds)."""
    paragraphs: list[str] = []
    words: list[str] = []
    for part in parts:
        if part:
            words.append(part)
        elif words:
            paragraphs.append(" ".join(words))
            words = []
    if words:
        paragraphs.append(" ".join(words))
    return "\n".join(paragraphs)


def _raw_list(items: list[str], key: str) -> tuple[list[Any], str]:
    values: list[Any] = []
    causes: list[str] = []
    for item in items:
        try:
            values.append(_load(item).data)
        except yaml.YAMLError as exc:
            value, cause = _raw_scalar(item, key, exc)
            values.append(value)
            causes.append(cause)
    return values, (causes[0] if causes else "invalid list") + " (in a list item)"


def _raw_value(chunk: _Chunk, error: yaml.YAMLError) -> tuple[Any, str]:
    first = chunk.lines[0]
    inline = first[first.index(":") + 1 :].strip()
    rest = [line.strip() for line in chunk.lines[1:]]
    if not any(rest):
        return _raw_scalar(inline, chunk.key, error)
    items = [line for line in rest if line]
    if not inline and all(line == "-" or line.startswith("- ") for line in items):
        return _raw_list([line[1:].strip() for line in items], chunk.key)
    value, cause = _raw_scalar(_fold([inline, *rest]), chunk.key, error)
    return value, f"{cause}; {len(items)} continuation line(s) joined"


_LITERAL_NEWLINE = re.compile(r"(?<!\\)\\n")


def _recover_chunk(chunk: _Chunk, line: int, path: str) -> tuple[Any, Finding | None, list[Finding]]:
    try:
        return _read_chunk(chunk, line)
    except _Refused as refusal:
        raise refusal.error(path, line) from None


def _read_chunk(chunk: _Chunk, line: int) -> tuple[Any, Finding | None, list[Finding]]:
    try:
        loaded = _load("\n".join(chunk.lines))
    except yaml.YAMLError as exc:
        value, cause = _raw_value(chunk, exc)
        if chunk.key in GLOB_KEYS and len(chunk.lines) == 1 and cause.startswith(_UNQUOTED_GLOB):
            return value, None, []  # `globs: **/*.ts`: how Cursor writes globs (its reader takes the line as it is), not a fault
        if chunk.key == "description" and isinstance(value, str) and _LITERAL_NEWLINE.search(value):
            # Claude's generator writes line breaks as a literal backslash-n in an unquoted one-liner.
            value = _LITERAL_NEWLINE.sub("\n", value)
            cause += "; literal \\n read as line breaks"
        return value, Finding("frontmatter-recovered", f"{chunk.key}: {cause}", line), []
    if isinstance(loaded.data, dict) and len(loaded.data) == 1:
        return next(iter(loaded.data.values())), None, _load_warnings(loaded, line)
    value, cause = _raw_value(chunk, yaml.YAMLError("not a single key"))
    return value, Finding("frontmatter-recovered", f"{chunk.key}: {cause}", line), []


def _recover(lines: list[str], first_line: int, path: str, error: yaml.YAMLError) -> _Read:
    chunks, garbage = _split_chunks(lines)
    if not chunks:
        raise AgentkitError("invalid-yaml", f"invalid YAML in frontmatter: {_problem(error)}", path, first_line + _error_line(error))
    warnings: list[Finding] = []
    if garbage:
        warnings.append(Finding("frontmatter-garbage", f"{len(garbage)} line(s) before the first key are not YAML; ignored", first_line + garbage[0]))
    data: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    repairs: list[Finding] = []
    for chunk in chunks:
        line = first_line + chunk.index
        value, repair, nested = _recover_chunk(chunk, line, path)
        if chunk.key in data:
            warnings.append(Finding("duplicate-key", f"key '{chunk.key}' is set again (first on line {key_lines[chunk.key]}); the last value is used", line))
        data[chunk.key] = value
        key_lines[chunk.key] = line
        repairs += [repair] if repair else []
        warnings += nested
    return _Read(data, key_lines, True, tuple(repairs), tuple(warnings), tuple((c.key, c.index) for c in chunks))


# --------------------------------------------------------------------------------------------- parse


def _kind_of(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return f"a {type(value).__name__}"


def _read_yaml(lines: list[str], first_line: int, path: str) -> _Read:
    try:
        loaded = _load("\n".join(lines))
    except _Refused as refusal:
        raise refusal.error(path, first_line) from None
    except yaml.YAMLError as exc:
        return _recover(lines, first_line, path, exc)
    if loaded.data is None:  # empty, or comments only
        return _Read({}, {}, False, (), ())
    if not isinstance(loaded.data, dict):
        raise AgentkitError("frontmatter-not-mapping", f"frontmatter is {_kind_of(loaded.data)}, not a mapping of keys", path, first_line)
    key_lines = {key: first_line + line for key, line in loaded.key_lines.items()}
    return _Read(loaded.data, key_lines, False, (), tuple(_load_warnings(loaded, first_line)), loaded.key_starts)


def parse(text: str, path: str = "") -> Frontmatter:
    """Split `text` (decoded, LF line endings) into frontmatter data and body. Raises AgentkitError."""
    lines = text.split("\n")
    if lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]  # the decoder reports BOMs; here it must not hide the fence
    fences = _find_fences(lines, path)
    if fences is None:
        return Frontmatter(None, text, 1, {}, False, (), ())
    inner = [_dedent(line, fences.indent) for line in lines[fences.open_index + 1 : fences.close_index]]
    size = sum(len(line) + 1 for line in inner)
    if size > MAX_FRONTMATTER_BYTES:
        raise AgentkitError("frontmatter-too-large", f"the frontmatter holds {size:,} characters; agentkit reads up to "
                                                     f"{MAX_FRONTMATTER_BYTES:,} (a tool list of a million names, say, is not an agent)",
                            path, fences.open_index + 1)
    read = _read_yaml(inner, fences.open_index + 2, path)
    body_lines = lines[fences.close_index + 1 :]
    repairs = fences.repairs + read.repairs
    if fences.indent and all(not line.strip() or _indent_of(line) >= fences.indent for line in body_lines):
        # The whole file was pasted indented: the body would otherwise read as one big code block.
        body_lines = [line[fences.indent :] for line in body_lines]
        repairs += (Finding("body-indent", f"body was indented by {fences.indent} like its frontmatter; dedented", fences.close_index + 2),)
    return Frontmatter(
        data=read.data,
        body="\n".join(body_lines),
        body_line=fences.close_index + 2,
        key_lines=read.key_lines,
        recovered=read.recovered,
        repairs=repairs,
        warnings=read.warnings,
        lines=tuple(inner),
        key_starts=read.key_starts,
        fences=(lines[fences.open_index], lines[fences.close_index]) if not fences.repairs else ("---", "---"),
    )


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


# --------------------------------------------------------------------------------------------- dump

_BREAKS = ("\n", "\r", "\x85", "\u2028", "\u2029")
_YAML11_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"})
# Numbers as YAML 1.2 parsers read them (PyYAML, a 1.1 parser, would leave `1e3` or `0o17` unquoted).
_NUMBER_12 = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
_SIMPLE = re.compile(r"[A-Za-z0-9_(][A-Za-z0-9_./()@+*$~-]*(?: [A-Za-z0-9_./()@+*$~-]+)*")
_STR_TAG = "tag:yaml.org,2002:str"


# libyaml's emitter when PyYAML has it: the same YAML, several times faster than the Python one.
class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True  # never write &id001 anchors: readable output, and readers need not support aliases


class _WideDumper(yaml.SafeDumper):
    """The Python emitter, for text holding characters beyond U+FFFF: libyaml writes an emoji as a
    `\U0001F680` escape (and quotes the value for it); the Python emitter writes it as it is."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _needs_quotes(text: str) -> bool:
    return text.lower() in _YAML11_WORDS or bool(_NUMBER_12.fullmatch(text))


def _represent_str(dumper: Any, text: str) -> ScalarNode:
    style: str | None = None
    if any(br in text for br in _BREAKS):
        style = '"'  # one line with \n escapes, as Claude writes descriptions
    elif _needs_quotes(text):
        style = "'"
    return dumper.represent_scalar(_STR_TAG, text, style=style)


def _is_simple(dumper: Any, item: Any) -> bool:
    return (
        isinstance(item, str)
        and bool(_SIMPLE.fullmatch(item))
        and not _needs_quotes(item)
        and dumper.resolve(ScalarNode, item, (True, False)) == _STR_TAG
    )


def _represent_list(dumper: Any, items: list[Any]) -> SequenceNode:
    flow = bool(items) and all(_is_simple(dumper, item) for item in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


def _represent_dict(dumper: Any, data: dict[Any, Any]) -> MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=False)


for _dumper in (_Dumper, _WideDumper):
    _dumper.add_representer(str, _represent_str)
    _dumper.add_representer(list, _represent_list)
    _dumper.add_representer(dict, _represent_dict)


# `\U0001F680` in a double-quoted scalar (not `\\U...`, an escaped backslash before a U).
_WIDE_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\U(0001[0-9A-F]{4}|000[2-9A-F][0-9A-F]{4}|0010[0-9A-F]{4})")


def _has_wide(value: Any) -> bool:
    """Any text in `value` (keys included) with a character beyond U+FFFF."""
    if isinstance(value, str):
        return not value.isascii() and any(ord(char) > 0xFFFF for char in value)
    if isinstance(value, dict):
        return any(_has_wide(k) or _has_wide(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_wide(item) for item in value)
    return False


def _plain(value: Any) -> Any:
    """Mappings -> dict and tuples -> list, so the dumper and the round-trip check see YAML's types."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _dump_with_verbatim(data: Mapping[str, Any], verbatim: frozenset[str]) -> tuple[str, dict[str, Any]]:
    parts: list[str] = []
    run: dict[str, Any] = {}
    for key, value in data.items():
        if key in verbatim:
            parts.append(dump(run) if run else "")
            parts.append(verbatim_line(key, value))
            run = {}
        else:
            run[key] = value
    parts.append(dump(run) if run else "")
    text = "".join(parts)
    read = _read_yaml(text.rstrip("\n").split("\n"), 1, "")
    if read.repairs or list(read.data) != list(data) or not all(_same(read.data[k], _plain(data[k])) for k in data):
        raise AgentkitError("emit-failed", "frontmatter does not read back as written (agentkit bug)")
    return text, read.data


def verbatim_line(key: str, value: Any) -> str:
    """A key its tool reads as the raw text of its line (Cursor's `globs: **/*.ts,**/*.tsx`)."""
    return f"{key}: {value}\n"


def same_value(a: Any, b: Any) -> bool:
    """Two YAML values are the same, key order included (NaN equals NaN)."""
    return _same(a, b)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def dump(data: Mapping[str, Any]) -> str:
    """YAML text for a frontmatter mapping, without fences, ending with a newline. Deterministic."""
    return dump_and_load(data)[0]


def dump_and_load(data: Mapping[str, Any], verbatim: frozenset[str] = frozenset()) -> tuple[str, dict[str, Any]]:
    """`dump`, and the mapping the strict loader reads back from the text (equal to `data` as plain YAML).

    Keys in `verbatim` (Cursor's `globs`) are written as `key: text`, the text unquoted, as their tool
    reads the line; the whole is then read back by agentkit's own reader (strict YAML where it can)."""
    if verbatim & set(data):
        return _dump_with_verbatim(data, verbatim)
    plain = _plain(data)
    try:
        wide = _has_wide(plain)
        dumper = _WideDumper if wide else _Dumper  # Unicode is written as Unicode
        text = yaml.dump(plain, Dumper=dumper, sort_keys=False, allow_unicode=True, width=1 << 30, indent=2, default_flow_style=False)
        if wide and "\\U" in text:  # a double-quoted value (one with line breaks) still escapes them
            unescaped = _WIDE_ESCAPE.sub(lambda m: m.group(1) + chr(int(m.group(2), 16)), text)
            try:
                if _same(_load(unescaped).data, plain):
                    text = unescaped
            except (yaml.YAMLError, _Refused, ValueError):
                pass  # keep the escapes: they read back right
        loaded = _load(text).data
    except (yaml.YAMLError, _Refused, RecursionError) as exc:
        raise AgentkitError("emit-failed", f"cannot write frontmatter as YAML: {exc}") from None
    if not _same(loaded, plain):
        raise AgentkitError("emit-failed", "frontmatter YAML does not read back as written (agentkit bug)")
    return str(text), loaded


# --------------------------------------------------------------------------------------------- edit


@dataclass(frozen=True)
class _Piece:
    """One top-level key as written: comment lines directly above it, its own lines, and the blank or
    comment lines after it (before the next key's comments)."""

    key: str
    head: tuple[str, ...]
    own: tuple[str, ...]
    tail: tuple[str, ...]


def _pieces(doc: Frontmatter) -> tuple[list[str], dict[str, _Piece]] | None:
    """The lines before the first key, and each key's last occurrence as a piece (an earlier repeat of a
    key is left out: the last value is the one read). None when the keys do not stand on lines of their
    own in order (a flow mapping, keys sharing a line): such frontmatter is written fresh."""
    lines, starts = list(doc.lines), list(doc.key_starts)
    if not starts or any(b <= a for (_, a), (_, b) in zip(starts, starts[1:])) or starts[-1][1] >= len(lines):
        return None
    begins = []
    for number, (_, index) in enumerate(starts):
        floor = starts[number - 1][1] + 1 if number else 0
        begin = index
        while begin - 1 >= floor and lines[begin - 1].startswith("#"):
            begin -= 1  # a comment at column 0 right above a key is about that key (`# prettier-ignore`)
        begins.append(begin)
    pieces: dict[str, _Piece] = {}
    for number, (key, index) in enumerate(starts):
        end = begins[number + 1] if number + 1 < len(starts) else len(lines)
        own_end = end
        while own_end - 1 > index and (not lines[own_end - 1].strip() or lines[own_end - 1].startswith("#")):
            own_end -= 1
        pieces[key] = _Piece(key, tuple(lines[begins[number]:index]), tuple(lines[index:own_end]), tuple(lines[own_end:end]))
    return lines[: begins[0]], pieces


def key_text(doc: Frontmatter, key: str) -> tuple[str, ...] | None:
    """The lines `key` is written on (its last occurrence), or None when they cannot be told apart."""
    split = _pieces(doc) if doc.data is not None else None
    piece = split[1].get(key) if split else None
    return piece.own if piece else None


def _order(template: list[str], wanted: list[str]) -> list[str]:
    """`wanted`'s keys in the template's order; a key the template lacks goes right after the key that
    precedes it in `wanted` (first when none does)."""
    order = [key for key in template if key in wanted]
    for position, key in enumerate(wanted):
        if key in order:
            continue
        before = next((k for k in reversed(wanted[:position]) if k in order), None)
        order.insert(order.index(before) + 1 if before is not None else 0, key)
    return order


def edit(doc: Frontmatter, data: Mapping[str, Any], keeps: Callable[[str, Any, tuple[str, ...]], bool],
         dump_key: Callable[[str, Any], str] | None = None) -> tuple[str, dict[str, Any]] | None:
    """The frontmatter text (without fences) that holds `data` written as `doc` was: every key whose
    value the template already holds (`keeps(key, value as read from the template, its lines)`) keeps its lines as
    written, comments, quoting, flow or block style and blank lines included; a changed key is written
    fresh (`dump_key`, default `dump`) under its comments; a new key goes after the key before it; a key
    not in `data` goes, with its comments, unless it holds nothing (`tools:`). Key order follows the template.

    Returns (text, the mapping agentkit's own reader reads from it), or None when the result would not
    read back, without a repair, as exactly that mapping: the caller then writes the frontmatter fresh."""
    split = _pieces(doc) if doc.data is not None else None
    if split is None:
        return None
    preamble, pieces = split
    while preamble and not preamble[0].strip():
        preamble = preamble[1:]  # a blank line right after the opening fence: the reader's fence repair
    old = doc.data or {}
    write_key = dump_key or (lambda key, value: dump({key: value}))
    # A key the template has with nothing after it (`tools:`) says nothing: it stays when `data` lacks it.
    empty = [key for key in pieces if key not in data and old.get(key, 0) in (None, "")]
    order = _order(list(pieces), [*data, *empty])
    data = {**data, **{key: old[key] for key in empty}}
    expected: dict[str, Any] = {}
    out: list[str] = list(preamble)
    pending_tail: tuple[str, ...] = ()
    for key in order:
        piece = pieces.get(key)
        if piece is None:  # new: after the key before it, before that key's trailing blank lines
            out += write_key(key, data[key]).rstrip("\n").split("\n")
            expected[key] = data[key]
            continue
        out += pending_tail
        kept = key in empty or key in old and keeps(key, old[key], piece.own) and (not doc.recovered or _reads_alone(piece, old[key]))
        expected[key] = old[key] if kept else data[key]
        out += piece.head
        out += piece.own if kept else write_key(key, data[key]).rstrip("\n").split("\n")
        pending_tail = piece.tail
    out += pending_tail
    text = "\n".join(out).rstrip("\n") + "\n" if out else ""
    try:
        read = _read_yaml(text.rstrip("\n").split("\n"), 1, "") if text else _Read({}, {}, False, (), ())
    except AgentkitError:
        return None
    if read.repairs or list(read.data) != list(expected) or not all(_same(read.data[k], expected[k]) for k in expected):
        return None
    return text, read.data


def _reads_alone(piece: _Piece, value: Any) -> bool:
    """A piece of a frontmatter that was recovered: kept only when it reads, on its own and without a
    repair, as the value the template held (the broken key is written fresh: the repair)."""
    try:
        read = _read_yaml(list(piece.own), 1, "")
    except AgentkitError:
        return False
    return not read.repairs and list(read.data) == [piece.key] and _same(read.data[piece.key], value)


_BLOCK_SCALAR = re.compile(r"^(?P<indent>\s*)(?:[^#\s][^:#]*:|-)\s*[|>][-+0-9]*\s*(?:#.*)?$")


def comment_lines(doc: Frontmatter) -> int:
    """How many whole-line YAML comments the frontmatter holds (not `#` lines inside a block scalar):
    what a write into another format, which starts its frontmatter afresh, cannot carry."""
    count = 0
    block: int | None = None  # the indentation of the key whose block scalar the lines belong to
    for line in doc.lines:
        indent = len(line) - len(line.lstrip())
        if block is not None and (not line.strip() or indent > block):
            continue
        block = None
        if line.lstrip().startswith("#"):
            count += 1
            continue
        match = _BLOCK_SCALAR.match(line)
        if match:
            block = len(match.group("indent"))
    return count
