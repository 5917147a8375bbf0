"""Agent -> file text in a given format (frontmatter + body), UTF-8 text with LF and a final newline."""

from __future__ import annotations

import re
from typing import Any

from agentkit import formats, vocab
from agentkit.errors import AgentkitError
from agentkit.examples import examples_section, join_examples
from agentkit.formats.base import Format
from agentkit.formats.fields import write_fields
from agentkit.frontmatter import dump, dump_and_load, edit, same_value, verbatim_line
from agentkit.model import Agent, Origin

# A first non-blank line the frontmatter parser would take for a fence (`---`, indented or longer).
_STARTS_WITH_RULE = re.compile(r"\A(?:[ \t]*\n)*[ \t]*-{3,}[ \t]*(?:\n|\Z)")


def render(agent: Agent, fmt: str | None = None) -> str:
    """The file text of `agent` in `fmt` (default: its own format). Nothing is adapted or reported
    here: `agentkit.export` decides what a target can hold; this writes what it is given."""
    return render_with_frontmatter(agent, fmt)[0]


def render_with_frontmatter(agent: Agent, fmt: str | None = None, template: Origin | None = None) -> tuple[str, dict[str, Any]]:
    """`render`, and the frontmatter mapping written: it reads back to exactly this mapping (checked),
    so it is what any reader of the file gets.

    Written in the format it was read from (or over `template`, a file of that format: the one `sync`
    replaces), the file is edited, not re-emitted: what did not change keeps its bytes (comments,
    quoting, key order, flow or block style, blank lines), and only what changed is written anew."""
    spec = formats.get(fmt or agent.format or formats.DEFAULT_TARGETS[0])
    data = {**spec.header, **write_fields(agent, spec.fields, spec.name, spec.name == agent.format)}
    body = agent.body.strip("\n")
    if agent.examples and not spec.supports("examples"):
        if spec.examples_in_description:
            described = join_examples(agent.description or "", agent.examples)
            data = {**data, "description": described} if "description" in data else {"description": described, **data}
        else:
            body = f"{body}\n\n{examples_section(agent.examples)}".strip("\n")
    origin = template if template is not None else agent.origin
    if spec.render_text is not None:  # another file syntax (Codex's TOML): the format writes it, edited over its origin
        text, loaded = spec.render_text(data, body, origin if origin is not None and origin.format == spec.name else None)
        _refuse_control(text, agent.path)
        return text, loaded
    if origin is not None and origin.format == spec.name:
        edited = _edited(origin, data, body, spec)
        if edited is not None:
            _refuse_control(edited[0], agent.path)
            return edited
    yaml_text, loaded = dump_and_load(data, _verbatim_keys(spec, data)) if data else ("", {})
    header = f"---\n{yaml_text}---\n\n" if data else ""
    if not header and _STARTS_WITH_RULE.match(body):
        # Without frontmatter, a body opening with a `---` rule would be read back as frontmatter (its text
        # as keys, even as tools): an empty frontmatter keeps it body.
        header = "---\n---\n\n"
    text = header + body + "\n" if body else header or "\n"
    _refuse_control(text, agent.path)
    return text, loaded


def _edited(origin: Origin, data: dict[str, Any], body: str, spec: Format) -> tuple[str, dict[str, Any]] | None:
    """The file `origin` was, holding `data` and `body` instead: None when it cannot be edited into
    that (the caller writes the file fresh)."""
    fm = origin.frontmatter
    if fm is None:
        if data or _STARTS_WITH_RULE.match(body):
            return None  # frontmatter to add, or a body that would read as one: written fresh
        header, loaded = "", dict[str, Any]()
    else:
        verbatim = _verbatim_keys(spec, data)
        edited = edit(fm, data, lambda key, old, lines: _keeps(spec, key, old, data[key], lines, verbatim),
                      lambda key, value: verbatim_line(key, value) if key in verbatim else dump({key: value}))
        if edited is None:
            return None
        yaml_text, loaded = edited
        header = f"{fm.fences[0]}\n{yaml_text}{fm.fences[1]}\n"
    region = origin.body
    if body == region.lstrip("\n").rstrip():
        text = header + region  # the body as written, blank lines and trailing spaces included
        text = text if text.endswith("\n") else text + "\n"
    else:  # changed: its own lines anew, between the blank lines the file had around it
        lead = region[: len(region) - len(region.lstrip("\n"))]
        trail = max(1, len(region) - len(region.rstrip("\n")))
        text = header + lead + body + "\n" * trail if body else header or "\n"
    return text, loaded


def _verbatim_keys(spec: Format, data: dict[str, Any]) -> frozenset[str]:
    """The keys of `data` written as raw lines (Cursor's `globs`), where the text can stand raw."""
    from agentkit.formats.fields import verbatim_problem

    keys = set()
    for field in spec.fields:
        value = data.get(field.key)
        if field.verbatim and isinstance(value, str) and value:
            try:
                if verbatim_problem(field.read(value)) is None:
                    keys.add(field.key)
            except ValueError:
                continue
    return frozenset(keys)


def _keeps(spec: Format, key: str, old: Any, new: Any, lines: tuple[str, ...], verbatim: frozenset[str]) -> bool:
    """The template's value of `key` (`old`, written as `lines`) says what `new` says in this format, so
    its spelling stays: the same YAML, or the same value as the format reads it (`tools: Read, Grep`
    and `[Read, Grep]`; for tool lists, the same permissions: Copilot's `read/readFile` where `read`
    would be written). A raw line (Cursor's globs) stays only when it is the line that would be written."""
    if key in verbatim:
        return lines == (verbatim_line(key, new).rstrip("\n"),)
    return says_the_same(spec, key, old, new)


def says_the_same(spec: Format, key: str, old: Any, new: Any) -> bool:
    """`old` and `new`, values of `key` in a file of `spec`, mean the same there: the same value, the same
    value as the format reads it, or (tool lists) the same permissions. Every same-format edit (the
    frontmatter's, Codex's TOML) keeps a key's spelling on this."""
    if same_value(old, new):
        return True
    field = next((f for f in spec.fields if f.key == key), None)
    if field is None:
        return False
    try:
        before, after = field.read(old), field.read(new)
    except ValueError:
        return False
    if before == after:
        return True
    if field.attr in ("tools", "disallowed_tools") and spec.tool_vocab in vocab.LIST_VOCABULARIES:
        a, b = vocab.atoms(tuple(before), spec.tool_vocab), vocab.atoms(tuple(after), spec.tool_vocab)
        return (a.atoms, a.everything, a.subagents) == (b.atoms, b.everything, b.subagents)
    return False


def refuse_non_agent(agent: Agent) -> None:
    """Raise AgentkitError (``not-an-agent``) for a file agentkit reads and checks but never turns into an
    agent: a skill, a command, a prompt file, or another tool's agent whose tool names it cannot map
    without risking wider permissions. Every command that turns files into agents calls this first."""
    spec = formats.FORMATS.get(agent.format)
    if spec is not None and not spec.convertible:
        why = ("its tool reads names and keys agentkit does not map, so the result could allow more"
               if spec.kind == "foreign-agent" else f"a {spec.kind} is run or loaded by its tool, not delegated to")
        raise AgentkitError("not-an-agent", f"{spec.title}: not turned into an agent ({why}); "
                                            "inspect and lint read it", agent.path)


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
