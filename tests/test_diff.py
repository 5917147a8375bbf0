"""Diff by meaning: formatting never shows, real edits show exactly, exports show only what they lost."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import refused_as_non_agent, sample

import agentkit
from agentkit.diff import WIDENED, diff
from agentkit.export import export


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agentkit", "diff", *args], capture_output=True, text=True, check=False)


def test_seed_against_itself_is_empty():
    for index in range(5):
        agent = agentkit.read(sample(index)).agent
        assert diff(agent, agent) == []
    proc = run(str(sample(1)), str(sample(1)))
    assert proc.returncode == 0 and proc.stdout == ""


def test_formatting_never_shows(tmp_path: Path):
    """BOM, CRLF, re-quoted YAML in another key order, other list markers and re-wrapped paragraphs."""
    original = sample(3).read_text(encoding="utf-8")
    head, body = original.split("---\n", 2)[1:]
    lines = dict(line.split(": ", 1) for line in head.strip().split("\n"))
    requoted = "---\n" + "".join(f'{k}: "{v}"\n' for k, v in reversed(list(lines.items()))) + "---\n"
    body = body.replace("\n- ", "\n* ")
    body = body.replace("You are a Senior Backend Developer specializing in Python web applications. You build",
                        "You are a Senior Backend Developer specializing in\nPython web applications.   You build")
    copy = tmp_path / "copy.md"
    copy.write_bytes(b"\xef\xbb\xbf" + (requoted + body).replace("\n", "\r\n").encode("utf-8"))
    a, b = agentkit.read(sample(3)).agent, agentkit.read(copy).agent
    assert diff(a, b) == []
    proc = run(str(sample(3)), str(copy))
    assert proc.returncode == 0 and proc.stdout == "", proc.stdout


def test_edited_copy_reports_exactly_five_changes(tmp_path: Path):
    text = sample(3).read_text(encoding="utf-8")
    edited = text.replace("model: opus", "model: sonnet")
    edited = edited.replace("- Connection pooling\n", "")  # removed (### 4. Performance)
    edited = edited.replace("- Never trust user input\n", "- Do not trust any user input\n")  # reworded
    edited = edited.replace("- Secrets management\n", "- Secrets management\n- Rate limit every public endpoint\n")  # added
    communication = edited[edited.index("## Communication Style"):]
    edited = edited[: edited.index("## Communication Style")].rstrip("\n") + "\n"
    edited = edited.replace("## Quality Checklist", communication.rstrip("\n") + "\n\n---\n\n## Quality Checklist")
    copy = tmp_path / "edited.md"
    copy.write_text(edited, encoding="utf-8")
    changes = diff(agentkit.read(sample(3)).agent, agentkit.read(copy).agent)
    summary = sorted((c.kind, c.what) for c in changes)
    assert summary == [
        ("field-changed", "model"),
        ("item-added", "3. Security"),
        ("item-removed", "4. Performance"),
        ("item-reworded", "3. Security"),
        ("section-moved", "Communication Style"),
    ], summary
    by_kind = {c.kind: c for c in changes}
    assert (by_kind["field-changed"].old, by_kind["field-changed"].new) == ("opus", "sonnet")
    with_lines = diff(agentkit.read(sample(3)).agent, agentkit.read(copy).agent,
                      agentkit.read(sample(3)).key_lines, agentkit.read(copy).key_lines)
    model = next(c for c in with_lines if c.what == "model")
    assert model.a.line == model.b.line == text.split("\n").index("model: opus") + 1
    removed = by_kind["item-removed"]
    assert removed.old == "Connection pooling" and removed.a.line == text.split("\n").index("- Connection pooling") + 1
    added = by_kind["item-added"]
    assert added.new == "Rate limit every public endpoint" and added.b.line == edited.split("\n").index("- Rate limit every public endpoint") + 1
    reworded = by_kind["item-reworded"]
    assert (reworded.old, reworded.new) == ("Never trust user input", "Do not trust any user input")
    assert reworded.a.line and reworded.b.line
    moved = by_kind["section-moved"]
    assert moved.a.line == text.split("\n").index("## Communication Style") + 1
    assert moved.b.line == edited.split("\n").index("## Communication Style") + 1
    proc = run(str(sample(3)), str(copy), "--json")
    assert proc.returncode == 1
    assert sorted(c["kind"] for c in json.loads(proc.stdout)["changes"]) == sorted(k for k, _ in summary)
    stat = run(str(sample(3)), str(copy), "--stat")
    assert stat.returncode == 1 and "1 item added" in stat.stdout


def test_seed_against_its_exports_shows_only_what_they_could_not_carry():
    for index in range(5):
        agent = agentkit.read(sample(index)).agent
        for fmt in ("copilot", "cursor", "claude", "cursor-rule"):
            out = export(agent, fmt)
            back = agentkit.read_bytes(out.text.encode(), out.path).agent
            changes = diff(agent, back)
            # A widening is reported exactly where export found one (Cursor's readonly set adds WebFetch).
            assert tuple(c.new for c in changes if c.kind == WIDENED) == out.widened, (index, fmt, changes)
            assert not [c for c in changes if not c.kind.startswith(("field-", WIDENED))], (index, fmt, changes)
            lost = {loss.field for loss in out.losses}
            for change in changes:
                # A rule carries no permissions: the one `permissions` change says so (export: `tools` dropped).
                assert change.what in lost | {"tools", "name", "permissions"}, (index, fmt, change)


def test_cross_format_tool_and_model_names_compare_through_tables(tmp_path: Path):
    claude = tmp_path / "a.md"
    claude.write_text("---\nname: x\ndescription: d\ntools: Read, Grep, Glob\nmodel: sonnet\n---\nBe careful.\n")
    copilot = tmp_path / "x.agent.md"
    copilot.write_text("---\nname: x\ndescription: d\ntools: ['read', 'search']\nmodel: Claude Sonnet 4.6 (copilot)\n---\n\nBe careful.\n")
    assert run(str(claude), str(copilot)).returncode == 0
    copilot.write_text(copilot.read_text().replace("'search'", "'search', 'execute'"))
    proc = run(str(claude), str(copilot))
    assert proc.returncode == 1 and "\n! widened: Bash  (" in proc.stdout and "\x1b[" not in proc.stdout
    copilot.write_text(copilot.read_text().replace("'search', 'execute'", "'edit/editFiles', 'edit/createFile'"))
    claude.write_text(claude.read_text().replace("Read, Grep, Glob", "Read, Edit, Write"))
    assert run(str(claude), str(copilot)).returncode == 0  # Copilot's `edit` would also edit notebooks


def test_unified_and_errors(tmp_path: Path):
    proc = run(str(sample(3)), str(sample(4)), "--unified")
    assert proc.returncode == 1 and proc.stdout.startswith(f"--- {sample(3)}\n+++ {sample(4)}\n")
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"")
    err = run(str(sample(3)), str(bad))
    assert err.returncode == 2 and "bad.md" in err.stderr and "Traceback" not in err.stderr


def test_copilot_legacy_tool_names_equal_their_current_names(tmp_path: Path):
    old = tmp_path / "old.chatmode.md"
    old.write_text("---\ndescription: d\ntools: ['codebase', 'problems', 'usages', 'fetch', 'runCommands']\n---\n\nDebug.\n")
    new = tmp_path / "old.agent.md"
    new.write_text("---\ndescription: d\ntools: ['search/codebase', 'read/problems', 'search/usages', 'web/fetch', 'execute']\n---\n\nDebug.\n")
    assert diff(agentkit.read(old).agent, agentkit.read(new).agent) == []


# ------------------------------------------------- the whole model, compared generically; widening first

CLAUDE = "---\nname: reviewer\ndescription: Reviews code.\n{keys}---\nReview the diff.\n"
COPILOT = "---\nname: reviewer\ndescription: Reviews code.\n{keys}---\n\nReview the diff.\n"


def compare(tmp_path: Path, a: tuple[str, str], b: tuple[str, str]) -> tuple[list, object]:
    """Write two files (name, text) and diff them with the library and with the CLI."""
    from click.testing import CliRunner

    from agentkit.cli import main

    path_a, path_b = tmp_path / "a" / a[0], tmp_path / "b" / b[0]
    for path in (path_a, path_b):
        path.parent.mkdir(parents=True, exist_ok=True)
    path_a.write_text(a[1], encoding="utf-8")
    path_b.write_text(b[1], encoding="utf-8")
    changes = diff(agentkit.read(path_a).agent, agentkit.read(path_b).agent)
    return changes, CliRunner().invoke(main, ["diff", str(path_a), str(path_b)])


HOOK = "hooks:\n  PostToolUse:\n    - matcher: Bash\n      hooks:\n        - type: command\n          command: curl x\n"
WIDENINGS = {
    "permission mode": ((".claude/agents/r.md", CLAUDE.format(keys="tools: Read, Bash\n")),
                        (".claude/agents/r.md", CLAUDE.format(keys="tools: Read, Bash\npermissionMode: bypassPermissions\n")),
                        "permission mode bypassPermissions"),
    "denylist dropped": ((".claude/agents/r.md", CLAUDE.format(keys="disallowedTools: Bash\n")), (".claude/agents/r.md", CLAUDE.format(keys="")), "Bash"),
    "pattern denylist dropped": ((".claude/agents/r.md", CLAUDE.format(keys="tools: Read, Bash\ndisallowedTools: Bash(rm:*)\n")),
                                 (".claude/agents/r.md", CLAUDE.format(keys="tools: Read, Bash\n")), "Bash"),
    "hook added": ((".claude/agents/r.md", CLAUDE.format(keys="tools: Read\n")), (".claude/agents/r.md", CLAUDE.format(keys="tools: Read\n" + HOOK)), "curl x"),
    "tool list dropped": ((".claude/agents/r.md", CLAUDE.format(keys="tools: Read\n")), (".claude/agents/r.md", CLAUDE.format(keys="")), "every tool"),
    "model invocation allowed": (("r.agent.md", COPILOT.format(keys="disable-model-invocation: true\n")),
                                 ("r.agent.md", COPILOT.format(keys="")), "invocation by the model"),
}


@pytest.mark.parametrize("case", sorted(WIDENINGS))
def test_what_lets_b_do_more_is_a_widening_listed_first(tmp_path: Path, case: str):
    a, b, phrase = WIDENINGS[case]
    changes, result = compare(tmp_path, a, b)
    widened = [c for c in changes if c.kind == WIDENED]
    assert widened and changes[: len(widened)] == widened, changes
    assert all(c.what == "permissions" for c in widened)
    assert any(phrase in (c.new or "") for c in widened), widened
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[2].startswith("! widened: ") and phrase in result.output, result.output
    # ... and nothing is said twice: a capability whose change only widens has no field change of its own.
    assert not [c for c in changes if c.kind == "field-changed" and c.what in ("tools", "permission mode", "invoked by")], changes


NOT_WIDER = {
    "denylist added to every tool": ((".claude/agents/r.md", CLAUDE.format(keys="")),
                                     (".claude/agents/r.md", CLAUDE.format(keys="disallowedTools: Bash\n")), "disallowed tools"),
    "denylist added": ((".claude/agents/r.md", CLAUDE.format(keys="tools: Read, Bash\n")),
                       (".claude/agents/r.md", CLAUDE.format(keys="tools: Read, Bash\ndisallowedTools: Bash\n")), "tools"),  # denying a listed tool takes it away
    "handoff prompt": (("r.agent.md", COPILOT.format(keys="handoffs:\n  - label: Fix\n    agent: fixer\n    prompt: Fix it.\n")),
                       ("r.agent.md", COPILOT.format(keys="handoffs:\n  - label: Fix\n    agent: fixer\n    prompt: Fix it all.\n")),
                       "handoffs[0].prompt"),
    "handoff send": (("r.agent.md", COPILOT.format(keys="handoffs:\n  - label: Fix\n    agent: fixer\n    send: false\n")),
                     ("r.agent.md", COPILOT.format(keys="handoffs:\n  - label: Fix\n    agent: fixer\n    send: true\n")),
                     "handoffs[0].send"),
    "example edited": ((".claude/agents/r.md", CLAUDE.replace("Reviews code.", "'Reviews code. <example>user: review this</example> <example>user: check it</example>'").format(keys="")),
                       (".claude/agents/r.md", CLAUDE.replace("Reviews code.", "'Reviews code. <example>user: review this PR</example> <example>user: check it</example>'").format(keys="")),
                       "examples"),
    "version": ((".claude/agents/r.md", CLAUDE.format(keys="version: 2\n")), (".claude/agents/r.md", CLAUDE.format(keys="version: 3\n")), "version"),
    "user-invocable": ((".claude/agents/r.md", CLAUDE.format(keys="")), (".claude/agents/r.md", CLAUDE.format(keys="user-invocable: false\n")), "user-invocable"),
}


@pytest.mark.parametrize("case", sorted(NOT_WIDER))
def test_other_changes_are_reported_but_not_as_widenings(tmp_path: Path, case: str):
    a, b, what = NOT_WIDER[case]
    changes, result = compare(tmp_path, a, b)
    assert [c.what for c in changes] == [what], changes
    assert result.exit_code == 1 and "widened" not in result.output, result.output


def test_narrowing_reads_as_what_was_taken_away(tmp_path: Path):
    changes, _ = compare(tmp_path, (".claude/agents/r.md", CLAUDE.format(keys="tools: Read, Grep, Glob\n")), (".claude/agents/r.md", CLAUDE.format(keys="tools: Read\n")))
    assert [(c.kind, c.what, c.old, c.new) for c in changes] == [("field-changed", "tools", "Glob, Grep, Read", "Read  (-Glob -Grep)")]


def test_example_edit_says_which_example(tmp_path: Path):
    a, b, _ = NOT_WIDER["example edited"]
    (change,) = compare(tmp_path, a, b)[0]
    assert (change.kind, change.old, change.new) == ("field-changed", "user: review this", "user: review this PR")


def test_same_capabilities_in_another_format_are_no_difference(tmp_path: Path):
    claude = (".claude/agents/r.md", CLAUDE.format(keys="tools: Read, Grep, Glob\n"))
    copilot = ("reviewer.agent.md", COPILOT.format(keys="tools: [read, search]\n"))
    changes, result = compare(tmp_path, claude, copilot)
    assert changes == [] and result.exit_code == 0 and result.output == "", (changes, result.output)
    # The same MCP server, as Claude's list and as Copilot's mapping.
    changes, result = compare(tmp_path, (".claude/agents/r.md", CLAUDE.format(keys="mcpServers: [github]\n")),
                              ("reviewer.agent.md", COPILOT.format(keys="mcp-servers:\n  github:\n    command: gh-mcp\n")))
    assert changes == [] and result.exit_code == 0, changes


def test_a_rule_under_another_file_name_is_the_same_rule(tmp_path: Path):
    rule = "---\ndescription: Python style\nglobs: '*.py'\nalwaysApply: false\n---\n\n- Use type hints.\n"
    changes, result = compare(tmp_path, ("python.mdc", rule), ("py-style.mdc", rule))
    assert changes == [] and result.exit_code == 0, changes


def test_changes_point_at_their_keys_and_keep_their_json(tmp_path: Path):
    a = tmp_path / "a.md"
    b = tmp_path / "b.md"
    a.write_text(CLAUDE.format(keys="tools: Read, Bash\nversion: 2\n"))
    b.write_text(CLAUDE.format(keys="version: 3\ntools: Read, Bash\npermissionMode: acceptEdits\n"))
    ra, rb = agentkit.read(a), agentkit.read(b)
    changes = diff(ra.agent, rb.agent, ra.key_lines, rb.key_lines)
    assert [(c.kind, c.what) for c in changes] == [(WIDENED, "permissions"), ("field-changed", "version")]
    widened, version = changes
    assert (widened.a.line, widened.b.line) == (ra.key_lines["tools"], rb.key_lines["permissionMode"])
    assert (version.a.line, version.b.line, version.old, version.new) == (ra.key_lines["version"], rb.key_lines["version"], "2", "3")
    proc = run(str(a), str(b), "--json")
    assert proc.returncode == 1
    assert [c["kind"] for c in json.loads(proc.stdout)["changes"]] == [WIDENED, "field-changed"]
    stat = run(str(a), str(b), "--stat")
    assert stat.stdout.strip() == "1 permission widened, 1 field changed"


def test_every_model_attribute_is_compared():
    """Each metadata attribute of the model, changed alone, is a difference: the comparison is generic."""
    import dataclasses

    from agentkit.model import Agent, Example, Handoff

    base = Agent(name="x", description="d", tools=("Read", "Bash"), format="claude")
    # Values to try for each type (a flag may be on or off by default; an unknown mode means the default).
    by_type = {"str | None": ("other", "acceptEdits"), "bool | None": (True, False), "tuple[str, ...] | None": (("Read",),),
               "tuple[str, ...]": (("Grep",),), "tuple[Example, ...]": ((Example("e"),),), "tuple[Handoff, ...]": ((Handoff("y"),),),
               "Mapping[str, Mapping[str, Any]]": ({"claude": {"k": 1}},)}
    for f in dataclasses.fields(Agent):
        if f.name in ("body", "sections", "path", "format", "origin"):  # origin: where it was read from, not what it is
            continue
        assert any(diff(base, dataclasses.replace(base, **{f.name: v})) for v in by_type[str(f.type)]), f.name


def test_a_key_only_one_side_has_is_a_change_not_a_crash(tmp_path: Path):
    # Seen on 0xMiden/note-transport-service: a Claude agent with `effort` and `maxTurns` against its
    # Copilot export, which holds no key agentkit passes through, was an internal error (exit 3).
    source = tmp_path / "reviewer.md"
    source.write_text("---\nname: reviewer\ndescription: Reviews.\nmodel: opus\neffort: max\nmaxTurns: 15\n---\n\n- Review.\n")
    copilot = tmp_path / "reviewer.agent.md"
    copilot.write_text(export(agentkit.read(str(source)).agent, "copilot").text)
    for left, right, sign in ((source, copilot, "-"), (copilot, source, "+")):
        proc = run(str(left), str(right))
        assert proc.returncode == 1, proc.stderr
        assert f"  {sign} effort: max" in proc.stdout and f"  {sign} maxTurns: 15" in proc.stdout


def test_every_corpus_agent_against_its_exports_is_a_diff():
    """Diff never fails on real files: each corpus agent against its export to every agent format, and
    a widening is reported exactly where export found one."""
    from conftest import corpus_files

    files = corpus_files()
    if not files:
        pytest.skip("corpus not present")
    for path in files:
        try:
            agent = agentkit.read(str(path)).agent
        except agentkit.AgentkitError:
            continue
        if refused_as_non_agent(agent):
            continue
        for fmt in ("claude", "copilot", "cursor"):
            out = export(agent, fmt, allow_wider=True)
            back = agentkit.read_bytes(out.text.encode(), out.path).agent
            changes = diff(agent, back)
            assert tuple(c.new for c in changes if c.kind == WIDENED) == out.widened, (path, fmt, changes)
