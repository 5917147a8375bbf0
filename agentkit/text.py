"""Bytes -> clean text (LF line endings), with every repair made and every oddity noticed.

`decode` refuses input that is not text (too large, empty, binary, undecodable), decodes BOM-marked
UTF-8/16/32, falls back to cp1252 byte by byte for stray legacy bytes, normalises line endings,
undoes mojibake (UTF-8 that was once read as cp1252), removes control characters (each one a repair:
no output can hold them) and reports hidden characters. NUL, in any encoding, makes a file binary.
Repairs change the text; warnings leave it alone. Both carry 1-based line numbers of the result.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from agentkit.errors import AgentkitError
from agentkit.model import Finding

if TYPE_CHECKING:
    from ftfy import TextFixerConfig  # ftfy is imported lazily: plain ASCII never needs it

MAX_BYTES: int = 10 * 1024 * 1024

__all__ = ["MAX_BYTES", "Decoded", "decode", "find_control_chars", "find_hidden", "repair_mojibake", "strip_control"]


@dataclass(frozen=True)
class Decoded:
    """Clean text and how it was obtained."""

    text: str
    encoding: str
    repairs: tuple[Finding, ...] = ()
    warnings: tuple[Finding, ...] = ()


# ------------------------------------------------------------------------------------------------
# Byte-level tables

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 first: its LE BOM starts with the UTF-16 LE one.
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32 LE"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32 BE"),
    (b"\xff\xfe", "utf-16-le", "UTF-16 LE"),
    (b"\xfe\xff", "utf-16-be", "UTF-16 BE"),
)
_UTF8_BOM = b"\xef\xbb\xbf"

# Bytes cp1252 leaves undefined: UTF-8 read as cp1252 loses them; random data is full of them.
_LOST_BYTES = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_LOST_ESCAPES = tuple(chr(0xDC00 + byte) for byte in _LOST_BYTES)  # as surrogateescape shows them


def _sloppy_table(codec: str) -> dict[int, str]:
    """Byte -> char for 0x80-0xFF, undefined bytes read as Latin-1 (what ftfy calls "sloppy")."""
    table: dict[int, str] = {}
    for byte in range(0x80, 0x100):
        try:
            table[byte] = bytes([byte]).decode(codec)
        except UnicodeDecodeError:
            table[byte] = chr(byte)
    return table


_CP1252 = _sloppy_table("cp1252")
# surrogateescape stands for byte b with U+DC00 + b; this reads those as cp1252.
_ESCAPE_TO_CP1252 = {0xDC00 + byte: char for byte, char in _CP1252.items()}


def _char_to_byte() -> dict[str, int]:
    """Char -> high byte in sloppy cp1252, plus the Turkish letters of cp1254."""
    mapping = {char: byte for byte, char in _CP1252.items()}
    for byte, char in _sloppy_table("cp1254").items():
        mapping.setdefault(char, byte)
    return mapping


_MOJIBAKE_BYTE = _char_to_byte()
# Two or more chars that could each be one high byte: the shape of UTF-8 misread as cp1252/cp1254.
_MOJIBAKE_RUN = re.compile("[" + re.escape("".join(sorted(_MOJIBAKE_BYTE))) + "]{2,}")

_SURROGATE = re.compile("[\udc80-\udcff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_BYTES = bytes(range(0x09)) + b"\x0b\x0c" + bytes(range(0x0E, 0x20)) + b"\x7f"
_HIGH_BYTES = bytes(range(0x80, 0x100))
_ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

# Every Cf (format) code point of Unicode 15.1 but the soft hyphen (harmless), tag characters as runs.
# Matches are re-checked with unicodedata, so only what this Python knows as Cf is reported.
_HIDDEN = re.compile(
    "[\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a]|[\U000e0000-\U000e007f]+"
)
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SKIN_TONES = frozenset(chr(c) for c in range(0x1F3FB, 0x1F400))


# ------------------------------------------------------------------------------------------------
# decode


def decode(data: bytes, path: str = "") -> Decoded:
    """Decode `data` to clean text; raise AgentkitError if too-large, empty, binary, undecodable."""
    if len(data) > MAX_BYTES:
        raise AgentkitError(
            "too-large", f"file is {len(data):,} bytes, over the {MAX_BYTES:,}-byte limit", path
        )
    _refuse_empty(data, path)
    text, encoding, repairs = _decode_bytes(data, path)
    _refuse_empty(text, path)  # e.g. nothing but a BOM
    if "\x00" in text:  # UTF-8 with NUL bytes is refused in _decode_bytes; UTF-16/32 the same way here
        raise AgentkitError("binary", f"file looks binary (contains NUL characters, decoded as {encoding})", path)

    text, eol = _normalize_line_endings(text)
    if encoding.endswith("+cp1252"):
        text, fallback = _replace_escapes(text)
        repairs.extend(fallback)
    if eol is not None:
        repairs.append(eol)
    _refuse_control_heavy(text, path)

    warnings: list[Finding] = []
    if not text.isascii():
        text, mojibake = repair_mojibake(text)
        repairs.extend(f for f in mojibake if f.kind == "mojibake")
        warnings.extend(f for f in mojibake if f.kind != "mojibake")
        warnings.extend(find_hidden(text))
        warnings.extend(find_replacement_chars(text))
    text, removed = _remove_control_chars(text)  # after mojibake: its repairs read C1 characters as bytes
    repairs.extend(removed)
    if not text.endswith("\n"):  # POSIX text ends with a line break; every writer adds the missing one
        repairs.append(Finding("final-newline", "no line break at the end of the file; one added", text.count("\n") + 1))
    return Decoded(text, encoding, tuple(_sorted(repairs)), tuple(_sorted(warnings)))


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.line or 0, f.column or 0))


def _refuse_empty(content: bytes | str, path: str) -> None:
    if not content.strip():
        what = "file is empty" if not content else "file contains only whitespace"
        raise AgentkitError("empty", what, path)


def _decode_bytes(data: bytes, path: str) -> tuple[str, str, list[Finding]]:
    """Text (lone surrogates standing for bytes that are not UTF-8), encoding name, BOM repairs."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                if codec == "utf-32-le":  # FF FE 00 00 may also be a UTF-16 LE BOM and a NUL char
                    continue
                message = f"file has a {label} BOM but is not valid {label}"
                raise AgentkitError("undecodable", message, path) from None
            note = Finding("encoding", f"decoded {label} (BOM) to UTF-8", 1)
            return text.lstrip("\ufeff"), codec, [note]

    if b"\x00" in data:
        raise AgentkitError("binary", "file looks binary (contains NUL bytes)", path)
    repairs: list[Finding] = []
    encoding = "utf-8"
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
        encoding = "utf-8-sig"
        repairs.append(Finding("bom", "removed UTF-8 byte order mark", 1))
    try:
        return data.decode("utf-8").lstrip("\ufeff"), encoding, repairs
    except UnicodeDecodeError:
        pass
    # Keep every valid UTF-8 run; each invalid byte becomes a lone surrogate, replaced after line
    # endings are normalised so its repair gets the right line number.
    text = data.decode("utf-8", "surrogateescape")
    _refuse_undecodable(data, text, path)
    return text.lstrip("\ufeff"), "utf-8+cp1252", repairs


