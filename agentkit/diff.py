"""What really differs between two agents, by meaning. Works on the model only, so formats never show
up as differences (encoding, BOM, CRLF, quoting, key order, list markers and wrapping are gone after
reading, and the vocabularies below take care of the rest).

Metadata is the whole `Agent` compared as plain data, generically (deepdiff), so a field added to the
model is compared without anyone remembering to add it here. Before comparing, each side is put into
one vocabulary: what the agent may do becomes its `permissions.Grants` (so `Read` in a Claude file
equals `read` in a Copilot file, and Cursor's `readonly: true` equals the read-only tools), models are
compared through the model table, and a name derived from a file name is no name at all.

A difference that lets B do more than A is its own kind, `permission-widened`, listed first: it is the
one a reviewer must not miss (DESIGN.md: never widen an agent's permissions silently).

Guidance is compared item by item through the same similarity judge as merge.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from agentkit import formats, permissions, vocab
from agentkit.formats.fields import SPELLINGS
from agentkit.merge import Source, _same_topic, topic
from agentkit.model import Agent, Item, Section
from agentkit.permissions import Grants
from agentkit.reader import display_name
from agentkit.similarity import Weights, features, judge

if TYPE_CHECKING:
    from deepdiff import DeepDiff

WIDENED = "permission-widened"


@dataclass(frozen=True)
class Change:
    """One difference. kind:

    - ``permission-widened``: B may do something A may not; `new` says what, in one phrase
      (`what` is ``permissions``). Always listed first.
    - ``field-added`` | ``field-removed`` | ``field-changed``: a metadata field (`what` is the model
      attribute, a path into it such as ``handoffs[0].prompt``, or a passthrough key as written). For a
      list (skills, examples, ...) `old` holds what B no longer has and `new` what it gained. A narrowed
      permission is a ``field-changed`` on the capability (``tools``, ``permission mode``, ...).
    - ``item-added`` | ``item-removed`` | ``item-reworded`` | ``item-moved``: guidance items.
    - ``section-added`` | ``section-removed`` | ``section-renamed`` | ``section-moved``: sections.
    """

    kind: str
    what: str  # the field name, or the section title (for items and sections)
    old: str | None = None
    new: str | None = None
    a: Source | None = None
    b: Source | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "what": self.what, "old": self.old, "new": self.new,
            "a": self.a.to_json() if self.a else None, "b": self.b.to_json() if self.b else None,
        }


# ------------------------------------------------------------------------------------------- metadata

# Not metadata: the guidance (compared by `guidance_changes`) and where and how the file was read.
_NOT_METADATA = frozenset({"body", "sections", "path", "format", "origin"})
# What the agent may do. Never compared raw: `permissions.grants` reads them, as the agent's own format
# means them, into one vocabulary, and the Grants are compared instead. The order is also where a
# permission change points: the first of these keys the file has.
# `user_invocable` is compared as a plain field: it only hides an agent from people (permissions.INVOKERS).
_PERMISSION_ATTRS = ("tools", "disallowed_tools", "permission_mode", "readonly", "subagents", "model_invocable")
# Capabilities that follow from another and are not compared themselves: `guards` are the `hooks` that
# can block, so a guard lost is a hook changed.
_DERIVED_GRANTS = {"hooks": ("guards",)}
_NOT_COMPARED_GRANTS = frozenset(d for derived in _DERIVED_GRANTS.values() for d in derived)
# For each capability, the model attributes and the passthrough roles (`Format.permission_keys`) that
# set it: a change to it points at the first of their keys the file has.
_GRANT_ATTRS: dict[str, tuple[str, ...]] = {
    "tools": ("tools", "readonly", "permission_mode"), "denied": ("disallowed_tools",), "subagents": ("subagents", "tools"),
    "mode": ("permission_mode",), "invokers": ("model_invocable",), "unknown": ("tools", "disallowed_tools"),
}
_GRANT_ROLES: dict[str, tuple[str, ...]] = {"mcp_servers": ("mcp",), "hooks": ("hooks",), "invokers": ("infer", "user")}
_GRANT_LABELS = {
    "tools": "tools", "denied": "disallowed tools", "subagents": "subagents", "mode": "permission mode",
    "mcp_servers": "MCP servers", "hooks": "hooks", "invokers": "invoked by", "unknown": "unknown tool names",
    "agent": "permissions",
}
# Model attributes held in another one's key: Claude-style formats keep `<example>`s in the description.
_HELD_IN = {"examples": "description"}
_ABSENT: Any = object()  # a path one side does not have


def _text(value: str | None) -> str | None:
    """Whitespace-normalised text: re-wrapping a description is not a change."""
    return " ".join(value.split()) if value else None


def _data(value: Any) -> Any:
    """The model as plain data (dicts, lists, scalars); sets become sorted lists, so they compare as sets."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _data(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((_data(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, default=str))
    if isinstance(value, (list, tuple)):
        return [_data(v) for v in value]
    return value


