"""The similarity judge against hand-labelled pairs from the seeds and the corpus.

tests/data/similarity_pairs.tsv: 172 pairs (86 `same`, 86 `different`), each item copied from a real
file with its line. The test prints precision and recall; its thresholds are the measured level, so a
change that makes the judge worse fails. The issue's aim (recall above 0.9 with no false fold) is not
reached by word-level similarity; see the README.
"""

from __future__ import annotations

import csv
from pathlib import Path

from conftest import CORPUS, SHARED, sample

import agentkit
from agentkit.merge import _same_topic, topic
from agentkit.similarity import Features, Weights, contains, features, judge, opposed, stem

DATA = Path(__file__).parent / "data"
PAIRS = DATA / "similarity_pairs.tsv"
HELDOUT = DATA / "similarity_heldout.tsv"  # labelled blind, never used to tune the judge
CONTAINMENT = DATA / "containment_pairs.tsv"  # labelled blind: does A state everything B asks?


def load(path: Path = PAIRS) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def weights_for(rows: list[dict[str, str]]) -> Weights:
    # What a merge of the seeds would weigh words by, plus the pair texts themselves.
    items = [features(i.text) for n in range(5) for s in agentkit.read(sample(n)).agent.sections for i in s.items]
    items += [features(r[k]) for r in rows for k in ("text_a", "text_b")]
    return Weights(items)


def judged_same(a: Features, b: Features, weights: Weights, same_topic: bool) -> bool:
    return judge(a, b, weights, same_topic).same


def merge_folds(a: Features, b: Features, weights: Weights, same_topic: bool) -> bool:
    """What merge does with B when A is already in the output: folds it when it says the same or A contains it."""
    return judge(b, a, weights, same_topic).same or contains(a, b, weights, same_topic)


def score(rows: list[dict[str, str]], name: str, positive: str = "same", folds=judged_same) -> tuple[float, float, int]:
    """Precision, recall and false folds on labelled pairs; printed for the README."""
    weights = weights_for(rows)
    tp = fp = fn = tn = 0
    false_folds = []
    for row in rows:
        same_topic = _same_topic(topic(row["section_a"]), topic(row["section_b"]))
        fold = folds(features(row["text_a"]), features(row["text_b"]), weights, same_topic)
        gold = row["label"] == positive
        tp += fold and gold
        fp += fold and not gold
        fn += (not fold) and gold
        tn += (not fold) and not gold
        if fold and not gold:
            false_folds.append(f"{row['text_a']!r} ~ {row['text_b']!r}")
    precision, recall = tp / max(tp + fp, 1), tp / (tp + fn)
    print(f"\n{name}: {len(rows)} labelled pairs, precision {precision:.2f}, recall {recall:.2f} "
          f"(tp {tp}, fp {fp}, fn {fn}, tn {tn})")
    for fold in false_folds:
        print("  false fold:", fold)
    return precision, recall, fp


def test_labelled_pairs_precision_and_recall():
    rows = load()
    assert len(rows) >= 150 and {r["label"] for r in rows} == {"same", "different"}
    precision, recall, fp = score(rows, "tuning set")
    assert precision >= 0.97 and fp <= 1
    # measured: 0.50 (43 of 86). Two pairs fewer than before issue 16: "sanitization" is no longer read as
    # "validation", so "Implement input validation and sanitization" says more than "Validate at the edges".
    assert recall >= 0.50


def test_heldout_pairs_precision_and_recall():
    rows = load(HELDOUT)
    assert len(rows) >= 100 and {r["label"] for r in rows} == {"same", "different"}
    precision, recall, fp = score(rows, "held-out set")
    assert fp == 0
    assert recall >= 0.26  # measured: 0.26 (13 of 50); the issue's aim of 0.9 is not reached, see the README


def test_containment_pairs_precision_and_recall():
    """containment_pairs.tsv: 120 pairs labelled blind (60 where A states all B asks, 60 near misses where B
    adds something): what merge folds, by the judge or by containment."""
    rows = load(CONTAINMENT)
    assert len(rows) >= 120 and {r["label"] for r in rows} == {"contains", "not"}
    precision, recall, fp = score(rows, "containment set", "contains", merge_folds)
    assert fp <= 7 and recall >= 0.31  # measured: 19 of 60 folded (0.32); 7 near misses folded, by the judge (qualifiers it reads as detail)


def test_issue_examples():
    weights = weights_for(load())
    def same(a: str, b: str, same_topic: bool = True) -> bool:
        return judge(features(a), features(b), weights, same_topic).same
    assert same("Input validation with Pydantic", "Input validation with schemas")
    assert same("Implement authentication and authorization", "Implement authentication and authorization (JWT, OAuth, API keys)")
    assert not same("Logs without sensitive data", "Secure sensitive data with proper encryption")
    assert not same("Migrations are reversible", "Versioned migrations")
    assert not same("Check logs", "Structured logs", same_topic=False)
    assert not same("Design and implement RESTful APIs", "Design and implement RESTful APIs and GraphQL endpoints")
    assert not same("Implement comprehensive testing (unit, integration, load)", "✅ Comprehensive unit tests")
    # A bold headline states the item; the rest details it.
    assert same("Never trust user input", "**Never Trust User Input:** Treat all input from external sources as potentially malicious", False)
    assert not same("**Input validation**: request size limits", "**Input validation**: schema checks, allowlisting")
    assert same("**SQL Injection**: use parameterized queries", "Use parameterized queries")  # the body is the rule
    assert same("Rate limiting implementation", "**Rate limiting**: token bucket, sliding window")
    assert not same("Security scanning in CI/CD", "**CI/CD**: automated pipelines, deployment strategies")  # a topic
    # A template placeholder names what the item is about.
    assert not same("`{{models_dirs}}` – Domain models", "**Domain Modeling**: Create value objects for domain concepts")
    assert same("`{{models_dirs}}` – Domain models", "`{{models_dirs}}`: the domain models")


