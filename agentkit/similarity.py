"""How two guidance items are judged the same, by meaning rather than by bytes.

Word overlap alone either misses paraphrases or folds distinct advice (../shared/reference/dedup-notes.md),
so an item is reduced to the words that carry its meaning and those words are weighed:

1. Markdown, list/checkbox markers, emoji and bold labels are stripped; words are lower-cased, hyphens
   joined (`hard-coded` = `hardcoded`), a few abbreviations and Portuguese words mapped to one English
   form, and a light stemmer folds word forms (`migrations`/`migrate`, `optimized`/`optimization`).
2. Filler (`implement`, `ensure`, `proper`, `appropriate`, `use`, ...) and stop words are dropped.
3. Each remaining word is weighed by its rarity across all items being merged (inverse document
   frequency): `security` in a security section says little, `reversible` says a lot.
4. Two items are the same when their weighted overlap is high and neither side keeps a heavy word the
   other lacks (`reversible` vs `versioned` share `migrations` but each keeps a word that matters).
   Items under different topics need a higher score (a debugging step "Check logs" is not the
   checklist item "Structured logs").

Merge compares each item only with the kept wording of earlier groups (never with every member), so a
chain A~B~C cannot join A and C; candidates come from an inverted index of rare words, so the cost grows
with the number of items, not with its square.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from agentkit.markdown import plain_text

_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)

STOP_WORDS = frozenset("""
a an the and or but nor of to in on at by for from with without into onto over under as is are be been being
was were it its this that these those than then so such each every any all both either neither not no
can could should would will shall may might must do does did done have has had having you your yours we our
us they them their he she his her i me my if when while where which who whom whose what how why there here
via per vs etc e g eg ie i.e about across after against along among around before behind below beneath
beside between beyond during except inside near off out outside since through throughout till toward upon
within also just only very more most less least much many some other another own same too again further once
de da do das dos com em e para por o a os as um uma no na nos nas ao aos se que ou
""".split())

# Words that say how strongly, not what: they never decide whether two items mean the same.
FILLER = frozenset("""
implement implementing implemented implementation ensure ensuring ensures make making makes sure proper properly
appropriate appropriately use uses using used utilize utilizing leverage leveraging follow following follows apply
applying handle handling handles consider considering provide providing good best practice practices always
never avoid don t do effective effectively efficient efficiently robust comprehensive clear clearly correct
correctly relevant necessary needed need needs where when possible appropriate required require requires
include includes including add adding create creating write writing set setup keep keeping maintain maintaining
support supporting enable enabling define defining design designing build building strategy strategies
approach approaches pattern patterns management manage managing
""".split())

# One spelling for abbreviations, near-synonyms and the Portuguese words that occur in real specs.
SYNONYMS = {
    "db": "database", "dbs": "database", "databases": "database", "auth": "authentication",
    "authn": "authentication", "authz": "authorization", "perf": "performance", "config": "configuration",
    "configs": "configuration", "env": "environment", "envs": "environment", "k8s": "kubernetes",
    "hardcoded": "hardcode", "hardcoding": "hardcode", "secret": "secrets", "credential": "secrets",
    "credentials": "secrets", "apis": "api", "endpoint": "endpoints", "tests": "test", "testing": "test",
    "métricas": "metrics", "métrica": "metric", "latência": "latency", "taxa": "rate", "erro": "error",
    "erros": "errors", "teste": "test", "testes": "test", "registro": "log", "registros": "logs",
    "filas": "queue", "fila": "queue", "tarefas": "tasks", "tarefa": "task", "limites": "limits",
    "tentativas": "retries", "validação": "validation", "duração": "duration", "concorrência": "concurrency",
    "determinístico": "deterministic", "alertas": "alerts", "segurança": "security", "desempenho": "performance",
    "criterios": "criteria", "critérios": "criteria", "aceite": "acceptance", "plano": "plan",
}

_SUFFIXES = (
    "izations", "ization", "isations", "isation", "ations", "ation", "itions", "ition", "ments", "ment",
    "nesses", "ness", "ities", "ity", "ings", "ing", "ions", "ion", "ically", "ical", "ably", "ible", "able",
    "ives", "ive", "izes", "ize", "ized", "ises", "ise", "ised", "ates", "ate", "ated", "ers", "er", "ies",
    "ied", "ed", "es", "ly", "al", "s",
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix stripper: enough to fold the word forms guidance is written in."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]  # logg -> log, runn -> run
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def _strip_marks(text: str) -> str:
    # Emoji and other symbols are markers, not meaning; accents are kept (Portuguese words map above).
    return "".join(" " if unicodedata.category(c)[0] in "SC" and c not in "\n" else c for c in text)


@dataclass(frozen=True)
class Features:
    words: frozenset[str]  # stemmed meaning words
    text: str  # normalized plain text, for people and tie-breaks


@lru_cache(maxsize=65536)
def features(text: str) -> Features:
    plain = plain_text(re.sub(r"^\s*\[[ xX]\]\s*", "", text))
    plain = _strip_marks(plain).lower()
    words = set()
    for raw in _WORD.findall(plain):
        raw = raw.replace("-", "").replace("'", "")
        raw = SYNONYMS.get(raw, raw)
        if raw in STOP_WORDS or raw in FILLER or len(raw) < 2:
            continue
        words.add(SYNONYMS.get(stem(raw), stem(raw)))
    return Features(frozenset(words), " ".join(plain.split()))


class Weights:
    """Inverse document frequency of meaning words over the items being compared."""

    def __init__(self, collection: Iterable[Features]) -> None:
        counts: Counter[str] = Counter()
        total = 0
        for item in collection:
            counts.update(item.words)
            total += 1
        self.total = max(total, 1)
        self.counts = counts

    def __call__(self, word: str) -> float:
        return math.log((self.total + 1) / (self.counts.get(word, 0) + 0.5))

    def mass(self, words: Iterable[str]) -> float:
        return sum(self(w) for w in words)


# Thresholds, measured on tests/data/similarity_pairs.tsv (see tests/test_similarity.py).
SAME_TOPIC = 0.5
OTHER_TOPIC = 0.7
HEAVY_LEFTOVER = 0.34  # share of an item's weight that the other item does not have, on both sides


@dataclass(frozen=True)
class Verdict:
    same: bool
    score: float  # weighted Jaccard of meaning words, 0..1
    reason: str


def judge(a: Features, b: Features, weights: Weights, same_topic: bool = True) -> Verdict:
    if not a.words or not b.words:
        same = a.text == b.text and bool(a.text)
        return Verdict(same, 1.0 if same else 0.0, "no meaning words; compared as text")
    shared = a.words & b.words
    if not shared:
        return Verdict(False, 0.0, "no meaning word in common")
    w_shared = weights.mass(shared)
    w_a, w_b = weights.mass(a.words), weights.mass(b.words)
    score = w_shared / (w_a + w_b - w_shared)
    left_a = (w_a - w_shared) / w_a
    left_b = (w_b - w_shared) / w_b
    if left_a > HEAVY_LEFTOVER and left_b > HEAVY_LEFTOVER:
        heavy_a = max(a.words - shared, key=weights)
        heavy_b = max(b.words - shared, key=weights)
        return Verdict(False, score, f"each keeps a word the other lacks ({heavy_a!r} vs {heavy_b!r})")
    threshold = SAME_TOPIC if same_topic else OTHER_TOPIC
    # One wording containing the other (a more specific version) counts as the same guidance.
    containment = w_shared / min(w_a, w_b)
    if score >= threshold or (containment >= 0.999 and score >= threshold * 0.6):
        return Verdict(True, score, "same meaning words" if score >= threshold else "one wording contains the other")
    return Verdict(False, score, f"weighted overlap {score:.2f} below {threshold}")
