"""agentkit.frontmatter: fences, strict YAML, recovery of real-world breakage, refusals, dump."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from agentkit.errors import AgentkitError
from agentkit.frontmatter import dump, parse

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus"


def seed(prefix: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip("shared seeds not available")
    matches = sorted(SEEDS.glob(f"{prefix}_*"))
    if not matches:
        pytest.skip(f"seed {prefix} not available")
    return matches[0].read_text(encoding="utf-8")


def only_repair(text: str) -> tuple[dict, str, int | None]:
    doc = parse(text)
    assert doc.recovered
    assert doc.data is not None
    [repair] = [r for r in doc.repairs if r.kind == "frontmatter-recovered"]
    return doc.data, repair.message, repair.line


# ------------------------------------------------------------------ strict reading, lines, body


def test_strict_file_key_lines_and_body() -> None:
    doc = parse("---\nname: a\ndescription: b\ntools: [Read, Grep]\n---\n\n# Body\ntext\n")
    assert doc.data == {"name": "a", "description": "b", "tools": ["Read", "Grep"]}
    assert list(doc.data) == ["name", "description", "tools"]
    assert doc.key_lines == {"name": 2, "description": 3, "tools": 4}
    assert doc.body == "\n# Body\ntext\n"
    assert doc.body_line == 6
    assert not doc.recovered and doc.repairs == () and doc.warnings == ()


def test_no_frontmatter() -> None:
    text = "# Title\n\n---\nname: x\n---\n"
    doc = parse(text)
    assert doc.data is None and doc.body == text and doc.body_line == 1 and doc.key_lines == {}


def test_empty_and_comment_only_frontmatter() -> None:
    assert parse("---\n---\nbody").data == {}
    assert parse("---\n# just a comment\n---\nbody").data == {}


def test_horizontal_rule_in_body_does_not_end_frontmatter_early() -> None:
    doc = parse("---\nname: a\n---\nintro\n\n---\n\nmore\n---\n")
    assert doc.data == {"name": "a"}
    assert doc.body == "intro\n\n---\n\nmore\n---\n"
    assert doc.body_line == 4


def test_body_line_when_fence_is_last_line() -> None:
    doc = parse("---\nname: a\n---")
    assert doc.body == "" and doc.body_line == 4


def test_timestamp_stays_a_string() -> None:
    data = parse("---\ndate_added: 2026-03-08\nat: 2026-03-08 10:00:00\nexplicit: !!timestamp 2001-12-14\n---\n").data
    assert data == {"date_added": "2026-03-08", "at": "2026-03-08 10:00:00", "explicit": "2001-12-14"}


def test_boolean_looking_keys_stay_text() -> None:
    data = parse("---\non: push\n2024: year\n---\n").data
    assert data == {"on": "push", "2024": "year"}


def test_duplicate_keys_warn_and_last_wins() -> None:
    doc = parse("---\nname: a\nmodel: x\nname: b\n---\n")
    assert doc.data == {"name": "b", "model": "x"}
    assert doc.key_lines["name"] == 4
    [warning] = doc.warnings
    assert warning.kind == "duplicate-key" and warning.line == 4 and "line 2" in warning.message


# ------------------------------------------------------------------ fences


def test_unterminated_frontmatter() -> None:
    with pytest.raises(AgentkitError) as info:
        parse("---\nname: a\ndescription: b\n", "x.md")
    assert info.value.reason == "unterminated-frontmatter"
    assert info.value.line == 1 and info.value.path == "x.md"
    assert str(info.value) == "x.md:1: frontmatter opened on line 1 is never closed"


def test_leading_blank_lines_before_fence() -> None:
    doc = parse("\n\n---\nname: a\n---\nbody\n")
    assert doc.data == {"name": "a"}
    assert doc.key_lines == {"name": 4}
    assert doc.body_line == 6 and doc.body == "body\n"
    assert [(r.kind, r.line) for r in doc.repairs] == [("frontmatter-fence", 3)]


def test_lone_rule_after_blank_lines_is_not_frontmatter() -> None:
    text = "\n---\nJust a rule\n"
    assert parse(text).data is None


def test_indented_fence() -> None:
    # Real case: 0xfurai sqs-expert.md, the whole file indented by four spaces.
    text = "\n    ---\n    name: sqs-expert\n    description: Queues. \n    model: claude-sonnet-4-20250514\n    ---\n    \n    ## Focus\n"
    doc = parse(text)
    assert doc.data == {"name": "sqs-expert", "description": "Queues.", "model": "claude-sonnet-4-20250514"}
    assert doc.key_lines == {"name": 3, "description": 4, "model": 5}
    assert doc.body_line == 7
    assert {r.kind for r in doc.repairs} == {"frontmatter-fence", "body-indent"}
    assert doc.body == "\n## Focus\n"
    assert any("indented" in r.message and r.line == 2 for r in doc.repairs)


def test_blank_line_after_fence_and_long_dash_closing_fence() -> None:
    # Real case: vijaythecoder frontend-developer.md.
    rule = "-" * 56
    doc = parse(f"---\n\nname: frontend-developer\ntools: LS, Read\n{rule}\n\n# Frontend\n\n---\n\nmore\n")
    assert doc.data == {"name": "frontend-developer", "tools": "LS, Read"}
    assert doc.body == "\n# Frontend\n\n---\n\nmore\n"
    assert doc.body_line == 6
    assert [(r.kind, r.line) for r in doc.repairs] == [("frontmatter-fence", 2), ("frontmatter-fence", 5)]
    assert "56-dash" in doc.repairs[1].message


# ------------------------------------------------------------------ not a mapping, invalid


@pytest.mark.parametrize(
    ("yaml_text", "kind"),
    [("- a\n- b", "a list"), ("just some words", "a string"), ("42", "a number"), ("true", "a boolean")],
)
def test_frontmatter_not_a_mapping(yaml_text: str, kind: str) -> None:
    with pytest.raises(AgentkitError) as info:
        parse(f"---\n{yaml_text}\n---\nbody\n", "x.md")
    assert info.value.reason == "frontmatter-not-mapping"
    assert info.value.line == 2
    assert info.value.message == f"frontmatter is {kind}, not a mapping of keys"


def test_invalid_yaml_without_any_key() -> None:
    with pytest.raises(AgentkitError) as info:
        parse("---\n- a\n- *b\n---\n")
    assert info.value.reason == "invalid-yaml"
    assert info.value.line is not None and info.value.line >= 2


# ------------------------------------------------------------------ refusals


def test_python_object_tag_refused_and_not_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f'---\nname: a\nx: !!python/object/apply:os.system ["touch {marker}"]\n---\n'
    with pytest.raises(AgentkitError) as info:
        parse(text)
    assert info.value.reason == "yaml-tag" and info.value.line == 3
    assert not marker.exists()


def test_python_object_tag_refused_in_recovered_file(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f'---\ndescription: a: b\nx: !!python/object/apply:os.system ["touch {marker}"]\n---\n'
    with pytest.raises(AgentkitError) as info:
        parse(text)
    assert info.value.reason == "yaml-tag" and info.value.line == 3
    assert not marker.exists()


def test_billion_laughs_refused() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(AgentkitError) as info:
        parse("---\n" + "\n".join(lines) + "\n---\n")
    assert info.value.reason == "yaml-too-complex"


def test_small_aliases_are_fine() -> None:
    data = parse("---\nbase: &b [x, y]\nother: *b\n---\n").data
    assert data == {"base": ["x", "y"], "other": ["x", "y"]}


def test_deep_nesting_refused() -> None:
    with pytest.raises(AgentkitError) as info:
        parse("---\nx: " + "[" * 200 + "]" * 200 + "\n---\n")
    assert info.value.reason == "yaml-too-complex" and info.value.line == 2


def test_very_deep_nesting_refused_even_when_recovering() -> None:
    with pytest.raises(AgentkitError) as info:
        parse("---\nglobs: **/*\nx: " + "[" * 100_000 + "\n---\n")
    assert info.value.reason == "yaml-too-complex" and info.value.line == 3


# ------------------------------------------------------------------ recovery


def test_seed_style_description_recovered() -> None:
    text = (
        "---\nname: helper\n"
        'description: Use this agent when needed. Examples:\\n\\n<example>\\nContext: a task\\nuser: "do it"\\n'
        'assistant: "I will"\\n<commentary>\\nbecause\\n</commentary>\\n</example>\n'
        "model: sonnet\n---\nbody\n"
    )
    doc = parse(text)
    assert doc.recovered
    assert doc.data == {
        "name": "helper",
        "description": 'Use this agent when needed. Examples:\n\n<example>\nContext: a task\nuser: "do it"\n'
        'assistant: "I will"\n<commentary>\nbecause\n</commentary>\n</example>',
        "model": "sonnet",
    }
    [repair] = doc.repairs
    assert repair.kind == "frontmatter-recovered" and repair.line == 3
    assert repair.message.startswith("description: unquoted value contains ': '")
    assert "\\n" in repair.message
    assert doc.key_lines == {"name": 2, "description": 3, "model": 4}


def test_literal_backslash_n_kept_in_valid_yaml() -> None:
    assert parse("---\ndescription: one\\ntwo\n---\n").data == {"description": "one\\ntwo"}


def test_unquoted_glob_list() -> None:
    """`globs: **/*.ts` is how Cursor writes globs (its reader takes the line as it is): not valid YAML,
    read without a repair (the reader fixes the spelling, see test_cursor_globs_spelling_is_repaired)."""
    doc = parse("---\ndescription: TS rules\nglobs: **/*.ts, src/**/*.ts\nalwaysApply: false\n---\n")
    assert doc.data == {"description": "TS rules", "globs": "**/*.ts, src/**/*.ts", "alwaysApply": False}
    assert doc.recovered and doc.repairs == ()


def test_bare_star_glob() -> None:
    doc = parse("---\ndescription: all\nglobs: *\n---\n")
    assert doc.data is not None and doc.data["globs"] == "*" and doc.repairs == ()


def test_glob_block_list_items() -> None:
    data, _, line = only_repair("---\nglobs:\n  - **/*.ts\n  - src/*.py\n---\n")
    assert data == {"globs": ["**/*.ts", "src/*.py"]} and line == 2


def test_several_quoted_globs() -> None:
    data, message, _ = only_repair("---\ndescription: x\napplyTo: '**/*.csproj', '**/*.cs'\n---\n")
    assert data["applyTo"] == "**/*.csproj, **/*.cs"
    assert "quoted globs" in message


def test_description_starting_with_bold() -> None:
    data, message, line = only_repair("---\nname: architect\ndescription: **Architect** for systems\n---\n")
    assert data["description"] == "**Architect** for systems"
    assert line == 3 and "'**'" in message


def test_unterminated_quote() -> None:
    data, message, line = only_repair('---\ndescription: "abc def\nmodel: sonnet\n---\n')
    assert data == {"description": "abc def", "model": "sonnet"}
    assert line == 2 and "unterminated quote" in message


def test_unterminated_quote_on_last_key() -> None:
    data, _, line = only_repair("---\ndescription: x\ntitle: 'GPT 5 Beast Mode\n---\n")
    assert data["title"] == "GPT 5 Beast Mode" and line == 3


def test_quoted_value_followed_by_extra_text() -> None:
    data, message, line = only_repair("---\ndescription: 'abc' more\nname: n\n---\n")
    assert data == {"description": "'abc' more", "name": "n"}
    assert line == 2 and "extra text" in message


def test_unescaped_apostrophe_in_single_quotes() -> None:
    data, _, _ = only_repair("---\ndescription: 'what it's supposed to do.'\n---\n")
    assert data["description"] == "what it's supposed to do."


@pytest.mark.parametrize("value", ["@mention the agent", "`code` first"])
def test_reserved_start_characters(value: str) -> None:
    data, message, _ = only_repair(f"---\ndescription: {value}\n---\n")
    assert data["description"] == value and "reserved character" in message


def test_multi_line_chunk_joined() -> None:
    data, message, line = only_repair("---\ndescription: Use it: now\n  and later\n\n  again\nmodel: x\n---\n")
    assert data == {"description": "Use it: now and later\nagain", "model": "x"}
    assert line == 2 and "joined" in message


def test_garbage_before_first_key_ignored() -> None:
    with pytest.raises(AgentkitError) as info:  # no key at all: nothing to recover
        parse("---\nthis is not yaml: at all: here\n---\n")
    assert info.value.reason == "invalid-yaml" and info.value.line == 2
    doc = parse("---\n# comment\nnot a key line\nname: a: b\n---\n")
    assert doc.data == {"name": "a: b"}
    assert [(w.kind, w.line) for w in doc.warnings] == [("frontmatter-garbage", 3)]


def test_recovered_duplicate_keys() -> None:
    doc = parse("---\nname: a\ndescription: x: y\nname: b\n---\n")
    assert doc.data == {"name": "b", "description": "x: y"}
    assert [(w.kind, w.line) for w in doc.warnings] == [("duplicate-key", 4)]


# ------------------------------------------------------------------ seeds


def test_seed_000() -> None:
    doc = parse(seed("000"))
    assert doc.recovered
    assert doc.data is not None
    assert list(doc.data) == ["name", "description", "model", "color"]
    assert (doc.data["name"], doc.data["model"], doc.data["color"]) == ("backend-dev", "sonnet", "red")
    description = doc.data["description"]
    assert description.startswith("Use this agent when you need to develop backend features")
    assert "\\n" not in description and "\n\n<example>\nContext: User needs to implement a new API endpoint\n" in description
    assert description.endswith("</commentary>\n</example>")
    assert [(r.kind, r.line) for r in doc.repairs] == [("frontmatter-recovered", 3)]
    assert doc.body_line == 7


def test_seed_001() -> None:
    doc = parse(seed("001"))
    assert doc.recovered and doc.data is not None
    assert (doc.data["name"], doc.data["model"]) == ("backend-dev-expert", "sonnet")
    assert doc.data["description"].count("<example>") == 2 and "\\n" not in doc.data["description"]
    assert doc.key_lines == {"name": 2, "description": 3, "model": 4}


def test_seed_004() -> None:
    doc = parse(seed("004"))
    assert doc.recovered and doc.data is not None
    assert doc.data["name"] == "backend-developer"
    assert doc.data["model"] == "sonnet"
    assert doc.data["tools"] == "Read, Grep, Glob, Edit, Bash, WebSearch"
    assert doc.data["description"].startswith("Use this agent when you need to develop, debug, or optimize backend systems")
    assert doc.data["description"].endswith("should handle this task.</commentary></example>")


def test_seed_002_strict() -> None:
    doc = parse(seed("002"))
    assert not doc.recovered and doc.repairs == () and doc.data is not None
    assert doc.data["model"] == "claude-4-5-opus"
    assert len(doc.data["triggers"]) == 5 and all(isinstance(t, str) for t in doc.data["triggers"])
    assert doc.data["handoffs"][0] == {
        "target": "api-agent",
        "label": "Design API",
        "prompt": "Please design the API endpoints for this backend functionality.",
        "send": False,
    }
    assert len(doc.data["handoffs"]) == 4
    assert doc.key_lines["handoffs"] == 11


def test_seed_003_strict() -> None:
    doc = parse(seed("003"))
    assert not doc.recovered and doc.data is not None
    assert doc.data["skills"] == "api-design, fastapi, architecture-patterns, langgraph"
    assert (doc.data["model"], doc.data["color"]) == ("opus", "blue")


# ------------------------------------------------------------------ corpus


def test_corpus_parses_or_refuses_cleanly() -> None:
    if not CORPUS.is_dir():
        pytest.skip("shared corpus not available")
    counts: Counter[str] = Counter()
    for path in sorted(p for p in CORPUS.rglob("*") if p.is_file()):
        text = path.read_bytes().decode("utf-8", errors="replace").replace("\r\n", "\n")
        try:
            doc = parse(text, str(path))
        except AgentkitError:
            counts["refused"] += 1
            continue
        counts["no-frontmatter" if doc.data is None else "recovered" if doc.recovered else "strict"] += 1
        if doc.data is not None:
            assert all(isinstance(key, str) for key in doc.data)
    print(f"\ncorpus frontmatter: {dict(sorted(counts.items()))}")
    assert counts["strict"] > 0 and counts["recovered"] > 0


# ------------------------------------------------------------------ dump

keys = st.text(min_size=1, max_size=20)
scalars = st.one_of(st.text(max_size=40), st.booleans(), st.integers(), st.none())
values = st.one_of(scalars, st.lists(st.text(max_size=20), max_size=5))


@given(st.dictionaries(keys, values, max_size=6))
def test_dump_round_trips(data: dict) -> None:
    text = dump(data)
    assert text.endswith("\n")
    assert yaml.safe_load(text) == data
    assert parse(f"---\n{text}---\n").data == data


@pytest.mark.parametrize(
    "value",
    ["yes", "no", "on", "off", "y", "N", "true", "null", "~", "2026-03-08", "1e3", "0o17", "12", "1.5",
     "**/*.ts", "*", "&x", "!x", "@x", "`x`", "a: b", "#x", "x #y", " lead", "trail ",
     "line one\nline two", 'say "hi"', "it's", "'quoted'", "%x", "- x", "[a]", "{a}", "", "<<", "="],
)
def test_dump_quotes_what_yaml_would_misread(value: str) -> None:
    text = dump({"k": value})
    assert yaml.safe_load(text) == {"k": value}
    assert parse(f"---\n{text}---\n").data == {"k": value}


def test_dump_style() -> None:
    data = {
        "name": "x",
        "description": "First line\n\nsecond: line",
        "tools": ["Read", "edit/editFiles", "context7/*", "Claude Sonnet 4.6 (copilot)"],
        "odd": ["Agent(a, b)", "plain"],
        "flag": True,
        "yes_word": "yes",
        "handoffs": [{"agent": "a", "send": False}],
        "empty": [],
        "nothing": None,
    }
    assert dump(data) == (
        "name: x\n"
        'description: "First line\\n\\nsecond: line"\n'
        "tools: [Read, edit/editFiles, context7/*, Claude Sonnet 4.6 (copilot)]\n"
        "odd:\n- Agent(a, b)\n- plain\n"
        "flag: true\n"
        "yes_word: 'yes'\n"
        "handoffs:\n- agent: a\n  send: false\n"
        "empty: []\n"
        "nothing: null\n"
    )


def test_dump_is_deterministic_and_accepts_tuples() -> None:
    data = {"b": "2", "a": ("x", "z"), "m": {"z": 1, "y": [1, 2]}, "c": ["y", "n"]}
    expected = "b: '2'\na: [x, z]\nm:\n  z: 1\n  'y':\n  - 1\n  - 2\nc:\n- 'y'\n- 'n'\n"
    assert dump(data) == dump(dict(data)) == expected


def test_dump_empty_mapping() -> None:
    assert dump({}) == "{}\n"


def test_dump_refuses_objects() -> None:
    with pytest.raises(AgentkitError) as info:
        dump({"x": object()})
    assert info.value.reason == "emit-failed"


def test_dump_of_seed_description_round_trips() -> None:
    data = parse(seed("000")).data
    assert data is not None
    text = dump(data)
    assert "\n" not in text.split("description: ", 1)[1].split("\nmodel:")[0]
    assert parse(f"---\n{text}---\n").data == data


def test_indented_whole_file_body_is_dedented():
    text = "\n    ---\n    name: a\n    description: b\n    ---\n\n    ## Focus\n    - item\n"
    fm = parse(text)
    assert fm.data == {"name": "a", "description": "b"}
    assert fm.body == "\n## Focus\n- item\n"
    assert "body-indent" in [r.kind for r in fm.repairs]
