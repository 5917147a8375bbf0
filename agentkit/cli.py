"""The `agentkit` command: parse arguments, call the library, render, map errors to exit codes.

Exit codes: 0 success; 1 a check found something (`normalize --check` would change a file);
2 bad input or an error (one line per file on stderr; the other inputs are still processed);
3 a bug in agentkit; 130 interrupted. Every write goes through `agentkit.outputs`.
Heavy modules are imported inside the commands so that `agentkit --help` stays fast.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NoReturn

import click

if TYPE_CHECKING:
    from agentkit.errors import AgentkitError
    from agentkit.model import ReadResult
    from agentkit.outputs import Output

# The one exit-code map of every command (README, "Exit codes").
EXIT_OK, EXIT_FOUND, EXIT_ERROR, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

PACKAGE = __name__.split(".")[0]  # the distribution, for --version
FROM_HELP = "Read inputs as this format instead of detecting it ({read})."


class _RegistryOption(click.Option):
    """An option whose help lists the registry's formats (`{read}`: every format; `{write}`: those export
    writes), filled in when help is shown: importing the format table costs `agentkit --help` a third."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        from agentkit import formats

        if self.help and "{" in self.help:
            self.help = self.help.format(read=formats.names("read"), write=formats.names("write"))
        return super().get_help_record(ctx)


def _say(line: str) -> None:
    """One message line on stderr. Nothing from an input or a file name reaches the terminal raw: a
    newline in a path cannot forge a second line, an escape sequence cannot retitle the window."""
    from agentkit.text import printable

    click.echo(printable(line), err=True)


def _show(text: str, nl: bool = True, color: bool | None = None) -> None:
    """A report for people on stdout (inspect, lint, diff): its lines kept, anything unprintable escaped."""
    from agentkit.text import printable

    click.echo(printable(text, lines=True), nl=nl, color=color)


def _error(error: AgentkitError) -> None:
    _say(f"agentkit: error: {error}")


# JSON escapes C0 controls itself; these it leaves raw, and a terminal would act on them (C1's CSI) or
# show text out of order (bidi overrides): written as \u escapes, which every JSON parser reads back.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def _json(value: object) -> str:
    """Every JSON agentkit prints: strict (no NaN or Infinity, which strict parsers refuse), UTF-8, indented."""
    import json

    text = json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)
    return text if text.isascii() else _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _inputs(paths: tuple[str, ...]) -> Iterator[str]:
    from agentkit.reader import find_agent_files

    for path in paths:
        yield from find_agent_files(path)


def _read_all(paths: tuple[str, ...], fmt: str | None, analyze: bool = True) -> tuple[list[ReadResult], list[AgentkitError]]:
    from agentkit.errors import AgentkitError
    from agentkit.reader import read_many

    outcomes = read_many(list(_inputs(paths)), fmt, analyze)
    return [o for o in outcomes if not isinstance(o, AgentkitError)], [o for o in outcomes if isinstance(o, AgentkitError)]


class _InputPath(click.Path):
    """click.Path, but a path holding a NUL byte (which os.stat refuses with ValueError, exit 3) is left
    to the command: it refuses that input with one line, like any unreadable one, and reads the others."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and "\x00" in value:
            return value
        return super().convert(value, param, ctx)


class _OutputPath(click.Path):
    """click.Path for where to write: a NUL byte in it is a usage error (exit 2), not a crash."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and "\x00" in value:
            self.fail("path contains a NUL byte", param, ctx)
        return super().convert(value, param, ctx)


class _Group(click.Group):
    """Turns a bug into one line and exit code 3 instead of a traceback (AGENTKIT_DEBUG=1 shows it)."""

    def invoke(self, ctx: click.Context) -> object:
        import os

        from agentkit.errors import AgentkitError

        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:  # Ctrl-C: not "a check found something" (1); the shell's 128 + SIGINT
            _say("agentkit: interrupted")
            sys.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except AgentkitError as exc:  # refused input a command did not catch itself: still one line, exit 2
            _error(exc)
            sys.exit(EXIT_ERROR)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if os.environ.get("AGENTKIT_DEBUG"):
                raise
            _say(f"agentkit: internal error: {type(exc).__name__}: {exc} (set AGENTKIT_DEBUG=1 for details; please report it)")
            sys.exit(EXIT_BUG)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name=PACKAGE)
