"""Benchmark: a 100,000-line budget through JSON, YAML and TOML, and its memory.

The budget: ``LINES`` lines over 8 services, 4 stages, the unit pricing kinds and
buckets, a whole-number quantity and a cent unit price, the amount rounded half-even,
and 24 to 60 study months each (42 on average, as in issue #13). The same data is
used by every side.

Rows (each a median of paired ratios crokit / reference):

- ``json``: ``crokit.dumps`` + ``crokit.loads`` of the budget against an equivalent
  pydantic v2 model (``model_dump_json`` + ``model_validate_json``; Decimal amounts as
  strings; the same checks: id syntax, enum values, non-empty text, quantity >= 0,
  increasing months, amount = quantity x unit price rounded half-even).
- ``yaml``: crokit's YAML round trip against PyYAML's LibYAML ``CSafeDumper`` and
  ``CSafeLoader`` on the same plain data (text only: the floor).
- ``toml``: crokit's TOML round trip against ``tomli_w.dumps`` + ``tomllib.loads`` on the
  same plain data.
- ``memory``: the ``tracemalloc`` peak of building the budget and its monthly roll-up,
  against a list of plain dicts of Decimals and the same roll-up with plain loops.

Run with ``python -m benchmarks --only json yaml toml memory`` (``--quick`` for 10,000
lines). Not collected by pytest.
"""

from __future__ import annotations

import enum
import re
import sys
import tomllib
import tracemalloc
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Annotated

import pydantic
import tomli_w
import yaml

if __package__ in {None, ""}:  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import itertools

from benchmarks._common import Row, paired, spread
from crokit import Money, Stage, UnitBasis, dumps, loads
from crokit.pricing import Budget, CostBucket, LineItem, PricingKind
from crokit.serialization import unstructure

LINES, QUICK_LINES = 100_000, 2_000
TEXT_LINES = 5_000
"""YAML and TOML use fewer lines outside ``--quick`` (their pure-Python parts take minutes at 100,000)."""
SERVICES = (
    "crokit:on-site-monitoring",
    "crokit:data-management",
    "crokit:biostatistics",
    "crokit:medical-writing",
    "crokit:site-selection",
    "crokit:project-management",
    "crokit:pharmacovigilance",
    "crokit:regulatory-submissions",
)
STAGES = (Stage.PHASE_1, Stage.PHASE_2, Stage.PHASE_3, Stage.PHASE_2)
BASES = (UnitBasis.PER_SITE, UnitBasis.PER_SITE_MONTH, UnitBasis.PER_ACTIVE_SITE_MONTH, None)
CENT = Decimal("0.01")

Spec = tuple[str, Stage, CostBucket, str, UnitBasis | None, Decimal, Decimal, Decimal, tuple[int, ...], str]


def specs(lines: int) -> list[Spec]:
    """The budget's lines as plain values, shared by every side."""
    found = []
    for number in range(lines):
        quantity = Decimal(1 + number % 97)
        price = Decimal(10_000 + (number * 7919) % 900_000) / 100
        amount = (quantity * price).quantize(CENT, rounding=ROUND_HALF_EVEN)
        start = number % 12
        months = tuple(range(start, start + 24 + number % 37))
        found.append(
            (
                SERVICES[number % len(SERVICES)],
                STAGES[number % len(STAGES)],
                CostBucket.PASS_THROUGH if number % 5 == 0 else CostBucket.CRO_DIRECT_FEES,
                f"Line {number:06d}",
                BASES[number % len(BASES)],
                quantity,
                price,
                amount,
                months,
                f"{quantity} units x {price} USD",
            )
        )
    return found


def crokit_budget(lines: list[Spec]) -> Budget:
    """The budget as crokit objects."""
    return Budget(
        currency="USD",
        lines=[
            LineItem(
                service=service,
                stage=stage,
                kind=PricingKind.UNIT,
                bucket=bucket,
                description=description,
                basis=basis,
                quantity=quantity,
                unit_price=Money(price, "USD"),
                amount=Money(amount, "USD"),
                months=months,
                derivation=derivation,
            )
            for service, stage, bucket, description, basis, quantity, price, amount, months, derivation in lines
        ],
    )


