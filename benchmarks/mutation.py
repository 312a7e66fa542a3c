"""Mutation testing of the core: do the tests notice a plausible one-line bug?

Run (≈ 20-30 min on 2 cores; it is a script to run by hand, not a CI step)::

    .venv/bin/pip install -e ".[mutation]"
    nice -n 19 .venv/bin/python benchmarks/mutation.py            # every target
    .venv/bin/python benchmarks/mutation.py --only escape --keep  # one target, keep the work dir

The tool is **mutmut** (3.x), chosen over cosmic-ray because it fits a 2-core
machine: it runs the selected tests once to learn which tests reach each function,
then runs each mutant in a process forked from an already-warm pytest (no
interpreter start, no re-import of pydantic/Textual per mutant) and only against
the tests that reach the mutated function. cosmic-ray starts a fresh test run per
mutant and rewrites the source files in place, which is several times slower here
and unsafe to interrupt. mutmut mutates function and method bodies (operators,
comparisons, numbers, strings, arguments, ``and``/``or``, ``break``/``continue``,
dropped calls); module-level constants such as compiled regular expressions are
not mutated, so those are covered by ordinary tests instead.

What is mutated, and against which tests (only the relevant files, not the suite):

=====================  ==============================================  =========================
target                 code                                             tests
=====================  ==============================================  =========================
metrics                ``warroom/domain/metrics.py``                    metrics
clocks                 ``warroom/domain/clocks.py``, ``clockbase.py``     clocks, clock rules
parser                 ``warroom/domain/parser.py``, ``command_args.py``,  parser
                       ``commands.py``
escape                 ``warroom/export/escape.py``                     escape
store append path      ``Store.append``, ``append_many``, ``_insert``,  store contract and
                       ``_require``, ``_now`` (``warroom/store/store.py``)  append-only tests
=====================  ==============================================  =========================

How: the tracked files are copied to a temporary folder (the work tree is never
touched), a ``[tool.mutmut]`` section is added to the copy's ``pyproject.toml``
and a Hypothesis profile without deadlines and with fixed seeds to the copy's
``tests/conftest.py`` (so a loaded machine neither fails property tests on time
nor changes their examples between runs), then ``mutmut run`` is run there with
``--max-children`` workers. At the end it prints, per target: mutants, killed,
survived, timeout, other (no tests reached it, suspicious, skipped) and the share
killed, then the survivors' names (``--keep`` keeps the folder; there,
``mutmut show NAME`` prints a mutant's diff). Exit status 1 when a target is
under ``--target`` (90 %) killed.

Survivors known to be equivalent mutants (no behaviour can tell them apart) are
listed in :data:`EQUIVALENT` with the reason, and left out of the score.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Target:
    """One thing to mutate: its file, the mutant names (fnmatch) and its tests."""

    name: str
    sources: tuple[str, ...]
    patterns: tuple[str, ...]
    tests: tuple[str, ...]


_STORE = "warroom.store.store.xǁ*Storeǁ"  # the SQLite store class, whatever its name

TARGETS: tuple[Target, ...] = (
    Target(
        "metrics",
        ("warroom/domain/metrics.py",),
        ("warroom.domain.metrics.*",),
        ("tests/export/test_metrics.py", "tests/export/test_metrics_edges.py"),
    ),
    Target(
        "clocks",
        ("warroom/domain/clocks.py", "warroom/domain/clockbase.py"),
        ("warroom.domain.clocks.*", "warroom.domain.clockbase.*"),
        ("tests/domain/test_clocks.py", "tests/domain/test_clock_rules.py"),
    ),
    Target(
        "parser",
        (
            "warroom/domain/parser.py",
            "warroom/domain/command_args.py",
            "warroom/domain/commands.py",
        ),
        ("warroom.domain.parser.*", "warroom.domain.command_args.*", "warroom.domain.commands.*"),
        ("tests/domain/test_parser.py", "tests/domain/test_parser_messages.py"),
    ),
    Target(
        "escape",
        ("warroom/export/escape.py",),
        ("warroom.export.escape.*",),
        ("tests/export/test_escape.py",),
    ),
    Target(
        "store append path",
        ("warroom/store/store.py",),
        tuple(
            f"{_STORE}{method}__mutmut_*"
            for method in ("append", "append_many", "_insert", "_require", "_now")
        ),
        (
            "tests/contract/test_store_events.py",
            "tests/store/test_store_append_only.py",
            "tests/store/test_store_append_path.py",
            "tests/contract/test_store_once.py",
        ),
    ),
)

@dataclass(frozen=True)
class Equivalent:
    """A mutant no behaviour can tell from the original: the function and its mutated line."""

    function: str
    line: str
    why: str


#: Known equivalent mutants, recognised by the line mutmut writes (not by its number,
#: which moves when the function changes). Function names are ``module.function`` or
#: ``module.Class.method``.
EQUIVALENT: tuple[Equivalent, ...] = (
    Equivalent(
        "warroom.export.escape.md_escape_inline",
        "s = text if (text.isprintable()) and False else one_line(text)",
        "skips a fast path only: one_line() returns printable text unchanged",
    ),
    Equivalent(
        "warroom.export.escape.md_escape_many",
        "lines = [line if (line.isprintable()) and False else one_line(line) for line in lines]",
        "skips a fast path only: one_line() returns printable text unchanged",
    ),
    Equivalent(
        "warroom.export.escape.md_escape_many",
        'if not "XXXX".join(lines).isprintable():',
        "the joiner is printable either way, so the test gives the same answer",
    ),
    *(
        Equivalent(
            f"warroom.store.store.SqliteStore.{function}",
            line,
            "SQL keywords and SQLite names are case-insensitive",
        )
        for function, line in (
            ("_insert", '"select coalesce(max(seq), 0) from events where incident_id = ?", (incident_id,)'),  # noqa: E501
            ("_insert", '"SELECT COALESCE(MAX(SEQ), 0) FROM EVENTS WHERE INCIDENT_ID = ?", (incident_id,)'),  # noqa: E501
            ("_require", 'row = conn.execute("select 1 from incidents where id = ?", (incident_id,)).fetchone()'),  # noqa: E501
            ("_require", 'row = conn.execute("SELECT 1 FROM INCIDENTS WHERE ID = ?", (incident_id,)).fetchone()'),  # noqa: E501
            ("append_many", 'conn.execute("insert into once_keys (incident_id, key, seq) values (?, ?, ?)",'),  # noqa: E501
            ("append_many", 'conn.execute("INSERT INTO ONCE_KEYS (INCIDENT_ID, KEY, SEQ) VALUES (?, ?, ?)",'),  # noqa: E501
        )
    ),
    Equivalent(
        "warroom.export.escape._delimiter_run",
        'line_start = s.rfind("\\n", None, start) + 1',
        "a start of None means 0 to str.rfind",
    ),
    Equivalent(
        "warroom.export.escape._delimiter_run",
        'line_start = s.rfind("\\n", 1, start) + 1',
        "a newline at index 0 is white space before the run: escaped either way",
    ),
    *(
        Equivalent(
            "warroom.export.escape._delimiter_run",
            line,
            "a newline and these stand-ins act alike in every check of the neighbour",
        )
        for line in (
            'after = s[end] if end < len(s) and s[end] != "XX\\nXX" else " "',
            'after = s[end] if end < len(s) and s[end] != "\\n" else "XX XX"',
        )
    ),
    Equivalent(
        "warroom.export.escape._maybe_space_or_punctuation",
        'return not ch.isascii() and unicodedata.category(ch)[0] in "XXPSZXX"',
        "no Unicode category starts with X",
    ),
    Equivalent(
        "warroom.export.escape.yaml_scalar",
        "dumped = json.dumps(clean_text(value), ensure_ascii=None)",
        "json.dumps only tests ensure_ascii for truth: None acts as False",
    ),
    Equivalent(
        "warroom.domain.clockbase.ClockContext.countdown",
        "if start is None and deadline is None or self.now < start:",
        "every caller passes a deadline exactly when it passes a start (or met=True)",
    ),
    Equivalent(
        "warroom.domain.clocks._roles",
        "if sev_rule is None and ctx.severity is None:",
        "ctx.rule is None exactly when ctx.severity is None",
    ),
    *(
        Equivalent(
            f"warroom.domain.clocks.{function}",
            line,
            "the start is never None here: a severity in force has its 'since' instant, "
            "and several services come from the declaration",
        )
        for function, line in (
            (
                "_sev2_escalation",
                "deadline=start + timedelta(minutes=minutes) if (start) or True else None,",
            ),
            (
                "_war_room",
                "deadline = start + timedelta(minutes=minutes) if (start) or True else None",
            ),
            ("_war_room", "deadline = start + grace if (start) or True else None"),
        )
    ),
    *(
        Equivalent(
            "warroom.domain.command_args._unknown",
            line,
            "only the best match is shown, and it is the first of any longer list",
        )
        for line in (
            "close = difflib.get_close_matches(name.lower(), COMMANDS, cutoff=0.5)",
            "close = difflib.get_close_matches(name.lower(), COMMANDS, n=2, cutoff=0.5)",
        )
    ),
    Equivalent(
        "warroom.domain.parser._split_prefixes",
        'raise ParseError(f"nothing to log after {token[:81]}")',
        "the token parsed as a time, and no time over 64 characters does",
    ),
    Equivalent(
        "warroom.domain.command_args._release",
        'role = ROLE_COMMANDS.get(token.lower().lstrip("XX/XX"))',
        "the token is lower-cased first: there is no X to strip besides the slash",
    ),
    Equivalent(
        "warroom.domain.command_args.split_first",
        'return "", "XXXX"',
        "no command uses the rest after an empty first word (each refuses or ignores it)",
    ),
    *(
        Equivalent(
            "warroom.domain.command_args._peel",
            line,
            "the text is stripped before, and rsplit() drops the white space around words",
        )
        for line in (
            "parts = s.lstrip().rsplit(maxsplit=1)",
            'return "", parts[0] if parts else "XXXX"',
            "return parts[0].lstrip(), parts[1]",
        )
    ),
    *(
        Equivalent(
            "warroom.domain.parser.parse_entry",
            line,
            "unreachable: every field is checked before the event is built",
        )
        for line in (
            "raise ParseError(None) from None",
            "raise ParseError(f\"cannot log this entry: {exc.errors()[1]['msg']}\") from None",
            "raise ParseError(f\"cannot log this entry: {exc.errors()[0]['XXmsgXX']}\") from None",
            "raise ParseError(f\"cannot log this entry: {exc.errors()[0]['MSG']}\") from None",
        )
    ),
    Equivalent(
        "warroom.domain.command_args._checkpoint",
        'answers = [part.strip() for part in ctx.args.split("|", 3)] if (ctx.args) or True else []',
        'splitting "" gives [""], padded to the same four empty answers as []',
    ),
    Equivalent(
        "warroom.domain.clockbase.minutes_text",
        "if value > 61 and value % 60 == 0:",
        "no multiple of 60 lies between 60 and 61: the same numbers become hours",
    ),
    Equivalent(
        "warroom.domain.clockbase.clock_context",
        "effective=None,",
        "ClockContext.effective is carried but never read",
    ),
    *(
        Equivalent(
            "warroom.domain.metrics._declared_event",
            line,
            "unreachable fallback: a declaration always enters the severity history "
            "(reason 'declared'), and this runs only when there is one",
        )
        for line in (
            "return state.phase_history[0].event_id if (state.phase_history) and False else None",
            "return state.phase_history[0].event_id if (state.phase_history) or True else None",
            "return state.phase_history[1].event_id if state.phase_history else None",
        )
    ),
    Equivalent(
        "warroom.domain.metrics._windows",
        "skipped = None  # the window went past ``target`` without entering it",
        "None and False are both falsy; the flag is only tested for truth",
    ),
)

#: What the copy needs: the package, the tests, the data they read, the project file.
_COPY = ("warroom", "tests", "sample_data", "themes", "pyproject.toml")
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "__snapshots__", ".hypothesis")

_PROFILE = """

