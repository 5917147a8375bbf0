"""Reading inputs safely (issue 13, "Reading"), through the command line as a user meets it: odd files
(FIFOs, devices, sockets, unreadable, too large, NUL in the path) are refused at once with one line
naming the file and the reason, in every command, and the other inputs are still processed; folder
scans follow symlinked folders once each; a NUL in agentkit.toml is one line; every YAML value comes
out as strict JSON, or the file is refused with one line naming file and line."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from agentkit.cli import main

GOOD = "---\nname: good-agent\ndescription: A fine agent.\n---\n\nBe good.\n"
OTHER = "---\nname: other-agent\ndescription: Another agent.\n---\n\nBe other.\n"
HIDDEN = "---\nname: sneaky-agent\ndescription: Sneaky.\n---\n\nBe\u200b sneaky.\n"
TIMEOUT = 30  # a blocked read would hang: the subprocess is killed and the test fails


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "agentkit", *args], capture_output=True, text=True, cwd=cwd, timeout=TIMEOUT, env=env)


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("agentkit: error:")]


def assert_refused(proc, names: list[str], reason: str = "") -> None:
    """Exit 2, no traceback, exactly one error line per refused name (with the reason), nothing else broken."""
    stderr = proc.stderr if hasattr(proc, "stderr") and isinstance(proc, subprocess.CompletedProcess) else proc.output
    stdout = proc.stdout if isinstance(proc, subprocess.CompletedProcess) else proc.output
    code = proc.returncode if isinstance(proc, subprocess.CompletedProcess) else proc.exit_code
    assert code == 2, (code, stderr)
    assert "Traceback" not in stderr and "Traceback" not in stdout and "internal error" not in stderr, stderr
    errors = error_lines(stderr)
    for name in names:
        hits = [line for line in errors if name in line]
        assert len(hits) == 1, (name, stderr)
        assert reason in hits[0], (reason, hits[0])


def strict_json(text: str):  # noqa: ANN201 - any JSON value
    def refuse(constant: str) -> None:
        raise ValueError(f"not strict JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """good.md and other.md beside a FIFO named like an agent file."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.md").write_text(GOOD)
    (folder / "other.md").write_text(OTHER)
    os.mkfifo(folder / "pipe.md")
    return folder


# ------------------------------------------------------------------------------- odd file types

COMMANDS = {
    "inspect": lambda paths, out: ["inspect", *paths],
    "inspect-json": lambda paths, out: ["inspect", "--json", *paths],
    "lint": lambda paths, out: ["lint", *paths],
    "normalize": lambda paths, out: ["normalize", *paths, "-o", str(out)],
    "normalize-check": lambda paths, out: ["normalize", "--check", *paths],
    "export": lambda paths, out: ["export", *paths, "--format", "claude,copilot", "-o", str(out)],
    "merge": lambda paths, out: ["merge", *paths, "-o", str(out / "merged.md")],
    "merge-json": lambda paths, out: ["merge", "--json", *paths],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_a_fifo_inside_a_folder_is_refused_at_once_and_the_files_beside_it_are_read(command: str, folder: Path, tmp_path: Path):
    out = tmp_path / "out"
    started = time.perf_counter()
    proc = run(*COMMANDS[command]([str(folder)], out))
    assert time.perf_counter() - started < TIMEOUT
    assert_refused(proc, ["pipe.md"], "is a FIFO (named pipe), not a regular file")
    if command.startswith("inspect"):
        assert "good-agent" in proc.stdout and "other-agent" in proc.stdout
    if command.endswith("json"):
        strict_json(proc.stdout)
    if command in ("normalize", "export"):
        written = sorted(p.name for p in out.rglob("*") if p.is_file())
        assert any("good" in name for name in written) and any("other" in name for name in written), written
    if command == "merge":
        assert "Be good." in (out / "merged.md").read_text() and "Be other." in (out / "merged.md").read_text()


@pytest.mark.parametrize("command", ["inspect", "lint", "normalize-check", "export", "merge"])
def test_devices_fifos_and_sockets_named_directly_are_refused_without_reading(command: str, folder: Path, tmp_path: Path):
    sock_path = tmp_path / "s.md"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(sock_path))
    try:
        started = time.perf_counter()
        # /dev/zero never ends (memory grew without bound); /dev/null is empty; a FIFO blocks until written.
        proc = run(*COMMANDS[command](["/dev/zero", "/dev/null", str(folder / "pipe.md"), str(sock_path), str(folder / "good.md")], tmp_path / "out"))
        assert time.perf_counter() - started < TIMEOUT
    finally:
        server.close()
    assert_refused(proc, ["/dev/zero"], "is a character device, not a regular file")
    assert_refused(proc, ["/dev/null"], "is a character device, not a regular file")
    assert_refused(proc, ["pipe.md"], "is a FIFO")
    assert_refused(proc, ["s.md"], "is a socket, not a regular file")
    if command == "inspect":
        assert "good-agent" in proc.stdout


