"""How two guidance items are judged the same, by meaning rather than by bytes.

Word overlap alone either misses paraphrases or folds distinct advice (../shared/reference/dedup-notes.md),
so an item is reduced to the words that carry its meaning and those words are weighed:

1. Markdown, list/checkbox markers and emoji are stripped; words are lower-cased, hyphens joined
   (`hard-coded` = `hardcoded`), British spellings read as American, a few multi-word names of one idea
   read as one word ("least privilege"), abbreviations, near-synonyms and Portuguese words mapped to one
   English form, and a light stemmer folds word forms (`migrations`/`migrate`, `optimized`/`optimization`).
2. Filler (`implement`, `ensure`, `proper`, `appropriate`, `use`, ...), its inflections and stop words
   are dropped.
3. Each remaining word is weighed by its rarity across all items being merged (inverse document
   frequency): `security` in a security section says little, `reversible` says a lot.
4. Two items are the same when their weighted overlap is high and neither side keeps a heavy word the
   other lacks (`reversible` vs `versioned` share `migrations` but each keeps a word that matters).
   Items under different topics need a higher score (a debugging step "Check logs" is not the
   checklist item "Structured logs").
5. A bold headline ("**SQL Injection**: use parameterized queries") labels its item: the item is also
   the same as another wording of its headline or of its body. Items with different `{{placeholders}}`
   are about different things.
6. A prohibition is not what it forbids: "Never log request bodies" is not "Log request bodies"
   (`opposed`), although "never" is filler.
7. Apart from sameness, `contains` tells when one item is a clause of another ("Rate limiting when
   needed" in "Implement rate limiting and DDoS protection"): merge folds it into the broader one.

Merge compares each item only with the kept wording of earlier groups (never with every member), so a
chain A~B~C cannot join A and C; candidates come from an inverted index of rare words, so the cost grows
with the number of items, not with its square.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat

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
applying consider considering provide providing good best practice practices always
never avoid don t do effective effectively efficient efficiently robust comprehensive clear clearly correct
correctly relevant necessary needed need needs where when possible appropriate required require requires
include includes including add adding create creating write writing set setup keep keeping maintain maintaining
support supporting enable enabling define defining design designing build building strategy strategies
approach approaches pattern patterns management manage managing
doesnt dont isnt arent wont cannot cant shouldnt mustnt
""".split())

# One spelling for abbreviations, near-synonyms and the Portuguese words that occur in real specs.
SYNONYMS = {
    "db": "database", "dbs": "database", "databases": "database", "auth": "authentication",
    "authn": "authentication", "authz": "authorization", "perf": "performance", "config": "configuration",
    "configs": "configuration", "env": "environment", "envs": "environment", "k8s": "kubernetes",
    "hardcoded": "hardcode", "hardcoding": "hardcode", "secret": "secrets", "credential": "secrets",
    "credentials": "secrets", "apis": "api", "ids": "id", "uuids": "uuid", "endpoint": "endpoints", "tests": "test", "testing": "test",
    "métricas": "metrics", "métrica": "metric", "latência": "latency", "taxa": "rate", "erro": "error",
    "erros": "errors", "teste": "test", "testes": "test", "registro": "log", "registros": "logs",
    "filas": "queue", "fila": "queue", "tarefas": "tasks", "tarefa": "task", "limites": "limits",
    "tentativas": "retries", "validação": "validation", "duração": "duration", "concorrência": "concurrency",
    "determinístico": "deterministic", "alertas": "alerts", "segurança": "security", "desempenho": "performance",
    "criterios": "criteria", "critérios": "criteria", "aceite": "acceptance", "plano": "plan",
    "padrão": "consistent", "padrões": "consistent",
    # Domain near-synonyms: spellings of one idea in backend guidance.
    "restful": "rest", "standardized": "consistent", "standardised": "consistent", "uniform": "consistent",
    "surgical": "minimal", "smallest": "minimal", "targeted": "minimal", "reinvent": "reuse",
    "clarity": "readable", "readability": "readable", "pydantic": "schema", "zod": "schema", "joi": "schema",
    "yup": "schema", "marshmallow": "schema", "schemas": "schema", "edges": "input", "edge": "input",
    "swagger": "openapi", "jsdoc": "openapi", "documentation": "document", "documented": "document",
    "docs": "document", "rollback": "reversible", "rollbacks": "reversible", "revert": "reversible",
    "jobs": "job", "workers": "job", "worker": "job", "tasks": "job", "task": "job", "queues": "queue",
    "externalized": "external", "externalised": "external", "concerns": "responsibility",
}

