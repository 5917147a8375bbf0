"""What really differs between two agents, by meaning: metadata through the mapping tables, guidance
through the same similarity judge as merge. Works on the model only, so formats never show up as
differences (encoding, BOM, CRLF, quoting, key order, list markers and wrapping are gone after reading).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from agentkit import vocab
from agentkit.merge import Source, _same_topic, topic
from agentkit.model import Agent, Item, Section
from agentkit.similarity import Weights, features, judge


@dataclass(frozen=True)
class Change:
    """One difference. kind: field-added | field-removed | field-changed | item-added | item-removed |
    item-reworded | item-moved | section-added | section-removed | section-renamed | section-moved."""

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

def _text(value: str | None) -> str | None:
    return " ".join(value.split()) if value else None


def _show(values: Sequence[str]) -> str:
    return ", ".join(values) if values else "(none)"


# Model attribute -> the frontmatter keys that may hold it, for pointing a change at its line.
_KEYS = {"tools": ("tools",), "readonly": ("readonly",), "background": ("background", "is_background"),
         "globs": ("globs", "applyTo", "paths"), "alwaysApply": ("alwaysApply", "always-apply"),
         "examples": ("description", "examples")}


def metadata_changes(a: Agent, b: Agent, lines_a: Mapping[str, int] | None = None, lines_b: Mapping[str, int] | None = None) -> list[Change]:
    """Field differences; `lines_*` (frontmatter key -> line) let each change point at its key."""
    changes: list[Change] = []

    def sources(name: str) -> tuple[Source, Source]:
        keys = _KEYS.get(name, (name,))
        line_a = next((lines_a[k] for k in keys if lines_a and k in lines_a), 1)
        line_b = next((lines_b[k] for k in keys if lines_b and k in lines_b), 1)
        return Source(a.path, line_a), Source(b.path, line_b)

    def scalar(name: str, old: Any, new: Any, same: bool | None = None) -> None:
        if same if same is not None else old == new:
            return
        kind = "field-added" if old in (None, (), "") else "field-removed" if new in (None, (), "") else "field-changed"
        show = (lambda v: None if v in (None, (), "") else (str(v).lower() if isinstance(v, bool) else str(v)))
        changes.append(Change(kind, name, show(old), show(new), *sources(name)))

    from agentkit.reader import display_name

    scalar("name", display_name(a), display_name(b))  # a rule's name is its file name
    scalar("description", _text(a.description), _text(b.description))
    old_examples = [_text(e.text) for e in a.examples]
    new_examples = [_text(e.text) for e in b.examples]
    if old_examples != new_examples:
        scalar("examples", f"{len(old_examples)} example(s)", f"{len(new_examples)} example(s)")
    scalar("model", a.model, b.model, vocab.same_model(a.model, b.model))
    changes += _tools(a, b, *sources("tools"))
    scalar("color", a.color, b.color)
    _set_change(changes, "skills", a.skills, b.skills, *sources("skills"))
    _set_change(changes, "triggers", tuple(map(_text, a.triggers)), tuple(map(_text, b.triggers)), *sources("triggers"))
    _set_change(changes, "handoffs", tuple(f"{h.label} -> {h.agent}" for h in a.handoffs),
                tuple(f"{h.label} -> {h.agent}" for h in b.handoffs), *sources("handoffs"))
    if a.readonly is not None and b.readonly is not None:  # elsewhere `readonly` is compared as a tool set
        scalar("readonly", a.readonly, b.readonly)
    scalar("background", a.background, b.background)
    scalar("globs", _show(a.globs) if a.globs is not None else None, _show(b.globs) if b.globs is not None else None)
    scalar("alwaysApply", a.always_apply, b.always_apply)
    return changes


def _set_change(changes: list[Change], name: str, old: tuple[str, ...], new: tuple[str, ...], at: Source, bt: Source) -> None:
    added = [x for x in new if x not in old]
    removed = [x for x in old if x not in new]
    if not added and not removed:
        return
    if not old or not new:
        changes.append(Change("field-added" if not old else "field-removed", name, _show(old) if old else None, _show(new) if new else None, at, bt))
        return
    delta = " ".join([*(f"+{x}" for x in added), *(f"-{x}" for x in removed)])
    changes.append(Change("field-changed", name, _show(old), f"{_show(new)}  ({delta})", at, bt))


def _granted(agent: Agent) -> tuple[tuple[str, ...] | None, str | None]:
    """The tools an agent gets, and how to show them: Cursor's `readonly: true` is the read-only set."""
    if agent.tools is not None:
        return agent.tools, None
    if agent.readonly:
        return vocab.READ_ONLY_CLAUDE, "(read-only: readonly: true)"
    return None, "(every tool)"


def _tools(a: Agent, b: Agent, at: Source, bt: Source) -> list[Change]:
    """Tool lists compared in Claude's vocabulary, so `Read` equals `read` and `search` equals `Grep, Glob`."""
    (tools_a, shown_a), (tools_b, shown_b) = _granted(a), _granted(b)
    if tools_a is None and tools_b is None:
        return []
    if tools_a is None or tools_b is None:
        return [Change("field-changed", "tools", shown_a or _show(tools_a or ()), shown_b or _show(tools_b or ()), at, bt)]
    old, new = vocab.to_claude(tools_a), vocab.to_claude(tools_b)
    old_set = set(old.tools) | set(old.dropped)
    new_set = set(new.tools) | set(new.dropped)
    if old_set == new_set:
        return []
    delta = " ".join([*(f"+{t}" for t in (*new.tools, *new.dropped) if t not in old_set),
                      *(f"-{t}" for t in (*old.tools, *old.dropped) if t not in new_set)])
    return [Change("field-changed", "tools", shown_a or _show(tools_a), f"{shown_b or _show(tools_b)}  ({delta})", at, bt)]


# ------------------------------------------------------------------------------------------- guidance

@dataclass(frozen=True)
class _Entry:
    item: Item
    section: int  # index into the agent's sections


def _entries(agent: Agent) -> list[_Entry]:
    return [_Entry(item, i) for i, s in enumerate(agent.sections) for item in s.items]


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
    """Every meaningful difference from `a` to `b`; empty when they say the same. `lines_*` are the
    frontmatter key lines (`ReadResult.key_lines`), so that metadata changes point at their keys."""
    return metadata_changes(a, b, lines_a, lines_b) + guidance_changes(a, b)