# --- added by benchmarks/mutation.py (in its temporary copy only) ---
from hypothesis import settings as _mutation_settings

_mutation_settings.register_profile(
    "mutation", deadline=None, derandomize=True, database=None, print_blob=False
)
_mutation_settings.load_profile("mutation")
"""

_RESULT = re.compile(r"^\s*(?P<name>\S+): (?P<status>[a-z ]+)$")


def _toml_list(items: list[str] | tuple[str, ...]) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


def _prepare(work: Path, targets: tuple[Target, ...]) -> None:
    """Copy the project into ``work`` and configure mutmut there."""
    for name in _COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, work / name, ignore=_IGNORE)
        else:
            shutil.copy2(src, work / name)
    tests = sorted({test for target in targets for test in target.tests})
    sources = sorted({source for target in targets for source in target.sources})
    with (work / "pyproject.toml").open("a", encoding="utf-8") as f:
        f.write(
            "\n[tool.mutmut]\n"
            'source_paths = ["warroom"]\n'
            f"only_mutate = {_toml_list(sources)}\n"
            f"pytest_add_cli_args_test_selection = {_toml_list(tests)}\n"
            'pytest_add_cli_args = ["-p", "no:cacheprovider", "-m", "not slow", "-q"]\n'
            "use_git_change_detection = false\n"
        )
    with (work / "tests" / "conftest.py").open("a", encoding="utf-8") as f:
        f.write(_PROFILE)


def _mutmut(work: Path, *args: str, log: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run mutmut in ``work``; its output is returned, or written to ``log``."""
    exe = Path(sys.executable).with_name("mutmut")
    command = [str(exe) if exe.exists() else "mutmut", *args]
    # CI unset: tests that need a service (PostgreSQL) skip instead of failing.
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "CI": ""}
    if log is None:
        return subprocess.run(
            command, cwd=work, env=env, text=True, capture_output=True, check=False
        )
    with log.open("w", encoding="utf-8") as out:
        return subprocess.run(
            command, cwd=work, env=env, text=True, stdout=out, stderr=subprocess.STDOUT,
            check=False,
        )


