"""The `agentkit` command: parse arguments, call the library, render, map errors to exit codes.

Exit codes: 0 success; 1 a check found something (`normalize --check` would change a file);
2 bad input or an error (one line per file on stderr; the other inputs are still processed).
Heavy modules are imported inside the commands so that `agentkit --help` stays fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from agentkit.errors import AgentkitError
    from agentkit.model import ReadResult

EXIT_OK, EXIT_FOUND, EXIT_ERROR, EXIT_BUG = 0, 1, 2, 3

FROM_HELP = "Read inputs as this format instead of detecting it (claude, copilot, copilot-chatmode, cursor, cursor-rule, copilot-instructions, agents-md, markdown)."


def _error(error: AgentkitError) -> None:
    click.echo(f"agentkit: error: {error}", err=True)


def _json(value: object) -> str:
    """Every JSON agentkit prints: strict (no NaN or Infinity, which strict parsers refuse), UTF-8, indented."""
    import json

    return json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)


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
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except AgentkitError as exc:  # refused input a command did not catch itself: still one line, exit 2
            _error(exc)
            sys.exit(EXIT_ERROR)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if os.environ.get("AGENTKIT_DEBUG"):
                raise
            click.echo(f"agentkit: internal error: {type(exc).__name__}: {exc} (set AGENTKIT_DEBUG=1 for details; please report it)", err=True)
            sys.exit(EXIT_BUG)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="agentkit")
def main() -> None:
    """Read, repair, merge, diff and export AI coding-agent specs (Claude Code, Copilot, Cursor).

    Exit codes: 0 ok, 1 a check found differences, 2 bad input or error, 3 a bug in agentkit.
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=_InputPath())
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per input (a JSON array).")
@click.option("--from", "fmt", metavar="FORMAT", help=FROM_HELP)
def inspect(paths: tuple[str, ...], as_json: bool, fmt: str | None) -> None:
    """Show how agentkit reads each agent file: fields, body, repairs made and warnings.

    PATHS are files or directories (searched for agent files).
    """

    from agentkit.checks import duplicate_names
    from agentkit.report import error_json, result_json, result_text

    results, errors = _read_all(paths, fmt)
    extra: dict[str, list] = {}
    for path, finding in duplicate_names(results):
        extra.setdefault(path, []).append(finding)
    if as_json:
        payload = [result_json(r, extra.get(r.agent.path, ())) for r in results] + [error_json(e) for e in errors]
        click.echo(_json(payload))
    else:
        click.echo("\n\n".join(result_text(r, extra.get(r.agent.path, ())) for r in results))
    for error in errors:
        _error(error)
    sys.exit(EXIT_ERROR if errors else EXIT_OK)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=_InputPath())