def _refuse_undecodable(data: bytes, text: str, path: str) -> None:
    """Refuse bytes that need cp1252 so often (or for bytes it lacks) that they are not text."""
    invalid = _SURROGATE.findall(text)
    undefined = sum(map(invalid.count, _LOST_ESCAPES))
    many = len(invalid) >= 8 or len(invalid) * 10 > len(data)  # "a few", scaled for tiny inputs
    if undefined >= 3 or (many and undefined):
        raise AgentkitError(
            "undecodable", f"file is not UTF-8 and has {undefined} bytes undefined in cp1252", path
        )
    _refuse_control_heavy(text, path)
    # Legacy cp1252 prose is mostly ASCII with its accented letters inside ASCII words; random bytes
    # are mostly high bytes with few letters among them.
    letters = len(data) - len(data.translate(None, _ASCII_LETTERS))
    ascii_share = len(data.translate(None, _HIGH_BYTES)) / len(data)
    if many and len(invalid) * 50 > len(data) and (letters < len(invalid) or ascii_share < 0.6):
        message = f"file is not UTF-8 ({len(invalid):,} invalid bytes) and not cp1252 text"
        raise AgentkitError("undecodable", message, path)


def _refuse_control_heavy(text: str, path: str) -> None:
    if text.isascii():
        encoded = text.encode("ascii")
        count = len(encoded) - len(encoded.translate(None, _CONTROL_BYTES))
    else:
        count = len(_CONTROL.findall(text))
    # More than 1%, and more than a few unless they are over a tenth of a tiny input.
    if count * 100 > len(text) and (count > 3 or count * 10 > len(text)):
        raise AgentkitError("binary", f"file looks binary ({count:,} control characters)", path)


