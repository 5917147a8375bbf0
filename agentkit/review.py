"""A person settles the pairs merge's judge was unsure of, one key each, as `git add -p` does.

`Review` walks the "alike, kept apart" pairs, most alike first, and takes one answer per pair:
`y` fold, `n` keep apart, `s` skip, `u` undo the last answer, `q` quit (keeping the answers so far),
`?` help. It holds no I/O: the CLI shows the pairs and feeds the keys (from a terminal, or piped on
stdin), then records the answers (`agentkit.config_edit`) so that `sync` repeats them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from agentkit.merge import Alike

KEYS = {"y": "fold", "n": "apart", "s": "skip"}
HELP = """y - fold these two: one piece of guidance
n - keep them apart: they say different things
s - skip: decide later (asked again next time)
u - undo the last answer and ask that pair again
q - quit: keep the answers given so far
? - this help"""


@dataclass
class Review:
    """Where a review stands: the pairs, the answers given (position -> fold/apart/skip) in order."""

    pairs: list[Alike]
    answers: list[tuple[int, str]] = field(default_factory=list)
    position: int = 0
    quit: bool = False

    @property
    def current(self) -> Alike | None:
        return None if self.quit or self.position >= len(self.pairs) else self.pairs[self.position]

    def answer(self, key: str) -> str:
        """Take one key; returns what happened: `answered`, `undone`, `nothing to undo`, `quit`,
        `help` or `unknown`."""
        key = key.strip().lower()[:1]
        if key in KEYS and self.current is not None:
            self.answers.append((self.position, KEYS[key]))
            self.position += 1
            return "answered"
        if key == "u":
            if not self.answers:
                return "nothing to undo"
            self.position, _ = self.answers.pop()
            return "undone"
        if key == "q":
            self.quit = True
            return "quit"
        if key == "?":
            return "help"
        return "unknown"

    def decided(self, verdict: str) -> list[tuple[str, str]]:
        """The pairs answered `verdict` (fold or apart), as the two items' texts."""
        return [self.pairs[position].texts for position, given in self.answers if given == verdict]


def undecided(pairs: Iterable[Alike], fold: Iterable[tuple[str, str]], apart: Iterable[tuple[str, str]]) -> list[Alike]:
    """The pairs no decision names yet (a pair decided either way is not asked again)."""
    decided = {frozenset(pair) for pair in (*fold, *apart)}
    return [pair for pair in pairs if frozenset(pair.texts) not in decided
            and frozenset(f"{s.path}:{s.line}" for s in pair.sources) not in decided]


@dataclass(frozen=True)
class Where:
    """Where a review's answers go: the configuration (`exists` False: created), the `[[agents]]` table
    the merge comes from (None: `[merge]`), and the decisions already there for this merge."""

    path: str
    exists: bool
    pyproject: bool
    agent: int | None
    fold: tuple[tuple[str, str], ...] = ()
    apart: tuple[tuple[str, str], ...] = ()


def locate(inputs: Iterable[str]) -> Where:
    """The configuration for a merge of `inputs` (files as read): the nearest agentkit.toml (or
    pyproject.toml with [tool.agentkit]), and in it the `[[agents]]` table whose sources are exactly
    these files; none found: `agentkit.toml` here, to be created. Raises AgentkitError for a
    configuration that cannot be read."""
    import os

    from agentkit import config

    wanted = {os.path.realpath(p) for p in inputs}
    found = config.find(".")
    if found is None:
        return Where("agentkit.toml", False, False, None)
    loaded = config.load(found)
    for number, agent in enumerate(loaded.agents):
        if {os.path.realpath(p) for p in config.source_files(loaded, agent, [])} == wanted:
            return Where(loaded.path, True, found.name == "pyproject.toml", number, agent.fold, agent.apart)
    return Where(loaded.path, True, found.name == "pyproject.toml", None, loaded.fold, loaded.apart)
