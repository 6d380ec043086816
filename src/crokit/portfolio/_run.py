"""Evaluating many scenarios: gathering the work, then running it in process or on a Dask cluster.

The work is gathered in the calling process: a folder's scenario files (or the files
and :class:`~crokit.scenario.Scenario` objects given) are read into small
self-contained items, each with its name and its seed. A file that cannot be read
becomes an item that carries its error. The same function then turns each item into a
:class:`~crokit.portfolio.PortfolioRow`, either here, one item after another, or on
Dask workers, a chunk of items per task; either way every row is a function of its
item alone, so the two tables are identical.
"""

from __future__ import annotations

import math
import os
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, cast

import attrs

from crokit._version import __version__
from crokit.errors import CrokitError, InputFileError, MissingDependencyError, Problem, ValidationError
from crokit.portfolio.table import Portfolio, PortfolioRow, check_seed, row_from_evaluation, scenario_seed
from crokit.registry import ExtensionInfo, Registry, default_registry
from crokit.scenario import Scenario

if TYPE_CHECKING:
    from distributed import Client

    from crokit.serialization import Format

__all__ = [
    "CHUNKS_PER_WORKER",
    "MAX_CHUNK",
    "SCENARIO_SUFFIXES",
    "ScenarioSource",
    "chunk_size_for",
    "evaluate_portfolio",
]

SCENARIO_SUFFIXES: Final = (".json", ".toml", ".yaml", ".yml")
"""The file extensions read from a folder (any case); other files are left alone."""
CHUNKS_PER_WORKER: Final = 8
"""How many chunks each worker thread gets by default."""
MAX_CHUNK: Final = 16
"""The most scenarios in one chunk by default."""

ScenarioSource = Scenario | str | os.PathLike[str]
"""A scenario, or the path of a scenario file."""


@attrs.frozen(kw_only=True)
class _Work:
    """One scenario to evaluate, self-contained so that any worker can evaluate it."""

    name: str
    seed: int | None
    source: str = ""
    scenario: Scenario | None = None
    data: bytes | None = None
    format: str | None = None
    error: str | None = None


@attrs.frozen(kw_only=True)
class _ShippedRegistry:
    """A registry as plain, picklable data (a :class:`~crokit.Registry` holds read-only mapping views)."""

    entries: dict[str, dict[str, Any]]
    extensions: tuple[ExtensionInfo, ...]

    @classmethod
    def of(cls, registry: Registry) -> _ShippedRegistry:
        return cls(
            entries={kind: dict(items) for kind, items in registry.entries.items()}, extensions=registry.extensions
        )

    def registry(self) -> Registry:
        return Registry(entries=self.entries, extensions=self.extensions)


def _fingerprint() -> tuple[str, tuple[ExtensionInfo, ...]]:
    """This process's crokit version and installed extensions (run on each worker to compare)."""
    return __version__, default_registry().extensions


def _message(exc: CrokitError) -> str:
    return str(exc) or type(exc).__name__


def _evaluate_one(work: _Work, registry: Registry | None) -> PortfolioRow:
    from crokit.scenario import evaluate
    from crokit.serialization import structure
    from crokit.serialization._files import refuse_surrogates, require_format
    from crokit.serialization._text import parse

    if work.error is not None:
        return PortfolioRow(name=work.name, seed=work.seed, error=work.error)
    try:
        scenario = work.scenario
        if scenario is None:
            format_ = cast("Format", work.format)
            require_format(format_)
            data = parse(work.data or b"", format_, source=work.source)
            refuse_surrogates(data)
            # registry=None uses the converter built once per process for the default registry.
            scenario = structure(data, Scenario, registry=registry)
        evaluation = evaluate(scenario, registry=registry, seed=work.seed)
    except CrokitError as exc:
        return PortfolioRow(name=work.name, seed=work.seed, error=_message(exc))
    return row_from_evaluation(work.name, evaluation, seed=work.seed)


def _evaluate_chunk(chunk: Sequence[_Work], registry: Registry | _ShippedRegistry | None) -> tuple[PortfolioRow, ...]:
    """Evaluate a chunk of scenarios; what a Dask task runs (a compact row each, not whole evaluations)."""
    if isinstance(registry, _ShippedRegistry):
        registry = registry.registry()
    return tuple(_evaluate_one(work, registry) for work in chunk)


def _read(path: Path, name: str, seed: int | None) -> _Work:
    from crokit.serialization import format_for, read_text

    try:
        format_ = format_for(path)
        data = read_text(path)
    except CrokitError as exc:
        return _Work(name=name, seed=seed, source=str(path), error=_message(exc))
    return _Work(name=name, seed=seed, source=str(path), data=data, format=format_)


