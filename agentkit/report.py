"""How results look: JSON for programs, short text for people. The library never prints; the CLI does."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from agentkit import formats
from agentkit.formats.fields import SPELLINGS
from agentkit.model import Agent, Finding, ReadResult

if TYPE_CHECKING:
    from collections.abc import Sequence

    from agentkit.diff import Change
    from agentkit.merge import MergeResult


def handoff_json(agent: Agent) -> list[dict[str, Any]]:
    return [
        {"agent": h.agent, "label": h.label, "prompt": h.prompt, "send": h.send, "model": h.model, **dict(h.extra)}
        for h in agent.handoffs
    ]


def result_json(result: ReadResult, extra_warnings: Iterable[Finding] = ()) -> dict[str, Any]:
    from agentkit.reader import display_name

    agent = result.agent
    return {
        "path": agent.path,
        "format": agent.format,
        "encoding": result.encoding,
        "name": display_name(agent),
        "name_declared": agent.name is not None,
        "description": agent.description,
        "examples": [{"text": e.text, **e.parts()} for e in agent.examples],
        "model": agent.model,
        "tools": list(agent.tools or ()),
        "tools_restricted": agent.tools is not None,  # false: no list, the tool grants its default set
        "disallowed_tools": list(agent.disallowed_tools or ()),
        "color": agent.color,
        "skills": list(agent.skills),
        "handoffs": handoff_json(agent),
        "triggers": list(agent.triggers),
        "readonly": agent.readonly,
        "permission_mode": agent.permission_mode,
        "subagents": list(agent.subagents) if agent.subagents is not None else None,
        "user_invocable": agent.user_invocable,
        "model_invocable": agent.model_invocable,
        "may": grants_json(agent),
        "background": agent.background,
        "globs": list(agent.globs) if agent.globs is not None else None,
        "always_apply": agent.always_apply,
        "passthrough": {fmt: {k: v for k, v in keys.items() if k != SPELLINGS} for fmt, keys in agent.passthrough.items()},
        "body": agent.body,
        "sections": [
            {
                "title": s.title,
                "level": s.level,
                "line": s.line,
                "items": [{"kind": i.kind, "line": i.line, "depth": i.depth, "text": i.text} for i in s.items],
            }
            for s in agent.sections
        ],
        "recovered": result.recovered,
        "repairs": [f.to_json() for f in by_line(result.repairs)],
        "warnings": [f.to_json() for f in by_line([*result.warnings, *extra_warnings])],
    }


def grants_json(agent: Agent) -> dict[str, Any]:
    """What the agent may do, in agentkit's one vocabulary (`agentkit.permissions.grants`)."""
    from agentkit.permissions import grants

    g = grants(agent)
    return {
        "tools": sorted(g.tools) if g.tools is not None else None,  # null: every tool
        "denied": sorted(g.denied),
        "subagents": sorted(g.subagents) if g.subagents is not None else None,
        "mode": g.mode,
        "mcp_servers": sorted(g.mcp_servers),
        "hooks": sorted(g.hooks),
        "invoked_by": sorted(g.invokers),
        "unknown_tools": list(g.unknown),
        "own_permissions": g.agent,  # false for rules: they run with the session's permissions
    }


def may_text(agent: Agent) -> str:
    """One line for people: the tools an agent may use, and what else limits or widens it."""
    from agentkit.permissions import effective_tools, grants

    g = grants(agent)
    if not g.agent:
        spec = formats.FORMATS.get(agent.format)
        if spec is None or spec.kind == "rules":
            return "(a rule: no permissions of its own)"
        return f"(a {spec.kind}: not an agent; its tool grants what it may use)"
    tools = effective_tools(g)
    parts = ["every tool" if tools is None else ", ".join(sorted(tools)) or "no tools"]
    if g.tools is None and g.denied:
        parts[0] += " but " + ", ".join(sorted(g.denied))
    if g.mode != "default":
        parts.append(f"mode {g.mode}")
    if g.subagents is not None:
        parts.append(f"subagents {', '.join(sorted(g.subagents)) or 'none'}")
    if g.mcp_servers:
        parts.append(f"MCP {', '.join(sorted(g.mcp_servers))}")
    if g.hooks:
        parts.append(f"{len(g.hooks)} hook(s)")
    if "model" not in g.invokers:
        parts.append("the model may not invoke it")
    if g.unknown:
        parts.append(f"unknown names granting nothing: {', '.join(g.unknown)}")
    return "; ".join(parts)