@click.option("-o", "--output", "out_dir", type=_OutputPath(file_okay=False), help="Write normalized files into this directory.")
@click.option("--in-place", is_flag=True, help="Rewrite each file in place (atomically).")
@click.option("--check", is_flag=True, help="Change nothing; exit 1 when a file would change, and show how.")
@click.option("--from", "fmt", metavar="FORMAT", help=FROM_HELP)
def normalize(paths: tuple[str, ...], out_dir: str | None, in_place: bool, check: bool, fmt: str | None) -> None:
    """Write each file back repaired, in its own format: valid YAML, UTF-8 without BOM, LF, final newline.

    Without -o or --in-place the result is printed. Normalizing twice equals normalizing once.
    """
    import difflib
    import os

    from agentkit.errors import AgentkitError
    from agentkit.files import write_atomic
    from agentkit.reader import read_bytes, read_input
    from agentkit.writer import refuse_empty, render

    if sum(map(bool, (out_dir, in_place, check))) > 1:
        raise click.UsageError("choose one of -o/--output, --in-place and --check")
    failed = changed = False
    seen: dict[str, str] = {}
    for path in _inputs(paths):
        try:
            original = read_input(path)  # read once, safely: the bytes compared are the bytes parsed
            result = read_bytes(original, path, fmt)
            refuse_empty(result.agent)
            text = render(result.agent)
            refuse_empty(result.agent, text)
            same = original == text.encode("utf-8")
            if check:
                if not same:
                    changed = True
                    old = original.decode("utf-8", errors="replace").replace("\r\n", "\n").splitlines(keepends=True)
                    diff = difflib.unified_diff(old, text.splitlines(keepends=True), path, f"{path} (normalized)")
                    click.echo("".join(diff), nl=False)
                    click.echo(f"would change: {path} ({len(result.repairs)} repairs)", err=True)
            elif in_place:
                if not same:
                    write_atomic(path, text)
                    click.echo(f"normalized: {path} ({len(result.repairs)} repairs)", err=True)
            elif out_dir:
                target = os.path.join(out_dir, os.path.basename(path))
                if target in seen:
                    raise AgentkitError("name-clash", f"would overwrite the output of {seen[target]} at {target}", path)
                seen[target] = path
                write_atomic(target, text)
                click.echo(f"wrote: {target} ({len(result.repairs)} repairs)", err=True)
            else:
                click.echo(text, nl=False)
        except AgentkitError as exc:
            failed = True
            _error(exc)
    sys.exit(EXIT_ERROR if failed else EXIT_FOUND if changed else EXIT_OK)


def _unified(old: str, new: str, path: str) -> str:
    import difflib

    diff = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{path}", f"b/{path}")
    return "".join(diff)


def _losses_to_stderr(exported) -> None:  # type: ignore[no-untyped-def]
    for loss in exported.losses:
        click.echo(f"agentkit: {exported.source} -> {exported.format}: {loss.field}: {loss.message} [{loss.kind}]", err=True)


ALLOW_WIDER_HELP = ("Write files that let an agent do more than its source, where the target has no narrower "
                    "setting (reported as `widened`); without it such files are refused (exit 1).")


def _refused_wider(exported, allow_wider: bool, quiet: bool = False) -> bool:  # type: ignore[no-untyped-def]
    """True (and one line on stderr) when the export would widen the agent and the user did not allow it."""
    if not exported.widened or allow_wider:
        return False
    if not quiet:
        click.echo(f"agentkit: {exported.source} -> {exported.format}: refused: the file would also allow "
                   f"{'; '.join(exported.widened)}; --allow-wider writes it anyway", err=True)
    return True


def _formats_option(value: str) -> list[str]:
    from agentkit import formats
    from agentkit.errors import AgentkitError

    names = [v.strip() for v in value.split(",") if v.strip()]
    try:
        return [formats.get(n).name for n in names]
    except AgentkitError as exc:
        raise click.BadParameter(exc.message) from None


@main.command()
@click.argument("paths", nargs=-1, required=True, type=_InputPath())
@click.option("--format", "-f", "format_list", required=True, metavar="FORMATS",
              help="Target format(s), comma-separated: claude, copilot, cursor, cursor-rule, agentkit.")
@click.option("-o", "--output", "root", default=".", show_default=True, type=_OutputPath(file_okay=False),
              help="Output root; files go to the target's conventional place under it.")