# Multi-word names of one idea in engineering guidance, each read as a single word.
_PHRASES = (
    (r"least[- ]privileges?|minim(?:al|um) (?:necessary |required )?(?:permissions?|privileges?)", "leastprivilege"),
    (r"version control|git (?:history|log|blame)", "git"),
    (r"stack ?traces?|tracebacks?", "stacktrace"),
    (r"(?:correlation|request|trace)[ _-]?ids?", "correlationid"),
    (r"n ?\+ ?1", "nplusone"),
    (r"only what(?:'s| is)? (?:necessary|needed)|only what needs to change", "minimal"),
    (r"env(?:ironment)? var(?:iable)?s?", "envvar"),
)
_PHRASE = re.compile("|".join(rf"\b({pattern})\b" for pattern, _ in _PHRASES))

_SUFFIXES = (
    "izations", "ization", "isations", "isation", "ations", "ation", "itions", "ition", "ments", "ment",
    "ency", "ancy", "ence", "ance", "ent", "ages", "age",
    "nesses", "ness", "ities", "ity", "ings", "ing", "ions", "ion", "ically", "ical", "ably", "ible", "able",
    "ives", "ive", "izes", "ize", "ized", "ises", "ise", "ised", "ates", "ate", "ated", "ers", "er", "ies",
    "ied", "ed", "es", "ly", "al", "s",
)