def _results(work: Path) -> dict[str, str]:
    """Every mutant's name → its status (killed, survived, timeout, …)."""
    out = _mutmut(work, "results", "--all", "true").stdout
    found: dict[str, str] = {}
    for line in out.splitlines():
        match = _RESULT.match(line)
        if match:
            found[match["name"]] = match["status"].strip()
    return found


def _matches(name: str, target: Target) -> bool:
    from fnmatch import fnmatchcase

    return any(fnmatchcase(name, pattern) for pattern in target.patterns)


def _function(mutant: str) -> str:
    """``warroom.x.y.x_f__mutmut_3`` → ``warroom.x.y.f``; methods → ``module.Class.method``."""
    module, _, mangled = mutant.rpartition(".")
    name = mangled.rsplit("__mutmut_", 1)[0]
    if name.startswith("xǁ"):
        return f"{module}.{'.'.join(name[2:].split('ǁ'))}"
    return f"{module}.{name.removeprefix('x_')}"


def _equivalent(work: Path, mutant: str) -> Equivalent | None:
    """The known equivalent mutant ``mutant`` is, if any (read from its diff)."""
    diff = _mutmut(work, "show", mutant).stdout
    added = {
        line[1:].strip()
        for line in diff.splitlines()
        if line.startswith("+") and not line.startswith("+++")
    }
    function = _function(mutant)
    for known in EQUIVALENT:
        if known.function == function and known.line in added:
            return known
    return None


