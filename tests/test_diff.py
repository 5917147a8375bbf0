"""Diff by meaning: formatting never shows, real edits show exactly, exports show only what they lost."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import agentkit
from agentkit.diff import diff
from agentkit.export import export
from conftest import sample


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agentkit", "diff", *args], capture_output=True, text=True)


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
            assert not [c for c in changes if not c.kind.startswith("field-")], (index, fmt, changes)
            lost = {loss.field for loss in out.losses}
            for change in changes:
                assert change.what in lost | {"tools", "name"}, (index, fmt, change)


def test_cross_format_tool_and_model_names_compare_through_tables(tmp_path: Path):
    claude = tmp_path / "a.md"
    claude.write_text("---\nname: x\ndescription: d\ntools: Read, Grep, Glob\nmodel: sonnet\n---\nBe careful.\n")
    copilot = tmp_path / "x.agent.md"
    copilot.write_text("---\nname: x\ndescription: d\ntools: ['read', 'search']\nmodel: Claude Sonnet 4.6 (copilot)\n---\n\nBe careful.\n")
    assert run(str(claude), str(copilot)).returncode == 0
    copilot.write_text(copilot.read_text().replace("'search'", "'search', 'execute'"))
    proc = run(str(claude), str(copilot))
    assert proc.returncode == 1 and "+Bash" in proc.stdout and "\x1b[" not in proc.stdout


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
