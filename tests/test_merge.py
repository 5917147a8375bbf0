"""Merge: nothing lost, sources point at real lines, metadata policy, determinism, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import SAMPLES, sample

import agentkit
from agentkit.errors import AgentkitError
from agentkit.merge import Options, merge
from agentkit.writer import render


def seeds():
    return [agentkit.read(sample(i)).agent for i in range(5)]


def assert_nothing_lost(agents, result):
    """Every input item is in the output or recorded as folded into an output item: exactly once."""
    expected = sorted((i.path, i.line) for a in agents for s in a.sections for i in s.items)
    accounted = sorted((src.path, src.line) for s in result.sections for m in s.items for src in m.sources)
    assert accounted == expected
    # The figures count guidance: horizontal rules are kept in place but not counted.
    assert result.items_in == sum(i.kind != "rule" for a in agents for s in a.sections for i in s.items)
    assert result.items_out == sum(m.item.kind != "rule" for s in result.sections for m in s.items)


def test_seeds_nothing_lost_and_sources_point_at_lines():
    agents = seeds()
    result = merge(agents)
    assert_nothing_lost(agents, result)
    lines = {a.path: Path(a.path).read_text(encoding="utf-8", errors="replace").split("\n") for a in agents}
    for section in result.sections:
        for merged in section.items:
            for src in merged.sources:
                assert 1 <= src.line <= len(lines[src.path])
    assert result.folded > 0


def test_merged_file_reads_back_with_every_output_item():
    result = merge(seeds())
    text = render(result.agent, "agentkit")
    back = agentkit.read_bytes(text.encode(), "merged.md")
    assert back.agent.format == "agentkit" and not back.recovered
    assert sum(i.kind != "rule" for s in back.agent.sections for i in s.items) == result.items_out
    for fmt in ("claude", "copilot", "cursor"):
        from agentkit.export import export

        export(back.agent, fmt)  # every command reads it


def test_metadata_policy_and_conflicts():
    result = merge(seeds())
    agent = result.agent
    assert agent.model == "sonnet"  # sonnet x3 against opus + claude-4-5-opus
    # Named after seeds 3 and 4, so described by the first of them (seed 3), not by seed 0.
    assert agent.name == "backend-developer"
    assert agent.description.startswith("Use this agent for backend development tasks")
    assert any("description: taken from" in n and "3-backend-developer" in n for n in result.notes)
    kinds = {c.kind for c in result.conflicts}
    assert {"model", "duplicate-name", "tools", "color"} <= kinds
    # Only seed 4 restricts tools; the others grant everything. The merge keeps the restriction.
    assert agent.tools == ("Read", "Grep", "Glob", "Edit", "Bash", "WebSearch")
    assert agent.skills == ("api-design", "fastapi", "architecture-patterns", "langgraph")
    assert [h.agent for h in agent.handoffs] == ["api-agent", "database-agent", "test-agent", "security-agent"]
    assert len(agent.examples) == 7
    assert merge(seeds(), Options(model="opus", name="backend", tools="all")).agent.model == "opus"
    overridden = merge(seeds(), Options(name="backend", tools="all")).agent
    assert overridden.name == "backend" and overridden.tools is None


def test_sections_aligned_by_topic():
    result = merge(seeds())
    titles = [s.title for s in result.sections]
    security = [s for s in result.sections if "Security" in s.title]
    assert len(security) == 1, titles
    assert len({src.path for src in security[0].titles}) >= 2


def test_integrity_is_not_integration():
    """Seed 3's "2. Data Integrity" once joined seed 1's "Integrations" through a shared stem."""
    result = merge(seeds())
    by_title = {s.title: [m.item.text for m in s.items] for s in result.sections}
    assert "Use database constraints" not in by_title["Integrations"]
    assert by_title["2. Data Integrity"] == ["Use database constraints", "Transaction management", "Idempotent operations"]


def test_a_later_item_finds_a_group_by_the_wording_it_kept(monkeypatch):
    """A group is found by the words of the wording it keeps, not only by those of its first member:
    "Log retention" is looked up by "retention", which only the kept "Audit log retention" has."""
    import agentkit.merge

    monkeypatch.setattr(agentkit.merge, "_LOOKUP_WORDS", 1)  # look up by the rarest word alone
    texts = [b"- Audit logs\n", b"- Audit log retention\n", b"- Log retention\n"]
    agents = [agentkit.read_bytes(b"# Logging\n\n" + t, f"{n}.md").agent for n, t in enumerate(texts)]
    result = merge(agents)
    assert [m.item.text for m in result.sections[0].items] == ["Audit log retention"]
    assert [src.path for src in result.sections[0].items[0].sources] == ["0.md", "1.md", "2.md"]


def test_contradicting_items_are_kept_apart_and_reported():
    """Without a polarity check "Never" (filler) vanished and the two folded, keeping whichever said more."""
    first = agentkit.read_bytes(b"# Security\n\n- Never store secrets in the repository\n- Log request bodies\n", "a.md").agent
    second = agentkit.read_bytes(b"# Security\n\n- Store secrets in the repository\n- Do not log request bodies\n", "b.md").agent
    result = merge([first, second])
    assert result.folded == 0
    reported = [c for c in result.conflicts if c.kind == "contradiction"]
    assert [(c.sources[0].path, c.sources[1].path) for c in reported] == [("a.md", "b.md"), ("a.md", "b.md")]
    # A prohibition that says more than what it forbids is still reported; a shared word alone is not.
    first = agentkit.read_bytes(b"# Style\n\n- Use tabs for indentation\n- Mock the database in unit tests\n- Identify code duplication and opportunities for refactoring\n", "a.md").agent
    second = agentkit.read_bytes(b"# Style\n\n- Do not use tabs for indentation, use 2 spaces\n- Never mock the database in tests\n- No code duplication\n", "b.md").agent
    reported = [c.message for c in merge([first, second]).conflicts if c.kind == "contradiction"]
    assert reported == ["possibly contradicting guidance: 'Use tabs for indentation' vs 'Do not use tabs for indentation, use 2 spaces'",
                        "possibly contradicting guidance: 'Mock the database in unit tests' vs 'Never mock the database in tests'"]


def test_an_item_contained_in_another_folds_into_it_and_the_broader_wording_stays():
    first = agentkit.read_bytes(b"# API\n\n- Proper HTTP status codes\n- Rate limiting per endpoint\n", "a.md").agent
    second = agentkit.read_bytes(b"# API\n\n- Ensure proper HTTP status codes and error handling\n"
                                 b"- Implement rate limiting and DDoS protection\n", "b.md").agent
    result = merge([first, second])
    kept = {m.item.text: [(s.path, s.line) for s in m.sources] for m in result.sections[0].items}
    assert kept == {
        "Ensure proper HTTP status codes and error handling": [("a.md", 3), ("b.md", 3)],
        "Rate limiting per endpoint": [("a.md", 4)],  # says something the broader item does not
        "Implement rate limiting and DDoS protection": [("b.md", 4)],
    }
    assert_nothing_lost([first, second], result)
    # The seeds: seed 2's "Integrate with external services" is a clause of seed 1's
    # "Integrates with external services and third-party APIs".
    seeds_result = merge(seeds())
    folded = {f.text: m.item.text for s in seeds_result.sections for m in s.items for f in m.folded}
    assert folded["Integrate with external services"] == "Integrates with external services and third-party APIs"


def test_decisions_fold_and_keep_apart_what_a_person_decided(tmp_path: Path):
    """--fold settles an alike pair the judge kept apart, --apart undoes a fold; both by text or path:line."""
    agents = seeds()
    before = merge(agents)
    alike = before.alike[0]  # "Implement comprehensive testing (unit, integration, load)" ~ "✅ Comprehensive unit tests"
    place = f"{alike.sources[1].path}:{alike.sources[1].line}"
    cut = alike.texts[0][:30] + "…"  # a text cut short, as the summary prints it, names the items it begins
    apart = ("Emit structured logs (JSON) com correlation_id", "- [ ] **STRUCTURED LOGS**")  # matched case- and marker-blind
    result = merge(agents, Options(fold=((cut, place),), apart=(apart, ("No such item", "Either"))))
    assert_nothing_lost(agents, result)
    together = [m for s in result.sections for m in s.items if set(alike.sources) <= set(m.sources)]
    assert len(together) == 1

    def folded_into(outcome, kept: str) -> set[str]:
        return {f.text for s in outcome.sections for m in s.items if m.item.text == kept for f in m.folded}

    assert "Structured logs" in folded_into(before, "Emit structured logs (JSON) com correlation_id")
    assert "Structured logs" not in folded_into(result, "Emit structured logs (JSON) com correlation_id")
    assert result.items_out == before.items_out  # one fold made, one undone
    assert "apart: no input item is 'No such item'; the decision was not applied" in result.notes
    assert "decisions: 1 item(s) folded as decided, 2 pair(s) kept apart as decided" in result.notes
    proc = subprocess.run([sys.executable, "-m", "agentkit", "merge", str(SAMPLES), "--fold", cut, place],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and "1 item(s) folded as decided" in proc.stderr


def test_section_order_follows_inputs_and_file_is_clean():
    agents = seeds()
    result = merge(agents)
    titled = [s.title for s in result.sections if s.title]
    first_input = [s.title for s in agents[0].sections if s.title]
    # The first input's headings keep their order; others' new top-level sections come after them...
    assert [t for t in titled if t in first_input] == first_input
    assert titled.index("Core Identity") > titled.index(first_input[-1])
    # ...and a new subsection goes under the output section its heading aligned with: seed 2's
    # "Backend Architecture Standards" joined "Core Architecture Principles", so its code patterns follow it.
    at = titled.index("Core Architecture Principles")
    assert titled[at + 1] == "Service Layer Pattern (Python)"
    assert result.sections[[s.title for s in result.sections].index("Service Layer Pattern (Python)")].level == 3
    text = render(result.agent, "agentkit")
    assert "__spelling__" not in text and "passthrough: {}" not in text


def test_deterministic():
    first = render(merge(seeds()).agent, "agentkit")
    assert render(merge(seeds()).agent, "agentkit") == first


def test_corpus_backend_agents_nothing_lost(corpus):
    names = ("backend", "api-", "database", "fastapi", "django", "python", "security")
    files = [p for p in corpus if p.suffix == ".md" and any(n in p.name for n in names)]
    agents = []
    for path in files:
        try:
            agents.append(agentkit.read(path).agent)
        except AgentkitError:
            pass
    assert len(agents) > 20
    result = merge(agents)
    assert_nothing_lost(agents, result)
    print(f"\ncorpus backend merge: {len(agents)} agents, {result.items_in} items in, {result.items_out} out")


def test_cli_merge_json_and_file(tmp_path: Path):
    proc = subprocess.run([sys.executable, "-m", "agentkit", "merge", str(SAMPLES), "--json"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    payload = json.loads(proc.stdout)
    assert payload["agent"]["name"] == "backend-developer"
    assert payload["summary"]["items_in"] > payload["summary"]["items_out"]
    for item in payload["items"]:
        assert item["sources"] and all({"path", "line"} == set(s) for s in item["sources"])
    assert any(c["kind"] == "model" for c in payload["conflicts"])
    out = tmp_path / "merged.md"
    wrote = subprocess.run([sys.executable, "-m", "agentkit", "merge", str(SAMPLES), "-o", str(out)], capture_output=True, text=True)
    assert wrote.returncode == 0 and "guidance items in" in wrote.stderr
    again = subprocess.run([sys.executable, "-m", "agentkit", "export", str(out), "--format", "copilot", "--stdout"], capture_output=True, text=True)
    assert again.returncode == 0 and again.stdout.startswith("---\nname: backend-developer\n")
    # Seed 4's tool list restricts the merged agent; Cursor's readonly would add WebFetch: refused.
    cursor = subprocess.run([sys.executable, "-m", "agentkit", "export", str(out), "--format", "cursor", "--stdout"], capture_output=True, text=True)
    assert cursor.returncode == 1 and cursor.stdout == "" and "refused" in cursor.stderr


def test_tools_option_keeps_argument_lists_whole():
    from agentkit.merge import tools_option

    assert tools_option(" all ") is None
    assert tools_option("Read, Agent(a, b), Bash(git:*)") == ("Read", "Agent(a, b)", "Bash(git:*)")


def test_numbered_steps_keep_counting_past_nested_items_and_lone_steps_become_bullets():
    first = agentkit.read_bytes(
        b"# Workflow\n\n1. Load context:\n   - read the schema\n   - read the routes\n2. Announce start\n3. Implement\n", "a.md"
    ).agent
    second = agentkit.read_bytes(b"# Workflow\n\n- [ ] Rate limiting\n\n1. Write queries with indexes\n", "b.md").agent
    body = merge([first, second]).agent.body
    assert "1. Load context:\n   - read the schema\n   - read the routes\n2. Announce start\n3. Implement" in body
    assert "- Write queries with indexes" in body  # alone among another input's checklist: not "1."
    back = agentkit.read_bytes(render(merge([first, second]).agent, "agentkit").encode(), "m.md").agent
    steps = [i.text for s in back.sections for i in s.items if i.kind == "step"]
    assert steps == ["Load context:", "Announce start", "Implement"]


def test_output_does_not_depend_on_the_hash_seed(tmp_path: Path):
    """Set order changes with PYTHONHASHSEED; folding, alike pairs and conflicts must not."""
    import os

    backend = sorted(p for p in (SAMPLES.parent.parent / "shared" / "corpus" / "claude-agents").rglob("*backend*.md"))[:8]
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run([sys.executable, "-m", "agentkit", "merge", str(SAMPLES), *map(str, backend), "--json"],
                              capture_output=True, text=True, env=env)
        assert proc.returncode == 0, proc.stderr
        outputs.add(proc.stdout)
    assert len(outputs) == 1


def test_alike_pairs_are_listed_with_both_sources():
    result = merge(seeds())
    assert result.alike and all(a.score >= 0.3 for a in result.alike)
    assert [a.score for a in result.alike] == sorted((a.score for a in result.alike), reverse=True)
    first = result.alike[0]
    for text, source in zip(first.texts, first.sources):
        lines = Path(source.path).read_text(encoding="utf-8", errors="replace").split("\n")
        assert text.split()[0] in lines[source.line - 1]
    owner = {src: n for n, m in enumerate(m for s in result.sections for m in s.items) for src in m.sources}
    assert all(owner[a.sources[0]] != owner[a.sources[1]] for a in result.alike)  # listed, never folded together


def test_lead_ins_fold_only_when_identical():
    """A paragraph ending in a colon introduces the list after it: its meaning is that list."""
    first = agentkit.read_bytes(b"# Design\n\nDatabase architecture approach:\n\n- Normalize first\n\nYou must provide:\n\n- a diagram\n", "a.md").agent
    second = agentkit.read_bytes(b"# Design\n\nWhen designing architecture, provide:\n\n- Service boundaries\n\nYou must provide:\n\n- a table\n", "b.md").agent
    result = merge([first, second])
    texts = [m.item.text for s in result.sections for m in s.items]
    assert "Database architecture approach:" in texts and "When designing architecture, provide:" in texts
    assert texts.count("You must provide:") == 1


def test_a_passthrough_key_that_differs_is_one_conflict_naming_every_value(tmp_path: Path):
    # Seen on 0xMiden/note-transport-service: three reviewers with maxTurns 5, 15, 15 gave two identical lines.
    for name, turns in (("a", 5), ("b", 15), ("c", 15)):
        (tmp_path / f"{name}.md").write_text(f"---\nname: {name}\ndescription: d\nmaxTurns: {turns}\n---\n\n- Rule {name}.\n")
    agents = [agentkit.read(str(tmp_path / f"{n}.md")).agent for n in "abc"]
    result = merge(agents)
    lines = [c.message for c in result.conflicts if c.kind == "passthrough"]
    assert len(lines) == 1, lines
    assert "5 (" in lines[0] and lines[0].count("15 (") == 2 and "kept the first" in lines[0]
    assert result.agent.passthrough["claude"]["maxTurns"] == 5