def _folder_files(folder: Path) -> list[Path]:
    if not folder.exists():
        raise InputFileError(folder, "no such folder")
    if not folder.is_dir():
        raise InputFileError(folder, "is not a folder: give a folder of scenario files, or a list of files")
    try:
        files = sorted(
            entry
            for entry in folder.iterdir()
            if entry.suffix.lower() in SCENARIO_SUFFIXES and not entry.name.startswith(".") and not entry.is_dir()
        )
    except OSError as exc:
        raise InputFileError(folder, f"cannot be listed ({exc.strerror or exc})") from None
    if not files:
        raise InputFileError(folder, f"holds no scenario files ({', '.join('*' + s for s in SCENARIO_SUFFIXES)})")
    return files


def _named(scenarios: Iterable[ScenarioSource] | Mapping[str, ScenarioSource]) -> list[tuple[str, ScenarioSource]]:
    if isinstance(scenarios, Mapping):
        pairs = list(scenarios.items())
        for index, (name, _) in enumerate(pairs):
            if not isinstance(name, str) or not name:
                raise ValidationError.at(f"scenarios[{index}]", f"expected a non-empty name, got {name!r}")
        return pairs
    pairs = []
    for index, item in enumerate(scenarios):
        if isinstance(item, Scenario):
            pairs.append((f"scenario-{index + 1}", item))
        elif isinstance(item, str | os.PathLike):
            pairs.append((os.fspath(item), item))
        else:
            raise ValidationError.at(
                f"scenarios[{index}]", f"expected a Scenario or the path of a scenario file, got {item!r}"
            )
    return pairs


def _gather(
    scenarios: str | os.PathLike[str] | Iterable[ScenarioSource] | Mapping[str, ScenarioSource], seed: int | None
) -> list[_Work]:
    if isinstance(scenarios, str | os.PathLike):
        folder = Path(scenarios)
        return [
            _read(path, path.name, None if seed is None else scenario_seed(seed, path.name))
            for path in _folder_files(folder)
        ]
    pairs = _named(scenarios)
    if not pairs:
        raise ValidationError.at("scenarios", "expected at least one scenario or file, got none")
    works: list[_Work] = []
    seen: dict[str, int] = {}
    for index, (name, item) in enumerate(pairs):
        if name in seen:
            raise ValidationError.at(
                f"scenarios[{index}]",
                f"the name {name!r} is already used by scenarios[{seen[name]}]: names must differ",
            )
        seen[name] = index
        item_seed = None if seed is None else scenario_seed(seed, name)
        if isinstance(item, Scenario):
            works.append(_Work(name=name, seed=item_seed, scenario=item))
        elif isinstance(item, str | os.PathLike):
            works.append(_read(Path(item), name, item_seed))
        else:
            raise ValidationError.at(
                f"scenarios[{name!r}]", f"expected a Scenario or the path of a scenario file, got {item!r}"
            )
    return works


def chunk_size_for(scenarios: int, workers: int) -> int:
    """The default number of scenarios per Dask task.

    ``ceil(scenarios / (CHUNKS_PER_WORKER * workers))``, at least 1 and at most
    :data:`MAX_CHUNK`: enough chunks that every worker stays busy until the end (the
    last chunk to finish holds up the run by at most one chunk's work), and few enough
    that Dask's cost per task (about a millisecond) stays small beside a chunk's work
    (16 demo-sized scenarios take about half a second).

    >>> chunk_size_for(1000, 2), chunk_size_for(40, 2), chunk_size_for(3, 4)
    (16, 3, 1)
    """
    return max(1, min(MAX_CHUNK, math.ceil(scenarios / (CHUNKS_PER_WORKER * max(1, workers)))))


def _check_workers(client: Any) -> int:
    try:
        fingerprints = client.run(_fingerprint)
    except Exception as exc:  # noqa: BLE001 - whatever a worker raises, say which step failed
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise ValidationError.at(
            "client", f"could not ask the workers which crokit they run ({type(exc).__name__}: {detail})"
        ) from None
    mine = _fingerprint()
    for address, theirs in sorted(fingerprints.items()):
        if tuple(theirs) != mine:
            version, extensions = theirs
            raise ValidationError.at(
                "client",
                f"the worker {address} has crokit {version} with extensions {[e.name for e in extensions]}, "
                f"but this process has crokit {mine[0]} with {[e.name for e in mine[1]]}: install the same "
                "crokit and extensions on every worker (or pass registry=...)",
            )
    return _slots(client)


def _slots(client: Any) -> int:
    """The worker threads of *client*'s cluster now (at least 1)."""
    return max(1, int(sum(client.nthreads().values())))


