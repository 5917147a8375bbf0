"""Field tables: how one format's frontmatter keys map onto `Agent` attributes, both ways.

A format module is mostly a table of `Field`s; `read_fields` and `write_fields` do the work for all of
them, so no format re-implements value coercion, passthrough or key ordering.
"""

from __future__ import annotations

import re
from collections.abc import (
    Callable,
    Mapping,  # not typing.Mapping: its isinstance checks are slow on the hot path
    Sequence,
)
from dataclasses import dataclass
from typing import Any

from agentkit.model import Agent, Finding, Handoff


@dataclass(frozen=True)
class Field:
    key: str  # frontmatter key in this format
    attr: str  # Agent attribute it fills
    read: Callable[[Any], Any]  # YAML value -> model value; raises ValueError when it cannot
    write: Callable[[Any], Any]  # model value -> YAML value
    documented: bool = True  # False: tolerated in this format's files but not part of its documentation
    empty_means_none: bool = False  # True for allowlists: `tools: []` grants nothing, unlike no `tools`
    # True for what an agent may do: a value that cannot be read refuses the file, since keeping it as
    # an unknown key would read as "no restriction" (every tool).
    strict: bool = False
    # True for a key its tool reads as the raw text of its line, not as YAML (Cursor's rule `globs`):
    # `write` gives that text, written as `key: text` without quotes, and read back by agentkit's reader.
    verbatim: bool = False
    # What writing a value changes because the tool would not read it as it is (a message), or None:
    # reported as a repair when the file is read and as a loss when it is exported.
    notice: Callable[[Any], str | None] | None = None
    # A second attribute the same key holds (OpenCode's `permission`: an allowlist when `*` is denied,
    # a denylist otherwise): `read` then returns (value, also value), None for "not set", and `write`
    # takes that pair.
    also: str | None = None


def as_str(value: Any) -> str:
    if isinstance(value, bool) or isinstance(value, (list, dict)):
        raise ValueError(f"expected text, found {type(value).__name__}")
    if value is None:
        raise ValueError("empty value")
    return str(value).strip()


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "yes", "no"):
        return value.strip().lower() in ("true", "yes")
    raise ValueError(f"expected true or false, found {value!r}")


def split_commas(text: str) -> list[str]:
    """Split `Read, Bash(git:*), Agent(a, b)` on commas that are not inside parentheses or brackets."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in "([{":
            depth += 1
        elif char in ")]}" and depth:
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def as_list(value: Any) -> tuple[str, ...]:
    """A YAML list or a comma-separated string, as a tuple of non-empty strings."""
    if isinstance(value, str):
        return tuple(split_commas(value))
    if isinstance(value, (list, tuple)):
        if any(isinstance(v, (list, dict)) for v in value):
            raise ValueError("expected a list of names, found nested data")
        return tuple(str(v).strip() for v in value if v is not None and str(v).strip())
    raise ValueError(f"expected a list or comma-separated text, found {type(value).__name__}")


def as_tool_map(value: Any) -> tuple[str, ...]:
    """A list as `as_list`, or an OpenCode boolean map (`{read: true, bash: false}`): the names set to
    true. Tools it does not mention are then not granted: narrower than OpenCode's default, never wider."""
    if isinstance(value, dict):
        if not all(isinstance(v, bool) for v in value.values()):
            raise ValueError("expected a map of tool names to true or false")
        return tuple(str(k) for k, v in value.items() if v)
    return as_list(value)


# What a permission of "deny" for everything denies, in names every vocabulary reads: the core tools and MCP.
DENY_ALL = ("Read", "Grep", "Glob", "Edit", "Write", "NotebookEdit", "Bash", "WebFetch", "WebSearch", "TodoWrite", "Agent", "mcp__*")


def star_rule(value: Mapping[str, Any]) -> tuple[str | None, list[tuple[str, Any]]]:
    """OpenCode's last-match-wins map: the action of `*` (None when there is none) and the rules that
    still count, those after it (`*` overrides every rule before it)."""
    items = [(str(k), v) for k, v in value.items()]
    at = next((i for i in range(len(items) - 1, -1, -1) if items[i][0] == "*"), None)
    if at is None:
        return None, items
    rule = items[at][1]
    return (rule.strip().lower() if isinstance(rule, str) else None), items[at + 1:]