@dataclass(frozen=True)
class _Side:
    """One agent being compared, with what it grants and the line of each of its frontmatter keys."""

    agent: Agent
    lines: Mapping[str, int]
    grants: Grants

    def keys_of(self, attr: str) -> tuple[str, ...]:
        """The frontmatter keys that hold `attr` in this agent's format (from the format's field table)."""
        spec = formats.FORMATS.get(self.agent.format)
        keys = tuple(f.key for f in spec.fields if attr in (f.attr, f.also)) if spec else ()
        return keys + (attr,) + ((_HELD_IN[attr],) if attr in _HELD_IN else ())

    def role_keys(self, role: str) -> tuple[str, ...]:
        spec = formats.FORMATS.get(self.agent.format)
        return tuple(k for k, r in spec.permission_keys.items() if r == role) if spec else ()

    def at(self, keys: Iterable[str]) -> Source:
        """The first of `keys` the file has (line 1, the frontmatter, when it has none of them)."""
        return Source(self.agent.path, next((self.lines[k] for k in keys if k in self.lines), 1))

    def permission_keys(self, grant: str | None = None) -> list[str]:
        """Where a permission change points: the keys of `grant`'s own settings first, then any permission key."""
        own = [k for attr in _GRANT_ATTRS.get(grant or "", ()) for k in self.keys_of(attr)]
        own += [k for role in _GRANT_ROLES.get(grant or "", ()) for k in self.role_keys(role)]
        spec = formats.FORMATS.get(self.agent.format)
        return own + [k for attr in _PERMISSION_ATTRS for k in self.keys_of(attr)] + list(spec.permission_keys if spec else ())


def _passthrough(agent: Agent) -> dict[str, Any]:
    """Passthrough flattened to {key: value} over the formats it was read from, without the file's own
    spellings of modelled values (`__spelling__`: a spelling is not a difference). A key that two formats
    hold with different values keeps both, by format."""
    found: dict[str, dict[str, Any]] = {}
    for fmt, keys in agent.passthrough.items():
        for key, value in keys.items():
            if key != SPELLINGS:
                found.setdefault(str(key), {})[fmt] = _data(value)
    flat: dict[str, Any] = {}
    for key, by_format in found.items():
        values = list(by_format.values())
        flat[key] = values[0] if all(v == values[0] for v in values) else dict(sorted(by_format.items()))
    return flat


def _granting(side: _Side, key: str) -> bool:
    """The passthrough key changes what the agent may do (an MCP server list, hooks, ...)."""
    without = {fmt: {k: v for k, v in keys.items() if k != key} for fmt, keys in side.agent.passthrough.items()}
    return permissions.grants(dataclasses.replace(side.agent, passthrough=without)) != side.grants


