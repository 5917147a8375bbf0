"""OpenAI Codex custom agents: one TOML file per agent in `.codex/agents/` (scanned recursively),
`name`, `description` and `developer_instructions` (the instructions: agentkit's body) required.

Checked 2026-12-05 against openai/codex@13730471 `codex-rs/core/src/config/agent_roles.rs` (the loader:
the file is also applied as a config layer, so any `config.toml` key is valid in it) and
`codex-rs/protocol/src/config_types.rs` (value sets); developers.openai.com/codex/subagents.

Codex has no tool list. What an agent may do is its `sandbox_mode` (`read-only`: read files and run
commands that cannot write; `workspace-write`: edit the workspace too; `danger-full-access`: anything)
plus `web_search` (`disabled`, `cached`: the default, `live`): read into the permission model through
the `codex` vocabulary (agentkit.vocab.CODEX_SANDBOX) and the `web` permission key. Without
`sandbox_mode` the agent runs with its parent's sandbox: every tool, as a file without a tool list.

TOML is read with the standard library (strict) and written with tomlkit (a real TOML writer:
valid and deterministic); a Codex file written back as Codex is edited through tomlkit's document, so
what did not change keeps its bytes (comments, quoting, order)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from agentkit.errors import AgentkitError
from agentkit.formats.base import Format, Place
from agentkit.formats.fields import Field, as_str, identity
from agentkit.model import Origin

if TYPE_CHECKING:  # the YAML reader is imported by the commands that read, not by `agentkit --help`
    from agentkit.frontmatter import Frontmatter

BODY_KEY = "developer_instructions"
SANDBOX_MODES = ("read-only", "workspace-write", "danger-full-access")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")
_TABLE = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_-]+)")
_WHERE = re.compile(r"\(at line (\d+), column (\d+)\)")


def as_sandbox(value: Any) -> tuple[str, ...]:
    """`sandbox_mode` -> the one name of the `codex` vocabulary it is; anything else refuses the file."""
    if not isinstance(value, str) or value.strip() not in SANDBOX_MODES:
        raise ValueError(f"expected one of {', '.join(SANDBOX_MODES)}, found {value!r}")
    return (value.strip(),)


def sandbox_value(names: tuple[str, ...]) -> str:
    """The tool names export chose in the `codex` vocabulary: one sandbox mode."""
    return names[0] if names else SANDBOX_MODES[0]


def parse(text: str, path: str) -> Frontmatter:
    """A Codex agent file as the generic reader takes files: the keys as `data` (without the
    instructions), the instructions as the body, each top-level key's line."""
    import tomllib

    from agentkit.frontmatter import Frontmatter

    try:
        data = tomllib.loads(text)
    except RecursionError:  # `a = [[[[…` nested deeper than Python's stack: refused, never a crash
        raise AgentkitError("too-deep", "TOML nested too deeply to read", path) from None
    except tomllib.TOMLDecodeError as exc:
        where = _WHERE.search(str(exc))
        message = _WHERE.sub("", str(exc)).strip()
        raise AgentkitError("bad-toml", f"not valid TOML: {message}", path, int(where.group(1)) if where else None) from None
    lines = text.split("\n")
    key_lines: dict[str, int] = {}
    in_table = False
    for number, line in enumerate(lines, 1):
        table = _TABLE.match(line)
        if table:
            in_table = True
            key_lines.setdefault(table.group(1), number)
        elif not in_table and (key := _KEY.match(line)):
            key_lines.setdefault(key.group(1), number)
    instructions = data.pop(BODY_KEY, None)
    if instructions is not None and not isinstance(instructions, str):
        raise AgentkitError("bad-toml", f"`{BODY_KEY}` must be text", path, key_lines.get(BODY_KEY))
    body = instructions or ""
    start = key_lines.get(BODY_KEY, len(lines))
    opener = lines[start - 1].rstrip() if BODY_KEY in key_lines else ""
    body_line = start + 1 if opener.endswith(('"""', "'''")) else start  # a newline after """ is not part of the text
    return Frontmatter(data=data, body=body, body_line=body_line, key_lines=key_lines, recovered=False, repairs=(),
                       warnings=(), lines=tuple(lines), first_line=1)


