"""Agent -> another tool's file, mapping what can be mapped and reporting every loss.

`adapt` turns an agent into what the target format can hold, using only the target's `Format` record
and the tables in `vocab`; `export` renders it and checks that the file reads back to the same agent.
Rules: same-format export is lossless; tool permissions are never widened (a restriction the target
cannot express exactly becomes the closest narrower one); every drop or approximation is a `Loss`.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from agentkit import formats, permissions, vocab
from agentkit.errors import AgentkitError
from agentkit.formats.base import Format
from agentkit.formats.fields import FILE_STEM_LIMIT, SAFE_STEM, SPELLINGS, file_stem, is_set, slug
from agentkit.frontmatter import comment_lines
from agentkit.model import Agent, Origin


@dataclass(frozen=True)
class Loss:
    """Something the target cannot hold as the source had it.

    kind: ``dropped`` (not written), ``narrowed`` (tools restricted further than the source did),
    ``approximated`` (written in the target's nearest terms), ``moved`` (kept, elsewhere in the file).
    """

    field: str
    kind: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"field": self.field, "kind": self.kind, "message": self.message}


@dataclass(frozen=True)
class Exported:
    source: str
    format: str
    path: str  # relative to the output root, with `/`
    text: str
    losses: tuple[Loss, ...]
    agent: Agent  # what was written, as the target holds it
    # What the written file lets the agent do that its source does not (`permissions.wider`): the
    # target has no setting that narrow. Such a file is written only when the user allows it.
    widened: tuple[str, ...] = ()


# Attributes every agent target either holds or reports, in report order, with their names for people.
_OPTIONAL = (
    ("color", "color"),
    ("skills", "skills"),
    ("background", "background"),
    ("triggers", "triggers"),
    ("handoffs", "handoffs"),
    ("globs", "globs"),
    ("always_apply", "alwaysApply"),
)


def export(agent: Agent, fmt: str, keep_hidden: bool = False, allow_wider: bool = False, template: Origin | None = None) -> Exported:
    """`agent` as a file of `fmt`. Invisible and direction-changing characters are removed (and
    reported) unless `keep_hidden`: they are how instructions get smuggled past a reviewer.

    The written text is read back as the target reads it and its permissions compared with the
    source's: whatever it would allow beyond them is in `widened` (and, with `allow_wider`, reported as
    a `widened` loss); a caller writes such a file only when the user allowed it.

    `template`: a file of `fmt` this one replaces (sync's earlier output, or the original init imported):
    the file is written as an edit of it, keeping its comments and spellings where the values agree."""
    from agentkit.reader import display_name, read_frontmatter
    from agentkit.writer import refuse_empty, refuse_non_agent, render_with_frontmatter

    spec = formats.get(fmt)
    refuse_non_agent(agent)
    refuse_empty(agent)  # before `adapt` fills in a name and a description from the path
    source = permissions.grants(agent)  # what the file as read allows: the output may never allow more
    cleaned, losses = clean(agent, keep_hidden)  # first, so that a name is judged as it will be written
    adapted, adapted_losses = adapt(cleaned, spec, permissions.grants(cleaned) if cleaned is not agent else source)
    losses += adapted_losses
    text, frontmatter = render_with_frontmatter(adapted, spec.name, template)  # read back by the writer
    refuse_empty(adapted, text, spec.title)
    path = output_path(adapted, spec)
    if formats.detect(path, frontmatter) != spec.name:  # the guard: what the writer names, the reader must know
        raise AgentkitError("misread-name", f"{path} would be read back as another format than {spec.name} (agentkit bug; please report it)", agent.path)
    stem = display_name(adapted)
    stem = stem if SAFE_STEM.fullmatch(stem) else slug(stem) or "agent"
    if len(stem) > FILE_STEM_LIMIT:
        losses.append(Loss("file name", "approximated", f"a {len(stem)}-character name; file name shortened to {path.rsplit('/', 1)[-1]} "
                                                        f"(at most {FILE_STEM_LIMIT} characters, ending with a hash of the whole name)"))
    written = read_frontmatter(frontmatter, path, spec.name)
    widened = permissions.wider(permissions.grants(written), source)
    if widened and allow_wider:
        why = "written because it was allowed (--allow-wider, or allow-wider in agentkit.toml)"
        losses += [Loss("permissions", "widened", f"{extra}: {spec.title}s have no narrower setting; {why}") for extra in widened]
    return Exported(agent.path, spec.name, path, text, tuple(losses), adapted, widened)


def export_many(paths: list[str], targets: list[str], fmt: str | None = None, keep_hidden: bool = False,
                allow_wider: bool = False) -> list[list[Exported | AgentkitError] | AgentkitError]:
    """Each file read and exported to every target, in input order: per file, the error it was refused
    with, or one Exported (or the error of that target) per target. Many files go through a process
    pool (`agentkit.pool`): reading and emitting are both pure Python, and each file is read once."""
    from functools import partial

    from agentkit import reader, writer  # noqa: F401  # imported once here, not once per worker: they fork with them
    from agentkit.pool import map_files

    return map_files(partial(_export_file, targets=targets, fmt=fmt, keep_hidden=keep_hidden, allow_wider=allow_wider), paths)


def _export_file(path: str, targets: list[str], fmt: str | None, keep_hidden: bool, allow_wider: bool) -> list[Exported | AgentkitError]:
    from agentkit.reader import read
    from agentkit.writer import refuse_empty, refuse_non_agent

    agent = read(path, fmt, analyze=False).agent
    refuse_non_agent(agent)  # once per input, not once per target: one line for a skill, however many targets
    refuse_empty(agent)
    done: list[Exported | AgentkitError] = []
    for target in targets:
        try:
            done.append(export(agent, target, keep_hidden, allow_wider))
        except AgentkitError as exc:
            done.append(exc)
    return done


def clean(agent: Agent, keep_hidden: bool = False) -> tuple[Agent, list[Loss]]:
    """`agent` without what no file agentkit writes may hold (`agentkit.cleaning`), and the losses to
    report: every command that writes cleans its agents here."""
    from agentkit.cleaning import clean as clean_agent

    cleaned = clean_agent(agent, keep_hidden)
    return cleaned.agent, [Loss(field, "dropped", message) for field, message in cleaned.notes()]


def output_path(agent: Agent, spec: Format) -> str:
    """`<directory>/<name><suffix>` with a sanitized name that cannot leave the output root, at most
    FILE_STEM_LIMIT characters before the suffix (`file_stem`): a long name cannot make an unwritable path."""
    from agentkit.reader import display_name

    name = display_name(agent)
    folder = spec.directory if spec.directory is not None else ""
    path = f"{folder}/{file_stem(name)}{spec.suffix}".lstrip("/")
    for stem in (slug(name) or "agent", f"{slug(name) or 'agent'}-agent"):
        if formats.reads_back_as(path, spec.name):
            break
        # A name whose file another format claims (`x.agent` as a Cursor agent, `copilot-instructions`
        # as a Claude one): slugged, then with `-agent` added, so it reads back as what it is.
        path = f"{folder}/{file_stem(stem)}{spec.suffix}".lstrip("/")
    return path


def adapt(agent: Agent, spec: Format, source: permissions.Grants | None = None) -> tuple[Agent, list[Loss]]:
    """`agent` as `spec` can hold it, with every loss; `source`: the agent's grants, when already known."""
    losses: list[Loss] = []
    changes: dict[str, Any] = _identity(agent, spec, losses)  # a name the tool rejects is fixed even in its own format
    for field in spec.fields:  # what the writer completes so the tool keeps it (a Copilot handoff's prompt), even in its own format
        message = field.notice(getattr(agent, field.attr)) if field.notice and is_set(getattr(agent, field.attr)) else None
        if message:
            losses.append(Loss(field.key, "approximated", message))
    if agent.format == spec.name:
        return dataclasses.replace(agent, **changes), losses  # otherwise lossless: unknown keys pass through
    comments = comment_lines(agent.origin.frontmatter) if agent.origin and agent.origin.frontmatter else 0
    if comments:
        where = f"{agent.format}'s frontmatter" if formats.get(agent.format).parse_text is None else f"the {agent.format} file"
        losses.append(Loss("comments", "dropped", f"{comments} comment line(s) in {where}: a {spec.title} file is "
                                                  "written afresh, and comments are not part of any value"))
    changes.update(_model(agent, spec, losses))
    source = source or permissions.grants(agent)
    changes.update(_tools(agent, spec, losses, source))
    described = changes.get("description", agent.description)
    if spec.examples_in_description and not agent.examples and described and "<example>" in described:
        # The target reads `<example>` blocks (and literal `\n`s beside them) out of a description where
        # the source format did not: read them so here too, so the file is written as it will be read back.
        from agentkit.examples import split_examples

        changes["description"], changes["examples"] = split_examples(described.replace("\\n", "\n"))
    for attr, label in _OPTIONAL:
        value = getattr(agent, attr)
        if is_set(value, attr == "globs") and not spec.supports(attr):
            changes[attr] = None if attr in ("background", "always_apply", "globs") else ()
            losses.append(Loss(label, "dropped", f"{_show(value)}: {spec.title}s have no `{label}`"))
    changes["passthrough"] = _passthrough(agent, spec, losses)
    if spec.body_key in spec.required and not agent.body.strip():
        # Codex refuses an agent without instructions: its description says what it is for.
        from agentkit.reader import display_name

        stand_in = (changes.get("description") or agent.description or display_name(agent) or "").strip()
        changes["body"] = stand_in
        losses.append(Loss(spec.body_key or "body", "approximated", f"no instructions: {spec.title}s require them; the description is used"))
    if spec.permission_passthrough is not None:  # what the format says in a key of its own (Codex's web_search)
        own = spec.permission_passthrough(source.allows(vocab.WEB_SEARCH))
        if own:
            changes["passthrough"] = {**changes["passthrough"], spec.name: {**changes["passthrough"].get(spec.name, {}), **own}}
    if agent.examples and not spec.supports("examples") and not spec.examples_in_description:
        losses.append(Loss("examples", "moved", f"{len(agent.examples)} <example> block(s) moved from the description into a \"When to use\" body section"))
    return dataclasses.replace(agent, **changes, format=agent.format), losses


def _show(value: Any, width: int = 90) -> str:
    if isinstance(value, tuple):
        text = ", ".join(getattr(v, "agent", None) or str(v) for v in value)
    else:
        text = str(value).lower() if isinstance(value, bool) else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _identity(agent: Agent, spec: Format, losses: list[Loss]) -> dict[str, Any]:
    from agentkit.reader import display_name

    changes: dict[str, Any] = {}
    if spec.supports("name"):
        name = display_name(agent)
        if spec.name_pattern and name and not spec.name_pattern.match(name):
            fixed = slug(name) or "agent"
            changes["name"] = fixed
            losses.append(Loss("name", "approximated", f"{name!r} is not a valid {spec.title} name; wrote {fixed!r}"))
        elif agent.name is None and "name" in spec.required:
            changes["name"] = slug(name) or "agent"
    description = agent.description
    if description and not spec.supports("description"):
        changes["description"] = None
        losses.append(Loss("description", "dropped", f"{spec.title}s have no description"))
    elif description and spec.one_line_description and "\n" in description:
        changes["description"] = " ".join(description.split())
        losses.append(Loss("description", "approximated", f"{spec.title}s read single-line descriptions only; line breaks became spaces"))
    elif not description and "description" in spec.required:
        # The tool skips an agent without one; the body's opening sentence is the honest stand-in.
        changes["description"] = summary_of(agent)
        losses.append(Loss("description", "approximated", f"no description, which {spec.title}s require; wrote the body's first sentence"))
    if spec.colors and agent.color and agent.color not in spec.colors:
        nearest = vocab.COLOR_SYNONYMS.get(agent.color.lower())
        changes["color"] = nearest
        if nearest:
            losses.append(Loss("color", "approximated", f"`{agent.color}` is not in the {spec.title} palette; wrote `{nearest}`"))
        else:
            losses.append(Loss("color", "dropped", f"`{agent.color}` is not in the {spec.title} palette"))
    return changes


def summary_of(agent: Agent, limit: int = 200) -> str:
    """First sentence of the first paragraph, in plain text: a description for an agent without one."""
    from agentkit.markdown import parse_sections, plain_text
    from agentkit.reader import display_name

    sections = agent.sections or parse_sections(agent.body)  # read without sections: parse them now
    paragraph = next((i.text for s in sections for i in s.items if i.kind in ("paragraph", "bullet", "step")), "")
    text = plain_text(paragraph)
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0] if text else ""
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
    return sentence or f"{display_name(agent) or 'Agent'} agent"


