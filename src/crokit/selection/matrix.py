"""The decision matrix: alternatives scored on criteria, and the weights of the criteria.

A :class:`DecisionMatrix` holds one row of scores per alternative (a candidate CRO)
and one column per :class:`Criterion`. Each criterion is either a benefit (more is
better, such as a quality score) or a cost (less is better, such as a price).
Scores are floats: this is decision math, not money. Inputs may be ``int``,
``float``, ``Decimal``, ``Fraction`` or text such as ``"2.5"`` or ``"1/3"``; NaN,
infinities and bools are refused with a :class:`~crokit.errors.ValidationError` whose
path names the cell.

>>> matrix = DecisionMatrix(
...     alternatives=("acme", "bolt"),
...     criteria=(Criterion(id="quality"), Criterion(id="price", direction=Direction.COST)),
...     scores=((8, "1200"), (6, "900")),
... )
>>> matrix.scores
((8.0, 1200.0), (6.0, 900.0))
>>> normalize_weights({"quality": 3, "price": 1}, matrix.criteria).values
(0.75, 0.25)
"""

from __future__ import annotations

import enum
import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

import attrs

from crokit._typed import typed_fields
from crokit.errors import UnknownIdError, ValidationError

__all__ = [
    "Criterion",
    "DecisionMatrix",
    "Direction",
    "NormalizedWeights",
    "Number",
    "normalize_weights",
    "to_float",
]

Number = int | float | str | Decimal | Fraction
"""What the decision math accepts as a score, a weight or a pairwise judgement."""

_MAX_TEXT = 100


def to_float(value: object, *, path: str, what: str = "number") -> float:
    """Convert *value* to a finite float, or raise with *path* in the message.

    Accepts ``int``, ``float``, ``Decimal``, ``Fraction`` (any real number except
    ``bool``) and text such as ``"2.5"`` or ``"1/3"``.

    Raises:
        ValidationError: For bools, text that is not a number, other types, NaN and
            infinities.

    >>> to_float("1/4", path="weights[0]")
    0.25
    >>> to_float(float("nan"), path="scores[0][1]")
    Traceback (most recent call last):
    ...
    crokit.errors.ValidationError: scores[0][1]: expected a finite number, got nan
    """
    if isinstance(value, bool):
        raise ValidationError.at(path, f"expected a {what}, got the bool {value!r}")
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) > _MAX_TEXT:
                raise ValueError(text)  # noqa: TRY301 - one refusal message for all bad text
            result = float(Fraction(text))
        except (ValueError, ZeroDivisionError, OverflowError):
            raise ValidationError.at(
                path, f"expected a {what} such as '2.5' or '1/3', got the text {value!r}"
            ) from None
    elif isinstance(value, Decimal | numbers.Real):
        try:
            result = float(value)
        except (OverflowError, ValueError):  # huge integers; signalling NaN decimals
            raise ValidationError.at(path, f"expected a finite number, got {value!r}") from None
    else:
        raise ValidationError.at(path, f"expected a {what}, got {type(value).__name__} {value!r}")
    if not math.isfinite(result):
        raise ValidationError.at(path, f"expected a finite number, got {value!r}")
    return result


class Direction(enum.Enum):
    """Whether more of a criterion is better (``BENEFIT``) or worse (``COST``)."""

    BENEFIT = "benefit"
    COST = "cost"


def _direction(value: Direction | str) -> Direction:
    if isinstance(value, Direction):
        return value
    try:
        return Direction(value)
    except ValueError:
        raise ValidationError.at("direction", f"expected 'benefit' or 'cost', got {value!r}") from None


