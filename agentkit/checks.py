"""Checks people need: problems that do not stop reading but would bite in the target tool."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from agentkit.examples import join_examples
from agentkit.formats.base import Format
from agentkit.model import Agent, Finding, ReadResult
from agentkit.permissions import MODE_RANK

_PLACEHOLDER = re.compile(r"(?<![$\w{])\{\{\s*([^{}\n]{1,80}?)\s*\}\}")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def check_agent(agent: Agent, fmt: Format, key_lines: dict[str, int], text_lines: Sequence[str], body_line: int) -> list[Finding]:
    found: list[Finding] = []
    found += _required(agent, fmt, key_lines)
    found += _name(agent, fmt, key_lines)
    found += _lengths(agent, fmt, key_lines, body_line)
    found += _keys(agent, fmt, key_lines)
    found += _handoff_keys(key_lines, text_lines)
    found += _values(agent, fmt, key_lines)
    for check in fmt.checks:  # what only this format needs (its name rules, its model vocabulary)
        found += check(agent, fmt, key_lines)
    found += placeholders(agent.body, body_line)
    return found


def _required(agent: Agent, fmt: Format, key_lines: dict[str, int]) -> list[Finding]:
    missing = [k for k in fmt.required if k not in key_lines]
    return [Finding("missing-key", f"`{k}` is required by {fmt.title}s and missing", 1) for k in missing]


def _name(agent: Agent, fmt: Format, key_lines: dict[str, int]) -> list[Finding]:
    name = agent.name
    if not name or fmt.name_pattern is None or fmt.name_pattern.match(name):
        return []
    if any(f.kind == "bad-name" for check in fmt.checks for f in check(agent, fmt, key_lines)):
        return []  # the format's own check says it more precisely
    return [Finding("bad-name", f"name {name!r} is not accepted by {fmt.title}s ({fmt.name_rule})", key_lines.get("name"))]


def _lengths(agent: Agent, fmt: Format, key_lines: dict[str, int], body_line: int) -> list[Finding]:
    found = []
    # The limit applies to the description as the tool sees it, examples included.
    description = join_examples(agent.description or "", agent.examples)
    if fmt.description_limit and len(description) > fmt.description_limit:
        found.append(Finding(
            "long-description",
            f"description is {len(description):,} characters (limit {fmt.description_limit:,} in several validators)",
            key_lines.get("description"),
        ))
    if fmt.body_limit and len(agent.body) > fmt.body_limit:
        found.append(Finding("long-body", f"body is {len(agent.body):,} characters; {fmt.title}s allow {fmt.body_limit:,}", body_line))
    return found


def _keys(agent: Agent, fmt: Format, key_lines: dict[str, int]) -> list[Finding]:
    found = []
    undocumented = {f.key for f in fmt.fields if not f.documented}
    for key in key_lines:
        if key in undocumented:
            found.append(Finding("foreign-key", f"`{key}` is not a {fmt.title} key; kept, but the tool ignores it", key_lines[key]))
            continue
        if key in fmt.known_keys or not fmt.known_keys:
            continue
        close = difflib.get_close_matches(key, sorted(fmt.known_keys), n=1, cutoff=0.75)
        # "Gemini CLI subagent" -> "Gemini CLI": the tool, which refuses the whole file over one key.
        rejected = f" ({fmt.title.rsplit(' ', 1)[0]} rejects a file with a key it does not know)" if fmt.rejects_unknown_keys else ""
        if close:
            found.append(Finding("misspelled-key", f"unknown key `{key}`: did you mean `{close[0]}`?{rejected}", key_lines[key]))
        else:
            found.append(Finding("unknown-key", f"`{key}` is not a documented {fmt.title} key; kept as is{rejected}", key_lines[key]))
    return found


def _handoff_keys(key_lines: dict[str, int], text_lines: Sequence[str]) -> list[Finding]:
    """Copilot documents `handoffs[].agent`; seed 002 (and others) write `target`."""
    start = key_lines.get("handoffs")
    if start is None:
        return []
    found, index = [], 0
    for number in range(start + 1, len(text_lines) + 1):
        line = text_lines[number - 1]
        if line and not line[0].isspace() and not line.startswith("-"):
            break  # next top-level key or the closing fence
        if re.match(r"^\s*-\s", line):
            index += 1
        if re.match(r"^\s*(?:-\s+)?target\s*:", line):
            found.append(Finding("misspelled-key", f"handoffs[{index - 1}].target: Copilot documents `agent` for the target agent; read as `agent`", number))
    return found


def _values(agent: Agent, fmt: Format, key_lines: dict[str, int]) -> list[Finding]:
    found = []
    if agent.permission_mode and agent.permission_mode.strip() not in MODE_RANK:
        known = ", ".join(sorted(MODE_RANK))
        found.append(Finding("unknown-mode", f"permission mode `{agent.permission_mode}` is not one of {known}; the tool's default applies",
                             key_lines.get("permissionMode", key_lines.get("permission-mode"))))
    if fmt.colors and agent.color and agent.color not in fmt.colors:
        found.append(Finding("unknown-color", f"color `{agent.color}` is not one of {', '.join(sorted(fmt.colors))}", key_lines.get("color")))
    return found


def placeholders(body: str, body_line: int) -> list[Finding]:
    """Unfilled `{{placeholders}}` outside fenced code (GitHub Actions `${{ }}` excluded)."""
    found, fenced = [], False
    for offset, line in enumerate(body.split("\n")):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        for match in _PLACEHOLDER.finditer(line):
            found.append(Finding("placeholder", f"unfilled placeholder {match.group(0)}", body_line + offset, match.start() + 1))
    return found


def duplicate_names(results: Iterable[ReadResult]) -> list[tuple[str, Finding]]:
    """(path, warning) for every input whose `name` another input also declares."""
    by_name: dict[str, list[ReadResult]] = defaultdict(list)
    for result in results:
        if result.agent.name:
            by_name[result.agent.name.strip().lower()].append(result)
    out = []
    for group in by_name.values():
        if len(group) < 2:
            continue
        for result in group:
            others = ", ".join(r.agent.path for r in group if r is not result)
            line = result.key_lines.get("name")
            out.append((result.agent.path, Finding("duplicate-name", f"name {result.agent.name!r} is also declared by {others}", line)))
    return out