def _model(agent: Agent, spec: Format, losses: list[Loss]) -> dict[str, Any]:
    model = agent.model
    if not model or spec.model_vocab == "any":
        return {}
    if spec.model_vocab is None or not spec.supports("model"):
        losses.append(Loss("model", "dropped", f"`{model}`: {spec.title}s have no model"))
        return {"model": None}
    mapped = vocab.model_for(model, spec.model_vocab)
    if mapped is None:
        losses.append(Loss("model", "dropped", f"`{model}` has no {spec.title} equivalent; the tool's default model applies"))
    elif mapped != model:
        losses.append(Loss("model", "approximated", f"`{model}` written as `{mapped}`"))
    return {"model": mapped}


_PERMISSION_ATTRS = ("tools", "disallowed_tools", "readonly", "permission_mode", "subagents", "user_invocable", "model_invocable")


def _tools(agent: Agent, spec: Format, losses: list[Loss], source: permissions.Grants) -> dict[str, Any]:
    """What the agent may do, in the target's terms: exactly where the target can say it, else the nearest
    narrower setting (reported), never a wider one. `export` then checks the written file against the
    source with `permissions.wider`, so a mistake here cannot widen an agent silently."""
    changes: dict[str, Any] = {attr: None for attr in _PERMISSION_ATTRS}
    if source.unknown:
        losses.append(Loss("tools", "dropped", f"{_show(source.unknown)}: not {formats.get(agent.format).title} tool names: they grant nothing, and no other format gets them"))
    vocabulary = spec.tool_vocab
    if vocabulary == "readonly":
        return changes | _readonly_switch(agent, source, spec, losses)
    if vocabulary is None or not spec.supports("tools"):
        if permissions.restricts(agent, source) or agent.tools is not None:
            losses.append(Loss("tools", "dropped", f"{spec.title}s carry no permissions: the guidance runs with whatever the agent that reads it may do"))
        return changes
    order = vocab.ordered_atoms(agent.tools or (), permissions.vocabulary_of(agent))
    everything = agent.tools is None or vocab.atoms(agent.tools, permissions.vocabulary_of(agent)).everything
    allow: frozenset[str] | None = None if everything else frozenset(order)
    if allow is not None and source.tools is not None:
        allow |= source.tools - allow  # granted by another key of the source (Codex's web_search beside its sandbox)
    mode = agent.permission_mode
    if agent.readonly and not spec.supports("readonly"):
        allow = permissions.read_only(allow)
        losses.append(Loss("readonly", "approximated", f"readonly: true written as the read-only tools {_show(names_in(allow, vocabulary))}"))
    if mode and not spec.supports("permission_mode"):
        rank = permissions.MODE_RANK.get(mode.strip())
        if mode.strip() == "plan":
            allow = permissions.read_only(allow)
            losses.append(Loss("permissionMode", "approximated", f"plan (read-only) written as the read-only tools {_show(names_in(allow, vocabulary))}"))
        elif rank is not None and rank > 1:
            losses.append(Loss("permissionMode", "narrowed", f"{mode}: {spec.title}s have no permission modes; the tool asks as it does by default"))
        elif rank is not None and rank < 1:
            losses.append(Loss("permissionMode", "dropped", f"{mode}: {spec.title}s have no permission modes, and none is as strict"))
        mode = None
    if allow is not None:
        allow = frozenset(a for a in allow if source.allows(a))  # a listed tool the source also denies is not granted
    denied = permissions.denied_atoms(agent)
    if denied and not spec.supports("disallowed_tools"):
        # A denylist the target cannot hold becomes an allowlist without those tools: never wider.
        allow = frozenset(a for a in (allow if allow is not None else frozenset(vocab.CLAUDE_CORE)) if source.allows(a))
        losses.append(Loss("disallowedTools", "narrowed", f"{_show(agent.disallowed_tools or ())}: {spec.title}s have no denylist; wrote an allowlist without them"))
        denied = frozenset()
    subagents = source.subagents
    if subagents is not None and not spec.supports("subagents") and source.allows("Agent"):
        if spec.subagents_in_tools and subagents:
            if allow is None:  # `Agent(a, b)` needs a list: the core tools, narrower than every tool
                allow = frozenset(a for a in vocab.CLAUDE_CORE if source.allows(a))
                called = ", ".join(sorted(subagents))
                losses.append(Loss("tools", "narrowed", f"every tool, subagents {called}: written as Claude's core tools with Agent({called}); other tools (MCP) left out"))
        elif allow is None or "Agent" in allow:
            allow = frozenset(a for a in (allow if allow is not None else vocab.CLAUDE_CORE) if a != "Agent" and source.allows(a))
            losses.append(Loss("subagents", "narrowed", f"{_show(tuple(sorted(subagents))) or 'none'}: {spec.title}s cannot limit which subagents it calls; left out the agent tool"))
    if allow is not None:
        mapped = vocab.names_for(allow, vocabulary or vocab.ANY, subagents if spec.subagents_in_tools else None, order)
        if mapped.dropped:
            losses.append(Loss("tools", "narrowed", f"{_show(mapped.dropped)}: no {spec.title} equivalent that is not broader; left out"))
        if allow and not mapped.tools:
            losses.append(Loss("tools", "narrowed", f"no tool of {_show(agent.tools or ())} maps; the agent gets an empty tool list, not every tool"))
        changes["tools"] = mapped.tools
    if denied:
        order = vocab.ordered_atoms(agent.disallowed_tools or (), permissions.vocabulary_of(agent))
        mapped, more = vocab.names_denying(denied, vocabulary or vocab.ANY, order)
        if more:
            losses.append(Loss("disallowedTools", "narrowed", f"{_show(names_in(denied, vocab.PIVOT))}: {spec.title}s deny them only with "
                                                              f"{_show(names_in(more, vocab.PIVOT))} too"))
        if mapped.dropped:
            # A denial the target has no name for (a Claude command pattern in OpenCode): the whole tool
            # it is part of is denied instead. Narrower, and said; never a denial silently lost.
            whole = frozenset(vocab.lineage(a)[1] if len(vocab.lineage(a)) > 1 else a for a in denied)  # the next whole up: Bash, an MCP server
            losses.append(Loss("disallowedTools", "narrowed", f"{_show(mapped.dropped)}: {spec.title}s cannot deny that part alone; denied "
                                                              f"{_show(names_in(whole - denied, vocabulary))} entirely"))
            mapped = vocab.names_denying(denied | whole, vocabulary or vocab.ANY, order)[0]
        changes["disallowed_tools"] = mapped.tools or None
    changes["permission_mode"] = mode
    changes["readonly"] = agent.readonly if spec.supports("readonly") else None
    if spec.supports("subagents") and subagents is not None:
        # The author's spellings where the source had a list (Copilot matches names as written).
        own = tuple(n for n in agent.subagents or () if permissions.agent_id(n) in subagents)
        changes["subagents"] = own if len(own) == len(subagents) else tuple(sorted(subagents))
    for attr, key in (("user_invocable", "user-invocable"), ("model_invocable", "disable-model-invocation")):
        value = getattr(agent, attr)
        if value is None:
            continue
        if spec.supports(attr):
            changes[attr] = value
        else:
            # `user-invocable: false` only hides it from people; `disable-model-invocation` `export` refuses.
            losses.append(Loss(key, "dropped", f"{_show(value if attr == 'user_invocable' else not value)}: {spec.title}s have no `{key}`"))
    return changes


