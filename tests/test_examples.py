"""agentkit.examples: split Claude-style `<example>` blocks off descriptions and join them back."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentkit.examples import example_parts, join_examples, split_examples
from agentkit.frontmatter import parse
from agentkit.model import Example

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def seed_description(prefix: str) -> str:
    matches = sorted(SEEDS.glob(f"{prefix}_*")) if SEEDS.is_dir() else []
    if not matches:
        pytest.skip(f"seed {prefix} not available")
    data = parse(matches[0].read_text(encoding="utf-8")).data
    assert data is not None
    return str(data["description"])


@pytest.mark.parametrize(
    ("prefix", "count", "summary_end"),
    [
        ("000", 3, "ensuring proper telemetry and security practices."),
        ("001", 2, "into robust, secure, and performant backend code."),
        ("004", 2, "Use proactively after backend edits, failing tests, or new endpoint requests."),
    ],
)
def test_seed_examples(prefix: str, count: int, summary_end: str) -> None:
    summary, examples = split_examples(seed_description(prefix))
    assert len(examples) == count
    assert summary.endswith(summary_end)
    assert summary.startswith("Use this agent")
    assert "<example>" not in summary and "Examples:" not in summary
    assert all(ex.text.startswith("Context:") and ex.text.endswith("</commentary>") for ex in examples)


def test_seed_000_example_keeps_lines() -> None:
    _, examples = split_examples(seed_description("000"))
    assert examples[0].text.split("\n")[:2] == [
        "Context: User needs to implement a new API endpoint",
        'user: "Create an endpoint to list all jobs for a tenant"',
    ]


def test_seed_004_inline_parts() -> None:
    _, examples = split_examples(seed_description("004"))
    assert examples[0].parts() == {
        "context": "User is building a REST API for their application.",
        "user": "I need to create an API endpoint for user authentication with JWT tokens",
        "assistant": "I'll use the backend-developer agent to help you create a secure authentication endpoint with proper JWT implementation.",
        "commentary": "Since the user needs backend API development, use the backend-developer agent to handle server-side authentication logic.",
    }
    assert example_parts(examples[1].text)["context"] == "User is having database performance issues."


def test_multiline_parts() -> None:
    text = 'Context: Needs an endpoint\nuser: "Create it"\nassistant: "I\'ll use the agent"\n<commentary>\nBecause.\n</commentary>'
    assert example_parts(text) == {
        "context": "Needs an endpoint",
        "user": "Create it",
        "assistant": "I'll use the agent",
        "commentary": "Because.",
    }


def test_label_inside_an_utterance_is_not_a_turn() -> None:
    text = "Context: x user: 'Ask the assistant: why?' assistant: 'Sure'"
    assert example_parts(text) == {"context": "x", "user": "Ask the assistant: why?", "assistant": "Sure"}


def test_several_turns_are_kept() -> None:
    parts = example_parts('user: "one"\nassistant: "two"\nuser: "three"')
    assert parts == {"user": "one\nthree", "assistant": "two"}


def test_parts_of_unstructured_text() -> None:
    assert example_parts("just a sentence") == {}


def test_no_examples() -> None:
    assert split_examples("  A plain description.\n") == ("A plain description.", ())


@pytest.mark.parametrize("label", ["Examples:", "Example:", "For example:", "examples :"])
def test_labels_removed(label: str) -> None:
    summary, examples = split_examples(f"Summary. {label}\n\n<example>a</example>")
    assert summary == "Summary." and examples == (Example("a"),)


def test_text_after_and_between_blocks_stays_in_summary() -> None:
    text = "Sum. Examples: <example>a</example> between <example>b</example> Delegations: <delegation>x</delegation>"
    summary, examples = split_examples(text)
    assert examples == (Example("a"), Example("b"))
    assert summary == "Sum.\n\nbetween\n\nDelegations: <delegation>x</delegation>"


def test_unclosed_example_is_kept() -> None:
    assert split_examples("Sum. <example>ctx\nuser: hi") == ("Sum.", (Example("ctx\nuser: hi"),))


def test_join_canonical_form() -> None:
    assert join_examples("Sum.", [Example("a\nb"), Example("c")]) == (
        "Sum.\n\nExamples:\n\n<example>\na\nb\n</example>\n\n<example>\nc\n</example>"
    )
    assert join_examples("Sum.", []) == "Sum."
    assert join_examples("", [Example("a")]) == "Examples:\n\n<example>\na\n</example>"


def test_join_then_split_of_seed() -> None:
    summary, examples = split_examples(seed_description("000"))
    assert split_examples(join_examples(summary, examples)) == (summary, examples)


def _clean(text: str) -> bool:
    return text == text.strip() and "<example>" not in text and "</example>" not in text


summaries = st.text(max_size=80).filter(_clean)
example_texts = st.text(max_size=60).filter(_clean).map(Example)


@given(summaries, st.lists(example_texts, max_size=4))
def test_round_trip(summary: str, examples: list[Example]) -> None:
    assert split_examples(join_examples(summary, examples)) == (summary, tuple(examples))


@given(st.text(max_size=120))
def test_split_never_fails(text: str) -> None:
    summary, examples = split_examples(text)
    assert "<example>" not in summary
    for example in examples:
        assert isinstance(example_parts(example.text), dict)
