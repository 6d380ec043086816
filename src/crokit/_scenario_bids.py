"""The bids part of :func:`crokit.evaluate`: scope, total cost of outsourcing, normalisation, rates.

For each priced candidate of a scenario:

- its **scope coverage** (:func:`crokit.bids.scope_coverage`): each required service of
  the study priced by its bid, done by the sponsor or another vendor (the candidate's
  ``outside_scope``), or missing; and its **total cost of outsourcing**, the bid's
  price plus the sponsor-internal and other-vendor costs of the scope it leaves out;
- its **normalisation**: the bid priced under its own assumptions (``bid_assumptions``,
  the *quoted* total) and under the scenario's (the *normalised* total), the gap
  explained line by line as volume, rate, scope and rounding, exact to the minor unit;
- its unit rates against the other bids' median (:func:`crokit.bids.compare_rates`).

The ranking reads the **ranking budget**: the normalised budget (or the quoted one when
the scenario's ``ranking_price`` is ``"quoted"``) plus one line per service done by the
sponsor or another vendor, so pricing fit and the budget ceiling compare totals of
cost of outsourcing over the same scope. Those extra lines are of kind ``adjustment``
and bucket ``sponsor-internal`` (the sponsor pays them, not the CRO); they exist only in
the ranking budget, never in a reported budget or a payment schedule.

For the constraints, a service assigned outside a candidate's bid is not required of
that candidate: a functional service provider bidding monitoring alone, with data
management kept by the sponsor, is not excluded for not offering data management.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

import attrs

from crokit._decimal import to_decimal
from crokit._scenario_fx import comparison_date, price_bid
from crokit.bids.assumptions import AssumptionDifference
from crokit.bids.coverage import Coverage, ScopeCoverage, scope_coverage
from crokit.bids.normalise import Normalisation
from crokit.bids.rates import RateFlag, compare_rates
from crokit.errors import CrokitError, Problem, ValidationError
from crokit.pricing.budget import Budget
from crokit.pricing.derive import derive_drivers
from crokit.pricing.line_item import CostBucket, LineItem, PricingKind
from crokit.provider import CroProfile
from crokit.registry import Registry

if TYPE_CHECKING:
    from crokit.scenario import Candidate, Scenario

__all__ = ["RANKING_PRICES", "BidsFound", "compare_bids", "ranking_price", "ranking_profile", "rate_factor"]

RANKING_PRICES: Final = ("normalised", "quoted")
"""What the ranking may read: each bid's normalised or quoted total (plus the scope it leaves out)."""