@pytest.mark.parametrize("args", [["convert", "{pipe}", "--to", "claude"], ["diff", "{good}", "{pipe}"], ["diff", "/dev/zero", "{good}"]])
def test_one_file_commands_refuse_a_fifo_or_a_device(args: list[str], folder: Path):
    paths = {"pipe": str(folder / "pipe.md"), "good": str(folder / "good.md")}
    proc = run(*[a.format(**paths) for a in args])
    name = "pipe.md" if "{pipe}" in args else "/dev/zero"
    assert_refused(proc, [name], "not a regular file")


def test_a_file_swapped_for_a_fifo_after_the_type_check_is_refused_on_the_open_file(folder: Path, monkeypatch):
    """The type is checked again on the open descriptor: a swap between stat and open cannot block."""
    from agentkit import reader
    from agentkit.errors import AgentkitError

    real_stat = os.stat
    pipe = str(folder / "pipe.md")
    monkeypatch.setattr(reader.os, "stat", lambda path, *a, **k: real_stat(folder / "good.md") if path == pipe else real_stat(path, *a, **k))
    with pytest.raises(AgentkitError) as caught:
        reader.read(pipe)
    assert caught.value.reason == "not-regular-file" and "FIFO" in caught.value.message


# ------------------------------------------------------------------------------- unreadable, too large

def test_unreadable_file_chmod_000(tmp_path: Path):
    if os.geteuid() == 0:
        pytest.skip("root reads any file; test_unreadable_file_reported_per_file covers it by simulation")
    secret = tmp_path / "secret.md"
    secret.write_text(GOOD)
    secret.chmod(0)
    (tmp_path / "other.md").write_text(OTHER)
    proc = run("inspect", str(tmp_path))
    assert_refused(proc, ["secret.md"], "Permission denied")
    assert "other-agent" in proc.stdout


def _deny(monkeypatch, name: str) -> None:
    """Opening files called `name` fails as under chmod 000 (simulated: root may read anything)."""
    from agentkit import reader

    real_open = os.open

    def deny(path, *args, **kwargs):
        if os.path.basename(os.fspath(path)) == name:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(reader.os, "open", deny)


@pytest.mark.parametrize("command", ["inspect", "lint", "normalize-check", "export", "merge"])
def test_unreadable_file_reported_per_file(command: str, tmp_path: Path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "secret.md").write_text(GOOD)
    (folder / "other.md").write_text(OTHER)
    _deny(monkeypatch, "secret.md")
    result = CliRunner().invoke(main, COMMANDS[command]([str(folder)], tmp_path / "out"))
    assert_refused(result, ["secret.md"], "Permission denied")
    if command == "inspect":
        assert "other-agent" in result.output


def test_too_large_file_is_refused_by_name_and_the_others_read(tmp_path: Path, monkeypatch):
    from agentkit import reader, text  # reader imported first: the limit in force is the one at read time

    assert reader.read_input is not None
    monkeypatch.setattr(text, "MAX_BYTES", 200)
    (tmp_path / "big.md").write_text(GOOD + "More words. " * 50)
    (tmp_path / "good.md").write_text(GOOD)
    result = CliRunner().invoke(main, ["inspect", str(tmp_path)])
    assert_refused(result, ["big.md"], "agentkit reads files up to 200 bytes")
    assert "good-agent" in result.output