def _normalize_line_endings(text: str) -> tuple[str, Finding | None]:
    first = text.find("\r")
    if first < 0:
        return text, None
    line = text.count("\n", 0, first) + 1
    crlf = text.count("\r\n")
    text = text.replace("\r\n", "\n")
    lone = text.count("\r")
    text = text.replace("\r", "\n")
    parts = [f"{crlf} CRLF" if crlf else "", f"{lone} lone CR" if lone else ""]
    message = f"converted {' and '.join(p for p in parts if p)} line endings to LF"
    return text, Finding("line-endings", message, line)


def _replace_escapes(text: str) -> tuple[str, list[Finding]]:
    """Read each byte that was not UTF-8 as cp1252; one repair per affected line."""
    fixed = text.translate(_ESCAPE_TO_CP1252)
    repairs = []
    for number, (before, after) in enumerate(zip(text.split("\n"), fixed.split("\n")), 1):
        if before != after:
            values = [ord(c) - 0xDC00 for c in before if "\udc80" <= c <= "\udcff"]
            repairs.append(Finding("encoding", _fallback_message(values), number))
    return fixed, repairs


def _fallback_message(values: list[int]) -> str:
    chars = "".join(_CP1252[b] for b in values)
    if len(values) == 1:
        return f"byte 0x{values[0]:02X} is not UTF-8; read as cp1252 {chars!r}"
    shown = " ".join(f"0x{b:02X}" for b in values[:6]) + (" ..." if len(values) > 6 else "")
    return f"{len(values)} bytes are not UTF-8 ({shown}); read as cp1252 {chars!r}"


# ------------------------------------------------------------------------------------------------
# Mojibake


def repair_mojibake(text: str) -> tuple[str, list[Finding]]:
    """Undo UTF-8-read-as-cp1252 (or cp1254) line by line, only on lines ftfy finds suspicious.

    Lost bytes are put back before ftfy runs: given the whole damaged line, ftfy's restore_byte_a0
    would otherwise read 'â€' + space as a dagger instead of a closing quote whose 0x9D was lost.
    Returns the text and findings: kind ``mojibake`` for each repaired line (a repair) and
    ``mojibake-ambiguous`` where a lost byte could not be told apart (a warning; the line is kept).
    """
    if text.isascii():
        return text, []
    from ftfy.badness import is_bad

    lines = text.split("\n")
    findings: list[Finding] = []
    for index, line in enumerate(lines):
        if line.isascii() or not is_bad(line):  # ftfy's own first test; also gates lost-byte runs
            continue
        fixed, restored, ambiguous = _repair_line(line)
        number = index + 1
        if (fixed == line or ambiguous) and strip_hidden(line)[1]:
            # A hidden character inside or beside the mojibake hides it from the repair; every writer
            # removes it, so the next read would repair what this one did not. Repaired now, once,
            # without it: and the hidden characters are reported where they stood.
            bare = strip_hidden(line)[0]
            repaired, restored, unsure = _repair_line(bare)
            if repaired != bare and not unsure:
                findings.extend(Finding(f.kind, f"{f.message} (inside mojibake: removed with it)", number, f.column) for f in find_hidden(line))
                line, fixed, ambiguous = bare, repaired, []
        findings.extend(Finding("mojibake-ambiguous", m, number, column) for column, m in ambiguous)
        if fixed != line or fixed != lines[index]:
            findings.append(Finding("mojibake", _mojibake_message(line, fixed, restored), number))
            lines[index] = fixed
    return "\n".join(lines), findings


