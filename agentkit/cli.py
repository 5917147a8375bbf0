"""The `agentkit` command: parse arguments, call the library, render, map errors to exit codes.

Exit codes: 0 success; 1 a check found something (`normalize --check` would change a file);
2 bad input or an error (one line per file on stderr; the other inputs are still processed).
Heavy modules are imported inside the commands so that `agentkit --help` stays fast.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Iterator

import click

if TYPE_CHECKING:
    from agentkit.errors import AgentkitError
    from agentkit.model import ReadResult

EXIT_OK, EXIT_FOUND, EXIT_ERROR = 0, 1, 2

FROM_HELP = "Read inputs as this format instead of detecting it (claude, copilot, copilot-chatmode, cursor, cursor-rule, copilot-instructions, agents-md, markdown)."


def _error(error: AgentkitError) -> None:
    click.echo(f"agentkit: error: {error}", err=True)


def _inputs(paths: tuple[str, ...]) -> Iterator[str]:
    from agentkit.reader import find_agent_files

    for path in paths:
        yield from find_agent_files(path)


def _read_all(paths: tuple[str, ...], fmt: str | None) -> tuple[list[ReadResult], list[AgentkitError]]:
    from agentkit.errors import AgentkitError
    from agentkit.reader import read

    results, errors = [], []
    for path in _inputs(paths):
        try:
            results.append(read(path, fmt))
        except AgentkitError as exc:
            errors.append(exc)
    return results, errors


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="agentkit")
def main() -> None:
    """Read, repair, merge, diff and export AI coding-agent specs (Claude Code, Copilot, Cursor).

    Exit codes: 0 ok, 1 a check found differences, 2 bad input or error.
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per input (a JSON array).")
@click.option("--from", "fmt", metavar="FORMAT", help=FROM_HELP)
def inspect(paths: tuple[str, ...], as_json: bool, fmt: str | None) -> None:
    """Show how agentkit reads each agent file: fields, body, repairs made and warnings.

    PATHS are files or directories (searched for agent files).
    """
    import json

    from agentkit.checks import duplicate_names
    from agentkit.report import error_json, result_json, result_text

    results, errors = _read_all(paths, fmt)
    extra: dict[str, list] = {}
    for path, finding in duplicate_names(results):
        extra.setdefault(path, []).append(finding)
    if as_json:
        payload = [result_json(r, extra.get(r.agent.path, ())) for r in results] + [error_json(e) for e in errors]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo("\n\n".join(result_text(r, extra.get(r.agent.path, ())) for r in results))
    for error in errors:
        _error(error)
    sys.exit(EXIT_ERROR if errors else EXIT_OK)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), help="Write normalized files into this directory.")
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
    from agentkit.reader import read
    from agentkit.writer import render

    if sum(map(bool, (out_dir, in_place, check))) > 1:
        raise click.UsageError("choose one of -o/--output, --in-place and --check")
    failed = changed = False
    seen: dict[str, str] = {}
    for path in _inputs(paths):
        try:
            result = read(path, fmt)
            text = render(result.agent)
            with open(path, "rb") as handle:
                original = handle.read()
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


if __name__ == "__main__":
    main()