def test_reads_stop_at_the_limit_whatever_the_size_the_file_claims(monkeypatch):
    """/proc files claim a size of 0: at most the limit + 1 bytes are read, then the file is refused."""
    from agentkit import reader, text
    from agentkit.errors import AgentkitError

    status = Path("/proc/self/status")
    if not status.is_file() or os.stat(status).st_size != 0:
        pytest.skip("no /proc here")
    monkeypatch.setattr(text, "MAX_BYTES", 64)
    real_read = os.read
    got: list[int] = []

    def counting(fd: int, size: int) -> bytes:
        chunk = real_read(fd, size)
        got.append(len(chunk))
        return chunk

    monkeypatch.setattr(reader.os, "read", counting)
    with pytest.raises(AgentkitError) as caught:
        reader.read(status)
    assert caught.value.reason == "too-large" and caught.value.path == str(status)
    assert sum(got) == 65


def test_sync_refuses_a_huge_source_by_name_without_reading_it(tmp_path: Path):
    """A 2 GiB sparse source (sync read it whole: 49 s and 4 GB), beside a good agent that is still synced."""
    (tmp_path / "good.md").write_text(GOOD)
    with (tmp_path / "huge.md").open("wb") as handle:
        handle.truncate(2 * 1024**3)
    (tmp_path / "agentkit.toml").write_text('output = "out"\nformats = ["claude"]\n\n'
                                            '[[agents]]\nname = "huge"\nsources = ["huge.md"]\n\n'
                                            '[[agents]]\nname = "good"\nsources = ["good.md"]\n')
    started = time.perf_counter()
    proc = run("sync", cwd=tmp_path)
    assert time.perf_counter() - started < 20
    assert_refused(proc, ["huge.md"], "agentkit reads files up to")
    assert (tmp_path / "out" / ".claude" / "agents" / "good.md").is_file()


# ------------------------------------------------------------------------------- sync and init


def _sync_folder(tmp_path: Path) -> Path:
    (tmp_path / "agents").mkdir()
    (tmp_path / "agents" / "good.md").write_text(GOOD)
    os.mkfifo(tmp_path / "agents" / "pipe.md")
    (tmp_path / "other.md").write_text(OTHER)
    (tmp_path / "agentkit.toml").write_text('output = "out"\nformats = ["claude"]\n\n'
                                            '[[agents]]\nname = "good"\nsources = ["agents"]\n\n'
                                            '[[agents]]\nname = "piped"\nsources = ["agents/pipe.md"]\n\n'
                                            '[[agents]]\nname = "other"\nsources = ["other.md"]\n')
    return tmp_path


def test_sync_reports_a_fifo_source_per_file_and_syncs_the_rest(tmp_path: Path):
    root = _sync_folder(tmp_path)
    proc = run("sync", cwd=root)
    assert_refused(proc, ["no readable source"])
    errors = error_lines(proc.stderr)
    assert len([e for e in errors if "pipe.md" in e and "is a FIFO" in e]) == 2, proc.stderr  # in `good`'s folder and as `piped`'s source
    assert (root / "out/.claude/agents/good.md").is_file() and (root / "out/.claude/agents/other.md").is_file()
    assert run("sync", "--check", cwd=root).returncode == 2  # --check reads the same way


def test_sync_and_init_report_an_unreadable_source_and_process_the_rest(tmp_path: Path, monkeypatch):
    root = tmp_path / "repo"
    (root / ".claude" / "agents").mkdir(parents=True)
    (root / ".claude" / "agents" / "good.md").write_text(GOOD)
    (root / ".claude" / "agents" / "secret.md").write_text(OTHER)
    _deny(monkeypatch, "secret.md")
    result = CliRunner().invoke(main, ["init", str(root)])
    assert_refused(result, ["secret.md"], "Permission denied")
    assert "good-agent" in (root / "agentkit.toml").read_text()
    assert (root / ".agentkit" / "imported").read_text().splitlines()[1:] == [os.path.join(".claude", "agents", "good.md")]
    (root / "agentkit.toml").write_text((root / "agentkit.toml").read_text() + '\n[[agents]]\nname = "secret"\nsources = [".claude/agents/secret.md"]\n')
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["sync"])
    assert_refused(result, ["secret.md"], "Permission denied")
    assert "generated by agentkit" in (root / ".claude" / "agents" / "good.md").read_text()  # replaced in place (`files`)


