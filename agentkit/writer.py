"""Agent -> file text in a given format (frontmatter + body), UTF-8 text with LF and a final newline."""

from __future__ import annotations

from typing import Any

from agentkit import formats
from agentkit.examples import examples_section, join_examples
from agentkit.formats.fields import write_fields
from agentkit.frontmatter import dump_and_load
from agentkit.model import Agent


def render(agent: Agent, fmt: str | None = None) -> str:
    """The file text of `agent` in `fmt` (default: its own format). Nothing is adapted or reported
    here: `agentkit.export` decides what a target can hold; this writes what it is given."""
    return render_with_frontmatter(agent, fmt)[0]


def render_with_frontmatter(agent: Agent, fmt: str | None = None) -> tuple[str, dict[str, Any]]:
    """`render`, and the frontmatter mapping written: `dump` has checked that the YAML reads back to
    exactly this mapping with the strict loader, so it is what any reader of the file gets."""
    spec = formats.get(fmt or agent.format or "claude")
    data = {**spec.header, **write_fields(agent, spec.fields, spec.name, spec.name == agent.format)}
    body = agent.body.strip("\n")
    if agent.examples and not spec.supports("examples"):
        if spec.examples_in_description:
            described = join_examples(agent.description or "", agent.examples)
            data = {**data, "description": described} if "description" in data else {"description": described, **data}
        else:
            body = f"{body}\n\n{examples_section(agent.examples)}".strip("\n")
    yaml_text, loaded = dump_and_load(data) if data else ("", {})
    header = f"---\n{yaml_text}---\n\n" if data else ""
    return (header + body + "\n" if body else header or "\n"), loaded
