"""The five seeds: every field read, the body clean, the repairs made and reported."""

from __future__ import annotations

from conftest import sample

import agentkit
from agentkit.checks import duplicate_names


def kinds(findings):
    return [f.kind for f in findings]


def test_seed0_recovered_description_and_examples():
    result = agentkit.read(sample(0))
    agent = result.agent
    assert agent.format == "claude"
    assert (agent.name, agent.model, agent.color, agent.tools) == ("backend-dev", "sonnet", "red", None)
    assert agent.description.startswith("Use this agent when you need to develop backend features")
    assert agent.description.endswith("security practices.")
    assert len(agent.examples) == 3
    assert agent.examples[0].parts()["user"] == "Create an endpoint to list all jobs for a tenant"
    assert "\\n" not in agent.description and all("\\n" not in e.text for e in agent.examples)
    assert result.recovered
    recovered = [f for f in result.repairs if f.kind == "frontmatter-recovered"]
    assert [f.line for f in recovered] == [3]
    assert agent.body.startswith("You are an expert backend engineer")
    titles = [s.title for s in agent.sections]
    assert titles == ["", "Core Architecture Principles", "Development Standards", "Code Structure", "Quality Checks"]


def test_seed1_emoji_untouched():
    result = agentkit.read(sample(1))
    agent = result.agent
    assert (agent.name, agent.model) == ("backend-dev-expert", "sonnet")
    assert len(agent.examples) == 2
    assert "⚙️ BACKEND-DEV ACTIVATE" in agent.body
    assert "mojibake" not in kinds(result.repairs)
    assert "long-description" in kinds(result.warnings)


def test_seed2_mojibake_handoffs_triggers():
    result = agentkit.read(sample(2))
    agent = result.agent
    assert (agent.name, agent.model) == ("backend-agent", "claude-4-5-opus")
    assert len(agent.triggers) == 5 and agent.triggers[0].startswith("Backend framework detected")
    assert [(h.agent, h.label, h.send) for h in agent.handoffs] == [
        ("api-agent", "Design API", False),
        ("database-agent", "Database Design", False),
        ("test-agent", "Write Tests", False),
        ("security-agent", "Security Review", False),
    ]
    assert agent.handoffs[0].prompt == "Please design the API endpoints for this backend functionality."
    mojibake = [f.line for f in result.repairs if f.kind == "mojibake"]
    assert sorted(mojibake) == [67, 68, 69, 70, 333, 334, 335]
    body_lines = {i.line: i.text for s in agent.sections for i in s.items}
    assert body_lines[334] == "⚠️ **Ask First:** Adding new dependencies, changing architecture patterns, modifying shared services"
    assert body_lines[333].startswith("✅ **Always:**")
    assert body_lines[335].startswith("🚫 **Never:**")
    assert body_lines[67] == "`{{src_dirs}}` – Source code"
    for bad in ("â€", "âœ", "âš", "ğŸ", "ï¸"):
        assert bad not in agent.body
    target = [f for f in result.warnings if f.kind == "misspelled-key"]
    assert [f.line for f in target] == [12, 16, 20, 24]
    assert "unknown-model" in kinds(result.warnings)
    assert {"handoffs", "triggers"} <= {f.message.split("`")[1] for f in result.warnings if f.kind == "foreign-key"}
    placeholders = [f for f in result.warnings if f.kind == "placeholder"]
    assert placeholders and placeholders[0].line == 63 and "{{tech_stack}}" in placeholders[0].message


def test_seed3_skills_string():
    result = agentkit.read(sample(3))
    agent = result.agent
    assert (agent.name, agent.model, agent.color) == ("backend-developer", "opus", "blue")
    assert agent.skills == ("api-design", "fastapi", "architecture-patterns", "langgraph")
    assert not result.recovered and not result.repairs


def test_seed4_tools_portuguese_untouched():
    result = agentkit.read(sample(4))
    agent = result.agent
    assert (agent.name, agent.model) == ("backend-developer", "sonnet")
    assert agent.tools == ("Read", "Grep", "Glob", "Edit", "Bash", "WebSearch")
    assert len(agent.examples) == 2
    assert agent.examples[1].parts()["context"].startswith("User is having database performance issues")
    assert "Expor métricas (latência, taxa de erro, throughput)" in agent.body
    assert "duração" in agent.body and "≥80%" in agent.body
    assert "mojibake" not in kinds(result.repairs)
    assert result.recovered


def test_duplicate_names_3_and_4():
    results = [agentkit.read(sample(i)) for i in range(5)]
    dupes = duplicate_names(results)
    assert sorted(p.rsplit("/", 1)[-1][0] for p, _ in dupes) == ["3", "4"]
    assert all(f.line == 2 for _, f in dupes)


def test_every_seed_normalizes_idempotently_to_strict_yaml():
    import yaml

    for index in range(5):
        first = agentkit.render(agentkit.read(sample(index)).agent)
        header = first.split("---\n")[1]
        assert isinstance(yaml.safe_load(header), dict)
        again = agentkit.render(agentkit.read_bytes(first.encode(), str(sample(index))).agent)
        assert again == first
        assert first.endswith("\n") and "\r" not in first and not first.startswith("\ufeff")
