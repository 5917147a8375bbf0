"""Agent -> file text in a given format (frontmatter + body), UTF-8 text with LF and a final newline."""

from __future__ import annotations

from agentkit import formats
from agentkit.examples import join_examples
from agentkit.formats.fields import write_fields
from agentkit.frontmatter import dump
from agentkit.model import Agent


def render(agent: Agent, fmt: str | None = None) -> str:
    spec = formats.get(fmt or agent.format or "claude")
    same = spec.name == agent.format
    data = write_fields(agent, spec.fields, spec.name, same)
    if agent.examples and (spec.examples_in_description or same) and any(f.attr == "description" for f in spec.fields):
        described = join_examples(agent.description or "", agent.examples)
        data = {"description": described, **data} if "description" not in data else {**data, "description": described}
    header = f"---\n{dump(data)}---\n\n" if data else ""
    body = agent.body.strip("\n")
    return header + body + "\n" if body else header or "\n"