def _repair_line(line: str) -> tuple[str, list[int], list[tuple[int, str]]]:
    """The repaired line, the lost bytes restored, and (column, message) for ambiguous runs."""
    runs: list[_Run] = []
    ambiguous: list[tuple[int, str]] = []
    for run in _lost_byte_runs(line):
        if isinstance(run, tuple):
            ambiguous.append(run)
        else:
            runs.append(run)
    if ambiguous:
        return line, [], ambiguous  # one unknown byte makes the whole line untrustworthy
    if not runs:
        return _ftfy_fix(line) or line, [], []

    insertions = [insertion for run in runs for insertion in run.insertions]
    restored = [byte for _, byte in insertions]
    # Put the lost bytes back as the C1 chars sloppy cp1252 reads them as, so ftfy can decode the
    # whole line (and any other mojibake on it) in one consistent step.
    with_bytes = line
    for index, byte in sorted(insertions, reverse=True):
        with_bytes = with_bytes[:index] + _CP1252[byte] + with_bytes[index:]
    fixed = _ftfy_fix(with_bytes)
    if fixed is not None and all(run.decoded in fixed for run in runs):
        return fixed, restored, []
    # ftfy refused the whole line (legit non-cp1252 text next to the mojibake): decode the runs.
    direct = line
    for run in reversed(runs):
        direct = direct[: run.start] + run.decoded + direct[run.end :]
    return _ftfy_fix(direct) or direct, restored, []


@lru_cache(maxsize=1)
def _ftfy_config() -> TextFixerConfig:
    from ftfy import TextFixerConfig

    # No U+FFFD for lossy sequences and no C1 -> cp1252 guessing: both invent text.
    return TextFixerConfig(replace_lossy_sequences=False, fix_c1_controls=False)


def _ftfy_fix(line: str) -> str | None:
    """ftfy's encoding fix, accepted only when it decodes UTF-8 (not, e.g., latin-1 -> cp1252)."""
    from ftfy import fix_encoding_and_explain

    result = fix_encoding_and_explain(line, _ftfy_config())
    if result.text == line or result.text.count("\ufffd") > line.count("\ufffd"):
        return None
    decodes = [step[1] for step in result.explanation or () if step[0] == "decode"]
    if not decodes or any(codec not in ("utf-8", "utf-8-variants") for codec in decodes):
        return None
    return result.text


def _mojibake_message(before: str, after: str, restored: list[int]) -> str:
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end_b, end_a = len(before), len(after)
    while end_b > start and end_a > start and before[end_b - 1] == after[end_a - 1]:
        end_b, end_a = end_b - 1, end_a - 1
    old, new = _clip(before[start:end_b]), _clip(after[start:end_a])
    message = f"fixed mojibake {old!r} -> {new!r}"
    if restored:
        lost = ", ".join(f"0x{b:02X}" for b in restored)
        count = "lost byte" if len(restored) == 1 else f"{len(restored)} lost bytes"
        message += f" (restored {count} {lost})"
    return message


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- Lost bytes --------------------------------------------------------------------------------
# UTF-8 read as cp1252 drops the bytes cp1252 leaves undefined; ftfy cannot decode what is gone.
# A run of cp1252 chars whose bytes are UTF-8 except for sequences one byte short is put back by
# trying each undefined byte at each place in that sequence and keeping what decodes to a real char.


@dataclass(frozen=True)
class _Run:
    """A mojibake run with its lost bytes found: its span, where bytes go, what it decodes to."""

    start: int
    end: int
    insertions: tuple[tuple[int, int], ...]  # (index in the line, byte)
    decoded: str


