"""Export: every seed to every format, mapping tables, never widening tools, losses, round trips."""

from __future__ import annotations

import dataclasses

import pytest
import yaml
from conftest import sample

import agentkit
from agentkit import formats
from agentkit.export import export
from agentkit.formats.fields import SPELLINGS
from agentkit.model import Agent

TARGETS = ("claude", "copilot", "cursor", "cursor-rule", "agentkit", "gemini", "codex", "opencode")
# Attributes compared after a round trip, when the target format holds them.
FIELDS = ("name", "description", "examples", "model", "tools", "disallowed_tools", "color", "skills",
          "handoffs", "triggers", "readonly", "background", "globs", "always_apply", "permission_mode",
          "subagents", "user_invocable", "model_invocable")


def held(agent: Agent, fmt: str) -> dict:
    spec = formats.get(fmt)
    out = {attr: getattr(agent, attr) for attr in FIELDS if spec.supports(attr) or (attr == "examples" and agent.examples)}
    out["body"] = agent.body
    # A file's own spellings (key order, a comma string) are how it is written, not what it says.
    keys = {f: {k: v for k, v in kv.items() if k != SPELLINGS} for f, kv in agent.passthrough.items()}
    out["passthrough"] = keys.get(fmt, {}) if fmt != "agentkit" else {f: kv for f, kv in keys.items() if kv}
    return out


def assert_round_trip(agent: Agent, fmt: str) -> None:
    first = export(agent, fmt)
    back = agentkit.read_bytes(first.text.encode("utf-8"), first.path, fmt)
    assert not [r for r in back.repairs if r.kind != "literal-newlines"], first.path  # (Cursor rule globs are raw lines: not strict YAML, no repair)
    assert held(back.agent, fmt) == held(first.agent, fmt), f"{agent.path} -> {fmt}"
    again = export(back.agent, fmt)
    assert again.text == first.text, f"{agent.path} -> {fmt}: exporting the export changed it"
    assert not again.losses


@pytest.mark.parametrize("index", range(5))
@pytest.mark.parametrize("fmt", TARGETS)
def test_each_seed_to_each_format_round_trips(index: int, fmt: str):
    agent = agentkit.read(sample(index)).agent
    assert_round_trip(agent, fmt)
    assert export(agent, fmt).text == export(agent, fmt).text  # byte-identical across runs


def test_output_paths_follow_conventions():
    agent = agentkit.read(sample(0)).agent
    assert [export(agent, f).path for f in TARGETS] == [
        ".claude/agents/backend-dev.md",
        ".github/agents/backend-dev.agent.md",
        ".cursor/agents/backend-dev.md",
        ".cursor/rules/backend-dev.mdc",
        "backend-dev.md",
        ".gemini/agents/backend-dev.md",
        ".codex/agents/backend-dev.toml",
        ".opencode/agents/backend-dev.md",
    ]


def test_claude_examples_stay_in_description_as_valid_yaml():
    text = export(agentkit.read(sample(0)).agent, "claude").text
    data = yaml.safe_load(text.split("---\n")[1])
    assert data["description"].count("<example>") == 3
    assert "\n\nExamples:\n\n<example>\n" in data["description"]


def test_examples_move_to_when_to_use_and_come_back():
    source = agentkit.read(sample(0)).agent
    copilot = export(source, "copilot")
    assert "## When to use" in copilot.text
    assert "<example>" not in yaml.safe_load(copilot.text.split("---\n")[1])["description"]
    assert any(loss.field == "examples" and loss.kind == "moved" for loss in copilot.losses)
    back = agentkit.read_bytes(copilot.text.encode(), copilot.path).agent
    assert back.examples == source.examples and "## When to use" not in back.body
    claude_again = export(back, "claude")
    assert yaml.safe_load(claude_again.text.split("---\n")[1])["description"].count("<example>") == 3