_SHORT_STEMS = frozenset({"ent", "ence", "ance"})  # client, event, agent, fence, dance stay whole
# Nouns in -ity whose root is another word's: integrity is not integration, authority not authorization.
_WHOLE_WORDS = frozenset({"integrity", "authority", "entity", "identity", "community", "utility", "priority"})


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix stripper: enough to fold the word forms guidance is written in."""
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"  # entities -> entity, then on as the singular goes
    if word in _WHOLE_WORDS:
        return word
    for _ in range(2):  # twice: externalized -> external -> extern, coverage -> cover -> cov
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= (4 if suffix in _SHORT_STEMS else 3):
                word = word[: -len(suffix)]
                break
        else:
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]  # logg -> log, runn -> run
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def _inflections(word: str) -> set[str]:
    if word.endswith("y"):
        return {word[:-1] + "ies", word[:-1] + "ied"}
    return {word + end for end in ("s", "es", "ed", "d", "ing")}


# Inflected forms of filler words are filler ("implements", "applied", "defined"); derived words such as
# "provider" or "maintainable" carry meaning of their own, so only inflections count.
_FILLER_FORMS = FILLER | frozenset(form for word in FILLER for form in _inflections(word))


def _is_mark(char: str) -> bool:
    return unicodedata.category(char)[0] in "SC" and char != "\n"


_ASCII_MARKS = {code: " " for code in range(128) if _is_mark(chr(code))}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _strip_marks(text: str) -> str:
    # Emoji and other symbols are markers, not meaning; accents are kept (Portuguese words map above).
    text = text.translate(_ASCII_MARKS)
    return text if text.isascii() else _NON_ASCII.sub(lambda m: " " if _is_mark(m.group()) else m.group(), text)


@dataclass(frozen=True)
class Features:
    words: frozenset[str]  # stemmed meaning words
    text: str  # normalized plain text, for people and tie-breaks
    clauses: tuple[frozenset[str], ...] = ()  # meaning words of each coordinated clause ("A, B and C")
    qualifiers: frozenset[str] = frozenset()  # words that only qualify: in parentheses, after "e.g."
    lists: tuple[frozenset[str], ...] = ()  # enumerations in parentheses: "(unit, integration, load)"
    bare: frozenset[str] = frozenset()  # meaning words outside parentheses and "such as ..." qualifiers
    headline: Features | None = None  # a bold lead-in that states the item on its own ("**Least privilege**: ...")
    body: Features | None = None  # what follows the headline: the rule itself ("**SQL Injection**: use parameters")
    placeholders: frozenset[str] = frozenset()  # unfilled template slots: `{{models_dirs}}`
    negated: frozenset[str] = frozenset()  # meaning words a prohibition governs: "never log secrets" -> log, secrets


# A prohibition governs the words after it up to the end of its phrase: "Never log secrets, use a vault"
# forbids logging secrets, not vaults; "Parameterized always - never string interpolation" forbids only
# the interpolation. Words in parentheses only qualify and are left out before this is applied.
NEGATION = re.compile(r"\b(?:never|don'?t|do not|does not|doesn'?t|must not|mustn'?t|should not|shouldn'?t|avoid|no|not|"
                      r"without|skip|nunca|não|evitar|sem)\b", re.I)
_SCOPE_END = re.compile(r"[,;:.!?\u2013\u2014]|\s-\s|\bbut\b|\binstead\b|\brather\b", re.I)


def _negated(text: str) -> frozenset[str]:
    words: set[str] = set()
    matches = list(NEGATION.finditer(text))
    cancelled: set[int] = set()
    for at, (match, following) in enumerate(zip(matches, matches[1:])):
        if at not in cancelled and not text[match.end():following.start()].strip():
            cancelled |= {at, at + 1}  # "never skip security scanning" asks for scanning
    if not matches:
        return frozenset()
    ends = [m.start() for m in _SCOPE_END.finditer(text)]  # once, not once per prohibition: linear in the text
    for at, match in enumerate(matches):
        if at not in cancelled:
            stop = bisect.bisect_left(ends, match.end())
            words |= _words(text[match.end(): ends[stop] if stop < len(ends) else len(text)])
    return frozenset(words)


# Coordinated clauses add guidance ("rate limiting and DDoS protection"); qualifiers narrow it
# ("validation (Pydantic)", "logs with correlation IDs").
_CLAUSE = re.compile(r",|;|\band\b|&|\+|\bor\b|\be\b", re.I)
# `[^()]*` (not `[^)]*`): a parenthesis with no closing one ends the try at the next one, so a text of
# many opening parentheses costs its length, not its square.
_QUALIFIER = re.compile(r"\(([^()]*)\)|\b(?:com|like|such as|e\.g\.|eg|including)\b([^,;()]*)", re.I)


# One spelling for British and American forms, so the lexicon and the stemmer see one word:
# sanitise/sanitize, standardised/standardized, behaviour/behavior.
_AMERICAN = re.compile(r"(?<=\w{3})(is)(e|ed|es|ing|ation|ations)$|(?<=\w{3})(our)(s|ed|ing)?$")


def _american(match: re.Match[str]) -> str:
    return f"iz{match.group(2)}" if match.group(1) else f"or{match.group(4) or ''}"


def _words(text: str) -> frozenset[str]:
    words = set(map(_meaning, _WORD.findall(text.replace("\u2019", "'"))))
    words.discard("")
    return frozenset(words)


@lru_cache(maxsize=131072)
def _meaning(raw: str) -> str:
    """One word as it counts for meaning: its one spelling and stem, or "" for stop and filler words."""
    raw = _AMERICAN.sub(_american, raw.replace("-", "").replace("'", ""))
    raw = SYNONYMS.get(raw, raw)
    if raw in STOP_WORDS or raw in _FILLER_FORMS or len(raw) < 2:
        return ""
    stemmed = stem(raw)
    return SYNONYMS.get(stemmed, stemmed)


# "**Least privilege** - minimal permissions", "✅ **Rollback**: tested procedures": the bold words are the
# item's headline, the rest explains or details it.
_PLACEHOLDER = re.compile(r"\{\{([^{}]*)\}\}")
# A headline ends in a colon, a full stop or a dash, inside or after the bold: "**Deep knowledge** in
# architecture" is one sentence with emphasis, not a headline and a rule.
_HEADLINE = re.compile(r"^\W*\*\*([^*]+?[:.])\*\*\s*(?=\S)|^\W*\*\*([^*]+?)\*\*\s*[:.\-\u2013\u2014]\s*(?=\S)", re.S)


# Meaning is read from an item's first 20,000 characters: guidance longer than that (a pasted log, a
# file inlined as one line) is compared by its beginning, so one 10 MB line costs what 20 KB does.
MEANING_CHARS = 20_000


@lru_cache(maxsize=65536)
def features(text: str) -> Features:
    text = text[:MEANING_CHARS]
    placeholders = frozenset(" ".join(p.split()) for p in _PLACEHOLDER.findall(text))
    text = _PLACEHOLDER.sub(" ", text)
    unchecked = re.sub(r"^\s*\[[ xX]\]\s*", "", text)
    head = _HEADLINE.match(unchecked)
    headline = features((head.group(1) or head.group(2)).rstrip(":.")) if head else None
    body = features(unchecked[head.end():]) if head else None
    if headline is not None and len(headline.words) < 2:
        headline = None  # "**Security**:" names a topic, not a piece of guidance
    plain = plain_text(re.sub(r"^\s*\[[ xX]\]\s*", "", text))
    plain = _strip_marks(_PHRASE.sub(lambda m: f" {_PHRASES[(m.lastindex or 1) - 1][1]} ", plain.lower().replace("\u2019", "'")))
    qualifiers: set[str] = set()
    lists = []
    for match in _QUALIFIER.finditer(plain):
        inner = match.group(1) or match.group(2) or ""
        qualifiers |= _words(inner)
        parts = [_words(p) for p in _CLAUSE.split(inner)]
        if match.group(1) is not None and sum(1 for p in parts if p) >= 2:
            lists.append(frozenset().union(*parts))
    bare = _QUALIFIER.sub(" ", plain)
    clauses = tuple(c for c in (_words(part) for part in _CLAUSE.split(bare)) if c)
    return Features(_words(plain), " ".join(plain.split()), clauses, frozenset(qualifiers), tuple(lists),
                    frozenset().union(*clauses), headline, body, placeholders, _negated(bare))


def _adds_guidance(extra: frozenset[str], item: Features, shared: frozenset[str], other: Features) -> bool:
    """The extra words form a clause of their own (not a qualifier of a shared one), or the item
    enumerates cases of which the other is about only some ("testing (unit, integration, load)" vs
    "unit tests"; not "secrets management (Vault, AWS Secrets Manager)" vs "secret management")."""
    if any(clause and not (clause & shared) and clause & extra for clause in item.clauses):
        return True
    if not item.lists:
        return False
    named = shared & other.bare - item.bare  # what the other's main clause names from the enumeration only
    return any(listed & named and listed & extra for listed in item.lists)


class Weights:
    """Inverse document frequency of meaning words over the items being compared."""

    def __init__(self, collection: Iterable[Features]) -> None:
        counts: Counter[str] = Counter()
        total = 0
        for item in collection:
            counts.update(item.words)
            total += 1
        self.total = max(total, 1)
        self.unseen = math.log((self.total + 1) / 0.5)
        self.weight = {w: math.log((self.total + 1) / (n + 0.5)) for w, n in counts.items()}
        self.masses: dict[frozenset[str], float] = {}  # summed weight of each word set seen

    def __call__(self, word: str) -> float:
        return self.weight.get(word, self.unseen)

    def mass(self, words: frozenset[str]) -> float:
        cached = self.masses.get(words)
        if cached is None:
            weight, unseen = self.weight, self.unseen
            cached = self.masses[words] = math.fsum(map(weight.get, words, repeat(unseen)))
        return cached


# Thresholds, measured on tests/data/similarity_pairs.tsv (see tests/test_similarity.py).
# Verbs that name an act of their own on a subject: "Verify X" or "Review X" is another step than "X".
_ACTIONS = frozenset(stem(w) for w in ("verify", "check", "review", "audit", "monitor", "debug", "explain", "measure",
                                       "benchmark", "profile", "inspect", "analyze", "diagnose", "trace", "reproduce"))

SAME_TOPIC = 0.4
OTHER_TOPIC = 0.7
HEAVY_LEFTOVER = 0.2  # share of an item's weight that the other item does not have, on both sides
# Kept apart but this alike: listed for a person to check. On the labelled sets, folded-or-listed covers
# 63 of 86 (tuning) and 25 of 50 (held-out) same-guidance pairs.
ALIKE = 0.3


@dataclass(frozen=True)
class Verdict:
    same: bool
    score: float  # weighted Jaccard of meaning words, 0..1
    reason: str


def judge(a: Features, b: Features, weights: Weights, same_topic: bool = True, explain: bool = False) -> Verdict:
    """Same guidance or not. `explain` fills `reason` with the deciding words (slower; for people).
    Not cached: keeping the verdict of every pair weighed in a merge of 434 specs cost 140 MiB and saved
    no time (`bench/merge_bench.py`)."""
    if a.placeholders != b.placeholders:
        # "`{{models_dirs}}` – Domain models" is about whatever fills the slot, not about domain modelling.
        return Verdict(False, 0.0, "template placeholders differ")
    if opposed(a, b, weights):
        # "Never" and "avoid" are filler, so without this "Never store secrets in the repository" and "Store
        # secrets in the repository" would fold; merge reports such a pair as a contradiction instead.
        return Verdict(False, _judge(a, b, weights, same_topic, False).score, "one forbids what the other asks")
    verdict = _judge(a, b, weights, same_topic, explain)
    if verdict.same or (a.body is None and b.body is None):
        return verdict
    # A bold headline labels or states its item; the body after it is the rule. An item that details its
    # headline says the same as another wording of that headline ("**Never Trust User Input:** treat all
    # input as malicious" = "Never trust user input"), and an item that labels its rule says the same as
    # another wording of the rule ("**SQL Injection**: use parameterized queries" = "Use parameterized
    # queries"). Two headlines alike say nothing of the details under them ("**Input validation**:"
    # heads different checks), so two headlined items are compared by their bodies.
    parts: list[tuple[Features, Features, str]] = []
    if (a.headline is None) != (b.headline is None):
        titled, other = (a, b) if a.headline is not None else (b, a)
        assert titled.headline is not None
        parts.append((titled.headline, other, "headline"))
    if a.body is not None and b.body is not None:
        parts.append((a.body, b.body, "body"))
    else:
        titled, other = (a, b) if a.body is not None else (b, a)
        assert titled.body is not None
        parts.append((titled.body, other, "body"))
    for part, against, name in parts:
        if not part.words & against.words:
            continue
        if name == "headline" and _leftover(against, part, weights) > 2 * HEAVY_LEFTOVER:
            continue  # a headline names a topic: "Security scanning in CI/CD" says more than "**CI/CD**: ..."
        by_part = _judge(part, against, weights, same_topic, explain)
        if by_part.same:
            return Verdict(True, by_part.score, f"the same {name} ({by_part.reason})")
    return verdict


def opposed(a: Features, b: Features, weights: Weights) -> bool:
    """One item forbids most of what both items speak of, and the other forbids none of it: "Never log
    secrets" against "Log secrets", not against "Secrets must not be logged"."""
    if not a.negated and not b.negated:
        return False
    shared = a.words & b.words
    forbidden_a, forbidden_b = shared & a.negated, shared & b.negated
    if bool(forbidden_a) == bool(forbidden_b):
        return False
    return weights.mass(forbidden_a or forbidden_b) > 0.5 * weights.mass(shared)


