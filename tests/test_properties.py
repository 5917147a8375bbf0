"""Property tests (hypothesis, bounded so CI stays fast): reading never fails but with agentkit's own
error, export then read returns the same agent, normalizing is idempotent."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import agentkit
from agentkit.errors import AgentkitError
from agentkit.export import export
from agentkit.model import Agent, Example

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

words = st.text(alphabet=string.ascii_letters + string.digits + " -_.:,!?'\"#*&|>%@`[]{}éçã→✅", min_size=1, max_size=40)
line = words.map(str.strip).filter(bool)


@SETTINGS
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_read_or_refuse(data: bytes):
    try:
        agentkit.read_bytes(data, "x.md")
    except AgentkitError as exc:
        assert exc.reason and exc.message


@SETTINGS
@given(st.text(max_size=2000))
def test_arbitrary_text_read_or_refuse(text: str):
    try:
        agentkit.read_bytes(text.encode("utf-8", "surrogatepass"), "x.md")
    except AgentkitError as exc:
        assert exc.reason


body_line = st.one_of(line, line.map(lambda t: f"- {t}"), line.map(lambda t: f"1. {t}"), line.map(lambda t: f"## {t}"))
bodies = st.lists(body_line, min_size=1, max_size=12).map(lambda lines: "\n\n".join(lines))
names = st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)
claude_tools = st.lists(st.sampled_from(["Read", "Grep", "Glob", "Edit", "Write", "Bash", "WebFetch", "WebSearch", "TodoWrite"]), unique=True)

agents = st.builds(
    Agent,
    name=names,
    description=line,
    examples=st.lists(line.map(lambda t: Example(f"Context: {t}\nuser: \"{t}\"")), max_size=2).map(tuple),
    model=st.sampled_from([None, "sonnet", "opus", "haiku", "claude-opus-4-5"]),
    tools=st.one_of(st.none(), claude_tools.map(tuple)),
    color=st.sampled_from([None, "red", "blue"]),
    skills=st.lists(names, max_size=3, unique=True).map(tuple),
    body=bodies,
    format=st.just("claude"),
)


@SETTINGS
@given(agents, st.sampled_from(["claude", "copilot", "cursor", "cursor-rule", "agentkit"]))
def test_export_then_read_returns_the_same_agent(agent: Agent, fmt: str):
    out = export(agent, fmt)
    back = agentkit.read_bytes(out.text.encode("utf-8"), out.path, fmt).agent
    written = out.agent
    assert back.description == (written.description if fmt != "cursor-rule" or written.description else back.description)
    assert back.body == written.body
    assert back.examples == written.examples
    if fmt in ("claude", "copilot", "cursor", "agentkit"):
        assert back.name == written.name and back.model == written.model
    if fmt in ("claude", "copilot", "agentkit"):
        assert back.tools == written.tools
    if fmt == "cursor":
        assert back.readonly == written.readonly
    assert export(back, fmt).text == out.text


@SETTINGS
@given(agents)
def test_normalize_is_idempotent(agent: Agent):
    text = agentkit.render(agent)
    once = agentkit.render(agentkit.read_bytes(text.encode(), "a.md").agent)
    twice = agentkit.render(agentkit.read_bytes(once.encode(), "a.md").agent)
    assert once == twice