def test_tool_mapping_claude_to_copilot_and_back():
    agent = agentkit.read(sample(4)).agent
    copilot = export(agent, "copilot")
    # `Edit` without `Write` and `WebSearch` without `WebFetch` are parts of Copilot's `edit` and `web`:
    # the part is written in VS Code's fine-grained name, or left out, never widened to the whole alias.
    assert yaml.safe_load(copilot.text.split("---\n")[1])["tools"] == ["read", "search", "edit/editFiles", "execute"]
    assert [(l.field, l.kind) for l in copilot.losses if l.field == "tools"] == [("tools", "narrowed")]
    back = agentkit.read_bytes(copilot.text.encode(), copilot.path).agent
    assert export(back, "claude").agent.tools == ("Read", "Grep", "Glob", "Edit", "Bash")
    full = dataclasses.replace(agent, tools=("Read", "Grep", "Glob", "Edit", "Write", "NotebookEdit", "Bash", "WebFetch", "WebSearch", "Task"))
    assert export(full, "copilot").agent.tools == ("read", "search", "edit", "execute", "web", "agent")
    # Copilot's `edit` also edits notebooks: without NotebookEdit the parts are written one by one.
    no_notebook = dataclasses.replace(agent, tools=("Edit", "Write"))
    assert export(no_notebook, "copilot").agent.tools == ("edit/editFiles", "edit/createFile")


def test_tools_never_widen():
    base = Agent(name="x", description="d", body="b", format="claude")
    # A write-capable list cannot be expressed in Cursor: narrowed to read-only, reported; read-only
    # still allows search and web tools the source did not list, so the file is refused as wider.
    cursor = export(dataclasses.replace(base, tools=("Read", "Edit")), "cursor")
    assert cursor.agent.readonly is True and "readonly: true" in cursor.text
    assert [(l.field, l.kind) for l in cursor.losses] == [("tools", "narrowed")]
    assert cursor.widened == ("Glob, Grep, WebFetch, WebSearch",)
    # Exactly the read-only tools: readonly: true, an approximation, not wider.
    readonly = export(dataclasses.replace(base, tools=("Read", "Grep", "Glob", "WebFetch", "WebSearch")), "cursor")
    assert readonly.agent.readonly is True and not readonly.widened
    assert [(l.field, l.kind) for l in readonly.losses] == [("tools", "approximated")]
    # Fewer read-only tools than readonly allows: wider, refused unless allowed, then reported.
    partial = export(dataclasses.replace(base, tools=("Read", "Grep", "Glob")), "cursor")
    assert partial.widened == ("WebFetch, WebSearch",) and not [l for l in partial.losses if l.kind == "widened"]
    allowed = export(dataclasses.replace(base, tools=("Read", "Grep", "Glob")), "cursor", allow_wider=True)
    assert [(l.field, l.kind) for l in allowed.losses if l.kind == "widened"] == [("permissions", "widened")]
    # No list stays no list: not `readonly`, no `tools` key anywhere.
    for fmt in ("cursor", "copilot", "claude"):
        out = export(dataclasses.replace(base, format="markdown"), fmt)
        header = yaml.safe_load(out.text.split("---\n")[1])
        assert "tools" not in header and "readonly" not in header and not out.widened
    # Argument patterns have no Copilot equivalent; `execute` would allow every command.
    patterned = export(dataclasses.replace(base, tools=("Read", "Bash(git:*)")), "copilot")
    assert patterned.agent.tools == ("read",) and any(l.kind == "narrowed" for l in patterned.losses)
    # An empty allowlist stays empty, never "all tools".
    empty = export(dataclasses.replace(base, tools=()), "copilot")
    assert yaml.safe_load(empty.text.split("---\n")[1])["tools"] == []
    # A denylist the target cannot hold becomes an allowlist without those tools.
    denied = export(dataclasses.replace(base, disallowed_tools=("Bash", "Write")), "copilot")
    assert "execute" not in denied.agent.tools and "read" in denied.agent.tools and not denied.widened
    assert any(l.field == "disallowedTools" and l.kind == "narrowed" for l in denied.losses)


def test_cursor_readonly_back_to_claude():
    agent = Agent(name="r", description="d", readonly=True, body="b", format="cursor")
    claude = export(agent, "claude")
    assert claude.agent.tools == ("Read", "Grep", "Glob", "WebFetch", "WebSearch")
    assert [(l.field, l.kind) for l in claude.losses] == [("readonly", "approximated")]


