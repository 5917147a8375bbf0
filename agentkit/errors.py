"""agentkit's one error type. The CLI maps it to a one-line message and exit code 2."""

from __future__ import annotations


class AgentkitError(Exception):
    """Input agentkit refuses (or cannot write), with the file and, where known, the 1-based line.

    `reason` is a stable code (``empty``, ``binary``, ``undecodable``, ``too-large``,
    ``unterminated-frontmatter``, ``frontmatter-not-mapping``, ``unsupported-format``, ...).
    """

    def __init__(self, reason: str, message: str, path: str = "", line: int | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.path = path
        self.line = line

    def __reduce__(self) -> tuple[type[AgentkitError], tuple[str, str, str, int | None]]:
        # Sent back from the worker processes of `agentkit.pool` whole (the default would keep only the message).
        return (type(self), (self.reason, self.message, self.path, self.line))

    def to_json(self) -> dict[str, object]:
        """The one JSON shape of an error, in every command's `--json`."""
        return {"path": self.path, "error": {"reason": self.reason, "message": self.message, "line": self.line}}

    def __str__(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"