def _report(
    work: Path, results: dict[str, str], targets: tuple[Target, ...], goal: float
) -> bool:
    """Print the table and the survivors; True when every target reaches ``goal``.

    A timeout (the tests stopped an endless loop) counts as caught; the score leaves
    out the known equivalent mutants.
    """
    header = f"{'target':<19}{'mutants':>8}{'killed':>8}{'survived':>9}{'equiv.':>8}"
    print(f"\n{header}{'timeout':>8}{'other':>7}{'score':>8}")
    ok = True
    survivors: list[tuple[str, str, str, Equivalent | None]] = []
    for target in targets:
        mine = {n: s for n, s in results.items() if _matches(n, target)}
        killed = sum(s == "killed" for s in mine.values())
        timeout = sum(s == "timeout" for s in mine.values())
        missed = sorted(n for n, s in mine.items() if s not in ("killed", "timeout"))
        known = {n: _equivalent(work, n) for n in missed if mine[n] == "survived"}
        equivalent = sum(1 for e in known.values() if e is not None)
        survived = sum(s == "survived" for s in mine.values())
        other = len(mine) - killed - survived - timeout
        counted = len(mine) - equivalent
        score = (killed + timeout) / counted if counted else 0.0
        ok = ok and score >= goal
        print(
            f"{target.name:<19}{len(mine):>8}{killed:>8}{survived:>9}{equivalent:>8}"
            f"{timeout:>8}{other:>7}{score:>8.1%}{'' if score >= goal else '  < goal'}"
        )
        survivors += [(target.name, n, mine[n], known.get(n)) for n in missed]
    if survivors:
        print("\nnot caught (mutmut show NAME in the kept folder prints the diff):")
        for target_name, name, status, equivalent_to in survivors:
            why = f"  equivalent: {equivalent_to.why}" if equivalent_to else ""
            print(f"  {target_name:<19}{status:<10}{name}{why}")
    return ok


