"""Running readers on many inputs: chunks, workers, per-input time limits, findings and minimization.

Inputs of one reader are made in chunks; chunk *k* of reader *r* under seed *s* draws
from ``random.Random`` seeded with a stable hash of ``(s, r, k)``, so a run is the
same whatever the number of workers. Each input is read under two ``setitimer`` alarms:
one on the CPU time of the process (the hang limit, 2 s) and one on the wall clock
(:data:`WALL_FACTOR` times the limit, for a read that blocks without computing, such as
a FIFO); an input stopped by either is counted as a hang. CPU time is what the limit is
held to because the fuzzer runs niced on shared machines, where the wall time of a read
says more about the other processes than about the reader. Chunk 0
first replays every seed unmutated (saved escapes included), so fixed bugs stay fixed.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import random
import re
import signal
import tempfile
import time
import traceback
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, Final

from fuzz._readers import READERS, Case, CliReader, Outcome, Reader, Seed

__all__ = ["Finding", "Settings", "Tally", "classify", "run_reader", "run_one", "save_escape"]

_FINDINGS_KEPT: Final = 30
"""Distinct findings kept per reader and kind (each with its smallest input)."""


WALL_FACTOR: Final = 15
"""A read that takes more than this many times the hang limit of wall-clock time is a hang too."""


class Hang(BaseException):
    """Raised by the alarm when one input runs past the hang limit."""


@dataclass(frozen=True)
class Settings:
    """What one run does."""

    seed: int = 0
    inputs: int = 10_000
    budget: float | None = None
    hang_seconds: float = 2.0
    chunk: int = 200
    jobs: int = 2
    subprocess_every: int = 200


@dataclass
class Finding:
    """One kind of problem in one reader, with its smallest input and how often it was seen."""

    reader: str
    kind: str
    signature: str
    detail: str
    case: Case
    count: int = 1


@dataclass
class Tally:
    """The counts of one reader (or one chunk of it)."""

    reader: str
    inputs: int = 0
    accepted: int = 0
    escapes: int = 0
    hangs: int = 0
    silent: int = 0
    round_trip: int = 0
    slow_subprocesses: int = 0
    subprocesses: int = 0
    seconds: float = 0.0
    findings: dict[tuple[str, str], Finding] = field(default_factory=dict)

    def add(self, other: Tally) -> None:
        """Add the counts and findings of *other* (a chunk of the same reader)."""
        for name in (
            "inputs",
            "accepted",
            "escapes",
            "hangs",
            "silent",
            "round_trip",
            "slow_subprocesses",
            "subprocesses",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for finding in other.findings.values():
            self.note(finding)

    def note(self, finding: Finding) -> None:
        """Count *finding*, keeping the smallest input of its signature."""
        key = (finding.kind, finding.signature)
        known = self.findings.get(key)
        if known is None:
            if sum(1 for k in self.findings if k[0] == finding.kind) < _FINDINGS_KEPT:
                self.findings[key] = finding
            return
        known.count += finding.count
        if len(finding.case.data) < len(known.case.data):
            known.case, known.detail = finding.case, finding.detail


def _chunk_seed(seed: int, reader: str, chunk: int) -> int:
    digest = hashlib.sha256(f"{seed}/{reader}/{chunk}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _innermost(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/crokit/" in f.filename] or frames
    if not ours:
        return "?"
    frame = ours[-1]
    return f"{Path(frame.filename).name}:{frame.lineno}"


def _mask(message: str) -> str:
    for stem in ("duplicate keys accepted", "the input file was changed", "subprocess: the input file was changed"):
        if message.startswith(stem):
            return stem
    return re.sub(r"'[^']*'|\"[^\"]*\"|\d+", "_", message)[:90]


def classify(exc: BaseException) -> str:
    """The signature of an escape: its type and the innermost crokit line it came from."""
    return f"{type(exc).__name__} at {_innermost(exc)}"


@dataclass
class _Worker:
    seeds: dict[str, list[Seed]] = field(default_factory=dict)
    warm: set[str] = field(default_factory=set)
    workdir: Path | None = None


_STATE = _Worker()


def _on_alarm(_signum: int, _frame: FrameType | None) -> None:
    raise Hang


def _seeds(reader: Reader) -> list[Seed]:
    if reader.name not in _STATE.seeds:
        _STATE.seeds[reader.name] = reader.seeds()
    return _STATE.seeds[reader.name]


def _workdir() -> Path:
    if _STATE.workdir is None:
        _STATE.workdir = Path(tempfile.mkdtemp(prefix="crokit-fuzz-"))
    return _STATE.workdir


def run_one(reader: Reader, case: Case, hang_seconds: float) -> tuple[str, Outcome | BaseException | None, float]:
    """Read one case under the alarms, then check it; returns the verdict, the outcome or exception, and seconds.

    The verdict is ``"accepted"``, ``"refused"``, ``"escape"`` or ``"hang"``; the
    seconds are CPU seconds of this process. Only the read is held to *hang_seconds*
    (of CPU time, and :data:`WALL_FACTOR` times as long on the wall clock); the checks
    (reference readings, round trips) get five times as long, since they read the
    document several times.
    """
    from crokit.errors import CrokitError

    workdir = _workdir()
    previous = signal.signal(signal.SIGALRM, _on_alarm), signal.signal(signal.SIGPROF, _on_alarm)
    started = time.process_time()
    try:
        with _alarms(hang_seconds):
            result = reader.run(case, workdir)
        elapsed = time.process_time() - started
        if elapsed > hang_seconds:
            return "hang", None, elapsed
        with _alarms(hang_seconds * 5):
            outcome = reader.check(case, result, workdir)
    except Hang:
        return "hang", None, time.process_time() - started
    except CrokitError:
        elapsed = time.process_time() - started
        return ("hang" if elapsed > hang_seconds else "refused"), None, elapsed
    except Exception as exc:  # noqa: BLE001 - every other exception is what the fuzzer looks for
        return "escape", exc, time.process_time() - started
    finally:
        signal.signal(signal.SIGALRM, previous[0])
        signal.signal(signal.SIGPROF, previous[1])
    return "accepted", outcome, elapsed


@contextlib.contextmanager
def _alarms(seconds: float) -> Iterator[None]:
    """Raise :class:`Hang` after *seconds* of CPU time, or :data:`WALL_FACTOR` times as long on the wall clock."""
    signal.setitimer(signal.ITIMER_PROF, seconds)
    signal.setitimer(signal.ITIMER_REAL, seconds * WALL_FACTOR)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)


def _cases(reader: Reader, settings: Settings, chunk: int, count: int) -> Iterator[Case]:
    seeds = _seeds(reader)
    chunk_seed = _chunk_seed(settings.seed, reader.name, chunk)
    rng = random.Random(chunk_seed)
    if chunk == 0 and not isinstance(reader, CliReader):
        for seed in seeds[:count]:
            yield Case(reader.name, getattr(reader, "format", seed.format), seed.data, f"seed:{seed.name}")
    extra = reader.hypothesis_values(chunk_seed % 2**32, max(4, count // 10))
    while True:
        yield reader.generate(rng, seeds, extra)


def _warm_up(reader: Reader) -> None:
    """Read one seed untimed, so building registries and converters is not taken for a hang."""
    if reader.name in _STATE.warm:
        return
    _STATE.warm.add(reader.name)
    seeds = _seeds(reader)
    if not seeds:
        return
    rng = random.Random(0)
    case = reader.generate(rng, seeds, [])
    with contextlib.suppress(Exception):  # only warming caches: what the seed does is counted later
        reader.run(case, _workdir())


def run_chunk(task: tuple[str, Settings, int, int, float | None]) -> Tally:
    """Run *count* inputs of one chunk of one reader (in a worker process)."""
    name, settings, chunk, count, deadline = task
    warnings.simplefilter("ignore")  # openpyxl warns about the damage it is fed; the fuzzer counts outcomes
    reader = READERS[name]
    _warm_up(reader)
    tally = Tally(reader=name)
    started = time.monotonic()
    cases = _cases(reader, settings, chunk, count)
    for index in range(count):
        if deadline is not None and time.monotonic() > deadline:
            break
        case = next(cases)
        number = chunk * settings.chunk + index
        if isinstance(reader, CliReader) and settings.subprocess_every and number % settings.subprocess_every == 0:
            case.meta["subprocess"] = True
            tally.subprocesses += 1
        _record(reader, case, settings, tally)
    tally.seconds = time.monotonic() - started
    return tally


def _record(reader: Reader, case: Case, settings: Settings, tally: Tally) -> None:
    verdict, result, elapsed = run_one(reader, case, settings.hang_seconds)
    tally.inputs += 1
    if verdict == "escape":
        assert isinstance(result, BaseException)  # noqa: S101 - run_one returns the exception with "escape"
        tally.escapes += 1
        detail = "".join(traceback.format_exception(result)[-6:])[-1500:]
        tally.note(Finding(reader.name, "escape", classify(result), detail, case))
    elif verdict == "hang":
        tally.hangs += 1
        detail = f"{elapsed:.1f} s CPU ({case.recipe})"
        tally.note(Finding(reader.name, "hang", case.recipe.split(":")[0], detail, case))
    elif verdict == "accepted":
        assert isinstance(result, Outcome)  # noqa: S101 - run_one returns the outcome with "accepted"
        tally.accepted += int(result.accepted)
        reader.post(case, _workdir(), result)
        tally.slow_subprocesses += int(result.slow_subprocess)
        if result.silent:
            tally.silent += 1
            tally.note(Finding(reader.name, "silent", _mask(result.silent[0]), "; ".join(result.silent)[:800], case))
        if result.round_trip:
            tally.round_trip += 1
            tally.note(
                Finding(reader.name, "round-trip", _mask(result.round_trip[0]), "; ".join(result.round_trip), case)
            )


def run_reader(name: str, settings: Settings, pool: Any | None) -> Tally:
    """Run one reader for ``settings.inputs`` inputs (or until its budget is spent)."""
    reader = READERS[name]
    inputs = settings.inputs
    chunks = [(c, min(settings.chunk, inputs - c * settings.chunk)) for c in range(-(-inputs // settings.chunk))]
    deadline = time.monotonic() + settings.budget if settings.budget else None
    tasks = [(name, settings, chunk, count, deadline) for chunk, count in chunks]
    total = Tally(reader=reader.name)
    started = time.monotonic()
    results = pool.imap_unordered(run_chunk, tasks) if pool is not None else map(run_chunk, tasks)
    for tally in results:
        total.add(tally)
    total.seconds = time.monotonic() - started
    return total


def make_pool(jobs: int) -> Any | None:
    """A pool of at most two worker processes (``None``: run in this process).

    The workers live for the whole run. With ``maxtasksperchild`` the pool forks a
    replacement from its handler thread while its other threads run, and a child forked
    while one of them held a lock can wait on it forever: a full run lost a worker that
    way (asleep on a futex with no CPU time, its chunk never finished).
    """
    jobs = max(1, min(2, jobs))
    if jobs == 1:
        return None
    return multiprocessing.get_context("fork").Pool(processes=jobs)


# -- minimizing and saving ------------------------------------------------------------------


def minimize(finding: Finding, hang_seconds: float, seconds: float) -> Case:
    """A smaller input giving the same escape, by deleting ever smaller pieces (within *seconds*)."""
    reader = READERS[finding.reader]
    case = finding.case
    if case.variant == "xlsx" or not case.data:
        return case
    deadline = time.monotonic() + seconds

    def same(data: bytes) -> bool:
        trial = Case(case.reader, case.variant, data, case.recipe, None, dict(case.meta))
        trial.meta.pop("subprocess", None)
        verdict, result, _ = run_one(reader, trial, hang_seconds)
        return verdict == "escape" and isinstance(result, BaseException) and classify(result) == finding.signature

    data = case.data
    if not same(data):
        return case
    size = max(1, len(data) // 2)
    while size >= 1 and time.monotonic() < deadline:
        start, shrunk = 0, False
        while start < len(data) and time.monotonic() < deadline:
            trial = data[:start] + data[start + size :]
            if trial and same(trial):
                data, shrunk = trial, True
            else:
                start += size
        if not shrunk:
            size //= 2
    return Case(case.reader, case.variant, data, case.recipe + "+minimized", None, dict(case.meta))


def file_name(case: Case, signature: str) -> str:
    """The file name an escape is saved under: ``reader--variant--Type--digest.suffix``."""
    reader = READERS[case.reader]
    kind = re.sub(r"\W+", "", signature.split(" ", maxsplit=1)[0])
    digest = hashlib.sha256(case.data).hexdigest()[:10]
    suffix = case.meta.get("suffix", reader.suffix) if isinstance(reader, CliReader) else reader.suffix
    variant = re.sub(r"[^\w.-]+", "-", case.variant)
    return f"{case.reader}--{variant}--{kind}--{digest}{suffix}"


def save_escape(case: Case, signature: str, folder: Path) -> Path:
    """Write *case* to *folder* and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name(case, signature)
    path.write_bytes(case.data)
    return path


def replay(path: Path, hang_seconds: float) -> tuple[str, str]:
    """Read a saved input again: its verdict and the traceback or detail."""
    reader_name, variant = path.name.split("--")[:2]
    reader = READERS[reader_name]
    meta: dict[str, Any] = {"currency": None}
    if isinstance(reader, CliReader):
        words = variant.split("-")
        argv = ["import", words[1], "{file}"] if words[0] == "import" else [words[0], "{file}"]
        meta = {"argv": argv, "suffix": path.suffix, "source": ""}
    case = Case(reader_name, variant, path.read_bytes(), "replay", None, meta)
    verdict, result, elapsed = run_one(reader, case, hang_seconds)
    if isinstance(result, BaseException):
        return verdict, "".join(traceback.format_exception(result))
    if isinstance(result, Outcome):
        return verdict, "; ".join(result.silent + result.round_trip) or f"{elapsed:.2f} s"
    return verdict, f"{elapsed:.2f} s"