def contains(broad: Features, narrow: Features, weights: Weights, same_topic: bool = True) -> bool:
    """Everything `narrow` asks for is one part of what `broad` asks: "Rate limiting when needed" is a
    clause of "Implement rate limiting and DDoS protection", "Comprehensive unit tests" is one case of
    "Comprehensive testing (unit, integration, load)". A merged file that keeps `broad` loses nothing of
    `narrow`. The narrow item must carry a third of the broad one's weight (not "Rate limiting" in a long
    numbered rule about API design), and under different topics be one whole clause of it ("Integrate
    with external services" in "Integrates with external services and third-party APIs")."""
    core = narrow.bare or narrow.words  # what it asks, without what only qualifies it
    # Every word of the narrow item, qualifiers too, is in the broad one: "Optimized queries (explain plan)"
    # is not contained in "Write optimized queries". One meaning word is a label, not guidance: "Caching
    # strategies" names a topic that "Caching strategies and performance guidelines" shares.
    if len(core) < 2 or narrow.words - broad.words or broad.placeholders != narrow.placeholders:
        return False
    # Nor buried in a long enumeration: a third of what the broad item says, at least.
    if weights.mass(core) < weights.mass(broad.words) / 3 or opposed(broad, narrow, weights):
        return False
    if not same_topic:
        return core in broad.clauses
    for clause in broad.clauses:
        inside = core & clause
        if inside and not core - clause - broad.qualifiers and weights.mass(inside) >= 0.5 * weights.mass(clause):
            return True
    return False


