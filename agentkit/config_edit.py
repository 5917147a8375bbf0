"""Write a person's merge decisions into `agentkit.toml` (or `[tool.agentkit]` in `pyproject.toml`),
keeping the file's comments and layout: tomlkit edits the document in place, where a TOML writer
would re-emit it.

Decisions go into the `[[agents]]` table the merge comes from, when one does; otherwise under
`[merge]`, for every agent. A configuration that does not exist yet is created with an `[[agents]]`
table for the merge, so that `agentkit sync` builds the same agent with the same decisions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from agentkit.config import TOOL_TABLE

HEADER = ("agentkit sync configuration, written by `agentkit merge --review`.\n"
          "The decisions below are applied on every `agentkit sync`; edit them here.")


@dataclass(frozen=True)
class NewAgent:
    """The `[[agents]]` table a new configuration starts with: the merge as it was run."""

    name: str
    sources: tuple[str, ...]  # relative to the configuration's folder
    formats: tuple[str, ...]


def with_decisions(text: str | None, pyproject: bool, agent: int | None, fold: Sequence[tuple[str, str]],
                   apart: Sequence[tuple[str, str]], new_agent: NewAgent | None = None) -> str:
    """The configuration's text with the decided pairs added (each once; a pair already there is left
    as it is). `agent`: the index of the `[[agents]]` table the merge comes from, None for `[merge]`;
    `text` None: a new file, holding `new_agent`."""
    import tomlkit

    doc = tomlkit.parse(text) if text is not None else _new(new_agent)
    root: Any = doc
    if pyproject:
        root = doc.setdefault("tool", tomlkit.table(is_super_table=True)).setdefault(TOOL_TABLE, tomlkit.table())
    if text is None and new_agent is not None:
        table = root["agents"][0]
    elif agent is not None:
        table = root["agents"][agent]
    else:
        table = root.setdefault("merge", tomlkit.table())
    for key, pairs in (("fold", fold), ("apart", apart)):
        if not pairs:
            continue
        have = table.setdefault(key, tomlkit.array())
        have.multiline(True)  # one pair a line: a diff of the file shows each decision
        known = {frozenset(str(x) for x in entry) for entry in have}
        for a, b in pairs:
            if frozenset((a, b)) not in known:
                have.append([a, b])
                known.add(frozenset((a, b)))
    return tomlkit.dumps(doc)


def _new(agent: NewAgent | None) -> Any:
    import tomlkit

    doc = tomlkit.document()
    for line in HEADER.split("\n"):
        doc.add(tomlkit.comment(line))
    if agent is not None:
        table = tomlkit.table()
        table.add("name", agent.name)
        table.add("sources", list(agent.sources))
        table.add("formats", list(agent.formats))
        agents = tomlkit.aot()
        agents.append(table)
        doc.add("agents", agents)
    return doc