def as_denied_permissions(value: Any) -> tuple[str, ...]:
    """OpenCode's `permission` map (`edit: deny`, `bash: {"rm *": deny, "*": ask}`) -> the names it denies.

    `ask` and `allow` deny nothing; a command map that denies `*` denies the whole tool (its allowed
    exceptions are not kept: narrower, never wider); a denied command becomes a Claude pattern."""
    if isinstance(value, str):
        return DENY_ALL if value.strip().lower() == "deny" else ()
    if not isinstance(value, dict):
        raise ValueError(f"expected a map of tools to allow, ask or deny, found {type(value).__name__}")
    star, after = star_rule(value)
    if star == "deny":
        return DENY_ALL  # every tool denied but those allowed after it: read as all denied (narrower, never wider)
    denied: list[str] = []
    for key, rule in after:
        tool = str(key)
        if isinstance(rule, str):
            if rule.strip().lower() == "deny":
                denied.append(tool)
        elif isinstance(rule, dict):
            rules = {str(k): str(v).strip().lower() for k, v in rule.items()}
            if rules.get("*") == "deny":
                denied.append(tool)
            else:
                denied += [f"{tool.capitalize()}({pattern})" for pattern, verdict in rules.items() if verdict == "deny"]
        else:
            raise ValueError(f"`{tool}`: expected allow, ask, deny or a map of patterns, found {type(rule).__name__}")
    return tuple(denied)


def as_inverted_bool(value: Any) -> bool:
    """`disable-model-invocation: true` -> may the model invoke it? False."""
    return not as_bool(value)


def inverted(value: bool) -> bool:
    return not value


def tight_commas(values: Sequence[str]) -> str:
    """Globs as Cursor writes and reads them: one line, comma-separated without spaces."""
    return ",".join(values)


def verbatim_problem(values: Sequence[str]) -> str | None:
    """Why these globs cannot be written as one raw line that reads back as them, or None."""
    if any("," in v or "\n" in v or v != v.strip() for v in values):
        return "a glob holds a comma, a line break or outer spaces"
    text = tight_commas(values)
    if text[:1] in "'\"[{&!|>%@`#" or " #" in text or ": " in text or text.endswith(":"):
        return "the line would read as YAML syntax, not as globs"
    return None


def cursor_globs(values: Sequence[str]) -> str | list[str]:
    """Cursor's one raw line where it can stand (`verbatim_problem`), else a YAML list."""
    return tight_commas(values) if verbatim_problem(values) is None else list(values)


def comma_text(values: Sequence[str]) -> str | list[str]:
    # An empty allowlist stays a list: `tools: ''` would read back as "no list at all".
    return ", ".join(values) if values else []


def yaml_list(values: Sequence[str]) -> list[str]:
    return list(values)


def identity(value: Any) -> Any:
    return value


def as_model(value: Any) -> str:
    """A model name; a VS Code fallback list yields its first entry (the rest stays in passthrough)."""
    if isinstance(value, list) and value:
        return as_str(value[0])
    return as_str(value)


HANDOFF_KEYS = ("agent", "label", "prompt", "send", "model")


def as_handoffs(value: Any) -> tuple[Handoff, ...]:
    if not isinstance(value, list):
        raise ValueError("expected a list of handoffs")
    handoffs = []
    for entry in value:
        if not isinstance(entry, dict):
            raise ValueError("each handoff must be a mapping with `agent` and `label`")
        # Seed 002 writes `target:` where Copilot documents `agent:`; read it as the agent (checks warn).
        agent = entry.get("agent", entry.get("target"))
        extra = {k: v for k, v in entry.items() if k not in HANDOFF_KEYS and k != "target"}
        send = entry.get("send")
        handoffs.append(
            Handoff(
                agent=as_str(agent) if agent is not None else "",
                label=str(entry.get("label") or ""),
                prompt=str(entry.get("prompt") or ""),
                send=as_bool(send) if send is not None else None,
                model=str(entry["model"]) if entry.get("model") is not None else None,
                extra=extra,
            )
        )
    return tuple(handoffs)


def handoffs_yaml(handoffs: Sequence[Handoff]) -> list[dict[str, Any]]:
    out = []
    for h in handoffs:
        entry: dict[str, Any] = {"label": h.label, "agent": h.agent}
        if h.prompt:
            entry["prompt"] = h.prompt
        if h.send is not None:
            entry["send"] = h.send
        if h.model:
            entry["model"] = h.model
        entry.update(h.extra)
        out.append(entry)
    return out


def _completed(handoff: Handoff) -> Handoff:
    import dataclasses

    label = handoff.label or f"Continue with {handoff.agent}"
    return dataclasses.replace(handoff, label=label, prompt=handoff.prompt or label)


def copilot_handoffs_yaml(handoffs: Sequence[Handoff]) -> list[dict[str, Any]]:
    """Copilot handoffs: VS Code keeps one only when `agent`, `label` and `prompt` are all there
    (formats-update.md), so a missing label or prompt is written as the label (`Continue with X`)."""
    return handoffs_yaml([_completed(h) for h in handoffs])