def ranking_price(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate a scenario's ``ranking_price``."""
    if value not in RANKING_PRICES:
        raise ValidationError.at(
            attribute.name, f"expected one of {', '.join(repr(v) for v in RANKING_PRICES)}, got {value!r}"
        )


def rate_factor(value: object) -> Decimal:
    """A converter: a scenario's ``rate_factor`` to an exact Decimal above 1.

    Raises:
        ValidationError: For anything but an exact number above 1, with the path ``rate_factor``.
    """
    try:
        factor = to_decimal(value, what="rate factor")
    except CrokitError as exc:
        raise ValidationError.at("rate_factor", str(exc)) from None
    if not factor > 1:
        raise ValidationError.at("rate_factor", f'expected a factor above 1 (such as "1.5"), got {factor}')
    return factor


@attrs.frozen(kw_only=True)
class BidsFound:
    """What the bids part found, one entry per candidate in scenario order (``None`` when not priced).

    Attributes:
        coverage: Scope coverage and total cost of outsourcing.
        normalisation: Quoted against normalised budget, in the study's currency.
        ranking_budgets: The budget the ranking reads (see the module docstring).
        rate_flags: Rate outliers per candidate.
        warnings: Uncovered services, services counted twice, rate outliers.
    """

    coverage: tuple[ScopeCoverage | None, ...]
    normalisation: tuple[Normalisation | None, ...]
    ranking_budgets: tuple[Budget | None, ...]
    rate_flags: tuple[tuple[RateFlag, ...], ...]
    warnings: tuple[str, ...]


def ranking_profile(candidate: Candidate) -> CroProfile:
    """The profile the constraints read: the services done outside the bid count as offered."""
    profile = candidate.profile
    extra = tuple(item.service for item in candidate.outside_scope if item.service not in profile.services)
    return attrs.evolve(profile, services=(*profile.services, *extra)) if extra else profile


def _service_name(service: str, registry: Registry) -> str:
    try:
        return registry.service(service).name
    except CrokitError:
        return service


def _normalisation(
    candidate: Candidate, budget: Budget, scenario: Scenario, registry: Registry, index: int
) -> Normalisation:
    """The bid quoted under its own assumptions against *budget*, priced under the scenario's."""
    own = candidate.bid_assumptions
    proposal = candidate.proposal
    if own is None or own.is_sponsors or proposal is None:
        quoted = budget
        differences: tuple[AssumptionDifference, ...] = ()
    else:
        where = f"scenario.candidates[{index}].bid_assumptions"
        try:
            study, planning = own.apply(scenario.study, scenario.assumptions)
            # Priced and converted exactly as the normalised budget was (the same date and rates).
            quoted = price_bid(
                proposal,
                study,
                derive_drivers(study, planning),
                registry=registry,
                fx=scenario.fx,
                on=comparison_date(scenario.study, scenario.milestones),
            ).budget
        except ValidationError as exc:
            raise exc.with_prefix(where) from None
        except CrokitError as exc:
            raise ValidationError.at(where, f"the bid cannot be priced under its own assumptions: {exc}") from None
        differences = own.differences(scenario.study, scenario.assumptions)
    return Normalisation(
        cro_id=candidate.id, differences=differences, quoted=quoted, normalised=budget, diff=quoted.diff(budget)
    )


def _coverage(
    candidate: Candidate, budget: Budget, scenario: Scenario, registry: Registry, index: int
) -> tuple[ScopeCoverage, list[str]]:
    required = scenario.study.required_services
    name = candidate.profile.name
    warnings = [
        f"{name}: {_service_name(item.service, registry)} is assigned outside its bid but is not a required "
        "service of the study; its cost is not counted"
        for item in candidate.outside_scope
        if item.service not in required
    ]
    problems = [
        Problem(
            path=f"scenario.candidates[{index}].outside_scope[{place}].cost",
            message=f"expected a cost in {budget.currency}, the study's currency, got {item.cost} (convert it first)",
        )
        for place, item in enumerate(candidate.outside_scope)
        if item.cost.currency != budget.currency
    ]
    if problems:
        raise ValidationError(problems)
    found = scope_coverage(
        budget,
        required_services=required,
        outside=[item for item in candidate.outside_scope if item.service in required],
        candidate=candidate.id,
    )
    priced = budget.by_service()
    for row in found.rows:
        service = _service_name(row.service, registry)
        if row.coverage is Coverage.MISSING:
            warnings.append(f"{name}: nobody covers {service} (a required service), so its total is not like for like")
        elif row.coverage is not Coverage.PRICED and row.service in priced:
            warnings.append(
                f"{name}: {service} is priced by its bid and also assigned to {row.vendor or 'the sponsor'}; "
                "it is counted twice"
            )
    return found, warnings


def _outside_lines(coverage: ScopeCoverage, scenario: Scenario) -> list[LineItem]:
    lines = []
    for row in coverage.rows:
        if row.coverage is Coverage.SPONSOR or row.coverage is Coverage.OTHER_VENDOR:
            who = "the sponsor (internal cost estimate)" if row.coverage is Coverage.SPONSOR else row.vendor
            lines.append(
                LineItem(
                    service=row.service,
                    stage=scenario.study.phase,
                    kind=PricingKind.ADJUSTMENT,
                    bucket=CostBucket.SPONSOR_INTERNAL,
                    description=f"Outside the bid: done by {who}",
                    basis=None,
                    quantity=1,
                    unit_price=row.amount,
                    amount=row.amount,
                    months=(0,),
                    derivation=f"{row.service} outside the bid's scope, at {row.amount}",
                )
            )
    return lines


def _rate_warnings(flags: Sequence[RateFlag], names: dict[str, str], registry: Registry, factor: Decimal) -> list[str]:
    return [
        f"{names[flag.candidate]}: its rate for {_service_name(flag.service, registry)} "
        f"({flag.unit_price} {flag.basis.value}) is {flag.ratio:.2f} times the other bids' median "
        f"{flag.median_of_others}: {flag.direction} the band of 1/{factor} to {factor} times"
        for flag in flags
    ]


def compare_bids(scenario: Scenario, budgets: Sequence[Budget | None], registry: Registry) -> BidsFound:
    """Scope, total cost of outsourcing, normalisation and rate flags of every priced candidate.

    Args:
        scenario: The scenario.
        budgets: Each candidate's proposal priced under the scenario's assumptions, in
            the study's currency (``None`` for a candidate without one), in scenario order.
        registry: The vocabulary (for service names).

    Raises:
        ValidationError: Every problem found, each with its path in the scenario: an
            outside cost in another currency than the study's, a bid that cannot be
            priced under its own assumptions.
    """
    coverages: list[ScopeCoverage | None] = []
    normalisations: list[Normalisation | None] = []
    ranking: list[Budget | None] = []
    warnings: list[str] = []
    problems: list[Problem] = []
    for index, (candidate, budget) in enumerate(zip(scenario.candidates, budgets, strict=True)):
        if budget is None:
            coverages.append(None)
            normalisations.append(None)
            ranking.append(None)
            continue
        try:
            normalisation = _normalisation(candidate, budget, scenario, registry, index)
            coverage, found = _coverage(candidate, budget, scenario, registry, index)
        except ValidationError as exc:
            problems.extend(exc.problems)
            continue
        warnings.extend(found)
        base = normalisation.quoted if scenario.ranking_price == "quoted" else normalisation.normalised
        extra = _outside_lines(coverage, scenario)
        coverages.append(coverage)
        normalisations.append(normalisation)
        ranking.append(Budget(currency=base.currency, lines=(*base.lines, *extra)) if extra else base)
    if problems:
        raise ValidationError(problems)
    priced = {c.id: b for c, b in zip(scenario.candidates, budgets, strict=True) if b is not None}
    flags = compare_rates(priced, factor=scenario.rate_factor) if len(priced) > 1 else ()
    names = {c.id: c.profile.name for c in scenario.candidates}
    warnings.extend(_rate_warnings(flags, names, registry, scenario.rate_factor))
    return BidsFound(
        coverage=tuple(coverages),
        normalisation=tuple(normalisations),
        ranking_budgets=tuple(ranking),
        rate_flags=tuple(tuple(f for f in flags if f.candidate == c.id) for c in scenario.candidates),
        warnings=tuple(warnings),
    )
