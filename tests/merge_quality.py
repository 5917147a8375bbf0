"""What `merge` folds, measured on labelled pairs (issue 16): a pair is folded when both items stand in
one output item's sources. Shared by tests/test_merge_quality.py and bench/merge_quality.py."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from conftest import CORPUS, SAMPLES

import agentkit
from agentkit.merge import _same_topic, merge, topic
from agentkit.similarity import Weights, contains, features, judge

DATA = Path(__file__).parent / "data"
SEED_PAIRS = DATA / "merge_seed_pairs.tsv"  # labelled for issue 16: the five seeds, merged together
HELDOUT = DATA / "similarity_heldout.tsv"  # corpus pairs labelled blind, never tuned on
PAIRS = DATA / "similarity_pairs.tsv"  # seeds and corpus, the judge's tuning set


def load(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def resolve(where: str) -> tuple[Path, int]:
    """`seeds/003:130` or `corpus/claude-agents/x.md:12` -> the file agentkit reads, and the line."""
    place, line = where.rsplit(":", 1)
    if place.startswith("seeds/"):
        index = int(place.split("/")[1])
        return next(SAMPLES.glob(f"{index}-*.md")), int(line)
    return CORPUS / place.removeprefix("corpus/"), int(line)


@dataclass(frozen=True)
class Figures:
    pairs: int
    same: int
    merged_same: int  # same pairs merge folds (recall numerator)
    merged_different: int  # different pairs merge folds: false folds
    judged_same: int  # same pairs the judge folds pairwise
    judged_different: int
    realised: int  # pairs the judge folds pairwise (any label) that merge folds too
    judged: int  # pairs the judge folds pairwise (any label)
    false_folds: tuple[str, ...] = ()
    missed: tuple[str, ...] = ()  # pairs the judge folds pairwise that merge leaves apart
    lossy: tuple[str, ...] = ()  # false folds whose kept wording does not state every meaning word of both
    judged_right: int = 0  # same pairs the judge folds pairwise...
    realised_right: int = 0  # ...that merge folds too

    @property
    def recall(self) -> float:
        return self.merged_same / self.same if self.same else 0.0

    @property
    def realisation(self) -> float:
        return self.realised / self.judged if self.judged else 1.0

    @property
    def realisation_right(self) -> float:
        """Of the judge's right pairwise folds (labelled same), the share merge makes."""
        return self.realised_right / self.judged_right if self.judged_right else 1.0


def _groups(paths: tuple[Path, ...]) -> dict[tuple[str, int], tuple[int, str]]:
    """(path, line) of every input item -> the number of the output item it stands in, and its kept wording."""
    result = merge([agentkit.read(p).agent for p in paths])
    out: dict[tuple[str, int], tuple[int, str]] = {}
    number = 0
    for section in result.sections:
        for merged in section.items:
            for member in (merged.item, *merged.folded):  # every line of a multi-line item names it
                for line in range(member.line, member.line + member.text.count("\n") + 1):
                    out.setdefault((member.path, line), (number, merged.item.text))
            number += 1
    return out


@cache
def _merged(paths: tuple[Path, ...]) -> dict[tuple[str, int], tuple[int, str]]:
    return _groups(paths)


def _weights(paths: tuple[Path, ...]) -> Weights:
    return Weights(features(i.text) for p in paths for s in agentkit.read(p).agent.sections for i in s.items)


def judge_folds(row: dict[str, str], weights: Weights) -> bool:
    """What the judge alone folds: the two say the same, or one contains the other."""
    a, b = features(row["text_a"]), features(row["text_b"])
    same_topic = _same_topic(topic(row["section_a"]), topic(row["section_b"]))
    return judge(a, b, weights, same_topic).same or contains(a, b, weights, same_topic) or contains(b, a, weights, same_topic)


def measure(rows: list[dict[str, str]], together: bool) -> Figures:
    """`together`: merge every file of the set at once (the seeds); else each pair's two files alone."""
    files = tuple(sorted({resolve(r[k])[0] for r in rows for k in ("where_a", "where_b")}))
    weights_all = _weights(files) if together else None
    counts = dict.fromkeys(("same", "merged_same", "merged_different", "judged_same", "judged_different", "realised", "judged",
                            "judged_right", "realised_right"), 0)
    false_folds: list[str] = []
    missed: list[str] = []
    lossy: list[str] = []
    for row in rows:
        (path_a, line_a), (path_b, line_b) = resolve(row["where_a"]), resolve(row["where_b"])
        paths = files if together else tuple(dict.fromkeys((path_a, path_b)))
        groups = _merged(paths)
        key_a, key_b = (str(path_a), line_a), (str(path_b), line_b)
        if key_a not in groups or key_b not in groups:
            raise AssertionError(f"no item at {row['where_a']} or {row['where_b']}")
        folded = groups[key_a][0] == groups[key_b][0]
        by_judge = judge_folds(row, weights_all if together else _weights(paths))
        same = row["label"] == "same"
        counts["same"] += same
        counts["merged_same"] += folded and same
        counts["merged_different"] += folded and not same
        counts["judged_same"] += by_judge and same
        counts["judged_different"] += by_judge and not same
        counts["judged"] += by_judge
        counts["realised"] += by_judge and folded
        counts["judged_right"] += by_judge and same
        counts["realised_right"] += by_judge and same and folded
        pair = f"{row['text_a'][:60]!r} ~ {row['text_b'][:60]!r} ({row['where_a']} ~ {row['where_b']})"
        if folded and not same:
            false_folds.append(pair)
            if not _states(groups[key_a][1], row["text_a"]) or not _states(groups[key_a][1], row["text_b"]):
                lossy.append(pair)
        if by_judge and not folded:
            missed.append(pair)
    return Figures(len(rows), **counts, false_folds=tuple(false_folds), missed=tuple(missed), lossy=tuple(lossy))


def _states(kept: str, text: str) -> bool:
    """The kept wording holds every meaning word `text` asks (a word in parentheses that only qualifies
    aside): folding `text` into it lost nothing a word can tell."""
    item, wording = features(text), features(kept)
    listed = frozenset().union(*item.lists) if item.lists else frozenset()
    return not item.words - wording.words - (item.qualifiers - listed)