def names_in(atoms: frozenset[str] | None, vocabulary: str | None) -> tuple[str, ...]:
    return vocab.names_for(atoms or frozenset(), vocabulary or vocab.ANY).tools


def _readonly_switch(agent: Agent, source: permissions.Grants, spec: Format, losses: list[Loss]) -> dict[str, Any]:
    """Cursor subagents have one switch: read-only or everything. Anything short of everything is read-only,
    which `export` then refuses where read-only still allows more than the source (Read alone, no tools)."""
    if not permissions.restricts(agent, source):
        return {"readonly": agent.readonly if agent.readonly is not None and spec.supports("readonly") else None}
    effective = permissions.effective_tools(source)
    shown = _show(names_in(effective, vocab.PIVOT)) if effective is not None else "every tool but " + _show(names_in(source.denied, vocab.PIVOT))
    if all(source.allows(t) for t in vocab.READ_ONLY_CLAUDE) and (effective is None or effective <= permissions.read_only(None)):
        losses.append(Loss("tools", "approximated", f"{shown} written as readonly: true"))
    elif any(not t.startswith(tuple(vocab.READ_ONLY_CLAUDE)) for t in effective or {"Bash"}):
        losses.append(Loss("tools", "narrowed", f"{shown or 'no tools'}: {spec.title}s cannot grant these without granting every tool; wrote readonly: true"))
    return {"readonly": True}


def _passthrough(agent: Agent, spec: Format, losses: list[Loss]) -> dict[str, dict[str, Any]]:
    if spec.name == formats.CANONICAL:
        # The canonical file carries every format's keys (not their spellings of modelled values).
        kept_all = {k: {key: val for key, val in v.items() if key != SPELLINGS} for k, v in agent.passthrough.items()}
        return {k: v for k, v in kept_all.items() if v}
    kept: dict[str, dict[str, Any]] = {}
    for fmt, keys in agent.passthrough.items():
        if fmt == spec.name:
            kept[fmt] = dict(keys)  # e.g. from a canonical file that carried this format's keys
            continue
        for key in keys:
            if key == SPELLINGS:
                continue
            losses.append(Loss(key, "dropped", f"`{key}` ({fmt}) has no {spec.title} equivalent"))
    return kept