def _leftover(item: Features, other: Features, weights: Weights) -> float:
    """The share of an item's weight in words the other lacks, leaving out words that only qualify."""
    weight, unseen = weights.weight, weights.unseen
    return math.fsum(map(weight.get, item.words - other.words - item.qualifiers, repeat(unseen))) / weights.mass(item.words)


def _judge(a: Features, b: Features, weights: Weights, same_topic: bool, explain: bool) -> Verdict:
    if not a.words or not b.words:
        same = a.text == b.text and bool(a.text)
        return Verdict(same, 1.0 if same else 0.0, "no meaning words; compared as text")
    shared = a.words & b.words
    if not shared:
        return Verdict(False, 0.0, "no meaning word in common")
    weight, unseen = weights.weight, weights.unseen
    w_shared = math.fsum(map(weight.get, shared, repeat(unseen)))
    cached = weights.masses
    w_a = cached.get(a.words) or weights.mass(a.words)
    w_b = cached.get(b.words) or weights.mass(b.words)
    # Cheapest tests first: most candidate pairs fail on weights alone.
    # Words that only qualify (a tool name in parentheses) neither set items apart nor make them alike.
    q_a = math.fsum(map(weight.get, a.qualifiers - shared, repeat(unseen))) if a.qualifiers else 0.0
    q_b = math.fsum(map(weight.get, b.qualifiers - shared, repeat(unseen))) if b.qualifiers else 0.0
    left_a = (w_a - w_shared - q_a) / w_a
    left_b = (w_b - w_shared - q_b) / w_b
    score = w_shared / (w_a + w_b - w_shared - q_a - q_b)
    if left_a > HEAVY_LEFTOVER and left_b > HEAVY_LEFTOVER:
        if not explain:
            return Verdict(False, score, "each keeps a word the other lacks")
        heavy_a = max(sorted(a.words - shared), key=weights)
        heavy_b = max(sorted(b.words - shared), key=weights)
        return Verdict(False, score, f"each keeps a word the other lacks ({heavy_a!r} vs {heavy_b!r})")
    threshold = SAME_TOPIC if same_topic else OTHER_TOPIC
    # One wording containing the other (a more specific version) counts as the same guidance.
    containment = w_shared / min(w_a, w_b)
    if score < threshold and (containment < 0.999 or score < threshold * 0.6):
        return Verdict(False, score, f"weighted overlap {score:.2f} below {threshold}" if explain else "weighted overlap too low")
    if _adds_guidance(a.words - shared, a, shared, b) or _adds_guidance(b.words - shared, b, shared, a):
        return Verdict(False, score, "one adds guidance of its own (a coordinated clause the other lacks)")
    if score < threshold and _ACTIONS & (a.words ^ b.words) and not _ACTIONS & shared:
        # "Verify authentication/authorization" (a debugging step) contains the words of "Authentication &
        # Authorization" (a checklist entry) but asks for another act: checking is not building.
        return Verdict(False, score, "one asks for another act (verify, review, test, ...) on the same thing")
    return Verdict(True, score, "same meaning words" if score >= threshold else "one wording contains the other")