@click.option("--stdout", "to_stdout", is_flag=True, help="Print the exported files instead of writing them.")
@click.option("--check", is_flag=True, help="Write nothing; print a unified diff and exit 1 when anything would change.")
@click.option("--force", is_flag=True, help="Overwrite existing files that differ.")
@click.option("--strict", is_flag=True, help="Exit 1 (and write nothing for that file) when anything would be lost.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report with every output and its `losses`.")
@click.option("--keep-hidden", is_flag=True, help="Keep invisible and direction-changing characters (removed by default).")
@click.option("--allow-wider", is_flag=True, help=ALLOW_WIDER_HELP)
@click.option("--from", "fmt", metavar="FORMAT", help=FROM_HELP)
def export(paths: tuple[str, ...], format_list: str, root: str, to_stdout: bool, check: bool, force: bool,
           strict: bool, as_json: bool, keep_hidden: bool, allow_wider: bool, fmt: str | None) -> None:
    """Write each agent in each target format, mapping tools and models and reporting every loss.

    Paths: .claude/agents/NAME.md, .github/agents/NAME.agent.md, .cursor/agents/NAME.md,
    .cursor/rules/NAME.mdc under the output root. Existing files that differ are kept unless --force.
    """
    import os

    from agentkit.errors import AgentkitError
    from agentkit.export import export as export_agent
    from agentkit.files import inside, read_existing, write_output
    from agentkit.writer import refuse_empty

    targets = _formats_option(format_list)
    results, errors = _read_all(paths, fmt, analyze=False)
    report: list[dict] = []
    claimed: dict[str, str] = {}
    found = False
    for result in results:
        try:
            refuse_empty(result.agent)  # once per input, not once per target
        except AgentkitError as exc:
            errors.append(exc)
            continue
        for target in targets:
            try:
                exported = export_agent(result.agent, target, keep_hidden, allow_wider)
                destination = os.path.join(root, exported.path)
                entry = {"source": exported.source, "format": exported.format, "path": destination,
                         "losses": [loss.to_json() for loss in exported.losses], "widened": list(exported.widened)}
                report.append(entry)
                if not as_json:
                    _losses_to_stderr(exported)
                if _refused_wider(exported, allow_wider, as_json):
                    entry["status"] = "refused-wider"
                    found = True
                    continue
                if strict and exported.losses:
                    entry["status"] = "refused-lossy"
                    found = True
                    continue
                if to_stdout:
                    entry["status"] = "printed"
                    if not as_json:
                        click.echo(exported.text, nl=False)
                    continue
                if destination in claimed:
                    raise AgentkitError("name-clash", f"exports to {destination}, like {claimed[destination]}; rename one agent", exported.source)
                claimed[destination] = exported.source
                if not inside(root, destination):
                    raise AgentkitError("outside-root", f"{destination} would be written outside {root}", exported.source)
                if check:
                    old = read_existing(destination)
                    entry["status"] = "unchanged" if old == exported.text else "would-create" if old is None else "would-update"
                    if old != exported.text:
                        found = True
                        if not as_json:
                            click.echo(_unified(old or "", exported.text, exported.path), nl=False)
                    continue
                entry["status"] = "kept"  # stays so when write_output refuses to overwrite a differing file
                entry["status"] = write_output(destination, exported.text, force)
                if not as_json:
                    click.echo(f"{entry['status']}: {destination}", err=True)
            except AgentkitError as exc:
                errors.append(exc)
            except OSError as exc:  # one line for this output; the others are still written
                errors.append(AgentkitError("unwritable", exc.strerror or str(exc), exc.filename or result.agent.path))
    if as_json:
        click.echo(_json({"outputs": report, "errors": [{"path": e.path, "reason": e.reason, "message": e.message, "line": e.line} for e in errors]}))
    for error in errors:
        _error(error)
    sys.exit(EXIT_ERROR if errors else EXIT_FOUND if found else EXIT_OK)


