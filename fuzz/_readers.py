"""The readers under test: how each makes its inputs from the seeds, runs one, and checks the result.

A :class:`Reader` turns a random generator and its seeds into a :class:`Case` (the
input's bytes, its format or command, and, when the input was built from a known
tree, what it is meant to say), runs the crokit code that reads it, and returns an
:class:`Outcome`. Refusals are :class:`~crokit.errors.CrokitError` exceptions and
propagate to the runner, which counts any other exception as an escape.
"""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from fuzz import _oracle
from fuzz._mutate import has_raw, mutate_bytes, mutate_tree, render

if TYPE_CHECKING:
    from crokit.serialization import Format

__all__ = ["READERS", "Case", "Outcome", "Reader", "reader_names"]

ROOT: Final = Path(__file__).resolve().parent.parent
CORPUS: Final = Path(__file__).resolve().parent / "corpus"
FORMATS: Final[tuple[Format, ...]] = ("json", "toml", "yaml")
_SUFFIX: Final = {"json": ".json", "toml": ".toml", "yaml": ".yaml"}


@dataclass(frozen=True)
class Case:
    """One input: its bytes, the format or command it is read with, and how it was made."""

    reader: str
    variant: str
    data: bytes
    recipe: str
    intended: Any = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    """What reading one input gave: accepted or not, and every silent change or round-trip failure seen."""

    accepted: bool = False
    silent: list[str] = field(default_factory=list)
    round_trip: list[str] = field(default_factory=list)
    slow_subprocess: bool = False


@dataclass(frozen=True)
class Seed:
    """A seed input: bytes in a format, and the plain tree it holds (when it is a document)."""

    name: str
    format: str
    data: bytes
    tree: Any = None


class Reader:
    """A reader under test; subclasses say how to make inputs and how to read one."""

    name: str = ""
    suffix: str = ".json"
    default_inputs: int = 10_000

    def seeds(self) -> list[Seed]:
        """The seed inputs (read once per worker)."""
        raise NotImplementedError

    def generate(self, rng: random.Random, seeds: Sequence[Seed], extra: Sequence[Any]) -> Case:
        """One input made from *seeds* (and *extra*, values Hypothesis drew for this chunk)."""
        raise NotImplementedError

    def hypothesis_values(self, seed: int, count: int) -> list[Any]:  # noqa: ARG002 - most readers draw nothing
        """Values Hypothesis draws for one chunk, deterministically from *seed*."""
        return []

    def run(self, case: Case, workdir: Path) -> Any:
        """Read *case* with the crokit code under test; raise what it raises; return what it built."""
        raise NotImplementedError

    def check(self, case: Case, result: Any, workdir: Path) -> Outcome:  # noqa: ARG002 - most readers check little
        """Check what an accepted input built (outside the read's time limit)."""
        return Outcome(accepted=True)

    def post(self, case: Case, workdir: Path, outcome: Outcome) -> None:
        """Further checks run outside the per-input time limit (such as a subprocess)."""

    def repro(self, case: Case) -> str:  # noqa: ARG002 - most readers need nothing from the case
        """A one-line command that replays a saved input."""
        return "python -m fuzz --repro <file>"


