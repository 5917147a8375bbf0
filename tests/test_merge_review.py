"""Merge review (issue 17): a person settles the alike pairs in minutes, the answers go into
agentkit.toml, sync repeats them byte for byte; and the merge as one self-contained HTML page, opened
in a real browser (headless Chromium)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES

from agentkit.marker import split_marker


def run(*args: str, cwd: Path, stdin: str | None = "") -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "agentkit", *args], capture_output=True, text=True, cwd=cwd, input=stdin, timeout=300)
    assert proc.returncode != 3 and "Traceback" not in proc.stderr, proc.stderr
    return proc


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "samples").mkdir(parents=True)
    for path in SAMPLES.glob("[0-4]-*.md"):
        shutil.copy(path, root / "samples" / path.name)
    return root


def asked(stderr: str) -> list[str]:
    return re.findall(r"^\((\d+)/\d+\) alike", stderr, re.M)


def test_review_to_agentkit_toml_and_sync_reproduces_the_merge(repo: Path):
    """y n s u n y q piped: two folds, two apart; the file is created with an [[agents]] table for this
    merge; the merged agent loses the folded duplicates; sync writes that agent byte for byte."""
    before = run("merge", "samples/", cwd=repo)
    review = run("merge", "samples/", "--review", "-o", "merged.md", cwd=repo, stdin="y\nn\ns\nu\nn\ny\nq\n")
    assert review.returncode == 0, review.stderr
    assert asked(review.stderr) == ["1", "2", "3", "4", "3", "4", "5"]  # u went back to pair 3
    assert "agentkit: review: 2 fold(s), 2 kept apart, 0 skipped" in review.stderr
    config = (repo / "agentkit.toml").read_text()
    assert config.startswith("# agentkit sync configuration, written by `agentkit merge --review`.")
    assert 'sources = ["samples"]' in config and config.count("\n    [") == 4
    merged = (repo / "merged.md").read_text()
    assert merged.count("\n") < before.stdout.count("\n")  # the two folds made
    sync = run("sync", cwd=repo)
    assert sync.returncode == 0, sync.stderr
    generated = (repo / "backend-developer.md").read_text()
    assert split_marker(generated)[0] == merged
    again = run("merge", "samples/", "--review", cwd=repo, stdin="q\n")
    assert asked(again.stderr)[0] == "1" and "Testes (pytest" not in again.stderr.split("(1/")[1].split("Fold these")[0]


def test_answers_already_given_are_not_asked_again_and_comments_stay(repo: Path):
    (repo / "agentkit.toml").write_text("# my team's configuration\n\n[merge]\nmodel = \"sonnet\"  # our default\n\n"
                                        "[[agents]]\nname = \"backend\"\nsources = [\"samples\"]\nformats = [\"claude\"]  # only Claude here\n")
    first = run("merge", "samples/", "--review", cwd=repo, stdin="n\nq\n")
    assert first.returncode == 0, first.stderr
    config = (repo / "agentkit.toml").read_text()
    assert "# my team's configuration" in config and "# our default" in config and "# only Claude here" in config
    assert config.index("apart = [") > config.index('name = "backend"')  # in the agent's own table
    pair = first.stderr.split("(1/")[1].split("Fold these")[0].split("\n", 1)[1]  # the two items, where they stand
    second = run("merge", "samples/", "--review", cwd=repo, stdin="s\n" * 200)
    assert pair not in second.stderr  # decided: never asked again


def test_review_help_unknown_keys_and_running_out_of_answers(repo: Path):
    proc = run("merge", "samples/", "--review", cwd=repo, stdin="?x\nu\ny\n")
    assert "y - fold these two" in proc.stderr and "answer y, n, s, u, q or ? (help)" in proc.stderr
    assert "agentkit: review: nothing to undo" in proc.stderr
    assert "the answers ended after 1 pair(s); the rest stay undecided" in proc.stderr
    assert proc.returncode == 0 and "fold = [" in (repo / "agentkit.toml").read_text()


def test_review_without_a_terminal_or_answers_says_so(repo: Path):
    proc = run("merge", "samples/", "--review", cwd=repo, stdin="")
    errors = [line for line in proc.stderr.splitlines() if line.startswith("agentkit: error:")]
    assert proc.returncode == 2 and errors == ["agentkit: error: <input>: --review needs a terminal, or answers piped on stdin (one of y, n, s, u, q per pair)"]
    assert not (repo / "agentkit.toml").exists()
    usage = run("merge", "samples/", "--review", "--json", cwd=repo)
    assert usage.returncode == 2 and "does not go with --json" in usage.stderr


# --- the page ------------------------------------------------------------------------------------------

HOSTILE = """---
name: hostile
description: Tries to run code in the report.
---

