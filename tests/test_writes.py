"""Nothing written where it should not be (issue 14): every rule of the one output layer, tried through
the CLI the way a user (or an attacker's repository) would meet it."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SAMPLES, cli

import agentkit
from agentkit import formats, outputs
from agentkit.cli import main

GOOD = "---\nname: good-agent\ndescription: A fine agent.\ntools: Read, Grep\n---\n\nBe good.\n"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "agentkit", *args], capture_output=True, text=True, cwd=cwd, timeout=120)
    assert proc.returncode != 3 and "Traceback" not in proc.stderr, proc.stderr
    return proc


def errors(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("agentkit: error:")]


def files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def repo_with(tmp_path: Path, config: str, agents: dict[str, str] | None = None) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "agentkit.toml").write_text(config)
    for name, text in (agents or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def agent(name: str, body: str = "Be good.") -> str:
    return f"---\nname: {name}\ndescription: The {name} agent.\ntools: Read, Grep\n---\n\n{body}\n"


# --- sync and init: sources ----------------------------------------------------------------------------


def test_missing_source_is_one_line_and_the_other_agents_are_written(tmp_path: Path):
    """A missing source file or folder: one line naming it, exit 2; the good agent is still written."""
    root = repo_with(tmp_path, 'formats = ["claude"]\n[[agents]]\nname = "a"\nsources = ["a.md"]\n'
                               '[[agents]]\nname = "b"\nsources = ["gone.md"]\n[[agents]]\nname = "c"\nsources = ["nofolder/"]\n',
                     {"a.md": agent("a")})
    proc = run("sync", cwd=root)
    assert proc.returncode == 2
    lines = errors(proc.stderr)
    assert len(lines) == 2 and "'gone.md' of agent 'b' does not exist" in lines[0] and "'nofolder/' of agent 'c'" in lines[1]
    assert (root / ".claude/agents/a.md").is_file()


def test_sources_outside_the_repository_are_refused_not_walked(tmp_path: Path):
    """`/**/*.md`, `../outside/*.md` and a symlink out: refused with the path; nothing outside is read."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "canary.md").write_text(agent("canary", "CANARY-GUIDANCE"))
    root = repo_with(tmp_path, 'formats = ["claude"]\n[[agents]]\nname = "abs"\nsources = ["/**/*.md"]\n'
                               '[[agents]]\nname = "up"\nsources = ["../outside/*.md"]\n'
                               '[[agents]]\nname = "link"\nsources = ["linked.md"]\n'
                               '[[agents]]\nname = "ok"\nsources = ["ok.md"]\n', {"ok.md": agent("ok")})
    (root / "linked.md").symlink_to(outside / "canary.md")
    for command in (("sync",), ("sync", "--check")):
        proc = run(*command, cwd=root)
        assert proc.returncode == 2, proc.stderr
        assert "CANARY" not in proc.stdout + proc.stderr
        lines = errors(proc.stderr)
        assert len(lines) == 3 and all("outside the repository" in line for line in lines), lines
    assert not any("CANARY" in p.read_text() for p in files(root / ".claude"))


def test_sync_check_never_prints_a_file_from_outside(tmp_path: Path):
    """A source symlinked to a credentials file outside the repository: its text never reaches the log."""
    secret = tmp_path / "credentials"
    secret.write_text("---\nname: x\ndescription: AWS_SECRET_ACCESS_KEY=hunter2\n---\n\nhunter2\n")
    root = repo_with(tmp_path, '[[agents]]\nname = "x"\nsources = [".agentkit/agents/x.md"]\n')
    (root / ".agentkit/agents").mkdir(parents=True)
    (root / ".agentkit/agents/x.md").symlink_to(secret)
    proc = run("sync", "--check", cwd=root)
    assert proc.returncode == 2 and "hunter2" not in proc.stdout + proc.stderr
    assert "outside the repository" in proc.stderr