def _lost_byte_runs(line: str) -> Iterator[_Run | tuple[int, str]]:
    """Each run with a lost byte, resolved, or (column, warning) when the byte cannot be told."""
    from ftfy.badness import is_bad

    context = ""  # the line so far with earlier runs decoded, for the quote and emoji preferences
    position = 0
    for match in _MOJIBAKE_RUN.finditer(line):
        run = match.group()
        context += line[position : match.start()]
        position = match.end()
        segments = _utf8_segments(bytes(_MOJIBAKE_BYTE[c] for c in run))
        resolved: _Run | str | None = None
        # is_bad keeps legit pairs such as 'é”' (E9 94, one byte short of a CJK char) out.
        if segments is not None and is_bad(run):
            resolved = _resolve_run(segments, match.start(), context, line[match.end() :])
        if isinstance(resolved, _Run):
            context += resolved.decoded
            yield resolved
            continue
        context += _decode_whole(segments) or run
        if isinstance(resolved, str):
            message = f"{run!r} looks like UTF-8 read as cp1252 with a lost byte ({resolved}); kept"
            yield match.start() + 1, message


def _utf8_segments(data: bytes) -> list[bytes] | None:
    """Split into UTF-8 chars, allowing chars one byte short; None if it is not that shape."""
    segments: list[bytes] = []
    i = 0
    while i < len(data):
        size = _utf8_size(data[i])
        if size == 0:
            return None
        j = i + 1
        while j < len(data) and j - i < size and 0x80 <= data[j] <= 0xBF:
            j += 1
        if j - i < size - 1:
            return None
        if j - i == size:
            try:
                data[i:j].decode("utf-8")
            except UnicodeDecodeError:
                return None
        segments.append(data[i:j])
        i = j
    return segments


def _decode_whole(segments: list[bytes] | None) -> str | None:
    """The run as UTF-8 when nothing is missing (an intact 'â€œ' is a “ for the quote rule)."""
    try:
        return b"".join(segments).decode("utf-8") if segments else None
    except UnicodeDecodeError:
        return None


def _utf8_size(lead: int) -> int:
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def _resolve_run(segments: list[bytes], start: int, before: str, after: str) -> _Run | str | None:
    """The run with lost bytes put back, the candidates if ambiguous, None if nothing is short."""
    insertions: list[tuple[int, int]] = []
    decoded = ""
    offset = start
    for k, segment in enumerate(segments):
        if len(segment) == _utf8_size(segment[0]):
            decoded += segment.decode("utf-8")
            offset += len(segment)
            continue
        candidates = _candidates(segment)
        if not candidates:
            return None
        following = b"".join(segments[k + 1 :]).decode("utf-8", "ignore") + after
        choice = _choose(candidates, before + decoded, following)
        if choice is None:
            return "could be " + ", ".join(f"U+{ord(c):04X}" for c in candidates)
        at, byte = candidates[choice]
        insertions.append((offset + at, byte))
        decoded += choice
        offset += len(segment)
    if not insertions:
        return None
    return _Run(start, offset, tuple(insertions), decoded)


def _candidates(segment: bytes) -> dict[str, tuple[int, int]]:
    """Char -> (place, byte) for each undefined cp1252 byte that completes the segment plausibly."""
    found: dict[str, tuple[int, int]] = {}
    for at in range(1, len(segment) + 1):
        for byte in _LOST_BYTES:
            try:
                char = (segment[:at] + bytes([byte]) + segment[at:]).decode("utf-8")
            except UnicodeDecodeError:
                continue
            if unicodedata.category(char) not in ("Cc", "Cn", "Co", "Cs"):
                found.setdefault(char, (at, byte))
    return found


def _choose(candidates: dict[str, tuple[int, int]], before: str, after: str) -> str | None:
    if len(candidates) == 1:
        return next(iter(candidates))
    previous = before[-1:] or " "
    following = after[:1] or " "
    emoji_before = unicodedata.category(previous) == "So"
    if "\ufe0f" in candidates and emoji_before:
        return "\ufe0f"  # emoji presentation selector after a symbol, as in ⚠️
    if "\u201d" in candidates and before.count("\u201c") > before.count("\u201d"):
        return "\u201d"  # closes an open curly quote
    if "\u200d" in candidates and emoji_before and unicodedata.category(following) == "So":
        return "\u200d"  # joins two emoji, as in 👨‍💻
    return None