- <script>document.body.dataset.pwned = "yes"</script> Validate every input
- <img src=x onerror="document.body.dataset.pwned='img'"> Log every request
- Close the data block early </script><script>document.body.dataset.pwned='json'</script>
"""


def test_report_is_self_contained_and_escapes_what_it_shows(repo: Path):
    (repo / "samples" / "hostile.md").write_text(HOSTILE)
    proc = run("merge", "samples/", "--report", "merge.html", cwd=repo)
    assert proc.returncode == 0 and "created: merge.html" in proc.stderr, proc.stderr
    page = (repo / "merge.html").read_text()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing fetched from a network
    assert page.count("<script") == 2 and "</script><script>document" not in page
    (repo / "merge.html").write_text("someone's page\n")
    assert run("merge", "samples/", "--report", "merge.html", cwd=repo).returncode == 2  # an existing page is kept without --force
    assert run("merge", "samples/", "--report", "merge.html", "--force", cwd=repo).returncode == 0


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _browse(page: Path, fragment: str, profile: Path, *extra: str) -> str:
    browser = _chromium()
    assert browser is not None
    args = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync", f"--user-data-dir={profile}", "--virtual-time-budget=5000", *extra, f"{page.as_uri()}{fragment}"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    return done.stdout


def test_report_in_a_real_browser(repo: Path, tmp_path: Path):
    """The page renders the items, the heat map and the figures; the filters (section, input, kind,
    text) narrow the items; hostile text is shown, never run; a screenshot is saved for a person to see."""
    if _chromium() is None:
        pytest.skip("no Chromium here: .ci/run installs Debian's chromium; this machine could not")
    (repo / "samples" / "hostile.md").write_text(HOSTILE)
    assert run("merge", "samples/", "--report", "merge.html", cwd=repo).returncode == 0
    page = repo / "merge.html"
    profile = tmp_path / "profile"

    def count(fragment: str) -> tuple[int, int]:
        dom = _browse(page, fragment, profile, "--dump-dom")
        assert 'data-ready="yes"' in dom, dom[-500:]
        assert "data-pwned" not in dom
        shown, total = re.search(r'id="count">(\d+) of (\d+) item', dom).groups()  # type: ignore[union-attr]
        return int(shown), int(total)

    dom = _browse(page, "", profile, "--dump-dom")
    everything, total = count("")
    assert dom.count('class="item"') == min(total, 300)  # the first page of items
    assert '<canvas id="matrix"' in dom and 'data-figure="items_in"' in dom
    assert "&lt;script&gt;document.body.dataset.pwned" in dom  # shown as text
    assert everything == total > 200
    folded, _ = count("#kind=folded")
    single, _ = count("#kind=single")
    assert 0 < folded < total and folded + single == total
    section, _ = count("#section=0")
    assert 0 < section < total
    inputs = sorted(p.name for p in (repo / "samples").iterdir())  # the inputs' order: the folder's, sorted
    hostile_input = inputs.index("hostile.md")
    assert count(f"#input={hostile_input}")[0] == 3
    assert count("#q=pydantic")[0] >= 1 and count("#q=pydantic")[0] < total
    shot = tmp_path / "report.png"
    _browse(page, "", profile, "--window-size=1300,1800", f"--screenshot={shot}")
    assert shot.is_file() and shot.stat().st_size > 20_000
    print(f"\nscreenshot: {shot}")
    if os.environ.get("AGENTKIT_KEEP_SCREENSHOT"):
        shutil.copy(shot, os.environ["AGENTKIT_KEEP_SCREENSHOT"])