@main.command()
@click.argument("path", type=_InputPath())
@click.option("--to", "target", required=True, metavar="FORMAT", help="Target format: claude, copilot, cursor, cursor-rule, agentkit.")
@click.option("-o", "--output", "out", type=_OutputPath(dir_okay=False), help="Write to this file instead of printing.")
@click.option("--force", is_flag=True, help="Overwrite an existing file that differs.")
@click.option("--strict", is_flag=True, help="Exit 1 and write nothing when anything would be lost.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object with `text` and `losses`.")
@click.option("--keep-hidden", is_flag=True, help="Keep invisible and direction-changing characters (removed by default).")
@click.option("--allow-wider", is_flag=True, help=ALLOW_WIDER_HELP)
@click.option("--from", "fmt", metavar="FORMAT", help=FROM_HELP)
def convert(path: str, target: str, out: str | None, force: bool, strict: bool, as_json: bool, keep_hidden: bool,
            allow_wider: bool, fmt: str | None) -> None:
    """Convert one agent file to another format (printed, or written with -o); losses go to stderr."""

    from agentkit.errors import AgentkitError
    from agentkit.export import export as export_agent
    from agentkit.files import write_output
    from agentkit.reader import read

    (name,) = _formats_option(target)
    try:
        exported = export_agent(read(path, fmt, analyze=False).agent, name, keep_hidden, allow_wider)
        refused = _refused_wider(exported, allow_wider, as_json)
        if as_json:
            click.echo(_json({"source": path, "format": name, "text": None if refused else exported.text,
                              "status": "refused-wider" if refused else "converted", "widened": list(exported.widened),
                              "losses": [loss.to_json() for loss in exported.losses]}))
        else:
            _losses_to_stderr(exported)
        if refused or strict and exported.losses:
            sys.exit(EXIT_FOUND)
        if out:
            write_output(out, exported.text, force)
        elif not as_json:
            click.echo(exported.text, nl=False)
    except AgentkitError as exc:
        _error(exc)
        sys.exit(EXIT_ERROR)


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
@click.option("--from", "fmt", metavar="FORMAT", help=FROM_HELP)
def merge(paths: tuple[str, ...], out: str | None, name: str | None, model: str | None, tools: str | None, permission_mode: str | None,
          fold: tuple[tuple[str, str], ...], apart: tuple[tuple[str, str], ...], as_json: bool, force: bool,
          fmt: str | None) -> None:
    """Merge agent specs (files or directories, any format) into one canonical agent.

    Each piece of guidance appears once, with every source it came from; the summary (stderr) says how
    many items came in and went out, what was folded and what conflicted, and which pairs were kept
    apart although alike: settle those with --fold or --apart.
    """

    from agentkit.errors import AgentkitError
    from agentkit.files import write_output
    from agentkit.merge import Options
    from agentkit.merge import merge as merge_agents
    from agentkit.report import error_json, merge_json, merge_summary
    from agentkit.writer import refuse_empty, render

    results, errors = _read_all(paths, fmt)
    kept = []
    for read_result in results:
        try:
            refuse_empty(read_result.agent)  # an input with nothing in it: one line; the others are merged
            kept.append(read_result)
        except AgentkitError as exc:
            errors.append(exc)
    results = kept
    for error in errors:
        _error(error)
    if not results:
        if as_json:  # a program asked for JSON: it gets JSON, saying why there is no agent
            click.echo(_json({"agent": None, "errors": [error_json(e) for e in errors]}))
        click.echo("agentkit: error: no agent could be read from the inputs", err=True)
        sys.exit(EXIT_ERROR)
    from agentkit.permissions import MODE_RANK

    if permission_mode is not None and permission_mode not in MODE_RANK:
        raise click.BadParameter(f"{permission_mode!r} is not one of {', '.join(sorted(MODE_RANK))}", param_hint="--permission-mode")
    result = merge_agents([r.agent for r in results], Options(name=name, model=model, tools=tools, fold=fold, apart=apart,
                                                              permission_mode=permission_mode))
    try:
        text = render(result.agent, "agentkit")  # refuses what no file may hold: one line, exit 2
        if as_json:
            click.echo(_json({**merge_json(result, text), "errors": [error_json(e) for e in errors]}))
        else:
            click.echo(merge_summary(result, len(results)), err=True)
        if out:
            status = write_output(out, text, force)
            if not as_json:
                click.echo(f"{status}: {out}", err=True)
        elif not as_json:
            click.echo(text, nl=False)
    except AgentkitError as exc:
        _error(exc)
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_ERROR if errors else EXIT_OK)


