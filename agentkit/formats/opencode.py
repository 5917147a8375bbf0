"""OpenCode agents: `.opencode/agents/**/*.md` or `.opencode/agent/**/*.md` (formats.md §6.6;
opencode.ai/v1/docs/agents and permissions; anomalyco/opencode packages/core/src/v1/config/agent.ts and
permission.ts, checked 2026-12-05). The name comes from the file's path; a `name` key overrides it.

What an agent may do is its `permission` map, last matching rule winning: with `"*": deny` the rules
after it are an allowlist, otherwise its denials a denylist; the deprecated `tools` map (false: off)
denies too. Written as `{"*": deny, read: allow, ...}` for an allowlist and `{bash: deny}` for a
denylist, in OpenCode's names (agentkit.vocab.OPENCODE_TABLE), never granting more than the agent may.
OpenCode V2's native format (`permissions` list, `shell`) is not modelled; V2 reads these V1 files."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from agentkit.formats.base import Format, Place
from agentkit.formats.fields import Field, as_denied_permissions, as_list, as_str, identity, star_rule

_GRANTING = ("allow", "ask")  # `ask` still lets the agent do it, once a person agrees


def _permission_read(value: Any) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """`permission` -> (allowlist, denylist), None for "not set"."""
    if isinstance(value, str):
        action = value.strip().lower()
        if action == "deny":
            return (), None  # one action for everything: nothing allowed
        if action in _GRANTING:
            return None, None
        raise ValueError(f"expected allow, ask or deny, found {value!r}")
    if not isinstance(value, dict):
        raise ValueError(f"expected a map of tools to allow, ask or deny, found {type(value).__name__}")
    star, after = star_rule(value)
    if star == "deny":
        # Only plain allow/ask rules after it grant: a command map under a denied `*` grants part of a
        # tool, which is left out (narrower, never wider).
        return tuple(key for key, rule in after if isinstance(rule, str) and rule.strip().lower() in _GRANTING), None
    return None, as_denied_permissions(value) or None


def _permission_write(pair: tuple[tuple[str, ...] | None, tuple[str, ...] | None]) -> dict[str, Any]:
    allow, deny = pair
    out: dict[str, Any] = {}
    if allow is not None:
        out["*"] = "deny"  # first: every rule after it wins over it
        out.update((name, "allow") for name in allow)
    for name in deny or ():
        tool, _, pattern = name.partition("(")
        if pattern:  # `Bash(rm *)`, as agentkit reads `bash: {"rm *": deny}`
            out.setdefault(tool.lower(), {})[pattern[:-1]] = "deny"
        else:
            out[name] = "deny"
    return out


def _tools_map_read(value: Any) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """The deprecated `tools` map: a tool set to false is denied (the rest keep OpenCode's default,
    allowed); a list, as some files write it, is an allowlist."""
    if isinstance(value, dict):
        if not all(isinstance(v, bool) for v in value.values()):
            raise ValueError("expected a map of tool names to true or false")
        return None, tuple(str(k) for k, v in value.items() if not v) or None
    return as_list(value), None


def _tools_map_write(pair: tuple[tuple[str, ...] | None, tuple[str, ...] | None]) -> dict[str, bool] | list[str]:
    allow, deny = pair
    if allow is not None and not deny:
        return list(allow)
    return {**{name: True for name in allow or ()}, **{name: False for name in deny or ()}}


def _name_from_path(path: str) -> str:
    """OpenCode names an agent by its path under `agent/` or `agents/`, without `.md`: `review/security`
    (a `name` key, where a file has one, overrides it)."""
    parts = PurePath(path).parts
    for index in range(len(parts) - 1, -1, -1):
        if parts[index] in ("agent", "agents") and index > 0 and parts[index - 1] == ".opencode":
            inner = "/".join(parts[index + 1:])
            return inner[:-3] if inner.endswith(".md") else inner
    return PurePath(path).stem


FORMAT = Format(
    name="opencode",
    title="OpenCode agent",
    fields=(
        Field("name", "name", as_str, identity),  # overrides the path (the loader spreads the frontmatter over it)
        Field("description", "description", as_str, identity),
        Field("model", "model", as_str, identity),
        # `permission` first: a fresh file says what the agent may do there; a file that uses the
        # deprecated `tools` map keeps it (its spelling).
        Field("permission", "tools", _permission_read, _permission_write, empty_means_none=True, strict=True, also="disallowed_tools"),
        Field("tools", "tools", _tools_map_read, _tools_map_write, empty_means_none=True, strict=True, also="disallowed_tools"),
    ),
    other_keys=frozenset({"mode", "temperature", "top_p", "prompt", "steps", "maxSteps", "hidden", "disable", "color", "variant"}),
    default_name=_name_from_path,
    required=("description",),
    description_limit=None,
    tool_vocab="opencode",
    model_vocab="opencode",
    directory=".opencode/agents",
    places=(Place(".opencode/agents", recursive=True), Place(".opencode/agent", recursive=True)),
)