def _instructions(body: str) -> Any:
    """The body as a multi-line TOML string starting on the line after its quotes: literal (`'''`, no
    escapes, the text as written) where it can be, else basic (tomlkit escapes it)."""
    import tomlkit
    from tomlkit.items import String, StringType, Trivia

    text = body + "\n" if body else ""
    if "'''" not in text and not any(ord(c) < 32 and c not in "\n\t" or c == "\x7f" for c in text):
        return String(StringType.MLL, text, "\n" + text, Trivia())  # TOML drops the newline after the quotes
    return tomlkit.string(text, multiline=True)


def render(data: dict[str, Any], body: str, origin: Origin | None) -> tuple[str, dict[str, Any]]:
    """`data` and `body` as a Codex agent file, and the mapping it reads back to (checked: the text is
    parsed again). Over `origin` (a Codex file), only the keys whose values changed are rewritten."""
    import tomlkit

    from agentkit.writer import says_the_same  # the rule every same-format edit keeps a spelling on

    document = None
    if origin is not None and origin.frontmatter is not None and origin.frontmatter.lines:
        try:
            document = tomlkit.parse("\n".join(origin.frontmatter.lines))
        except Exception:  # noqa: BLE001 - tomlkit raises several types; a file it cannot edit is written fresh
            document = None
    if document is None:
        document = tomlkit.document()
        # Codex requires these three; the instructions come after the short keys, the tables last.
        ordered = {k: v for k, v in data.items() if not isinstance(v, dict)}
        ordered[BODY_KEY] = None
        ordered.update({k: v for k, v in data.items() if isinstance(v, dict)})
        for key, value in ordered.items():
            document[key] = _instructions(body) if key == BODY_KEY else value
    else:
        old = document.unwrap()
        for key in [k for k in old if k != BODY_KEY and k not in data]:
            del document[key]
        for key, value in data.items():
            if key not in old or not says_the_same(FORMAT, key, old[key], value):
                document[key] = value
        if (old.get(BODY_KEY) or "").strip("\n") != body.strip("\n"):
            document[BODY_KEY] = _instructions(body)
    text = tomlkit.dumps(document)
    text = text if text.endswith("\n") else text + "\n"
    import tomllib

    loaded = tomllib.loads(text)  # the strict re-read: what the file holds is what Codex reads
    loaded.pop(BODY_KEY, None)
    return text, loaded


def web_search_key(allows_web_search: bool) -> dict[str, Any]:
    """What export writes beside the sandbox: web search is on in every sandbox unless disabled."""
    return {} if allows_web_search else {"web_search": "disabled"}


FORMAT = Format(
    name="codex",
    title="Codex custom agent",
    fields=(
        Field("name", "name", as_str, identity),
        Field("description", "description", as_str, identity),
        Field("model", "model", as_str, identity),
        Field("sandbox_mode", "tools", as_sandbox, sandbox_value, strict=True),
    ),
    other_keys=frozenset({
        "model_reasoning_effort", "nickname_candidates", "web_search", "mcp_servers", "skills", "approval_policy",
        "sandbox_workspace_write", "model_provider", "profile", "model_reasoning_summary", "model_verbosity",
        "personality", "features", "tools", "hooks", "instructions", "model_instructions_file",
    }),
    required=("name", "description", BODY_KEY),
    description_limit=None,
    suffix=".toml",
    directory=".codex/agents",
    tool_vocab="codex",
    model_vocab="codex",
    permission_keys={"mcp_servers": "mcp", "hooks": "hooks", "web_search": "web"},
    places=(Place(".codex/agents", ".toml", recursive=True),),
    body_key=BODY_KEY,
    parse_text=parse,
    render_text=render,
    permission_passthrough=web_search_key,
    comment=("#", ""),
)
