"""Nothing unreadable is written (issue 13, part 3), through the CLI: no control character reaches an
output, an agent with nothing in it is refused with one line by every command that writes, and a long
name gives a short file name (reported) instead of an unwritable path; an output that cannot be
written is one line, and the other inputs are still processed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import cli

import agentkit
from agentkit.formats.fields import FILE_STEM_LIMIT, file_stem

GOOD = "---\nname: good-agent\ndescription: A fine agent.\n---\n\nBe good.\n"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
TARGETS = "claude,copilot,cursor,cursor-rule,agentkit"


def errors(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [line for line in result.stderr.splitlines() if line.startswith("agentkit: error:")]


def written(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def assert_readable(paths: list[Path]) -> None:
    assert paths
    for path in paths:
        assert not CONTROL.search(path.read_text(encoding="utf-8")), path
        agentkit.read(path)  # raises AgentkitError if agentkit could not read back what it wrote


# --- control characters ------------------------------------------------------------------------------


def test_control_characters_are_removed_on_reading_and_never_written(tmp_path: Path):
    source = tmp_path / "bell.md"
    body = "Ring \x07 the bell, \x1b[1mbold\x1b[0m and a stray C1 \u0085 character.\n" + "More guidance text here.\n" * 20
    source.write_text(f"---\nname: bell\ndescription: Rings.\n---\n\n{body}", encoding="utf-8")
    lint = cli("lint", "--json", str(source))
    assert lint.exit_code == 1
    assert [(f["kind"], f["line"]) for f in json.loads(lint.stdout)] == [("control-char", 6)] * 4
    inspect = json.loads(cli("inspect", "--json", str(source)).stdout)[0]
    assert [r["message"] for r in inspect["repairs"] if r["kind"] == "control-char"][0] == "removed control character U+0007"
    out = tmp_path / "out"
    assert cli("export", str(source), "--format", TARGETS, "-o", str(out)).exit_code == 0
    assert cli("normalize", str(source), "-o", str(tmp_path / "normalized")).exit_code == 0
    assert cli("merge", str(source), "-o", str(tmp_path / "merged" / "bell.md")).exit_code == 0
    assert_readable(written(out) + written(tmp_path / "normalized") + written(tmp_path / "merged"))
    assert "Ring  the bell, [1mbold[0m" in (out / ".claude/agents/bell.md").read_text()
    assert not CONTROL.search(cli("normalize", str(source)).stdout)


@pytest.mark.parametrize("codec, bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-32-le", b"\xff\xfe\x00\x00")])
def test_nul_in_a_utf16_or_utf32_file_is_refused_not_exported(tmp_path: Path, codec: str, bom: bytes):
    # The fuzz run's 113 unreadable exports: NUL characters decoded from UTF-16 were written as raw NUL bytes.
    inputs = tmp_path / "in"
    inputs.mkdir()
    text = "---\nname: wide\ndescription: UTF-16.\n---\n\nGuidance with a NUL \x00 in it, among plenty of other text.\n" * 3
    (inputs / "wide.md").write_bytes(bom + text.encode(codec))
    (inputs / "good.md").write_text(GOOD)
    out = tmp_path / "out"
    result = cli("export", str(inputs), "--format", "claude,copilot,cursor", "-o", str(out))
    assert result.exit_code == 2
    assert len(errors(result)) == 1 and "wide.md: file looks binary (contains NUL characters" in errors(result)[0]
    assert sorted(p.name for p in written(out)) == ["good-agent.agent.md", "good-agent.md", "good-agent.md"]
    assert_readable(written(out))


def test_utf16_with_a_bom_exports_clean_utf8(tmp_path: Path):
    source = tmp_path / "wide.md"
    source.write_bytes(b"\xff\xfe" + "---\nname: wide\ndescription: Wide.\n---\n\nBe wide \x01 here.\n".encode("utf-16-le"))
    out = tmp_path / "out"
    assert cli("export", str(source), "--format", TARGETS, "-o", str(out)).exit_code == 0
    assert_readable(written(out))
    assert (out / ".claude/agents/wide.md").read_bytes().endswith(b"\n\nBe wide  here.\n")


def test_control_characters_from_yaml_escapes_are_stripped_from_exports_with_a_loss(tmp_path: Path):
    # `"\x07"` in a double-quoted YAML value is a real BEL once read; moved into a body (Copilot's "When to
    # use" section), it would be written raw.
    source = tmp_path / "escaped.md"
    source.write_text('---\nname: escaped\ndescription: "Use it.\\x07 <example>user: hi\\x01 there\\0</example>"\n---\n\nBody.\n')
    out = tmp_path / "out"
    result = cli("export", str(source), "--format", TARGETS, "-o", str(out))
    assert result.exit_code == 0
    assert "escaped.md -> copilot: control: removed 3 control character(s)" in result.stderr
    assert_readable(written(out))
    assert "user: hi there" in (out / ".github/agents/escaped.agent.md").read_text()
    converted = cli("convert", str(source), "--to", "cursor")
    assert converted.exit_code == 0 and not CONTROL.search(converted.stdout)


def test_a_body_opening_with_a_rule_is_not_read_back_as_frontmatter(tmp_path: Path):
    # A Cursor rule keeps no name: with nothing else in the frontmatter, the body's own `---` block came
    # first in the file and was read back as the rule's frontmatter (its lines as keys, even tools).
    source = tmp_path / "ruled.md"
    source.write_text("---\nname: ruled\n---\n---\ntools: Bash\n---\n\nKeep it tidy.\n")
    out = tmp_path / "out"
    assert cli("export", str(source), "--format", "cursor-rule", "-o", str(out)).exit_code == 0
    rule = agentkit.read(out / ".cursor/rules/ruled.mdc")
    assert rule.agent.body == "---\ntools: Bash\n---\n\nKeep it tidy."
    assert rule.agent.passthrough == {}
    assert cli("export", str(out / ".cursor/rules/ruled.mdc"), "--format", "cursor-rule", "-o", str(out)).stderr == (
        f"unchanged: {out / '.cursor/rules/ruled.mdc'}\n")


# --- an agent with nothing in it ---------------------------------------------------------------------

EMPTY = ("---\n---\n", "---\n---\n\n   \n", "---\n{}\n---\n", "---\nname:\ndescription: ''\n---\n")


@pytest.mark.parametrize("text", EMPTY)
def test_an_empty_agent_is_one_line_in_every_command_that_writes(tmp_path: Path, text: str):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "empty.md").write_text(text)
    (inputs / "good.md").write_text(GOOD)
    empty = str(inputs / "empty.md")
    out = tmp_path / "out"
    runs = {
        "export": cli("export", str(inputs), "--format", TARGETS, "-o", str(out / "export")),
        "normalize": cli("normalize", str(inputs), "-o", str(out / "normalize")),
        "merge": cli("merge", str(inputs), "-o", str(out / "merge" / "merged.md")),
        "convert": cli("convert", empty, "--to", "claude", "-o", str(out / "convert" / "empty.md")),
        "normalize stdout": cli("normalize", empty),
    }
    for command, result in runs.items():
        assert result.exit_code == 2, command
        assert errors(result) == [f"agentkit: error: {empty}: nothing to write: the agent has no name, description or body"], command
    assert not (out / "convert").exists()
    assert not any("empty" in p.name for p in written(out))
    assert_readable(written(out))  # the good agent was still exported, normalized and merged
    assert len(written(out / "export")) == 5


def test_sync_refuses_an_empty_source_with_one_line(tmp_path: Path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "empty.md").write_text("---\n---\n")
    (tmp_path / "src" / "good.md").write_text(GOOD)
    config = tmp_path / "agentkit.toml"
    config.write_text('output = "."\nformats = ["claude", "cursor"]\n\n[[agents]]\nname = "empty"\nsources = ["src/empty.md"]\n\n'
                      '[[agents]]\nname = "good-agent"\nsources = ["src/good.md"]\n')
    result = cli("sync", "--config", str(config))
    assert result.exit_code == 2
    assert any("empty.md: nothing to write: the agent has no name, description or body" in line for line in errors(result))
    assert not (tmp_path / ".claude/agents/empty.md").exists()
    assert_readable([tmp_path / ".claude/agents/good-agent.md", tmp_path / ".cursor/agents/good-agent.md"])


def test_an_agent_that_would_be_an_empty_file_in_the_target_is_refused(tmp_path: Path):
    # A name only: a Cursor rule holds no name, so the file would be blank.
    source = tmp_path / "named.md"
    source.write_text("---\nname: named\n---\n")
    out = tmp_path / "out"
    result = cli("export", str(source), "--format", "claude,cursor-rule", "-o", str(out))
    assert result.exit_code == 2
    assert errors(result) == [f"agentkit: error: {source}: nothing to write: as a Cursor project rule the agent would be an empty file"]
    assert_readable(written(out))
    assert [p.name for p in written(out)] == ["named.md"]


# --- long names --------------------------------------------------------------------------------------


def test_a_300_character_name_gets_a_short_file_name_and_the_next_input_is_exported(tmp_path: Path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    long_name = "word-" * 59 + "words"  # 300 characters
    (inputs / "a-long.md").write_text(f"---\nname: {long_name}\ndescription: Long.\n---\n\nBody.\n")
    (inputs / "b-long.md").write_text(f"---\nname: {long_name}-2\ndescription: Long too.\n---\n\nBody.\n")
    (inputs / "c-good.md").write_text(GOOD)
    out = tmp_path / "out"
    (out / ".claude/agents").mkdir(parents=True)  # the case that was exit 3: the folder exists
    result = cli("export", str(inputs), "--format", TARGETS, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    stem = file_stem(long_name)
    assert len(stem) <= FILE_STEM_LIMIT and re.fullmatch(r"(word-)+[0-9a-f]{8}", stem)
    assert f"a-long.md -> claude: file name: a 300-character name; file name shortened to {stem}.md" in result.stderr
    claude = out / ".claude/agents" / f"{stem}.md"
    assert agentkit.read(claude).agent.name == long_name  # the name itself is kept whole
    assert file_stem(long_name + "-2") != stem  # same opening, different name: different files
    assert len(written(out)) == 15
    assert_readable(written(out))
    assert file_stem(long_name) == stem and file_stem("Short Name") == "short-name"


def test_an_output_that_cannot_be_written_is_one_line_and_the_rest_are_written(tmp_path: Path):
    source = tmp_path / "good.md"
    source.write_text(GOOD)
    out = tmp_path / "out"
    out.mkdir()
    (out / ".claude").write_text("a file where the folder should be\n")
    result = cli("export", str(source), "--format", "claude,copilot,cursor", "-o", str(out))
    assert result.exit_code == 2
    assert len(errors(result)) == 1 and "out/.claude: is not a folder, but the output goes inside it" in errors(result)[0]
    assert_readable([out / ".github/agents/good-agent.agent.md", out / ".cursor/agents/good-agent.md"])


# --- the output layer itself ---------------------------------------------------------------------------


def test_file_changed_after_planning_is_kept(tmp_path: Path):
    """A file someone changes between the plan and the write is not overwritten: the write is refused
    (`changed`), whatever the plan said, and the other planned files are still written."""
    from agentkit.outputs import Output, apply, plan

    (tmp_path / "a.md").write_text("old\n")
    planned = plan([Output(str(tmp_path), "a.md", "new\n", "src"), Output(str(tmp_path), "b.md", "fresh\n", "src")], force=True)
    assert [o.status for o in planned] == ["update", "create"] and planned[0].replaces == "exists"
    (tmp_path / "a.md").write_text("edited meanwhile\n")
    ended = apply(planned)
    assert ended[0].status == "error" and ended[0].error is not None and ended[0].error.reason == "changed"
    assert (tmp_path / "a.md").read_text() == "edited meanwhile\n"
    assert ended[1].status == "created" and (tmp_path / "b.md").read_text() == "fresh\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_paths_leaving_the_root_are_refused_before_anything_is_read(tmp_path: Path):
    """`..`, absolute paths and NUL bytes in a planned path are refused by the layer itself."""
    from agentkit.outputs import Output, plan

    outside = tmp_path / "outside.md"
    outside.write_text("secret\n")
    root = tmp_path / "root"
    root.mkdir()
    for path in ("../outside.md", str(outside), "a/../../outside.md", "bad\x00.md", "", "."):
        (result,) = plan([Output(str(root), path, "x\n", "src")], force=True)
        assert result.status == "error" and result.old is None, path
        assert result.error is not None and result.error.reason in ("outside-root", "bad-path"), path
    assert outside.read_text() == "secret\n"
