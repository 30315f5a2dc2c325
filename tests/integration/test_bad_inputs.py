"""Every case of the bad-input collection (tests/fixtures/bad_inputs): nothing lost, nothing
invented, nothing crashes.

Each case is judged into one of three kinds of failure:

* crash: anything but a CorpusError escaped (a traceback instead of a reject or a named error);
* silent loss: a record or file unaccounted for (manifest sums broken, fewer rows read, loaded
  or rejected than the input holds), a whole file refused for one flaw, or an error that does
  not name the file and the place;
* wrong acceptance: more articles than the input holds good records, a promised error that did
  not come, or a check of the loaded values that fails (a wrong date, mojibake left in ...).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.fixtures.bad_inputs.cases import (
    CASES,
    README,
    Case,
    Outcome,
    readme_table,
    run_in_process,
    run_loaded,
)

CRASH, LOSS, WRONG = "crashes", "silent losses", "wrong acceptances"
NOBODY = 65534


def judge(case: Case, outcome: Outcome, shown_name: str) -> list[tuple[str, str]]:
    """The failures of one case's outcome, as (kind, message) pairs; empty when it kept its promise."""
    found: list[tuple[str, str]] = []
    if case.error is not None:
        if outcome.error is None:
            return [(WRONG, f"expected CorpusError /{case.error}/, the input was accepted")]
        if not re.search(case.error, outcome.error) or shown_name not in outcome.error:
            found.append((LOSS, f"error does not say /{case.error}/ naming {shown_name}: {outcome.error}"))
        for part in case.error_names:
            if part not in outcome.error:
                found.append((LOSS, f"error does not name {part!r}: {outcome.error}"))
        return found
    if outcome.error is not None:
        return [(LOSS, f"the whole input was refused: {outcome.error}")]
    if case.check is not None:
        problem = case.check(outcome)
        if problem:
            found.append((WRONG, problem))
    if outcome.articles is None:
        return found
    m = outcome.manifest
    if not (m["rows_read"] == m["rows_loaded"] + m["rows_rejected"]).all():
        found.append((LOSS, "rows_read != rows_loaded + rows_rejected"))
    if int(m["rows_loaded"].sum()) != len(outcome.articles) or int(m["rows_rejected"].sum()) != len(outcome.rejects):
        found.append((LOSS, "manifest counts differ from the tables"))
    loaded = len(outcome.articles)
    if case.loaded is not None and loaded < case.loaded:
        found.append((LOSS, f"{loaded} articles loaded, the input holds {case.loaded} good records"))
    if case.loaded is not None and loaded > case.loaded:
        found.append((WRONG, f"{loaded} articles loaded, only {case.loaded} are good"))
    rejects = list(zip(outcome.rejects["record"], outcome.rejects["reason"]))
    unmatched = list(rejects)
    for record_pattern, reason_pattern in case.rejects:
        hit = next((r for r in unmatched if re.search(record_pattern, r[0]) and re.search(reason_pattern, r[1])), None)
        if hit is None:
            found.append((LOSS, f"no reject {record_pattern} /{reason_pattern}/ among {rejects}"))
        else:
            unmatched.remove(hit)
    if unmatched and case.run is None:
        found.append((LOSS, f"unexpected rejects {unmatched}"))
    return found


@contextmanager
def unprivileged() -> Iterator[None]:
    """Act as an unprivileged user (root reads any file whatever its mode); back to root after."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(NOBODY)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def run_unprivileged(case: Case) -> Outcome:
    """Run a permission case in a folder every user may enter, as an unprivileged user."""
    folder = Path(tempfile.mkdtemp(prefix="bad-input-"))
    try:
        folder.chmod(0o755)
        target = case.build(folder)
        with unprivileged():
            return run_loaded(case, target)
    finally:
        for path in [folder, *folder.rglob("*")]:
            if not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


def test_readme_lists_every_case() -> None:
    assert readme_table() in README.read_text(encoding="utf-8"), (
        "tests/fixtures/bad_inputs/README.md is out of date: run python -m tests.fixtures.bad_inputs.cases"
    )
    assert len({c.name for c in CASES}) == len(CASES)


def test_bad_inputs(tmp_path: Path, show: pytest.CaptureFixture[str]) -> None:
    counts = {CRASH: 0, LOSS: 0, WRONG: 0}
    failures: list[str] = []
    for case in CASES:
        folder = tmp_path / case.name
        folder.mkdir()
        try:
            outcome = run_unprivileged(case) if case.unprivileged else run_in_process(case, folder)
            found = judge(case, outcome, _shown_name(case, folder))
        except Exception as exc:  # noqa: BLE001 - whatever escapes is what this test counts
            counts[CRASH] += 1
            failures.append(f"{case.name}: {CRASH}: {type(exc).__name__}: {exc}\n{traceback.format_exc(limit=-3)}")
            continue
        kinds = set()
        for kind, message in found:
            kinds.add(kind)
            failures.append(f"{case.name}: {kind}: {message}")
        for kind in kinds:
            counts[kind] += 1
    summary = (
        f"bad inputs: {len(CASES)} tried, {counts[CRASH]} crashes, "
        f"{counts[LOSS]} silent losses, {counts[WRONG]} wrong acceptances"
    )
    show(summary)
    assert len(CASES) >= 60
    assert counts == {CRASH: 0, LOSS: 0, WRONG: 0}, summary + "\n" + "\n".join(failures)


def _shown_name(case: Case, folder: Path) -> str:
    """The file name an error must mention: the one file the case wrote (or its only input)."""
    files = [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []
    return files[0].name if len(files) == 1 else ""
