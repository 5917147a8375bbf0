"""agentkit: read, repair, merge, diff and export the instruction files that steer AI coding agents.

The public API is imported lazily so that `agentkit --help` does not pay for YAML, ftfy or Markdown.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["read", "read_bytes", "render", "AgentkitError"]


def __getattr__(name: str) -> Any:
    if name in ("read", "read_bytes"):
        from agentkit import reader

        return getattr(reader, name)
    if name == "render":
        from agentkit.writer import render

        return render
    if name == "AgentkitError":
        from agentkit.errors import AgentkitError

        return AgentkitError
    raise AttributeError(name)
