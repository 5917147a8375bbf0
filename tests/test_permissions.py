"""The permission model: each case a user reported, every corpus file to every target, round trips, and
random tool lists, all asserting that no output lets an agent do more than its source without saying so.

Two checks are independent of `agentkit.permissions` (which export itself uses): `_oracle` reads the
written YAML with its own small table of what each name grants, so a mistake shared by the model and
the writer still fails here.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import refused_as_non_agent
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import agentkit
from agentkit import formats, permissions
from agentkit.cli import main
from agentkit.errors import AgentkitError
from agentkit.export import export
from agentkit.merge import merge
from agentkit.model import Agent

AGENT_TARGETS = ("claude", "copilot", "cursor", "agentkit", "gemini", "codex", "opencode")
TARGETS = (*AGENT_TARGETS, "cursor-rule")


def read_text(text: str, name: str = "x.md") -> Agent:
    return agentkit.read_bytes(text.encode(), name).agent


def header(text: str) -> dict:
    if not text.startswith("---"):  # Codex: a TOML document
        import tomllib

        return tomllib.loads(text)
    return yaml.safe_load(text.split("---\n")[1]) or {}


def written(agent: Agent, fmt: str, **options: bool) -> tuple[dict, object]:
    out = export(agent, fmt, **options)
    return header(out.text), out


def grants_of(out) -> permissions.Grants:  # type: ignore[no-untyped-def]
    return permissions.grants(agentkit.read_bytes(out.text.encode(), out.path, out.format).agent)


# ----------------------------------------------------------------------------------- reported cases

CLAUDE_DENY = "---\nname: careful\ndescription: d\ndisallowedTools: Bash, Write, Edit\n---\nBe careful.\n"
CURSOR_RO = "---\nname: looker\ndescription: d\nreadonly: true\n---\nOnly look.\n"


def test_denylist_is_kept_or_becomes_a_narrower_allowlist():
    agent = read_text(CLAUDE_DENY, ".claude/agents/careful.md")
    claude, _ = written(dataclasses.replace(agent, format="markdown"), "claude")
    assert claude["disallowedTools"] == "Bash, Write, Edit" and "tools" not in claude
    copilot, out = written(agent, "copilot")
    assert copilot["tools"] == ["read", "search", "edit/editNotebook", "web", "todo", "agent"] and not out.widened
    cursor, out = written(agent, "cursor")
    assert cursor["readonly"] is True and not out.widened


def test_merge_keeps_every_restriction(tmp_path: Path):
    deny = read_text(CLAUDE_DENY, ".claude/agents/careful.md")
    ro = read_text(CURSOR_RO, ".cursor/agents/looker.md")
    open_ = read_text("---\nname: open\ndescription: d\n---\nAnything.\n", ".claude/agents/open.md")
    merged = merge([open_, deny]).agent
    assert set(merged.disallowed_tools or ()) == {"Bash", "Write", "Edit"} and merged.tools is None
    assert "Bash" not in (export(merged, "copilot").agent.tools or ())
    both = merge([open_, deny, ro])
    assert both.agent.readonly is True and any(c.kind == "readonly" for c in both.conflicts)
    assert permissions.grants(both.agent).tools == frozenset({"Read", "Grep", "Glob", "WebFetch", "WebSearch"})
    plan = read_text("---\nname: p\ndescription: d\npermissionMode: plan\n---\nPlan.\n", ".claude/agents/p.md")
    bypass = read_text("---\nname: b\ndescription: d\npermissionMode: bypassPermissions\n---\nGo.\n", ".claude/agents/b.md")
    assert merge([bypass, plan]).agent.permission_mode == "plan"
    assert merge([bypass, open_]).agent.permission_mode is None  # the input without a mode asks: so does the merge
    # Names an input's tool does not know are left out; a name only Copilot has stays, for Copilot.
    claude = read_text("---\nname: c\ndescription: d\ntools: Read, execute\n---\nB.\n", ".claude/agents/c.md")
    copilot = read_text("---\ndescription: d\ntools: [execute/getTerminalOutput]\n---\nB.\n", "c.agent.md")
    result = merge([claude, copilot])
    assert result.agent.tools == ("Read", "copilot:execute/getTerminalOutput")
    assert any("execute" in n and "grant nothing" in n for n in result.notes)
    assert header(export(result.agent, "copilot").text)["tools"] == ["read", "execute/getTerminalOutput"]


def test_init_and_sync_carry_restrictions(tmp_path: Path):
    root = tmp_path / "repo"
    (root / ".claude/agents").mkdir(parents=True)
    (root / ".cursor/agents").mkdir(parents=True)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    (root / ".claude/agents/careful.md").write_text(CLAUDE_DENY)
    (root / ".cursor/agents/looker.md").write_text(CURSOR_RO)
    run = lambda *a: subprocess.run([sys.executable, "-m", "agentkit", *a], cwd=root, capture_output=True, text=True)  # noqa: E731
    assert run("init").returncode == 0
    config = root / "agentkit.toml"
    config.write_text(config.read_text().replace('formats = ["claude", "cursor"]', 'formats = ["claude", "copilot", "cursor"]'))
    synced = run("sync", "--force")
    assert synced.returncode in (0, 1), synced.stderr
    careful = header((root / ".github/agents/careful.agent.md").read_text())
    assert "execute" not in careful["tools"] and "edit" not in careful["tools"]
    assert header((root / ".claude/agents/careful.md").read_text())["disallowedTools"] == "Bash, Write, Edit"
    looker = header((root / ".claude/agents/looker.md").read_text())
    assert looker["tools"] == "Read, Grep, Glob, WebFetch, WebSearch"
    assert header((root / ".cursor/agents/looker.md").read_text())["readonly"] is True


def test_plan_mode_is_read_only_everywhere():
    agent = read_text("---\nname: planner\ndescription: d\npermissionMode: plan\n---\nPlan.\n", ".claude/agents/planner.md")
    copilot, out = written(agent, "copilot")
    assert copilot["tools"] == ["read", "search", "web"] and not out.widened
    assert [(l.field, l.kind) for l in out.losses if l.field == "permissionMode"] == [("permissionMode", "approximated")]
    cursor, out = written(agent, "cursor")
    assert cursor["readonly"] is True and not out.widened


def test_opencode_permission_map_denies():
    agent = read_text("---\ndescription: d\npermission:\n  edit: deny\n  bash: deny\n  webfetch: ask\n---\nReview.\n", ".opencode/agents/review.md")
    claude, out = written(agent, "claude")
    assert set(claude["disallowedTools"].split(", ")) == {"Edit", "Write", "NotebookEdit", "Bash"} and not out.widened
    copilot, out = written(agent, "copilot")
    assert not {"edit", "execute"} & set(copilot["tools"]) and not out.widened
    assert written(agent, "cursor")[0]["readonly"] is True
    patterns = read_text("---\ndescription: d\npermission:\n  bash:\n    'rm *': deny\n    '*': ask\n---\nB.\n", ".opencode/agents/b.md")
    assert written(patterns, "claude")[0]["disallowedTools"] == "Bash(rm *)"
    assert "execute" not in written(patterns, "copilot")[0]["tools"]


def test_denied_command_pattern_removes_the_whole_command_tool_where_there_are_no_patterns():
    agent = read_text("---\nname: x\ndescription: d\ndisallowedTools: Bash(rm:*)\n---\nB.\n", ".claude/agents/x.md")
    copilot, out = written(agent, "copilot")
    assert "execute" not in copilot["tools"] and "read" in copilot["tools"] and not out.widened
    assert written(agent, "claude")[0]["disallowedTools"] == "Bash(rm:*)"


def test_fine_grained_copilot_tools_never_become_the_whole_claude_tool():
    agent = read_text("---\ndescription: d\ntools: ['execute/getTerminalOutput', 'edit/createDirectory', 'read']\n---\nB.\n", "x.agent.md")
    claude, out = written(agent, "claude")
    assert claude["tools"] == "Read" and not out.widened
    assert any("execute/getTerminalOutput" in l.message and l.kind == "narrowed" for l in out.losses)
    # ...and back: the canonical agent keeps them for Copilot.
    canonical = export(agent, "agentkit")
    back = export(agentkit.read_bytes(canonical.text.encode(), canonical.path).agent, "copilot")
    assert header(back.text)["tools"] == ["execute/getTerminalOutput", "edit/createDirectory", "read"]


def test_names_the_source_tool_does_not_know_grant_nothing_elsewhere():
    agent = read_text("---\nname: x\ndescription: d\ntools: Read, execute, mcp__github__\n---\nB.\n", ".claude/agents/x.md")
    copilot, out = written(agent, "copilot")
    assert copilot["tools"] == ["read"] and not out.widened
    assert any(l.field == "tools" and "execute" in l.message and "mcp__github__" in l.message for l in out.losses)
    assert permissions.grants(agent).unknown == ("execute", "mcp__github__")


@pytest.mark.parametrize("value", ["5", "[[Read]]", "true", "{Read: true}"])
def test_unreadable_tool_value_refuses_the_file(tmp_path: Path, value: str):
    bad = tmp_path / ".claude/agents/bad.md"
    bad.parent.mkdir(parents=True)
    bad.write_text(f"---\nname: bad\ndescription: d\ntools: {value}\n---\nB.\n")
    good = tmp_path / ".claude/agents/good.md"
    good.write_text("---\nname: good\ndescription: d\n---\nB.\n")
    with pytest.raises(AgentkitError) as caught:
        agentkit.read(bad)
    assert caught.value.line == 4
    result = CliRunner().invoke(main, ["export", str(bad), str(good), "--format", "copilot", "--stdout"])
    assert result.exit_code == 2
    assert f"{bad}:4: `tools`:" in result.output and "name: good" in result.output


def test_cursor_readonly_wider_than_the_source_is_refused_unless_allowed(tmp_path: Path):
    for tools in ("Read", "[]"):
        source = tmp_path / f"r{len(tools)}.md"
        source.write_text(f"---\nname: r{len(tools)}\ndescription: d\ntools: {tools}\n---\nB.\n")
        out = tmp_path / f"out{len(tools)}"
        refused = CliRunner().invoke(main, ["export", str(source), "--format", "cursor", "-o", str(out)])
        assert refused.exit_code == 1 and "refused" in refused.output and "Grep" in refused.output
        assert not out.exists() and "widened" not in refused.output
        allowed = CliRunner().invoke(main, ["export", str(source), "--format", "cursor", "-o", str(out), "--allow-wider", "--json"])
        assert allowed.exit_code == 0
        assert '"kind": "widened"' in allowed.output and (out / f".cursor/agents/r{len(tools)}.md").is_file()


def test_subagent_allowlist_is_kept_or_the_agent_tool_left_out():
    agent = read_text("---\ndescription: d\ntools: [read, agent]\nagents: [worker]\n---\nB.\n", "lead.agent.md")
    claude, out = written(agent, "claude")
    assert claude["tools"] == "Read, Agent(worker)" and not out.widened
    back = export(agentkit.read_bytes(export(agent, "claude").text.encode(), ".claude/agents/lead.md").agent, "copilot")
    assert header(back.text)["tools"] == ["read", "agent"] and header(back.text)["agents"] == ["worker"]
    canonical, out = written(agent, "agentkit")
    assert canonical["subagents"] == ["worker"] and not out.widened
    # Every tool but only some subagents: Claude gets its core tools with `Agent(...)`, by exported name;
    # Cursor cannot limit subagents, so the agent tool goes (readonly has none).
    lead = read_text("---\nname: Lead\ndescription: d\nagents: [PRD Quality Reviewer]\n---\nB.\n", "lead.agent.md")
    claude, out = written(lead, "claude")
    assert claude["tools"].endswith("Agent(prd-quality-reviewer)") and "Bash" in claude["tools"] and not out.widened
    assert written(lead, "agentkit")[0]["subagents"] == ["PRD Quality Reviewer"]
    none = read_text("---\nname: solo\ndescription: d\nagents: []\n---\nB.\n", "solo.agent.md")
    claude, out = written(none, "claude")
    assert "Agent" not in claude["tools"] and not out.widened


def test_invocation_flags_and_permission_modes_the_target_lacks_are_refused():
    hidden = read_text("---\ndescription: d\ndisable-model-invocation: true\n---\nB.\n", "h.agent.md")
    assert export(hidden, "claude").widened == ("invocation by the model (as a subagent), which the source disables",)
    # Hiding an agent from people's picker is presentation, not a permission: dropped and reported.
    picker = read_text("---\ndescription: d\nuser-invocable: false\n---\nB.\n", "p.agent.md")
    out = export(picker, "claude")
    assert not out.widened and any(l.field == "user-invocable" and l.kind == "dropped" for l in out.losses)
    assert not export(hidden, "agentkit").widened and not export(hidden, "copilot").widened
    strict = read_text("---\nname: s\ndescription: d\npermissionMode: dontAsk\n---\nB.\n", ".claude/agents/s.md")
    assert export(strict, "copilot").widened == ("permission mode default, where the source has dontAsk",)
    bypass = read_text("---\nname: s\ndescription: d\npermissionMode: bypassPermissions\n---\nB.\n", ".claude/agents/s.md")
    out = export(bypass, "copilot")
    assert not out.widened and any(l.field == "permissionMode" and l.kind == "narrowed" for l in out.losses)


def test_dropping_a_blocking_hook_widens_and_adding_servers_never_happens():
    agent = read_text(
        "---\nname: h\ndescription: d\nhooks:\n  PreToolUse:\n    - matcher: Bash\n      hooks:\n        - type: command\n"
        "          command: ./block-rm.sh\nmcpServers: [github]\n---\nB.\n", ".claude/agents/h.md")
    assert permissions.grants(agent).guards and permissions.grants(agent).mcp_servers == frozenset({"github"})
    out = export(agent, "copilot")
    assert out.widened and "PreToolUse" in out.widened[0]
    assert not export(agent, "agentkit").widened and not export(agent, "claude").widened


def test_rules_grant_nothing_and_say_the_tools_were_dropped():
    agent = read_text(CLAUDE_DENY, ".claude/agents/careful.md")
    out = export(agent, "cursor-rule")
    assert not out.widened and any(l.field == "tools" and l.kind == "dropped" for l in out.losses)


# ------------------------------------------------------------------------------ independent oracle

R = frozenset({"Read", "Grep", "Glob", "WebFetch", "WebSearch"})
CORE = frozenset({"Read", "Grep", "Glob", "Edit", "Write", "NotebookEdit", "Bash", "WebFetch", "WebSearch", "TodoWrite", "Agent"})
# What each Copilot name grants among Claude's core tools, written out again on purpose (formats.md §4.8).
COPILOT = {"read": {"Read"}, "search": {"Grep", "Glob"}, "edit": {"Edit", "Write", "NotebookEdit"}, "execute": {"Bash"},
           "web": {"WebFetch", "WebSearch"}, "todo": {"TodoWrite"}, "agent": {"Agent"}, "read/readfile": {"Read"},
           "search/textsearch": {"Grep"}, "search/filesearch": {"Glob"}, "edit/editfiles": {"Edit"},
           "edit/createfile": {"Write"}, "edit/editnotebook": {"NotebookEdit"}, "web/fetch": {"WebFetch"}}


# Gemini CLI's names (its tool-names.ts), written out again on purpose.
GEMINI = {"read_file": {"Read"}, "read_many_files": {"Read"}, "glob": {"Glob"}, "grep_search": {"Grep"},
          "search_file_content": {"Grep"}, "write_file": {"Write"}, "replace": {"Edit"}, "run_shell_command": {"Bash"},
          "web_fetch": {"WebFetch"}, "google_web_search": {"WebSearch"}, "write_todos": {"TodoWrite"}, "invoke_agent": {"Agent"}}


def _oracle(fmt: str, data: dict) -> frozenset[str]:
    """The core tools a file of `fmt` grants, from its YAML alone."""
    if fmt == "opencode":  # last matching rule wins; `edit` is every file change (opencode permission.ts)
        names = {"read": {"Read"}, "edit": {"Edit", "Write", "NotebookEdit"}, "glob": {"Glob"}, "grep": {"Grep"}, "bash": {"Bash"},
                 "task": {"Agent"}, "webfetch": {"WebFetch"}, "websearch": {"WebSearch"}, "todowrite": {"TodoWrite"}}
        permission = data.get("permission", {})
        allowed = set(CORE)
        for key, rule in permission.items():
            action = rule if isinstance(rule, str) else ("deny" if rule.get("*") == "deny" else "partly")
            tools = CORE if key == "*" else names.get(key, set())
            if action == "deny":
                allowed -= tools
            elif action in ("allow", "ask"):
                allowed |= tools
            elif action == "partly":
                allowed -= tools  # a command map with some denials: not wholly allowed
        return frozenset(allowed)
    if fmt == "codex":  # the sandbox (codex-rs SandboxMode), then the web search switch
        mode = data.get("sandbox_mode", "danger-full-access")
        sandboxed = {"read-only": {"Read", "Grep", "Glob"}, "workspace-write": {"Read", "Grep", "Glob", "Bash", "Edit", "Write"}}
        if mode not in sandboxed:
            return CORE if data.get("web_search") != "disabled" else CORE - {"WebSearch"}
        return frozenset(sandboxed[mode] | ({"WebSearch"} if data.get("web_search") != "disabled" else set()))
    if fmt == "gemini":
        if "tools" not in data or "*" in data["tools"]:
            return CORE
        return frozenset(t for name in data["tools"] for t in GEMINI.get(name, ()))
    if fmt == "cursor":
        return R if data.get("readonly") else CORE
    if fmt == "copilot":
        if "tools" not in data:
            return CORE
        return frozenset(t for name in data["tools"] for t in COPILOT.get(name.lower(), ()))
    tools = data.get("tools")
    if isinstance(tools, str):
        tools = tools.replace("Task", "Agent")
    allowed = CORE if tools is None else frozenset(t.strip() for t in (tools.split(",") if isinstance(tools, str) else tools)) & CORE
    denied = data.get("disallowedTools") or data.get("disallowed-tools") or []
    denied = {t.strip() for t in (denied.split(",") if isinstance(denied, str) else denied)}
    allowed = frozenset(t for t in allowed if t not in denied and not any(d.startswith(t + "(") for d in denied))
    if data.get("permissionMode", data.get("permission-mode")) == "plan" or data.get("readonly"):
        allowed &= R
    return allowed


core_names = st.sampled_from(sorted(CORE | {"Bash(git:*)", "Task", "mcp__github__create_issue", "LSP"}))
sources = st.builds(
    Agent,
    name=st.just("random"),
    description=st.just("d"),
    tools=st.one_of(st.none(), st.lists(core_names, unique=True, max_size=8).map(tuple)),
    disallowed_tools=st.one_of(st.none(), st.lists(core_names, unique=True, min_size=1, max_size=3).map(tuple)),
    permission_mode=st.sampled_from([None, "plan", "acceptEdits", "default"]),
    body=st.just("Body."),
    format=st.just("claude"),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sources, st.sampled_from(AGENT_TARGETS))
def test_random_tool_lists_never_widen(agent: Agent, fmt: str):
    source_text = export(agent, "claude").text
    source = _oracle("claude", header(source_text))
    out = export(agentkit.read_bytes(source_text.encode(), ".claude/agents/random.md").agent, fmt)
    granted = _oracle(fmt, header(out.text))
    if fmt not in ("cursor", "codex"):  # one switch each (readonly, sandbox_mode): no narrower setting for every list
        assert not out.widened, out.widened  # targets with allowlists always find a narrower list
    assert granted <= source or out.widened, (sorted(granted - source), out.text)
    # ... and back again: A -> B -> A grants no more than A.
    again = export(agentkit.read_bytes(out.text.encode(), out.path, fmt).agent, "claude")
    assert _oracle("claude", header(again.text)) <= source or out.widened or again.widened


copilot_names = st.sampled_from(sorted(COPILOT) + ["execute/getTerminalOutput", "edit/createDirectory", "codebase",
                                                   "runCommands", "github/*", "vscode/askQuestions", "nonsense"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(copilot_names, unique=True, max_size=8), st.sampled_from(AGENT_TARGETS))
def test_random_copilot_lists_never_widen(names: list[str], fmt: str):
    agent = Agent(description="d", tools=tuple(names), body="B.", format="copilot", path="r.agent.md")
    source = _oracle("copilot", {"tools": [n.replace("runCommands", "execute") for n in names]})
    out = export(agent, fmt)
    assert _oracle(fmt, header(out.text)) <= source or out.widened
    assert not permissions.wider(grants_of(out), permissions.grants(agent)) or out.widened


WRITABLE_AGENTS = tuple(f.name for f in formats.FORMATS.values() if f.kind == "agent" and f.directory is not None)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sources, st.sampled_from(WRITABLE_AGENTS), st.sampled_from(WRITABLE_AGENTS))
def test_every_pair_of_formats_keeps_the_body_and_never_widens(agent: Agent, first: str, second: str):
    """A -> B for every pair of formats agentkit writes agents in: B reads back with A's body and grants
    no more than A's file does, unless export said it had to (`widened`, refused without --allow-wider)."""
    a = export(agent, first, allow_wider=True)
    read_a = agentkit.read_bytes(a.text.encode(), a.path, first).agent
    b = export(read_a, second)
    read_b = agentkit.read_bytes(b.text.encode(), b.path, second).agent
    assert read_b.body == read_a.body
    assert b.widened == permissions.wider(permissions.grants(read_b), permissions.grants(read_a))
    if second not in ("cursor", "codex"):  # one switch each (readonly, sandbox_mode): no narrower setting for every list
        assert not b.widened, (first, second, b.widened)


