"""Fuzzing through the CLI (issue 13): no exit 3, no hang, no invalid JSON, no written file that fails to
re-read or holds a control byte.

A bounded, deterministic generator (seeded `random.Random`, no shrinking) makes three kinds of input:
mutated corpus files (byte flips, truncation, splices, duplicated frontmatter lines, NUL/control
characters, BOMs, UTF-16/32 with and without BOM, odd YAML spliced into the frontmatter), random bytes,
and frontmatter built from YAML grammar fragments (anchors, tags, `.inf`/`.nan`, huge numbers, dates,
deep nesting, non-string keys). Each input goes through `inspect --json`, `lint --json`, `export` to
every target, `normalize -o`, `merge --json` and `merge -o`, in process (click's CliRunner).

`AGENTKIT_FUZZ=N` sets the number of inputs (default 360, split between the three kinds);
`AGENTKIT_FUZZ_SEED=S` starts the seeds elsewhere; `AGENTKIT_FUZZ_DUMP=DIR` saves each failing input
there. Failures are collected and reported together, grouped by cause, with the seed that makes each.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import corpus_files

import agentkit
from agentkit.cli import main
from agentkit.errors import AgentkitError

TOTAL = int(os.environ.get("AGENTKIT_FUZZ", "360"))
SEED = int(os.environ.get("AGENTKIT_FUZZ_SEED", "0"))
DUMP = os.environ.get("AGENTKIT_FUZZ_DUMP")
SLOW = 10.0  # seconds for all the commands on one input: generous, two busy cores
HANG = 30  # seconds: past this an input is stopped and reported as a hang

# Control characters no output may hold: C0 but tab and LF (CR too: outputs are LF only), DEL, C1.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

LAYOUTS = (
    ".claude/agents/{}.md",
    ".github/agents/{}.agent.md",
    ".github/chatmodes/{}.chatmode.md",
    ".cursor/agents/{}.md",
    ".cursor/rules/{}.mdc",
    "{}.md",
    ".github/copilot-instructions.md",
    "AGENTS.md",
)

KEYS = ("name", "description", "tools", "model", "color", "globs", "alwaysApply", "handoffs", "mcpServers", "hooks",
        "permissionMode", "disallowedTools", "agents", "readonly", "skills", "target", "metadata", "user-invocable",
        "disable-model-invocation", "examples", "x-custom", "1", "true", "null")

ODD_VALUES = (
    "&a anchored", "*a", "*undefined", "!!binary aGVsbG8gd29ybGQ=", "!!binary |\n  R0lGODlhDAAMAIQAAP//9/X17unp5WZmZgAAAOfn515eXvPz7Y6OjuDg4J+fn5",
    "!!set {a, b, c}", "!!set\n  ? x\n  ? y", ".inf", "-.inf", ".nan", ".NaN", "!!float nan", "!!float .inf", "1e999", "-1e999",
    "123456789012345678901234567890123456789012345678901234567890", "0x1F", "0o17", "0b101", "1_000", "2024-01-01",
    "2024-01-01T10:00:00Z", "!!timestamp 2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "12:30:45",
    "{1: a, 2: b}", "{? [a, b] : c}", "[" * 40 + "x" + "]" * 40, "{a: {b: {c: {d: {e: {f: {g: h}}}}}}}",
    "!!python/object:os.system x", "!!python/name:os.system", "!!str 5", "!!int '7'", "!!int 0x10", "!!bool yes", "!!null ''",
    "~", "null", "yes", "no", "on", "off", "[a, [b, c], {d: e}]", "[]", "{}", "''", '""',
    "|\n  block\n  text", ">-\n  folded\n  text", "|+\n  keep\n\n", '"esc \\x00 \\x01 \\u0085 \\x7f \\e \\0 \\t \\N"',
    "'single ''quoted'''", "!custom tagged", "!<tag:yaml.org,2002:str> verbose", "@reserved", "`backtick", "a: b: c",
    "\n  - list\n  - item", "\n  - &x one\n  - *x\n  - [*x, *x]", "\n  <<: {a: 1}\n  b: 2", "- - nested", "*a *b",
    '"unterminated', "'unterminated", "[unclosed", "{unclosed", "%percent", "x\ty", "\u200bzero\u200dwidth", "\u202eevil",
    "é" * 300, "word " * 400, "\U0001f600\ufe0f", "\\n literal \\n newlines <example>x</example>",
)

TOP_LEVEL = (
    "1: one", "true: yes", "null: x", "[a, b]: c", "? {a: 1}\n: v", "2024-01-01: date key", ".inf: x", "3.5: y",
    "<<: {name: merged}", "%YAML 1.1", "--- !!map", "...", "? complex\n: key", "!!binary aGk=: binary key",
    "name: &n named\ndescription: *n", "base: &b {model: sonnet}\nderived:\n  <<: *b",
)

BODY = (
    "# Heading", "## Sub `code`", "- bullet", "1. step", "   - nested", "```\ncode\n```", "```python\nprint()", "| a | b |\n|---|---|\n| 1 | 2 |",
    "<div>html</div>", "<example>\nuser: hi\n</example>", "---", "***", "> quote", "**Bold** text.", "Plain sentence here.",
    "Never do this.", "Always do that.", "{{placeholder}}", "\u200b\u2066hidden\u2069", "\U000e0041\U000e0042", "\x1b[31mred",
    "tab\tseparated", "\\n", "<!-- comment -->", "[link](http://x)", "![img](x.png)", "  \n  ", "\r\n", "\r",
)


@dataclass(frozen=True)
class Case:
    kind: str
    seed: int
    data: bytes
    layout: str

    def __repr__(self) -> str:
        return f"{self.kind}-{self.seed}"


# ------------------------------------------------------------------------------------------ inputs


def _frontmatter_span(data: bytes) -> tuple[int, int] | None:
    """(start, end) byte offsets of the frontmatter lines, when the data starts with a fence."""
    if not data.startswith(b"---"):
        return None
    start = data.find(b"\n") + 1
    end = data.find(b"\n---", start - 1)
    return (start, end + 1) if start and end >= 0 else None


def _odd_line(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return rng.choice(TOP_LEVEL)
    return f"{rng.choice(KEYS)}: {rng.choice(ODD_VALUES)}"


def _flip(rng: random.Random, data: bytes, _: bytes) -> bytes:
    if not data:
        return data
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(out))
        out[i] ^= rng.randint(1, 255)
    return bytes(out)


def _truncate(rng: random.Random, data: bytes, _: bytes) -> bytes:
    return data[: rng.randint(0, len(data))]


def _splice(rng: random.Random, data: bytes, other: bytes) -> bytes:
    return data[: rng.randint(0, len(data))] + other[rng.randint(0, len(other)) :]


def _dup_frontmatter_line(rng: random.Random, data: bytes, _: bytes) -> bytes:
    span = _frontmatter_span(data)
    if span is None:
        return data
    lines = data[span[0] : span[1]].split(b"\n")
    if not lines:
        return data
    i = rng.randrange(len(lines))
    lines.insert(rng.randrange(len(lines) + 1), lines[i])
    return data[: span[0]] + b"\n".join(lines) + data[span[1] :]


def _insert_control(rng: random.Random, data: bytes, _: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        char = rng.choice([b"\x00", b"\x01", b"\x07", b"\x08", b"\x0b", b"\x0c", b"\x1b", b"\x1f", b"\x7f",
                           "\x85".encode(), "\x9b".encode(), b"\r", b"\xef\xbb\xbf", "\u2028".encode()])
        i = rng.randint(0, len(out))
        out[i:i] = char
    return bytes(out)


def _bom(rng: random.Random, data: bytes, _: bytes) -> bytes:
    bom = rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"\xef\xbb\xbf" * 2])
    return bom + data if rng.random() < 0.7 else data[: len(data) // 2] + bom + data[len(data) // 2 :]


def _reencode(rng: random.Random, data: bytes, _: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    codec = rng.choice(["utf-16-le", "utf-16-be", "utf-16", "utf-32-le", "utf-32-be", "utf-32"])
    out = text.encode(codec)
    if rng.random() < 0.5 and codec in ("utf-16-le", "utf-32-le"):
        out = (b"\xff\xfe" if codec == "utf-16-le" else b"\xff\xfe\x00\x00") + out
    elif rng.random() < 0.5 and codec in ("utf-16-be", "utf-32-be"):
        out = (b"\xfe\xff" if codec == "utf-16-be" else b"\x00\x00\xfe\xff") + out
    if rng.random() < 0.3 and out:
        out = out[: -rng.randint(1, 3)]  # odd length: a broken last code unit
    return out


def _odd_yaml(rng: random.Random, data: bytes, _: bytes) -> bytes:
    span = _frontmatter_span(data)
    extra = "\n".join(_odd_line(rng) for _ in range(rng.randint(1, 3))).encode() + b"\n"
    if span is None:
        return b"---\n" + extra + b"---\n" + data
    lines = data[span[0] : span[1]].split(b"\n")
    i = rng.randrange(len(lines) + 1)
    return data[: span[0]] + b"\n".join(lines[:i]) + (b"\n" if i else b"") + extra + b"\n".join(lines[i:]) + data[span[1] :]


def _line_endings(rng: random.Random, data: bytes, _: bytes) -> bytes:
    return data.replace(b"\n", rng.choice([b"\r\n", b"\r", b"\n\n", b"\r\r\n"]))


def _drop_lines(rng: random.Random, data: bytes, _: bytes) -> bytes:
    lines = data.split(b"\n")
    i = rng.randrange(len(lines))
    del lines[i : i + rng.randint(1, 4)]
    return b"\n".join(lines)


def _long_name(rng: random.Random, data: bytes, _: bytes) -> bytes:
    name = rng.choice(["word-" * 60, "x" * 300, "Ünïcödé " * 40, "a/b/../../" * 30, "." * 300])
    return re.sub(rb"(?m)^name:.*$", f"name: {name}".encode().replace(b"\\", b"\\\\"), data, count=1) if b"\nname:" in data else b"---\nname: " + name.encode() + b"\n---\n" + data


def _empty_frontmatter(rng: random.Random, data: bytes, _: bytes) -> bytes:
    return rng.choice([b"---\n---\n", b"---\n---\n\n", b"---\n\n---\n   \n", b"---\n{}\n---\n", b"---\n---\n" + data[:0], b"---\nname:\n---\n"])


def _mojibake(rng: random.Random, data: bytes, _: bytes) -> bytes:
    return data.decode("utf-8", "replace").encode("utf-8").decode("cp1252", "replace").encode("utf-8")


def _repeat_frontmatter(rng: random.Random, data: bytes, _: bytes) -> bytes:
    span = _frontmatter_span(data)
    return data if span is None else data[: span[1]] + b"---\n" + data


MUTATIONS: tuple[Callable[[random.Random, bytes, bytes], bytes], ...] = (
    _flip, _truncate, _splice, _dup_frontmatter_line, _insert_control, _bom, _reencode, _odd_yaml, _odd_yaml,
    _line_endings, _drop_lines, _long_name, _empty_frontmatter, _mojibake, _repeat_frontmatter,
)


def _corpus_case(rng: random.Random, files: list[bytes]) -> bytes:
    data, other = rng.choice(files), rng.choice(files)
    for mutation in rng.choices(MUTATIONS, k=rng.randint(1, 3)):
        data = mutation(rng, data, other)
    return data


def _random_case(rng: random.Random) -> bytes:
    size = rng.choice([0, 1, 2, 3, 7, 64, 500, 3000])
    roll = rng.random()
    if roll < 0.4:
        data = rng.randbytes(size)
    elif roll < 0.7:  # text-like: printable ASCII, a few controls and high characters
        alphabet = "abc xyz:-#*\n\t`'\"[]{}|>!&%@,é→✅\u200b\x00\x01\x7f\x85"
        data = "".join(rng.choice(alphabet) for _ in range(size)).encode("utf-8")
    else:
        data = rng.randbytes(size).decode("latin-1").encode("utf-8")
    if rng.random() < 0.4:
        data = b"---\nname: r\ndescription: d\n---\n" + data
    return data


def _grammar_case(rng: random.Random) -> bytes:
    lines = []
    for _ in range(rng.randint(0, 8)):
        roll = rng.random()
        if roll < 0.35:
            lines.append(_odd_line(rng))
        elif roll < 0.55:
            lines.append(f"{rng.choice(KEYS)}: {rng.choice(['plain', 'Read, Grep', '[Read, Bash]', 'sonnet', 'red', 'true', '**/*.py'])}")
        elif roll < 0.75:
            depth = rng.randint(1, 60)
            lines.append(f"{rng.choice(KEYS)}:" + "".join(f"\n{'  ' * d}k{d}:" for d in range(depth)) + " leaf")
        else:
            lines.append(f"{rng.choice(KEYS)}:\n" + "\n".join(f"  - {rng.choice(ODD_VALUES).strip()}" for _ in range(rng.randint(1, 4))))
    fence = rng.choice(["---", "---", "---", "--- ", "----", "  ---", "+++"])
    body = "\n\n".join(rng.choice(BODY) for _ in range(rng.randint(0, 8)))
    text = f"{fence}\n" + "\n".join(lines) + ("\n" if lines else "") + rng.choice(["---", "---", "...", ""]) + "\n" + body
    return text.encode("utf-8", "surrogatepass")


def _cases(kind: str, count: int, files: list[bytes] | None = None) -> list[Case]:
    cases = []
    for index in range(count):
        seed = SEED + index
        rng = random.Random(f"{kind}-{seed}")
        if kind == "corpus":
            assert files
            data = _corpus_case(rng, files)
        elif kind == "random":
            data = _random_case(rng)
        else:
            data = _grammar_case(rng)
        cases.append(Case(kind, seed, data, rng.choice(LAYOUTS)))
    return cases


# ------------------------------------------------------------------------------------------ checks


class _Hang(BaseException):  # not an Exception: neither the CLI's last line of defence nor CliRunner catches it
    pass


def _on_alarm(signum, frame):  # type: ignore[no-untyped-def]
    raise _Hang()


def _strict_json(text: str) -> object:
    def refuse(constant: str) -> object:
        raise ValueError(f"not strict JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2 mixes them by default
    except TypeError:
        return CliRunner()


def _bug_detail(runner: CliRunner, args: list[str]) -> str:
    """The traceback of an exit 3, run again with AGENTKIT_DEBUG=1."""
    again = runner.invoke(main, args, env={"AGENTKIT_DEBUG": "1"})
    if again.exc_info is None:
        return again.stderr.strip()
    frames = traceback.extract_tb(again.exc_info[2])[-3:]
    where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))
    return f"{type(again.exception).__name__}: {again.exception} at {where}"


def _check_file(path: Path, problems: list[tuple[str, str]], origin: str, fmt: str | None) -> None:
    data = path.read_bytes()
    text = data.decode("utf-8", "replace")
    found = CONTROL.search(text)
    if found:
        problems.append((f"control character in a file {origin} writes", f"{path.name}: U+{ord(found.group()):04X}"))
    try:
        agentkit.read(path, fmt)
    except AgentkitError as exc:
        problems.append((f"file {origin} writes does not re-read: {exc.reason}", f"{path.name}: {exc.message}"))


def _run_case(case: Case, workdir: Path) -> list[tuple[str, str]]:
    """Problems found for one input, as (cause, detail)."""
    source = workdir / "in" / case.layout.format("input")
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_bytes(case.data)
    exported, normalized, merged = workdir / "exported", workdir / "normalized", workdir / "merged"
    commands = {
        "inspect": ["inspect", "--json", str(source)],
        "lint": ["lint", "--json", str(source)],
        "export": ["export", str(source), "--format", "claude,copilot,cursor,cursor-rule,agentkit", "-o", str(exported),
                   "--force", "--allow-wider"],
        "normalize": ["normalize", str(source), "-o", str(normalized)],
        "merge": ["merge", "--json", str(source)],
        "merge -o": ["merge", str(source), "-o", str(merged / "merged.md"), "--force"],
    }
    runner = _runner()
    problems: list[tuple[str, str]] = []
    for label, args in commands.items():
        result = runner.invoke(main, args, env={"AGENTKIT_DEBUG": None})
        output = result.stdout + result.stderr
        if result.exit_code not in (0, 1, 2):
            detail = _bug_detail(runner, args) if result.exit_code == 3 else repr(result.exception)
            cause = detail.split(":")[0] if detail else "no detail"
            problems.append((f"{label}: exit {result.exit_code} ({cause})", detail))
        elif result.exception is not None and not isinstance(result.exception, SystemExit):
            problems.append((f"{label}: uncaught {type(result.exception).__name__}", str(result.exception)))
        if "Traceback" in output:
            problems.append((f"{label}: traceback printed", output[-300:]))
        if label in ("inspect", "lint", "merge") and (result.stdout.strip() or label != "merge"):
            try:
                _strict_json(result.stdout)
            except ValueError as exc:
                problems.append((f"{label} --json: not strict JSON", str(exc)[:200]))
        found = CONTROL.search(result.stdout)
        if found and label not in ("inspect", "lint", "merge"):  # JSON escapes C0 (and may hold C1: still strict JSON)
            problems.append((f"{label}: control character on stdout", f"U+{ord(found.group()):04X}"))
    try:  # normalize writes the input's own format, under the input's file name but not in its folder
        own: str | None = agentkit.read(source).agent.format
    except AgentkitError:
        own = None
    for folder, origin, fmt in ((exported, "export", None), (normalized, "normalize", own), (merged, "merge -o", None)):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else ():
            _check_file(path, problems, origin, fmt)
    return problems


def _fuzz(cases: list[Case]) -> None:
    failures: list[tuple[str, Case, str]] = []
    alarm = getattr(signal, "alarm", None)  # Unix: a hang is stopped and reported; elsewhere only timed
    previous = signal.signal(signal.SIGALRM, _on_alarm) if alarm else None
    try:
        for case in cases:
            workdir = Path(tempfile.mkdtemp(prefix="agentkit-fuzz-"))
            started = time.monotonic()
            try:
                if alarm:
                    alarm(HANG)
                problems = _run_case(case, workdir)
            except _Hang:
                problems = [("hang", f"stopped after {HANG} s")]
            finally:
                if alarm:
                    alarm(0)
                shutil.rmtree(workdir, ignore_errors=True)
            elapsed = time.monotonic() - started
            if elapsed > SLOW:
                problems.append(("slow", f"{elapsed:.1f} s"))
            failures += [(cause, case, detail) for cause, detail in problems]
    finally:
        if alarm:
            signal.signal(signal.SIGALRM, previous)
    if DUMP and failures:
        os.makedirs(DUMP, exist_ok=True)
        for _, case, _ in failures:
            Path(DUMP, f"{case.kind}-{case.seed}-{case.layout.format('input').replace('/', '_')}").write_bytes(case.data)
    if failures:
        causes = Counter(cause for cause, _, _ in failures)
        first: dict[str, tuple[Case, str]] = {}
        for cause, case, detail in failures:
            first.setdefault(cause, (case, detail))
        lines = [f"{count} x {cause}\n    e.g. {first[cause][0].kind} seed {first[cause][0].seed} ({first[cause][0].layout}): "
                 f"{first[cause][1][:300]}\n    input: {first[cause][0].data[:160]!r}" for cause, count in causes.most_common()]
        pytest.fail(f"{len(failures)} problems in {len({(c.kind, c.seed) for _, c, _ in failures})} of {len(cases)} inputs:\n" + "\n".join(lines))


def test_fuzz_mutated_corpus_files():
    paths = corpus_files()
    if not paths:
        pytest.skip("../shared/corpus is not there")
    files = [p.read_bytes() for p in paths]
    _fuzz(_cases("corpus", TOTAL * 3 // 5, files))


def test_fuzz_random_bytes():
    _fuzz(_cases("random", TOTAL // 6))


def test_fuzz_yaml_grammar():
    _fuzz(_cases("grammar", TOTAL - TOTAL * 3 // 5 - TOTAL // 6))