def test_sync_output_outside_repository_is_refused(tmp_path: Path):
    """`output` absolute, with `..`, or through a symlink to a folder outside: refused, nothing written there."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for output in (str(elsewhere), "../elsewhere", "link"):
        root = tmp_path / "repo"
        if root.exists():
            import shutil

            shutil.rmtree(root)
        root = repo_with(tmp_path, f'output = "{output}"\nformats = ["claude"]\n[[agents]]\nname = "a"\nsources = ["a.md"]\n',
                         {"a.md": agent("a")})
        (root / "link").symlink_to(elsewhere)
        proc = run("sync", cwd=root)
        assert proc.returncode == 2, (output, proc.stderr)
        assert len(errors(proc.stderr)) == 1, proc.stderr
        assert ("outside the repository" if output != "link" else "symbolic link") in proc.stderr
        assert files(elsewhere) == [], output


def test_imported_listing_cannot_name_a_file_outside(tmp_path: Path):
    """`.agentkit/imported` naming `../victim.md` (or an absolute path) never lets sync replace it."""
    victim = tmp_path / "victim.md"
    victim.write_text("my own file\n")
    root = repo_with(tmp_path, 'output = ".."\n[[agents]]\nname = "victim"\nsources = ["v.md"]\nformats = ["agentkit"]\n',
                     {"v.md": agent("victim"), ".agentkit/imported": f"../victim.md\n{victim}\n"})
    proc = run("sync", "--force", cwd=root)
    assert proc.returncode == 2 and victim.read_text() == "my own file\n"


def test_sync_name_clash_refuses_both(tmp_path: Path):
    """Two agents whose names give one file: both refused, each naming the other; neither written."""
    root = repo_with(tmp_path, 'formats = ["claude"]\n[[agents]]\nname = "Backend Dev"\nsources = ["a.md"]\n'
                               '[[agents]]\nname = "backend-dev"\nsources = ["b.md"]\n',
                     {"a.md": agent("a", "FROM-A"), "b.md": agent("b", "FROM-B")})
    for command in (("sync",), ("sync", "--check")):
        proc = run(*command, cwd=root)
        assert proc.returncode == 2
        lines = [line for line in errors(proc.stderr) if "neither is written" in line]
        assert len(lines) == 2 and all("Backend Dev" in line and "backend-dev" in line for line in lines)
    assert not (root / ".claude/agents/backend-dev.md").exists()


def test_sync_keeps_hand_edit_without_force(tmp_path: Path):
    """A generated file edited by hand: kept (exit 2, naming --force); --force replaces it; then clean."""
    root = repo_with(tmp_path, 'formats = ["claude"]\n[[agents]]\nname = "a"\nsources = ["a.md"]\n', {"a.md": agent("a")})
    assert run("sync", cwd=root).returncode == 0
    generated = root / ".claude/agents/a.md"
    edited = generated.read_text().replace("Be good.", "Be great.")
    generated.write_text(edited)
    kept = run("sync", cwd=root)
    assert kept.returncode == 2 and generated.read_text() == edited
    assert errors(kept.stderr) == [f"agentkit: error: {os.path.join('.claude', 'agents', 'a.md')}: was edited by hand; "
                                   "kept (--force replaces it, --check shows the difference)"]
    forced = run("sync", "--force", cwd=root)
    assert forced.returncode == 0 and "(replaced a hand edit)" in forced.stderr and "Be good." in generated.read_text()
    assert run("sync", "--check", cwd=root).returncode == 0


def test_edit_below_marker_is_edited(tmp_path: Path):
    """Lines added below the marker are a hand edit, not stale output."""
    root = repo_with(tmp_path, 'formats = ["claude"]\n[[agents]]\nname = "a"\nsources = ["a.md"]\n', {"a.md": agent("a")})
    assert run("sync", cwd=root).returncode == 0
    generated = root / ".claude/agents/a.md"
    generated.write_text(generated.read_text() + "\nA note of mine.\n")
    check = run("sync", "--check", cwd=root)
    assert check.returncode == 1 and "edited by hand: .claude/agents/a.md" in check.stderr and "stale" not in check.stderr


def test_copied_marker_source_is_used_and_warned(tmp_path: Path):
    """A source ending with a marker whose digest does not match is a source: used, with a warning."""
    marker = "<!-- generated by agentkit from agentkit.toml; edit the sources, not this file. sha256:" + "0" * 64 + " -->\n"
    root = repo_with(tmp_path, 'formats = ["claude"]\n[[agents]]\nname = "a"\nsources = ["a.md"]\n',
                     {"a.md": agent("a", "MY-OWN-GUIDANCE") + "\n" + marker})
    proc = run("sync", cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert "MY-OWN-GUIDANCE" in (root / ".claude/agents/a.md").read_text()
    assert "agentkit: warning: a.md:" in proc.stderr and "marker that does not match" in proc.stderr


def test_init_force_keeps_an_edited_source(tmp_path: Path):
    """`init --force` rewrites agentkit.toml, never an edited canonical source (one line says so)."""
    root = tmp_path / "repo"
    (root / ".claude/agents").mkdir(parents=True)
    (root / ".claude/agents/a.md").write_text(agent("a"))
    assert run("init", cwd=root).returncode == 0
    source = root / ".agentkit/agents/a.md"
    source.write_text(source.read_text().replace("Be good.", "Be better, as I edited it."))
    before = source.read_bytes()
    (root / "agentkit.toml").write_text("# broken\n")
    proc = run("init", "--force", cwd=root)
    assert proc.returncode == 2 and source.read_bytes() == before
    assert errors(proc.stderr) == ["agentkit: error: .agentkit/agents/a.md: is an agent source and differs from "
                                   "what init would import (edited?); kept (delete it to import it again)"]
    assert "[[agents]]" in (root / "agentkit.toml").read_text()


def test_init_skips_folder_notes_and_reads_the_rest(tmp_path: Path):
    """`.claude/agents/CLAUDE.md` without frontmatter is skipped with a note; a binary file is one error;
    the good agent is imported."""
    root = tmp_path / "repo"
    (root / ".claude/agents").mkdir(parents=True)
    (root / ".claude/agents/CLAUDE.md").write_text("# Notes\n\nHow our agents work.\n")
    (root / ".claude/agents/bad.md").write_bytes(b"\x00\x01binary")
    (root / ".claude/agents/good.md").write_text(agent("good"))
    proc = run("init", cwd=root)
    assert proc.returncode == 2
    assert [line for line in proc.stderr.splitlines() if line.startswith("agentkit: note:")] == [
        "agentkit: note: .claude/agents/CLAUDE.md: skipped: Markdown without frontmatter in an agent folder (notes, not an agent)"]
    assert len(errors(proc.stderr)) == 1 and "bad.md" in errors(proc.stderr)[0]
    assert sorted(p.name for p in (root / ".agentkit/agents").iterdir()) == ["good.md"]


def test_init_keeps_dotted_names_and_renames_references(tmp_path: Path):
    """Copilot's `team.implement` keeps its name and file; two spellings of one agent become its slug,
    and a handoff naming the old spelling is renamed with it (a `renamed:` line)."""
    root = tmp_path / "repo"
    agents = root / ".github/agents"
    agents.mkdir(parents=True)
    (agents / "team.implement.agent.md").write_text(
        "---\nname: team.implement\ndescription: Implements.\ntools: [read, edit]\nhandoffs:\n"
        "  - label: Review\n    agent: team.review\n  - label: Back\n    agent: Backend Dev\n---\n\nImplement.\n")
    (agents / "team.review.agent.md").write_text("---\nname: team.review\ndescription: Reviews.\ntools: [read]\n---\n\nReview.\n")
    (agents / "backend-dev.agent.md").write_text("---\nname: Backend Dev\ndescription: Backend.\ntools: [read]\n---\n\nBuild APIs.\n")
    (root / ".claude/agents").mkdir(parents=True)
    (root / ".claude/agents/backend-dev.md").write_text(agent("backend-dev", "Write tests."))
    init = run("init", cwd=root)
    assert init.returncode == 0, init.stderr
    assert "agentkit: renamed: 'Backend Dev' is now 'backend-dev'" in init.stderr
    assert "handoff to 'Backend Dev' now names 'backend-dev'" in init.stderr
    synced = run("sync", cwd=root)
    assert synced.returncode == 0, synced.stderr
    names = sorted(p.name for p in agents.iterdir())
    assert names == ["backend-dev.agent.md", "team.implement.agent.md", "team.review.agent.md"], names
    handoffs = agentkit.read(agents / "team.implement.agent.md").agent.handoffs
    assert [h.agent for h in handoffs] == ["team.review", "backend-dev"]


def test_sync_reports_losses_as_export_does(tmp_path: Path):
    """sync prints the loss lines export prints for the same agent and format, and --json has them."""
    source = agent("a").replace("tools: Read, Grep", "tools: Read, Grep\ncolor: blue\nmodel: opus")
    root = repo_with(tmp_path, 'formats = ["cursor-rule"]\n[[agents]]\nname = "a"\nsources = ["a.md"]\n', {"a.md": source})
    exported = run("export", "a.md", "--format", "cursor-rule", "-o", str(tmp_path / "out"), cwd=root)
    synced = run("sync", cwd=root)

    def losses(text: str) -> list[str]:
        return [line.split(" -> ", 1)[1] for line in text.splitlines() if " -> cursor-rule: " in line]

    assert losses(synced.stderr) and losses(synced.stderr) == losses(exported.stderr)
    report = json.loads(run("sync", "--json", cwd=root).stdout)
    assert report["errors"] == [] and report["warnings"] == []
    (entry,) = report["outputs"]
    assert entry["status"] == "unchanged" and {loss["field"] for loss in entry["losses"]} >= {"model", "color"}


def test_non_utf8_config_is_one_line(tmp_path: Path):
    root = tmp_path / "repo"
    root.mkdir()
    (root / "agentkit.toml").write_bytes(b'[[agents]]\nname = "\xff"\n')
    proc = run("sync", cwd=root)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1 and "agentkit.toml" in proc.stderr


# --- outputs -------------------------------------------------------------------------------------------


@pytest.fixture
def umask():  # type: ignore[no-untyped-def]
    old = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(old)


def test_new_files_follow_the_umask(tmp_path: Path, umask):  # type: ignore[no-untyped-def]
    """A new file gets 0666 & ~umask, as any tool's would (it was 0600)."""
    (tmp_path / "a.md").write_text(GOOD)
    for mask, mode in ((0o022, 0o644), (0o002, 0o664)):
        umask(mask)
        out = tmp_path / f"out{mask}"
        assert cli("export", str(tmp_path / "a.md"), "--format", "claude", "-o", str(out)).exit_code == 0
        assert stat.S_IMODE(os.stat(out / ".claude/agents/good-agent.md").st_mode) == mode


