"""The tool, key and model tables are current (issue 15): what Claude Code documents today is read
without a warning, kept in its own format, and mapped (never wider) elsewhere."""

from __future__ import annotations

from pathlib import Path

from conftest import cli

import agentkit
from agentkit.export import export
from agentkit.vocab import is_claude_model, model_for, same_model

CURRENT = """---
name: planner
description: Plans work.
tools: Read, LSP, TaskCreate, TaskGet, TaskList, TaskUpdate, TaskOutput, CronCreate, CronDelete, CronList, ListMcpResourcesTool, ReadMcpResourceTool
model: opus[1m]
omitClaudeMd: true
permissionMode: delegate
maxTurns: 20
effort: high
---

Plan.
"""


def test_current_claude_tools_keys_and_models_raise_no_warning(tmp_path: Path):
    path = tmp_path / ".claude/agents/planner.md"
    path.parent.mkdir(parents=True)
    path.write_text(CURRENT)
    result = agentkit.read(path)
    assert [w.kind for w in result.warnings] == [], result.warnings
    assert result.agent.model == "opus[1m]" and result.agent.permission_mode == "delegate"


def test_init_and_sync_keep_every_current_tool(tmp_path: Path):
    """init + sync of a user's own file no longer drops LSP, Task*, Cron* or the MCP resource tools."""
    import subprocess
    import sys

    root = tmp_path / "repo"
    (root / ".claude/agents").mkdir(parents=True)
    (root / ".claude/agents/planner.md").write_text(CURRENT)
    for command in ("init", "sync"):
        proc = subprocess.run([sys.executable, "-m", "agentkit", command], cwd=root, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
    assert (root / ".claude/agents/planner.md").read_text().startswith(CURRENT)


def test_same_format_keeps_unknown_tools_and_other_formats_report_them(tmp_path: Path):
    path = tmp_path / ".claude/agents/planner.md"
    path.parent.mkdir(parents=True)
    path.write_text(CURRENT.replace("tools: Read, LSP", "tools: Read, FutureTool, LSP"))
    agent = agentkit.read(path).agent
    assert "FutureTool" in export(agent, "claude").text
    copilot = export(agent, "copilot", allow_wider=True)
    assert "FutureTool" not in copilot.text and any("FutureTool" in loss.message for loss in copilot.losses)


def test_context_suffix_and_new_aliases():
    for model in ("opus[1m]", "sonnet[1m]", "claude-sonnet-4-6[1m]", "opusplan", "default", "claude-sonnet-5", "claude-opus-5"):
        assert is_claude_model(model), model
        assert model_for(model, "claude") == model
    assert model_for("opus[1m]", "copilot") == model_for("opus", "copilot")  # no 1M setting elsewhere: the family
    assert model_for("claude-sonnet-4-6[1m]", "cursor") == "claude-sonnet-4-6"
    assert model_for("default", "copilot") is None  # the account's default: written as no model
    for a, b in (("opus[1m]", model_for("opus[1m]", "copilot")), ("claude-sonnet-4-6[1m]", "claude-sonnet-4-6")):
        assert same_model(a, b) and same_model(b, a)
    assert not is_claude_model("gpt-5") and not is_claude_model("opus[2m]")


def test_a_copilot_export_of_a_1m_model_says_what_it_did(tmp_path: Path):
    path = tmp_path / ".claude/agents/planner.md"
    path.parent.mkdir(parents=True)
    path.write_text(CURRENT)
    result = cli("convert", str(path), "--to", "copilot", "--allow-wider")
    assert "model: `opus[1m]` written as" in result.stderr
