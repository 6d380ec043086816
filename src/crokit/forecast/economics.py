"""Programme economics: likelihood of approval, risk-adjusted cost and expected NPV of a development programme.

**Likelihood of approval** (LoA) from Phase 1 is the product of the four
phase-transition probabilities (Phase 1 to 2, 2 to 3, 3 to submission, submission to
approval), as the BIO reports define it. :func:`likelihood_of_approval` reads the four
published transition rates of an area from crokit's shipped reference data
(:mod:`crokit.reference`: BIO 2021 by default, or BIO 2016) and multiplies them
exactly in :class:`~decimal.Decimal`; the published (rounded) LoA is kept beside it, so
both can be shown: BIO 2021's all-areas rates multiply to 0.0787 where the report prints
7.9%.

**Stage gates**: a study of a programme that starts at stage ``s0`` is run only if the
programme gets through every gate before the study's stage, so its probability of
being run is the product of the transition probabilities from ``s0`` up to its stage
(1 for a study of the starting stage). Its **risk-adjusted (expected) cost** is its
cost times that probability; the programme's is the sum.

**Expected NPV**: each dated cash flow (signed: money out negative, money in positive)
is weighted by the probability of reaching its stage and discounted at an effective
annual rate with the ACT/365 fixed day count, ``(1 + rate) ** (-days / 365)``, as
:meth:`crokit.schedule.PaymentSchedule.npv` does (the same :data:`DAYS_PER_YEAR`).

**Rounding**: probabilities stay exact Decimals (products of the published figures);
every product and sum is computed in crokit's 34-digit decimal context and each money
result is rounded once, at the end, half-even to the currency's minor unit.

>>> from crokit import Money, Stage
>>> loa = likelihood_of_approval("all")
>>> loa.probability, loa.published
(Decimal('0.078696827040'), Decimal('0.079'))
>>> programme = Programme(
...     transitions=loa.transitions,
...     studies=(ProgrammeStudy(name="FIH", stage=Stage.PHASE_1, cost=Money("4000000", "USD")),
...              ProgrammeStudy(name="POC", stage=Stage.PHASE_2, cost=Money("10000000", "USD"))),
... )
>>> str(expected_cost(programme))
'9200000.00 USD'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Final

import attrs

from crokit._decimal import CONTEXT, in_crokit_context, to_decimal
from crokit._members import as_member
from crokit._typed import typed_fields
from crokit._validators import is_date, money_at_least_zero, non_empty_text
from crokit.errors import CurrencyMismatchError, UnknownIdError, ValidationError
from crokit.money import Money, RoundingPolicy
from crokit.reference import BenchmarkTable, Figure, load_published
from crokit.registry import Registry
from crokit.schedule.payments import DAYS_PER_YEAR
from crokit.vocabulary.lifecycle import Stage

__all__ = [
    "GATES",
    "CashFlowItem",
    "LikelihoodOfApproval",
    "PhaseTransitions",
    "Programme",
    "ProgrammeStudy",
    "RiskAdjustedCost",
    "expected_cost",
    "expected_npv",
    "likelihood_of_approval",
    "risk_adjusted_costs",
]

GATES: Final = (Stage.PHASE_1, Stage.PHASE_2, Stage.PHASE_3, Stage.SUBMISSION)
"""The stages whose end is a published transition, in order (BIO's four phase transitions)."""

_POSITION: Final = {
    Stage.PHASE_1: 0,
    Stage.PHASE_2: 1,
    Stage.PHASE_3: 2,
    Stage.SUBMISSION: 3,
    Stage.APPROVAL: 4,
    Stage.PHASE_4: 4,
}
"""How many gates lie before each stage a programme study may be at (Phase 4 follows approval)."""


def _probability(value: object) -> Decimal:
    return to_decimal(value, what="probability")


def _unit_interval(_instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if not Decimal(0) <= value <= Decimal(1):
        raise ValidationError.at(attribute.name, f"expected a probability from 0 to 1, got {value}")


def _as_stage(value: object) -> object:
    """A converter: text (the value or name) to a Stage member."""
    return as_member(Stage, value)


def _stage(value: object, path: str) -> Stage:
    if not isinstance(value, Stage) or value not in _POSITION:
        allowed = ", ".join(stage.value for stage in _POSITION)
        raise ValidationError.at(
            path,
            f"expected one of the stages {allowed}, got {value!r} (published transition rates exist only for "
            "these; combined phases such as Phase 2/3 have none)",
        )
    return value


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class PhaseTransitions:
    """The four phase-transition probabilities of a programme, exact.

    Attributes:
        phase_1: Phase 1 to Phase 2.
        phase_2: Phase 2 to Phase 3.
        phase_3: Phase 3 to submission.
        submission: Submission to approval.
        source: Where they come from (a citation, or ``"user"``).

    >>> t = PhaseTransitions(phase_1="0.5", phase_2="0.4", phase_3="0.5", submission="0.9")
    >>> t.likelihood_of_approval
    Decimal('0.0900')
    """

    phase_1: Decimal = attrs.field(converter=_probability, validator=_unit_interval)
    phase_2: Decimal = attrs.field(converter=_probability, validator=_unit_interval)
    phase_3: Decimal = attrs.field(converter=_probability, validator=_unit_interval)
    submission: Decimal = attrs.field(converter=_probability, validator=_unit_interval)
    source: str = attrs.field(default="user", validator=non_empty_text)

    @property
    def rates(self) -> tuple[Decimal, Decimal, Decimal, Decimal]:
        """The four probabilities in lifecycle order."""
        return (self.phase_1, self.phase_2, self.phase_3, self.submission)

    @property
    def likelihood_of_approval(self) -> Decimal:
        """The product of the four probabilities, exact."""
        return self.probability_of_reaching(Stage.APPROVAL)

    def probability_of_reaching(self, stage: Stage, *, start: Stage = Stage.PHASE_1) -> Decimal:
        """The probability that a programme at *start* reaches *stage*: the product of the gates between.

        Raises:
            ValidationError: At ``stage`` or ``start`` for a stage without published
                transitions, or at ``stage`` for a stage before *start*.
        """
        to = _POSITION[_stage(stage, "stage")]
        begin = _POSITION[_stage(start, "start")]
        if to < begin:
            raise ValidationError.at("stage", f"{stage} comes before the programme's start ({start})")
        result = Decimal(1)
        for rate in self.rates[begin:to]:
            result = CONTEXT.multiply(result, rate)
        return result


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class LikelihoodOfApproval:
    """An area's likelihood of approval computed from its published phase-transition figures.

    Attributes:
        area: The area as asked (``"all"``, ``"oncology"``, ...).
        steps: The four transition figures, Phase 1 to approval, with their citations.
        published_figure: The LoA figure the source prints, if it gives one (its value is :attr:`published`).
    """

    area: str
    steps: tuple[Figure, Figure, Figure, Figure]
    published_figure: Figure | None = None

    @property
    def transitions(self) -> PhaseTransitions:
        """The four probabilities as :class:`PhaseTransitions`, citing the source."""
        values = [step.value for step in self.steps]
        if any(value is None for value in values):  # pragma: no cover - transition figures always have a value
            raise ValidationError.at("steps", "a transition figure has no value")
        phase_1, phase_2, phase_3, submission = (Decimal(0) if value is None else value for value in values)
        return PhaseTransitions(
            phase_1=phase_1, phase_2=phase_2, phase_3=phase_3, submission=submission, source=self.steps[0].source.short
        )

    @property
    def probability(self) -> Decimal:
        """The product of the four published transition probabilities, exact."""
        return self.transitions.likelihood_of_approval

    @property
    def published(self) -> Decimal | None:
        """The rounded LoA as published, or ``None``."""
        return None if self.published_figure is None else self.published_figure.value

    @property
    def caveats(self) -> tuple[str, ...]:
        """The caveats of any transcribed figure used (show them with the result)."""
        figures = [*self.steps, *([self.published_figure] if self.published_figure else [])]
        return tuple(dict.fromkeys(caveat for figure in figures if (caveat := figure.caveat)))


def likelihood_of_approval(
    area: str | None = "all",
    source: str = "bio-2021",
    *,
    table: BenchmarkTable | None = None,
    registry: Registry | None = None,
) -> LikelihoodOfApproval:
    """The LoA of *area* from *source*'s transition figures (crokit's published table by default).

    Raises:
        UnknownIdError: For an unknown area or source.
        ValidationError: If the source has no transition figures for the area.

    >>> likelihood_of_approval("oncology", "bio-2016").probability
    Decimal('0.051046542912')
    """
    table = load_published() if table is None else table
    steps = tuple(table.transition_probability(stage, area, source, registry=registry) for stage in GATES)
    published: Figure | None
    try:
        published = table.likelihood_of_approval(area, source, registry=registry)
    except (ValidationError, UnknownIdError):  # the table has no LoA figure for the area or source
        published = None
    return LikelihoodOfApproval(
        area="all" if area is None else area, steps=(steps[0], steps[1], steps[2], steps[3]), published_figure=published
    )


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ProgrammeStudy:
    """A study of a programme: what it costs and at which stage it runs.

    Attributes:
        name: What the study is (``"Phase 2 proof of concept"``).
        stage: Its stage: Phase 1, 2, 3, submission, approval or Phase 4.
        cost: Its cost (at least 0).
    """

    name: str = attrs.field(validator=non_empty_text)
    stage: Stage = attrs.field(converter=_as_stage, validator=lambda _i, a, v: _stage(v, a.name))
    cost: Money = attrs.field(validator=money_at_least_zero)


def _money(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Money):
        raise ValidationError.at(attribute.name, f"expected Money, got {value!r}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class CashFlowItem:
    """A dated cash flow of a programme, signed from the sponsor's side (out negative, in positive).

    Attributes:
        on: The date it is paid or received.
        amount: The amount.
        stage: The stage it belongs to (it happens only if the programme reaches it).
        description: What it is.
    """

    on: dt.date = attrs.field(validator=is_date)
    amount: Money = attrs.field(validator=_money)
    stage: Stage = attrs.field(converter=_as_stage, validator=lambda _i, a, v: _stage(v, a.name))
    description: str = ""


def _items(kind: type) -> Any:
    def check(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple):
            raise ValidationError.at(attribute.name, f"expected a tuple of {kind.__name__}, got {value!r}")
        for index, item in enumerate(value):
            if not isinstance(item, kind):
                raise ValidationError.at(f"{attribute.name}[{index}]", f"expected a {kind.__name__}, got {item!r}")

    return check


def _to_tuple(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Programme:
    """A development programme: its transition probabilities, starting stage, studies and cash flows.

    Attributes:
        transitions: The phase-transition probabilities (from :func:`likelihood_of_approval`
            or your own).
        start: The stage the programme is at now (default Phase 1).
        studies: Its studies; none may be before *start*.
        cash_flows: Dated cash flows for the expected NPV; none may be before *start*'s stage.
    """

    transitions: PhaseTransitions = attrs.field(validator=attrs.validators.instance_of(PhaseTransitions))
    start: Stage = attrs.field(default=Stage.PHASE_1, converter=_as_stage, validator=lambda _i, a, v: _stage(v, a.name))
    studies: tuple[ProgrammeStudy, ...] = attrs.field(default=(), converter=_to_tuple, validator=_items(ProgrammeStudy))
    cash_flows: tuple[CashFlowItem, ...] = attrs.field(default=(), converter=_to_tuple, validator=_items(CashFlowItem))

    def __attrs_post_init__(self) -> None:
        """Refuse studies and cash flows of stages before the start."""
        stages = [(f"studies[{index}]", item.stage) for index, item in enumerate(self.studies)]
        stages += [(f"cash_flows[{index}]", item.stage) for index, item in enumerate(self.cash_flows)]
        for path, stage in stages:
            if _POSITION[stage] < _POSITION[self.start]:
                raise ValidationError.at(f"{path}.stage", f"{stage} comes before the programme's start ({self.start})")

    def probability_of_reaching(self, stage: Stage) -> Decimal:
        """The probability the programme reaches *stage* from its start."""
        return self.transitions.probability_of_reaching(stage, start=self.start)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class RiskAdjustedCost:
    """One study's cost weighted by the probability that the programme runs it.

    Attributes:
        study: The study.
        probability: The probability of reaching its stage (exact).
        expected: ``cost x probability``, exact (not rounded).
    """

    study: ProgrammeStudy
    probability: Decimal
    expected: Money


@in_crokit_context
def risk_adjusted_costs(programme: Programme) -> tuple[RiskAdjustedCost, ...]:
    """Each study's cost times the probability of reaching its stage, exact, in study order."""
    return tuple(
        RiskAdjustedCost(
            study=study,
            probability=(probability := programme.probability_of_reaching(study.stage)),
            expected=study.cost * probability,
        )
        for study in programme.studies
    )


def _currency(amounts: Sequence[Money], currency: str | None) -> str:
    currencies = {amount.currency for amount in amounts}
    if currency is not None:
        currencies.add(currency)
    if len(currencies) > 1:
        first, second = sorted(currencies)[:2]
        raise CurrencyMismatchError(first, second, operation="add")
    if not currencies:
        raise ValidationError.at("currency", "the programme has no amounts; give currency= to get a zero")
    return currencies.pop()


@in_crokit_context
def expected_cost(programme: Programme, *, currency: str | None = None) -> Money:
    """The programme's risk-adjusted cost: the sum of :func:`risk_adjusted_costs`, rounded once half-even.

    Raises:
        CurrencyMismatchError: If the studies' costs are in different currencies.
    """
    lines = risk_adjusted_costs(programme)
    code = _currency([line.study.cost for line in lines], currency)
    value = Decimal(0)
    for line in lines:
        value = CONTEXT.add(value, line.expected.amount)
    return Money(value, code).rounded(RoundingPolicy.HALF_EVEN)


@in_crokit_context
def expected_npv(
    programme: Programme, *, annual_rate: Decimal | str | int, valuation_date: dt.date, currency: str | None = None
) -> Money:
    """The expected (risk-adjusted) NPV of the programme's cash flows on *valuation_date*.

    Each flow counts ``amount x P(reach its stage) x (1 + annual_rate) ** (-days / 365)``,
    ``days`` from *valuation_date* to the flow (earlier flows are compounded forward);
    the sum is rounded once, half-even, to the minor unit.

    Raises:
        ValidationError: If the rate is -1 or below, or the date is not a date.
        CurrencyMismatchError: If the flows are in different currencies.

    >>> from crokit import Money, Stage
    >>> flows = (CashFlowItem(on=dt.date(2028, 1, 1), amount=Money("-1000000", "USD"), stage=Stage.PHASE_2),)
    >>> programme = Programme(transitions=PhaseTransitions(phase_1="0.5", phase_2="0.3", phase_3="0.6",
    ...                       submission="0.9"), cash_flows=flows)
    >>> str(expected_npv(programme, annual_rate="0", valuation_date=dt.date(2027, 1, 1)))
    '-500000.00 USD'
    """
    rate = to_decimal(annual_rate, what="annual rate")
    if rate <= -1:
        raise ValidationError.at("annual_rate", f"expected a rate above -1, got {rate}")
    when: object = valuation_date
    if not isinstance(when, dt.date) or isinstance(when, dt.datetime):
        raise ValidationError.at("valuation_date", f"expected a date like 2027-01-01, got {when!r}")
    code = _currency([flow.amount for flow in programme.cash_flows], currency)
    base = CONTEXT.add(Decimal(1), rate)
    value = Decimal(0)
    for flow in programme.cash_flows:
        days = (flow.on - valuation_date).days
        factor = CONTEXT.power(base, CONTEXT.divide(Decimal(-days), DAYS_PER_YEAR))
        weight = CONTEXT.multiply(programme.probability_of_reaching(flow.stage), factor)
        value = CONTEXT.add(value, CONTEXT.multiply(flow.amount.amount, weight))
    return Money(value, code).rounded(RoundingPolicy.HALF_EVEN)
