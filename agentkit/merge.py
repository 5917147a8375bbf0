"""Many agents -> one canonical agent in which each piece of guidance appears once, with its sources.

Works on the model only: sections are aligned by topic, items are folded by `similarity.judge`, the
frontmatter is merged by the policy in `merge_metadata`. Every input item ends up either in the output
or recorded as folded into an output item (`MergedItem.sources` lists them all).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import takewhile
from typing import Any

from agentkit import formats, vocab
from agentkit.collector import fewer_collections
from agentkit.decisions import Decisions, resolve
from agentkit.formats.fields import SPELLINGS, split_commas
from agentkit.markdown import bold_label, clean_title, heading_line, line_key, parse_sections
from agentkit.model import Agent, Example, Handoff, Item, Section
from agentkit.similarity import ALIKE, NEGATION, Features, Verdict, Weights, contains, features, judge, opposed, stem

# Inverted-index words found in more than this many groups are too common to find candidates with:
# the cap keeps the cost per item constant, so merging grows with the number of items, not its square.
_COMMON = 150
_CANDIDATES = 12
_LOOKUP_WORDS = 6


@dataclass(frozen=True)
class Source:
    path: str
    line: int

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line}


@dataclass(frozen=True)
class MergedItem:
    item: Item  # the wording kept (the most specific one)
    sources: tuple[Source, ...]  # every input item it stands for, the kept one included
    folded: tuple[Item, ...] = ()  # the other wordings, folded into this one
    parent: int | None = None  # index (in the output section) of the item it was nested under


@dataclass(frozen=True)
class MergedSection:
    title: str
    level: int
    items: tuple[MergedItem, ...]
    titles: tuple[Source, ...] = ()  # where each aligned heading came from
    heading: str = ""  # the kept heading as its author wrote it (`Section.heading`)
    headings: tuple[str, ...] = ()  # every aligned heading as written, the kept one included


@dataclass(frozen=True)
class Conflict:
    kind: str  # model | color | name | tools | description | contradiction | ...
    message: str
    sources: tuple[Source, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "message": self.message, "sources": [s.to_json() for s in self.sources]}


@dataclass(frozen=True)
class Alike:
    """Two output items the judge kept apart although they share much of their meaning: for a person to check."""

    score: float
    texts: tuple[str, str]
    sources: tuple[Source, Source]  # the later item, and the first source of the item it resembles
    reason: str

    def to_json(self) -> dict[str, object]:
        return {"score": round(self.score, 2), "reason": self.reason,
                "items": [{"text": t, **s.to_json()} for t, s in zip(self.texts, self.sources)]}


@dataclass(frozen=True)
class MergeResult:
    agent: Agent
    sections: tuple[MergedSection, ...]
    conflicts: tuple[Conflict, ...]
    notes: tuple[str, ...]  # how the metadata was decided, for people
    items_in: int
    items_out: int
    alike: tuple[Alike, ...] = ()  # kept apart, but alike enough to deserve a look

    @property
    def folded(self) -> int:
        return self.items_in - self.items_out


@dataclass(frozen=True)
class Options:
    name: str | None = None
    model: str | None = None  # overrides the model policy
    tools: str | None = None  # "union" (default), "all" (no list) or a comma-separated list
    fold: tuple[tuple[str, str], ...] = ()  # pairs of items a person decided are the same (texts or path:line)
    apart: tuple[tuple[str, str], ...] = ()  # pairs of items a person decided must stay apart
    permission_mode: str | None = None  # overrides the mode policy (the most restrictive input's); "default" for none
    keep_repeats: bool = False  # items from one input never fold together (the behaviour before issue 16)


# ------------------------------------------------------------------------------------------- topics

# Heading words that say what kind of list follows, not what it is about.
_TITLE_FILLER = frozenset("""
best practices practice checklist checklists guidelines guideline guide standards standard principles
principle rules rule core key general overview your the and of for to in with a an considerations
consideration approach requirements tips notes essentials fundamentals basics area areas focus
management development design designing handling pattern patterns strategy strategies setup usage definition
stack style styles check checks backend frontend software application system technical engineering code project
""".split())


def topic(title: str) -> frozenset[str]:
    title = re.sub(r"^\s*(?:\d+[.)]|[ivx]+\.)\s+", "", clean_title(title).lower())  # "3. Security"
    words = re.findall(r"[^\W_]+", title)
    return frozenset(stem(w) for w in words if w not in _TITLE_FILLER)


@lru_cache(maxsize=65536)
def _same_topic(a: frozenset[str], b: frozenset[str]) -> bool:
    """Items under these two headings are compared as items on one topic (the judge's lower bar):
    most heading words shared, or one heading's words all in the other's ("Security" and
    "Infrastructure Security")."""
    if not a or not b:
        return False
    shared = len(a & b)
    return shared / len(a | b) >= 0.5 or (shared == min(len(a), len(b)) and shared / max(len(a), len(b)) >= 0.5)


@lru_cache(maxsize=65536)
def _same_subject(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two headings name the same subject, so their sections become one: the same words (once words
    that only say what kind of list follows are gone: "Database Management" is "Database", "API
    Development & Design" is "API Design"), or, for headings of two words or more, most of them. A
    heading that adds a subject word to a one-word heading names a narrower subject: "Input
    validation" is not "Input"."""
    if not a or not b:
        return False
    if a == b:
        return True
    return min(len(a), len(b)) >= 2 and len(a & b) / len(a | b) >= 0.5


# ------------------------------------------------------------------------------------------- groups

@dataclass(eq=False)
class _Group:
    """An output item while merging: the kept wording, its features, every member (mutable on purpose)."""

    sect: _Sect
    item: Item
    feats: Features
    members: list[Item] = field(default_factory=list)
    paths: set[str] = field(default_factory=set)
    parent: _Group | None = None
    exact_only: bool = False  # code, tables, lead-ins: only the same text folds into them
    member_feats: list[Features] = field(default_factory=list)  # each member's features, in `members` order
    into: _Group | None = None  # joined into another group after grouping (see `_join_groups`)
    # The files of the members, and of the members that are numbered steps (see `_splits_a_procedure`):
    # kept as they grow, so that check costs the same for a group of one member or of five hundred.
    member_files: set[str] = field(default_factory=set)
    step_files: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        for member in self.members:
            self._file(member)

    def _file(self, member: Item) -> None:
        self.member_files.add(member.path)
        if member.kind == "step":
            self.step_files.add(member.path)

    def take(self, member: Item, feats: Features) -> None:
        """`member` (with its features) joins the group's members."""
        self.members.append(member)
        self.member_feats.append(feats)
        self._file(member)

    def final(self) -> _Group:
        """The group this one ended up in (itself, unless it was joined into another)."""
        group = self
        while group.into is not None:
            group = group.into
        return group


@dataclass(eq=False)
class _Sect:
    title: str
    level: int
    topic: frozenset[str]
    titles: list[Source] = field(default_factory=list)
    heading: str = ""
    headings: list[str] = field(default_factory=list)
    groups: list[_Group] = field(default_factory=list)
    paths: set[str] = field(default_factory=set)
    position: int = 0  # order of creation among the output sections
    went: list[_Group] = field(default_factory=list)  # groups elsewhere that items of this section joined
    born: int = 0  # the input that opened it: an input's own sections end each topic list (see `_align`)
    subsections: list[_Sect] = field(default_factory=list)  # output sections placed under it, in order
    # Its groups of code, tables and the like by their text, and its role statements ("You are ..."):
    # what `_find` looks such items up in, so a section of thousands costs no more per item than of ten.
    whole: dict[str, list[_Group]] = field(default_factory=dict)
    roles: list[_Group] = field(default_factory=list)

    def hold(self, group: _Group) -> None:
        """`group` is a new output item of this section."""
        self.groups.append(group)
        if group.item.kind in _WHOLE or group.item.kind == "quote":
            self.whole.setdefault(_as_written(group.item), []).append(group)
        elif _ROLE.match(group.item.text):
            self.roles.append(group)


_ROLE = re.compile(r"^\s*(?:\*\*)?you are\b", re.I)
_WHOLE = ("code", "table", "html", "rule", "reference")  # folded only when identical: their wording is their content


def _as_written(item: Item) -> str:
    """An item's text up to spacing: code, tables and quotes fold only into the same text."""
    return " ".join(item.text.split())


def _lead_in(item: Item) -> bool:
    return item.text.rstrip().endswith(":")


def _specificity(item: Item, feats: Features) -> tuple[int, int]:
    return (len(feats.words), len(item.text))


def merge(agents: Sequence[Agent], options: Options = Options()) -> MergeResult:
    with fewer_collections():
        return _merge(agents, options)


def _merge(agents: Sequence[Agent], options: Options) -> MergeResult:
    # An agent built in code may hold a body without its sections: merge works on sections, so parse them.
    agents = [a if a.sections or not a.body.strip() else dataclasses.replace(a, sections=parse_sections(a.body, 1, a.path)) for a in agents]
    all_items = [(agent, section, item) for agent in agents for section in agent.sections for item in section.items]
    weights = Weights(features(item.text) for _, _, item in all_items)
    outer: list[_Sect] = []  # output sections under no other; each holds its subsections (see `_place`)
    opened = 0
    by_topic: dict[str, list[_Sect]] = defaultdict(list)
    index: dict[str, list[_Group]] = defaultdict(list)
    alike: list[Alike] = []
    decisions = resolve(options.fold, options.apart, [item for _, _, item in all_items])
    placed: dict[int, _Group] = {}  # input item -> the group it went into, for decided folds

    for born, agent in enumerate(agents):
        parents: list[_Group | None] = []
        outline: list[tuple[int, _Sect]] = []  # this input's open headings: (level in the input, output section)
        carried: list[Item] = []  # a lead-in that ends its section introduces the next one: it goes there
        for position, section in enumerate(agent.sections):
            while outline and outline[-1][0] >= section.level:
                outline.pop()
            sect = _align(by_topic, section, agent.path, born)
            if sect is None:
                sect = _Sect(section.title, section.level, topic(section.title), heading=section.heading, position=opened, born=born)
                opened += 1
                _place(outer, sect, outline[-1][1] if outline else None)
                for word in sect.topic or {""}:
                    by_topic[word].append(sect)
            outline.append((section.level, sect))
            sect.paths.add(agent.path)
            if section.title:
                sect.titles.append(Source(agent.path, section.line))
                sect.headings.append(section.heading)
            parents = []
            items = [*carried, *section.items]
            carried = []
            if items and _lead_in(items[-1]) and items[-1].depth == 0 and position + 1 < len(agent.sections):
                carried = [items.pop()]  # "Your core responsibilities include:" stays with what it introduces
            for item in items:
                feats = features(item.text)
                group = next((placed[i].final() for i in decisions.fold_with.get(id(item), ()) if i in placed), None)
                near, keep = None, None
                if group is not None:
                    decisions.folded += 1
                    keep = _keeper(item, feats, group, weights, decided=True)
                else:
                    group, near, keep = _find(item, feats, sect, index, weights, agent.path, decisions, options.keep_repeats)
                parent = parents[item.depth - 1] if 0 < item.depth <= len(parents) else None
                if group is None:
                    if near is not None:
                        first = near[1].members[0]
                        verdict = judge(feats, near[1].feats, weights, near[1].sect is sect, explain=True)  # for people
                        why = verdict.reason if not verdict.same else (
                            "alike, but each states something the other does not (a number, a list, a clause), or one is a step of its file's procedure")
                        alike.append(Alike(near[0].score, (item.text, near[1].item.text),
                                           (Source(agent.path, item.line), Source(first.path, first.line)), why))
                    group = _Group(sect, item, feats, [item], {agent.path}, parent, item.kind in _WHOLE or _lead_in(item), [feats])
                    sect.hold(group)
                    _index(index, group, feats)
                else:
                    _add(group, item, feats, agent.path, keep is item, index)
                    sect.went.append(group)
                placed[id(item)] = group
                parents = parents[: item.depth] + [group]
        if carried:  # a lead-in with nothing after it in its input: where it stood
            sect = outline[-1][1] if outline else outer[0]
            for item in carried:
                feats = features(item.text)
                group = _Group(sect, item, feats, [item], {agent.path}, None, True, [feats])
                sect.hold(group)
                placed[id(item)] = group

    sections = _in_order(outer)
    _join_groups(sections, index, weights, decisions, options.keep_repeats)
    _fold_empty_sections(sections)
    merged_sections = tuple(_freeze(s) for s in sections if s.groups or s.title)
    # Horizontal rules are kept in place but are not guidance: the figures count guidance only.
    items_in = sum(item.kind != "rule" for _, _, item in all_items)
    items_out = sum(m.item.kind != "rule" for s in merged_sections for m in s.items)
    conflicts, notes, meta = merge_metadata(agents, options)
    notes += decisions.notes
    if options.fold or options.apart:
        notes.append(f"decisions: {decisions.folded} item(s) folded as decided, {len(options.apart)} pair(s) kept apart as decided")
    conflicts += _contradictions(merged_sections, weights)
    conflicts += _rival_sections(merged_sections)
    body = render_body(merged_sections)
    _check_nothing_lost(agents, merged_sections, body)
    agent = Agent(**meta, body=body, format=formats.CANONICAL, path="")
    # A pair kept apart by the judge may have ended up in one output item after all (joined groups).
    where = {(item.path, item.line): placed.get(id(item)) for _, _, item in all_items}
    alike = [a for a in alike if not _same_output(a, where)]
    alike.sort(key=lambda a: -a.score)  # stable: input order among equal scores
    return MergeResult(agent, merged_sections, tuple(conflicts), tuple(notes), items_in, items_out, tuple(alike))


def _same_output(pair: Alike, where: dict[tuple[str, int], _Group | None]) -> bool:
    """Both items of an alike pair stand in one output item (the groups were joined after the pair was noted)."""
    a, b = (where.get((s.path, s.line)) for s in pair.sources)
    return a is not None and b is not None and a.final() is b.final()


def _add(group: _Group, item: Item, feats: Features, path: str, kept: bool, index: dict[str, list[_Group]]) -> None:
    """`item` joins `group`; its wording becomes the kept one when `kept` (it says more)."""
    group.take(item, feats)
    group.paths.add(path)
    _index(index, group, feats, group.feats)  # found by every member's words, so paraphrases of any member meet it
    if kept and not _ROLE.match(group.item.text):
        group.item, group.feats = item, feats


def _index(index: dict[str, list[_Group]], group: _Group, feats: Features, known: Features | None = None) -> None:
    """File a group under the meaning words of a wording it holds, and under that exact wording."""
    for word in sorted(feats.words - known.words) if known is not None else feats.words:
        if group not in index[word][-3:]:
            index[word].append(group)
    index[" " + feats.text].append(group)  # exact-wording key (words never start with a space)


def _place(outer: list[_Sect], sect: _Sect, parent: _Sect | None) -> None:
    """Order follows the inputs: the first input's sections, then each later input's new ones at the
    end, except that a new subsection goes under its heading's output section, after what is there.
    Kept as a tree (a subsection list per section), so placing costs the same however many there are."""
    if parent is None or parent.level == 0:
        outer.append(sect)
    else:
        parent.subsections.append(sect)


def _in_order(outer: list[_Sect]) -> list[_Sect]:
    """The output sections in document order: each followed by its subsections, depth first."""
    ordered: list[_Sect] = []
    pending = list(reversed(outer))
    while pending:  # a stack, not recursion: ten thousand nested headings are a plausible input
        sect = pending.pop()
        ordered.append(sect)
        pending.extend(reversed(sect.subsections))
    return ordered


def _align(by_topic: dict[str, list[_Sect]], section: Section, path: str, born: int) -> _Sect | None:
    """The output section this input section joins: same topic, from another input, earliest first.
    Sections the current input opened come last in every topic list and never match (same input):
    the scan stops at them, so a file of ten thousand headings sharing a word costs ten thousand steps."""
    if section.level == 0 and not section.title:
        return next((s for s in by_topic.get("", ()) if s.level == 0 and not s.title), None)
    wanted = topic(section.title)
    if not wanted:  # a title of filler words only ("Core Principles"): the same title, or nothing
        title = clean_title(section.title).lower()
        earlier = takewhile(lambda s: s.born != born, by_topic.get("", ()))
        return next((s for s in earlier if s.title and clean_title(s.title).lower() == title and path not in s.paths), None)
    seen: set[int] = set()
    candidates = []
    for word in wanted:
        for sect in by_topic.get(word, ()):
            if sect.born == born:
                break
            if id(sect) not in seen and path not in sect.paths and _same_subject(sect.topic, wanted):
                seen.add(id(sect))
                candidates.append(sect)
    if not candidates:
        return None
    return min(candidates, key=lambda s: (s.topic != wanted, s.position))


# Words a checklist uses to claim a state ("Input validation present", "Caching in place"): they say
# something was done, not what to do, and never make a wording say more than another.
_CLAIMS = frozenset(stem(w) for w in ("present", "place", "configured", "exists", "done", "verified", "enabled", "defined", "ok"))
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# A member must say the same as another member this strongly to join through it (see `_find`).
STRONG = 0.5
# Share of a wording's weight in words another lacks from which what it says more is never lost.
SUBSTANTIVE = 0.5


def _numbers(text: str) -> frozenset[str]:
    """The numbers an item states: versions, phases, steps, limits (`Python 3.12`, `Phase 2`, `≥80%`)."""
    return frozenset(_NUMBER.findall(text)) if any(c.isdigit() for c in text) else frozenset()


@dataclass(frozen=True)
class _More:
    """What one wording asks that another does not state."""

    share: float  # of the wording's weight, in meaning words the other lacks
    substantive: bool  # a number, an enumeration, or half its weight: never to be lost


def _says_more(a: Features, b: Features, numbers_a: frozenset[str], numbers_b: frozenset[str], weights: Weights) -> _More:
    """What `a` asks that `b` does not state. A checklist's state words ("present", "in place") ask
    nothing; a single qualifier (in parentheses, after "e.g.": "validation (Pydantic)") only qualifies;
    an enumeration in parentheses ("testing (unit, integration, load)") lists what is asked; a number
    only `a` states is a limit or a version it asks for ("at most 3", "Python 3.12")."""
    listed = frozenset().union(*a.lists) if a.lists else frozenset()
    more = a.words - b.words - (a.qualifiers - listed) - _CLAIMS
    share = weights.mass(more) / weights.mass(a.words) if more else 0.0
    return _More(share, bool(numbers_a - numbers_b) or bool(more & listed) or share >= SUBSTANTIVE)


def _keeper(item: Item, feats: Features, group: _Group, weights: Weights, decided: bool = False) -> Item | None:
    """Which wording the output keeps when `item` folds into `group`: the one that states everything
    both ask. None when each asks something substantive the other does not state (a number, an
    enumeration, much of its weight): then they are not folded, unless a person decided they are.

    Items that state different numbers (`Phase 0` / `Phase 2`, `Python 3.11` / `3.12`) never fold. Where
    only one says more, its wording is kept; where both say a little more, the one that says more. A
    ticked checkbox from a report (`[x] Input validation present`) is never kept over an instruction."""
    kept, kept_feats = group.item, group.feats
    ours, theirs = _numbers(item.text), _numbers(kept.text)
    if ours and theirs and ours != theirs and not decided:
        return None
    more_ours = _says_more(feats, kept_feats, ours, theirs, weights)
    more_theirs = _says_more(kept_feats, feats, theirs, ours, weights)
    if more_ours.substantive and more_theirs.substantive and not decided:
        return None
    if more_ours.substantive != more_theirs.substantive:
        winner = item if more_ours.substantive else kept
    elif more_ours.share != more_theirs.share:
        winner = item if more_ours.share > more_theirs.share else kept
    else:
        winner = item if _specificity(item, feats) > _specificity(kept, kept_feats) else kept
    loser = kept if winner is item else item
    if _is_claim(winner) and not _is_claim(loser):
        if (more_ours if winner is item else more_theirs).substantive and not decided:
            return None  # the checkbox says something the instruction does not: folding would lose it or keep a claim
        winner = loser
    return winner


def _is_claim(item: Item) -> bool:
    """A ticked checkbox (`- [x] Input validation present`): a report's claim that something was done,
    not an instruction. An unticked one is a to-do, which instructs."""
    return item.kind == "check" and bool(item.checked)


def _find(item: Item, feats: Features, sect: _Sect, index: dict[str, list[_Group]], weights: Weights,
          path: str, decisions: Decisions, keep_repeats: bool) -> tuple[_Group | None, tuple[Verdict, _Group] | None, Item | None]:
    """The earlier group this item folds into, if any, and the wording that group then keeps; else the
    most alike group the judge kept apart (when it scores at least ALIKE), for a person to check.

    An item joins a group when it says the same as the group's kept wording, contains it or is contained
    in it; or when it says the same as one of the group's members strongly (STRONG) and is still alike
    (ALIKE) to the kept wording: a paraphrase of a member is a paraphrase of the group, but a chain
    A~B~C that drifts from A to different advice cannot form, since C must stay near A's kept wording.
    Either way the kept wording must state everything both ask (`_keeper`). Never a group a person
    decided it stays apart from; with `keep_repeats`, never a group holding an item of the same input."""
    # What may keep the item out of a group, looked up once: most items have no decision and are no step.
    blocked = decisions.apart_from.get(id(item))
    step = item.kind == "step"

    def open_to(group: _Group) -> bool:
        if keep_repeats and path in group.paths:
            return False
        if blocked and decisions.apart(item, group.members):
            return False
        return not (item.path in group.step_files or (step and item.path in group.member_files))  # `_splits_a_procedure`

    if item.kind in _WHOLE or item.kind == "quote":
        return next((g for g in sect.whole.get(_as_written(item), ()) if g.into is None and open_to(g)), None), None, None
    if sect.level == 0 and not sect.title and _ROLE.match(item.text):
        # Role statements ("You are a senior backend developer ...") describe one identity: keep the first.
        group = next((g for g in sect.roles if _ROLE.match(g.item.text) and open_to(g)), None)
        return group, None, group.item if group else None
    exact = next((g for g in index.get(" " + feats.text, ()) if g.into is None and open_to(g)), None)
    if exact is not None:
        return exact, None, exact.item  # the same words in the same order: no need to weigh anything
    if _lead_in(item):
        return None, None, None  # "Your core responsibilities include:" means the list after it; folded only when identical
    tally: Counter[_Group] = Counter()
    # A paraphrase shares at least one of an item's rarer words: look candidates up by those only.
    # Sorted by weight, then spelling: set order changes with the hash seed, and output must not.
    for word in _lookup_words(feats, weights):
        posting = index.get(word, ())
        if len(posting) <= _COMMON:
            tally.update(posting)  # counted in C; groups hash by identity
    best: tuple[int, float, _Group, Item] | None = None  # (how directly, score, group, the wording kept)
    near: tuple[Verdict, _Group] | None = None
    for group, _ in tally.most_common(_CANDIDATES * 2):
        if group.into is not None or group.exact_only or not open_to(group):
            continue
        same_topic = group.sect is sect or _same_topic(group.sect.topic, sect.topic)
        verdict = judge(feats, group.feats, weights, same_topic=same_topic)
        if verdict.same or contains(group.feats, feats, weights, same_topic) or contains(feats, group.feats, weights, same_topic):
            directness = 2
        elif verdict.score >= ALIKE and not opposed(feats, group.feats, weights) and any(
                _strongly_same(feats, member, weights, same_topic) for member in _wordings(group) if member is not group.feats):
            directness = 1
        else:
            if verdict.score >= ALIKE and (near is None or verdict.score > near[0].score):
                near = (verdict, group)
            continue
        keep = _keeper(item, feats, group, weights)
        if keep is None:
            if verdict.score >= ALIKE and (near is None or verdict.score > near[0].score):
                near = (verdict, group)
            continue
        found = (directness, verdict.score, group, keep)
        if best is None or found[:2] > best[:2]:
            best = found
    return (best[2], None, best[3]) if best else (None, near, None)


def _lookup_words(feats: Features, weights: Weights) -> list[str]:
    """A wording's rarest meaning words, by which its paraphrases are looked up. Sorted by weight, then
    spelling: set order changes with the hash seed, and output must not."""
    return sorted(feats.words, key=lambda w: (-weights(w), w))[:_LOOKUP_WORDS]


def _join_groups(sections: list[_Sect], index: dict[str, list[_Group]], weights: Weights, decisions: Decisions, keep_repeats: bool) -> None:
    """After grouping, groups whose kept wordings say the same (or one contains the other) become one,
    the later joining the earlier: two groups that each gathered wordings of one rule ("Implement
    authentication and authorization" and the same with "(JWT, OAuth, API keys)") do not both survive.
    Only kept wordings are compared, so no chain of members joins different advice."""
    order = [g for s in sections for g in s.groups]
    rank = {id(g): n for n, g in enumerate(order)}
    for group in order:
        if group.into is not None or group.exact_only:
            continue
        tally: Counter[_Group] = Counter()
        for word in _lookup_words(group.feats, weights):
            posting = index.get(word, ())
            if len(posting) <= _COMMON:
                tally.update(posting)
        for other, _ in tally.most_common(_CANDIDATES):  # the groups sharing most rare words: a twin is among them
            other = other.final()
            if other is group or other.exact_only or rank[id(other)] > rank[id(group)]:
                continue  # only earlier groups: each pair is looked at once, the later joining the earlier
            if keep_repeats and group.paths & other.paths or _splits_a_procedure(group.members, other):
                continue
            if any(decisions.apart(member, other.members) for member in group.members):
                continue
            same_topic = other.sect is group.sect or _same_topic(other.sect.topic, group.sect.topic)
            if not _belong_together(group, other, weights, same_topic):
                continue
            keep = _keeper(group.item, group.feats, other, weights)
            if keep is None:
                continue
            for member, feats in zip(group.members, group.member_feats):
                other.take(member, feats)
            other.paths |= group.paths
            if keep is group.item and not _ROLE.match(other.item.text):
                other.item, other.feats = group.item, group.feats
            group.into = other
            group.sect.went.append(other)
            break
    for sect in sections:  # joined groups leave their sections at the end: removing each at once costs a scan
        sect.groups = [g for g in sect.groups if g.into is None]


def _splits_a_procedure(items: Sequence[Item], group: _Group) -> bool:
    """A numbered step belongs to its procedure: inside one input it never folds into (or takes in)
    another of that input's items, so no file's procedure loses a step to a restatement elsewhere."""
    return any(i.path in group.step_files or (i.kind == "step" and i.path in group.member_files) for i in items)


def _belong_together(group: _Group, other: _Group, weights: Weights, same_topic: bool) -> bool:
    """Two groups are one when their kept wordings say the same (or one contains the other), or when a
    member of each says the same strongly (STRONG) while the kept wordings stay alike (ALIKE): the rule
    items join groups by (`_find`), so where a group formed does not decide what it holds."""
    a, b = group.feats, other.feats
    verdict = judge(a, b, weights, same_topic)
    if verdict.same or contains(a, b, weights, same_topic) or contains(b, a, weights, same_topic):
        return True
    if verdict.score < ALIKE or opposed(a, b, weights):
        return False
    ours, theirs = _wordings(group), _wordings(other)
    return any(_strongly_same(x, y, weights, same_topic) for x in ours for y in theirs if x is not a or y is not b)


def _wordings(group: _Group) -> list[Features]:
    """The group's distinct wordings (a spec repeated, or a repeat inside one, is one wording): features
    are cached per text, so one wording is one object."""
    return list({id(f): f for f in group.member_feats}.values())


def _strongly_same(a: Features, b: Features, weights: Weights, same_topic: bool) -> bool:
    verdict = judge(a, b, weights, same_topic)
    return verdict.same and verdict.score >= STRONG


def _fold_empty_sections(sections: list[_Sect]) -> None:
    """A section whose every item folded into other sections (a checklist repeating the body) keeps
    nothing to say: its heading goes with the section that holds the first of its items, unless
    subsections follow it."""
    gone: set[int] = set()
    for at, sect in enumerate(sections):
        if sect.groups or not sect.title or not sect.headings:
            continue
        following = sections[at + 1] if at + 1 < len(sections) else None
        if following is not None and following.level > sect.level:
            continue
        home = next((g.final().sect for g in sect.went if g.final().sect is not sect and id(g.final().sect) not in gone), None)
        if home is None:
            continue
        home.titles += sect.titles
        home.headings += sect.headings
        gone.add(id(sect))
    sections[:] = [s for s in sections if id(s) not in gone]


def _freeze(sect: _Sect) -> MergedSection:
    positions = {id(g): i for i, g in enumerate(sect.groups)}

    def parent_of(group: _Group) -> int | None:
        parent = group.parent.final() if group.parent is not None else None
        return positions.get(id(parent)) if parent is not None and parent is not group else None

    items = tuple(
        MergedItem(
            item=g.item,
            sources=tuple(Source(m.path, m.line) for m in g.members),
            folded=tuple(m for m in g.members if m is not g.item),
            parent=parent_of(g),
        )
        for g in sect.groups
    )
    return MergedSection(sect.title, sect.level, items, tuple(sect.titles), sect.heading, tuple(sect.headings))


# -------------------------------------------------------------------------------------- rival sections

# Sections that tell the agent what to produce or how to proceed: two inputs saying different things
# there cannot both be obeyed, unlike two lists of advice, which add up.
_RIVAL_TOPICS = frozenset(stem(w) for w in ("output", "format", "report", "response", "template", "procedure", "workflow", "process", "protocol", "steps"))


def _rival_sections(sections: Sequence[MergedSection]) -> list[Conflict]:
    """An aligned output-format or procedure section where the inputs share almost nothing: the merged
    agent states both, and a person has to choose."""
    found = []
    for section in sections:
        if not section.title or not topic(section.title) & _RIVAL_TOPICS:
            continue
        by_input: dict[str, int] = Counter(m.sources[0].path for m in section.items if m.item.kind != "rule")
        if len(by_input) < 2:
            continue
        shared = sum(1 for m in section.items if len({s.path for s in m.sources}) > 1)
        if shared <= len(section.items) // 5:
            inputs = ", ".join(f"{path}:{next(t.line for t in section.titles if t.path == path)}" if any(t.path == path for t in section.titles)
                               else path for path in by_input)
            found.append(Conflict("sections", f"{len(by_input)} inputs give different {section.title!r} sections ({inputs}); "
                                              "the merged agent states all of them: keep one", section.titles))
    return found


def render_body(sections: Sequence[MergedSection]) -> str:
    """Merged sections as Markdown: headings as their authors wrote them, then each item in its own kind of block."""
    blocks: list[str] = []
    for section in sections:
        if section.heading and ("\n" in section.heading or bold_label(section.heading) is not None):
            blocks.append(section.heading)  # a bold label stays a bold label, a setext heading setext
        elif section.title:
            level = min(max(section.level, 2), 6)
            blocks.append(f"{'#' * level} {heading_line(section.heading) if section.heading else section.title}")
        blocks.extend(_render_items(section.items))
    return "\n\n".join(b for b in blocks if b.strip())


class LostText(RuntimeError):
    """Merge wrote an agent that lacks a line of an input: a bug in agentkit, never a silent loss."""


def _check_nothing_lost(agents: Sequence[Agent], sections: Sequence[MergedSection], body: str) -> None:
    """Every non-blank body line of every input is in the merged body, in the wording of an item folded
    into one there, or in a heading aligned with one there (compared by `line_key`: markers, heading
    hashes and indentation may change). Anything else is a bug, raised rather than counted."""
    kept = {line_key(line) for line in body.split("\n")}
    for section in sections:
        kept.update(line_key(line) for heading in section.headings for line in heading.split("\n"))
        for merged in section.items:
            kept.update(line_key(line) for item in merged.folded for line in item.text.split("\n"))
    for agent in agents:
        for number, line in enumerate(agent.body.split("\n")):
            key = line_key(line)
            if key and key not in kept:
                where = agent.path or "<input>"
                raise LostText(f"merge lost a line of {where} ({number + 1} lines into its body): {line.strip()[:80]!r}")


def _render_items(items: Sequence[MergedItem]) -> list[str]:
    blocks: list[str] = []
    run: list[str] = []  # consecutive list items form one list
    indent_of: dict[int, int] = {}  # position -> indent of its children
    numbers: dict[int | None, int] = {}  # parent position -> last step number under it
    for position, merged in enumerate(items):
        item = merged.item
        if item.kind not in _LIST and merged.parent in indent_of:
            # A paragraph, code block or table inside a list item, after its sub-list: it stays inside
            # the item (indented to its text, blank lines around it), so the list and its numbering go on.
            indent = indent_of[merged.parent]
            if run[-1]:
                run.append("")
            run.extend((" " * indent + line) if line.strip() else "" for line in item.text.split("\n"))
            run.append("")
            continue
        if item.kind not in _LIST:
            if run:
                blocks.append("\n".join(run).rstrip("\n"))
                run = []
            indent_of.clear()
            numbers.clear()
            blocks.append(item.text)
            continue
        parent = merged.parent if merged.parent in indent_of else None
        indent = indent_of[parent] if parent is not None else 0
        if item.kind == "check":
            marker = f"- [{'x' if item.checked else ' '}] "
        elif item.kind == "step" and _numbered(items, position, parent, numbers):
            numbers[parent] = numbers.get(parent, 0) + 1
            marker = f"{numbers[parent]}. "
        else:
            marker = "- "
        if item.kind != "step":
            numbers.pop(parent, None)  # a bullet between steps ends the numbering
        lines = item.text.split("\n")
        body_indent = indent + (2 if item.kind == "check" else len(marker))
        run.append("\n".join([" " * indent + marker + lines[0], *[(" " * body_indent + line) if line.strip() else "" for line in lines[1:]]]))
        indent_of[position] = body_indent
    if run:
        blocks.append("\n".join(run).rstrip("\n"))
    return blocks


_LIST = ("bullet", "step", "check")


def _numbered(items: Sequence[MergedItem], position: int, parent: int | None, numbers: dict[int | None, int]) -> bool:
    """A step keeps its number when it continues a numbered run or starts one; a step left alone among
    other inputs' bullets (its siblings folded elsewhere) reads better as a bullet than as "1."."""
    if parent in numbers:
        return True
    for later in items[position + 1:]:
        if later.parent == items[position].parent:
            return later.item.kind == "step"
        if later.item.kind not in _LIST and later.parent is None:
            return False  # a top-level paragraph or code block ends the list
    return False


# ------------------------------------------------------------------------------------------- metadata

def merge_metadata(agents: Sequence[Agent], options: Options) -> tuple[list[Conflict], list[str], dict]:
    """Frontmatter of the merged agent, with every disagreement reported. The policy:

    - name: `--name`, else the name most inputs share (first input wins a tie);
    - description: the first input's that carries the chosen name (else the first input's); examples: all
      of them, each once;
    - model: `--model`, else the model family most inputs use, in the first spelling seen (first input
      wins a tie); every other value is reported;
    - tools and every other permission: see `_merge_permissions`;
    - skills, triggers, handoffs: union in input order; color: the first, others reported.
    """
    conflicts: list[Conflict] = []
    notes: list[str] = []

    def where(agent: Agent, key: str = "name") -> Source:
        return Source(agent.path, 1)

    names = [a.name for a in agents if a.name]
    name = options.name or (Counter(names).most_common(1)[0][0] if names else "merged-agent")
    if len(set(names)) > 1 and not options.name:
        notes.append(f"name: {name!r} (used by {names.count(name)} of {len(names)} inputs); also {', '.join(sorted(set(names) - {name}))}")
    by_name: dict[str, list[Agent]] = defaultdict(list)
    for agent in agents:
        if agent.name:
            by_name[agent.name].append(agent)
    for dup, group in by_name.items():
        if len(group) > 1:
            conflicts.append(Conflict("duplicate-name", f"{len(group)} inputs are all named {dup!r}", tuple(where(a) for a in group)))

    # The description says when to call the agent the name stands for: take it from an input of that name.
    descriptions = sorted((a for a in agents if a.description), key=lambda a: a.name != name)  # stable
    description = descriptions[0].description if descriptions else None
    if len({a.description for a in descriptions}) > 1:
        notes.append(f"description: taken from {descriptions[0].path}; {len(descriptions) - 1} other descriptions left out")
    examples: list[Example] = []
    seen_examples: set[str] = set()
    for agent in agents:
        for example in agent.examples:
            key = " ".join(example.text.lower().split())
            if key not in seen_examples:
                seen_examples.add(key)
                examples.append(example)

    model = _merge_model(agents, options, conflicts, notes)
    permissions = _merge_permissions(agents, options, conflicts, notes)

    colors = [(a, a.color) for a in agents if a.color]
    color = colors[0][1] if colors else None
    if len({c for _, c in colors}) > 1:
        conflicts.append(Conflict("color", f"colors disagree: {', '.join(f'{c} ({a.path})' for a, c in colors)}; kept {color}", tuple(where(a) for a, _ in colors)))

    skills = tuple(dict.fromkeys(s for a in agents for s in a.skills))
    triggers = tuple(dict.fromkeys(t for a in agents for t in a.triggers))
    handoffs: dict[str, Handoff] = {}
    for agent in agents:
        for handoff in agent.handoffs:
            handoffs.setdefault(handoff.agent, handoff)
    passthrough: dict[str, dict] = {}
    holders: dict[tuple[str, str], list[tuple[Agent, Any]]] = defaultdict(list)  # every input's value of a kept key
    for agent in agents:
        for fmt, keys in agent.passthrough.items():
            target = passthrough.setdefault(fmt, {})
            for key, value in keys.items():
                if key == SPELLINGS:
                    continue  # one input's spelling of a modelled value means nothing for the merge
                role = formats.FORMATS[fmt].permission_keys.get(key) if fmt in formats.FORMATS else None
                if key in target and target[key] != value and role == "hooks" and isinstance(value, dict) and isinstance(target[key], dict):
                    target[key] = _join_hooks(target[key], value)  # every input's hooks run: a guard is never lost
                    continue
                holders[fmt, key].append((agent, value))
                target.setdefault(key, value)
    for (fmt, key), held in holders.items():
        if any(value != held[0][1] for _, value in held):  # one line per key, however many inputs differ
            values = ", ".join(f"{_shown(value)} ({agent.path})" for agent, value in held)
            conflicts.append(Conflict("passthrough", f"`{key}` ({fmt}) differs between inputs: {values}; kept the first",
                                      tuple(where(agent) for agent, _ in held)))
    meta = dict(
        name=name, description=description, examples=tuple(examples), model=model, **permissions,
        color=color, skills=skills, triggers=triggers, handoffs=tuple(handoffs.values()),
        passthrough={k: v for k, v in passthrough.items() if v},
    )
    return conflicts, notes, meta


def _shown(value: Any) -> str:
    """A passthrough value on one line of a conflict: short values whole, long ones cut."""
    text = json.dumps(value, ensure_ascii=False, default=str)  # a newline in a value cannot break the line
    return text if len(text) <= 40 else text[:39] + "…"


def _join_hooks(first: dict, second: dict) -> dict:
    joined = {event: list(entries) if isinstance(entries, list) else [entries] for event, entries in first.items()}
    for event, entries in second.items():
        for entry in entries if isinstance(entries, list) else [entries]:
            if entry not in joined.setdefault(event, []):
                joined[event].append(entry)
    return joined


def _merge_model(agents: Sequence[Agent], options: Options, conflicts: list[Conflict], notes: list[str]) -> str | None:
    models = [(a, a.model) for a in agents if a.model]
    if options.model:
        chosen = options.model
    elif not models:
        return None
    else:
        families = Counter(vocab.claude_family(m) or m for _, m in models)
        top = max(families.values())
        family = next(vocab.claude_family(m) or m for _, m in models if families[vocab.claude_family(m) or m] == top)
        chosen = next(m for _, m in models if (vocab.claude_family(m) or m) == family)
    if len({m for _, m in models}) > 1 or (options.model and models):
        listing = ", ".join(f"{m} ({a.path})" for a, m in models)
        rule = "--model" if options.model else "the model family most inputs use"
        conflicts.append(Conflict("model", f"models disagree: {listing}; kept {chosen} ({rule})", tuple(Source(a.path, 1) for a, _ in models)))
    return chosen


def tools_option(text: str) -> tuple[str, ...] | None:
    """A `--tools` / config `tools` value: "all" means no list (every tool), else a comma-separated list."""
    return None if text.strip().lower() == "all" else tuple(split_commas(text))


def _merge_permissions(agents: Sequence[Agent], options: Options, conflicts: list[Conflict], notes: list[str]) -> dict:
    """What the merged agent may do, in the canonical vocabulary (atoms). The policy:

    - tools: inputs without a tool list grant every tool; when some inputs restrict tools, the merged agent
      gets the union of the restricting inputs' lists (each tool one an input granted), reported;
      `--tools all` drops the list, `--tools A,B` sets it;
    - every other restriction of every input is kept: each denied tool stays denied, one read-only input
      makes the agent read-only, the most restrictive permission mode wins, the subagent allowlists are
      joined like tool lists, and an agent one input keeps from the user or the model stays so;
      `--permission-mode` overrides the mode.
    Names an input's own tool does not know grant nothing and are left out (reported).
    """
    from agentkit import permissions

    where = tuple(Source(a.path, 1) for a in agents)
    read = [(a, permissions.grants(a), vocab.ordered_atoms(a.tools or (), permissions.vocabulary_of(a))) for a in agents]
    for agent, granted, _ in read:
        if granted.unknown:
            notes.append(f"tools: {', '.join(granted.unknown)} ({agent.path}) grant nothing in that format; left out")
    # An input's own tool names it does not know grant nothing and are left out; names only one tool
    # has (Copilot's `execute/getTerminalOutput`) stay, for that tool's file.
    restricted = [(a, tuple(t for t in atoms if (t.split(":", 1)[-1] not in g.unknown or ":" not in t) and g.allows(t)))
                  for a, g, atoms in read if a.tools is not None and not vocab.atoms(a.tools, permissions.vocabulary_of(a)).everything]
    if options.tools:
        chosen = tools_option(options.tools)
        tools = None if chosen is None else vocab.ordered_atoms(chosen, "any")
        if chosen is None:
            notes.append("tools: no list (every tool), as --tools all asked")
    elif not restricted:
        tools = None
    else:
        tools = tuple(dict.fromkeys(t for _, atoms in restricted for t in atoms))
        open_ = len(agents) - len(restricted)
        if open_:
            conflicts.append(Conflict(
                "tools",
                f"{open_} input(s) grant every tool (no list), {len(restricted)} restrict tools; kept the union of the "
                f"restricting lists ({', '.join(tools) or 'none'}), never more than an input granted; --tools all grants every tool",
                where,
            ))
        elif len({tuple(sorted(atoms)) for _, atoms in restricted}) > 1:
            notes.append(f"tools: union of the inputs' lists ({', '.join(tools)})")
    denied = tuple(dict.fromkeys(d for a, _, _ in read for d in sorted(permissions.denied_atoms(a))))
    if denied and any(not a.disallowed_tools for a in agents):
        notes.append(f"disallowed tools: {', '.join(denied)} stay denied (at least one input denies them)")
    readonly = True if any(a.readonly for a in agents) else None
    if readonly and not all(a.readonly for a in agents):
        conflicts.append(Conflict("readonly", "some inputs are read-only; the merged agent is read-only",
                                  tuple(Source(a.path, 1) for a in agents if a.readonly)))
    modes = [(a, a.permission_mode.strip()) for a in agents if a.permission_mode]
    mode = None
    if options.permission_mode:
        mode = None if options.permission_mode in ("default", "manual") else options.permission_mode
        if modes:
            listing = ", ".join(f"{m} ({a.path})" for a, m in modes)
            conflicts.append(Conflict("permissionMode", f"permission modes: {listing}; kept {options.permission_mode} (--permission-mode)", where))
    elif modes:
        # `plan` restricts the tools (read-only), the other modes how the agent asks: both are kept.
        # With another mode beside it, `plan` is held as read-only and the other mode as the mode.
        others = [m for _, m in modes if m != "plan"]
        if not others:
            mode = "plan"
        else:
            mode = min(others, key=lambda m: permissions.MODE_RANK.get(m, 1))
            if len(others) < len(agents) and permissions.MODE_RANK.get(mode, 1) > 1:
                mode = None  # an input without a mode asks as by default: the merged agent does too
            if len(others) < len(modes):
                if mode is None or permissions.MODE_RANK.get(mode, 1) >= 1:
                    mode = "plan"  # read-only, and it asks no less than the default
                else:
                    readonly = True  # `dontAsk` beside `plan`: both restrictions, as read-only and dontAsk
        if len({m for _, m in modes}) > 1 or len(modes) < len(agents):
            listing = ", ".join(f"{m} ({a.path})" for a, m in modes)
            kept = f"{mode or 'the default'}{' and read-only (for plan)' if readonly and 'plan' in {m for _, m in modes} and mode != 'plan' else ''}"
            conflicts.append(Conflict("permissionMode", f"permission modes differ: {listing}; kept {kept} (the most restrictive)", where))
    named = [g.subagents for _, g, _ in read if g.subagents is not None and g.allows("Agent")]
    subagents = tuple(sorted(set().union(*named))) if named else None
    user = False if any(a.user_invocable is False for a in agents) else None
    model_call = False if any(a.model_invocable is False for a in agents) else None
    return dict(tools=tools, disallowed_tools=denied or None, readonly=readonly, permission_mode=mode,
                subagents=subagents, user_invocable=user, model_invocable=model_call)


# ------------------------------------------------------------------------------------- contradictions

def _overlap(a: Features, b: Features, weights: Weights) -> float:
    """How much of the shorter item the two share: "Do not use tabs for indentation, use 2 spaces"
    speaks of all of "Use tabs for indentation"."""
    shared = a.words & b.words
    if len(shared) < 2:
        return 0.0  # one word in common is a topic, not the same rule ("profile", "trust")
    return weights.mass(shared) / min(weights.mass(a.words), weights.mass(b.words))


def _contradictions(sections: Sequence[MergedSection], weights: Weights) -> list[Conflict]:
    """Items from different inputs that share their meaning words but one forbids what the other asks."""
    found: list[Conflict] = []
    entries = [(m, features(m.item.text)) for s in sections for m in s.items if m.item.kind not in _WHOLE]
    # Scored without the prohibition words, which would otherwise count as a difference ("skip").
    plain = [features(NEGATION.sub(" ", m.item.text)) for m, _ in entries]
    index: dict[str, list[int]] = defaultdict(list)
    for position, feats in enumerate(plain):
        for word in feats.words:
            index[word].append(position)
    for position, (merged, feats) in enumerate(entries):
        candidates = Counter(p for w in sorted(plain[position].words) if len(index[w]) < 50 for p in index[w] if p > position)
        for other, _ in candidates.most_common(8):
            other_item, other_feats = entries[other]
            if not opposed(feats, other_feats, weights):
                continue
            if {s.path for s in merged.sources} & {s.path for s in other_item.sources}:
                continue
            a, b = plain[position], plain[other]
            if _overlap(a, b, weights) >= 0.75 and judge(a, b, weights).score >= 0.5:
                found.append(Conflict(
                    "contradiction",
                    f"possibly contradicting guidance: {merged.item.text.splitlines()[0]!r} vs {other_item.item.text.splitlines()[0]!r}",
                    (merged.sources[0], other_item.sources[0]),
                ))
    return found