def main(argv: list[str] | None = None) -> int:
    """Run mutmut over the chosen targets in a temporary copy; print the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", choices=[t.name.split()[0] for t in TARGETS],
                        help="mutate only this target (repeatable)")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2,
                        help="mutants run in parallel (default: the number of CPUs)")
    parser.add_argument("--target", type=float, default=0.90,
                        help="share of mutants to catch per target (default 0.90)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy")
    args = parser.parse_args(argv)
    if shutil.which("mutmut", path=str(Path(sys.executable).parent)) is None and not shutil.which(
        "mutmut"
    ):
        print('mutmut is not installed: .venv/bin/pip install -e ".[mutation]"', file=sys.stderr)
        return 2
    targets = tuple(t for t in TARGETS if not args.only or t.name.split()[0] in args.only)
    work = Path(tempfile.mkdtemp(prefix="warroom-mutation-"))
    started = time.monotonic()
    try:
        _prepare(work, targets)
        patterns = [pattern for target in targets for pattern in target.patterns]
        print(f"mutating {', '.join(t.name for t in targets)} in {work} "
              f"({args.max_children} at a time)…", flush=True)
        log = work / "mutmut.log"
        run = _mutmut(work, "run", "--max-children", str(args.max_children), *patterns, log=log)
        if run.returncode != 0:
            tail = log.read_text(encoding="utf-8", errors="replace").replace("\r", "\n")
            lines = [line for line in tail.splitlines() if line.strip()][-15:]
            print("mutmut failed (the unmutated tests must pass first):", *lines, sep="\n  ")
            return 2
        results = _results(work)
        minutes = (time.monotonic() - started) / 60
        print(f"\n{len(results)} mutants in {minutes:.1f} min")
        ok = _report(work, results, targets, args.target)
    finally:
        if args.keep:
            print(f"\nkept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
