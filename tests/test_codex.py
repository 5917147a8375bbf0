"""Codex custom agents (issue 19): TOML read and written with real TOML libraries, the sandbox and web
search in the permission model (never wider), same bytes back, sync's marker as a TOML comment."""

from __future__ import annotations

from pathlib import Path

import tomllib
from conftest import run_in, write_file

import agentkit
from agentkit import permissions
from agentkit.export import export

REVIEWER = '''# Reviews diffs before a push.
name = "reviewer"
description = "Reviews recently changed code for bugs and security issues."
model = "gpt-5.3-codex"
model_reasoning_effort = "high"  # deep enough
sandbox_mode = "read-only"
developer_instructions = """
You are a code reviewer.

- Report concrete, file-referenced findings.
- Do not modify files.
"""

[mcp_servers.github]
command = "npx"
args = ["-y", "@modelcontextprotocol/server-github"]
'''




def test_a_codex_agent_is_read_with_its_lines_and_permissions(tmp_path: Path):
    result = agentkit.read(str(write_file(tmp_path, ".codex/agents/reviewer.toml", REVIEWER)))
    agent = result.agent
    assert (agent.format, agent.name, agent.model) == ("codex", "reviewer", "gpt-5.3-codex")
    assert agent.body.startswith("You are a code reviewer.") and agent.body.endswith("Do not modify files.")
    assert result.key_lines["sandbox_mode"] == 6 and result.key_lines["mcp_servers"] == 14
    assert agent.sections[0].items[0].line == 8  # body lines are the file's lines
    assert not [w for w in result.warnings if w.kind in ("unknown-key", "missing-key")], result.warnings
    grants = permissions.grants(agent)
    assert grants.tools == frozenset({"Read", "Grep", "Glob", "LS", "NotebookRead", "codex:shell-read-only", "WebSearch"})
    assert grants.mcp_servers == frozenset({"github"})


def test_same_format_is_the_same_bytes(tmp_path: Path):
    path = write_file(tmp_path, ".codex/agents/reviewer.toml", REVIEWER)
    check = run_in(tmp_path, "normalize", "--check", str(path))
    assert check.returncode == 0, check.stdout + check.stderr
    agent = agentkit.read(str(path)).agent
    assert export(agent, "codex").text == REVIEWER
    renamed = export(agent.__class__(**{**agent.__dict__, "name": "code-reviewer"}), "codex").text
    assert renamed == REVIEWER.replace('name = "reviewer"', 'name = "code-reviewer"')  # only that line, comments kept


def test_claude_agents_get_the_narrowest_sandbox_that_holds_them(tmp_path: Path):
    write_file(tmp_path, "impl.md", "---\nname: impl\ndescription: Implements.\ntools: Read, Grep, Glob, Edit, Write, Bash\n---\n\nImplement.\n")
    write_file(tmp_path, "ro.md", "---\nname: ro\ndescription: Reads.\ntools: Read, Grep, Glob, Bash, WebSearch\n---\n\nRead.\n")
    write_file(tmp_path, "reader.md", "---\nname: reader\ndescription: Only reads.\ntools: Read, Grep, Glob\n---\n\nRead.\n")
    write_file(tmp_path, "all.md", "---\nname: all\ndescription: Everything.\n---\n")
    done = run_in(tmp_path, "export", "impl.md", "ro.md", "reader.md", "all.md", "--format", "codex", "-o", "out")
    assert done.returncode == 1, done.stderr  # one file refused as wider
    out = tmp_path / "out/.codex/agents"
    impl, ro, everything = (tomllib.loads((out / f"{n}.toml").read_text()) for n in ("impl", "ro", "all"))
    assert impl["sandbox_mode"] == "workspace-write" and impl["web_search"] == "disabled"
    assert ro["sandbox_mode"] == "read-only" and "web_search" not in ro  # web search on, as the source has it
    assert "tools: Bash: " in done.stderr and "[narrowed]" in done.stderr  # the shell can no longer write: said
    assert "sandbox_mode" not in everything and everything["developer_instructions"].strip() == "Everything."
    assert "no instructions" in done.stderr and "[approximated]" in done.stderr
    # Read, Grep, Glob alone: Codex's read-only sandbox still runs commands: refused, one line.
    assert not (out / "reader.toml").exists()
    assert "reader.md -> codex: refused: the file would also allow shell-read-only" in done.stderr


