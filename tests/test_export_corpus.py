"""Every corpus file to every format: no crash, the round trip keeps what the target holds, and the
files follow each tool's documented conventions (../shared/reference/formats.md §3.1, §4.1, §5, §8)."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from conftest import refused_as_non_agent
from test_export import TARGETS, assert_round_trip

import agentkit
from agentkit import formats
from agentkit.errors import AgentkitError
from agentkit.export import export

_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def frontmatter_text(text: str) -> str:
    """The lines between the fences (a `# ---` comment inside is not a fence)."""
    assert text.startswith("---\n"), "frontmatter must open on line 1 (no BOM, no blank line)"
    lines = text.split("\n")
    close = next(i for i in range(1, len(lines)) if lines[i].rstrip() == "---")
    return "\n".join(lines[1:close]) + "\n"


def header(text: str) -> dict:
    """The frontmatter as an independent reader gets it: PyYAML, after quoting a Cursor `globs:` line as
    rulesync does (Cursor reads that line raw; formats.md §5.1)."""
    inner = frontmatter_text(text)
    inner = re.sub(r"^globs: (?!['\"\[{])(.+)$", lambda m: "globs: " + json.dumps(m.group(1)), inner, flags=re.M)
    data = yaml.safe_load(inner)
    assert isinstance(data, dict)
    return data


# Gemini CLI's built-in tool names (tool-names.ts at google-gemini/gemini-cli@5411f113), written out again.
GEMINI_TOOLS = {"read_file", "read_many_files", "list_directory", "glob", "grep_search", "search_file_content", "write_file",
                "replace", "run_shell_command", "web_fetch", "google_web_search", "write_todos", "invoke_agent", "activate_skill",
                "get_internal_docs", "ask_user", "enter_plan_mode", "exit_plan_mode", "update_topic", "complete_task",
                "read_mcp_resource", "list_mcp_resources", "tracker_create_task", "tracker_update_task", "tracker_get_task",
                "tracker_list_tasks", "tracker_add_dependency", "tracker_visualize"}


def check_conventions(fmt: str, path: str, text: str, passthrough: frozenset[str] = frozenset()) -> None:
    """Each documented constraint of the target format, as an assertion. `passthrough`: unknown keys the
    source file of the same format had, which same-format export keeps by design."""
    raw = text.encode("utf-8")
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw and raw.endswith(b"\n")
    data = header(text) if text.startswith("---\n") else {}
    stem = path.rsplit("/", 1)[-1]
    if fmt == "claude":
        assert path.startswith(".claude/agents/") and stem.endswith(".md")
        assert _KEBAB.match(data["name"]) and ":" not in data["name"], "lowercase letters and hyphens"
        # The file is named after the agent, unless another format claims that file name
        # (`copilot-instructions.md`): then `-agent` is added, so it reads back as a Claude agent.
        assert stem == data["name"] + ".md" or stem == data["name"] + "-agent.md" and formats.detect_from_path(data["name"] + ".md")
        assert isinstance(data.get("description"), str) and data["description"].strip(), "description is required"
        assert isinstance(data.get("tools", ""), (str, list))
        if "color" in data:
            assert data["color"] in {"red", "blue", "green", "yellow", "purple", "orange", "pink", "cyan"}
    elif fmt == "copilot":
        assert path.startswith(".github/agents/") and stem.endswith(".agent.md")
        assert re.match(r"^[A-Za-z0-9._-]+$", stem), "github.com file-name characters"
        if "description" in data:
            assert isinstance(data["description"], str) and data["description"].strip()
        if "tools" in data:
            assert isinstance(data["tools"], list), "VS Code requires a YAML list"
        for handoff in data.get("handoffs", []):
            assert set(handoff) <= {"label", "agent", "prompt", "send", "model", "showContinueOn"}
            assert handoff.get("label") is not None and handoff.get("agent")
        if "target" in data:
            assert data["target"] in ("vscode", "github-copilot")
        for key in ("name", "description", "model", "argument-hint"):
            if key in data and isinstance(data[key], str):
                assert data[key].strip(), f"{key} must be non-empty"
    elif fmt == "cursor":
        assert path.startswith(".cursor/agents/") and "/" not in path[len(".cursor/agents/"):]
        assert set(data) - passthrough <= {"name", "description", "model", "readonly", "is_background"}
        assert _KEBAB.match(data["name"])
        for key in ("readonly", "is_background"):
            assert isinstance(data.get(key, False), bool)
        assert "\n" not in str(data.get("description", "")), "single-line scalars only"
    elif fmt == "gemini":
        # The loader reads top-level `*.md` only, skips names starting with `_`, and rejects any other key.
        assert path.startswith(".gemini/agents/") and "/" not in path[len(".gemini/agents/"):] and stem.endswith(".md")
        assert not stem.startswith("_")
        assert set(data) - passthrough <= {"name", "description", "kind", "display_name", "tools", "mcp_servers", "model",
                                           "temperature", "max_turns", "timeout_mins"}
        assert re.match(r"^[a-z0-9_-]+$", data["name"])
        assert isinstance(data.get("description"), str) and data["description"].strip()
        for tool in data.get("tools", []):
            assert tool in GEMINI_TOOLS or tool in ("*", "mcp_*") or re.match(r"^mcp_[a-z0-9_.:-]+_\*$", tool, re.I), tool
        if "model" in data:
            assert data["model"] == "inherit" or data["model"].startswith("gemini-")
    elif fmt == "codex":
        import tomllib

        document = tomllib.loads(text)  # valid TOML, as Codex parses it
        assert path.startswith(".codex/agents/") and stem.endswith(".toml")
        for key in ("name", "description", "developer_instructions"):  # required, and blank is an error
            assert isinstance(document.get(key), str) and document[key].strip(), key
        assert document.get("sandbox_mode", "read-only") in ("read-only", "workspace-write", "danger-full-access")
        assert document.get("web_search", "cached") in ("disabled", "cached", "live")
        if "model" in document:
            assert document["model"].startswith(("gpt-", "o1", "o3", "o4", "codex-"))
    elif fmt == "opencode":
        assert path.startswith(".opencode/agents/") and stem.endswith(".md")
        assert set(data) - passthrough <= {"name", "description", "mode", "model", "permission", "tools", "temperature", "top_p",
                                           "prompt", "steps", "maxSteps", "hidden", "disable", "color", "variant"}
        assert isinstance(data.get("description"), str) and data["description"].strip()
        if "model" in data:
            assert re.match(r"^[a-z0-9-]+/[^/\s]+$", data["model"]), "provider/model-id"
        permission = data.get("permission", {})
        assert isinstance(permission, dict)
        for key, rule in permission.items():
            rules = rule.values() if isinstance(rule, dict) else [rule]
            assert all(r in ("allow", "ask", "deny") for r in rules), (key, rule)
            assert key == "*" or key.islower(), key  # OpenCode's tool names are lower case
    elif fmt == "cursor-rule":
        assert path.startswith(".cursor/rules/") and stem.endswith(".mdc")
        assert set(data) - passthrough <= {"description", "globs", "alwaysApply"}
        assert isinstance(data.get("alwaysApply", False), bool)
        frontmatter = frontmatter_text(text) if data else ""
        for line in re.findall(r"^globs: (.*)$", frontmatter, re.M):  # as Cursor writes them: raw, no space after a comma
            assert ", " not in line or line[:1] in "'\"[", line
        assert not re.search(r":\s*[|>][-+]?\s*$", frontmatter, re.M), "no block scalars for Cursor"
        assert "\n" not in str(data.get("description", ""))


@pytest.mark.parametrize("index", range(5))
def test_seed_exports_follow_conventions(index: int):
    from conftest import sample

    agent = agentkit.read(sample(index)).agent
    for fmt in (*TARGETS[:4], "gemini", "codex", "opencode"):
        out = export(agent, fmt)
        check_conventions(fmt, out.path, out.text)


def test_whole_corpus_to_every_format(corpus):
    exported = 0
    for path in corpus:
        try:
            agent = agentkit.read(path).agent
        except AgentkitError:
            continue
        if refused_as_non_agent(agent):
            continue
        for fmt in TARGETS:
            out = export(agent, fmt)
            check_conventions(fmt, out.path, out.text, frozenset(agent.passthrough.get(fmt, {})))
            assert_round_trip(agent, fmt)
            exported += 1
    print(f"\ncorpus export: {exported} files written and re-read")
    assert exported > 2000