# ------------------------------------------------------------------------------------------------
# Hidden and control characters


def find_hidden(text: str) -> list[Finding]:
    """Invisible characters that can change what a reader or a model sees, with line and column.

    Zero-width and bidi controls, other Cf format characters, and runs of Unicode tag characters
    (reported once per run with the ASCII they spell). ZWJ inside emoji sequences, emoji flag tag
    sequences, soft hyphens and a BOM at the very start are legitimate and not reported.
    """
    if text.isascii():
        return []
    locate = _Locate(text)
    findings: list[Finding] = []
    for match in _HIDDEN.finditer(text):
        message = _hidden_message(text, match.start(), match.group())
        if message is not None:
            findings.append(Finding("hidden-char", message, *locate(match.start())))
    return findings


# A quick first look: the same code points as `_HIDDEN`, as two cheap classes (BMP, astral).
_MAYBE_HIDDEN = re.compile(
    "[\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
_MAYBE_HIDDEN_ASTRAL = re.compile("[\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e007f]")


@lru_cache(maxsize=4096)  # one body is exported to several formats: look at it once
def strip_hidden(text: str) -> tuple[str, int]:
    """`text` without the characters `find_hidden` reports (legitimate emoji joiners stay), and how many."""
    if text.isascii() or not (_MAYBE_HIDDEN.search(text) or _MAYBE_HIDDEN_ASTRAL.search(text)):
        return text, 0
    spans = [(m.start(), m.end()) for m in _HIDDEN.finditer(text) if _hidden_message(text, m.start(), m.group()) is not None]
    if not spans:
        return text, 0
    pieces, cursor, removed = [], 0, 0
    for start, end in spans:
        pieces.append(text[cursor:start])
        removed += end - start
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), removed


def find_replacement_chars(text: str) -> list[Finding]:
    """U+FFFD already in the file: an earlier lossy decode threw text away; nothing can restore it."""
    locate = _Locate(text)
    return [
        Finding("replacement-char", "U+FFFD replacement character: text was lost by an earlier lossy decode", *locate(m.start()))
        for m in re.finditer("\ufffd", text)
    ]


def _remove_control_chars(text: str) -> tuple[str, list[Finding]]:
    """`text` without C0/C1 control characters (tab and LF stay), one repair per character removed."""
    found = find_control_chars(text)
    if not found:
        return text, []
    removed = [Finding(f.kind, f"removed {f.message}", f.line, f.column) for f in found]
    return _CONTROL.sub("", text), removed


# What no file agentkit writes may hold: C0 controls but tab and LF (a CR too: outputs end lines with
# LF only), DEL and C1 controls.
_OUTPUT_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_control(text: str) -> tuple[str, int]:
    """`text` without the control characters no output may hold (tab and LF stay), and how many."""
    if not _OUTPUT_CONTROL.search(text):
        return text, 0
    cleaned = _OUTPUT_CONTROL.sub("", text)
    return cleaned, len(text) - len(cleaned)


def find_control_chars(text: str) -> list[Finding]:
    """C0/C1 control characters other than tab, LF and CR, with line and column."""
    locate = _Locate(text)
    return [
        Finding("control-char", f"control character U+{ord(m.group()):04X}", *locate(m.start()))
        for m in _CONTROL.finditer(text)
    ]