def _on_dask(
    works: list[_Work],
    client: Any,
    registry: Registry | None,
    chunk_size: int | None,
    progress: Callable[[int, int], None] | None,
) -> list[PortfolioRow]:
    try:
        import distributed
    except ImportError:  # pragma: no cover - a client exists only where distributed is installed
        raise MissingDependencyError("dask.distributed", "dask") from None
    as_completed: Any = distributed.as_completed
    shipped: Any = None
    if registry is None:
        workers = _check_workers(client)
    else:
        workers = _slots(client)
        shipped = client.scatter(_ShippedRegistry.of(registry), broadcast=True)
    size = chunk_size if chunk_size is not None else chunk_size_for(len(works), workers)
    chunks = [works[start : start + size] for start in range(0, len(works), size)]
    run = uuid.uuid4().hex
    futures = [
        client.submit(_evaluate_chunk, chunk, shipped, key=f"crokit-portfolio-{run}-{index}", pure=False)
        for index, chunk in enumerate(chunks)
    ]
    position = {future.key: index for index, future in enumerate(futures)}
    results: list[tuple[PortfolioRow, ...]] = [() for _ in chunks]
    done = 0
    try:
        for future in as_completed(futures):
            rows = future.result()
            results[position[future.key]] = rows
            done += len(rows)
            if progress is not None:
                progress(done, len(works))
    finally:
        client.cancel(futures)
    return [row for rows in results for row in rows]


def _check_chunk_size(value: object) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ValidationError.at("chunk_size", f"expected a whole number of at least 1, or None, got {value!r}")


def evaluate_portfolio(
    scenarios: str | os.PathLike[str] | Iterable[ScenarioSource] | Mapping[str, ScenarioSource],
    *,
    client: Client | None = None,
    seed: int | None = None,
    registry: Registry | None = None,
    strict: bool = False,
    chunk_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Portfolio:
    """Evaluate many scenarios and collect one :class:`~crokit.portfolio.PortfolioRow` each.

    In this process by default; given a ``dask.distributed.Client`` (of a
    ``LocalCluster``, or ``Client("tcp://scheduler:8786")`` for a real cluster), the
    same call runs on its workers, in chunks of scenarios (see :func:`chunk_size_for`),
    and gives the same table: each scenario's seed depends only on *seed* and the
    scenario's name, never on the worker or the order. Workers send back only the
    compact rows, not whole evaluations.

    A scenario that cannot be read or evaluated is a row with its error; the others
    are evaluated all the same (unless *strict*).

    Args:
        scenarios: A folder (its ``*.toml``, ``*.json``, ``*.yaml`` and ``*.yml``
            files, in name order, each named by its file name); or scenarios and file
            paths (a :class:`~crokit.scenario.Scenario` is named ``scenario-N`` by its
            position from 1, a path by itself); or a mapping from name to either.
        client: A ``dask.distributed.Client`` to run on; ``None`` runs here.
        seed: The base seed; each scenario is evaluated with
            :func:`~crokit.portfolio.scenario_seed` of it and its name. ``None``
            samples no rank acceptabilities.
        registry: The vocabulary (default: :func:`~crokit.default_registry`; on a
            cluster each worker's own, after checking that every worker has the same
            crokit version and extensions as this process). A registry given here is
            sent to every worker once.
        strict: Raise if any scenario fails instead of returning its error row.
        chunk_size: Scenarios per Dask task (default: :func:`chunk_size_for`).
        progress: Called as ``progress(done, total)`` after each scenario (in process)
            or chunk (on Dask).

    Raises:
        InputFileError: If the folder is missing, not a folder or holds no scenario file.
        ValidationError: For an empty list, two scenarios with the same name, a bad
            seed or chunk size, or workers unlike this process; with *strict*, one
            problem per scenario that failed.

    >>> from crokit.demo import demo_scenario
    >>> portfolio = evaluate_portfolio([demo_scenario()], seed=7)
    >>> row = portfolio.rows[0]
    >>> row.name, row.winner, str(row.winner_total), row.eligible
    ('scenario-1', 'helix-cro', '1298263.32 USD', 4)
    """
    seed = check_seed(seed)
    _check_chunk_size(chunk_size)
    if client is not None and not all(hasattr(client, name) for name in ("submit", "run", "nthreads")):
        raise ValidationError.at(
            "client", f"expected a dask.distributed.Client (Client(address) for a cluster), got {client!r}"
        )
    works = _gather(scenarios, seed)
    if client is None:
        rows = []
        for work in works:
            rows.append(_evaluate_one(work, registry))
            if progress is not None:
                progress(len(rows), len(works))
    else:
        rows = _on_dask(works, client, registry, chunk_size, progress)
    portfolio = Portfolio(rows=rows, seed=seed)
    if strict and portfolio.failed:
        raise ValidationError([Problem(path=row.name, message=row.error or "") for row in portfolio.failed])
    return portfolio