def _metadata(side: _Side, other: _Side) -> dict[str, Any]:
    """Every metadata attribute of the agent as plain data, in one vocabulary."""
    agent = side.agent
    skip = _NOT_METADATA | set(_PERMISSION_ATTRS)
    data = {f.name: _data(getattr(agent, f.name)) for f in dataclasses.fields(agent) if f.name not in skip}
    data["name"] = display_name(agent)  # a rule's name is its file name
    data["description"] = _text(agent.description)
    data["examples"] = [_text(e.text) for e in agent.examples]  # by text: editing one is a change
    data["triggers"] = [_text(t) for t in agent.triggers]
    # A key only this side has that grants something is compared through the Grants: Claude's
    # `mcpServers` and Copilot's `mcp-servers` naming the same servers are the same. A key both sides
    # have is compared as written too, which catches what Grants do not hold (an MCP server's command).
    theirs = _passthrough(other.agent)
    data["passthrough"] = {k: v for k, v in _passthrough(agent).items() if k in theirs or not _granting(side, k)}
    data["permissions"] = {k: v for k, v in _data(side.grants).items() if k not in _NOT_COMPARED_GRANTS}
    return data


def _align(a: Agent, b: Agent, old: dict[str, Any], new: dict[str, Any]) -> None:
    """Drop the differences that are spellings, not meanings."""
    if a.name is None or b.name is None:
        # A name derived from the file name is where the file is, not what the agent says it is.
        del old["name"], new["name"]
    if vocab.same_model(a.model, b.model):
        new["model"] = old["model"]


@dataclass(frozen=True)
class _Unit:
    """One reported difference: a path in the plain data of each side and the values found there."""

    path_a: tuple[Any, ...]
    path_b: tuple[Any, ...]
    old: Any
    new: Any


def _is_plain_list(value: Any) -> bool:
    return isinstance(value, list) and not any(isinstance(v, (Mapping, list)) for v in value)


def _unit_length(old: dict[str, Any], new: dict[str, Any], path_a: Sequence[Any], path_b: Sequence[Any]) -> int:
    """How much of a deepdiff path is one change: a passthrough key or a capability as a whole; a list
    of plain values (skills, examples: shown as what went and what came), or a list that one side has
    empty, as a whole; else the leaf (`handoffs[0].prompt`)."""
    if path_a and path_a[0] in ("passthrough", "permissions"):
        return min(2, len(path_a))
    for depth in range(len(path_a)):
        values = (_get(old, path_a[:depth]), _get(new, path_b[:depth]))
        if any(_is_plain_list(v) or not isinstance(v, (Mapping, list)) for v in values):
            return depth
    return len(path_a)


def _get(data: Any, path: Sequence[Any]) -> Any:
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return _ABSENT
    return data


def _units(found: DeepDiff, old: dict[str, Any], new: dict[str, Any]) -> list[_Unit]:
    units: dict[tuple[tuple[Any, ...], tuple[Any, ...]], _Unit] = {}
    for report, levels in found.items():
        added, removed = "_added" in report, "_removed" in report
        for level in levels:
            path_a = tuple(level.path(output_format="list"))
            path_b = tuple(level.path(output_format="list", use_t2=True))
            if path_a in (("passthrough",), ("permissions",)):
                # One side holds none of these keys (deepdiff reports the whole mapping): a unit per key.
                before, after = _get(old, path_a), _get(new, path_b)
                before, after = before if isinstance(before, Mapping) else {}, after if isinstance(after, Mapping) else {}
                for key in dict.fromkeys([*before, *after]):
                    if before.get(key, _ABSENT) != after.get(key, _ABSENT):
                        keyed = (*path_a, key)
                        units.setdefault((keyed, keyed), _Unit(keyed, keyed, before.get(key, _ABSENT), after.get(key, _ABSENT)))
                continue
            size = _unit_length(old, new, path_a, path_b)
            if size == len(path_a):
                unit = _Unit(path_a, path_b, _ABSENT if added else level.t1, _ABSENT if removed else level.t2)
            else:
                unit = _Unit(path_a[:size], path_b[:size], _get(old, path_a[:size]), _get(new, path_b[:size]))
            units.setdefault((unit.path_a, unit.path_b), unit)
    order = {name: i for i, name in enumerate(old)}
    return sorted(units.values(), key=lambda u: (order.get(u.path_b[0], len(order)), json.dumps(u.path_b, default=str)))


