"""Agent -> file text in a given format (frontmatter + body), UTF-8 text with LF and a final newline."""

from __future__ import annotations

import re
from typing import Any

from agentkit import formats
from agentkit.errors import AgentkitError
from agentkit.examples import examples_section, join_examples
from agentkit.formats.fields import write_fields
from agentkit.frontmatter import dump_and_load
from agentkit.model import Agent

# A first non-blank line the frontmatter parser would take for a fence (`---`, indented or longer).
_STARTS_WITH_RULE = re.compile(r"\A(?:[ \t]*\n)*[ \t]*-{3,}[ \t]*(?:\n|\Z)")


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
    if not header and _STARTS_WITH_RULE.match(body):
        # Without frontmatter, a body opening with a `---` rule would be read back as frontmatter (its text
        # as keys, even as tools): an empty frontmatter keeps it body.
        header = "---\n---\n\n"
    text = header + body + "\n" if body else header or "\n"
    _refuse_control(text, agent.path)
    return text, loaded


def refuse_empty(agent: Agent, text: str | None = None, target: str = "") -> None:
    """Raise AgentkitError (``empty-agent``) for an agent with nothing in it (no name, description,
    example or body: e.g. a file that is only `---` twice), or whose `text` as `target` is blank: every
    command that writes refuses it, rather than write a file nothing can read back."""
    if text is not None:
        if not text.strip():
            raise AgentkitError("empty-agent", f"nothing to write: as a {target or 'file'} the agent would be an empty file", agent.path)
        return
    if not any(value and value.strip() for value in (agent.name, agent.description, agent.body)) and not agent.examples:
        raise AgentkitError("empty-agent", "nothing to write: the agent has no name, description or body", agent.path)


def _refuse_control(text: str, path: str) -> None:
    """The last guard: no text agentkit writes holds a control character (reading removes them, exports
    strip the ones YAML escapes make), so one here is a bug, refused rather than written."""
    from agentkit.text import strip_control

    if strip_control(text)[1]:
        line = next(number for number, content in enumerate(text.split("\n"), 1) if strip_control(content)[1])
        raise AgentkitError("control-char", f"refusing to write a control character at line {line} of the output (agentkit bug; please report it)", path)
