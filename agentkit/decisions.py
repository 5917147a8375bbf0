"""A person's decisions about pairs of guidance items: fold these two, keep those two apart.

The judge favours precision and lists the pairs it was unsure of ("kept apart, but alike"); these
decisions are how a person settles them once and for all, on the command line (`merge --fold A B`,
`--apart A B`) or in `agentkit.toml` (`fold = [["A", "B"]]`). An item is named by its text (as the
summary prints it: Markdown, checkbox and emoji markers and case do not matter, and a text cut short
with "…" names every item it begins) or by its place, `path:line`, as the summary prints it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from agentkit.model import Item
from agentkit.similarity import features

_PLACE = re.compile(r"(.+):(\d+)")
_CUT = ("\u2026", "...")
_MARKER = re.compile(r"^(?:[-*+]|\d+[.)])\s+")


def anchored(reference: str, root: str) -> str:
    """A `path:line` reference made relative to `root` when the file is there; any other reference as it is."""
    place = _PLACE.fullmatch(reference.strip())
    if place and not os.path.isabs(place[1]) and os.path.isfile(os.path.join(root, place[1])):
        return f"{os.path.join(root, place[1])}:{place[2]}"
    return reference


def _same_path(a: str, b: str) -> bool:
    return os.path.normpath(a) == os.path.normpath(b) or os.path.realpath(a) == os.path.realpath(b)


def naming(reference: str) -> Callable[[Item], bool]:
    """Whether an item is the one a reference (a text, a text cut short with an ellipsis, or `path:line`)
    names; the reference is read once, then tried against every input item."""
    place = _PLACE.fullmatch(reference.strip())
    text = _MARKER.sub("", reference.strip())  # "- [ ] Secrets ..." as copied from a file names "[ ] Secrets ..."
    cut = text.endswith(_CUT)
    wanted = features(text.rstrip("".join(_CUT)).rstrip() if cut else text).text

    def names(item: Item) -> bool:
        if place and int(place[2]) == item.line and _same_path(place[1], item.path):
            return True
        have = features(item.text).text
        return bool(wanted) and (have.startswith(wanted) if cut else have == wanted)

    return names


@dataclass
class Decisions:
    """The decided pairs, resolved to the input items they name (by identity; mutable while merging)."""

    fold_with: dict[int, list[int]] = field(default_factory=dict)  # item -> items it must fold with
    apart_from: dict[int, set[int]] = field(default_factory=dict)  # item -> items it must never fold with
    notes: list[str] = field(default_factory=list)  # references that name no input item
    folded: int = 0  # forced folds made

    def apart(self, item: Item, members: Iterable[Item]) -> bool:
        blocked = self.apart_from.get(id(item))
        return blocked is not None and bool(blocked) and any(id(m) in blocked for m in members)


def resolve(fold: Sequence[tuple[str, str]], apart: Sequence[tuple[str, str]], items: Sequence[Item]) -> Decisions:
    decisions = Decisions()
    for kind, pairs in (("fold", fold), ("apart", apart)):
        for left, right in pairs:
            sides = []
            for reference in (left, right):
                names = naming(reference)
                named = [id(i) for i in items if names(i)]
                if not named:
                    decisions.notes.append(f"{kind}: no input item is {reference!r}; the decision was not applied")
                sides.append(named)
            for one, other in (sides, sides[::-1]):
                for key in one:
                    if kind == "fold":
                        decisions.fold_with.setdefault(key, []).extend(i for i in other if i != key)
                    else:
                        decisions.apart_from.setdefault(key, set()).update(i for i in other if i != key)
    return decisions