def _empty(value: Any) -> bool:
    return value is _ABSENT or value is None or value == "" or value == {} or value == []


def _show(value: Any) -> str | None:
    if value == []:
        return "(none)"
    if _empty(value):
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return value
    if _is_plain_list(value):
        shown = [str(_show(v)) for v in value]
        return (" | " if any("," in v for v in shown) else ", ").join(shown)  # examples hold commas; skills do not
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _what(path: Sequence[Any]) -> str:
    if path[0] == "passthrough":
        return str(path[1])  # as the file spells it
    return str(path[0]) + "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path[1:])


def _field_change(unit: _Unit, side_a: _Side, side_b: _Side) -> Change:
    if unit.path_b[0] == "passthrough":
        at = side_a.at([unit.path_a[1]]), side_b.at([unit.path_b[1]])
    else:
        at = side_a.at(side_a.keys_of(unit.path_a[0])), side_b.at(side_b.keys_of(unit.path_b[0]))
    old, new = unit.old, unit.new
    if _is_plain_list(old) and _is_plain_list(new):
        gone, came = [x for x in old if x not in new], [x for x in new if x not in old]
        if gone or came:  # what went and what came; the rest of the list is unchanged
            old, new = gone or _ABSENT, came or _ABSENT
    kind = "field-added" if _empty(old) else "field-removed" if _empty(new) else "field-changed"
    return Change(kind, _what(unit.path_b), _show(old), _show(new), *at)


# ---------------------------------------------------------------------------------------- permissions

def _with(base: Grants, other: Grants, grant: str) -> Grants:
    """`base` with `other`'s setting of one capability."""
    names = (grant, *_DERIVED_GRANTS.get(grant, ()))
    return dataclasses.replace(base, **{n: getattr(other, n) for n in names})


def _only_widens(ga: Grants, gb: Grants, grant: str) -> bool:
    """B's setting of this capability alone lets A do more, and nothing less."""
    moved = _with(ga, gb, grant)
    return bool(permissions.wider(moved, ga)) and not permissions.wider(ga, moved)


def _grant_text(grant: str, value: Any) -> str:
    if value is None:
        return "(every tool)" if grant == "tools" else "(any)"
    if isinstance(value, bool):  # `agent`: rules and instructions carry no permissions of their own
        return "the agent's own" if value else "none (not an agent: a rule or instructions)"
    if isinstance(value, str):
        return value
    return ", ".join(sorted(value)) or "(none)"


def _grant_change(grant: str, side_a: _Side, side_b: _Side) -> Change:
    """A capability that changed, e.g. `tools: Glob, Grep, Read -> Read  (-Glob -Grep)`."""
    old, new = getattr(side_a.grants, grant), getattr(side_b.grants, grant)
    shown = _grant_text(grant, new)
    if old and new and isinstance(old, (frozenset, tuple)) and isinstance(new, (frozenset, tuple)):
        delta = [*(f"+{x}" for x in sorted(set(new) - set(old))), *(f"-{x}" for x in sorted(set(old) - set(new)))]
        shown += f"  ({' '.join(delta)})" if delta else ""
    at = side_a.at(side_a.permission_keys(grant)), side_b.at(side_b.permission_keys(grant))
    return Change("field-changed", _GRANT_LABELS.get(grant, grant), _grant_text(grant, old), shown, *at)


def _widened_at(phrase: str, side_a: _Side, side_b: _Side, changed: Sequence[str]) -> tuple[Source, Source]:
    """Where a widening points: the keys of the capability whose change alone says `phrase`
    (`permissionMode` for a new mode), else the first permission key each file has."""
    grant = next((g for g in changed if phrase in permissions.wider(_with(side_a.grants, side_b.grants, g), side_a.grants)), None)
    return side_a.at(side_a.permission_keys(grant)), side_b.at(side_b.permission_keys(grant))


