"""The portfolio table: one compact row per scenario, and the seeds that make rows repeatable."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Final

import attrs

from crokit import _text
from crokit._convert import to_tuple
from crokit._typed import typed_fields
from crokit.errors import ValidationError
from crokit.money import Money, total

if TYPE_CHECKING:
    import pandas as pd

    from crokit._views import JsonValue
    from crokit.scenario import Evaluation

__all__ = ["COLUMNS", "Portfolio", "PortfolioRow", "row_from_evaluation", "scenario_seed"]

_SEED_BITS: Final = 48
"""Seeds are whole numbers below 2**48, so every file format carries them exactly (JSON, TOML
and YAML readers hold 15 digits)."""
COLUMNS: Final = (
    "name",
    "title",
    "sponsor",
    "study",
    "currency",
    "winner",
    "winner_name",
    "winner_total",
    "cost_per_patient",
    "candidates",
    "eligible",
    "warnings",
    "winner_acceptability",
    "seed",
    "error",
)
"""The columns of :meth:`Portfolio.to_records`, in order."""


def check_seed(seed: object, *, path: str = "seed") -> int | None:
    """*seed* if it is ``None`` or a whole number from 0 to 2**48 - 1.

    Raises:
        ValidationError: At *path*, for anything else (a bool, a float, a negative number, ...).
    """
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**_SEED_BITS:
        raise ValidationError.at(path, f"expected a whole number from 0 to 2**48 - 1, or None, got {seed!r}")
    return seed


def scenario_seed(base: int, name: str) -> int:
    """The seed of the scenario called *name* in a portfolio run with the base seed *base*.

    The first 48 bits of SHA-256 over the base seed and the name: the same pair always
    gives the same seed, on any machine and in any order of evaluation, so a row never
    depends on which worker evaluated it or when; renaming a scenario or changing the
    base seed gives it an unrelated seed.

    Raises:
        ValidationError: If *base* is not a whole number from 0 to 2**48 - 1.

    >>> scenario_seed(2027, "rd-201.toml") == scenario_seed(2027, "rd-201.toml")
    True
    >>> scenario_seed(2027, "rd-201.toml") != scenario_seed(2028, "rd-201.toml")
    True
    """
    check_seed(base)
    digest = hashlib.sha256(f"crokit-portfolio\0{base}\0{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> (64 - _SEED_BITS)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class PortfolioRow:
    """What a portfolio owner needs to know about one scenario of the portfolio.

    Attributes:
        name: The scenario's name in the portfolio (its file name, or the name it was given).
        title: The scenario's title, if it has one.
        sponsor: The sponsor's name.
        study: The study's name.
        currency: The study's budget currency.
        winner: The winning candidate's id, or ``None`` if no candidate is eligible.
        winner_name: The winning candidate's name.
        winner_total: The winner's budget total, in the study's currency.
        cost_per_patient: The winner's total per planned patient.
        candidates: How many candidates the scenario lists.
        eligible: How many passed every hard constraint.
        warnings: How many warnings the evaluation gave.
        winner_acceptability: The share of sampled weightings under which the winner
            ranks first (``None`` without a seed).
        seed: The seed the scenario was evaluated with (see :func:`scenario_seed`).
        error: Why the scenario could not be read or evaluated; ``None`` when it was.
            A failed row has only its name (and seed) besides.
    """

    name: str
    title: str | None = None
    sponsor: str | None = None
    study: str | None = None
    currency: str | None = None
    winner: str | None = None
    winner_name: str | None = None
    winner_total: Money | None = None
    cost_per_patient: Money | None = None
    candidates: int = 0
    eligible: int = 0
    warnings: int = 0
    winner_acceptability: float | None = None
    seed: int | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the scenario was read and evaluated."""
        return self.error is None

    def to_record(self) -> dict[str, JsonValue]:
        """The row as a JSON-safe dict: amounts as exact decimal text, keys in :data:`COLUMNS` order."""
        record: dict[str, JsonValue] = {}
        for column in COLUMNS:
            value = getattr(self, column)
            record[column] = str(value.amount) if isinstance(value, Money) else value
        return record


def row_from_evaluation(name: str, evaluation: Evaluation, *, seed: int | None) -> PortfolioRow:
    """The portfolio row of one evaluated scenario."""
    winner = evaluation.candidate(evaluation.winner) if evaluation.winner is not None else None
    acceptability = None
    if winner is not None:
        for row in evaluation.ranking.acceptability:
            if row.candidate == winner.id and row.by_rank:
                acceptability = row.by_rank[0]
    return PortfolioRow(
        name=name,
        title=evaluation.title,
        sponsor=evaluation.sponsor,
        study=evaluation.study.name,
        currency=evaluation.currency,
        winner=winner.id if winner else None,
        winner_name=winner.name if winner else None,
        winner_total=winner.budget.total if winner and winner.budget else None,
        cost_per_patient=winner.cost_per_patient if winner else None,
        candidates=len(evaluation.candidates),
        eligible=sum(1 for result in evaluation.candidates if result.eligible),
        warnings=len(evaluation.warnings),
        winner_acceptability=acceptability,
        seed=seed,
    )


@attrs.frozen(kw_only=True, field_transformer=typed_fields, repr=False)
class Portfolio:
    """The result of :func:`~crokit.portfolio.evaluate_portfolio`: one row per scenario, in input order.

    Attributes:
        rows: One row per scenario, in the order the scenarios were given (a folder's
            files in name order).
        seed: The base seed the scenarios' seeds were derived from, if any.
    """

    rows: tuple[PortfolioRow, ...] = attrs.field(converter=to_tuple)
    seed: int | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        """A one-line summary (the full content: ``attrs.asdict(self)``)."""
        return _text.summary(
            "Portfolio", _text.count(len(self.rows), "row"), f"{len(self.failed)} failed", f"seed={self.seed!r}"
        )

    def __iter__(self) -> Iterator[PortfolioRow]:
        return iter(self.rows)

    @property
    def failed(self) -> tuple[PortfolioRow, ...]:
        """The rows of the scenarios that could not be read or evaluated."""
        return tuple(row for row in self.rows if row.error is not None)

    def totals(self) -> tuple[Money, ...]:
        """The winners' totals added up per currency, in currency-code order (exact, not converted)."""
        by_currency: dict[str, list[Money]] = {}
        for row in self.rows:
            if row.winner_total is not None:
                by_currency.setdefault(row.winner_total.currency, []).append(row.winner_total)
        return tuple(total(amounts, currency=code) for code, amounts in sorted(by_currency.items()))

    def to_records(self) -> list[dict[str, JsonValue]]:
        """One JSON-safe dict per row (see :meth:`PortfolioRow.to_record`)."""
        return [row.to_record() for row in self.rows]

    def to_dataframe(self) -> pd.DataFrame:
        """A pandas DataFrame, one row per scenario (see :func:`crokit.portfolio.to_dataframe`)."""
        from crokit.portfolio._render import to_dataframe

        return to_dataframe(self)
