"""Writing files safely: atomically, never through a symlink, never outside the directory given."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from agentkit.errors import AgentkitError


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 text so that readers see the old file or the new one, never half of either.

    Every OSError (a name too long, no permission, a full disk) is an AgentkitError for this file."""
    from agentkit.text import strip_control

    target = Path(path)
    if not text.strip() or strip_control(text)[1]:  # what `agentkit.read` would refuse or change: never written
        what = "an empty file" if not text.strip() else "a control character"
        raise AgentkitError("unwritable", f"refusing to write {what} (agentkit bug; please report it)", str(target))
    folder = target.parent
    try:
        if target.is_symlink():
            raise AgentkitError("symlink", "refusing to write through a symbolic link", str(target))
        if target.is_dir():
            raise AgentkitError("is-directory", "output path is a directory", str(target))
        folder.mkdir(parents=True, exist_ok=True)
        # Cut: a name near the file system's limit must not make the temporary name too long.
        fd, temp = tempfile.mkstemp(prefix=f".{target.name[:120]}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise AgentkitError("unwritable", f"cannot write here: {exc.strerror or exc}", str(target)) from None
    try:
        # Atomic against a failing or killed agentkit (the rename is all or nothing); no fsync, which
        # would cost a disk flush per file and only guards against power loss.
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise AgentkitError("unwritable", f"cannot write: {exc.strerror or exc}", str(target)) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def read_existing(path: str | os.PathLike[str]) -> str | None:
    """The text of a regular file already at `path` (None when there is none), newlines untouched."""
    target = Path(path)
    try:
        if target.is_symlink() or not target.is_file():
            return None
        with open(target, encoding="utf-8", errors="replace", newline="") as handle:
            return handle.read()
    except OSError as exc:  # e.g. a name too long for the file system: one line for this file
        raise AgentkitError("unwritable", f"cannot check the existing file: {exc.strerror or exc}", str(target)) from None


def write_output(path: str | os.PathLike[str], text: str, force: bool = False) -> str:
    """Write `text` unless an existing file differs and `force` is off. Returns created/updated/unchanged."""
    old = read_existing(path)
    if old == text:
        return "unchanged"
    if old is not None and not force:
        raise AgentkitError("exists", f"{path} exists and differs; use --force to overwrite or --check to see the diff", str(path))
    write_atomic(path, text)
    return "created" if old is None else "updated"


def inside(root: str | os.PathLike[str], path: str | os.PathLike[str]) -> bool:
    """True when `path` resolves to a place under `root` (symlinks in between followed)."""
    base = Path(root).resolve()
    resolved = Path(path).resolve()
    return resolved == base or base in resolved.parents
