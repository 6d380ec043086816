"""The data of a CRO selection: candidate inputs, settings and the ranking.

The models :func:`crokit.selection.select` reads and returns; :mod:`crokit.selection`
and :mod:`crokit.selection.ranking` re-export them. Every model is a frozen, keyword-only attrs
value of plain fields, so it serialises with :mod:`crokit.serialization`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

import attrs

from crokit import _text, _views
from crokit._convert import to_tuple
from crokit._decimal import to_decimal
from crokit._typed import typed_fields
from crokit._validators import whole_number
from crokit.errors import ValidationError
from crokit.pricing.budget import Budget
from crokit.provider import CroProfile
from crokit.selection._scoring import NORMALISATIONS
from crokit.selection.constraints import Constraints
from crokit.selection.due_diligence import DueDiligence
from crokit.selection.matrix import to_float
from crokit.selection.methods import METHODS
from crokit.selection.rules import CriterionScore, SponsorPreferences
from crokit.vocabulary.criteria import BUILTIN_CRITERIA, CriterionId

if TYPE_CHECKING:
    import pandas as pd

    from crokit._views import JsonValue, Numeric

__all__ = [
    "AcceptabilityRow",
    "CandidateInput",
    "Consistency",
    "DEFAULT_CRITERIA",
    "Exclusion",
    "Interval",
    "PRODUCT_FLOOR",
    "Ranking",
    "Scorecard",
    "SelectionSettings",
    "normalisation_note",
]

DEFAULT_CRITERIA: Final[tuple[str, ...]] = tuple(c.id for c in BUILTIN_CRITERIA)
"""The five built-in criteria, in the brief's order."""
PRODUCT_FLOOR: Final = 0.01
"""Under the weighted product a criterion score of 0 is raised to this (a warning says so)."""


def _decimal_pairs(
    value: Iterable[tuple[str, Decimal | int | str]] | Mapping[str, Decimal | int | str],
) -> tuple[tuple[str, Decimal], ...]:
    pairs: list[tuple[str, Decimal]] = []
    items = value.items() if isinstance(value, Mapping) else value  # {id: weight} for ((id, weight), ...)
    for index, pair in enumerate(items):
        raw: object = pair
        if not isinstance(raw, tuple | list) or len(raw) != 2:  # noqa: PLR2004 - a pair
            raise ValidationError.at(f"[{index}]", f"expected a (criterion id, number) pair, got {pair!r}")
        pairs.append((pair[0], to_decimal(pair[1], what="number")))
    return tuple(pairs)


def _cell(value: Decimal | int | str) -> str:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise ValidationError.at("pairwise", f"expected a judgement such as 3, '3' or '1/3', got {value!r}")
    return value.strip() if isinstance(value, str) else str(value)


def _pairwise(value: Iterable[Iterable[Decimal | int | str]] | None) -> tuple[tuple[str, ...], ...] | None:
    return None if value is None else tuple(tuple(_cell(cell) for cell in row) for row in value)


def _contributions(value: Iterable[tuple[object, object]]) -> tuple[tuple[str, float], ...]:
    pairs: list[tuple[str, float]] = []
    for index, (key, number) in enumerate(value):
        if not isinstance(key, str):
            raise ValidationError.at(f"contributions[{index}]", f"expected a criterion id, got {key!r}")
        pairs.append((key, to_float(number, path=f"contributions[{index}]")))
    return tuple(pairs)


def _pair_ids(_instance: object, attribute: attrs.Attribute[Any], value: tuple[tuple[object, object], ...]) -> None:
    seen: dict[str, int] = {}
    for index, (key, _) in enumerate(value):
        if not isinstance(key, str) or not key:
            raise ValidationError.at(f"{attribute.name}[{index}]", f"expected a criterion id, got {key!r}")
        if key in seen:
            raise ValidationError.at(
                f"{attribute.name}[{index}]", f"{key!r} is already given at {attribute.name}[{seen[key]}]"
            )
        seen[key] = index


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class CandidateInput:
    """One candidate CRO, as :func:`select` takes it.

    Attributes:
        profile: The candidate's profile.
        budget: Its quoted budget for the study (see :mod:`crokit.pricing`), if any.
        due_diligence: Its due-diligence answers, if any.
        manual_scores: ``(criterion id, score from 0 to 1)`` pairs for criteria scored by
            hand; a manual score replaces the criterion's rule for this candidate. In
            files the scores are written as text (``"0.7"``).
    """

    profile: CroProfile = attrs.field(validator=attrs.validators.instance_of(CroProfile))
    budget: Budget | None = attrs.field(default=None)
    due_diligence: DueDiligence | None = attrs.field(default=None)
    manual_scores: tuple[tuple[str, Decimal], ...] = attrs.field(
        default=(), converter=_decimal_pairs, validator=_pair_ids
    )

    @property
    def id(self) -> str:
        """The candidate's id (its profile's)."""
        return self.profile.id


