"""Other tools' agent folders (formats-update.md, "Other agent tools", checked 2026-12-02). Their files
look like Claude subagents, but their tools read tool names and keys agentkit does not model one by
one, so a conversion could not promise "never wider": agentkit reads and checks them (common keys, the
rest kept as they are) and refuses to turn them into another tool's agents."""

from __future__ import annotations

from agentkit.formats.base import Format, Place
from agentkit.formats.instructions import GENERIC


def _foreign(name: str, title: str, *places: Place) -> Format:
    return Format(
        name=name,
        title=title,
        fields=GENERIC.fields,
        examples_in_description=True,
        description_limit=None,
        tool_vocab=GENERIC.tool_vocab,
        permission_keys=GENERIC.permission_keys,
        kind="foreign-agent",
        places=places,
    )


FOREIGN = (
    _foreign("antigravity", "Antigravity agent", Place(".agents/agents", recursive=True), Place(".agent/agents", recursive=True)),
    _foreign("qwen", "Qwen Code subagent", Place(".qwen/agents", recursive=True)),
    _foreign("kiro", "Kiro agent", Place(".kiro/agents", recursive=True)),
    _foreign("junie", "Junie agent", Place(".junie/agents", recursive=True)),
    _foreign("cline", "Cline agent", Place(".cline/agents", recursive=True)),
    _foreign("augment", "Augment agent", Place(".augment/agents", recursive=True)),
    _foreign("devin", "Devin agent", Place(".devin/agents", recursive=True)),
)
