"""The main job as one pure function: a :class:`Scenario` in, an :class:`Evaluation` out.

A scenario is everything an outsourcing decision needs, in one document: the sponsor,
the study, the planning assumptions, the candidate CROs (each with its profile, its
priced proposal and its due-diligence answers), how to choose (criteria, weights or
AHP judgements, constraints), billing terms, an optional milestone plan and an
exchange-rate table. :func:`evaluate` does the whole job:

1. derive the cost drivers of the study under the assumptions;
2. price each candidate's proposal into a :class:`~crokit.pricing.Budget`: items in
   another currency converted into the proposal's, and the proposal into the study's
   currency, with the scenario's exchange rates at the contract date (the planned
   contract signature, else the study's start date), so every bid is compared at one
   rate (see :mod:`crokit.pricing.currency`);
3. lay each budget over real dates as a :class:`~crokit.schedule.PaymentSchedule`;
   when a bid is paid partly in other currencies, also give its cash flow with each
   payment converted at the rate of its due date, and list every conversion used;
4. check each cost per patient against the published benchmark for the study's phase
   and area;
5. apply the hard constraints, score and rank the eligible candidates, and measure how
   robust the ranking is (weight intervals, and rank acceptabilities when a seed is
   given).

Later sections (forecasts, engagements, bids) are added to :class:`Scenario` as
optional fields with defaults, so existing files keep loading.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

import attrs
from dateutil.relativedelta import relativedelta

from crokit import _hypothesis_plugin, _text, _views
from crokit._convert import to_tuple
from crokit._decimal import in_crokit_context
from crokit._migrations import SCENARIO_MIGRATIONS
from crokit._requires import check_requires, normalise_requirements, precheck_scenario
from crokit._scenario_bids import compare_bids, ranking_price, ranking_profile, rate_factor
from crokit._scenario_fx import cash_flow, comparison_date, price_bid
from crokit._typed import typed_fields
from crokit._validators import listed_once, non_empty_text
from crokit.bids.assumptions import BidAssumptions
from crokit.bids.coverage import OutsideScope, ScopeCoverage
from crokit.bids.normalise import Normalisation
from crokit.bids.rates import DEFAULT_FACTOR, RateFlag
from crokit.errors import CrokitError, Problem, ValidationError
from crokit.forecast.cost import CostForecastResult, ForecastSettings
from crokit.money import FxTable, Money
from crokit.pricing.assumptions import Assumptions
from crokit.pricing.budget import Budget
from crokit.pricing.currency import Conversion
from crokit.pricing.drivers import CostDrivers, derive_drivers
from crokit.pricing.models import Proposal
from crokit.provider import CroProfile
from crokit.reference.check import BenchmarkCheck, check_cost_per_patient
from crokit.registry import Registry, default_registry
from crokit.schedule import BillingTerms, MilestonePlan, PaymentSchedule, build_schedule
from crokit.selection.due_diligence import Answer, DueDiligence
from crokit.selection.models import _decimal_pairs
from crokit.selection.ranking import CandidateInput, Ranking, SelectionSettings, select
from crokit.sensitivity import SensitivitySettings, Tornado
from crokit.serialization import DocumentSpec
from crokit.study import Study
from crokit.vocabulary.lifecycle import Milestone, Stage

if TYPE_CHECKING:
    import pandas as pd

    from crokit._views import JsonValue, Numeric

__all__ = [
    "BenchmarkResult",
    "Candidate",
    "CandidateResult",
    "Evaluation",
    "Scenario",
    "evaluate",
    "planned_milestones",
]


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Candidate:
    """One candidate CRO in a scenario.

    Attributes:
        profile: What the CRO is, offers and has done.
        proposal: Its priced proposal for the study, if it sent one.
        answers: Its answers to the due-diligence questionnaire.
        manual_scores: ``(criterion id, score from 0 to 1)`` pairs for criteria the
            sponsor scores by hand (written as text in files: ``["acme:rapport", "0.8"]``),
            or a mapping ``{criterion id: score}`` (a table in files).
        billing: Its billing terms, if they differ from the scenario's.
        milestones: Its planned milestone dates, if they differ from the scenario's.
        outside_scope: Required services its bid leaves out, each done by the sponsor
            (at an internal cost estimate) or another vendor (at that vendor's price);
            see :mod:`crokit.bids.coverage`.
        bid_assumptions: What its bid assumed where it differs from the scenario's
            study and planning assumptions; ``None`` when it quoted under the sponsor's
            (see :mod:`crokit.bids.normalise`).
    """

    profile: CroProfile = attrs.field(validator=attrs.validators.instance_of(CroProfile))
    proposal: Proposal | None = None
    answers: tuple[Answer, ...] = attrs.field(default=(), converter=to_tuple)
    manual_scores: tuple[tuple[str, Decimal], ...] = attrs.field(default=(), converter=_decimal_pairs)
    billing: BillingTerms | None = None
    milestones: MilestonePlan | None = None
    outside_scope: tuple[OutsideScope, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=listed_once(
            OutsideScope,
            lambda o: o.service,
            field="service",
            repeated=lambda o, at: f"{o.service} is already assigned at {at}",
        ),
    )
    bid_assumptions: BidAssumptions | None = None

    def __attrs_post_init__(self) -> None:
        """Check that the proposal is this candidate's."""
        if self.proposal is not None and self.proposal.cro_id != self.profile.id:
            raise ValidationError.at(
                "proposal.cro_id",
                f"the proposal is from {self.proposal.cro_id!r}, but the candidate is {self.profile.id!r}",
            )

    @property
    def id(self) -> str:
        """The candidate's id (its profile's)."""
        return self.profile.id


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Scenario:
    """Everything one outsourcing decision needs; the main hand-written document.

    Attributes:
        sponsor: The sponsor's name.
        study: The study to outsource.
        assumptions: The planning assumptions that turn the study into cost drivers.
        candidates: The candidate CROs, each once.
        selection: How to choose: method, criteria, weights or AHP judgements,
            constraints, preferences.
        billing: Default billing terms (a candidate may state its own).
        milestones: Planned milestone dates; ``None`` plans them from the assumptions'
            timeline (see :func:`planned_milestones`).
        fx: Exchange rates for proposals in other currencies than the study's.
        title: A title for reports.
        notes: Free text kept with the scenario.
        sensitivity: The one-way sensitivity (tornado) to run on the planning
            assumptions, if any (see :mod:`crokit.sensitivity`).
        requires: The extension packages the scenario needs (``["acme-crokit"]``); a
            missing one is one clear error naming it (see :mod:`crokit._requires`).
        ranking_price: What pricing fit and the budget ceiling read: ``"normalised"``
            (default: each bid re-priced under the scenario's assumptions) or
            ``"quoted"`` (under the bid's own); either way plus the cost of the scope
            the bid leaves out (the total cost of outsourcing).
        rate_factor: A bid's unit rate is flagged when it is more than this many
            times the median of the other bids' rates for the same service and unit,
            or less than that median divided by it (default ``"1.5"``, a convention).
        forecast: Cost and cash flow under uncertain enrolment (see
            :class:`~crokit.forecast.ForecastSettings`); ``None`` forecasts nothing.
    """

    __crokit_document__: ClassVar[DocumentSpec] = DocumentSpec(
        name="scenario", version=3, migrations=SCENARIO_MIGRATIONS, precheck=precheck_scenario
    )

    sponsor: str = attrs.field(validator=non_empty_text)
    study: Study = attrs.field(validator=attrs.validators.instance_of(Study))
    assumptions: Assumptions = attrs.field(validator=attrs.validators.instance_of(Assumptions))
    candidates: tuple[Candidate, ...] = attrs.field(
        converter=to_tuple,
        validator=listed_once(
            Candidate,
            lambda c: c.id,
            field="profile.id",
            repeated=lambda c, at: f"candidate {c.id!r} is already listed at {at}",
        ),
    )
    selection: SelectionSettings = attrs.field(factory=SelectionSettings)
    billing: BillingTerms = attrs.field(factory=BillingTerms)
    milestones: MilestonePlan | None = None
    fx: FxTable = attrs.field(factory=FxTable)
    title: str | None = None
    notes: str | None = None
    sensitivity: SensitivitySettings | None = None
    requires: tuple[str, ...] = attrs.field(default=(), converter=normalise_requirements)
    ranking_price: str = attrs.field(default="normalised", validator=ranking_price)
    rate_factor: Decimal = attrs.field(default=DEFAULT_FACTOR, converter=rate_factor)
    forecast: ForecastSettings | None = None


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class BenchmarkResult:
    """A cost per patient compared with the published figure for the study's phase and area.

    Attributes:
        message: What the comparison found, naming the source, or why there is none.
        ratio: Cost per patient over the published figure, if a figure exists.
        published: The published figure, if one exists.
        source: The figure's citation, if one exists.
    """

    message: str
    ratio: Decimal | None = None
    published: Money | None = None
    source: str | None = None


@attrs.frozen(kw_only=True, field_transformer=typed_fields, repr=False)
class CandidateResult:
    """Everything the evaluation found about one candidate.

    Attributes:
        id: The candidate's id.
        name: Its name.
        eligible: Whether it passed every hard constraint.
        reasons: Why it was excluded (empty when eligible).
        rank: Its rank (1 best), or ``None`` if excluded.
        score: Its score under the method, or ``None`` if excluded.
        contributions: ``(criterion id, contribution)`` pairs.
        budget: Its proposal priced for the study, in the study's currency.
        cost_per_patient: The budget's total per planned patient.
        benchmark: The cost per patient against the published figure.
        schedule: The budget's payments over real dates.
        conversions: Every currency conversion used for this candidate: its
            other-currency items and its proposal into the study's currency at the
            contract date (purpose ``comparison``), and its payments at their due dates
            (purpose ``cash-flow``); see :mod:`crokit.pricing.currency`.
        cash_flow: Its payments in the study's currency, each converted at the rate of
            its due date, when some are paid in another currency (``None`` otherwise:
            the schedule is then the cash flow).
        coverage: Who covers each required service, and the total cost of
            outsourcing over the budget (see :mod:`crokit.bids.coverage`).
        normalisation: The bid quoted under its own assumptions against ``budget``
            (under the scenario's), the gap explained (see :mod:`crokit.bids.normalise`).
        rate_flags: Its unit rates far from the other bids' median.
        ranked_total: The total pricing fit and the budget ceiling read: the
            normalised (or quoted) total plus the cost of the scope left out.
    """

    id: str
    name: str
    eligible: bool
    reasons: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    rank: int | None = None
    score: float | None = None
    contributions: tuple[tuple[str, float], ...] = attrs.field(default=(), converter=to_tuple)
    budget: Budget | None = None
    cost_per_patient: Money | None = None
    benchmark: BenchmarkResult | None = None
    schedule: PaymentSchedule | None = None
    conversions: tuple[Conversion, ...] = attrs.field(default=(), converter=to_tuple)
    cash_flow: PaymentSchedule | None = None

    coverage: ScopeCoverage | None = None
    normalisation: Normalisation | None = None
    rate_flags: tuple[RateFlag, ...] = attrs.field(default=(), converter=to_tuple)
    ranked_total: Money | None = None

    def __repr__(self) -> str:
        """A one-line summary (the full content: ``attrs.asdict(self)``)."""
        if not self.eligible:
            return _text.summary(
                "CandidateResult", f"id={self.id!r}", "eligible=False", _text.count(len(self.reasons), "reason")
            )
        total = None if self.budget is None else self.budget.total
        score = "None" if self.score is None else f"{self.score:.4f}"
        return _text.summary(
            "CandidateResult",
            f"id={self.id!r}",
            "eligible=True",
            f"rank={self.rank!r}",
            f"score={score}",
            f"total={_text.money(total)}",
        )


@attrs.frozen(kw_only=True, field_transformer=typed_fields, repr=False)
class Evaluation:
    """The answer to a scenario: eligibility, prices, payments, ranking and robustness.

    Attributes:
        sponsor: The sponsor's name.
        study: The study evaluated.
        currency: The study's budget currency; every amount is in it.
        drivers: The cost drivers every proposal was priced on.
        candidates: One result per candidate, in ranking order, excluded ones last.
        ranking: The selection result: scores, weights, intervals, acceptabilities.
        winner: The winning candidate's id, or ``None`` if none is eligible.
        warnings: Things to look at before relying on the answer.
        seed: The seed the rank acceptabilities were sampled with, if any.
        title: The scenario's title, if any.
        sensitivity: The tornado of the scenario's ``sensitivity`` section, if it has one.
        ranking_price: What the ranking read of each bid: its ``"normalised"`` or
            ``"quoted"`` total, plus the cost of the scope it leaves out.
        rate_factor: The factor the rate flags were found with.
        forecast: The cost forecast under uncertain enrolment, if the scenario asks for one.
    """

    __crokit_document__: ClassVar[DocumentSpec] = DocumentSpec(name="evaluation", version=1)

    sponsor: str
    study: Study
    currency: str
    drivers: CostDrivers
    candidates: tuple[CandidateResult, ...] = attrs.field(converter=to_tuple)
    ranking: Ranking
    winner: str | None = None
    warnings: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    seed: int | None = None
    title: str | None = None
    sensitivity: Tornado | None = None
    ranking_price: str = attrs.field(default="normalised", validator=ranking_price)
    rate_factor: Decimal = attrs.field(default=DEFAULT_FACTOR, converter=rate_factor)
    forecast: CostForecastResult | None = None

    def candidate(self, id_: str) -> CandidateResult:
        """The result of candidate *id_*."""
        for result in self.candidates:
            if result.id == id_:
                return result
        raise ValidationError.at("candidate", f"no candidate {id_!r} in this evaluation")

    def to_records(self) -> list[dict[str, JsonValue]]:
        """One JSON-safe dict per candidate (see :func:`crokit.dataframe.to_records`)."""
        return _views.records(self)

    def to_dataframe(self, *, numeric: Numeric = "decimal") -> pd.DataFrame:
        """A pandas DataFrame, one row per candidate (see :func:`crokit.dataframe.to_dataframe`)."""
        return _views.dataframe(self, numeric=numeric)

    def _repr_html_(self) -> str:
        """The report as an HTML fragment for notebooks (:func:`crokit.report.render`)."""
        return _views.html(self)

    def _repr_markdown_(self) -> str:
        """The report as Markdown for notebooks (:func:`crokit.report.render`)."""
        return _views.markdown(self)

    def __repr__(self) -> str:
        """A one-line summary (the full content: ``attrs.asdict(self)`` or ``crokit.dumps(self)``)."""
        eligible = sum(result.eligible for result in self.candidates)
        return _text.summary(
            "Evaluation",
            f"study={self.study.name!r}",
            f"currency={self.currency!r}",
            _text.count(len(self.candidates), "candidate"),
            f"{eligible} eligible",
            f"winner={self.winner!r}",
            f"seed={self.seed!r}",
        )


_PROGRAMME_MILESTONES = frozenset({Milestone.SUBMISSION, Milestone.APPROVAL})
_REGISTRATION_PHASES = frozenset({Stage.PHASE_2_3, Stage.PHASE_3})


def planned_milestones(study: Study, drivers: CostDrivers) -> MilestonePlan:
    """Plan the milestones: the contract's signature on the study's start date, the rest later.

    Every other milestone falls on the last day of the study month the timeline puts it
    in. The month comes from :meth:`~crokit.pricing.CostDrivers.month_of`, counted from the
    study's start date; a month ends the day before the same day of the next month.

    Regulatory submission and approval belong to the programme, not to the study: they
    are planned only for a registration study (Phase 2/3 or Phase 3), on its last month.
    An earlier-phase study's plan stops at its clinical study report; a payment on a
    programme milestone then needs a milestone plan that dates it.
    """
    programme = study.phase in _REGISTRATION_PHASES
    dates = [(Milestone.CONTRACT_SIGNED, study.start_date)]
    for milestone in Milestone:
        if milestone in _PROGRAMME_MILESTONES and not programme:
            continue
        if milestone is not Milestone.CONTRACT_SIGNED:
            dates.append((milestone, _study_month_end(study.start_date, drivers.month_of(milestone))))
    return MilestonePlan(dates=tuple(dates))


@functools.lru_cache(maxsize=4096)
def _study_month_end(start: dt.date, month: int) -> dt.date:
    """The last day of study *month* counted from *start*: the day before the same day *month* + 1 months on."""
    return start + relativedelta(months=month + 1, days=-1)


def _benchmark(cost_per_patient: Money, scenario: Scenario, registry: Registry) -> BenchmarkResult:
    """Compare with the study's phase and area; with no figure for the area, with all areas, saying so."""
    study = scenario.study
    found = check_cost_per_patient(
        cost_per_patient, study.phase, study.therapeutic_area, fx=scenario.fx, on=study.start_date, registry=registry
    )
    prefix = ""
    if not isinstance(found, BenchmarkCheck):
        overall = check_cost_per_patient(
            cost_per_patient, study.phase, None, fx=scenario.fx, on=study.start_date, registry=registry
        )
        if not isinstance(overall, BenchmarkCheck):
            return BenchmarkResult(message=found.reason)
        area = registry.name_of(study.therapeutic_area, "area")
        prefix = f"No published figure for {area}; compared with all therapeutic areas instead. "
        found = overall
    figure = found.benchmark
    published = Money(figure.value, figure.unit) if figure.value is not None else None
    return BenchmarkResult(
        message=prefix + found.message, ratio=found.ratio, published=published, source=str(figure.source)
    )


_FxResults = dict[str, tuple[tuple[Conversion, ...], PaymentSchedule | None]]
"""Each priced candidate's conversions used and its cash flow at due-date rates, by id."""


def _priced(
    scenario: Scenario, drivers: CostDrivers, registry: Registry
) -> tuple[list[Budget | None], list[PaymentSchedule | None], list[str], _FxResults]:
    budgets: list[Budget | None] = []
    schedules: list[PaymentSchedule | None] = []
    warnings: list[str] = []
    problems: list[Problem] = []
    currencies: _FxResults = {}
    default_plan = scenario.milestones or planned_milestones(scenario.study, drivers)
    if scenario.milestones is None:
        warnings.append("milestone dates are planned from the assumptions' timeline (no milestone plan given)")
    for index, candidate in enumerate(scenario.candidates):
        proposal = candidate.proposal
        if proposal is None:
            budgets.append(None)
            schedules.append(None)
            warnings.append(f"{candidate.profile.name} sent no proposal: it is not priced")
            continue
        on = comparison_date(scenario.study, scenario.milestones)
        try:
            priced = price_bid(proposal, scenario.study, drivers, registry=registry, fx=scenario.fx, on=on)
        except ValidationError as exc:
            problems.extend(exc.with_prefix(f"scenario.candidates[{index}].proposal").problems)
            continue
        except CrokitError as exc:
            problems.append(Problem(path=f"scenario.candidates[{index}].proposal", message=str(exc)))
            continue
        budget = priced.budget
        try:
            schedule = build_schedule(
                budget,
                contract_start=scenario.study.start_date,
                milestones=candidate.milestones or default_plan,
                terms=candidate.billing or scenario.billing,
                fixed_fees=priced.fixed_fees,
                grants=priced.grants,
            )
        except CrokitError as exc:
            # The milestone plan and billing terms are the candidate's own, or the scenario's.
            owner = f"scenario.candidates[{index}]" if candidate.milestones or candidate.billing else "scenario"
            if isinstance(exc, ValidationError):
                problems.extend(exc.with_prefix(owner).problems)
            else:
                problems.append(Problem(path=owner, message=str(exc)))
            continue
        try:
            flow, used, stale = cash_flow(
                priced,
                scenario.study.currency,
                fx=scenario.fx,
                contract_start=scenario.study.start_date,
                milestones=candidate.milestones or default_plan,
                terms=candidate.billing or scenario.billing,
                who=candidate.id,
            )
        except CrokitError as exc:
            problems.append(Problem(path="scenario.fx", message=f"the cash flow of {candidate.id}: {exc}"))
            continue
        warnings.extend(stale)
        currencies[candidate.id] = ((*priced.conversions, *used), flow)
        budgets.append(budget)
        schedules.append(schedule)
    if problems:
        raise ValidationError(problems)
    return budgets, schedules, warnings, currencies


@in_crokit_context
def evaluate(scenario: Scenario, *, registry: Registry | None = None, seed: int | None = None) -> Evaluation:
    """Do the whole job for *scenario*; a pure function of its arguments.

    Args:
        scenario: The decision to evaluate.
        registry: The vocabulary (default: :func:`~crokit.default_registry`).
        seed: Seed for the rank-acceptability sampling; ``None`` computes none.

    Raises:
        ValidationError: Every problem found while pricing and scheduling the proposals,
            each with its path in the scenario (``candidates[1].proposal.items[0]...``).
    """
    registry = registry if registry is not None else default_registry()
    check_requires(scenario.requires, registry, path="scenario.requires")
    drivers = derive_drivers(scenario.study, scenario.assumptions)
    budgets, schedules, warnings, currencies = _priced(scenario, drivers, registry)
    bids = compare_bids(scenario, budgets, registry)
    inputs = [
        CandidateInput(
            profile=ranking_profile(candidate),
            budget=budget,
            due_diligence=DueDiligence(candidate=candidate.id, answers=candidate.answers)
            if candidate.answers
            else None,
            manual_scores=candidate.manual_scores,
        )
        for candidate, budget in zip(scenario.candidates, bids.ranking_budgets, strict=True)
    ]
    ranking = select(scenario.study, inputs, scenario.selection, registry=registry, seed=seed)
    cards = {card.candidate: card for card in ranking.scorecards}
    excluded = {exclusion.candidate: exclusion for exclusion in ranking.excluded}
    results = []
    for index, (candidate, budget, schedule) in enumerate(zip(scenario.candidates, budgets, schedules, strict=True)):
        card = cards.get(candidate.id)
        ranked = bids.ranking_budgets[index]
        cost = budget.cost_per_patient(scenario.study.planned_patients) if budget is not None else None
        results.append(
            CandidateResult(
                id=candidate.id,
                name=candidate.profile.name,
                eligible=card is not None,
                reasons=excluded[candidate.id].reasons if candidate.id in excluded else (),
                rank=card.rank if card else None,
                score=card.score if card else None,
                contributions=card.contributions if card else (),
                budget=budget,
                cost_per_patient=cost,
                benchmark=_benchmark(cost, scenario, registry) if cost is not None else None,
                schedule=schedule,
                conversions=currencies.get(candidate.id, ((), None))[0],
                cash_flow=currencies.get(candidate.id, ((), None))[1],
                coverage=bids.coverage[index],
                normalisation=bids.normalisation[index],
                rate_flags=bids.rate_flags[index],
                ranked_total=None if ranked is None else ranked.total,
            )
        )
    order = {card.candidate: index for index, card in enumerate(ranking.scorecards)}
    results.sort(key=lambda r: order.get(r.id, len(order)))
    tornado = None
    if scenario.sensitivity is not None:  # the tornado's own evaluations run without the section
        from crokit.sensitivity import assumption_sensitivity

        tornado = assumption_sensitivity(scenario, registry=registry)
    return Evaluation(
        sponsor=scenario.sponsor,
        study=scenario.study,
        currency=scenario.study.currency,
        drivers=drivers,
        candidates=tuple(results),
        ranking=ranking,
        winner=ranking.winner,
        warnings=(*warnings, *bids.warnings, *ranking.warnings),
        seed=seed,
        title=scenario.title,
        sensitivity=tornado,
        ranking_price=scenario.ranking_price,
        rate_factor=scenario.rate_factor,
        forecast=_forecast(scenario, registry),
    )


def _forecast(scenario: Scenario, registry: Registry) -> CostForecastResult | None:
    """The scenario's cost forecast (NumPy is loaded only when there is one)."""
    if scenario.forecast is None:
        return None
    from crokit.forecast.cost_forecast import forecast_costs

    return forecast_costs(scenario, registry=registry)


# Registers this module's models with Hypothesis' st.from_type if Hypothesis is in use.
_hypothesis_plugin.imported(__name__)
