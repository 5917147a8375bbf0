"""Property tests (hypothesis, bounded so CI stays fast): reading never fails but with agentkit's own
error, export then read returns the same agent, normalizing is idempotent, merging keeps every item once
and honours decisions."""

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
@given(agents, st.sampled_from(["claude", "copilot", "cursor", "cursor-rule", "agentkit", "gemini", "codex", "opencode"]))
def test_export_then_read_returns_the_same_agent(agent: Agent, fmt: str):
    out = export(agent, fmt)
    back = agentkit.read_bytes(out.text.encode("utf-8"), out.path, fmt).agent
    written = out.agent
    assert back.description == (written.description if fmt != "cursor-rule" or written.description else back.description)
    assert back.body == written.body
    assert back.examples == written.examples
    if fmt in ("claude", "copilot", "cursor", "agentkit", "gemini", "codex", "opencode"):
        assert back.name == written.name and back.model == written.model
    if fmt in ("claude", "copilot", "agentkit", "gemini", "codex", "opencode"):
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


# Merge: guidance-like items from a small vocabulary, so that folds, containment, prohibitions and
# decisions all happen; every input item must come out exactly once, in a deterministic result.
guidance_words = st.sampled_from("never avoid use log logs secrets rate limiting tests unit integration cache caching "
                                 "queries optimized database migrations reversible versioned input validation and or "
                                 "errors handling consistent structured proper".split())
guidance = st.lists(guidance_words, min_size=1, max_size=6).map(" ".join)
titles = st.sampled_from(["Security", "Security Checklist", "Testing", "Database", "Performance"])
sections = st.lists(st.tuples(titles, st.lists(guidance, min_size=1, max_size=5)), min_size=1, max_size=3)
merge_inputs = st.lists(sections, min_size=2, max_size=4)


def _spec(parts: list[tuple[str, list[str]]], number: int) -> Agent:
    text = "\n\n".join(f"## {title}\n\n" + "\n".join(f"- {item}" for item in items) for title, items in parts)
    return agentkit.read_bytes(f"---\nname: a{number}\ndescription: d\n---\n\n{text}\n".encode(), f"{number}.md").agent


@SETTINGS
@given(merge_inputs, st.data())
def test_merge_keeps_every_item_once_and_honours_decisions(inputs, data):
    from agentkit.merge import Options, merge

    agents = [_spec(parts, number) for number, parts in enumerate(inputs)]
    texts = sorted({i.text for a in agents for s in a.sections for i in s.items})
    pair = st.tuples(st.sampled_from(texts), st.sampled_from(texts))
    fold = tuple(data.draw(st.lists(pair, max_size=2)))
    apart = tuple(p for p in data.draw(st.lists(pair, max_size=2)) if p not in fold and p[::-1] not in fold and p[0] != p[1])
    result = merge(agents, Options(fold=fold, apart=apart))
    expected = sorted((i.path, i.line) for a in agents for s in a.sections for i in s.items)
    placed = sorted((src.path, src.line) for s in result.sections for m in s.items for src in m.sources)
    assert placed == expected
    assert result == merge(agents, Options(fold=fold, apart=apart))
    decided = {text for pair in fold for text in pair}  # a decided fold may bring an apart pair together
    for a, b in apart:
        for section in result.sections:
            for merged in section.items:
                members = {m.text for m in (merged.item, *merged.folded)}
                assert not {a, b} <= members or {a, b} & decided, (a, b, members)
