"""agentkit's own agent file: Markdown with YAML frontmatter that holds everything the model holds,
including every other format's passthrough keys, so `merge` can write it and every command read it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agentkit.formats.base import Format
from agentkit.formats.fields import (
    SPELLINGS,
    Field,
    as_bool,
    as_handoffs,
    as_list,
    as_str,
    handoffs_yaml,
    identity,
    yaml_list,
)
from agentkit.model import Example

VERSION = 1


def as_examples(value: Any) -> tuple[Example, ...]:
    if not isinstance(value, list):
        raise ValueError("expected a list of example texts")
    return tuple(Example(str(v).strip()) for v in value if v is not None and str(v).strip())


def examples_yaml(examples: tuple[Example, ...]) -> list[str]:
    return [e.text for e in examples]


def as_passthrough(value: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise ValueError("expected a mapping of format name to keys")
    return {str(k): dict(v) for k, v in value.items()}


def passthrough_yaml(value: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    # The canonical format's own unknown keys are written at top level, not nested here.
    out = {k: {key: val for key, val in v.items() if key != SPELLINGS} for k, v in value.items() if k != "agentkit"}
    return {k: v for k, v in out.items() if v}


FORMAT = Format(
    name="agentkit",
    title="agentkit canonical agent",
    fields=(
        Field("name", "name", as_str, identity),
        Field("description", "description", as_str, identity),
        Field("examples", "examples", as_examples, examples_yaml),
        Field("model", "model", as_str, identity),
        Field("tools", "tools", as_list, yaml_list, empty_means_none=True, strict=True),
        Field("disallowed-tools", "disallowed_tools", as_list, yaml_list, empty_means_none=True, strict=True),
        Field("permission-mode", "permission_mode", as_str, identity, strict=True),
        Field("subagents", "subagents", as_list, yaml_list, empty_means_none=True, strict=True),
        Field("user-invocable", "user_invocable", as_bool, identity, strict=True),
        Field("model-invocable", "model_invocable", as_bool, identity, strict=True),
        Field("color", "color", as_str, identity),
        Field("skills", "skills", as_list, yaml_list),
        Field("handoffs", "handoffs", as_handoffs, handoffs_yaml),
        Field("triggers", "triggers", as_list, yaml_list),
        Field("readonly", "readonly", as_bool, identity, strict=True),
        Field("background", "background", as_bool, identity),
        Field("globs", "globs", as_list, yaml_list, empty_means_none=True),
        Field("always-apply", "always_apply", as_bool, identity),
        Field("passthrough", "passthrough", as_passthrough, passthrough_yaml),
    ),
    header={"agentkit": VERSION},
    description_limit=None,
    directory="",
    tool_vocab="any",
    model_vocab="any",
    aliases=("canonical",),
    file_names=("*.agentkit.md",),
    signals=frozenset({"agentkit"}),
    signal_rank=0,
)
