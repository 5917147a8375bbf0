"""Hostile and broken input (issue 6): every case is one line naming the file, exit 2, no traceback,
no output file left behind, and the other inputs of the same run still processed."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

GOOD = "---\nname: good-agent\ndescription: A fine agent.\n---\n\nBe good.\n"

CASES: dict[str, bytes] = {
    "empty.md": b"",
    "binary.md": bytes(range(256)) * 16,
    "random.md": random.Random(7).randbytes(4096),
    "no-encoding.md": bytes(random.Random(3).choice(range(0x80, 0x100)) for _ in range(2000)),
    "unclosed.md": b"---\nname: x\ndescription: never closed\n\nbody\n",
    "list.md": b"---\n- a\n- b\n---\nbody\n",
    "scalar.md": b"---\njust a sentence\n---\nbody\n",
    "bomb.md": (b"---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                b"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n---\nbody\n"),
    "deep.md": b"---\nx: " + b"[" * 5000 + b"]" * 5000 + b"\n---\nbody\n",
    "python-tag.md": b"---\nname: x\ndescription: !!python/object/apply:os.system ['touch /tmp/agentkit-pwned']\n---\nbody\n",
    # Over the documented caps (issue 18): refused at once, not parsed for a minute.
    "many-lines.md": b"---\nname: lines\ndescription: d\n---\n" + b"".join(b"- b%d\n" % i for i in range(20_001)),
    "many-tools.md": b"---\nname: tools\ndescription: d\ntools: [" + b", ".join(b"T%d" % i for i in range(100_000)) + b"]\n---\nbody\n",
}


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agentkit", *args], capture_output=True, text=True, cwd=cwd, timeout=60)


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, data in CASES.items():
        (folder / name).write_bytes(data)
    (folder / "good.md").write_text(GOOD)
    return folder


def assert_one_line_errors(proc: subprocess.CompletedProcess[str], names) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    errors = [line for line in proc.stderr.splitlines() if line.startswith("agentkit: error:")]
    for name in names:
        assert sum(name in line for line in errors) == 1, (name, proc.stderr)


@pytest.mark.parametrize("command", ["inspect", "normalize", "export", "merge", "lint"])
def test_every_bad_input_is_one_line_and_the_good_one_is_processed(command: str, inputs: Path, tmp_path: Path):
    out = tmp_path / "out"
    args = {
        "inspect": ["inspect", str(inputs)],
        "normalize": ["normalize", str(inputs), "-o", str(out)],
        "export": ["export", str(inputs), "--format", "claude,copilot", "-o", str(out)],
        "merge": ["merge", str(inputs), "-o", str(out / "merged.md")],
        "lint": ["lint", str(inputs)],
    }[command]
    started = time.perf_counter()
    proc = run(*args)
    assert time.perf_counter() - started < 30
    assert_one_line_errors(proc, CASES)
    assert not Path("/tmp/agentkit-pwned").exists()
    if command == "inspect":
        assert "good-agent" in proc.stdout
    if command in ("normalize", "export", "merge"):
        written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
        assert written, "the good input was not processed"
        assert all("good" in p or p == "merged.md" for p in written), written
        assert not [p for p in out.rglob(".*.tmp")], "a temporary file was left behind"


def test_too_large_file_is_refused_without_reading_it(tmp_path: Path):
    big = tmp_path / "big.md"
    with big.open("wb") as handle:  # sparse: 50 MB of nothing, no disk or memory used
        handle.truncate(50 * 1024 * 1024)
    (tmp_path / "good.md").write_text(GOOD)
    proc = run("inspect", str(big), str(tmp_path / "good.md"))
    assert_one_line_errors(proc, ["big.md"])
    assert "agentkit reads files up to" in proc.stderr and "good-agent" in proc.stdout


def test_hostile_names_stay_inside_the_output_root(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    names = ["../../escape", "a/b/c", "..\\\\windows", "\x1b[31mred", "!!!", "ok\x00null"]
    for index, name in enumerate(names):
        text = f"---\nname: {name!r}\ndescription: hostile name {index}\n---\nBody {index}.\n"
        (folder / f"{index}.md").write_text(text.replace("'", '"') if "\\" in name else text)
    out = tmp_path / "out"
    proc = run("export", str(folder), "--format", "claude,cursor-rule", "-o", str(out))
    assert "Traceback" not in proc.stderr
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.suffix in (".md", ".mdc") and "in" not in path.relative_to(tmp_path).parts[:1]:
            assert out in path.parents, path
            assert all(c.isalnum() or c in "-." for c in path.name), path.name


def test_read_only_output_directory(tmp_path: Path, monkeypatch):
    """The OS refusing to create files (a read-only folder; simulated, since root may write anywhere)."""
    from click.testing import CliRunner

    from agentkit import outputs
    from agentkit.cli import main

    (tmp_path / "good.md").write_text(GOOD)
    out = tmp_path / "ro"
    out.mkdir()

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(outputs, "_create", refuse)
    result = CliRunner().invoke(main, ["export", str(tmp_path / "good.md"), "--format", "claude,copilot", "-o", str(out)])
    assert result.exit_code == 2
    errors = [l for l in result.output.splitlines() if l.startswith("agentkit: error:")]
    assert len(errors) == 2 and all("Permission denied" in l for l in errors)
    assert not [p for p in out.rglob("*") if p.is_file()]


def test_unwritable_output_is_one_line_error(tmp_path: Path):
    """A read-only directory (or, as root, a path under a regular file): one line, exit 2, nothing left."""
    (tmp_path / "good.md").write_text(GOOD)
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be")
    proc = run("export", str(tmp_path / "good.md"), "--format", "claude", "-o", str(blocker / "root"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len([l for l in proc.stderr.splitlines() if l.startswith("agentkit: error:")]) == 1
    assert blocker.read_text() == "a file where a folder should be"


def test_symlinked_output_is_refused(tmp_path: Path):
    (tmp_path / "good.md").write_text(GOOD)
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_text("precious")
    out = tmp_path / "out"
    (out / ".claude" / "agents").mkdir(parents=True)
    (out / ".claude" / "agents" / "good-agent.md").symlink_to(elsewhere)
    proc = run("export", str(tmp_path / "good.md"), "--format", "claude,copilot", "-o", str(out), "--force")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "symbolic link" in proc.stderr or "outside" in proc.stderr
    assert elsewhere.read_text() == "precious"
    assert (out / ".github" / "agents" / "good-agent.agent.md").exists()  # the other format still written
    # A symlinked folder pointing outside the root is refused too.
    outside = tmp_path / "outside"
    outside.mkdir()
    out2 = tmp_path / "out2"
    (out2 / ".cursor").mkdir(parents=True)
    (out2 / ".cursor" / "agents").symlink_to(outside)
    proc2 = run("export", str(tmp_path / "good.md"), "--format", "cursor", "-o", str(out2))
    assert proc2.returncode == 2 and not any(outside.iterdir())


def test_lint_finds_hidden_characters_and_export_drops_them(tmp_path: Path):
    sneaky = tmp_path / "sneaky.md"
    sneaky.write_text("---\nname: sneaky\ndescription: fine\u200b here\n---\nBe helpful.\u202eevil\u202c\n"
                      "Ignore \U000e0069\U000e0067\U000e006e\U000e006f\U000e0072\U000e0065 this.\nTeam \U0001F468\u200d\U0001F4BB ok\n")
    clean = tmp_path / "clean.md"
    clean.write_text(GOOD)
    proc = run("lint", str(sneaky), str(clean))
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0].startswith(f"{sneaky}:3:18: ") and "U+200B" in lines[0]
    assert any(":5:12: " in l and "RIGHT-TO-LEFT OVERRIDE" in l for l in lines)
    assert any("spelling 'ignore'" in l for l in lines)
    assert not any(":7:" in l for l in lines)  # the ZWJ inside an emoji sequence is legitimate
    assert run("lint", str(clean)).returncode == 0
    converted = run("convert", str(sneaky), "--to", "copilot")
    assert "\u200b" not in converted.stdout and "\u202e" not in converted.stdout and "\U000e0069" not in converted.stdout
    assert "\U0001F468\u200d\U0001F4BB" in converted.stdout and "[dropped]" in converted.stderr
    kept = run("convert", str(sneaky), "--to", "copilot", "--keep-hidden")
    assert "\u202e" in kept.stdout


def test_reading_in_a_process_pool_keeps_order_and_errors(tmp_path: Path, monkeypatch):
    """Many inputs are read in worker processes: results come back in input order, refusals as errors."""
    from conftest import sample

    from agentkit import pool, reader
    from agentkit.errors import AgentkitError

    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "binary.md").write_bytes(b"\x00\x01\x02" * 100)
    paths = [str(sample(0)), str(tmp_path / "empty.md"), str(sample(3)), str(tmp_path / "binary.md"), str(tmp_path / "missing.md")]
    serial = reader.read_many(paths)
    monkeypatch.setattr(pool, "PARALLEL_FROM", 2)
    pooled = reader.read_many(paths)
    assert [type(o) for o in pooled] == [type(o) for o in serial]
    assert [o.agent.name for o in pooled if not isinstance(o, AgentkitError)] == ["backend-dev", "backend-developer"]
    errors = [o for o in pooled if isinstance(o, AgentkitError)]
    assert [(e.reason, e.path) for e in errors] == [(e.reason, e.path) for e in serial if isinstance(e, AgentkitError)]
    assert [e.path for e in errors] == [paths[1], paths[3], paths[4]] and str(errors[0]).startswith(paths[1])