def test_a_prohibition_is_not_what_it_forbids():
    w = weights_for(load())
    same = lambda a, b: judge(features(a), features(b), w, True).same  # noqa: E731
    assert not same("Never store secrets in the repository", "Store secrets in the repository")
    assert not same("Log request bodies", "Do not log request bodies")
    assert same("Never hardcode secrets", "Secrets must not be hardcoded")  # both forbid it
    assert same("Secrets must not be hardcoded", "Do not hardcode credentials")
    # A prohibition reaches to the end of its phrase only: the rule asked for is shared.
    assert not opposed(features("Parameterized queries - never string interpolation"), features("Parameterized queries"), w)
    assert opposed(features("Never use string interpolation in queries"), features("String interpolation in queries"), w)
    assert features("Never log secrets, use a vault").negated == features("never log secrets").words
    assert features("Avoid globals (not thread-safe)").negated == features("globals").words  # parentheses qualify
    # Two prohibitions in a row ask: "Never skip security scanning" wants the scanning.
    assert not features("Never skip security scanning").negated
    assert not opposed(features("Never skip security scanning"), features("Automated testing and security scanning"), w)


def test_containment():
    """A narrower item one clause of a broader one: merge folds it in and keeps the broader wording."""
    w = weights_for(load())
    def inside(narrow: str, broad: str, same_topic: bool = True) -> bool:
        return contains(features(broad), features(narrow), w, same_topic)
    assert inside("✅ Rate limiting when needed", "Implement rate limiting and DDoS protection")
    assert inside("Use proper HTTP status codes", "Use proper HTTP status codes and error handling")
    assert inside("Race conditions", "Race conditions or deadlocks")
    assert inside("Integrate with external services", "Integrates with external services and third-party APIs", False)
    assert not inside("Rate limiting per endpoint", "Implement rate limiting and DDoS protection")  # per endpoint
    assert not inside("Migrations are reversible", "Handle database migrations and version control")
    assert not inside("Logs without sensitive data", "Secure sensitive data with proper encryption")
    assert not inside("Caching strategies", "Caching strategies and performance optimization guidelines")  # a label
    assert not inside("Log request bodies", "Never log request bodies or secrets")  # forbidden there
    assert not inside("Use proper HTTP status codes and error handling", "Use proper HTTP status codes")
    # Under another topic only a whole clause folds, and never one buried in a long enumeration.
    assert not inside("Structured logs", "Error handling, structured logging with correlation IDs", False)
    assert not inside("Rate limiting", "**API Design**: Follow OpenAPI 3.1 contracts, require `Idempotency-Key` "
                      "for POST operations, include `X-Request-Id` headers, implement proper rate limiting", False)


def test_normalization():
    assert features("- [ ] ✅ **Secrets** not hard-coded").words == features("secrets not hardcoded").words
    assert stem("migrations") == stem("migration") == stem("migrate")
    assert stem("optimized") == stem("optimization")
    assert stem("externalized") == stem("external")
    assert features("Expor métricas").words >= {"metric"}
    assert features("Implements REST APIs").words == features("REST APIs applied").words == features("REST API").words
    assert features("Maintainable code").words != features("code").words  # derived words keep their meaning
    assert features("Avoid N+1 queries").words == features("no N + 1 query").words
    assert features("Least privilege").words == features("minimal necessary permissions").words
    assert stem("idempotent") == stem("idempotency") and stem("client") == "client"
    assert stem("entities") == stem("entity") and stem("dependencies") == stem("dependency")
    assert stem("integrity") != stem("integration") and stem("authority") != stem("authorization")
    assert features("Sanitise inputs; standardised behaviour").words == features("sanitize inputs, standardized behavior").words
    assert features("Logging doesn't include secrets").words == features("logs: secrets").words


def test_labelled_items_are_quoted_from_the_line_they_cite(corpus):
    """Every labelled text is copied from a real file: its first words are on the line it cites."""
    import re

    roots = {"corpus": CORPUS, "seeds": SHARED / "seeds"}
    checked = 0
    for path in (PAIRS, HELDOUT, CONTAINMENT):
        for row in load(path):
            for side in ("a", "b"):
                where, text = row[f"where_{side}"], row[f"text_{side}"]
                source, _, line = where.rpartition(":")
                top, _, rest = source.partition("/")
                if top == "seeds":
                    file = next(roots["seeds"].glob(rest + "*"))
                else:
                    file = roots[top] / rest
                lines = file.read_bytes().decode("utf-8", "replace").splitlines()
                words = re.findall(r"\w+", text)[:3]
                assert all(w in lines[int(line) - 1] for w in words), f"{where}: {text!r}"
                checked += 1
    assert checked == 2 * (len(load(PAIRS)) + len(load(HELDOUT)) + len(load(CONTAINMENT)))
