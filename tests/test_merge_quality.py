"""Merge folds everything the judge already knows and keeps the wording that says the most (issue 16).

Figures on labelled pairs (tests/merge_quality.py): a pair counts as folded when both items stand in one
output item's sources. `pytest -s tests/test_merge_quality.py` prints them for the README."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import SAMPLES
from merge_quality import HELDOUT, PAIRS, SEED_PAIRS, load, measure, resolve

import agentkit
from agentkit.merge import Options, merge
from agentkit.text import decode


def together(result, *texts: str) -> bool:  # type: ignore[no-untyped-def]
    """Every one of `texts` stands in one output item (kept or folded)."""
    return any(set(texts) <= {m.item.text, *(f.text for f in m.folded)} for s in result.sections for m in s.items)


def kept_of(result, text: str) -> str:  # type: ignore[no-untyped-def]
    return next(m.item.text for s in result.sections for m in s.items if text in {m.item.text, *(f.text for f in m.folded)})


def write(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(f"---\nname: {path.stem}\ndescription: {path.stem}.\n---\n\n{body}")
    return path


def seeds():  # type: ignore[no-untyped-def]
    return [agentkit.read(p).agent for p in sorted(SAMPLES.glob("[0-4]-*.md"))]


# --- what the issue saw -----------------------------------------------------------------------------


def test_one_rule_in_many_wordings_is_one_item():
    """"Implement authentication and authorization" and the same with "(JWT, OAuth, API keys)" no longer
    survive in two groups: every wording of the rule in the seeds is one output item, kept in the
    wording that says the most."""
    result = merge(seeds())
    texts = ("Implement authentication and authorization (JWT, OAuth, API keys)", "Implement authentication and authorization",
             "Authentication & Authorization", "Proper authentication/authorization", "Authentication/authorization in place")
    assert together(result, *texts)
    assert kept_of(result, texts[1]) == texts[0]
    assert together(result, "Implement caching strategies (Redis, Memcached)", "Cache strategy defined", "Appropriate caching")


def test_repeats_inside_one_input_fold_and_the_flag_keeps_them(tmp_path: Path):
    spec = write(tmp_path, "a.md", "## Logging\n\n- Structured logs\n\n## Checklist\n\n- [ ] Structured logs\n- [ ] Tests pass\n")
    folded = merge([agentkit.read(spec).agent])
    assert together(folded, "Structured logs") and folded.items_out == 2
    sources = next(m.sources for s in folded.sections for m in s.items if m.item.text == "Structured logs")
    assert [s.line for s in sources] == [8, 12]  # the first occurrence's place kept, every source listed
    apart = merge([agentkit.read(spec).agent], Options(keep_repeats=True))
    assert apart.items_out == 3
    proc = subprocess.run([sys.executable, "-m", "agentkit", "merge", str(spec), "--keep-repeats"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.count("Structured logs") == 2


def test_a_procedure_keeps_its_steps(tmp_path: Path):
    """A numbered step restating a bullet of the same file stays in its procedure: folding it away would
    leave the procedure without that step (seen on L-Sypniewski/claude-code-toolkit's code-reviewer)."""
    spec = write(tmp_path, "a.md", "## Principles\n\n- Identify architectural concerns during review\n- Delegate them to the advisor\n\n"
                                   "## Workflow\n\n1. **Identify architectural concerns** during your review\n2. **Delegate to the advisor** with questions\n"
                                   "3. Incorporate the feedback\n")
    result = merge([agentkit.read(spec).agent])
    workflow = next(s for s in result.sections if s.title == "Workflow")
    assert [m.item.kind for m in workflow.items] == ["step", "step", "step"]
    other = write(tmp_path, "b.md", "## Workflow\n\n1. Identify architectural concerns during your review\n2. Ship it\n")
    across = merge([agentkit.read(p).agent for p in (spec, other)])  # another input's step still folds
    assert together(across, "**Identify architectural concerns** during your review", "Identify architectural concerns during your review")


def test_a_chain_cannot_join_different_advice(tmp_path: Path):
    """A~B and B~C with A and C different: C joins through B only while it stays alike to the kept
    wording, so "Log every request" never lands with "Validate every request"."""
    a = write(tmp_path, "a.md", "- Validate every request body against its schema\n")
    b = write(tmp_path, "b.md", "- Validate and log every request body\n")
    c = write(tmp_path, "c.md", "- Log every request\n")
    result = merge([agentkit.read(p).agent for p in (a, b, c)])
    assert not together(result, "Validate every request body against its schema", "Log every request")


def test_the_kept_wording_states_everything(tmp_path: Path):
    """A qualifier ("and sanitization"), a limit ("at most one ... with confirmation") or a number is never
    folded away; a ticked checkbox never replaces an instruction; numbers that differ never fold."""
    a = write(tmp_path, "a.md", "## Security\n\n1. Input validation and sanitization\n2. This is the Phase 2 step\n"
                                "3. Use Python 3.12 features freely\n4. Board writes create at most one feature per run, with developer confirmation\n")
    b = write(tmp_path, "b.md", "### Input validation\n\n- [x] Input validation present\n- This is the Phase 0 step\n"
                                "- Use Python 3.11 features freely\n- Board writes create features\n")
    c = write(tmp_path, "c.md", "## Checks\n\n- [x] Input validation\n")
    result = merge([agentkit.read(p).agent for p in (a, b)])
    assert not together(result, "This is the Phase 2 step", "This is the Phase 0 step")
    assert not together(result, "Use Python 3.12 features freely", "Use Python 3.11 features freely")
    assert not together(result, "Input validation and sanitization", "Input validation present")
    if together(result, "Board writes create at most one feature per run, with developer confirmation", "Board writes create features"):
        assert kept_of(result, "Board writes create features").startswith("Board writes create at most one")
    checked = merge([agentkit.read(p).agent for p in (c, a)])
    assert together(checked, "Input validation and sanitization", "Input validation")  # the checkbox says nothing more...
    assert kept_of(checked, "Input validation") == "Input validation and sanitization"  # ...and never replaces the instruction


def test_sections_join_only_on_one_subject_and_lead_ins_stay_with_their_lists(tmp_path: Path):
    a = write(tmp_path, "a.md", "## Input\n\n- The coordinator passes the ticket id\n\n## Database Management\n\n- Use migrations\n\n"
                                "Your core responsibilities include:\n\n## Reviews\n\n- Review pull requests\n")
    b = write(tmp_path, "b.md", "### Input validation\n\n- Validate request bodies\n\n## Database\n\n- Index foreign keys\n")
    result = merge([agentkit.read(p).agent for p in (a, b)])
    titles = [s.title for s in result.sections]
    assert "Input" in titles and "Input validation" in titles  # not one section
    assert "Database" not in titles  # "Database" is "Database Management"
    reviews = next(s for s in result.sections if s.title == "Reviews")
    assert [m.item.text for m in reviews.items] == ["Your core responsibilities include:", "Review pull requests"]


def test_rival_output_formats_are_a_conflict(tmp_path: Path):
    a = write(tmp_path, "a.md", "## Output Format\n\nReturn a JSON object with `status` and `errors`.\n")
    b = write(tmp_path, "b.md", "## Output Format\n\nWrite a Markdown report with a summary table.\n")
    c = write(tmp_path, "c.md", "## Output Format\n\nReturn a JSON object with `status` and `errors`.\n")
    rivals = merge([agentkit.read(p).agent for p in (a, b)]).conflicts
    assert [c.kind for c in rivals if c.kind == "sections"] == ["sections"]
    assert "different 'Output Format' sections" in next(c.message for c in rivals if c.kind == "sections")
    agreeing = merge([agentkit.read(p).agent for p in (a, c)]).conflicts
    assert not [c for c in agreeing if c.kind == "sections"]


# --- figures ------------------------------------------------------------------------------------------


def _show(name: str, figures) -> None:  # type: ignore[no-untyped-def]
    print(f"\n{name}: {figures.pairs} pairs ({figures.same} same); merge folds {figures.merged_same} same "
          f"(recall {figures.recall:.2f}) and {figures.merged_different} different ({len(figures.lossy)} losing a word); "
          f"the judge folds {figures.judged_same} same and {figures.judged_different} different pairwise; "
          f"merge realises {figures.realised} of the judge's {figures.judged} pairwise folds ({figures.realisation:.2f}), "
          f"{figures.realised_right} of its {figures.judged_right} right ones ({figures.realisation_right:.2f})")


def test_seed_pairs_are_cited_right():
    """Each labelled pair's texts stand at the lines it names (the files are the seeds, byte for byte)."""
    for row in load(SEED_PAIRS):
        for side in ("a", "b"):
            path, line = resolve(row[f"where_{side}"])
            text = decode(path.read_bytes()).text.split("\n")[line - 1]  # as read: seed 2's mojibake repaired
            assert row[f"text_{side}"][:40].replace("✅ ", "") in text, (row[f"where_{side}"], text)


def test_merge_realises_what_the_judge_folds_on_the_seeds():
    figures = measure(load(SEED_PAIRS), together=True)
    _show("seeds (merge_seed_pairs.tsv, merged together)", figures)
    # Measured: 50 of 59 (0.85), 50 of 57 right ones (0.88); the aim of 0.9 is not reached on the seeds:
    # four of the nine left are a numbered step of seed 0 or 3 restating a bullet of the same file, which
    # never folds (a procedure keeps its steps, see test_a_procedure_keeps_its_steps); before issue 16: 0.41.
    assert figures.realisation >= 0.84 and figures.realisation_right >= 0.87
    assert figures.recall >= 0.55  # measured: 63 of 112 (0.56); before issue 16: 29 (0.26)
    assert figures.merged_different == 0 and not figures.lossy


def test_merge_on_the_held_out_set_folds_nothing_it_loses(corpus):  # corpus pairs: skipped without ../shared/corpus
    figures = measure(load(HELDOUT), together=False)
    _show("held-out (similarity_heldout.tsv, each pair's two files)", figures)
    assert figures.realisation >= 0.9
    # The labeller's "different" pairs merge folds are all one wording inside the other ("Race conditions"
    # in "Race conditions or deadlocks"), kept in the containing wording: none loses a word.
    assert not figures.lossy and figures.merged_different <= 5


def test_merge_on_the_tuning_set(corpus):  # seeds and corpus pairs
    figures = measure(load(PAIRS), together=False)
    _show("tuning (similarity_pairs.tsv, each pair's two files)", figures)
    assert figures.realisation >= 0.9 and not figures.lossy


# --- an external judge ----------------------------------------------------------------------------------


def _judge_script(folder: Path, body: str) -> str:
    script = folder / "judge.py"
    script.write_text("import json, sys\n" + body)
    return f"{sys.executable} {script}"


def test_judge_cmd_folds_what_the_external_judge_says(tmp_path: Path):
    """The alike pairs go out as JSON lines; `fold` answers become decisions, `apart` ones change nothing."""
    a = write(tmp_path, "a.md", "- Use Python 3.12 features freely\n- This is the Phase 2 step\n")
    b = write(tmp_path, "b.md", "- Use Python 3.11 features freely\n- This is the Phase 0 step\n")
    seen = tmp_path / "seen.jsonl"
    command = _judge_script(tmp_path, f"lines = sys.stdin.readlines()\nopen({str(seen)!r}, 'w').writelines(lines)\n"
                                      "for line in lines:\n    print('fold')\n")
    plain = subprocess.run([sys.executable, "-m", "agentkit", "merge", str(a), str(b)], capture_output=True, text=True)
    judged = subprocess.run([sys.executable, "-m", "agentkit", "merge", str(a), str(b), "--judge-cmd", command], capture_output=True, text=True)
    assert judged.returncode == 0, judged.stderr
    sent = [json.loads(line) for line in seen.read_text().splitlines()]
    assert sent and all({"a", "b", "score", "reason"} <= set(pair) and {"text", "path", "line"} <= set(pair["a"]) for pair in sent)
    assert f"answered fold for {len(sent)} of {len(sent)} alike pair(s)" in judged.stderr
    assert judged.stdout.count("\n- ") < plain.stdout.count("\n- ")  # folded as answered
    apart = _judge_script(tmp_path, "for line in sys.stdin:\n    print('apart')\n")
    kept = subprocess.run([sys.executable, "-m", "agentkit", "merge", str(a), str(b), "--judge-cmd", apart], capture_output=True, text=True)
    assert kept.stdout == plain.stdout


def test_judge_cmd_failures_are_one_line(tmp_path: Path):
    a = write(tmp_path, "a.md", "- Use Python 3.12 features freely\n- This is the Phase 2 step\n")
    b = write(tmp_path, "b.md", "- Use Python 3.11 features freely\n- This is the Phase 0 step\n")
    for body, message in (("sys.exit(3)\n", "--judge-cmd exited 3"), ("print('maybe')\n", "one line per pair")):
        proc = subprocess.run([sys.executable, "-m", "agentkit", "merge", str(a), str(b), "--judge-cmd", _judge_script(tmp_path, body)],
                              capture_output=True, text=True)
        errors = [line for line in proc.stderr.splitlines() if line.startswith("agentkit: error:")]
        assert proc.returncode == 2 and len(errors) == 1 and message in errors[0], proc.stderr
    missing = subprocess.run([sys.executable, "-m", "agentkit", "merge", str(a), str(b), "--judge-cmd", "no-such-judge-here"],
                             capture_output=True, text=True)
    assert missing.returncode == 2 and "no such command: no-such-judge-here" in missing.stderr