def permission_changes(side_a: _Side, side_b: _Side, changed: Iterable[str]) -> list[Change]:
    """What B may do that A may not, one `permission-widened` change per capability, then every other
    capability that changed (narrowed, or changed both ways) as a `field-changed` on it. A capability
    whose change only widens is said once, by its widened change."""
    ga, gb = side_a.grants, side_b.grants
    order = [f.name for f in dataclasses.fields(Grants)]
    grants = sorted(changed, key=order.index)
    widened = permissions.wider(gb, ga)
    changes = [Change(WIDENED, "permissions", None, phrase, *_widened_at(phrase, side_a, side_b, grants)) for phrase in widened]
    # An agent against a rule: every capability differs because one side has none; say that once.
    for grant in ["agent"] if "agent" in grants else grants:
        if not (widened and _only_widens(ga, gb, grant)):
            changes.append(_grant_change(grant, side_a, side_b))
    return changes


def metadata_changes(a: Agent, b: Agent, lines_a: Mapping[str, int] | None = None, lines_b: Mapping[str, int] | None = None) -> list[Change]:
    """Field differences, permission widenings first; `lines_*` (frontmatter key -> line) let each
    change point at its key."""
    # Imported here, not at the top: `agentkit --help` must not pay for importing it.
    from deepdiff import DeepDiff

    side_a = _Side(a, lines_a or {}, permissions.grants(a))
    side_b = _Side(b, lines_b or {}, permissions.grants(b))
    old, new = _metadata(side_a, side_b), _metadata(side_b, side_a)
    _align(a, b, old, new)
    units = _units(DeepDiff(old, new, ignore_order=True, view="tree"), old, new)
    changed = {u.path_b[1] for u in units if u.path_b[0] == "permissions"}
    changes = permission_changes(side_a, side_b, changed) if changed else []
    return changes + [_field_change(u, side_a, side_b) for u in units if u.path_b[0] != "permissions"]


# ------------------------------------------------------------------------------------------- guidance

@dataclass(frozen=True)
class _Entry:
    item: Item
    section: int  # index into the agent's sections


def _entries(agent: Agent) -> list[_Entry]:
    # Horizontal rules are kept in the model so that nothing is lost, but they separate, they do not guide.
    return [_Entry(item, i) for i, s in enumerate(agent.sections) for item in s.items if item.kind != "rule"]


def _section_pairs(a: Sequence[Section], b: Sequence[Section]) -> dict[int, int]:
    """A section index -> B section index: same title first (the untitled preamble included), then same topic."""
    rules = (
        lambda x, y: _norm(x.title) == _norm(y.title),
        lambda x, y: bool(x.title and y.title) and _same_topic(topic(x.title), topic(y.title)),
    )
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for rule in rules:
        for i, sa in enumerate(a):
            if i in pairs:
                continue
            j = next((j for j, sb in enumerate(b) if j not in used and rule(sa, sb)), None)
            if j is not None:
                pairs[i] = j
                used.add(j)
    return pairs


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def guidance_changes(a: Agent, b: Agent) -> list[Change]:
    ea, eb = _entries(a), _entries(b)
    weights = Weights(features(e.item.text) for e in (*ea, *eb))
    matched: dict[int, int] = {}
    # 1. Same wording (whitespace, markers and emphasis aside), in order.
    by_text: dict[str, list[int]] = {}
    for j, e in enumerate(eb):
        by_text.setdefault(features(e.item.text).text, []).append(j)
    for i, e in enumerate(ea):
        js = by_text.get(features(e.item.text).text)
        if js:
            matched[i] = js.pop(0)
    # 2. Sections, paired by their matched items first (a renamed section keeps its items), then by title.
    pairs = _pair_sections(a.sections, b.sections, ea, eb, matched)
    # 3. Rewordings: the same judge as merge, best score first, one partner each.
    left_a = [i for i in range(len(ea)) if i not in matched]
    left_b = set(range(len(eb))) - set(matched.values())
    scored = []
    for i in left_a:
        fa = features(ea[i].item.text)
        for j in left_b:
            if ea[i].item.kind != eb[j].item.kind and {ea[i].item.kind, eb[j].item.kind} & {"code", "table"}:
                continue
            verdict = judge(fa, features(eb[j].item.text), weights, same_topic=pairs.get(ea[i].section) == eb[j].section)
            if verdict.same:
                scored.append((verdict.score, i, j))
    reworded: set[int] = set()
    for _, i, j in sorted(scored, reverse=True):
        if i in matched or j in set(matched.values()):
            continue
        matched[i] = j
        reworded.add(i)
    changes: list[Change] = []
    changes += _section_changes(a, b, pairs)
    for i, e in enumerate(ea):
        src = Source(e.item.path or a.path, e.item.line)
        title_a = a.sections[e.section].title
        if i not in matched:
            changes.append(Change("item-removed", title_a, e.item.text, None, src, None))
            continue
        other = eb[matched[i]]
        dst = Source(other.item.path or b.path, other.item.line)
        title_b = b.sections[other.section].title
        if i in reworded:
            changes.append(Change("item-reworded", title_b, e.item.text, other.item.text, src, dst))
        elif pairs.get(e.section) != other.section:
            changes.append(Change("item-moved", title_b, title_a or "(top)", title_b or "(top)", src, dst))
    used = set(matched.values())
    for j, e in enumerate(eb):
        if j not in used:
            changes.append(Change("item-added", b.sections[e.section].title, None, e.item.text, None, Source(e.item.path or b.path, e.item.line)))
    return changes