# The pydantic v2 reference: the same fields and the same checks.

StageValue = enum.Enum("StageValue", {s.name: s.value for s in Stage})  # type: ignore[misc]
KindValue = enum.Enum("KindValue", {s.name: s.value for s in PricingKind})  # type: ignore[misc]
BucketValue = enum.Enum("BucketValue", {s.name: s.value for s in CostBucket})  # type: ignore[misc]
BasisValue = enum.Enum("BasisValue", {s.name: s.value for s in UnitBasis})  # type: ignore[misc]
_ID = re.compile(r"[a-z][a-z0-9-]*:[a-z0-9][a-z0-9-]*")


class MoneyModel(pydantic.BaseModel):
    """Money: a Decimal written as a string, and a currency code."""

    model_config = pydantic.ConfigDict(frozen=True, extra="forbid")
    amount: Decimal
    currency: Annotated[str, pydantic.StringConstraints(pattern=r"^[A-Z]{3}$")]


class LineModel(pydantic.BaseModel):
    """One budget line, with crokit's checks."""

    model_config = pydantic.ConfigDict(frozen=True, extra="forbid")
    service: Annotated[str, pydantic.StringConstraints(pattern=_ID.pattern)]
    stage: StageValue
    kind: KindValue
    bucket: BucketValue
    description: Annotated[str, pydantic.StringConstraints(min_length=1)]
    basis: BasisValue | None
    quantity: Annotated[Decimal, pydantic.Field(ge=0)]
    unit_price: MoneyModel
    amount: MoneyModel
    months: tuple[int, ...]
    derivation: Annotated[str, pydantic.StringConstraints(min_length=1)]

    @pydantic.field_validator("months")
    @classmethod
    def _increasing(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value or value[0] < 0 or any(b <= a for a, b in itertools.pairwise(value)):
            raise ValueError("expected increasing month indexes >= 0")
        return value

    @pydantic.model_validator(mode="after")
    def _amount(self) -> LineModel:
        if self.amount.currency != self.unit_price.currency:
            raise ValueError("currencies differ")
        expected = (self.unit_price.amount * self.quantity).quantize(CENT, rounding=ROUND_HALF_EVEN)
        if self.amount.amount != expected:
            raise ValueError("amount is not quantity x unit price")
        return self


class BudgetModel(pydantic.BaseModel):
    """The budget: a currency and its lines, each key once."""

    model_config = pydantic.ConfigDict(frozen=True, extra="forbid")
    currency: Annotated[str, pydantic.StringConstraints(pattern=r"^[A-Z]{3}$")]
    lines: tuple[LineModel, ...]

    @pydantic.model_validator(mode="after")
    def _unique(self) -> BudgetModel:
        keys = {(line.service, line.description) for line in self.lines}
        if len(keys) != len(self.lines):
            raise ValueError("a line key is repeated")
        return self


def _reference_dicts(lines: list[Spec]) -> tuple[list[dict[str, object]], dict[int, Decimal]]:
    """The memory reference: plain dicts of Decimals, and the monthly roll-up by plain loops."""
    rows: list[dict[str, object]] = []
    by_month: dict[int, Decimal] = {}
    for service, stage, bucket, description, basis, quantity, price, amount, months, derivation in lines:
        rows.append(
            {
                "service": service,
                "stage": stage.value,
                "kind": "unit",
                "bucket": bucket.value,
                "description": description,
                "basis": basis.value if basis else None,
                "quantity": quantity,
                "unit_price": price,
                "amount": amount,
                "currency": "USD",
                "months": months,
                "derivation": derivation,
            }
        )
        cents, count = int(amount * 100), len(months)
        base, left = divmod(cents, count)
        for index, month in enumerate(months):
            part = Decimal(base + (index < left)) / 100
            by_month[month] = by_month.get(month, Decimal(0)) + part
    return rows, by_month


def _peak(function: Callable[[], object]) -> int:
    tracemalloc.start()
    kept = function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    return peak


def _crokit_memory(lines: list[Spec]) -> object:
    budget = crokit_budget(lines)
    return budget, budget.by_month()


def rows(quick: bool, select: Callable[[str], bool]) -> list[Row]:  # noqa: FBT001 - the runner's interface
    """The serialization and memory rows of the table."""
    size = QUICK_LINES if quick else LINES
    repeats = 3 if quick else 5
    wanted = [key for key in ("json", "yaml", "toml", "memory") if select(key)]
    if not wanted:
        return []
    lines = specs(size)
    budget = crokit_budget(lines)
    data = unstructure(budget)
    found: list[Row] = []
    if "json" in wanted:
        model = BudgetModel.model_validate_json(dumps(budget))
        assert loads(dumps(budget), Budget) == budget
        assert BudgetModel.model_validate_json(model.model_dump_json()) == model

        def ours() -> object:
            return loads(dumps(budget), Budget)

        def theirs() -> object:
            return BudgetModel.model_validate_json(model.model_dump_json())

        mine, ref, ratios = paired(ours, theirs, repeats)
        found.append(
            Row(
                "json",
                f"JSON dumps+loads, {size:,}-line budget",
                "pydantic v2 model_dump_json+model_validate_json",
                ratios,
                1.5,
                f"crokit {spread(mine, 1, 's')}, pydantic {spread(ref, 1, 's')}",
            )
        )
    for key, target, floor, name in (
        ("yaml", 1.3, _libyaml, "PyYAML CSafeDumper+CSafeLoader, text only"),
        ("toml", 1.2, _toml, "tomli_w.dumps+tomllib.loads, text only"),
    ):
        if key not in wanted:
            continue
        text_size = min(size, TEXT_LINES)
        small = budget if text_size == size else crokit_budget(lines[:text_size])
        small_data = unstructure(small)
        text = dumps(small, key)  # type: ignore[arg-type]
        assert loads(text, Budget, key) == small  # type: ignore[arg-type]

        def ours_text(key: str = key, small: Budget = small) -> object:
            return loads(dumps(small, key), Budget, key)  # type: ignore[arg-type]

        mine, ref, ratios = paired(ours_text, lambda floor=floor, small_data=small_data: floor(small_data), repeats)
        found.append(
            Row(
                key,
                f"{key.upper()} dumps+loads, {text_size:,}-line budget",
                name,
                ratios,
                target,
                f"crokit {spread(mine, 1, 's')}, reference {spread(ref, 1, 's')}",
            )
        )
    if "memory" in wanted:
        del budget, data
        peaks = [(_peak(lambda: _crokit_memory(lines)), _peak(lambda: _reference_dicts(lines))) for _ in range(3)]
        ours_peak, ref_peak = min(p[0] for p in peaks), min(p[1] for p in peaks)
        found.append(
            Row(
                "memory",
                f"peak memory, {size:,}-line budget + by_month",
                "list of plain dicts of Decimals (tracemalloc)",
                [a / b for a, b in peaks],
                3.0,
                f"crokit {ours_peak / 2**20:.1f} MiB ({ours_peak / size:.0f} B/line), "
                f"reference {ref_peak / 2**20:.1f} MiB ({ref_peak / size:.0f} B/line)",
            )
        )
    return found


def _libyaml(data: object) -> object:
    text = yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)
    return yaml.load(text, Loader=yaml.CSafeLoader)


def _without_none(data: object) -> object:
    if isinstance(data, dict):
        return {key: _without_none(value) for key, value in data.items() if value is not None}
    if isinstance(data, list):
        return [_without_none(item) for item in data]
    return data


def _toml(data: object) -> object:
    return tomllib.loads(tomli_w.dumps(_without_none(data)))  # type: ignore[arg-type]


if __name__ == "__main__":
    for row in rows("--quick" in sys.argv, lambda _key: True):
        print(row.key, f"{row.median:.2f}x", row.target_text, row.note)