def main() -> None:
    """Read, repair, merge, diff and export AI coding-agent specs (Claude Code, Copilot, Cursor).

    Exit codes: 0 ok, 1 a check found differences, 2 bad input or error, 3 a bug in agentkit,
    130 interrupted.
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=_InputPath())
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per input (a JSON array).")
@click.option("--from", "fmt", metavar="FORMAT", help=FROM_HELP, cls=_RegistryOption)
def inspect(paths: tuple[str, ...], as_json: bool, fmt: str | None) -> None:
    """Show how agentkit reads each agent file: fields, body, repairs made and warnings.

    PATHS are files or directories (searched for agent files).
    """

    from agentkit.checks import duplicate_names
    from agentkit.report import result_json, result_text

    results, errors = _read_all(paths, fmt)
    extra: dict[str, list] = {}
    for path, finding in duplicate_names(results):
        extra.setdefault(path, []).append(finding)
    if as_json:
        payload = [result_json(r, extra.get(r.agent.path, ())) for r in results] + [e.to_json() for e in errors]
        click.echo(_json(payload))
    else:
        _show("\n\n".join(result_text(r, extra.get(r.agent.path, ())) for r in results))
    for error in errors:
        _error(error)
    sys.exit(EXIT_ERROR if errors else EXIT_OK)


# --------------------------------------------------------------------------------- writing, one way
# Every command that writes hands its files to `agentkit.outputs` as records, then checks or applies
# them there; what follows only renders the records and maps them to exit codes.

ALLOW_WIDER_HELP = ("Write files that let an agent do more than its source, where the target has no narrower "
                    "setting (reported as `widened`); without it such files are refused (exit 1).")
KEEP_HIDDEN_HELP = "Keep invisible and direction-changing characters (removed by default, and reported)."
FORCE_HELP = "Overwrite existing files that differ (and files edited by hand)."

# How a planned file is named on stderr when `--check` finds it would change.
CHECK_LABELS = {"create": "would create", "update": "would update", "exists": "differs (kept without --force)",
                "edited": "edited by hand", "foreign": "not generated by agentkit", "source": "an edited source"}
_KEPT_WHY = {"exists": "exists and differs", "edited": "was edited by hand",
             "foreign": "exists and was not generated by agentkit",
             "source": "is an agent source and differs from what init would import (edited?)"}
_REPLACED = {"exists": " (replaced a file that differed)", "edited": " (replaced a hand edit)",
             "foreign": " (replaced a file agentkit did not generate)"}


def _loss_lines(output: Output) -> list[str]:
    """One line per loss, the same for every command that writes."""
    return [f"agentkit: {output.source} -> {output.format}: {loss.field}: {loss.message} [{loss.kind}]" for loss in output.losses]


def _refused_line(output: Output, wider_hint: str) -> str:
    if output.status == "refused-wider":
        return (f"agentkit: {output.source} -> {output.format}: refused: the file would also allow "
                f"{'; '.join(output.widened)}; {wider_hint} writes it anyway")
    return f"agentkit: {output.source} -> {output.format}: refused (--strict): {output.shown} would lose {len(output.losses)} thing(s)"


def _settle(outputs: list[Output], check: bool, as_json: bool, has_check: bool, labels: dict[str, str] | None = None,
            wider_hint: str = "--allow-wider", show_unchanged: bool = True) -> tuple[list[Output], bool, list[AgentkitError]]:
    """Check or apply planned outputs, rendering each (unless `as_json`). Returns the records as they
    ended, whether a check found something (or a file was refused: exit 1) and the errors (exit 2)."""
    from agentkit.errors import AgentkitError
    from agentkit.outputs import KEPT, WRITES, apply, unified

    labels = labels or CHECK_LABELS
    found = False
    errors: list[AgentkitError] = []
    say = (lambda line: None) if as_json else (lambda line: _say(line))
    ended = outputs if check else apply(outputs)
    for output in ended:
        for line in _loss_lines(output):
            say(line)
        if output.status in ("refused-wider", "refused-lossy"):
            found = True
            say(_refused_line(output, wider_hint))
        elif output.error is not None:
            errors.append(output.error)
        elif check and output.status in WRITES | KEPT:
            found = True
            if not as_json:
                _show(unified(output), nl=False)
            say(f"{labels[output.replaces or output.status]}: {output.shown}")
        elif output.status in KEPT:
            hint = "delete it to import it again" if output.status == "source" else \
                "--force replaces it" + (", --check shows the difference" if has_check else "")
            errors.append(AgentkitError(output.status, f"{_KEPT_WHY[output.status]}; kept ({hint})", output.shown))
        elif output.status != "unchanged" or show_unchanged:
            say(f"{output.status}: {output.shown}{_REPLACED.get(output.replaces, '')}")
    return ended, found, errors


def _exit(errors: list[AgentkitError], found: bool) -> NoReturn:
    for error in errors:
        _error(error)
    sys.exit(EXIT_ERROR if errors else EXIT_FOUND if found else EXIT_OK)


def _target_of(out: str) -> tuple[str, str]:
    """A file the user named (`-o FILE`): its folder is the root it may not leave, its name the path."""
    folder, name = os.path.split(out)
    return folder or ".", name


@main.command()
@click.argument("paths", nargs=-1, required=True, type=_InputPath())
@click.option("-o", "--output", "out_dir", type=_OutputPath(file_okay=False),
              help="Write normalized files into this directory (folders below each input kept).")
@click.option("--in-place", is_flag=True, help="Rewrite each file in place (atomically, its mode kept).")
@click.option("--check", is_flag=True, help="Change nothing; exit 1 when a file would change, and show how.")
@click.option("--force", is_flag=True, help="With -o: overwrite existing files that differ.")
@click.option("--keep-hidden", is_flag=True, help=KEEP_HIDDEN_HELP)
@click.option("--from", "fmt", metavar="FORMAT", help=FROM_HELP, cls=_RegistryOption)
def normalize(paths: tuple[str, ...], out_dir: str | None, in_place: bool, check: bool, force: bool, keep_hidden: bool, fmt: str | None) -> None:
    """Write each file back repaired, in its own format: valid YAML, UTF-8 without BOM, LF, final newline,
    no hidden or control characters; everything else as it was written, byte for byte.

    Without -o or --in-place the result is printed. Normalizing twice equals normalizing once.
    """
    from agentkit.errors import AgentkitError
    from agentkit.export import clean
    from agentkit.outputs import Output, differs, plan
    from agentkit.reader import read_bytes, read_input
    from agentkit.writer import refuse_empty, render

    if sum(map(bool, (out_dir, in_place, check))) > 1:
        raise click.UsageError("choose one of -o/--output, --in-place and --check")
    errors: list[AgentkitError] = []
    planned: list[Output] = []
    repairs: dict[str, int] = {}
    for given, path in _inputs_from(paths):
        try:
            original = read_input(path)  # read once, safely: the bytes compared are the bytes parsed
            result = read_bytes(original, path, fmt)
            refuse_empty(result.agent)
            agent, removed = clean(result.agent, keep_hidden)  # hidden and control characters: repaired, and said
            text = render(agent)
            refuse_empty(agent, text)
        except AgentkitError as exc:
            errors.append(exc)
            continue
        where = (out_dir, (os.path.relpath(path, given) if os.path.isdir(given) else os.path.basename(path)).replace(os.sep, "/")) \
            if out_dir else _target_of(path)  # with -o the folders below the input named are kept: two `x.md` stay two files
        planned.append(Output(*where, text, path, result.agent.format, tuple(removed)))
        repairs[path] = len(result.repairs) + len(removed)
        for finding in result.repairs:  # what normalize changes, one line each, as inspect shows it
            _say(f"agentkit: {path}:{finding.line or 1}: {finding.message} [{finding.kind}]")
        if not (out_dir or in_place or check):
            for line in _loss_lines(planned.pop()):
                _say(line)
            click.echo(text, nl=False)

    def in_place_judge(output: Output, old: str) -> str:
        return "update"  # asked for: the file is the input itself

    outputs = plan(planned, force, in_place_judge if in_place or check else differs)
    found = False
    for output in outputs if check else ():
        if output.status == "update":
            found = True
            _show(_unified_named(output.old or "", output.text, output.source, f"{output.source} (normalized)"), nl=False)
            for line in _loss_lines(output):
                _say(line)
            _say(f"would change: {output.source} ({repairs[output.source]} repairs)")
        elif output.error is not None:
            errors.append(output.error)
    if not check:
        # normalize's --check compares with the inputs, not with files under -o: not named as a remedy here
        errors += _settle(outputs, False, False, has_check=False, show_unchanged=False)[2]
    _exit(errors, found)


def _inputs_from(paths: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """(the path given, a file found in it) for every input."""
    from agentkit.reader import find_agent_files

    for path in paths:
        for found in find_agent_files(path):
            yield path, found


def _unified(old: str, new: str, path: str) -> str:
    return _unified_named(old, new, f"a/{path}", f"b/{path}")


def _unified_named(old: str, new: str, before: str, after: str) -> str:
    import difflib

    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True), before, after))


def _formats_option(value: str) -> list[str]:
    from agentkit import formats
    from agentkit.errors import AgentkitError

    names = [v.strip() for v in value.split(",") if v.strip()]
    try:
        return [formats.get(n).name for n in names]
    except AgentkitError as exc:
        raise click.BadParameter(exc.message) from None


def _output_of(exported, root: str, allow_wider: bool, strict: bool) -> Output:  # type: ignore[no-untyped-def]
    """An export as a planned file; refused here when it would widen (not allowed) or lose (`--strict`)."""
    from agentkit.outputs import Output

    status = "refused-wider" if exported.widened and not allow_wider else "refused-lossy" if strict and exported.losses else ""
    return Output(root, exported.path, exported.text, exported.source, exported.format, exported.losses, exported.widened, status)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=_InputPath())
@click.option("--format", "-f", "format_list", required=True, metavar="FORMATS",
              help="Target format(s), comma-separated: {write}.", cls=_RegistryOption)
@click.option("-o", "--output", "root", default=".", show_default=True, type=_OutputPath(file_okay=False),
              help="Output root; files go to the target's conventional place under it.")
@click.option("--stdout", "to_stdout", is_flag=True, help="Print the exported files instead of writing them.")
@click.option("--check", is_flag=True, help="Write nothing; print a unified diff and exit 1 when anything would change.")
@click.option("--force", is_flag=True, help=FORCE_HELP)
@click.option("--strict", is_flag=True, help="Exit 1 (and write nothing for that file) when anything would be lost.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report with every output and its `losses`.")
@click.option("--keep-hidden", is_flag=True, help=KEEP_HIDDEN_HELP)
@click.option("--allow-wider", is_flag=True, help=ALLOW_WIDER_HELP)
@click.option("--from", "fmt", metavar="FORMAT", help=FROM_HELP, cls=_RegistryOption)
def export(paths: tuple[str, ...], format_list: str, root: str, to_stdout: bool, check: bool, force: bool,
           strict: bool, as_json: bool, keep_hidden: bool, allow_wider: bool, fmt: str | None) -> None:
    """Write each agent in each target format, mapping tools and models and reporting every loss.

    Paths: .claude/agents/NAME.md, .github/agents/NAME.agent.md, .cursor/agents/NAME.md,
    .cursor/rules/NAME.mdc under the output root. Existing files that differ are kept unless --force.
    """
    from agentkit.errors import AgentkitError
    from agentkit.export import export_many
    from agentkit.outputs import plan

    if to_stdout and check:
        raise click.UsageError("choose one of --stdout and --check")
    targets = _formats_option(format_list)
    errors: list[AgentkitError] = []
    planned: list[Output] = []
    for outcome in export_many(list(_inputs(paths)), targets, fmt, keep_hidden, allow_wider):
        for exported in [outcome] if isinstance(outcome, AgentkitError) else outcome:
            if isinstance(exported, AgentkitError):
                errors.append(exported)
            else:
                planned.append(_output_of(exported, root, allow_wider, strict))
    if to_stdout:
        import dataclasses

        found = False
        for output in planned:
            for line in [] if as_json else _loss_lines(output):
                _say(line)
            if output.status:
                found = True
                if not as_json:
                    _say(_refused_line(output, "--allow-wider"))
            elif not as_json:
                click.echo(output.text, nl=False)
        ended = [o if o.status else dataclasses.replace(o, status="printed") for o in planned]
    else:
        ended, found, problems = _settle(plan(planned, force), check, as_json, has_check=True)
        errors += problems
    if as_json:
        click.echo(_json({"outputs": [o.to_json() for o in ended], "errors": [e.to_json() for e in errors]}))
    _exit(errors, found)


@main.command()
@click.argument("path", type=_InputPath())
@click.option("--to", "target", required=True, metavar="FORMAT", help="Target format: {write}.", cls=_RegistryOption)
@click.option("-o", "--output", "out", type=_OutputPath(dir_okay=False), help="Write to this file instead of printing.")
@click.option("--force", is_flag=True, help="Overwrite an existing file that differs.")
@click.option("--strict", is_flag=True, help="Exit 1 and write nothing when anything would be lost.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object with `text`, `status` and `losses`.")
@click.option("--keep-hidden", is_flag=True, help=KEEP_HIDDEN_HELP)
@click.option("--allow-wider", is_flag=True, help=ALLOW_WIDER_HELP)
@click.option("--from", "fmt", metavar="FORMAT", help=FROM_HELP, cls=_RegistryOption)
def convert(path: str, target: str, out: str | None, force: bool, strict: bool, as_json: bool, keep_hidden: bool,
            allow_wider: bool, fmt: str | None) -> None:
    """Convert one agent file to another format (printed, or written with -o); losses go to stderr."""
    import dataclasses

    from agentkit.errors import AgentkitError
    from agentkit.export import export as export_agent
    from agentkit.outputs import plan
    from agentkit.reader import read

    (name,) = _formats_option(target)
    try:
        exported = export_agent(read(path, fmt, analyze=False).agent, name, keep_hidden, allow_wider)
    except AgentkitError as exc:
        if as_json:
            click.echo(_json({"source": path, "format": name, "text": None, "status": "error", **exc.to_json()}))
        _exit([exc], False)
    output = _output_of(exported, ".", allow_wider, strict)
    if out:  # the file named, under its own folder
        folder, file_name = _target_of(out)
        output = dataclasses.replace(output, root=folder, path=file_name)
    errors: list[AgentkitError] = []
    if out:
        (output,), found, errors = _settle(plan([output], force), False, as_json, has_check=False)
    else:
        found = bool(output.status)
        for line in [] if as_json else _loss_lines(output) + ([_refused_line(output, "--allow-wider")] if found else []):
            _say(line)
        if not found:
            if not as_json:
                click.echo(output.text, nl=False)
            output = dataclasses.replace(output, status="converted")
    if as_json:
        refused = output.status.startswith("refused") or output.status == "error"
        payload = {**output.to_json(), "path": output.shown if out else None, "text": None if refused else output.text}
        click.echo(_json(payload))
    _exit(errors, found)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=_InputPath())
@click.option("-o", "--output", "out", type=_OutputPath(dir_okay=False), help="Write the merged agent here instead of printing it.")
@click.option("--name", help="Name of the merged agent (default: the name most inputs share).")
@click.option("--model", help="Model of the merged agent (default: the model family most inputs use).")
@click.option("--tools", help="'all' for no tool list, or a comma-separated list (default: union of the inputs' lists).")
@click.option("--permission-mode", "permission_mode", metavar="MODE",
              help="Permission mode of the merged agent (default: the most restrictive of the inputs'): plan, dontAsk, default, acceptEdits, auto, bypassPermissions.")
@click.option("--fold", nargs=2, multiple=True, metavar="ITEM ITEM",
              help="Fold these two items whatever the judge says; an item is its text or its path:line, as the summary prints it. Repeatable.")
@click.option("--apart", nargs=2, multiple=True, metavar="ITEM ITEM", help="Never fold these two items. Repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print the merged agent, each item's sources and the conflicts as JSON.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file that differs.")
@click.option("--keep-hidden", is_flag=True, help=KEEP_HIDDEN_HELP)
@click.option("--keep-repeats", is_flag=True, help="Never fold two items of one input together: each input's own repeats stay (the behaviour before they folded).")
@click.option("--judge-cmd", metavar="CMD", help="Send the alike pairs to CMD (JSON lines on its stdin) and fold those it answers `fold` for (one line per pair: fold or apart).")
@click.option("--review", is_flag=True, help="Settle the alike pairs one key each (y fold, n apart, s skip, u undo, q quit, ? help), "
                                             "from a terminal or piped on stdin; the answers go into agentkit.toml for sync.")
@click.option("--report", "report", type=_OutputPath(dir_okay=False), metavar="FILE",
              help="Also write the merge as one self-contained HTML page (figures, heat map, items with their sources, folds, alike pairs, conflicts).")
@click.option("--from", "fmt", metavar="FORMAT", help=FROM_HELP, cls=_RegistryOption)
def merge(paths: tuple[str, ...], out: str | None, name: str | None, model: str | None, tools: str | None, permission_mode: str | None,
          fold: tuple[tuple[str, str], ...], apart: tuple[tuple[str, str], ...], as_json: bool, force: bool,
          keep_hidden: bool, keep_repeats: bool, judge_cmd: str | None, review: bool, report: str | None, fmt: str | None) -> None:
    """Merge agent specs (files or directories, any format) into one canonical agent.

    Each piece of guidance appears once, with every source it came from; the summary (stderr) says how
    many items came in and went out, what was folded and what conflicted, and which pairs were kept
    apart although alike: settle those with --fold or --apart.
    """
    from agentkit import formats
    from agentkit.errors import AgentkitError
    from agentkit.export import clean
    from agentkit.merge import Options
    from agentkit.merge import merge as merge_agents
    from agentkit.outputs import Output, plan
    from agentkit.report import merge_json, merge_summary
    from agentkit.writer import refuse_empty, refuse_non_agent, render

    results, errors = _read_all(paths, fmt)
    kept = []
    for read_result in results:
        try:
            refuse_non_agent(read_result.agent)  # a skill or a command: one line; the others are merged
            refuse_empty(read_result.agent)  # an input with nothing in it: one line; the others are merged
            kept.append(read_result)
        except AgentkitError as exc:
            errors.append(exc)
    results = kept
    if not results:
        if as_json:  # a program asked for JSON: it gets JSON, saying why there is no agent
            click.echo(_json({"agent": None, "errors": [e.to_json() for e in errors]}))
        _exit([*errors, AgentkitError("no-agent", "no agent could be read from the inputs")], False)
    from agentkit.permissions import MODE_RANK

    if permission_mode is not None and permission_mode not in MODE_RANK:
        raise click.BadParameter(f"{permission_mode!r} is not one of {', '.join(sorted(MODE_RANK))}", param_hint="--permission-mode")
    import dataclasses

    if review and as_json:
        raise click.UsageError("--review asks a person: it does not go with --json")
    options = Options(name=name, model=model, tools=tools, fold=fold, apart=apart, permission_mode=permission_mode, keep_repeats=keep_repeats)
    where = None
    if review:  # decisions already recorded for this merge apply, and are not asked again
        from agentkit.review import locate

        try:
            where = locate(r.agent.path for r in results)
        except AgentkitError as exc:
            _exit([*errors, exc], False)
        options = dataclasses.replace(options, fold=(*fold, *where.fold), apart=(*apart, *where.apart))
    result = merge_agents([r.agent for r in results], options)
    if judge_cmd:  # the pairs our judge was unsure of, settled by the team's own (a model, a script)
        from agentkit.external_judge import ask

        asked = len(result.alike)
        try:
            decided = ask(judge_cmd, result.alike)
        except AgentkitError as exc:
            _exit([*errors, exc], False)
        if decided:
            result = merge_agents([r.agent for r in results], dataclasses.replace(options, fold=(*fold, *decided)))
        if not as_json:
            _say(f"agentkit: --judge-cmd answered fold for {len(decided)} of {asked} alike pair(s)")
    if review and where is not None:
        decided, problems = _review(result, where, paths, (options.fold, options.apart))
        errors += problems
        if decided:
            options = dataclasses.replace(options, fold=(*options.fold, *decided[0]), apart=(*options.apart, *decided[1]))
            result = merge_agents([r.agent for r in results], options)
    if report:
        from agentkit.merge_report import render as render_report

        page = Output(*_target_of(report), render_report(result, [(r.agent.path, r.agent.name or "") for r in results]), "merge", "html")
        (page,), _, problems = _settle(plan([page], force), False, as_json, has_check=False)
        errors += problems
    merged, removed = clean(result.agent, keep_hidden)  # what no file may hold, and hidden characters: said
    try:
        text = render(merged, formats.CANONICAL)  # refuses what no file may hold: one line, exit 2
    except AgentkitError as exc:
        _exit([*errors, exc], False)
    payload: dict[str, Any] = {}
    written = Output(*_target_of(out or "merged.md"), text, "merge", formats.CANONICAL, tuple(removed))
    if as_json:
        payload = {**merge_json(result, text), "losses": [loss.to_json() for loss in removed]}
    else:
        for line in merge_summary(result, len(results)).split("\n"):
            _say(line)
    if out:
        (written,), _, problems = _settle(plan([written], force), False, as_json, has_check=False)
        errors += problems
        payload["output"] = written.to_json()
    elif not as_json:
        for line in _loss_lines(written):
            _say(line)
        click.echo(text, nl=False)
    if as_json:
        click.echo(_json({**payload, "errors": [e.to_json() for e in errors]}))
    _exit(errors, False)


def _review(result, where, paths: tuple[str, ...], decided: tuple) -> tuple:  # type: ignore[no-untyped-def, type-arg]
    """Ask a person about each undecided alike pair, one key each; record the answers in the
    configuration. Returns ((folds, aparts) given, errors)."""
    from agentkit import formats
    from agentkit.config_edit import NewAgent, with_decisions
    from agentkit.errors import AgentkitError
    from agentkit.outputs import Output, plan
    from agentkit.reader import read_input
    from agentkit.review import HELP, Review, undecided

    review = Review(undecided(result.alike, *decided))
    if not review.pairs:
        _say("agentkit: review: no alike pair is left to settle")
        return None, []
    section_of = {(m.path, m.line): s.title for s in result.sections for merged in s.items for m in (merged.item, *merged.folded)}
    terminal = sys.stdin.isatty()
    keys = None
    if not terminal:
        piped = sys.stdin.read()
        keys = iter(c for c in piped if not c.isspace())
        if not piped.strip():
            return None, [AgentkitError("no-terminal", "--review needs a terminal, or answers piped on stdin (one of y, n, s, u, q per pair)")]
    while review.current is not None:
        pair, number = review.current, review.position + 1
        _say(f"({number}/{len(review.pairs)}) alike, score {pair.score:.2f}: {pair.reason}")
        for side, (text, source) in zip("AB", zip(pair.texts, pair.sources)):
            _say(f"  {side}  {source.path}:{source.line}  [{section_of.get((source.path, source.line)) or 'no section'}]")
            for line in text.split("\n")[:6]:
                _say(f"     {line}")
        click.echo("Fold these two? [y,n,s,u,q,?] ", err=True, nl=False)
        key = click.getchar() if terminal else next(keys, None)  # type: ignore[arg-type]
        if key is None:
            click.echo("", err=True)
            _say(f"agentkit: review: the answers ended after {len(review.answers)} pair(s); the rest stay undecided")
            break
        click.echo(key if key.isprintable() else "", err=True)
        what = review.answer(key)
        if what == "help":
            for line in HELP.split("\n"):
                _say(line)
        elif what in ("unknown", "nothing to undo"):
            _say("agentkit: review: " + ("nothing to undo" if what == "nothing to undo" else "answer y, n, s, u, q or ? (help)"))
    folds, aparts = review.decided("fold"), review.decided("apart")
    _say(f"agentkit: review: {len(folds)} fold(s), {len(aparts)} kept apart, {sum(1 for _, v in review.answers if v == 'skip')} skipped")
    if not folds and not aparts:
        return None, []
    try:
        old = read_input(where.path).decode("utf-8") if where.exists else None
    except (AgentkitError, UnicodeDecodeError) as exc:
        return None, [exc if isinstance(exc, AgentkitError) else AgentkitError("bad-config", "not UTF-8", where.path)]
    base = os.path.dirname(where.path) or "."
    new_agent = NewAgent(result.agent.name or "merged-agent", tuple(os.path.relpath(p, base).replace(os.sep, "/") for p in paths), (formats.CANONICAL,))
    text = with_decisions(old, where.pyproject, where.agent, folds, aparts, new_agent)

    def ours(output: Output, old_text: str) -> str:
        return "update"  # the decisions were asked for: the configuration is edited, its comments kept

    (written,), _, problems = _settle(plan([Output(*_target_of(where.path), text, "review", "toml")], judge=ours), False, False,
                                      has_check=False)
    return ((tuple(folds), tuple(aparts)) if written.error is None else None), problems


@main.command()
@click.argument("a", type=_InputPath())
@click.argument("b", type=_InputPath())
@click.option("--stat", is_flag=True, help="Print a one-line summary of the changes.")
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON (a `changes` list, each with a `kind`).")
@click.option("--unified", is_flag=True, help="Print a classic unified diff of the two files normalized to agentkit's canonical form.")
@click.option("--from", "fmt", metavar="FORMAT", help=FROM_HELP, cls=_RegistryOption)
def diff(a: str, b: str, stat: bool, as_json: bool, unified: bool, fmt: str | None) -> None:
    """Show what really differs between two agent specs, in any formats: metadata (through the tool and
    model tables) and guidance (added, removed, reworded, moved; sections added, removed, renamed, moved).

    Exit codes like diff(1): 0 no meaningful difference, 1 differences, 2 error. Color only on a
    terminal and without NO_COLOR.
    """
    import os

    from agentkit import formats
    from agentkit.diff import diff as diff_agents
    from agentkit.errors import AgentkitError
    from agentkit.reader import read
    from agentkit.report import diff_stat, diff_text

    read_errors: list[AgentkitError] = []
    both: list[ReadResult] = []
    for path in (a, b):  # both read, so that two bad files are two lines
        try:
            both.append(read(path, fmt))
        except AgentkitError as exc:
            read_errors.append(exc)
    if read_errors:
        if as_json:
            click.echo(_json({"a": a, "b": b, "changes": None, "errors": [e.to_json() for e in read_errors]}))
        _exit(read_errors, False)
    left, right = both
    changes = diff_agents(left.agent, right.agent, left.key_lines, right.key_lines)
    if as_json:
        click.echo(_json({"a": a, "b": b, "changes": [c.to_json() for c in changes], "errors": []}))
    elif unified:
        from agentkit.writer import render

        try:
            old = render(left.agent, formats.CANONICAL)
            new = render(right.agent, formats.CANONICAL)
        except AgentkitError as exc:
            _error(exc)
            sys.exit(EXIT_ERROR)
        _show(_unified(old, new, "").replace("--- a/\n", f"--- {a}\n", 1).replace("+++ b/\n", f"+++ {b}\n", 1), nl=False)
    elif stat:
        _show(diff_stat(changes))
    elif changes:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        click.echo(diff_text(changes, a, b, color), color=color)  # escaped inside, before the colours
    sys.exit(EXIT_FOUND if changes else EXIT_OK)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=_InputPath())
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def lint(paths: tuple[str, ...], as_json: bool) -> None:
    """Report invisible and direction-changing characters (zero-width, bidi controls, Unicode tag
    characters, other format characters) and control characters, with file, line and column; and
    for Agent Skills (SKILL.md), what breaks the specification (name equal to its folder, lowercase
    with hyphens, at most 64 characters; description and compatibility lengths; required keys).

    Exit codes: 0 none found, 1 found, 2 a file could not be read.
    """

    from agentkit import formats
    from agentkit.errors import AgentkitError
    from agentkit.reader import read
    from agentkit.text import printable

    kinds = ("hidden-char", "control-char")
    found: list[dict] = []
    failed: list[AgentkitError] = []
    for path in _inputs(paths):
        try:
            result = read(path)
        except AgentkitError as exc:
            failed.append(exc)
            continue
        # Hidden characters are warnings (kept in the text); control characters are removed on reading (repairs).
        reported = set(kinds) | formats.get(result.agent.format).lint_kinds
        for finding in sorted((*result.warnings, *result.repairs), key=lambda f: (f.line or 0, f.column or 0)):
            if finding.kind in reported:
                found.append({"path": path, **finding.to_json()})
                if not as_json:
                    where = ":".join(str(n) for n in (finding.line, finding.column) if n is not None)
                    _show(f"{printable(path)}{':' + where if where else ''}: {finding.message} [{finding.kind}]")
    if as_json:  # a file that could not be read is an entry too, in the one error shape
        click.echo(_json(found + [e.to_json() for e in failed]))
    _exit(failed, bool(found))


def _config(path: str | None):  # type: ignore[no-untyped-def]
    from agentkit import config
    from agentkit.errors import AgentkitError

    found = path or config.find(".")
    if found is None:
        raise AgentkitError("no-config", "no agentkit.toml (or [tool.agentkit] in pyproject.toml) here or above; run `agentkit init`")
    return config.load(found)


SYNC_LABELS = {"create": "missing", "update": "stale", "edited": "edited by hand", "foreign": "not generated by agentkit",
               "exists": "differs"}


@main.command()
@click.option("--check", is_flag=True, help="Write nothing; exit 1 and show a diff for every file that is missing, stale or edited by hand.")
@click.option("--force", is_flag=True, help="Also replace hand edits and files agentkit did not generate.")
@click.option("--config", "config_path", type=_InputPath(dir_okay=False), help="Configuration file (default: agentkit.toml or pyproject.toml, found upwards).")
@click.option("--allow-wider", is_flag=True, help=ALLOW_WIDER_HELP + " Per agent: allow-wider in agentkit.toml.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report: every output (status, losses), errors and warnings.")
@click.option("--keep-hidden", is_flag=True, help=KEEP_HIDDEN_HELP)
def sync(check: bool, force: bool, config_path: str | None, allow_wider: bool, as_json: bool, keep_hidden: bool) -> None:
    """Merge each configured agent from its sources and write it in every configured format, writing
    only files that change. Generated files end with a marker, so hand edits can be told from stale
    output; hand edits and files agentkit did not generate are kept unless --force.
    """
    from agentkit.errors import AgentkitError
    from agentkit.sync import imported_files, plan

    try:
        config = _config(config_path)
    except AgentkitError as exc:
        if as_json:
            click.echo(_json({"outputs": [], "errors": [exc.to_json()], "warnings": []}))
        _exit([exc], False)
    show_progress = len(config.agents) > 5 and sys.stderr.isatty() and not as_json
    if show_progress:
        with click.progressbar(length=len(config.agents), label="syncing", file=sys.stderr) as bar:
            planned = plan(config, imported_files(config), allow_wider, force, lambda _: bar.update(1), keep_hidden)
    else:
        planned = plan(config, imported_files(config), allow_wider, force, keep_hidden=keep_hidden)
    for warning in () if as_json else planned.warnings:  # used as a source, and said so
        _say(f"agentkit: warning: {warning}")
    ended, found, problems = _settle(list(planned.outputs), check, as_json, has_check=True, labels=SYNC_LABELS,
                                     wider_hint="allow-wider in the agent's table (or --allow-wider)", show_unchanged=not show_progress)
    errors = [*planned.errors, *problems]
    if as_json:
        click.echo(_json({"outputs": [o.to_json() for o in ended], "errors": [e.to_json() for e in errors],
                          "warnings": [w.to_json() for w in planned.warnings]}))
    _exit(errors, found)


@main.command()
@click.option("--force", is_flag=True, help="Replace an existing agentkit.toml (never an agent source that differs).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report: the files written, what was skipped or renamed, errors.")
@click.option("--keep-hidden", is_flag=True, help=KEEP_HIDDEN_HELP)
@click.argument("root", default=".", type=_InputPath())  # checked by init itself: one line, not click's usage error
def init(force: bool, as_json: bool, keep_hidden: bool, root: str) -> None:
    """Write a starting agentkit.toml from the agent files found in the repository.

    Agents with the same name are merged into one canonical source under .agentkit/agents; the files
    found are listed in .agentkit/imported, and `agentkit sync` may replace them with generated ones.
    Files that cannot be read are reported and left out; the others are imported.
    """
    from agentkit.errors import AgentkitError
    from agentkit.sync import init as init_repo

    try:
        planned = init_repo(root, force, keep_hidden)
    except AgentkitError as exc:
        if as_json:
            click.echo(_json({"outputs": [], "errors": [exc.to_json()]}))
        _exit([exc], False)
    notes = [f"agentkit: note: {note}" for note in planned.skipped] + [f"agentkit: renamed: {r}" for r in planned.renamed]
    for line in () if as_json else notes:
        _say(line)
    ended, _, problems = _settle(list(planned.outputs), False, as_json, has_check=False)
    errors = [*planned.errors, *problems]
    if as_json:
        click.echo(_json({"outputs": [o.to_json() for o in ended], "agents": list(planned.agents), "imported": list(planned.imported),
                          "skipped": [e.to_json() for e in planned.skipped], "renamed": list(planned.renamed),
                          "errors": [e.to_json() for e in errors]}))
    else:
        _say(f"{len(planned.agents)} agent(s) from {len(planned.imported)} file(s); "
                   "next: edit the sources, then run `agentkit sync`")
    _exit(errors, False)


if __name__ == "__main__":
    main()