# ---------------------------------------------------------------------------------- whole corpus

def test_every_corpus_file_to_every_target_and_back(corpus):
    checked = refused = round_trips = 0
    reasons: dict[str, int] = {}
    for path in corpus:
        try:
            agent = agentkit.read(path, analyze=False).agent
        except AgentkitError:
            continue
        if refused_as_non_agent(agent):
            continue
        source = permissions.grants(agent)
        for fmt in TARGETS:
            out = export(agent, fmt)
            checked += 1
            assert out.widened == permissions.wider(grants_of(out), source)
            if out.widened:
                refused += 1
                for phrase in out.widened:
                    key = phrase.split(" (")[0] if phrase.startswith(("every tool", "invocation", "permission mode")) else "tools " + phrase.split(" (")[0]
                    reasons[key if len(key) < 40 else key[:40]] = reasons.get(key if len(key) < 40 else key[:40], 0) + 1
                allowed = export(agent, fmt, allow_wider=True)
                assert [l for l in allowed.losses if l.kind == "widened"]
                continue
            assert not [l for l in out.losses if l.kind == "widened"]
            if fmt not in AGENT_TARGETS:
                continue  # a rule holds no permissions: what is read back from it has the session's defaults
            back_fmt = agent.format if agent.format in AGENT_TARGETS else "agentkit"
            back = export(agentkit.read_bytes(out.text.encode(), out.path, fmt).agent, back_fmt)
            assert back.widened or not permissions.wider(grants_of(back), source), (path, fmt)
            round_trips += 1
    top = ", ".join(f"{k}: {v}" for k, v in sorted(reasons.items(), key=lambda kv: -kv[1])[:6])
    print(f"\npermissions: {checked} corpus exports checked, {refused} refused without --allow-wider "
          f"({top}), {round_trips} round trips back to the source format")
    assert checked > 2000