class _Locate:
    """Index -> (1-based line, 1-based column), computing newline offsets only when first needed."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] | None = None

    def __call__(self, index: int) -> tuple[int, int]:
        if self._starts is None:
            self._starts = [0] + [m.end() for m in re.finditer("\n", self._text)]
        line = bisect_right(self._starts, index)
        return line, index - self._starts[line - 1] + 1


def _hidden_message(text: str, index: int, found: str) -> str | None:
    first = found[0]
    if "\U000e0000" <= first <= "\U000e007f":
        return _tag_message(text, index, found)
    if unicodedata.category(first) != "Cf":
        return None
    if first == "\ufeff" and index == 0:
        return None
    if first == "\u200d" and _joins_emoji(text, index):
        return None
    name = unicodedata.name(first, "FORMAT CHARACTER")
    label = "bidi control" if first in _BIDI else "hidden character"
    return f"{label} U+{ord(first):04X} {name}"


def _joins_emoji(text: str, index: int) -> bool:
    before = index - 1
    while before >= 0 and text[before] in "\ufe0e\ufe0f":
        before -= 1
    if before < 0 or index + 1 >= len(text):
        return False
    previous, following = text[before], text[index + 1]
    return (unicodedata.category(previous) == "So" or previous in _SKIN_TONES) and (
        unicodedata.category(following) == "So"
    )


def _tag_message(text: str, index: int, run: str) -> str | None:
    # 🏴 + lowercase tag letters + CANCEL TAG is a subdivision flag (e.g. England), not a message.
    spelled = "".join(chr(ord(c) - 0xE0000) for c in run if 0x20 <= ord(c) - 0xE0000 < 0x7F)
    if (
        index > 0
        and text[index - 1] == "\U0001f3f4"
        and run.endswith("\U000e007f")
        and re.fullmatch("[a-z0-9]+", spelled)
    ):
        return None
    span = f"U+{ord(run[0]):04X}" if len(run) == 1 else f"U+{ord(run[0]):04X}..U+{ord(run[-1]):04X}"
    return f"{len(run)} hidden Unicode tag characters ({span}) spelling {spelled!r}"


# What a terminal must never be handed raw from an input or a file name: C0 controls (ESC starts the
# sequences that retitle a window or rewrite the screen; a newline forges a second message line), DEL,
# C1 controls (CSI), and the invisible and direction-changing characters that make text read
# otherwise than it is (bidi overrides, zero-width characters, Unicode tags).
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\U000e0000-\U000e007f]")
_UNPRINTABLE_IN_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\U000e0000-\U000e007f]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return {0x0A: "\\n", 0x0D: "\\r", 0x1B: "\\e"}.get(code) or (f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")


def printable(text: str, lines: bool = False) -> str:
    """`text` safe to show on a terminal: every control, invisible or direction-changing character
    written as an escape (`\\e`, `\\u202e`); with `lines`, line breaks (and tabs) stay line breaks."""
    if text.isascii() and text.isprintable():
        return text
    return (_UNPRINTABLE_IN_LINES if lines else _UNPRINTABLE).sub(_escaped, text)


# YAML's escapes in a double-quoted scalar that can stand for any character (\u, \U, \x) or for one of
# the line or format characters (\N next line, \L line separator, \P paragraph separator, \e escape, ...).
_YAML_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[0abtnvfreN_LP ])")
_YAML_SIMPLE = {"0": "\x00", "a": "\x07", "b": "\x08", "t": "\t", "n": "\n", "v": "\x0b", "f": "\x0c", "r": "\r", "e": "\x1b",
                "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029", " ": " "}


def find_escaped(lines: list[str] | tuple[str, ...], first_line: int, decoded: str) -> list[Finding]:
    """Hidden and control characters written as YAML escapes (`"\\u202e"`, `"\\U000E0069"`, `"\\e"`):
    invisible in the file's bytes, real in the value read. `decoded`: every text value the YAML gave,
    so that an escape in a plain scalar (where it is just a backslash) is not reported."""
    found: list[Finding] = []
    for index, line in enumerate(lines):
        if "\\" not in line:
            continue
        for match in _YAML_ESCAPE.finditer(line):
            code = match.group()[1:]
            char = _YAML_SIMPLE.get(code) or chr(int(code[1:], 16))
            if char not in decoded or char in "\t\n ":
                continue
            where = (first_line + index, match.start() + 1)
            if _CONTROL.match(char) or char in "\x85\r":
                found.append(Finding("control-char", f"control character U+{ord(char):04X} written as the escape `{match.group()}`", *where))
            else:
                message = _hidden_message(char, 0, char) if char != "\ufeff" else "hidden character U+FEFF ZERO WIDTH NO-BREAK SPACE"
                if message is not None:
                    found.append(Finding("hidden-char", f"{message}, written as the escape `{match.group()}`", *where))
    return found
