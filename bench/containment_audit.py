"""Containment folds as merge makes them on the whole corpus, sampled for a person to label (run by hand).

    python bench/containment_audit.py > sample.tsv     # id, kept (broader) text, folded (narrower) text, places

Merges every `.md` and `.mdc` file of ../shared/corpus (as `agentkit merge` would, in that order), records each fold
made by containment rather than by sameness, and prints a fixed random sample of 80 of them. The labels a
person gave that sample (blind to how it was made: "would any guidance of B be lost if only A were
kept?") are in tests/data/containment_audit.tsv.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def main() -> None:
    sys.path.insert(0, str(ROOT))
    import agentkit.merge as merge_module
    from agentkit.reader import read_many

    # The order the labelled sample was drawn in: Markdown files, then Cursor rules, each sorted.
    paths = [str(p) for p in sorted(CORPUS.rglob("*.md")) + sorted(CORPUS.rglob("*.mdc"))]
    agents = [r.agent for r in read_many(paths) if hasattr(r, "agent")]
    folds = []
    find = merge_module._find

    def recording(item, feats, sect, index, weights, path, decisions):  # type: ignore[no-untyped-def]
        group, near, broader = find(item, feats, sect, index, weights, path, decisions)
        if group is not None and broader is not None:  # folded by containment, not by sameness
            broad, narrow = (item, group.item) if broader else (group.item, item)
            folds.append((broad, narrow))
        return group, near, broader

    merge_module._find = recording
    result = merge_module.merge(agents)
    print(f"# {len(agents)} agents, {result.items_in} items in, {result.items_out} out, {len(folds)} containment folds",
          file=sys.stderr)
    writer = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    writer.writerow(["id", "text_a", "text_b", "where_a", "where_b"])
    for number, (broad, narrow) in enumerate(random.Random(7).sample(folds, min(80, len(folds)))):
        writer.writerow([number, " ".join(broad.text.split()), " ".join(narrow.text.split()),
                         f"{Path(broad.path).relative_to(CORPUS)}:{broad.line}", f"{Path(narrow.path).relative_to(CORPUS)}:{narrow.line}"])


if __name__ == "__main__":
    main()