def test_init_imports_the_good_files_beside_a_fifo_a_huge_file_and_a_folder_named_md(tmp_path: Path):
    agents = tmp_path / ".claude" / "agents"
    agents.mkdir(parents=True)
    (agents / "good.md").write_text(GOOD)
    os.mkfifo(agents / "pipe.md")
    with (agents / "huge.md").open("wb") as handle:
        handle.truncate(2 * 1024**3)
    (agents / "folder.md").mkdir()
    (tmp_path / ".github" / "agents").mkdir(parents=True)
    (tmp_path / ".github" / "agents" / "other.agent.md").write_text(OTHER)
    started = time.perf_counter()
    proc = run("init", cwd=tmp_path)
    assert time.perf_counter() - started < 20
    assert_refused(proc, ["pipe.md"], "is a FIFO")
    assert_refused(proc, ["huge.md"], "agentkit reads files up to")
    assert "folder.md" not in proc.stderr
    config = (tmp_path / "agentkit.toml").read_text()
    assert 'name = "good-agent"' in config and 'name = "other-agent"' in config


@pytest.mark.parametrize("root", ["/nonexistent/agentkit-test", "{file}"])
def test_init_on_a_missing_or_file_root_is_one_line(root: str, tmp_path: Path):
    (tmp_path / "file.md").write_text(GOOD)
    proc = run("init", root.format(file=tmp_path / "file.md"))
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert error_lines(proc.stderr) and "Usage" not in proc.stderr


def test_a_huge_or_undecodable_imported_list_is_one_line(tmp_path: Path):
    """.agentkit/imported is read like every input (it was read whole, and bytes not UTF-8 were exit 3)."""
    (tmp_path / "good.md").write_text(GOOD)
    (tmp_path / "agentkit.toml").write_text('output = "out"\nformats = ["claude"]\n\n[[agents]]\nname = "good"\nsources = ["good.md"]\n')
    (tmp_path / ".agentkit").mkdir()
    listing = tmp_path / ".agentkit" / "imported"
    listing.write_bytes(b"# imported\ngood\xff\xfe.md\nx\x00y\n")
    assert run("sync", cwd=tmp_path).returncode == 0
    with listing.open("wb") as handle:
        handle.truncate(2 * 1024**3)
    proc = run("sync", cwd=tmp_path)
    assert_refused(proc, ["imported"], "agentkit reads files up to")


def test_sync_does_not_read_its_own_generated_files_back_as_sources(tmp_path: Path):
    """The marker check moved into the one read: a generated file among the sources is still skipped."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "good.md").write_text(GOOD)
    (tmp_path / "agentkit.toml").write_text('output = "src"\nformats = ["claude"]\n\n[[agents]]\nname = "good"\nsources = ["src"]\n')
    assert run("sync", cwd=tmp_path).returncode == 0
    generated = tmp_path / "src" / ".claude" / "agents" / "good.md"
    assert "generated by agentkit" in generated.read_text()
    again = run("sync", "--check", cwd=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr


# ------------------------------------------------------------------------------- symlinked folders


def _linked_repo(tmp_path: Path) -> Path:
    """A repository whose agent folders are symlinks into a shared folder (a common layout)."""
    shared = tmp_path / "shared"
    (shared / "claude").mkdir(parents=True)
    (shared / "cursor").mkdir()
    (shared / "claude" / "sneaky.md").write_text(HIDDEN)
    (shared / "cursor" / "good.md").write_text(GOOD)
    repo = tmp_path / "repo"
    (repo / ".claude").mkdir(parents=True)
    (repo / ".claude" / "agents").symlink_to(shared / "claude")
    (repo / ".cursor").mkdir()
    (repo / ".cursor" / "agents").symlink_to(shared / "cursor")
    return repo


def test_lint_follows_symlinked_agent_folders(tmp_path: Path):
    repo = _linked_repo(tmp_path)
    proc = run("lint", ".claude", ".cursor", cwd=repo)
    assert proc.returncode == 1, proc.stdout + proc.stderr  # it found the zero-width space: it really scanned
    assert "sneaky.md" in proc.stdout and "U+200B" in proc.stdout
    inspected = run("inspect", ".claude", ".cursor", cwd=repo)
    assert "sneaky-agent" in inspected.stdout and "good-agent" in inspected.stdout


def test_init_follows_symlinked_agent_folders(tmp_path: Path):
    repo = _linked_repo(tmp_path)
    proc = run("init", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    config = (repo / "agentkit.toml").read_text()
    assert 'name = "sneaky-agent"' in config and 'name = "good-agent"' in config


def _looped(folder: Path) -> None:
    """Two links back up the tree: a naive walk (or glob's `**`) never ends."""
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "good.md").write_text(GOOD)
    (folder / "sub" / "up").symlink_to("..")
    (folder / "sub" / "again").symlink_to("..")
    (folder / "self").symlink_to(".")


