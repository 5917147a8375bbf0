"""The output layer: every file agentkit writes is planned here, then checked (nothing written) or applied.

export, convert, normalize, merge -o, sync and init hand their files in as `Output` records; the rules
live here once:
- a file is written only under its root (the folder the user named or the repository), at a relative
  path without `..`, and never through a symbolic link: no component of the path inside the root may be
  one, and the write works relative to directories opened without following links, so a link swapped in
  between the check and the write cannot redirect it;
- two outputs for one file are both refused, naming each other (compared case-folded: a repository
  checked out on a case-insensitive file system would get one file for both);
- a file that exists and differs is kept unless the caller forces it, and a file that changed after it
  was planned is never overwritten;
- writes are atomic (a temporary file in the same folder, renamed over), keep an existing file's mode,
  give a new one `0666 & ~umask`, clean our own temporary files a killed run left behind, and count
  only once the file reads back as the bytes meant.
The layer never prints: callers render the records (`to_json`, `unified`) and map statuses to exit codes.
"""

from __future__ import annotations

import dataclasses
import os
import re
import secrets
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from agentkit.errors import AgentkitError

if TYPE_CHECKING:
    from agentkit.export import Loss

# Statuses. Written (or to be written): create, update. Nothing to do: unchanged. Kept unless forced:
# exists (not ours, differs), edited (ours, edited by hand), foreign (not ours, in a place we generate),
# source (an agent source init would import again: never forced).
# Not written: refused-wider, refused-lossy (the caller's rules), clash, error (see `error`).
WRITES = frozenset({"create", "update"})
KEPT = frozenset({"exists", "edited", "foreign", "source"})
_TEMP_SUFFIX = ".agentkit.tmp"
_STALE_AFTER = 60.0  # seconds: an older temporary file of ours is left over from a killed run
# An output can be somewhat larger than its input (examples moved into the body, a marker added): twice
# the input limit, so a file agentkit may write is always read back whole.
_READ_LIMIT = 2 * 10 * 1024 * 1024 + 1


@dataclass(frozen=True)
class Output:
    """One file a command means to write."""

    root: str  # the folder the file may not leave
    path: str  # relative to root, `/`-separated
    text: str
    source: str  # what it is made from, for messages
    format: str = ""
    losses: tuple[Loss, ...] = ()
    widened: tuple[str, ...] = ()
    status: str = ""  # set by `plan` (a caller may set a refused-* status first)
    old: str | None = None  # what is there now (None: nothing)
    replaces: str = ""  # with force: the kept status this write overrides (edited, foreign, exists)
    error: AgentkitError | None = None  # status `error` or `clash`: why

    @property
    def shown(self) -> str:
        """The path as people see it: under the root as given."""
        return os.path.normpath(os.path.join(self.root, *self.path.split("/")))

    def to_json(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"source": self.source, "format": self.format, "path": self.shown, "status": self.status,
                                 "losses": [loss.to_json() for loss in self.losses], "widened": list(self.widened)}
        if self.replaces:
            entry["replaces"] = self.replaces
        if self.error is not None:
            entry["error"] = self.error.to_json()["error"]
        return entry


Judge = Callable[[Output, str], str]


def differs(output: Output, old: str) -> str:
    """The default judge of an existing file that differs from the output: someone's file, kept unless forced."""
    return "exists"


def plan(outputs: Iterable[Output], force: bool = False, judge: Judge = differs) -> list[Output]:
    """Each output with its status and the file there now; nothing is written.

    `judge(output, old)` says what an existing, differing file is: `update` (ours to replace) or one of
    KEPT (replaced only with `force`; the record then says which in `replaces`)."""
    located: list[Output] = []
    for output in outputs:
        if output.status:  # refused by the caller already
            located.append(output)
            continue
        try:
            old = _existing(output.root, output.path)
        except AgentkitError as exc:
            located.append(dataclasses.replace(output, status="error", error=exc))
            continue
        if old is None:
            status, replaces = "create", ""
        elif old == output.text:
            status, replaces = "unchanged", ""
        else:
            status = judge(output, old)
            replaces = status if status in KEPT and force else ""
            status = "update" if replaces else status
        located.append(dataclasses.replace(output, status=status, old=old, replaces=replaces))
    return _clashes(located)


def _clashes(outputs: list[Output]) -> list[Output]:
    """Two outputs for one file: both refused, each naming the other's source. Paths that differ only in
    case are one file on a case-insensitive file system (macOS, Windows) where the repository may be
    checked out too, unless both files already exist apart (this file system tells them apart, and the
    repository holds both: `README-template.md` beside `readme-template.md`)."""
    by_file: dict[str, list[int]] = {}
    for index, output in enumerate(outputs):
        if output.status not in ("error",):
            key = os.path.normcase(os.path.abspath(output.shown)).casefold()
            by_file.setdefault(key, []).append(index)
    result = list(outputs)
    for indexes in by_file.values():
        exact = {os.path.abspath(outputs[i].shown) for i in indexes}
        if len(indexes) < 2 or len(exact) == len(indexes) and all(outputs[i].old is not None for i in indexes):
            continue
        sources = [outputs[i].source for i in indexes]
        for i in indexes:
            others = ", ".join(s for s in dict.fromkeys(sources) if s != outputs[i].source) or outputs[i].source
            error = AgentkitError("name-clash", f"{outputs[i].shown} would be written from both {outputs[i].source} and {others}; "
                                                "neither is written (rename one)", outputs[i].source)
            result[i] = dataclasses.replace(outputs[i], status="clash", error=error)
    return result