def by_line(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.line is None, f.line or 0, f.column or 0))


def finding_line(finding: Finding) -> str:
    where = "" if finding.line is None else f"line {finding.line}" + ("" if finding.column is None else f":{finding.column}")
    return f"{where + ': ' if where else ''}{finding.message} [{finding.kind}]"


def _short(text: str | None, width: int = 100) -> str:
    if not text:
        return "-"
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def result_text(result: ReadResult, extra_warnings: Iterable[Finding] = ()) -> str:
    from agentkit import formats
    from agentkit.reader import display_name

    agent = result.agent
    title = formats.FORMATS[agent.format].title if agent.format in formats.FORMATS else agent.format
    items = sum(len(s.items) for s in agent.sections)
    tools = ", ".join(agent.tools) if agent.tools is not None else "(no list: the tool's default set)"
    rows = [
        ("name", display_name(agent) + ("" if agent.name else "  (from the file name)")),
        ("description", _short(agent.description)),
        ("examples", str(len(agent.examples)) if agent.examples else "-"),
        ("model", agent.model or "-"),
        ("tools", tools if agent.tools != () else "(none)"),
        ("color", agent.color or "-"),
        ("skills", ", ".join(agent.skills) or "-"),
        ("handoffs", ", ".join(f"{h.label or '?'} -> {h.agent}" for h in agent.handoffs) or "-"),
        ("triggers", "; ".join(agent.triggers) or "-"),
    ]
    if agent.readonly is not None:
        rows.append(("readonly", str(agent.readonly).lower()))
    rows.append(("may use", may_text(agent)))
    if agent.globs is not None or agent.always_apply is not None:
        rows.append(("applies to", "always" if agent.always_apply else ", ".join(agent.globs or ()) or "-"))
    for keys in agent.passthrough.values():
        if set(keys) - {SPELLINGS}:
            rows.append(("other keys", ", ".join(k for k in keys if k != SPELLINGS)))
    rows.append(("body", f"{agent.body.count(chr(10)) + 1 if agent.body else 0} lines, {len(agent.sections)} sections, {items} items"))
    lines = [f"{agent.path}  ({title}, {result.encoding}{', frontmatter recovered' if result.recovered else ''})"]
    lines += [f"  {label:<12} {value}" for label, value in rows]
    warnings = by_line([*result.warnings, *extra_warnings])
    for heading, findings in (("repaired", by_line(result.repairs)), ("warnings", warnings)):
        if findings:
            lines.append(f"  {heading} ({len(findings)}):")
            lines += [f"    {finding_line(f)}" for f in findings]
    return "\n".join(lines)


def merge_json(result: MergeResult, text: str) -> dict[str, Any]:
    from agentkit.reader import read_bytes

    merged = result_json(read_bytes(text.encode("utf-8"), "merged.md", formats.CANONICAL))
    merged.pop("sections", None)
    return {
        "agent": merged,
        "text": text,
        "items": [
            {
                "section": section.title,
                "kind": m.item.kind,
                "text": m.item.text,
                "sources": [s.to_json() for s in m.sources],
            }
            for section in result.sections
            for m in section.items
        ],
        "conflicts": [c.to_json() for c in result.conflicts],
        "alike": [a.to_json() for a in result.alike],
        "notes": list(result.notes),
        "summary": {"items_in": result.items_in, "items_out": result.items_out, "folded": result.folded,
                    "sections": len(result.sections), "alike": len(result.alike)},
    }


_ALIKE_SHOWN = 10
_FOLDED_SHOWN = 50  # a summary of a 500-file merge should still fit a screenful or two