def handoff_gaps(handoffs: Sequence[Handoff]) -> str | None:
    """What `copilot_handoffs_yaml` fills in, for people; None when nothing is missing."""
    gaps = [h for h in handoffs if not (h.label and h.prompt)]
    if not gaps:
        return None
    names = ", ".join(h.agent or "?" for h in gaps)
    return f"{len(gaps)} handoff(s) without a label or prompt (to {names}), which VS Code drops; written with the label as the prompt"


def is_set(value: Any, keep_empty: bool = False) -> bool:
    if isinstance(value, Mapping) and not value:
        return False
    return value is not None and value != "" and (keep_empty or value != ())


def read_fields(
    data: Mapping[str, Any], fields: Sequence[Field], fmt: str, key_lines: Mapping[str, int],
    header: Mapping[str, Any] = {},
) -> tuple[dict[str, Any], dict[str, Any], list[Finding]]:
    """Frontmatter mapping -> (Agent keyword values, passthrough for `fmt`, warnings).

    Raises AgentkitError for a `strict` field whose value cannot be read (a tool list like `tools: 5`)."""
    by_key = {f.key: f for f in fields}
    first_key: dict[str, str] = {}  # the key a fresh write uses for each attribute
    for f in fields:
        first_key.setdefault(f.attr, f.key)
    values: dict[str, Any] = {}
    passthrough: dict[str, Any] = {}
    spellings: dict[str, Any] = {}
    warnings: list[Finding] = []
    for key, raw in data.items():
        field = by_key.get(str(key))
        if field is None and str(key) in header:
            continue
        if field is None:
            passthrough[str(key)] = raw
            continue
        if raw is None or raw == "":
            spellings[str(key)] = raw  # `tools:` with nothing after it: not set, as the tools read it; written back as it was
            continue
        try:
            read = field.read(raw)
            for attr, value in ((field.attr, read[0]), (field.also, read[1])) if field.also else ((field.attr, read),):
                if value is None:
                    continue
                values[attr] = _joined(attr, values.get(attr), value)
        except ValueError as exc:
            if field.strict:
                from agentkit.errors import AgentkitError

                raise AgentkitError("bad-permission", f"`{key}`: {exc}; agentkit will not guess what this agent may do", "", key_lines.get(str(key))) from None
            passthrough[str(key)] = raw
            warnings.append(Finding("bad-value", f"`{key}`: {exc}; kept as is", key_lines.get(str(key))))
            continue
        written = field.write((values.get(field.attr), values.get(field.also))) if field.also else field.write(values[field.attr])
        if field.also:  # a key holding two attributes is always remembered as written (see write_fields)
            spellings[str(key)] = raw
        elif isinstance(raw, dict) and written != raw or isinstance(raw, (str, list)) and type(raw) is not type(written) \
                or first_key[field.attr] != field.key:  # `paths:` where `globs:` would be written
            # The file's own spelling (`tools: [Read]` vs `Read`, a model fallback list): same-format
            # writes keep it. It is a spelling of a modelled value, not a key of its own.
            spellings[str(key)] = raw
    keys = [str(k) for k in data]
    if len(keys) > 1 and any(str(k) in by_key for k in keys):
        spellings[KEY_ORDER] = keys  # same-format writes keep the file's key order
    if spellings:
        passthrough[SPELLINGS] = spellings
    return values, passthrough, warnings


# Passthrough entry holding a format's own spellings of modelled values (never reported as a loss).
SPELLINGS = "__spelling__"
KEY_ORDER = "__order__"  # inside SPELLINGS: the file's frontmatter keys, in its order


def _joined(attr: str, earlier: Any, value: Any) -> Any:
    """One attribute from two keys (OpenCode's `tools` map and `permission`; a `permission` and a
    `disallowedTools`): denials add up; two allowlists allow only what both allow."""
    if not isinstance(earlier, tuple) or not isinstance(value, tuple):
        return value
    if attr == "tools":
        return tuple(v for v in earlier if v in value)
    return tuple(dict.fromkeys(earlier + value))


def _paired_still(paired: Sequence[Field], spellings: Mapping[str, Any], agent: Agent) -> bool:
    first: Any = None
    second: Any = None
    for field in paired:
        try:
            a, b = field.read(spellings[field.key])
        except ValueError:
            return False
        first = first if a is None else a if first is None else _joined(field.attr, first, a)
        second = second if b is None else b if second is None else _joined(field.also or "", second, b)
    def same(a: Any, b: Any) -> bool:  # names in any order: the keys were read in the file's order
        return bool(set(a) == set(b)) if isinstance(a, tuple) and isinstance(b, tuple) else bool(a == b)

    return same(first, getattr(agent, paired[0].attr)) and same(second, getattr(agent, paired[0].also or paired[0].attr))