def test_symlink_loops_end_and_each_file_is_read_once(tmp_path: Path):
    folder = tmp_path / "agents"
    _looped(folder)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "other.md").write_text(OTHER)
    (folder / "sub" / "linked").symlink_to(tmp_path / "elsewhere")  # reachable only through this link
    started = time.perf_counter()
    proc = run("inspect", "--json", str(folder))
    assert time.perf_counter() - started < TIMEOUT
    assert proc.returncode == 0, proc.stderr
    assert sorted(entry["name"] for entry in strict_json(proc.stdout)) == ["good-agent", "other-agent"]


def test_init_and_sync_globs_survive_symlink_loops(tmp_path: Path):
    _looped(tmp_path / ".claude" / "agents")
    _looped(tmp_path / "specs")
    proc = run("init", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "1 agent(s) from 1 file(s)" in proc.stderr
    (tmp_path / "agentkit.toml").write_text('output = "out"\nformats = ["claude"]\n\n[[agents]]\nname = "g"\nsources = ["specs/**/*.md", "specs/**"]\n')
    proc = run("sync", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    made = (tmp_path / "out" / ".claude" / "agents" / "g.md").read_text()
    assert made.count("Be good.") == 1  # the one source, read once however many paths lead to it


# ------------------------------------------------------------------------------- NUL bytes


def test_nul_in_a_path_is_an_agentkit_error():
    import agentkit

    with pytest.raises(agentkit.AgentkitError) as caught:
        agentkit.read("agent\x00.md")
    assert caught.value.reason == "bad-path" and "\x00" not in str(caught.value)


@pytest.mark.parametrize("command", ["inspect", "lint", "normalize-check", "export", "merge"])
def test_nul_in_a_path_is_one_line_and_the_others_are_read(command: str, tmp_path: Path):
    (tmp_path / "good.md").write_text(GOOD)
    result = CliRunner().invoke(main, COMMANDS[command]([str(tmp_path / "bad\x00.md"), str(tmp_path / "good.md")], tmp_path / "out"))
    assert_refused(result, ["bad\\x00.md"], "path contains a NUL byte")
    if command == "inspect":
        assert "good-agent" in result.output


def test_nul_in_init_root_is_one_line(tmp_path: Path):
    result = CliRunner().invoke(main, ["init", str(tmp_path) + "\x00x"])
    assert_refused(result, ["\\x00x"], "NUL")


CONFIG_NUL = {
    "source": 'output = "out"\n[[agents]]\nname = "a"\nsources = ["good\\u0000.md"]\n',
    "output": 'output = "out\\u0000"\n[[agents]]\nname = "a"\nsources = ["good.md"]\n',
    "name": 'output = "out"\n[[agents]]\nname = "a\\u0000b"\nsources = ["good.md"]\n',
    "model": 'output = "out"\n[merge]\nmodel = "son\\u0000net"\n[[agents]]\nname = "a"\nsources = ["good.md"]\n',
    "fold": 'output = "out"\n[merge]\nfold = [["a\\u0000", "b"]]\n[[agents]]\nname = "a"\nsources = ["good.md"]\n',
    "key": 'output = "out"\n[[agents]]\nname = "a"\nsources = ["good.md"]\n"x\\u0000y" = 1\n',
}


@pytest.mark.parametrize("case", CONFIG_NUL)
def test_nul_in_a_config_value_is_one_line(case: str, tmp_path: Path):
    (tmp_path / "good.md").write_text(GOOD)
    (tmp_path / "agentkit.toml").write_text(CONFIG_NUL[case])
    for args in (["sync"], ["sync", "--check"]):
        proc = run(*args, cwd=tmp_path)
        assert_refused(proc, ["agentkit.toml"], "contains a NUL character")
        assert "\x00" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_a_config_that_is_a_fifo_or_not_utf8_is_one_line(tmp_path: Path):
    os.mkfifo(tmp_path / "pipe.toml")
    assert_refused(run("sync", "--config", str(tmp_path / "pipe.toml")), ["pipe.toml"], "is a FIFO")
    (tmp_path / "latin.toml").write_bytes(b'output = "caf\xe9"\n')
    assert_refused(run("sync", "--config", str(tmp_path / "latin.toml")), ["latin.toml"], "not UTF-8")


# ------------------------------------------------------------------------------- YAML values as JSON

REFUSED_VALUES = {  # frontmatter line -> the line of the file the error names
    "binary": ("v: !!binary aGVsbG8=", 4),
    "set": ("v: !!set {a, b}", 4),
    "binary-key": ("v: {? !!binary aGk= : x}", 4),
    "nested-binary": ("v:\n  - [!!binary aGk=]", 5),
    "set-in-list": ("v:\n  - 1\n  - !!set {a}", 6),
}
KEPT_VALUES = {  # value -> what JSON shows
    "inf": ("v: .inf", ".inf"),
    "minus-inf": ("v: -.inf", "-.inf"),
    "nan": ("v: .nan", ".nan"),
    "NaN": ("v: .NaN", ".NaN"),
    "overflow": ("v: 1.0e+999", "1.0e+999"),
    "tagged-inf": ("v: !!float inf", "inf"),
    "in-list": ("v: [1.5, .inf, 2024-01-01]", [1.5, ".inf", "2024-01-01"]),
    "keys": ("v: {1: a, null: b, 1.5: c, .nan: d, true: e, 2024-01-01: f}", {"1": "a", "null": "b", "1.5": "c", ".nan": "d", "true": "e", "2024-01-01": "f"}),
    "date": ("v: 2024-01-01", "2024-01-01"),
    "timestamp": ("v: 2024-01-01 10:00:00", "2024-01-01 10:00:00"),
    "long-hex": ("v: 0x" + "f" * 4000, "0x" + "f" * 4000),
    "omap": ("v: !!omap [a: 1, b: .inf]", [["a", 1], ["b", ".inf"]]),
    "big-int": ("v: 123456789012345678901234567890", 123456789012345678901234567890),
}


def _yaml_file(tmp_path: Path, line: str, strict: bool = True) -> Path:
    # A second file with a description YAML cannot read strictly sends every key through recovery.
    description = "A fine agent." if strict else "Use when: a colon breaks strict YAML"
    path = tmp_path / ("v.md" if strict else "recovered.md")
    path.write_text(f"---\nname: v-agent\ndescription: {description}\n{line}\n---\n\nBe valued.\n")
    return path


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "recovered"])
@pytest.mark.parametrize("case", REFUSED_VALUES)
def test_yaml_values_json_cannot_hold_refuse_the_file_with_its_line(case: str, strict: bool, tmp_path: Path):
    value, line = REFUSED_VALUES[case]
    path = _yaml_file(tmp_path, value, strict)
    (tmp_path / "good.md").write_text(GOOD)
    for command in ("inspect", "merge"):
        proc = run(command, "--json", str(path), str(tmp_path / "good.md"))
        assert_refused(proc, [f"{path.name}:{line}:"], "is not allowed in frontmatter")
        payload = strict_json(proc.stdout)
        if command == "merge":
            assert payload["errors"][0]["path"] == str(path) and payload["errors"][0]["error"]["line"] == line
            assert payload["agent"]["name"] == "good-agent"


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "recovered"])
@pytest.mark.parametrize("case", KEPT_VALUES)
def test_yaml_values_come_out_as_strict_json(case: str, strict: bool, tmp_path: Path):
    line, expected = KEPT_VALUES[case]
    path = _yaml_file(tmp_path, line, strict)
    runner = CliRunner()  # in process (nothing here can block): these --json outputs print nothing on stderr
    inspected = runner.invoke(main, ["inspect", "--json", str(path)])
    assert inspected.exit_code == 0, inspected.output
    [entry] = strict_json(inspected.stdout)
    assert entry["passthrough"]["claude"]["v"] == expected
    merged = runner.invoke(main, ["merge", "--json", str(path)])
    assert merged.exit_code == 0, merged.output
    assert strict_json(merged.stdout)["agent"]["passthrough"]["claude"]["v"] == expected
    for args in (["export", str(path), "--format", "claude,copilot", "--stdout", "--json"], ["lint", "--json", str(path)],
                 ["diff", "--json", str(path), str(path)], ["convert", str(path), "--to", "agentkit", "--json"]):
        result = runner.invoke(main, args)
        assert result.exit_code in (0, 1), (args, result.output)
        strict_json(result.stdout)