def apply(outputs: Iterable[Output]) -> list[Output]:
    """Write every output whose status is create or update; each becomes `created`/`updated`, or `error`."""
    done: list[Output] = []
    with _Folders() as folders:  # each output folder opened (and checked) once per run, not once per file
        for output in outputs:
            if output.status not in WRITES:
                done.append(output)
                continue
            try:
                folders.write(output.root, output.path, output.text, output.old)
            except AgentkitError as exc:
                done.append(dataclasses.replace(output, status="error", error=exc))
                continue
            done.append(dataclasses.replace(output, status="created" if output.status == "create" else "updated"))
    return done


def unified(output: Output) -> str:
    """A unified diff from the file there now to the output (empty when they are the same)."""
    import difflib

    old = (output.old or "").splitlines(keepends=True)
    new = output.text.splitlines(keepends=True)
    label = output.shown
    return "".join(difflib.unified_diff(old, new, f"a/{label}" if output.old is not None else "/dev/null", f"b/{label}"))


# --------------------------------------------------------------------------------------------- paths


def _parts(root: str, path: str) -> list[str]:
    """The components of `path` under `root`; refused when it could leave the root or name nothing."""
    parts = [p for p in path.replace(os.sep, "/").split("/") if p not in ("", ".")]
    if "\x00" in path or "\x00" in root:
        raise AgentkitError("bad-path", "path contains a NUL byte", path.replace("\x00", "\\0"))
    if not parts or path.startswith("/") or os.path.isabs(path) or ".." in parts:
        raise AgentkitError("outside-root", f"{path} would be written outside {root}", os.path.join(root, path))
    return parts


def existing(root: str, path: str) -> str | None:
    """The text of the file at `path` under `root` now (None when there is none), read as `plan` reads it:
    refused (AgentkitError) through a symbolic link, a folder or anything but a regular file."""
    return _existing(root, path)


def _existing(root: str, path: str) -> str | None:
    """The text at `path` under `root` (None when there is none), every component checked: a symbolic
    link, a folder where a file goes or a file that is not a regular one is refused."""
    parts = _parts(root, path)
    where = root
    for index, part in enumerate(parts):
        where = os.path.join(where, part)
        try:
            info = os.lstat(where)
        except FileNotFoundError:
            return None
        except OSError as exc:  # a name too long, no permission: one line for this file
            raise AgentkitError("unwritable", f"cannot check the existing file: {exc.strerror or exc}", where) from None
        last = index == len(parts) - 1
        if stat.S_ISLNK(info.st_mode):
            raise AgentkitError("symlink", "refusing to write through a symbolic link", where)
        if not last and not stat.S_ISDIR(info.st_mode):
            raise AgentkitError("not-a-directory", "is not a folder, but the output goes inside it", where)
        if last and stat.S_ISDIR(info.st_mode):
            raise AgentkitError("is-directory", "output path is a directory", where)
        if last and not stat.S_ISREG(info.st_mode):
            raise AgentkitError("not-a-file", "output path exists and is not a regular file", where)
    return _read_text(where)


def _read_text(path: str, dir_fd: int | None = None) -> str:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags, dir_fd=dir_fd)
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(_READ_LIMIT)
    except OSError as exc:
        raise AgentkitError("unwritable", f"cannot check the existing file: {exc.strerror or exc}", path) from None
    # Newlines untouched: a CRLF file differs from the LF text meant for it.
    return data.decode("utf-8", errors="replace")


# --------------------------------------------------------------------------------------------- writing


def write(root: str, path: str, text: str, expected: str | None = None) -> None:
    """Write `text` at `path` under `root`, atomically, relative to folders opened without following
    links; refused when the file there is no longer `expected` (changed since it was planned)."""
    with _Folders() as folders:
        folders.write(root, path, text, expected)