def test_normalize_in_place_keeps_mode(tmp_path: Path):
    for mode in (0o664, 0o755, 0o600):
        path = tmp_path / f"a{mode:o}.md"
        path.write_bytes(GOOD.replace("\n", "\r\n").encode())  # CRLF: a repair
        os.chmod(path, mode)
        result = cli("normalize", "--in-place", str(path))
        assert result.exit_code == 0 and "updated:" in result.stderr
        assert stat.S_IMODE(os.stat(path).st_mode) == mode and b"\r" not in path.read_bytes()


def test_export_force_keeps_mode(tmp_path: Path):
    (tmp_path / "a.md").write_text(GOOD)
    target = tmp_path / "out/.claude/agents/good-agent.md"
    target.parent.mkdir(parents=True)
    target.write_text("someone's\n")
    os.chmod(target, 0o640)
    assert cli("export", str(tmp_path / "a.md"), "--format", "claude", "-o", str(tmp_path / "out"), "--force").exit_code == 0
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640 and "Be good." in target.read_text()


def test_symlinked_folder_in_output_root_is_refused(tmp_path: Path):
    """out/.claude -> elsewhere: export refuses (symbolic link), nothing lands elsewhere; sync too."""
    (tmp_path / "a.md").write_text(GOOD)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / ".claude").symlink_to(elsewhere)
    result = cli("export", str(tmp_path / "a.md"), "--format", "claude,copilot", "-o", str(out), "--force")
    assert result.exit_code == 2 and files(elsewhere) == []
    assert errors(result.stderr) == [f"agentkit: error: {out}/.claude: refusing to write through a symbolic link"]
    assert (out / ".github/agents/good-agent.agent.md").is_file()
    root = repo_with(tmp_path, 'formats = ["claude"]\n[[agents]]\nname = "a"\nsources = ["a.md"]\n', {"a.md": agent("a")})
    (root / ".claude").symlink_to(elsewhere)
    proc = run("sync", "--force", cwd=root)
    assert proc.returncode == 2 and "symbolic link" in proc.stderr and files(elsewhere) == []


