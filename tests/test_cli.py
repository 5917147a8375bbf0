"""The command line, run as a user would: through the console entry point in a subprocess where it matters."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from conftest import SAMPLES, sample

from agentkit.cli import main


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agentkit", *args], capture_output=True, text=True, cwd=cwd)


def test_inspect_json_samples_directory():
    proc = run("inspect", "--json", str(SAMPLES))
    assert proc.returncode == 0, proc.stderr
    payload = json.loads(proc.stdout)
    assert len(payload) == 5
    for entry in payload:
        for key in ("path", "format", "name", "description", "model", "tools", "body", "repairs", "warnings"):
            assert key in entry
        assert isinstance(entry["tools"], list)
        assert all(isinstance(f["line"], int) for f in entry["repairs"])
    by_name = {Path(e["path"]).name[0]: e for e in payload}
    assert by_name["4"]["tools"] == ["Read", "Grep", "Glob", "Edit", "Bash", "WebSearch"]
    assert any(w["kind"] == "duplicate-name" for w in by_name["3"]["warnings"])
    assert any(r["kind"] == "mojibake" and r["line"] == 334 for r in by_name["2"]["repairs"])


def test_inspect_text_mentions_repairs_and_lines():
    proc = run("inspect", str(sample(2)))
    assert proc.returncode == 0
    assert "line 334" in proc.stdout and "backend-agent" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_bad_inputs_one_line_each_others_still_processed(tmp_path: Path):
    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "binary.md").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "open.md").write_text("---\nname: x\ndescription: y\n\nbody\n")
    (tmp_path / "list.md").write_text("---\n- a\n- b\n---\nbody\n")
    (tmp_path / "scalar.md").write_text("---\njust text\n---\nbody\n")
    good = tmp_path / "good.md"
    good.write_text("---\nname: good\ndescription: fine\n---\nBe good.\n")
    proc = run("inspect", "--json", str(tmp_path))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("agentkit: error:")]
    assert len(errors) == 5 and len(proc.stderr.splitlines()) == 5
    for name in ("empty.md", "binary.md", "open.md", "list.md", "scalar.md"):
        assert any(name in line for line in errors)
    assert any("open.md:1:" in line for line in errors)
    payload = json.loads(proc.stdout)
    assert [e["name"] for e in payload if "error" not in e] == ["good"]
    assert {e["error"]["reason"] for e in payload if "error" in e} >= {"empty", "binary", "unterminated-frontmatter", "frontmatter-not-mapping"}


def test_missing_file_is_exit_2(tmp_path: Path):
    proc = run("inspect", str(tmp_path / "nope.md"))
    assert proc.returncode == 2 and "nope.md" in proc.stderr and "Traceback" not in proc.stderr


def test_normalize_check_then_output_then_idempotent(tmp_path: Path):
    runner = CliRunner()
    check = runner.invoke(main, ["normalize", "--check", str(sample(2))])
    assert check.exit_code == 1
    assert "+- ⚠️ **Ask First:**" in check.output
    out = tmp_path / "out"
    wrote = runner.invoke(main, ["normalize", "-o", str(out), str(SAMPLES)])
    assert wrote.exit_code == 0, wrote.output
    files = sorted(out.iterdir())
    assert len(files) == 5
    again = runner.invoke(main, ["normalize", "--check", str(out)])
    assert again.exit_code == 0, again.output
    for file in files:
        data = file.read_bytes()
        assert data.endswith(b"\n") and b"\r" not in data and not data.startswith(b"\xef\xbb\xbf")


def test_normalize_in_place_repairs_crlf_bom(tmp_path: Path):
    file = tmp_path / "a.md"
    file.write_bytes(b"\xef\xbb\xbf---\r\nname: a\r\ndescription: b\r\n---\r\n\r\nBody\r\n")
    result = CliRunner().invoke(main, ["normalize", "--in-place", str(file)])
    assert result.exit_code == 0
    assert file.read_bytes() == b"---\nname: a\ndescription: b\n---\n\nBody\n"
    assert CliRunner().invoke(main, ["normalize", "--check", str(file)]).exit_code == 0


def test_normalize_keeps_unknown_keys(tmp_path: Path):
    file = tmp_path / "x.agent.md"
    file.write_text("---\ndescription: d\ntools: ['read', 'search']\ntarget: vscode\nmcp-servers:\n  srv:\n    type: local\n    command: run\n---\nBody\n")
    out = CliRunner().invoke(main, ["normalize", str(file)]).output
    assert out == file.read_text()  # nothing to repair: the same bytes, quoting and flow list included


def test_from_overrides_detection(tmp_path: Path):
    file = tmp_path / "thing.md"
    file.write_text("---\nname: x\ndescription: y\nreadonly: true\n---\nBody\n")
    auto = json.loads(CliRunner().invoke(main, ["inspect", "--json", str(file)]).output)[0]
    forced = json.loads(CliRunner().invoke(main, ["inspect", "--json", "--from", "claude", str(file)]).output)[0]
    assert auto["format"] == "cursor" and auto["readonly"] is True
    assert forced["format"] == "claude" and forced["passthrough"] == {"claude": {"readonly": True}}
    bad = CliRunner().invoke(main, ["inspect", "--from", "nope", str(file)])
    assert bad.exit_code == 2 and "unknown format" in bad.output


def test_help_is_fast_and_lazy():
    heavy = ('yaml', 'ftfy', 'markdown_it', 'deepdiff', 'ruamel.yaml', 'tomlkit', 'concurrent.futures', 'multiprocessing', 'agentkit.merge',
             'agentkit.formats')  # the format table: help texts fill its names in when shown
    code = f"import sys, agentkit.cli; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip() == "[]"
    assert run("--help").returncode == 0


def test_export_writes_conventional_paths_and_reports_losses(tmp_path: Path):
    proc = run("export", str(sample(4)), "--format", "claude,copilot,cursor,cursor-rule", "-o", str(tmp_path))
    # Cursor's readonly would also allow WebFetch, which seed 4 does not grant: that file is refused.
    assert proc.returncode == 1, proc.stderr
    assert "-> cursor: refused: the file would also allow WebFetch; --allow-wider writes it anyway" in proc.stderr
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert written == [".claude/agents/backend-developer.md", ".cursor/rules/backend-developer.mdc",
                       ".github/agents/backend-developer.agent.md"]
    assert "-> cursor: tools:" in proc.stderr and "[narrowed]" in proc.stderr and "[widened]" not in proc.stderr
    wider = run("export", str(sample(4)), "--format", "cursor", "-o", str(tmp_path), "--allow-wider")
    assert wider.returncode == 0 and "WebFetch" in wider.stderr and "[widened]" in wider.stderr
    assert (tmp_path / ".cursor/agents/backend-developer.md").is_file()
    again = run("export", str(sample(4)), "--format", "claude,copilot,cursor,cursor-rule", "-o", str(tmp_path), "--allow-wider")
    assert again.returncode == 0 and again.stderr.count("unchanged:") == 4


def test_export_json_strict_check_force(tmp_path: Path):
    proc = run("export", str(sample(0)), "--format", "copilot", "-o", str(tmp_path), "--json")
    payload = json.loads(proc.stdout)
    assert proc.returncode == 0 and payload["outputs"][0]["status"] == "created"
    assert {l["field"] for l in payload["outputs"][0]["losses"]} == {"model", "color", "examples"}
    strict = run("export", str(sample(0)), "--format", "cursor", "-o", str(tmp_path), "--strict")
    assert strict.returncode == 1 and not (tmp_path / ".cursor").exists()
    target = tmp_path / ".github/agents/backend-dev.agent.md"
    target.write_text(target.read_text().replace("You are", "You were"))
    check = run("export", str(sample(0)), "--format", "copilot", "-o", str(tmp_path), "--check")
    assert check.returncode == 1 and "-You were" in check.stdout and "+You are" in check.stdout
    assert "You were" in target.read_text()
    kept = run("export", str(sample(0)), "--format", "copilot", "-o", str(tmp_path))
    assert kept.returncode == 2 and "--force" in kept.stderr and "You were" in target.read_text()
    forced = run("export", str(sample(0)), "--format", "copilot", "-o", str(tmp_path), "--force")
    assert forced.returncode == 0 and "You were" not in target.read_text()
    clean = run("export", str(sample(0)), "--format", "copilot", "-o", str(tmp_path), "--check")
    assert clean.returncode == 0 and clean.stdout == ""


def test_export_stdout_and_convert(tmp_path: Path):
    printed = run("export", str(sample(3)), "--format", "cursor", "--stdout", cwd=tmp_path)
    assert printed.returncode == 0 and printed.stdout.startswith("---\nname: backend-developer\n")
    assert not any(tmp_path.iterdir())
    converted = run("convert", str(sample(3)), "--to", "cursor")
    assert converted.stdout == printed.stdout
    out = tmp_path / "one.agent.md"
    assert run("convert", str(sample(3)), "--to", "copilot", "-o", str(out)).returncode == 0
    assert json.loads(run("inspect", "--json", str(out)).stdout)[0]["name"] == "backend-developer"


def test_export_name_clash_and_bad_input_keep_going(tmp_path: Path):
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\x00\x01binary")
    proc = run("export", str(sample(3)), str(sample(4)), str(bad), "--format", "claude", "-o", str(tmp_path / "out"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "bad.md" in proc.stderr and "rename one" in proc.stderr
    # A clash is refused for both inputs, each line naming the other: neither overwrites the other.
    clashes = [line for line in proc.stderr.splitlines() if "neither is written" in line]
    assert len(clashes) == 2 and all("3-backend" in line and "4-backend" in line for line in clashes)
    assert not (tmp_path / "out/.claude/agents/backend-developer.md").exists()


def test_export_unknown_format_is_usage_error():
    proc = run("export", str(sample(0)), "--format", "word")
    assert proc.returncode == 2 and "unknown format" in proc.stderr