def _reads_as(field: Field, raw: Any, value: Any) -> bool:
    try:
        return field.read(raw) == value
    except ValueError:
        return False


def write_fields(agent: Agent, fields: Sequence[Field], fmt: str, same_format: bool) -> dict[str, Any]:
    """Agent -> ordered frontmatter mapping for `fmt`. Passthrough keys follow the modelled ones.

    Only `fmt`'s own passthrough is written: keys read from another format mean nothing here."""
    passthrough = dict(agent.passthrough.get(fmt, {}))
    spellings = passthrough.pop(SPELLINGS, {})
    out: dict[str, Any] = {}
    written: set[str] = set()
    # Where two keys hold one attribute, the one the file had is written back.
    spelled = {f.attr: f.key for f in fields if f.key in spellings}
    # Keys that each hold two attributes (OpenCode's `permission` and `tools` map): when what the file's
    # keys say together is still what the agent holds, each is written back as it was.
    paired = [f for f in fields if f.also and f.key in spellings]
    if same_format and paired and _paired_still(paired, spellings, agent):
        for field in paired:
            out[field.key] = spellings[field.key]
            written |= {field.attr, field.also or field.attr}
    for field in fields:
        if not field.documented and not same_format:
            continue
        if spelled.get(field.attr, field.key) != field.key:
            continue
        if field.also:
            if field.attr in written and field.also in written:
                continue
            # Both attributes of the key: each written here unless an earlier key took it.
            first = getattr(agent, field.attr) if field.attr not in written and is_set(getattr(agent, field.attr), field.empty_means_none) else None
            second = getattr(agent, field.also) if field.also not in written and is_set(getattr(agent, field.also), True) else None
            if first is None and second is None:
                continue
            written |= {attr for attr, held in ((field.attr, first), (field.also, second)) if held is not None}
            value = (first, second)
        else:
            value = getattr(agent, field.attr)
            if not is_set(value, field.empty_means_none) or field.attr in written:
                continue
            written.add(field.attr)
        kept = spellings.get(field.key)
        yaml_value = field.write(value)
        if kept is not None and _reads_as(field, kept, value) and not (field.verbatim and isinstance(yaml_value, str)):
            yaml_value = kept  # the file's own spelling; but a raw line is always written as its tool reads it
        if isinstance(yaml_value, Mapping) and not yaml_value:
            continue  # e.g. a canonical `passthrough` that held only spellings
        out[field.key] = yaml_value
    for key, value in passthrough.items():
        if key not in out:
            out[key] = value
    for key, value in spellings.items():  # keys the file had with nothing after them (`globs: ""`, `tools:`)
        if (value is None or value == "") and key in {f.key for f in fields} and not any(f.key == key and f.attr in written for f in fields):
            out[key] = value
    order = spellings.get(KEY_ORDER) if same_format else None
    if order:
        rank = {key: i for i, key in enumerate(order)}
        out = dict(sorted(out.items(), key=lambda kv: rank.get(kv[0], len(rank))))  # new keys last, stable
    return out


_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """Lowercase-hyphen identifier (`Backend Architect` -> `backend-architect`)."""
    return _SLUG_DROP.sub("-", text.lower()).strip("-")


# Longest file name stem agentkit writes: far under every file system's 255 bytes, with room for a
# suffix (`.agent.md`), and still readable in a listing.
FILE_STEM_LIMIT = 64


# A name that is already a safe file name stem (Copilot's `team.implement`) is kept as it is: renaming
# it would make a second agent beside the original, and break every handoff that names it.
SAFE_STEM = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_-]|\.(?!\.))*[A-Za-z0-9]|[A-Za-z0-9]")


def file_stem(name: str) -> str:
    """`name` as a file name (kept when it is already a safe one, else `slug(name)`), at most
    FILE_STEM_LIMIT characters. A longer one is cut at a hyphen (where that keeps at least half of it)
    and ends with 8 hex digits of the whole stem's SHA-256, so the same name always gives the same file
    and two long names that start alike do not share one."""
    import hashlib

    stem = name if SAFE_STEM.fullmatch(name) else slug(name) or "agent"
    if len(stem) <= FILE_STEM_LIMIT:
        return stem
    digest = hashlib.sha256(stem.encode("utf-8")).hexdigest()[:8]
    room = FILE_STEM_LIMIT - len(digest) - 1
    cut = stem[:room]
    if stem[room] != "-" and "-" in cut[room // 2 :]:
        cut = cut[: cut.rindex("-")]
    return f"{cut.rstrip('-')}-{digest}"