def test_mcp_tools_map_both_ways():
    agent = Agent(name="m", description="d", tools=("mcp__github__create_issue", "mcp__context7"), body="b", format="claude")
    copilot = export(agent, "copilot")
    assert copilot.agent.tools == ("github/create_issue", "context7/*")
    back = export(dataclasses.replace(copilot.agent, format="copilot"), "claude")
    assert back.agent.tools == ("mcp__github__create_issue", "mcp__context7")


def test_handoffs_written_with_documented_keys():
    copilot = export(agentkit.read(sample(2)).agent, "copilot")
    header = yaml.safe_load(copilot.text.split("---\n")[1])
    assert [sorted(h) for h in header["handoffs"]] == [["agent", "label", "prompt", "send"]] * 4
    assert header["handoffs"][0] == {"label": "Design API", "agent": "api-agent",
                                     "prompt": "Please design the API endpoints for this backend functionality.", "send": False}


def test_models_mapped_through_tables():
    seed2 = agentkit.read(sample(2)).agent
    assert export(seed2, "copilot").agent.model == "Claude Opus 4.5 (copilot)"
    assert export(dataclasses.replace(seed2, format="copilot"), "claude").agent.model == "claude-opus-4-5"
    gpt = Agent(name="g", description="d", model="GPT-5 (copilot)", body="b", format="copilot")
    claude = export(gpt, "claude")
    assert claude.agent.model is None and [(l.field, l.kind) for l in claude.losses] == [("model", "dropped")]
    assert export(gpt, "cursor").agent.model == "gpt-5"


def test_losses_listed_for_seed0_to_copilot():
    losses = {(l.field, l.kind) for l in export(agentkit.read(sample(0)).agent, "copilot").losses}
    assert losses == {("model", "approximated"), ("color", "dropped"), ("examples", "moved")}


def test_same_format_is_lossless_and_keeps_unknown_keys(tmp_path):
    text = ("---\ndescription: d\ntools: ['read', 'search']\ntarget: vscode\nargument-hint: a file\n"
            "mcp-servers:\n  srv:\n    type: local\n    command: run\n---\n\nBody\n")
    agent = agentkit.read_bytes(text.encode(), "x.agent.md").agent
    out = export(agent, "copilot")
    assert not out.losses
    header = yaml.safe_load(out.text.split("---\n")[1])
    assert header["target"] == "vscode" and header["mcp-servers"] == {"srv": {"type": "local", "command": "run"}}
    claude = export(agent, "claude")
    assert {l.field for l in claude.losses} == {"target", "argument-hint", "mcp-servers"}


def test_canonical_file_carries_everything_back():
    agent = agentkit.read(sample(2)).agent
    canonical = export(agent, "agentkit")
    back = agentkit.read_bytes(canonical.text.encode(), "merged.md")
    assert back.agent.format == "agentkit"
    assert {w.kind for w in back.warnings} == {"placeholder"}  # the seed's own {{placeholders}}, nothing else
    # Read from the canonical file or from the seed, every target gets the same file.
    for fmt in ("copilot", "cursor", "cursor-rule"):
        assert export(back.agent, fmt).text == export(agent, fmt).text
    # Claude Code has no handoffs: from the canonical file that is a reported loss, not a silent one.
    claude = export(back.agent, "claude")
    assert "handoffs" not in claude.text and ("handoffs", "dropped") in {(l.field, l.kind) for l in claude.losses}


def test_names_are_sanitized_and_stay_inside():
    for hostile in ("../../etc/passwd", "a/b\\c", "\x1b[31mred", "...", "Backend Architect"):
        agent = Agent(name=hostile, description="d", body="b", format="markdown")
        for fmt in TARGETS:
            path = export(agent, fmt).path
            assert ".." not in path.split("/") and "\\" not in path and "\x1b" not in path
            stem = path.rsplit("/", 1)[-1]
            assert stem[0].isalnum()