@pytest.mark.parametrize("text,name", [
    ("---\nname: v\ndescription: d\ntools: Bash\nmodel: haiku\npermissionMode: dontAsk\nmemory: project\n---\n\nB.\n", ".claude/agents/v.md"),
    ("---\nname: Lead\ndescription: d\nargument-hint: Describe it\nagents: [Worker]\nuser-invocable: false\ntools: [read, agent]\n---\n\nB.\n", "lead.agent.md"),
])
def test_modelled_permission_keys_keep_the_file_as_written(text: str, name: str):
    from agentkit.writer import render

    assert render(read_text(text, name)) == text


merge_inputs = st.lists(st.one_of(
    sources,
    st.builds(Agent, name=st.just("ro"), description=st.just("d"), readonly=st.sampled_from([None, True, False]),
              body=st.just("Body."), format=st.just("cursor")),
    st.builds(Agent, name=st.just("m"), description=st.just("d"), permission_mode=st.sampled_from(["plan", "dontAsk", "bypassPermissions", "acceptEdits"]),
              body=st.just("Body."), format=st.just("claude")),
), min_size=1, max_size=4)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(merge_inputs)
def test_merge_never_grants_what_no_input_grants_and_keeps_every_restriction(inputs: list[Agent]):
    merged = permissions.grants(merge(inputs).agent)
    each = [permissions.grants(a) for a in inputs]
    for tool in CORE | {"Bash(git:*)", "mcp__github__create_issue"}:
        if merged.allows(tool):
            assert any(g.allows(tool) for g in each), tool  # some input granted it
    for agent in inputs:
        for denied in permissions.denied_atoms(agent):
            assert not merged.allows(denied), denied  # every denial stays
        if agent.readonly or agent.permission_mode == "plan":
            assert merged.tools is not None and all(merged.allows(t) <= (t in R) for t in CORE)
    ranks = [permissions.MODE_RANK[g.mode] for g in each]
    assert permissions.MODE_RANK[merged.mode] <= min(ranks)