def _pair_sections(sa: Sequence[Section], sb: Sequence[Section], ea: list[_Entry], eb: list[_Entry], matched: dict[int, int]) -> dict[int, int]:
    votes: dict[tuple[int, int], int] = {}
    for i, j in matched.items():
        key = (ea[i].section, eb[j].section)
        votes[key] = votes.get(key, 0) + 1
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for (i, j), count in sorted(votes.items(), key=lambda kv: -kv[1]):
        total_a = sum(1 for e in ea if e.section == i)
        if i not in pairs and j not in used and count * 2 >= total_a:
            pairs[i] = j
            used.add(j)
    for i, j in _section_pairs(sa, sb).items():
        if i not in pairs and j not in used:
            pairs[i] = j
            used.add(j)
    return pairs


def _section_changes(a: Agent, b: Agent, pairs: dict[int, int]) -> list[Change]:
    changes: list[Change] = []
    for i, section in enumerate(a.sections):
        src = Source(a.path, section.line)
        if i not in pairs:
            if section.title:
                changes.append(Change("section-removed", section.title, section.title, None, src, None))
            continue
        other = b.sections[pairs[i]]
        if _norm(section.title) != _norm(other.title):
            changes.append(Change("section-renamed", other.title, section.title, other.title, src, Source(b.path, other.line)))
    for j, section in enumerate(b.sections):
        if j not in pairs.values() and section.title:
            changes.append(Change("section-added", section.title, None, section.title, None, Source(b.path, section.line)))
    # Moved: paired sections outside the longest run that keeps its order.
    order_a = [i for i in range(len(a.sections)) if i in pairs]
    order_b = sorted(order_a, key=lambda i: pairs[i])
    keep = difflib.SequenceMatcher(None, order_a, order_b, autojunk=False)
    in_order = {order_a[block.a + k] for block in keep.get_matching_blocks() for k in range(block.size)}
    for i in order_a:
        if i not in in_order:
            other = b.sections[pairs[i]]
            changes.append(Change("section-moved", other.title, None, None, Source(a.path, a.sections[i].line), Source(b.path, other.line)))
    return changes


def diff(a: Agent, b: Agent, lines_a: Mapping[str, int] | None = None, lines_b: Mapping[str, int] | None = None) -> list[Change]:
    """Every meaningful difference from `a` to `b`, permission widenings first; empty when they say the
    same. `lines_*` are the frontmatter key lines (`ReadResult.key_lines`), so that metadata changes
    point at their keys."""
    changes = metadata_changes(a, b, lines_a, lines_b) + guidance_changes(a, b)
    return sorted(changes, key=lambda c: c.kind != WIDENED)  # stable: the rest keep their order