class _Folders:
    """The output folders of one run, each opened once without following links and kept open until the
    run ends (a thousand files in three folders open three folders, not four thousand); their leftover
    temporary files are looked for once per folder."""

    def __init__(self) -> None:
        self._open: dict[tuple[str, tuple[str, ...]], int] = {}
        self._stale_checked: set[int] = set()

    def __enter__(self) -> _Folders:
        return self

    def __exit__(self, *_: object) -> None:
        for fd in self._open.values():
            os.close(fd)  # each closed exactly once, whatever failed
        self._open.clear()

    def write(self, root: str, path: str, text: str, expected: str | None) -> None:
        from agentkit.text import strip_control

        shown = os.path.join(root, path)
        if not text.strip() or strip_control(text)[1]:  # what `agentkit.read` would refuse or change: never written
            what = "an empty file" if not text.strip() else "a control character"
            raise AgentkitError("unwritable", f"refusing to write {what} (agentkit bug; please report it)", shown)
        parts = _parts(root, path)
        folder = self._folder(root, tuple(parts[:-1]))
        if folder not in self._stale_checked:
            _clean_stale(folder)
            self._stale_checked.add(folder)
        _write_in(folder, parts[-1], text, expected, shown)

    def _folder(self, root: str, parts: tuple[str, ...]) -> int:
        known = self._open.get((root, parts))
        if known is not None:
            return known
        if not parts:
            try:
                os.makedirs(root or ".", exist_ok=True)  # the root is the user's choice, links in it followed
                fd = os.open(root or ".", os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            except OSError as exc:
                raise AgentkitError("unwritable", f"cannot write here: {exc.strerror or exc}", root) from None
        else:
            fd = _enter(self._folder(root, parts[:-1]), parts[-1], os.path.join(root, *parts))
        self._open[(root, parts)] = fd
        return fd


def _enter(folder: int, name: str, shown: str) -> int:
    """The folder `name` inside the open `folder` (made when missing), opened without following a link.
    The caller still owns `folder`."""
    try:
        try:
            os.mkdir(name, 0o777, dir_fd=folder)
        except FileExistsError:
            pass
        return os.open(name, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0), dir_fd=folder)
    except OSError as exc:
        link = _is_link(name, folder)
        raise AgentkitError("symlink" if link else "unwritable",
                            "refusing to write through a symbolic link" if link else f"cannot write here: {exc.strerror or exc}",
                            shown) from None


def _is_link(name: str, folder: int) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode)
    except OSError:
        return False


def _write_in(folder: int, name: str, text: str, expected: str | None, shown: str) -> None:
    try:
        info: os.stat_result | None = os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise AgentkitError("unwritable", f"cannot write: {exc.strerror or exc}", shown) from None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise AgentkitError("symlink", "refusing to write through a symbolic link", shown)
        if not stat.S_ISREG(info.st_mode):
            raise AgentkitError("not-a-file", "output path exists and is not a regular file", shown)
    now = None if info is None else _read_text(name, folder)
    if now != expected:
        raise AgentkitError("changed", "the file changed while agentkit ran; nothing written (run the command again)", shown)
    data = text.encode("utf-8")
    # Cut: a name near the file system's limit must not make the temporary name too long.
    temp = f".{name[:100]}.{secrets.token_hex(4)}{_TEMP_SUFFIX}"
    try:
        fd = _create(temp, folder)
    except FileExistsError:  # not ours (the name is random and made with O_EXCL): left alone
        raise AgentkitError("unwritable", "cannot write here: a temporary file of that name exists", shown) from None
    except OSError as exc:
        raise AgentkitError("unwritable", f"cannot write here: {exc.strerror or exc}", shown) from None
    except BaseException:  # Ctrl-C between the file's creation and the next line: it is ours to remove
        _unlink(temp, folder)
        raise
    try:
        try:
            if info is not None:
                os.fchmod(fd, stat.S_IMODE(info.st_mode))
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        # Atomic against a failing or killed agentkit (the rename is all or nothing); no fsync, which
        # would cost a disk flush per file and only guards against power loss.
        os.replace(temp, name, src_dir_fd=folder, dst_dir_fd=folder)
    except OSError as exc:
        _unlink(temp, folder)
        raise AgentkitError("unwritable", f"cannot write: {exc.strerror or exc}", shown) from None
    except BaseException:
        _unlink(temp, folder)
        raise
    if _read_text(name, folder).encode("utf-8") != data:
        raise AgentkitError("not-written", "the file does not read back as written (was it changed meanwhile?)", shown)


def _create(temp: str, folder: int) -> int:
    """A new temporary file in `folder`, never an existing one or a link. 0o666 is filtered by the
    umask, as for any new file; an existing file's mode is copied onto it afterwards."""
    return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666, dir_fd=folder)


def _clean_stale(folder: int) -> None:
    """Remove the temporary files of ours in `folder` that a killed run left behind (older than a
    minute, so a concurrent run's file is left alone)."""
    try:
        entries = os.listdir(folder)
    except OSError:
        return
    for entry in entries:
        if _STALE_NAME.fullmatch(entry):
            try:
                info = os.stat(entry, dir_fd=folder, follow_symlinks=False)
                if stat.S_ISREG(info.st_mode) and time.time() - info.st_mtime > _STALE_AFTER:
                    os.unlink(entry, dir_fd=folder)
            except OSError:
                continue


# `.<name>.<8 hex digits>.agentkit.tmp`, as `_write_in` names its temporary files.
_STALE_NAME = re.compile(r"\..+\.[0-9a-f]{8}" + re.escape(_TEMP_SUFFIX), re.S)


def _unlink(name: str, folder: int) -> None:
    try:
        os.unlink(name, dir_fd=folder)
    except OSError:
        pass