def _draw(strategy: Any, seed: int, count: int) -> list[Any]:
    """*count* values of a Hypothesis *strategy*, the same ones for the same *seed*."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed

    drawn: list[Any] = []

    @hypothesis_seed(seed)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value: Any) -> None:
        drawn.append(value)

    collect()
    return drawn[:count]


def _json_values() -> Any:
    from hypothesis import strategies as st

    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.text(max_size=20)
        | st.decimals(allow_nan=False, allow_infinity=False).map(str)
    )
    return st.recursive(
        scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    )


def _plain(value: Any) -> Any:
    from crokit.serialization import unstructure

    return unstructure(value)


def _text(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _escape_seeds(name: str) -> list[Path]:
    folder = CORPUS / "escapes"
    return sorted(folder.glob(f"{name}--*")) if folder.is_dir() else []


# -- documents ---------------------------------------------------------------------------


class DocumentReader(Reader):
    """A crokit document (scenario, study, CRO profile) in one of JSON, TOML or YAML, read with ``loads``."""

    def __init__(self, kind: str, format_: Format, load_class: Callable[[], type], seed_files: Sequence[str]) -> None:
        self.kind = kind
        self.format: Format = format_
        self.name = f"{kind}.{format_}"
        self.suffix = _SUFFIX[format_]
        self._load_class = load_class
        self._seed_files = seed_files

    @property
    def cls(self) -> type:
        """The model class the document is read as."""
        return self._load_class()

    def seeds(self) -> list[Seed]:
        """The example files and the corpus, each loaded and re-rendered in this reader's format."""
        from crokit.serialization import format_for, loads

        found: list[Seed] = []
        paths = [ROOT / f for f in self._seed_files] + sorted((CORPUS / self.kind).glob("*"))
        for path in paths:
            if not path.is_file():
                continue
            model: Any = loads(path.read_bytes(), self.cls, format_for(path))
            tree = _plain(model)
            found.append(Seed(path.name, self.format, render(tree, self.format).encode(), tree))
        found += [Seed(p.name, self.format, p.read_bytes()) for p in _escape_seeds(self.name)]
        return found

    def hypothesis_values(self, seed: int, count: int) -> list[Any]:
        """Models Hypothesis draws (studies, CRO profiles) and free JSON values to splice in."""
        from crokit import testing

        values = _draw(_json_values(), seed, count)
        strategies: dict[str, Callable[[], Any]] = {"study": testing.studies, "cro_profile": testing.cro_profiles}
        strategy = strategies.get(self.kind)
        if strategy is not None:
            values += [("model", _plain(v)) for v in _draw(strategy(), seed + 1, max(1, count // 2))]
        return values

    def generate(self, rng: random.Random, seeds: Sequence[Seed], extra: Sequence[Any]) -> Case:
        """A mutated document: byte damage (35%), tree edits (45%), Hypothesis values (15%) or a seed (5%)."""
        documents = [s for s in seeds if s.tree is not None] or list(seeds)
        seed = rng.choice(documents)
        roll = rng.random()
        if roll < 0.35:
            seed = rng.choice(seeds)
        models = [v[1] for v in extra if isinstance(v, tuple)]
        values = [v for v in extra if not isinstance(v, tuple)]
        if roll < 0.35 or seed.tree is None:
            data, recipe = mutate_bytes(rng, seed.data, [s.data for s in seeds])
            return Case(self.name, self.format, data, f"bytes:{recipe}")
        tree = seed.tree
        recipe = "seed"
        if roll < 0.95 and models and rng.random() < 0.3:
            tree, recipe = rng.choice(models), "hypothesis-model"
        if roll < 0.80:
            tree, names = mutate_tree(rng, tree)
            recipe += f"+tree:{names}"
        elif roll < 0.95 and values:
            tree, recipe = _splice_value(rng, tree, rng.choice(values)), recipe + "+hypothesis-splice"
        duplicate = rng.random() < 0.1
        recipe += "+duplicate-key" if duplicate else ""
        text = render(tree, self.format, duplicate=duplicate, rng=rng)
        intended = None if duplicate or has_raw(tree) else tree
        return Case(self.name, self.format, text.encode("utf-8", "surrogatepass"), recipe, intended)

    def run(self, case: Case, workdir: Path) -> Any:  # noqa: ARG002 - documents are read from memory
        """Load the document."""
        from crokit.serialization import loads

        return loads(case.data, self.cls, self.format)

    def check(self, case: Case, result: Any, workdir: Path) -> Outcome:  # noqa: ARG002
        """Compare the model with what the text says, and with what it was meant to say; round-trip it."""
        from crokit.serialization import unstructure

        model = result
        outcome = Outcome(accepted=True)
        plain = unstructure(model)
        check_text(case.data, self.format, plain, outcome)
        if case.intended is not None:
            outcome.silent += [f"(as meant) {c}" for c in _oracle.changes(case.intended, plain)]
        round_trip(model, self.cls, outcome)
        return outcome


def _splice_value(rng: random.Random, tree: Any, value: Any) -> Any:
    from fuzz._mutate import _get, _paths, _replace

    paths = _paths(tree)[1:]
    if not paths:
        return tree
    path = rng.choice(paths)
    if isinstance(_get(tree, path), dict) and isinstance(value, dict) and rng.random() < 0.5:
        return _replace(tree, path, {**_get(tree, path), **value})
    return _replace(tree, path, value)


def check_text(data: bytes, format_: str, plain: Any, outcome: Outcome) -> _oracle.Reading | None:
    """Compare an accepted model's plain data with the reference reading of its text."""
    text = _text(data)
    if text is None:
        outcome.silent.append("text that is not UTF-8 was accepted")
        return None
    reading = _oracle.reference(text, format_)
    if reading is None:
        return None
    if reading.duplicates:
        outcome.silent.append(f"duplicate keys accepted: {', '.join(sorted(set(reading.duplicates))[:5])}")
    outcome.silent += _oracle.changes(reading.tree, plain)
    return reading


def round_trip(model: Any, cls: type, outcome: Outcome) -> None:
    """Dump *model* in every format and load it back; anything but an equal model is a failure."""
    from crokit.errors import CrokitError
    from crokit.serialization import dumps, loads

    for format_ in FORMATS:
        try:
            back: Any = loads(dumps(model, format_), cls, format_)
        except CrokitError as exc:
            outcome.round_trip.append(f"{format_}: {type(exc).__name__}: {str(exc)[:200]}")
            continue
        if back != model:
            outcome.round_trip.append(f"{format_}: the model read back differs")


# -- importers ---------------------------------------------------------------------------


def _at(tree: Any, *path: str | int) -> Any:
    for step in path:
        if isinstance(step, int):
            if not isinstance(tree, list) or len(tree) <= step:
                return None
        elif not isinstance(tree, dict) or step not in tree:
            return None
        tree = tree[step]
    return tree


def _whole(value: Any) -> int | None:
    """The whole number a JSON number literal says, if it is one from 1 to 10,000,000."""
    from decimal import Decimal, InvalidOperation

    if not isinstance(value, _oracle._Number):  # noqa: SLF001 - the oracle's own leaf type
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    if not number.is_finite() or number != number.to_integral_value() or not 1 <= number <= 10_000_000:
        return None
    return int(number)


class ImporterReader(Reader):
    """A study importer (USDM or ClinicalTrials.gov) reading JSON."""

    def __init__(self, name: str, seed_files: Sequence[str], shared: Sequence[str]) -> None:
        self.name = name
        self.suffix = ".json"
        self._seed_files = seed_files
        self._shared = shared

    def seeds(self) -> list[Seed]:
        """The corpus, the repository's test files and (if present) the shared real files."""
        found: list[Seed] = []
        paths = [ROOT / f for f in self._seed_files] + sorted((CORPUS / self.name).glob("*.json"))
        paths += [Path(p) for p in self._shared]
        for path in paths:
            if path.is_file():
                data = path.read_bytes()
                found.append(Seed(path.name, "json", data, json.loads(data)))
        found += [Seed(p.name, "json", p.read_bytes()) for p in _escape_seeds(self.name)]
        return found

    def hypothesis_values(self, seed: int, count: int) -> list[Any]:
        """Free JSON values to splice into records."""
        return _draw(_json_values(), seed, count)

    def generate(self, rng: random.Random, seeds: Sequence[Seed], extra: Sequence[Any]) -> Case:
        """Byte damage (40%), tree edits (45%), Hypothesis splices (10%) or a seed (5%); big files rarely."""
        small = [s for s in seeds if len(s.data) < 100_000] or list(seeds)
        seed = rng.choice(seeds if rng.random() < 0.03 else small)
        roll = rng.random()
        if roll < 0.40 or seed.tree is None:
            data, recipe = mutate_bytes(rng, seed.data, [s.data for s in small])
            return Case(self.name, "json", data, f"bytes:{recipe}")
        tree, recipe = seed.tree, "seed"
        if roll < 0.85:
            tree, names = mutate_tree(rng, tree)
            recipe = f"tree:{names}"
        elif roll < 0.95 and extra:
            tree, recipe = _splice_value(rng, tree, rng.choice(extra)), "hypothesis-splice"
        duplicate = rng.random() < 0.05
        recipe += "+duplicate-key" if duplicate else ""
        text = render(tree, "json", duplicate=duplicate, rng=rng)
        return Case(self.name, "json", text.encode("utf-8", "surrogatepass"), recipe)

    def read(self, data: bytes) -> Any:
        """The import report of *data*."""
        from crokit.interop import read_ctgov, read_usdm

        return read_usdm(data) if self.name == "usdm" else read_ctgov(data)

    def run(self, case: Case, workdir: Path) -> Any:  # noqa: ARG002 - records are read from memory
        """Import the record."""
        return self.read(case.data)

    def check(self, case: Case, result: Any, workdir: Path) -> Outcome:  # noqa: ARG002
        """Check the enrolment against the record, and round-trip the study."""
        from crokit.study import Study

        report = result
        outcome = Outcome(accepted=True)
        reading = _oracle.reference(case.data.decode("utf-8", "replace"), "json")
        if reading is not None:
            if reading.duplicates:
                outcome.silent.append(f"duplicate keys accepted: {', '.join(sorted(set(reading.duplicates))[:5])}")
            if self.name == "ctgov":
                count = _whole(_at(reading.tree, "protocolSection", "designModule", "enrollmentInfo", "count"))
            else:
                design = _at(reading.tree, "study", "versions", 0, "studyDesigns", 0, "population")
                count = _whole(_at(design, "plannedEnrollmentNumber"))
            if count is not None and report.study.planned_patients != count:
                outcome.silent.append(
                    f"planned_patients: the record says {count}, read {report.study.planned_patients}"
                )
        round_trip(report.study, Study, outcome)
        return outcome


# -- Excel ---------------------------------------------------------------------------------


class RateCardReader(Reader):
    """The Excel rate-card reader, on generated workbooks damaged at the cell, XML and zip level."""

    name = "excel.rate-card"
    suffix = ".xlsx"

    def seeds(self) -> list[Seed]:
        """The corpus workbooks (plus any saved escapes)."""
        paths = sorted((CORPUS / "excel").glob("*.xlsx")) + _escape_seeds(self.name)
        return [Seed(p.name, "xlsx", p.read_bytes()) for p in paths]

    def hypothesis_values(self, seed: int, count: int) -> list[Any]:
        """Workbooks of rate cards Hypothesis draws, with the card each holds."""
        from fuzz import _excel

        return _excel.books(seed, max(2, count // 4))

    def generate(self, rng: random.Random, seeds: Sequence[Seed], extra: Sequence[Any]) -> Case:
        """A workbook: drawn and intact, or damaged by one of the workbook mutations."""
        from fuzz import _excel

        return _excel.case(self.name, rng, seeds, extra)

    def run(self, case: Case, workdir: Path) -> Any:
        """Read the card."""
        from crokit.excel import read_rate_card

        path = workdir / "book.xlsx"
        path.write_bytes(case.data)
        return read_rate_card(path, currency=case.meta.get("currency"))

    def check(self, case: Case, result: Any, workdir: Path) -> Outcome:
        """If the damage kept the meaning, the card must be the one written; it must round-trip."""
        from crokit.excel import read_rate_card, write_rate_card_template

        card = result
        outcome = Outcome(accepted=True)
        if case.intended is not None and card != case.intended:
            outcome.silent.append(
                f"{case.recipe}: read {len(card.entries)} entries, wrote {len(case.intended.entries)}"
            )
        again = workdir / "again.xlsx"
        write_rate_card_template(again, card)
        if read_rate_card(again) != card:
            outcome.round_trip.append("xlsx: the card read back differs")
        return outcome

    def repro(self, case: Case) -> str:
        """Reading the saved workbook."""
        currency = case.meta.get("currency")
        extra = f", currency={currency!r}" if currency else ""
        return f"python -c \"from crokit.excel import read_rate_card; read_rate_card('<file>'{extra})\""


# -- benchmark CSV --------------------------------------------------------------------------


class TableReader(Reader):
    """``crokit.reference.load_table`` on damaged benchmark CSV files."""

    name = "reference.csv"
    suffix = ".csv"

    def seeds(self) -> list[Seed]:
        """Crokit's own long-shape table, the corpus and saved escapes."""
        from importlib import resources

        data = resources.files("crokit.reference").joinpath("data").joinpath("cost-ranges.csv").read_bytes()
        paths = sorted((CORPUS / "csv").glob("*.csv")) + _escape_seeds(self.name)
        return [Seed("cost-ranges.csv", "csv", data), *(Seed(p.name, "csv", p.read_bytes()) for p in paths)]

    def generate(self, rng: random.Random, seeds: Sequence[Seed], extra: Sequence[Any]) -> Case:  # noqa: ARG002
        """Byte damage of a seed, or one cell replaced by a number spelling or text."""
        from fuzz._mutate import RAW_NUMBERS

        seed = rng.choice(seeds)
        if rng.random() < 0.5:
            data, recipe = mutate_bytes(rng, seed.data, [s.data for s in seeds])
            return Case(self.name, "csv", data, f"bytes:{recipe}")
        lines = seed.data.split(b"\n")
        row = rng.randrange(len(lines))
        cells = lines[row].split(b",")
        column = rng.randrange(len(cells))
        cells[column] = rng.choice((*RAW_NUMBERS, "", '"', "x" * 1000, "all", "phase-9", "\ufeffUSD")).encode(
            "utf-8", "surrogatepass"
        )
        lines[row] = b",".join(cells)
        return Case(self.name, "csv", b"\n".join(lines), f"cell:{row}:{column}")

    def run(self, case: Case, workdir: Path) -> Any:
        """Load the table (accepted tables have no further oracle)."""
        from crokit.reference import load_table

        path = workdir / "table.csv"
        path.write_bytes(case.data)
        return load_table(path)


# -- command line -------------------------------------------------------------------------


class CliReader(Reader):
    """``crokit validate / evaluate / import`` on mutated files: in process, and every Nth as a subprocess."""

    name = "cli"
    suffix = ".txt"
    subprocess_every = 200
    subprocess_timeout = 10.0

    def __init__(self, sources: Sequence[Reader]) -> None:
        self.sources = {s.name: s for s in sources}

    def seeds(self) -> list[Seed]:
        """The seeds of every source reader, tagged with that reader's name."""
        return [Seed(s.name, name, s.data, s.tree) for name, source in self.sources.items() for s in source.seeds()]

    def hypothesis_values(self, seed: int, count: int) -> list[Any]:
        """Free JSON values to splice in."""
        return _draw(_json_values(), seed, max(1, count // 4))

    def generate(self, rng: random.Random, seeds: Sequence[Seed], extra: Sequence[Any]) -> Case:
        """A source reader's input and a command that reads it."""
        name = rng.choice(sorted(self.sources))
        source = self.sources[name]
        own = [Seed(s.name, source_format(source), s.data, s.tree) for s in seeds if s.format == name]
        inner = source.generate(rng, own, extra)
        if name in {"usdm", "ctgov"}:
            argv = ["import", name, "{file}"]
        else:
            command = rng.choice(("validate", "validate", "evaluate"))
            argv = [command, "{file}"]
            if command == "evaluate":
                argv += ["--format", rng.choice(("text", "markdown", "html", "json"))]
        roll = rng.random()
        if argv[0] != "validate" and roll < 0.2:
            argv += ["--output", "{out}"]
        elif argv[0] != "validate" and roll < 0.25:
            argv += ["--output", "{file}"]
        variant = "-".join(a for a in argv if not a.startswith("{") and not a.startswith("--"))
        meta = {"argv": argv, "suffix": source.suffix, "source": name}
        return Case(self.name, variant, inner.data, f"{name}:{inner.recipe}", None, meta)

    def run(self, case: Case, workdir: Path) -> Any:
        """Run the command in process; what it returns is the outcome."""
        from crokit.cli import main

        file = workdir / f"input{case.meta['suffix']}"
        file.write_bytes(case.data)
        argv = [a.format(file=file, out=workdir / "out.txt") for a in case.meta["argv"]]
        out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
        error_bytes = io.BytesIO()
        err = io.TextIOWrapper(error_bytes, encoding="utf-8")
        code = main(argv, out=out, err=err)
        out.flush()
        err.flush()
        stderr = error_bytes.getvalue().decode("utf-8", "replace")
        outcome = Outcome(accepted=code == 0)
        if code not in {0, 1}:
            raise CliFailure(f"exit code {code}: {stderr[-300:]}")
        if "Traceback" in stderr:
            raise CliFailure(f"traceback on stderr: {stderr[-300:]}")
        if file.read_bytes() != case.data:
            outcome.silent.append(f"the input file was changed by {' '.join(case.meta['argv'])}")
        return outcome

    def check(self, case: Case, result: Any, workdir: Path) -> Outcome:  # noqa: ARG002
        """The outcome :meth:`run` made."""
        return result if isinstance(result, Outcome) else Outcome()

    def post(self, case: Case, workdir: Path, outcome: Outcome) -> None:
        """For every Nth input: the same command as ``python -m crokit`` in a subprocess."""
        import os
        import time

        import crokit

        if not case.meta.get("subprocess"):
            return
        file = workdir / f"input{case.meta['suffix']}"
        file.write_bytes(case.data)
        argv = [a.format(file=file, out=workdir / "out.txt") for a in case.meta["argv"]]
        env = {**os.environ, "PYTHONPATH": str(Path(crokit.__file__).resolve().parent.parent)}
        started = time.monotonic()
        try:
            done = subprocess.run(  # noqa: S603 - the interpreter running this harness, fixed arguments
                [sys.executable, "-m", "crokit", *argv],
                capture_output=True,
                timeout=self.subprocess_timeout,
                env=env,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            outcome.slow_subprocess = True
            return
        if time.monotonic() - started > self.subprocess_timeout:
            outcome.slow_subprocess = True
        stderr = done.stderr.decode("utf-8", "replace")
        if done.returncode not in {0, 1} or "Traceback" in stderr:
            raise CliFailure(f"subprocess: exit code {done.returncode}: {stderr[-300:]}")
        if file.read_bytes() != case.data:
            outcome.silent.append(f"subprocess: the input file was changed by {' '.join(case.meta['argv'])}")

    def repro(self, case: Case) -> str:
        """The command line, with the saved file as its input."""
        argv = " ".join(a.format(file="<file>", out="out.txt") for a in case.meta.get("argv", []))
        return f"python -m crokit {argv}"


class CliFailure(Exception):  # noqa: N818 - reported as its own kind of escape
    """The command line ended with a traceback or an exit code it does not document."""


def source_format(reader: Reader) -> str:
    """The format a reader's seeds are in."""
    return getattr(reader, "format", "json")


def _scenario() -> type:
    from crokit.scenario import Scenario

    return Scenario


def _study() -> type:
    from crokit.study import Study

    return Study


def _profile() -> type:
    from crokit.provider import CroProfile

    return CroProfile


_SCENARIOS: Final = ("examples/rare_disease_phase2.toml",)
_USDM_FOLDERS: Final = (
    Path(os.environ.get("CROKIT_FUZZ_USDM", "/work/shared/data/usdm")),
    ROOT.parent / "shared" / "data" / "usdm",
)
"""Real USDM files used as seeds by path when present (never copied into the repository)."""
_SHARED_USDM: Final = next(
    (tuple(str(p) for p in sorted(folder.glob("*.json"))) for folder in _USDM_FOLDERS if folder.is_dir()), ()
)


def _build() -> dict[str, Reader]:
    documents: list[Reader] = []
    for format_ in FORMATS:
        documents.append(DocumentReader("scenario", format_, _scenario, _SCENARIOS))
        documents.append(DocumentReader("study", format_, _study, ()))
    profiles = [DocumentReader("cro_profile", "json", _profile, ())]
    usdm = ImporterReader("usdm", ("tests/data/usdm/CDISC_Pilot_Study.json",), _SHARED_USDM)
    ctgov = ImporterReader("ctgov", ("tests/data/ctgov_fictional_sample.json",), ())
    sources = [r for r in documents if r.name.startswith("scenario.")] + [usdm, ctgov]
    readers: list[Reader] = [*documents, *profiles, usdm, ctgov, RateCardReader(), TableReader(), CliReader(sources)]
    return {r.name: r for r in readers}


READERS: Final = _build()
"""Every reader, by name."""


def reader_names() -> list[str]:
    """The names of every reader, in run order."""
    return list(READERS)
