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
    assert counts["clean"] > 200 and counts["recovered"] > 60


def test_whole_corpus_normalize_round_trip(corpus):
    for path in corpus:
        try:
            first = agentkit.read(path)
        except AgentkitError:
            continue
        text = agentkit.render(first.agent)
        again = agentkit.read_bytes(text.encode("utf-8"), str(path), first.agent.format)
        # Strict YAML, but for the keys a tool reads as raw lines (Cursor's `globs: **/*.ts`): nothing to repair.
        assert not again.repairs, f"{path}: normalized output still needs {again.repairs}"
        assert agentkit.render(again.agent) == text, f"{path}: normalizing twice differs from once"
        a, b = first.agent, again.agent
        assert (a.name, a.description, a.examples, a.model, a.tools, a.body) == (b.name, b.description, b.examples, b.model, b.tools, b.body), path
        assert (a.handoffs, a.skills, a.triggers, a.globs, a.always_apply, a.readonly) == (b.handoffs, b.skills, b.triggers, b.globs, b.always_apply, b.readonly), path


def _lines_changed(before: str, after: str) -> set[int]:
    """1-based lines of `before` that `after` changes (or inserts after)."""
    import difflib

    old, new = before.split("\n"), after.split("\n")
    changed: set[int] = set()
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag != "equal":
            changed |= set(range(i1 + 1, max(i2, i1 + 1) + 1))
    return changed


def test_same_format_writes_keep_the_authors_bytes(corpus):
    """Issue 15's measure: every corpus file whose reading needs no repair is written back by normalize
    byte for byte (comments, quoting, key order, flow or block lists, blank lines); a file with repairs
    changes only the lines its repairs name (a fence repair names the frontmatter it dedents)."""
    from agentkit.reader import read_bytes, read_input

    clean = untouched = repaired = confined = 0
    stray: list[str] = []
    for path in corpus:
        data = read_input(path)
        try:
            result = read_bytes(data, str(path))
        except AgentkitError:
            continue
        text = agentkit.render(result.agent)
        if not result.repairs:
            clean += 1
            untouched += text.encode("utf-8") == data
            if text.encode("utf-8") != data:
                stray.append(f"{path}: rewritten without a repair")
            continue
        repaired += 1
        named = {f.line for f in result.repairs if f.line}
        starts = sorted(result.key_lines.values())
        for finding in result.repairs:  # a repair of a key names its first line and covers all of them
            if finding.line in starts:
                after = [line for line in starts if line > finding.line]
                named |= set(range(finding.line, after[0] if after else finding.line + 40))
        if any(f.kind == "frontmatter-fence" for f in result.repairs):
            named |= set(range(1, max(result.key_lines.values(), default=1) + 3))
        if any(f.kind == "body-indent" for f in result.repairs):
            named |= set(range(1, data.count(b"\n") + 3))  # the whole file was indented: every line dedented
        source = data.decode("utf-8", "replace").lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        source = source if source.endswith("\n") else source + "\n"
        extra = _lines_changed(source, text) - named
        confined += not extra
        if extra:
            stray.append(f"{path}: lines {sorted(extra)[:5]} changed, repairs name {sorted(named)[:5]}")
    print(f"\nnormalize: {untouched} of {clean} files without a repair left byte-identical; "
          f"{confined} of {repaired} repaired files change only the lines their repairs name")
    assert clean > 200 and not stray, stray[:10]
