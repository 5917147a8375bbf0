from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
# Files in the corpus folder that are not agent specs.
CORPUS_SKIP = {"MANIFEST.tsv", "NOTES.tsv", "README.md"}


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(
        p for p in CORPUS.rglob("*")
        if p.is_file() and p.name not in CORPUS_SKIP and "licences" not in p.relative_to(CORPUS).parts
    )


@pytest.fixture
def corpus() -> list[Path]:
    files = corpus_files()
    if not files:
        pytest.skip("../shared/corpus is not there")
    return files


def sample(index: int) -> Path:
    return next(SAMPLES.glob(f"{index}-*.md"))


def cli(*args: str):  # type: ignore[no-untyped-def]
    """Run agentkit in this process, stderr apart, as a user's shell would show it; never a bug (exit 3)
    or a traceback."""
    from click.testing import CliRunner

    from agentkit.cli import main

    try:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        runner = CliRunner()
    result = runner.invoke(main, list(args), env={"AGENTKIT_DEBUG": None})
    assert result.exit_code != 3 and "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


def refused_as_non_agent(agent) -> bool:
    """True (after checking that export refuses it, one error naming the file) for a skill, command,
    prompt file or another tool's agent: the corpus holds them, and they are never turned into agents."""
    from agentkit import formats
    from agentkit.errors import AgentkitError
    from agentkit.export import export

    if formats.get(agent.format).convertible:
        return False
    try:
        export(agent, formats.DEFAULT_TARGETS[0])
    except AgentkitError as exc:
        assert exc.reason == "not-an-agent" and exc.path == agent.path, exc
        return True
    raise AssertionError(f"{agent.path}: a {agent.format} file was exported as an agent")


def run_in(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`agentkit ARGS` in a fresh process, standing in `folder` (messages name files relative to it)."""
    return subprocess.run([sys.executable, "-m", "agentkit", *args], capture_output=True, text=True, cwd=folder, check=False)


def write_file(root: Path, relative: str, text: str) -> Path:
    """`text` at `root/relative`, its folders made."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