@main.command()
@click.argument("a", type=_InputPath())
@click.argument("b", type=_InputPath())
@click.option("--stat", is_flag=True, help="Print a one-line summary of the changes.")
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON (a `changes` list, each with a `kind`).")
@click.option("--unified", is_flag=True, help="Print a classic unified diff of the two files normalized to agentkit's canonical form.")
@click.option("--from", "fmt", metavar="FORMAT", help=FROM_HELP)
def diff(a: str, b: str, stat: bool, as_json: bool, unified: bool, fmt: str | None) -> None:
    """Show what really differs between two agent specs, in any formats: metadata (through the tool and
    model tables) and guidance (added, removed, reworded, moved; sections added, removed, renamed, moved).

    Exit codes like diff(1): 0 no meaningful difference, 1 differences, 2 error. Color only on a
    terminal and without NO_COLOR.
    """
    import os

    from agentkit.diff import diff as diff_agents
    from agentkit.errors import AgentkitError
    from agentkit.reader import read
    from agentkit.report import diff_stat, diff_text

    try:
        left, right = read(a, fmt), read(b, fmt)
    except AgentkitError as exc:
        _error(exc)
        sys.exit(EXIT_ERROR)
    changes = diff_agents(left.agent, right.agent, left.key_lines, right.key_lines)
    if as_json:
        click.echo(_json({"a": a, "b": b, "changes": [c.to_json() for c in changes]}))
    elif unified:
        from agentkit.writer import render

        try:
            old = render(left.agent, "agentkit")
            new = render(right.agent, "agentkit")
        except AgentkitError as exc:
            _error(exc)
            sys.exit(EXIT_ERROR)
        click.echo(_unified(old, new, "").replace("--- a/\n", f"--- {a}\n", 1).replace("+++ b/\n", f"+++ {b}\n", 1), nl=False)
    elif stat:
        click.echo(diff_stat(changes))
    elif changes:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        click.echo(diff_text(changes, a, b, color), color=color)
    sys.exit(EXIT_FOUND if changes else EXIT_OK)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=_InputPath())
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def lint(paths: tuple[str, ...], as_json: bool) -> None:
    """Report invisible and direction-changing characters (zero-width, bidi controls, Unicode tag
    characters, other format characters) and control characters, with file, line and column.

    Exit codes: 0 none found, 1 found, 2 a file could not be read.
    """

    from agentkit.errors import AgentkitError
    from agentkit.reader import read

    kinds = ("hidden-char", "control-char")
    found: list[dict] = []
    failed = False
    for path in _inputs(paths):
        try:
            result = read(path)
        except AgentkitError as exc:
            failed = True
            _error(exc)
            continue
        # Hidden characters are warnings (kept in the text); control characters are removed on reading (repairs).
        for finding in sorted((*result.warnings, *result.repairs), key=lambda f: (f.line or 0, f.column or 0)):
            if finding.kind in kinds:
                found.append({"path": path, **finding.to_json()})
                if not as_json:
                    click.echo(f"{path}:{finding.line}:{finding.column}: {finding.message} [{finding.kind}]")
    if as_json:
        click.echo(_json(found))
    sys.exit(EXIT_ERROR if failed else EXIT_FOUND if found else EXIT_OK)


def _config(path: str | None):  # type: ignore[no-untyped-def]
    from agentkit import config
    from agentkit.errors import AgentkitError

    found = path or config.find(".")
    if found is None:
        raise AgentkitError("no-config", "no agentkit.toml (or [tool.agentkit] in pyproject.toml) here or above; run `agentkit init`")
    return config.load(found)