def _id_text(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError.at(attribute.name, f"expected a non-empty text id, got {value!r}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Criterion:
    """One column of a decision matrix.

    Attributes:
        id: The criterion's id, unique within its matrix (``"quality"``).
        direction: :attr:`Direction.BENEFIT` (more is better, the default) or
            :attr:`Direction.COST` (less is better); ``"benefit"``/``"cost"`` also work.
    """

    id: str = attrs.field(validator=_id_text)
    direction: Direction = attrs.field(default=Direction.BENEFIT, converter=_direction)


def _texts(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _criteria(value: Iterable[Criterion | str]) -> tuple[Criterion, ...]:
    return tuple(Criterion(id=item) if isinstance(item, str) else item for item in value)


def _scores(value: Iterable[Iterable[object]]) -> tuple[tuple[float, ...], ...]:
    rows: list[tuple[float, ...]] = []
    for i, row in enumerate(value):
        if isinstance(row, str | bytes) or not isinstance(row, Iterable):
            raise ValidationError.at(f"scores[{i}]", f"expected a row of scores, got {row!r}")
        rows.append(tuple(to_float(x, path=f"scores[{i}][{j}]", what="score") for j, x in enumerate(row)))
    return tuple(rows)


def _check_ids(kind: str, path: str, ids: Sequence[object]) -> None:
    if not ids:
        raise ValidationError.at(path, f"expected at least one {kind}, got none")
    seen: dict[object, int] = {}
    for index, item in enumerate(ids):
        if not isinstance(item, str) or not item.strip():
            raise ValidationError.at(f"{path}[{index}]", f"expected a non-empty text id, got {item!r}")
        if item in seen:
            raise ValidationError.at(
                f"{path}[{index}]", f"duplicate {kind} id {item!r}: already given at {path}[{seen[item]}]"
            )
        seen[item] = index


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class DecisionMatrix:
    """Scores of each alternative (row) on each criterion (column).

    Attributes:
        alternatives: Ids of the alternatives, unique, in display order.
        criteria: The criteria, unique by id; a plain text id means a benefit criterion.
        scores: One row per alternative, one finite score per criterion.

    Raises:
        ValidationError: For an empty matrix, a repeated or blank id (path
            ``alternatives[3]`` or ``criteria[1]``), a row of the wrong length
            (``scores[2]``) or a score that is not a finite number (``scores[2][0]``).
    """

    alternatives: tuple[str, ...] = attrs.field(converter=_texts)
    criteria: tuple[Criterion, ...] = attrs.field(converter=_criteria)
    scores: tuple[tuple[float, ...], ...] = attrs.field(converter=_scores)

    def __attrs_post_init__(self) -> None:
        """Check ids and the shape of the scores."""
        _check_ids("alternative", "alternatives", self.alternatives)
        for index, criterion in enumerate(self.criteria):
            if not isinstance(criterion, Criterion):
                raise ValidationError.at(f"criteria[{index}]", f"expected a Criterion or a text id, got {criterion!r}")
        _check_ids("criterion", "criteria", self.criterion_ids)
        if len(self.scores) != len(self.alternatives):
            raise ValidationError.at(
                "scores",
                f"expected one row per alternative ({len(self.alternatives)} rows), got {len(self.scores)} rows",
            )
        for i, row in enumerate(self.scores):
            if len(row) != len(self.criteria):
                raise ValidationError.at(
                    f"scores[{i}]",
                    f"expected one score per criterion ({len(self.criteria)} scores), got {len(row)}",
                )

    @property
    def criterion_ids(self) -> tuple[str, ...]:
        """The criteria's ids, in column order."""
        return tuple(c.id for c in self.criteria)

    @property
    def shape(self) -> tuple[int, int]:
        """``(number of alternatives, number of criteria)``."""
        return (len(self.alternatives), len(self.criteria))


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class NormalizedWeights:
    """Criterion weights scaled to sum to 1, in the criteria's column order.

    Attributes:
        values: One non-negative weight per criterion; they sum to 1.
        given_sum: The sum of the weights as given.
        was_normalized: Whether the given weights had to be rescaled (their sum was
            not 1 within 1e-9).
    """

    values: tuple[float, ...]
    given_sum: float
    was_normalized: bool


def normalize_weights(weights: Mapping[str, Number], criteria: Iterable[Criterion]) -> NormalizedWeights:
    """Check *weights* (criterion id to weight) and scale them to sum to 1.

    Every criterion needs a weight; give ``0`` to ignore one.

    Raises:
        UnknownIdError: For a weight of a criterion that is not in *criteria*.
        ValidationError: For a missing criterion, a weight that is not a finite number,
            a negative weight, or weights that are all zero.

    >>> normalize_weights({"a": 1, "b": "0.5", "c": 0.5}, [Criterion(id=i) for i in "abc"])
    NormalizedWeights(values=(0.5, 0.25, 0.25), given_sum=2.0, was_normalized=True)
    """
    ids = [c.id for c in criteria]
    if not isinstance(weights, Mapping):
        raise ValidationError.at("weights", f"expected a mapping of criterion id to weight, got {weights!r}")
    for key in weights:
        if key not in ids:
            raise UnknownIdError("criterion", str(key), choices=ids, path=f"weights[{key!r}]")
    missing = [cid for cid in ids if cid not in weights]
    if missing:
        raise ValidationError.at(
            "weights",
            "expected a weight for every criterion (give 0 to ignore one), missing "
            + ", ".join(repr(m) for m in missing),
        )
    values: list[float] = []
    for cid in ids:
        value = to_float(weights[cid], path=f"weights[{cid!r}]", what="weight")
        if value < 0:
            raise ValidationError.at(f"weights[{cid!r}]", f"expected a weight of 0 or more, got {weights[cid]!r}")
        values.append(value)
    try:
        total = math.fsum(values)
    except OverflowError:  # finite weights whose sum is beyond the largest float
        raise ValidationError.at("weights", "the weights are too large to add up; scale them down") from None
    if total <= 0:
        raise ValidationError.at("weights", "expected at least one positive weight, got all zero")
    normalized = tuple(v / total for v in values)
    return NormalizedWeights(values=normalized, given_sum=total, was_normalized=abs(total - 1.0) > 1e-9)  # noqa: PLR2004
