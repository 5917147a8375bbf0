"""Every file of ../shared/corpus: read without a crash, refused only for a stated reason, and
written back in its own format so that reading and writing again changes nothing."""

from __future__ import annotations

from collections import Counter

import agentkit
from agentkit.errors import AgentkitError

# Reasons a real corpus file may be refused for; anything else is a bug.
ALLOWED_REFUSALS = {"unsupported-format"}


def test_whole_corpus_reads(corpus):
    counts: Counter[str] = Counter()
    refused: dict[str, str] = {}
    formats: Counter[str] = Counter()
    for path in corpus:
        try:
            result = agentkit.read(path)
        except AgentkitError as exc:
            counts["refused"] += 1
            refused[str(path)] = f"{exc.reason}: {exc.message}"
            assert exc.reason in ALLOWED_REFUSALS, f"{path}: {exc}"
            assert exc.message
            continue
        formats[result.agent.format] += 1
        counts["recovered" if result.recovered or result.repairs else "clean"] += 1
    print(f"\ncorpus: {len(corpus)} files: {counts['clean']} clean, {counts['recovered']} needed repair or recovery, {counts['refused']} refused")
    print("formats:", dict(sorted(formats.items())))
    for path, reason in sorted(refused.items()):
        print(f"  refused {path.split('corpus/')[-1]}: {reason}")
    assert counts["clean"] + counts["recovered"] + counts["refused"] == len(corpus)
    assert counts["clean"] > 300 and counts["recovered"] > 60


def test_whole_corpus_normalize_round_trip(corpus):
    for path in corpus:
        try:
            first = agentkit.read(path)
        except AgentkitError:
            continue
        text = agentkit.render(first.agent)
        again = agentkit.read_bytes(text.encode("utf-8"), str(path), first.agent.format)
        assert not again.recovered, f"{path}: normalized output is not strict YAML"
        assert agentkit.render(again.agent) == text, f"{path}: normalizing twice differs from once"
        a, b = first.agent, again.agent
        assert (a.name, a.description, a.examples, a.model, a.tools, a.body) == (b.name, b.description, b.examples, b.model, b.tools, b.body), path
        assert (a.handoffs, a.skills, a.triggers, a.globs, a.always_apply, a.readonly) == (b.handoffs, b.skills, b.triggers, b.globs, b.always_apply, b.readonly), path