def test_symlink_swapped_in_after_the_check_is_not_followed(tmp_path: Path, monkeypatch):
    """The folder is replaced by a symlink between the plan (which saw a real folder) and the write:
    the write, relative to folders opened without following links, is refused; nothing lands outside."""
    (tmp_path / "a.md").write_text(GOOD)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    (out / ".claude/agents").mkdir(parents=True)
    real_apply = outputs.apply

    def swap_then_apply(planned):  # type: ignore[no-untyped-def]
        (out / ".claude/agents").rmdir()
        (out / ".claude").rmdir()
        (out / ".claude").symlink_to(elsewhere)
        (elsewhere / "agents").mkdir()
        return real_apply(planned)

    monkeypatch.setattr(outputs, "apply", swap_then_apply)
    result = cli("export", str(tmp_path / "a.md"), "--format", "claude", "-o", str(out))
    assert result.exit_code == 2 and files(elsewhere) == []
    assert errors(result.stderr) == [f"agentkit: error: {out}/.claude: refusing to write through a symbolic link"]


@pytest.mark.parametrize("name", ["claude", "agents", "gemini", "readme", "skill", "copilot-instructions", "x.agent", "license"])
def test_plain_names_read_back_as_written(tmp_path: Path, name: str):
    """An agent named like another format's file (or a file a folder scan passes over) is written
    where it reads back as what it was written as, tools kept, and a scan of the output finds it."""
    source = tmp_path / "src.md"
    source.write_text(agent(name))
    out = tmp_path / "out"
    result = cli("export", str(source), "--format", "agentkit,claude,copilot", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    written = {p.relative_to(out).parts[0] if len(p.relative_to(out).parts) > 1 else "": p for p in files(out)}
    assert set(written) == {"", ".claude", ".github"}, written
    expected = {"": "agentkit", ".claude": "claude", ".github": "copilot"}
    for place, path in written.items():
        read = agentkit.read(path).agent
        assert read.format == expected[place] and read.name in (name, name.replace(".", "-")), (path, read.format)
        assert read.tools is not None and len(read.tools) == 2, (path, read.tools)
    scanned = json.loads(cli("inspect", "--json", str(out)).stdout)
    assert sorted(entry["format"] for entry in scanned) == ["agentkit", "claude", "copilot"]


def test_normalize_output_keeps_folders_and_existing_files(tmp_path: Path):
    """`normalize -o` keeps a/x.md and b/x.md apart, and keeps an existing different file unless --force."""
    inputs = tmp_path / "in"
    for folder in ("a", "b"):
        (inputs / folder).mkdir(parents=True)
        (inputs / folder / "x.md").write_text(agent(f"x-{folder}") + "\n\n")
    out = tmp_path / "out"
    assert cli("normalize", str(inputs), "-o", str(out)).exit_code == 0
    assert [p.relative_to(out).as_posix() for p in files(out)] == ["a/x.md", "b/x.md"]
    (out / "a/x.md").write_text("mine\n")
    kept = cli("normalize", str(inputs), "-o", str(out))
    assert kept.exit_code == 2 and (out / "a/x.md").read_text() == "mine\n"
    assert errors(kept.stderr) == [f"agentkit: error: {out}/a/x.md: exists and differs; kept (--force replaces it)"]
    assert cli("normalize", str(inputs), "-o", str(out), "--force").exit_code == 0 and "x-a" in (out / "a/x.md").read_text()


@pytest.mark.parametrize("command", ["merge", "convert"])
def test_merge_and_convert_kept_message_names_only_their_flags(tmp_path: Path, command: str):
    (tmp_path / "a.md").write_text(GOOD)
    target = tmp_path / "out.md"
    target.write_text("mine\n")
    args = ["merge", str(tmp_path / "a.md"), "-o", str(target)] if command == "merge" else \
        ["convert", str(tmp_path / "a.md"), "--to", "agentkit", "-o", str(target)]
    result = cli(*args)
    assert result.exit_code == 2 and target.read_text() == "mine\n"
    assert errors(result.stderr) == [f"agentkit: error: {target}: exists and differs; kept (--force replaces it)"]
    assert cli(*args, "--force").exit_code == 0 and "good-agent" in target.read_text()


def test_stale_temp_files_are_cleaned(tmp_path: Path):
    """Our temporary file left by a killed run (over a minute old) goes on the next write; a fresh one stays."""
    (tmp_path / "a.md").write_text(GOOD)
    folder = tmp_path / "out/.claude/agents"
    folder.mkdir(parents=True)
    stale, fresh = folder / ".good-agent.md.deadbeef.agentkit.tmp", folder / ".good-agent.md.0badf00d.agentkit.tmp"
    other = folder / ".someone-else.tmp"
    for path in (stale, fresh, other):
        path.write_text("half\n")
    old = time.time() - 120
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    assert cli("export", str(tmp_path / "a.md"), "--format", "claude", "-o", str(tmp_path / "out")).exit_code == 0
    assert not stale.exists() and fresh.exists() and other.exists()


def test_interrupted_write_leaves_no_temp_file(tmp_path: Path, monkeypatch):
    """Ctrl-C in the middle of a write: exit 130, one line, the old file intact, no temporary file."""
    (tmp_path / "a.md").write_text(GOOD)
    target = tmp_path / "out/.claude/agents/good-agent.md"
    target.parent.mkdir(parents=True)
    target.write_text("before\n")
    real_create = outputs._create

    def create_then_interrupt(temp: str, folder: int) -> int:
        fd = real_create(temp, folder)
        os.close(fd)
        raise KeyboardInterrupt

    monkeypatch.setattr(outputs, "_create", create_then_interrupt)
    result = cli("export", str(tmp_path / "a.md"), "--format", "claude", "-o", str(tmp_path / "out"), "--force")
    assert result.exit_code == 130 and "agentkit: interrupted" in result.stderr
    assert target.read_text() == "before\n" and [p.name for p in target.parent.iterdir()] == ["good-agent.md"]


def test_ctrl_c_exits_130(tmp_path: Path, monkeypatch):
    from agentkit import reader

    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(reader, "read_many", interrupted)
    (tmp_path / "a.md").write_text(GOOD)
    result = cli("inspect", str(tmp_path / "a.md"))
    assert result.exit_code == 130 and result.stderr.strip().splitlines() == ["agentkit: interrupted"]


def test_written_file_is_read_back(tmp_path: Path, monkeypatch):
    """A file that does not read back as written is an error (`not-written`), never `created`."""
    (tmp_path / "a.md").write_text(GOOD)
    real_read = outputs._read_text

    def tampered(path: str, dir_fd: int | None = None) -> str:
        text = real_read(path, dir_fd)
        return text + "tampered\n" if dir_fd is not None and "Be good." in text else text

    monkeypatch.setattr(outputs, "_read_text", tampered)
    result = cli("export", str(tmp_path / "a.md"), "--format", "claude", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2 and "created:" not in result.stderr
    assert len(errors(result.stderr)) == 1 and "does not read back as written" in result.stderr


def test_one_json_error_shape(tmp_path: Path):
    """A refused input is {"path", "error": {"reason", "message", "line"}} in every command's --json."""
    bad = tmp_path / "bad.md"
    bad.write_text("---\nname: [unclosed\n")
    good = tmp_path / "good.md"
    good.write_text(GOOD)

    def shaped(entry: dict) -> bool:
        return set(entry["error"]) == {"reason", "message", "line"} and entry["path"] == str(bad)

    export = json.loads(cli("export", str(bad), str(good), "--format", "claude", "--stdout", "--json").stdout)
    assert [shaped(e) for e in export["errors"]] == [True]
    merge = json.loads(cli("merge", str(bad), str(good), "--json").stdout)
    assert [shaped(e) for e in merge["errors"]] == [True]
    inspect = json.loads(cli("inspect", str(bad), "--json").stdout)
    assert [shaped(e) for e in inspect] == [True]
    convert = json.loads(cli("convert", str(bad), "--to", "claude", "--json").stdout)
    assert shaped(convert) and convert["status"] == "error"
    lint = json.loads(cli("lint", str(bad), "--json").stdout)
    assert [shaped(e) for e in lint] == [True]
    diff = json.loads(cli("diff", str(good), str(bad), "--json").stdout)
    assert diff["changes"] is None and [shaped(e) for e in diff["errors"]] == [True]
    root = repo_with(tmp_path, '[[agents]]\nname = "a"\nsources = ["gone.md"]\n')
    sync = json.loads(run("sync", "--json", cwd=root).stdout)
    assert sync["outputs"] == [] and set(sync["errors"][0]["error"]) == {"reason", "message", "line"}


# --- messages ------------------------------------------------------------------------------------------

HIDDEN = "---\nname: h\ndescription: The h\u200b agent.\ntools: Read, Grep\nmodel: opus\ncolor: blue\n---\n\nBe \u202e good.\n"


def _flags_named(text: str) -> set[str]:
    import re

    return set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", text))


def _flags_of(command: str) -> set[str]:
    return {opt for param in main.commands[command].params for opt in getattr(param, "opts", ()) if opt.startswith("--")}


def test_messages_name_only_flags_the_command_has(tmp_path: Path):
    """Every flag a message suggests (`--force replaces it`, `--keep-hidden keeps them`, `--allow-wider
    writes it anyway`, `--check shows ...`) is one the command that printed it accepts."""
    (tmp_path / "h.md").write_text(HIDDEN)
    (tmp_path / "mine.md").write_text("mine\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".claude/agents").mkdir(parents=True)
    (out / ".claude/agents/h.md").write_text("someone's\n")
    root = repo_with(tmp_path, 'formats = ["claude", "cursor", "cursor-rule"]\n[[agents]]\nname = "h"\nsources = ["h.md"]\n',
                     {"h.md": HIDDEN, ".claude/agents/h.md": "someone's\n", ".claude/agents/x.md": HIDDEN})
    said: dict[str, str] = {
        "export": cli("export", str(tmp_path / "h.md"), "--format", "claude,cursor,cursor-rule", "-o", str(out)).stderr,
        "convert": cli("convert", str(tmp_path / "h.md"), "--to", "cursor", "-o", str(tmp_path / "mine.md")).stderr
        + cli("convert", str(tmp_path / "h.md"), "--to", "cursor-rule", "-o", str(tmp_path / "mine.md")).stderr,
        "merge": cli("merge", str(tmp_path / "h.md"), str(SAMPLES), "-o", str(tmp_path / "mine.md")).stderr,
        "normalize": cli("normalize", str(tmp_path / "h.md"), "-o", str(out / ".claude/agents")).stderr,
        "sync": run("sync", cwd=root).stderr + run("sync", "--check", cwd=root).stderr,
        "init": run("init", cwd=root).stderr + run("init", "--force", cwd=root).stderr,
    }
    for command, text in said.items():
        assert text.strip(), command
        named = _flags_named(text)
        assert named <= _flags_of(command), (command, named - _flags_of(command), text)
    assert "--keep-hidden" in said["export"] + said["init"] and "--force" in said["sync"] + said["merge"]


def test_init_reports_what_its_sources_cannot_hold(tmp_path: Path):
    """init writes canonical sources through export: hidden characters removed there are reported,
    one line each, and listed in --json; --keep-hidden keeps them."""
    root = tmp_path / "repo"
    (root / ".claude/agents").mkdir(parents=True)
    (root / ".claude/agents/h.md").write_text(HIDDEN)
    proc = run("init", cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert "agentkit: .claude/agents/h.md -> agentkit: hidden: removed 2 invisible" in proc.stderr
    assert "\u200b" not in (root / ".agentkit/agents/h.md").read_text()
    report = json.loads(run("init", "--force", "--json", cwd=root).stdout)
    assert report["errors"] == [] and report["outputs"][0]["status"] == "unchanged"
    (root / ".agentkit/agents/h.md").unlink()
    run("init", "--force", "--keep-hidden", cwd=root)
    assert "\u200b" in (root / ".agentkit/agents/h.md").read_text()


def test_init_says_when_it_found_only_generated_files(tmp_path: Path):
    root = tmp_path / "repo"
    (root / ".claude/agents").mkdir(parents=True)
    (root / ".claude/agents/a.md").write_text(agent("a"))
    assert run("init", cwd=root).returncode == 0 and run("sync", cwd=root).returncode == 0
    for generated in (root / "agentkit.toml", root / ".agentkit/imported"):
        generated.unlink()
    import shutil

    shutil.rmtree(root / ".agentkit")
    proc = run("init", cwd=root)
    assert proc.returncode == 2
    assert errors(proc.stderr) == ["agentkit: error: .: found no agent files other than 1 generated by agentkit sync "
                                   "(their sources are elsewhere) (" + ", ".join(dict.fromkeys(p.folder for _, p in formats.agent_places())) + ")"]


def test_existing_files_differing_in_case_are_no_clash(tmp_path: Path):
    """Two files a repository already holds side by side (`README-template.md`, `readme-template.md`) are
    normalized in place each; two new files differing only in case are still a clash."""
    for name in ("README-template.md", "readme-template.md"):
        (tmp_path / name).write_text(agent(name.split(".")[0].lower()) + "\n\n")
    if len(list(tmp_path.iterdir())) < 2:
        pytest.skip("this file system does not tell the two names apart")
    result = cli("normalize", "--check", str(tmp_path))
    assert "neither is written" not in result.stderr and result.exit_code == 0, result.stderr
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.md").write_text(agent("Backend"))
    (source / "b.md").write_text(agent("backend"))
    clash = cli("export", str(source / "a.md"), str(source / "b.md"), "--format", "agentkit", "-o", str(tmp_path / "out"))
    assert clash.exit_code == 2 and clash.stderr.count("neither is written") == 2