def _method(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value not in METHODS:
        raise ValidationError.at(
            attribute.name, f"expected one of {', '.join(repr(m) for m in METHODS)}, got {value!r}"
        )


def _normalisation(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value not in NORMALISATIONS:
        raise ValidationError.at(
            attribute.name, f"expected one of {', '.join(repr(n) for n in NORMALISATIONS)}, got {value!r}"
        )


def normalisation_note(method: str, normalisation: str) -> str:
    """One sentence naming the normalisation a ranking used, for reports.

    >>> normalisation_note("weighted-sum", "absolute")
    "absolute: each criterion's 0..1 score is used as it is, so a candidate's score does not depend on the others"
    """
    if method == "weighted-product":
        return "ratio to the best: each score divided by the best candidate's (the weighted product's own scale)"
    if method == "topsis":
        return "vector: each column divided by its Euclidean norm (TOPSIS's own scale)"
    if normalisation == "min-max":
        return (
            "min-max: each criterion rescaled from the worst eligible candidate (0) to the best (1), "
            "so scores depend on who else is compared"
        )
    return (
        "absolute: each criterion's 0..1 score is used as it is, so a candidate's score does not depend on the others"
    )


def _criteria(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    if not value:
        raise ValidationError.at(attribute.name, "expected at least one criterion")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise ValidationError.at(f"{attribute.name}[{index}]", f"expected a criterion id, got {item!r}")
        if item in value[:index]:
            raise ValidationError.at(f"{attribute.name}[{index}]", f"{item!r} is listed more than once")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class SelectionSettings:
    """How to choose: the method, the criteria, their weights and the constraints.

    Attributes:
        method: ``"weighted-sum"``, ``"weighted-product"`` or ``"topsis"``.
        criteria: Criterion ids, in column order (default: the five built-ins).
        weights: ``(criterion id, weight)`` pairs, one per criterion, 0 or more, not all
            0; normalised to sum to 1. Empty means equal weights (or ``pairwise``).
            A mapping ``{criterion id: weight}`` is accepted too (a table in files).
        pairwise: AHP judgements over ``criteria`` in order (row i, column j: how many
            times more important criterion i is than j), as numbers or text such as
            ``"1/3"``; kept as text (write them as strings in files).
        constraints: The hard constraints.
        preferences: What the scoring rules read of the sponsor's wishes.
        samples: Weight vectors drawn for rank acceptability.
        normalisation: How the weighted sum puts the criteria on one scale:
            ``"absolute"`` (the default) uses each criterion's 0..1 score as it is, so
            adding or removing a candidate never changes another's criterion
            contributions (pricing fit excepted: it compares prices); ``"min-max"``
            rescales each criterion from the worst eligible candidate (0) to the best
            (1). The weighted product and TOPSIS always use their own normalisation.
    """

    method: str = attrs.field(default="weighted-sum", validator=_method)
    criteria: tuple[CriterionId, ...] = attrs.field(default=DEFAULT_CRITERIA, converter=to_tuple, validator=_criteria)
    weights: tuple[tuple[str, Decimal], ...] = attrs.field(default=(), converter=_decimal_pairs, validator=_pair_ids)
    pairwise: tuple[tuple[str, ...], ...] | None = attrs.field(default=None, converter=_pairwise)
    constraints: Constraints = attrs.field(factory=Constraints, validator=attrs.validators.instance_of(Constraints))
    preferences: SponsorPreferences = attrs.field(
        factory=SponsorPreferences, validator=attrs.validators.instance_of(SponsorPreferences)
    )
    samples: int = attrs.field(default=2000, validator=whole_number(1, 1_000_000))
    normalisation: str = attrs.field(default="absolute", validator=_normalisation)

    def __attrs_post_init__(self) -> None:
        """Refuse weights and pairwise judgements given together, and a ceiling constraint without a ceiling."""
        if self.weights and self.pairwise is not None:
            raise ValidationError.at("pairwise", "give weights or pairwise judgements, not both")
        if self.constraints.within_budget_ceiling and self.preferences.budget_ceiling is None:
            raise ValidationError.at(
                "constraints.within_budget_ceiling",
                "there is no budget ceiling to stay within: set preferences.budget_ceiling",
            )


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Consistency:
    """How consistent AHP pairwise judgements are (Saaty).

    Attributes:
        lambda_max: The principal eigenvalue.
        ci: The consistency index ``(lambda_max - n) / (n - 1)``.
        cr: The consistency ratio ``CI / RI``, or ``None`` for n <= 2.
        acceptable: Whether the CR is at most 0.10.
    """

    lambda_max: float
    ci: float
    acceptable: bool
    cr: float | None = None


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Exclusion:
    """A candidate left out by the constraints, with every reason."""

    candidate: str
    name: str
    reasons: tuple[str, ...] = attrs.field(converter=to_tuple)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Interval:
    """How far one criterion's weight can move before the winner changes (see :func:`weight_intervals`)."""

    criterion: str
    current: float
    low: float
    high: float
    explanation: str
    below: str | None = None
    above: str | None = None


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class AcceptabilityRow:
    """One candidate's SMAA-2 rank acceptabilities: the share of weightings giving it each rank (rank 1 first)."""

    candidate: str
    by_rank: tuple[float, ...] = attrs.field(converter=to_tuple)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Scorecard:
    """One eligible candidate's result.

    Attributes:
        candidate: Its id.
        name: Its name.
        rank: Its rank (1 best; tied candidates share a rank).
        score: The method's score.
        contributions: ``(criterion id, contribution)`` per criterion: the weighted
            normalised score (weighted sum, TOPSIS) or the factor ``r ** w`` (weighted product).
        criterion_scores: Its 0..1 score on each criterion, with how it was computed.
        unanswered: Due-diligence questions of the scored criteria it left unanswered.
    """

    candidate: str
    name: str
    rank: int
    score: float
    contributions: tuple[tuple[str, float], ...] = attrs.field(converter=_contributions)
    criterion_scores: tuple[CriterionScore, ...] = attrs.field(converter=to_tuple)
    unanswered: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)


@attrs.frozen(kw_only=True, field_transformer=typed_fields, repr=False)
class Ranking:
    """The outcome of :func:`select`. Every number is a plain float; it serialises as data.

    Attributes:
        method: The scoring method's name.
        criteria: The criteria, in column order.
        weights: The normalised weights, in criteria order.
        weights_note: Where the weights came from and how they were normalised.
        consistency: The AHP consistency, when the weights come from pairwise judgements.
        scorecards: The eligible candidates, best first.
        excluded: The candidates the constraints left out, with every reason.
        winner: The first candidate's id, or ``None`` if none is eligible.
        ties: Groups of candidates with equal scores, best group first.
        intervals: Weight intervals per criterion (empty with fewer than 2 eligible candidates).
        acceptability: Rank acceptabilities per eligible candidate, best rank first (the
            scorecards' order; empty without a seed).
        seed: The seed of the acceptability sampling, if any.
        samples: The number of weightings sampled (as asked, even if none were drawn).
        explanation: Why the winner won and how robust the win is, in a few sentences.
        warnings: Things to look at (inconsistent AHP judgements, unanswered questions, ...).
        normalisation: The normalisation used: ``"absolute"`` or ``"min-max"`` for the
            weighted sum, ``"ratio"`` for the weighted product, ``"vector"`` for TOPSIS.
        normalisation_note: The same in one sentence (see :func:`normalisation_note`).
    """

    method: str
    criteria: tuple[str, ...] = attrs.field(converter=to_tuple)
    weights: tuple[float, ...] = attrs.field(converter=to_tuple)
    weights_note: str
    scorecards: tuple[Scorecard, ...] = attrs.field(converter=to_tuple)
    excluded: tuple[Exclusion, ...] = attrs.field(converter=to_tuple)
    samples: int
    explanation: str
    consistency: Consistency | None = None
    winner: str | None = None
    ties: tuple[tuple[str, ...], ...] = ()
    intervals: tuple[Interval, ...] = ()
    acceptability: tuple[AcceptabilityRow, ...] = ()
    seed: int | None = None
    warnings: tuple[str, ...] = ()
    normalisation: str = "absolute"
    normalisation_note: str = ""

    def to_records(self) -> list[dict[str, JsonValue]]:
        """One JSON-safe dict per candidate, eligible ones first (see :func:`crokit.dataframe.to_records`)."""
        return _views.records(self)

    def to_dataframe(self, *, numeric: Numeric = "decimal") -> pd.DataFrame:
        """A pandas DataFrame, eligible candidates first (see :func:`crokit.dataframe.to_dataframe`)."""
        return _views.dataframe(self, numeric=numeric)

    def _repr_html_(self) -> str:
        """An HTML table for notebooks (see :func:`crokit.display.ranking_html`)."""
        return _views.html(self)

    def _repr_markdown_(self) -> str:
        """A Markdown table for notebooks (see :func:`crokit.display.ranking_markdown`)."""
        return _views.markdown(self)

    def __repr__(self) -> str:
        """A one-line summary (the full content: ``attrs.asdict(self)`` or ``crokit.dumps(self)``)."""
        return _text.summary(
            "Ranking",
            f"method={self.method!r}",
            _text.count(len(self.criteria), "criterion", "criteria"),
            f"{len(self.scorecards)} ranked",
            f"{len(self.excluded)} excluded",
            f"winner={self.winner!r}",
            f"seed={self.seed!r}",
        )
