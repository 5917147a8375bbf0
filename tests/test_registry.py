"""Format knowledge lives in the format records (issue 19): detection, places, defaults, checks and
help texts come from `agentkit.formats`; no other module names a format."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import run_in, write_file

from agentkit import formats

PACKAGE = Path(__file__).resolve().parents[1] / "agentkit"
# The vocabulary data names vocabularies (Claude's tool names are the pivot), which share format names.
VOCABULARY_DATA = {"vocab.py"}


def _format_names() -> set[str]:
    return {n.lower() for f in formats.FORMATS.values() for n in (f.name, *f.aliases)}


def test_no_module_outside_formats_names_a_format():
    names = _format_names()
    found = []
    for path in sorted(PACKAGE.glob("*.py")):
        if path.name in VOCABULARY_DATA:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.lower() in names:
                found.append(f"{path.name}:{node.lineno}: {node.value!r}")
    assert not found, "format names outside agentkit/formats/: " + ", ".join(found)


def test_help_lists_every_format_from_the_registry():
    from click.testing import CliRunner

    from agentkit.cli import main

    inspect_help = " ".join(CliRunner().invoke(main, ["inspect", "--help"]).output.split())
    export_help = " ".join(CliRunner().invoke(main, ["export", "--help"]).output.split()).replace("- ", "-")
    targets = export_help.split("comma-separated:", 1)[1].split(".", 1)[0].replace(" ", "").split(",")
    for spec in formats.FORMATS.values():
        assert spec.name in inspect_help.replace("- ", "-")
        assert (spec.name in targets) == (spec.directory is not None), spec.name


@pytest.mark.parametrize("path, data, expected", [
    (".claude/agents/x.md", {"name": "x"}, "claude"),
    ("a/.claude/agents/team/x.md", {"name": "x"}, "claude"),
    (".github/agents/x.md", {"name": "x"}, "copilot"),
    ("x.agent.md", None, "copilot"),
    (".github/chatmodes/x.chatmode.md", {}, "copilot-chatmode"),
    (".cursor/agents/x.md", {"name": "x"}, "cursor"),
    (".cursor/rules/x.md", {"description": "d"}, "cursor-rule"),
    ("x.mdc", None, "cursor-rule"),
    (".cursorrules", None, "cursor-rule"),
    ("docs/x.instructions.md", {"applyTo": "**"}, "copilot-instructions"),
    ("AGENTS.md", None, "agents-md"),
    (".claude/agents/claude.md", {"name": "claude", "description": "d"}, "claude"),  # frontmatter in an agent folder
    ("x.agentkit.md", {"name": "x"}, "agentkit"),
    ("notes.md", {"agentkit": 1}, "agentkit"),
    ("notes.md", {"globs": "*.ts"}, "cursor-rule"),
    ("notes.md", {"readonly": True}, "cursor"),
    ("notes.md", {"tools": ["read", "edit"]}, "copilot"),
    ("notes.md", {"name": "a", "description": "b"}, "claude"),
    ("notes.md", {"title": "t"}, "markdown"),
])
def test_detection_comes_from_the_records(path: str, data, expected: str):
    assert formats.detect(path, data) == expected


def test_defaults_and_places_come_from_the_records():
    assert formats.DEFAULT_TARGETS == tuple(f.name for f in formats.FORMATS.values() if f.default_target)
    assert formats.DEFAULT_TARGETS[:3] == ("claude", "copilot", "cursor")
    folders = [place.folder for _, place in formats.agent_places()]
    assert {".claude/agents", ".github/agents", ".cursor/agents"} <= set(folders)




@pytest.mark.parametrize("relative, expected", [
    (".claude/skills/pdf/SKILL.md", "skill"),
    (".agents/skills/pdf/SKILL.md", "skill"),
    (".claude/commands/git/commit.md", "claude-command"),
    (".github/prompts/plan.prompt.md", "copilot-prompt"),
    (".agents/agents/reviewer.md", "antigravity"),
    (".qwen/agents/reviewer.md", "qwen"),
    (".gemini/agents/reviewer.md", "gemini"),
    (".opencode/agent/review/security.md", "opencode"),
    (".opencode/agents/reviewer.md", "opencode"),
    (".codex/agents/team/reviewer.toml", "codex"),
    (".opencode/command/format.md", "opencode-command"),
])
def test_other_tools_files_are_detected_as_what_they_are(relative: str, expected: str):
    # Before: `.gemini/agents` read as Copilot, `.agents/agents` as Claude, `.claude/commands` as Copilot.
    assert formats.detect(relative, {"name": "reviewer", "description": "Reviews.", "tools": ["read_file"]}) == expected


def test_non_agents_are_read_but_never_turned_into_agents(tmp_path: Path):
    write_file(tmp_path, ".claude/skills/pdf/SKILL.md", "---\nname: pdf\ndescription: Work with PDFs.\n---\n\nUse pdftotext.\n")
    write_file(tmp_path, ".claude/commands/commit.md", "---\ndescription: Commit\nallowed-tools: Bash(git:*)\n---\n\nCommit it.\n")
    write_file(tmp_path, ".qwen/agents/helper.md", "---\nname: helper\ndescription: Helps.\ntools: [read_file]\n---\n\nHelp.\n")
    write_file(tmp_path, ".claude/agents/real.md", "---\nname: real\ndescription: A real agent.\ntools: Read\n---\n\n- Read.\n")
    inspected = run_in(tmp_path, "inspect", "--json", ".claude", ".qwen")
    assert inspected.returncode == 0, inspected.stderr
    import json

    assert sorted(entry["format"] for entry in json.loads(inspected.stdout)) == ["claude", "claude-command", "qwen", "skill"]
    for command in (["export", ".", "--format", "copilot", "-o", "out"], ["merge", ".", "-o", "merged.md"]):
        done = run_in(tmp_path, *command)
        refusals = [line for line in done.stderr.splitlines() if "not turned into an agent" in line]
        assert len(refusals) == 3, done.stderr  # one line each, naming the file
        assert {r.split(": ")[2] for r in refusals} == {".claude/skills/pdf/SKILL.md", ".claude/commands/commit.md", ".qwen/agents/helper.md"}
        assert done.returncode == 2 and "Traceback" not in done.stderr
    assert (tmp_path / "out/.github/agents/real.agent.md").is_file()  # the agent among them is still written
    several = run_in(tmp_path, "export", ".claude/skills/pdf/SKILL.md", "--format", "claude,copilot,gemini", "-o", "out2")
    assert several.returncode == 2 and several.stderr.count("not turned into an agent") == 1, several.stderr  # one line, not one per target
    assert (tmp_path / "merged.md").is_file()


def test_lint_holds_skills_to_the_specification(tmp_path: Path):
    write_file(tmp_path, "skills/pdf-tools/SKILL.md", "---\nname: PDF_Tools\ndescription: Work with PDFs.\n---\n\nBody.\n")
    write_file(tmp_path, "skills/ok/SKILL.md", "---\nname: ok\ndescription: Fine.\n---\n\nBody.\n")
    write_file(tmp_path, "skills/long/SKILL.md", "---\nname: " + "a" * 65 + "\ndescription: " + "d" * 1025 + "\n---\n\nBody.\n")
    write_file(tmp_path, "skills/bare/SKILL.md", "---\ndescription: No name.\n---\n\nBody.\n")
    done = run_in(tmp_path, "lint", "skills")
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert any("skills/pdf-tools/SKILL.md:2:" in line and "[bad-name]" in line for line in lines)
    assert any("skills/pdf-tools/SKILL.md:2:" in line and "[skill-folder]" in line for line in lines)
    assert any("skills/long/SKILL.md" in line and "at most 64" in line or "limit is 64" in line for line in lines)
    assert any("skills/long/SKILL.md" in line and "[long-description]" in line for line in lines)
    assert any("skills/bare/SKILL.md" in line and "[missing-key]" in line for line in lines)
    assert not any("skills/ok/" in line for line in lines)


def test_gemini_tool_names_go_through_the_permission_model(tmp_path: Path):
    import agentkit
    from agentkit import permissions

    path = write_file(tmp_path, ".gemini/agents/reviewer.md",
                  "---\nname: reviewer\ndescription: Reviews.\nkind: local\ntools:\n  - read_file\n  - search_file_content\n"
                  "  - save_memory\n  - ask_user\nmax_turns: 5\n---\n\nReview.\n")
    agent = agentkit.read(str(path)).agent
    assert agent.format == "gemini"
    assert permissions.effective_tools(permissions.grants(agent)) == frozenset({"Read", "Grep", "gemini:save_memory", "gemini:ask_user"})
    done = run_in(tmp_path, "export", str(path), "--format", "claude,copilot", "-o", "out")
    assert done.returncode == 0, done.stderr
    claude = (tmp_path / "out/.claude/agents/reviewer.md").read_text()
    assert "tools: Read, Grep\n" in claude  # never wider: ask_user has no equivalent, save_memory is unknown: left out, said
    assert "save_memory" in done.stderr and "[narrowed]" in done.stderr
    every = write_file(tmp_path, ".gemini/agents/all.md", "---\nname: all\ndescription: All.\ntools: ['*']\n---\n\nAll.\n")
    assert permissions.grants(agentkit.read(str(every)).agent).tools is None  # `*`: every tool


def test_an_opencode_agent_is_named_by_its_path(tmp_path: Path):
    import agentkit
    from agentkit.reader import display_name

    nested = write_file(tmp_path, ".opencode/agent/review/security.md", "---\ndescription: Security review.\nmode: subagent\n---\n\nReview.\n")
    assert display_name(agentkit.read(str(nested)).agent) == "review/security"
    named = write_file(tmp_path, ".opencode/agents/x.md", "---\nname: custom\ndescription: d\n---\n\nB.\n")
    assert display_name(agentkit.read(str(named)).agent) == "custom"