@pytest.mark.parametrize("case", ["nan", "long-hex", "keys"])
def test_a_number_kept_as_text_is_reported(case: str, tmp_path: Path):
    path = _yaml_file(tmp_path, KEPT_VALUES[case][0])
    [entry] = strict_json(run("inspect", "--json", str(path)).stdout)
    notes = [w for w in entry["warnings"] if w["kind"] == "yaml-number-as-text"]
    assert notes and notes[0]["line"] == 4


def test_dates_round_trip_through_same_format_and_other_format_writes(tmp_path: Path):
    """`created: 2024-01-01` (valid, common) is kept as the ISO text: a same-format write keeps it as
    written, a fresh write quotes it (so that every YAML reader reads the text agentkit shows), and a
    trip through the canonical format brings the same value back."""
    path = tmp_path / "dated.md"
    path.write_text("---\nname: dated\ndescription: Has a date.\ncreated: 2024-01-01\nupdated: 2024-01-01T10:00:00Z\n---\n\nBe on time.\n")
    once = run("normalize", str(path))
    assert once.returncode == 0, once.stderr
    assert once.stdout == path.read_text()  # nothing to repair: the same bytes (a same-format write edits)
    canonical = run("convert", str(path), "--to", "agentkit", "-o", str(tmp_path / "canonical.md"))
    assert canonical.returncode == 0, canonical.stderr
    assert "created: '2024-01-01'\n" in (tmp_path / "canonical.md").read_text()  # written fresh: quoted, the text it is
    back = run("convert", str(tmp_path / "canonical.md"), "--to", "claude")
    assert "created: '2024-01-01'\n" in back.stdout
    [entry] = strict_json(run("inspect", "--json", str(path)).stdout)
    assert entry["passthrough"]["claude"]["created"] == "2024-01-01"


def test_printed_json_is_always_strict():
    """The one helper every --json output goes through refuses NaN and Infinity rather than print them."""
    from agentkit.cli import _json

    assert strict_json(_json({"a": [1, 2.5, None, "x"]})) == {"a": [1, 2.5, None, "x"]}
    for bad in (float("nan"), float("inf"), -float("inf")):
        with pytest.raises(ValueError):
            _json({"v": bad})


def test_process_pool_reports_odd_files_too(folder: Path, monkeypatch):
    from agentkit import pool, reader
    from agentkit.errors import AgentkitError

    monkeypatch.setattr(pool, "PARALLEL_FROM", 2)
    outcomes = reader.read_many([str(folder / "good.md"), str(folder / "pipe.md"), "/dev/zero", str(folder / "other.md")])
    assert [type(o).__name__ for o in outcomes] == ["ReadResult", "AgentkitError", "AgentkitError", "ReadResult"]
    assert all(o.reason == "not-regular-file" for o in outcomes if isinstance(o, AgentkitError))