def test_codex_to_claude_keeps_what_codex_forbids(tmp_path: Path):
    text = REVIEWER.replace('sandbox_mode = "read-only"', 'sandbox_mode = "read-only"\nweb_search = "disabled"')
    path = write_file(tmp_path, ".codex/agents/reviewer.toml", text)
    done = run_in(tmp_path, "export", str(path), "--format", "claude", "-o", "out")
    assert done.returncode == 0, done.stderr
    claude = (tmp_path / "out/.claude/agents/reviewer.md").read_text()
    assert "tools: Read, Grep, Glob, LS, NotebookRead\n" in claude  # no WebSearch, no Bash: never wider
    assert "mcp_servers" in done.stderr and "[dropped]" in done.stderr


def test_bad_toml_is_one_line_with_its_line(tmp_path: Path):
    write_file(tmp_path, ".codex/agents/broken.toml", 'name = "x"\ndescription = "unclosed\n')
    write_file(tmp_path, ".codex/agents/good.toml", 'name = "good"\ndescription = "d"\ndeveloper_instructions = "Do it."\n')
    write_file(tmp_path, "pyproject.toml", "[project]\nname = 'p'\n")  # not an agent: a scan passes over it
    done = run_in(tmp_path, "inspect", ".")
    assert done.returncode == 2
    errors = [line for line in done.stderr.splitlines() if line.startswith("agentkit: error:")]
    assert len(errors) == 1 and errors[0].startswith("agentkit: error: .codex/agents/broken.toml:2: not valid TOML"), done.stderr
    assert "good.toml" in done.stdout and "pyproject" not in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_sync_writes_codex_with_a_toml_marker(tmp_path: Path):
    write_file(tmp_path, "specs/agent.md", "---\nname: helper\ndescription: Helps.\ntools: Read, Grep, Glob, Bash\n---\n\n- Help.\n")
    write_file(tmp_path, "agentkit.toml", '[[agents]]\nname = "helper"\nsources = ["specs/agent.md"]\nformats = ["codex"]\n')
    (tmp_path / ".git").mkdir()
    first = run_in(tmp_path, "sync")
    assert first.returncode == 0, first.stderr
    text = (tmp_path / ".codex/agents/helper.toml").read_text()
    assert text.rstrip().splitlines()[-1].startswith("# generated by agentkit from ")
    assert tomllib.loads(text)["sandbox_mode"] == "read-only"  # valid TOML with the marker
    assert run_in(tmp_path, "sync", "--check").returncode == 0
    assert agentkit.read(str(tmp_path / ".codex/agents/helper.toml")).generated


def test_init_and_sync_on_codex_agents_add_only_the_marker(tmp_path: Path):
    # Seen on AugurProject/zoltar: read-only reviewers; the canonical source must carry the read-only
    # shell (a Codex-only atom), or sync would refuse every file as wider.
    original = write_file(tmp_path, ".codex/agents/reviewer.toml", REVIEWER).read_text()
    (tmp_path / ".git").mkdir()
    assert run_in(tmp_path, "init").returncode == 0
    done = run_in(tmp_path, "sync")
    assert done.returncode == 0, done.stderr
    text = (tmp_path / ".codex/agents/reviewer.toml").read_text()
    content, marker = text.rsplit("\n\n# generated by agentkit from ", 1)
    assert content + "\n" == original and marker.count("\n") == 1
    assert run_in(tmp_path, "sync", "--check").returncode == 0


def test_hostile_toml_is_one_line_or_reported_at_its_column(tmp_path: Path):
    head = 'name = "x"\ndescription = "d"\ndeveloper_instructions = "b"\n'
    write_file(tmp_path, ".codex/agents/deep.toml", head + "a = " + "[" * 100_000 + "]" * 100_000 + "\n")
    write_file(tmp_path, ".codex/agents/inline.toml", head + "a = " + "{b = " * 50_000 + "1" + "}" * 50_000 + "\n")
    write_file(tmp_path, ".codex/agents/escaped.toml", 'name = "x\\u0000"\ndescription = "d\\u202e"\ndeveloper_instructions = "b"\n')
    done = run_in(tmp_path, "inspect", ".codex")
    assert done.returncode == 2 and "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert sum("nested too deeply" in line for line in done.stderr.splitlines()) == 2
    lint = run_in(tmp_path, "lint", ".codex/agents/escaped.toml")
    assert ".codex/agents/escaped.toml:1:10: control character U+0000 written as the escape `\\u0000` [control-char]" in lint.stdout
    assert ".codex/agents/escaped.toml:2:17: bidi control U+202E" in lint.stdout
    exported = run_in(tmp_path, "export", ".codex/agents/escaped.toml", "--format", "codex", "-o", "out")
    assert exported.returncode == 0 and "[dropped]" in exported.stderr
    assert "\\u0000" not in (tmp_path / "out/.codex/agents/x.toml").read_text()