@main.command()
@click.option("--check", is_flag=True, help="Write nothing; exit 1 and show a diff for every file that is missing, stale or edited by hand.")
@click.option("--force", is_flag=True, help="Also overwrite files agentkit did not generate.")
@click.option("--config", "config_path", type=_InputPath(dir_okay=False), help="Configuration file (default: agentkit.toml or pyproject.toml, found upwards).")
@click.option("--allow-wider", is_flag=True, help=ALLOW_WIDER_HELP + " Per agent: allow-wider in agentkit.toml.")
def sync(check: bool, force: bool, config_path: str | None, allow_wider: bool) -> None:
    """Merge each configured agent from its sources and write it in every configured format, writing
    only files that change. Generated files end with a marker, so hand edits can be told from stale
    output; files agentkit did not generate are never overwritten without --force.
    """
    import contextlib

    from agentkit.errors import AgentkitError
    from agentkit.files import write_atomic
    from agentkit.sync import imported_files, plan

    try:
        config = _config(config_path)
    except AgentkitError as exc:
        _error(exc)
        sys.exit(EXIT_ERROR)
    planned, errors = plan(config, imported_files(config), allow_wider)
    labels = {"create": "missing", "update": "stale", "edited": "edited by hand", "foreign": "not generated by agentkit"}
    found = False
    show_progress = len(config.agents) > 5 and sys.stderr.isatty() and not check
    bar = click.progressbar(planned, label="syncing", file=sys.stderr) if show_progress else contextlib.nullcontext(planned)
    with bar as items:
        for item in items:
            shown = os.path.relpath(item.path)
            if item.status == "refused-wider":
                found = True
                click.echo(f"agentkit: {item.agent} -> {item.format}: refused {shown}: the file would also allow "
                           f"{'; '.join(item.widened)}; allow-wider in the agent's table (or --allow-wider) writes it anyway", err=True)
                continue
            if item.status != "unchanged" and not check:
                for loss in item.losses:
                    click.echo(f"agentkit: {item.agent} -> {item.format}: {loss}", err=True)
            if item.status == "unchanged":
                if not show_progress:
                    click.echo(f"unchanged: {shown}", err=True)
                continue
            if check:
                found = True
                click.echo(_unified(item.old or "", item.text, shown), nl=False)
                click.echo(f"{labels[item.status]}: {shown}", err=True)
                continue
            if item.status == "foreign" and not force:
                errors.append(AgentkitError("foreign", f"{shown} exists and was not generated by agentkit; use --force to replace it", item.path))
                continue
            try:
                write_atomic(item.path, item.text)
            except AgentkitError as exc:
                errors.append(exc)
                continue
            verb = "created" if item.status == "create" else "updated"
            why = {"edited": " (replaced a hand edit)", "foreign": " (replaced a file agentkit did not generate)"}.get(item.status, "")
            click.echo(f"{verb}: {shown}{why}", err=True)
    for error in errors:
        _error(error)
    sys.exit(EXIT_ERROR if errors else EXIT_FOUND if found else EXIT_OK)


@main.command()
@click.option("--force", is_flag=True, help="Replace an existing agentkit.toml.")
@click.argument("root", default=".", type=_InputPath())  # checked by init itself: one line, not click's usage error
def init(force: bool, root: str) -> None:
    """Write a starting agentkit.toml from the agent files found in the repository.

    Agents with the same name are merged into one canonical source under .agentkit/agents; the files
    found are listed in .agentkit/imported, and `agentkit sync` may replace them with generated ones.
    """
    from agentkit.errors import AgentkitError
    from agentkit.sync import init as init_repo

    refused: list[AgentkitError] = []  # files init could not read: reported, the others imported
    try:
        config_path, written, imported = init_repo(root, force, refused)
    except AgentkitError as exc:
        for error in refused:
            _error(error)
        _error(exc)
        sys.exit(EXIT_ERROR)
    click.echo(f"wrote {config_path}: {len(written)} agent(s) from {len(imported)} file(s)", err=True)
    for path in written:
        click.echo(f"  source: {path}", err=True)
    click.echo("next: edit the sources, then run `agentkit sync`", err=True)
    for error in refused:
        _error(error)
    sys.exit(EXIT_ERROR if refused else EXIT_OK)


if __name__ == "__main__":
    main()