def merge_summary(result: MergeResult, inputs: int) -> str:
    lines = [f"merged {inputs} agents: {result.items_in} guidance items in, {result.items_out} out "
             f"({result.folded} folded), {len(result.sections)} sections"]
    folded = [(s.title, m) for s in result.sections for m in s.items if m.folded]
    if folded:
        more = f" (first {_FOLDED_SHOWN} of {len(folded)}; --json lists all)" if len(folded) > _FOLDED_SHOWN else ""
        lines.append(f"folded{more}:")
        for _title, m in folded[:_FOLDED_SHOWN]:
            kept = _short(m.item.text, 70)
            lines.append(f"  {kept}  <=  " + " | ".join(_short(f.text, 50) for f in m.folded))
    if result.alike:
        shown = result.alike[:_ALIKE_SHOWN]
        more = f"; {len(result.alike) - len(shown)} more in --json" if len(result.alike) > len(shown) else ""
        lines.append(f"kept apart, but alike ({len(result.alike)}; check by hand, most alike first{more}; "
                     "fold a pair with --fold PLACE PLACE):")
        lines += [f"  {_short(a.texts[0], 60)}  ~  {_short(a.texts[1], 60)}  ({' ~ '.join(f'{x.path}:{x.line}' for x in a.sources)})"
                  for a in shown]
    if result.conflicts:
        lines.append("conflicts:")
        lines += [f"  {c.kind}: {c.message}" for c in result.conflicts]
    if result.notes:
        lines.append("decided:")
        lines += [f"  {n}" for n in result.notes]
    return "\n".join(lines)


_DIFF_STYLE = {
    "added": ("+", "green"), "removed": ("-", "red"), "changed": ("~", "yellow"), "reworded": ("~", "yellow"),
    "moved": (">", "cyan"), "renamed": ("~", "yellow"),
}


def _where(change: Change) -> str:
    sides = [f"{s.path}:{s.line}" for s in (change.a, change.b) if s is not None]
    return "  (" + " -> ".join(sides) + ")" if sides else ""


def diff_text(changes: Sequence[Change], path_a: str, path_b: str, color: bool) -> str:
    import click

    from agentkit.diff import WIDENED
    from agentkit.text import printable

    def styled(text: str, name: str, bold: bool = False) -> str:
        text = printable(text)  # escaped before the colour codes go in: only ours reach the terminal
        return click.style(text, fg=name, bold=bold) if color else text

    lines = [styled(f"--- {path_a}", "red"), styled(f"+++ {path_b}", "green")]
    # What B may do that A may not comes first, flush left and in bold red: the change a reviewer must see.
    lines += [styled(f"! widened: {c.new}", "red", bold=True) + printable(_where(c)) for c in changes if c.kind == WIDENED]
    for heading, prefix in (("metadata", "field-"), ("sections", "section-"), ("guidance", "item-")):
        group = [c for c in changes if c.kind.startswith(prefix)]
        if not group:
            continue
        lines.append(styled(heading, "bright_white") if color else heading)
        for change in group:
            verb = change.kind.split("-", 1)[1]
            sign, hue = _DIFF_STYLE[verb]
            if prefix == "field-":
                old, new = (_short(v, 120) if v else "(none)" for v in (change.old, change.new))
                body = f"{change.what}: {old} -> {new}" if verb == "changed" else f"{change.what}: {new if verb == 'added' else old}"
            elif prefix == "section-":
                body = {"renamed": f"{change.old!r} -> {change.new!r}", "moved": f"{change.what!r} moved"}.get(verb, repr(change.what))
                body = f"section {verb}: {body}" if verb in ("added", "removed") else f"section {body}"
            else:
                where = f"[{change.what}] " if change.what else ""
                if verb == "reworded":
                    body = f"reworded {where}{_short(change.old, 60)!r} -> {_short(change.new, 60)!r}"
                elif verb == "moved":
                    body = f"moved {change.old!r} -> {change.new!r}"
                else:
                    body = f"{verb} {where}{_short(change.new if verb == 'added' else change.old, 90)!r}"
            lines.append(styled(f"  {sign} {body}", hue) + printable(_where(change)))
    return "\n".join(lines)


def diff_stat(changes: Sequence[Change]) -> str:
    from collections import Counter

    from agentkit.diff import WIDENED

    counts = Counter(c.kind for c in changes)
    if not counts:
        return "no meaningful difference"
    ordered = sorted(counts.items(), key=lambda kv: (kv[0] != WIDENED, kv[0]))  # widenings first, as in the diff
    return ", ".join(f"{n} {kind.replace('-', ' ')}" for kind, n in ordered)
