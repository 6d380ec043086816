"""The common bid grid: what the sponsor asks every CRO to price, under one set of assumptions.

A sponsor's request for proposal lists the services it needs, the unit each is priced
by and how many units its own assumptions give (patients, sites, visits, monitoring
frequency, months), the roles it wants priced by time (FTE months) and the costs it
expects passed through. Every CRO fills in its rates on the same grid, so the bids
price the same work. :class:`BidGrid` is that list; :func:`bid_grid` builds one from a
study and the sponsor's planning assumptions with
:func:`~crokit.pricing.derive_drivers`; :func:`grid_proposal` turns the rates a CRO
filled in into a :class:`~crokit.pricing.Proposal`; :class:`Bid` is that proposal with
the assumptions the CRO says it quoted under, as one document.

>>> from crokit.demo import demo_scenario
>>> from crokit.registry import Registry
>>> scenario = demo_scenario()
>>> grid = bid_grid(scenario.study, scenario.assumptions, registry=Registry.builtin(),
...                 services=["crokit:on-site-monitoring"])
>>> [(line.basis.value, str(line.quantity)) for line in grid.lines]
[('per-monitoring-visit', '187')]
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar, Final

import attrs

from crokit._convert import to_tuple
from crokit._decimal import CONTEXT, to_decimal
from crokit._members import as_member
from crokit._typed import typed_fields
from crokit._validators import non_empty_text, slug, whole_number
from crokit.bids.assumptions import BidAssumptions
from crokit.errors import CrokitError, Problem, ValidationError
from crokit.money import Money
from crokit.pricing.assumptions import Assumptions
from crokit.pricing.derive import derive_drivers
from crokit.pricing.fte import FteAllocation, FteTimeAndMaterials, RateCard, RateCardEntry, RatePer
from crokit.pricing.pass_through import PassThrough
from crokit.pricing.proposal import PricingModel, Proposal
from crokit.pricing.unit_price import UnitPrice
from crokit.registry import Registry
from crokit.serialization.documents import DocumentSpec
from crokit.study import Study
from crokit.vocabulary.ids import ServiceId, check_id
from crokit.vocabulary.lifecycle import Stage
from crokit.vocabulary.terms import UnitBasis

__all__ = [
    "BASIS_PREFERENCE",
    "Bid",
    "BidGrid",
    "GridLine",
    "GridPassThrough",
    "GridRole",
    "bid_grid",
    "grid_proposal",
    "proposal_of_rows",
    "read_bid",
    "write_bid_grid",
]

BASIS_PREFERENCE: Final = (
    UnitBasis.PER_MONITORING_VISIT,
    UnitBasis.PER_ACTIVE_SITE_MONTH,
    UnitBasis.PER_PATIENT_ENROLLED,
    UnitBasis.PER_PATIENT_SCREENED,
    UnitBasis.PER_PATIENT_VISIT,
    UnitBasis.PER_PATIENT_COMPLETED,
    UnitBasis.PER_PAGE,
    UnitBasis.PER_TABLE,
    UnitBasis.PER_SITE,
    UnitBasis.PER_COUNTRY,
    UnitBasis.PER_SITE_MONTH,
    UnitBasis.PER_MONTH,
    UnitBasis.PER_STUDY,
)
"""The unit :func:`bid_grid` prices a service by when not told: the first of these the
service allows. Units closest to the work come first (a monitoring visit before a
site-month, a patient before a month, anything before a flat per-study fee), so the
grid prices volume and a change in the assumptions moves the price."""

_DERIVED: Final = frozenset(BASIS_PREFERENCE)


def _service(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_id(value, path=attribute.name)


def _quantity(value: object) -> Decimal:
    return to_decimal(value, what="quantity")


def _at_least_zero(_instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if value < 0:
        raise ValidationError.at(attribute.name, f"expected a quantity >= 0, got {value}")


def _positive(_instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if value <= 0:
        raise ValidationError.at(attribute.name, f"expected a number above 0, got {value}")


def _unit_basis(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, UnitBasis):
        raise ValidationError.at(attribute.name, f"expected a UnitBasis, got {value!r}")
    if value is UnitBasis.PASS_THROUGH:
        raise ValidationError.at(attribute.name, "a pass-through cost is a GridPassThrough, not a grid line")


def _as_stage(value: object) -> object:
    """A converter: text (the value or name) to a Stage member."""
    return as_member(Stage, value)


def _as_unit_basis(value: object) -> object:
    """A converter: text (the value or name) to a UnitBasis member."""
    return as_member(UnitBasis, value)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class GridLine:
    """One service priced per unit: the sponsor states the quantity, the CRO the rate.

    Attributes:
        service: The service id.
        stage: The lifecycle stage of the work.
        basis: The unit the CRO prices (not pass-through).
        quantity: Units under the sponsor's assumptions (>= 0).
        how: How the quantity was counted (a driver's formula), or empty if stated.
        description: The line's description; by default the service's name and unit.
    """

    service: ServiceId = attrs.field(validator=_service)
    stage: Stage = attrs.field(converter=_as_stage, validator=attrs.validators.instance_of(Stage))
    basis: UnitBasis = attrs.field(converter=_as_unit_basis, validator=_unit_basis)
    quantity: Decimal = attrs.field(converter=_quantity, validator=_at_least_zero)
    how: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    description: str = attrs.field(default="", validator=attrs.validators.instance_of(str))


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class GridRole:
    """One role priced by time: the sponsor states the FTE and months, the CRO a rate per FTE month.

    Attributes:
        service: The service the role works on.
        stage: The lifecycle stage of the work.
        role: The role, as a slug (``"clinical-research-associate"``).
        region: Where the person works, as a slug (``"western-europe"``).
        fte: Full-time equivalents (above 0; ``"0.5"`` for half time).
        start_month: The first study month (0 is the study start).
        duration_months: How many months (>= 1).
    """

    service: ServiceId = attrs.field(validator=_service)
    stage: Stage = attrs.field(converter=_as_stage, validator=attrs.validators.instance_of(Stage))
    role: str = attrs.field(validator=slug)
    region: str = attrs.field(validator=slug)
    fte: Decimal = attrs.field(converter=_quantity, validator=_positive)
    start_month: int = attrs.field(default=0, validator=whole_number(0, 599))
    duration_months: int = attrs.field(default=1, validator=whole_number(1, 600))

    @property
    def fte_months(self) -> Decimal:
        """``fte x duration_months``: the quantity the CRO's rate multiplies."""
        return CONTEXT.multiply(self.fte, Decimal(self.duration_months))


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class GridPassThrough:
    """A cost the CRO passes through at cost: it states the estimate and any management fee.

    Attributes:
        service: The service id; the registry must price it as a pass-through.
        stage: The lifecycle stage of the cost.
        description: What the cost is; by default the service's name.
    """

    service: ServiceId = attrs.field(validator=_service)
    stage: Stage = attrs.field(converter=_as_stage, validator=attrs.validators.instance_of(Stage))
    description: str = attrs.field(default="", validator=attrs.validators.instance_of(str))


def _typed(kind: type) -> Any:
    def check(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
        for index, item in enumerate(value):
            if not isinstance(item, kind):
                raise ValidationError.at(f"{attribute.name}[{index}]", f"expected a {kind.__name__}, got {item!r}")

    return check


def _unique(grid: BidGrid) -> None:
    problems: list[Problem] = []
    keys: dict[tuple[object, ...], str] = {}
    rows: list[tuple[str, tuple[object, ...]]] = [
        *((f"lines[{i}]", ("line", x.service, x.basis, x.description)) for i, x in enumerate(grid.lines)),
        *((f"roles[{i}]", ("role", x.service, x.role, x.region)) for i, x in enumerate(grid.roles)),
        *((f"pass_through[{i}]", ("pass", x.service, x.description)) for i, x in enumerate(grid.pass_through)),
    ]
    for path, key in rows:
        if key in keys:
            problems.append(Problem(path=path, message=f"the same as {keys[key]}: give each grid row once"))
        keys.setdefault(key, path)
    if not rows:
        problems.append(Problem(path="lines", message="expected at least one line, role or pass-through cost"))
    if problems:
        raise ValidationError(problems)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class BidGrid:
    """The sponsor's common bid grid: services x units x quantities under its assumptions.

    Attributes:
        sponsor: The sponsor issuing the grid.
        study: The study, as the sponsor plans it (the common assumptions on patients,
            sites, screen-failure and dropout rates).
        assumptions: The sponsor's planning assumptions (months, monitoring frequency,
            tables, pages).
        lines: Services priced per unit.
        roles: Roles priced per FTE month.
        pass_through: Costs passed through at cost.
    """

    __crokit_document__: ClassVar[DocumentSpec] = DocumentSpec(name="bid_grid", version=1)

    sponsor: str = attrs.field(validator=non_empty_text)
    study: Study = attrs.field(validator=attrs.validators.instance_of(Study))
    assumptions: Assumptions = attrs.field(validator=attrs.validators.instance_of(Assumptions))
    lines: tuple[GridLine, ...] = attrs.field(default=(), converter=to_tuple, validator=_typed(GridLine))
    roles: tuple[GridRole, ...] = attrs.field(default=(), converter=to_tuple, validator=_typed(GridRole))
    pass_through: tuple[GridPassThrough, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_typed(GridPassThrough)
    )

    def __attrs_post_init__(self) -> None:
        """Refuse an empty grid and a row given twice."""
        _unique(self)

    @property
    def currency(self) -> str:
        """The currency the sponsor asks bids in: the study's."""
        return self.study.currency

    @property
    def rate_year(self) -> int:
        """The rate-card year of the FTE rates: the study's start year."""
        return self.study.start_date.year


def _choose(registry: Registry, service: str, basis: UnitBasis | None, path: str) -> UnitBasis | None:
    """The unit *service* is gridded by, ``None`` for a pass-through; refuses a unit the study cannot count."""
    allowed = registry.service(service, path=path).unit_bases
    if basis is not None:
        if basis not in allowed or basis not in _DERIVED:
            usable = ", ".join(b.value for b in BASIS_PREFERENCE if b in allowed) or "none"
            raise ValidationError.at(
                f"bases[{service!r}]",
                f"expected a unit the study counts that {service} is priced by ({usable}), got {basis.value}",
            )
        return basis
    for candidate in BASIS_PREFERENCE:
        if candidate in allowed:
            return candidate
    if UnitBasis.PASS_THROUGH in allowed:
        return None
    raise ValidationError.at(
        path,
        f"{service} is priced only by time ({', '.join(sorted(b.value for b in allowed))}): "
        "give it as a role (roles=...) rather than a service",
    )


def bid_grid(
    study: Study,
    assumptions: Assumptions,
    *,
    registry: Registry,
    services: Iterable[str] | None = None,
    sponsor: str = "the sponsor",
    bases: Mapping[str, UnitBasis] | None = None,
    roles: Sequence[GridRole] = (),
    pass_through: Iterable[str] = (),
) -> BidGrid:
    """The common bid grid of *study* under the sponsor's *assumptions*.

    Each service (by default the study's required services) becomes one line priced by
    the unit *bases* names for it, or else the first of :data:`BASIS_PREFERENCE` the
    service allows, with the quantity :func:`~crokit.pricing.derive_drivers` counts; a
    service priced only as a pass-through, or listed in *pass_through*, becomes a
    pass-through cost. A service priced only by time must be given as *roles*.

    Raises:
        UnknownIdError: If a service is not in *registry*.
        ValidationError: If a unit does not fit its service or cannot be counted from
            the study, or a service is priced only by time.
    """
    drivers = derive_drivers(study, assumptions)
    chosen = dict(bases or {})
    passed = set(pass_through)
    listed = list(dict.fromkeys(study.required_services if services is None else services))
    timed = {role.service for role in roles}
    lines: list[GridLine] = []
    costs: list[GridPassThrough] = []
    problems: list[Problem] = []
    for index, service in enumerate(listed):
        path = f"services[{index}]"
        try:
            if service in passed:
                registry.service(service, path=path)
                costs.append(GridPassThrough(service=service, stage=study.phase))
                continue
            if service in timed and service not in chosen:
                continue
            basis = _choose(registry, service, chosen.get(service), path)
        except ValidationError as error:
            problems.extend(error.problems)
            continue
        if basis is None:
            costs.append(GridPassThrough(service=service, stage=study.phase))
            continue
        driver = drivers.get(basis)
        lines.append(
            GridLine(
                service=service,
                stage=study.phase,
                basis=basis,
                quantity=Decimal(driver.value),
                how=f"{driver.name}: {driver.formula}",
            )
        )
    for index, role in enumerate(roles):
        try:
            registry.service(role.service, path=f"roles[{index}].service")
        except ValidationError as error:
            problems.extend(error.problems)
    if problems:
        raise ValidationError(problems)
    return BidGrid(sponsor=sponsor, study=study, assumptions=assumptions, lines=lines, roles=roles, pass_through=costs)


def _amounts(values: Sequence[object], count: int, what: str) -> list[Problem]:
    problems = []
    if len(values) != count:
        problems.append(Problem(path=what, message=f"expected {count} values, one per grid row, got {len(values)}"))
    problems.extend(
        Problem(path=f"{what}[{index}]", message=f"expected an amount >= 0, got {value}")
        for index, value in enumerate(values)
        if not isinstance(value, Decimal) or value < 0
    )
    return problems


def grid_proposal(
    grid: BidGrid,
    *,
    cro_id: str,
    currency: str,
    line_rates: Sequence[Decimal],
    role_rates: Sequence[Decimal],
    pass_through: Sequence[tuple[Decimal, Decimal]],
) -> Proposal:
    """The :class:`~crokit.pricing.Proposal` a CRO makes by filling in *grid*.

    Each line becomes a :class:`~crokit.pricing.UnitPrice` at its rate for the grid's
    stated quantity; the roles of one service become one
    :class:`~crokit.pricing.FteTimeAndMaterials` with a rate card of their rates per
    FTE month (rate-card year :attr:`BidGrid.rate_year`); each pass-through cost a
    :class:`~crokit.pricing.PassThrough` of ``(estimate, management fee)``. Items
    follow the grid's order: lines, roles, pass-through costs.

    Args:
        grid: The grid filled in.
        cro_id: The bidding CRO's id.
        currency: The bid's currency.
        line_rates: One rate per unit of each of ``grid.lines``.
        role_rates: One rate per FTE month for each of ``grid.roles``.
        pass_through: ``(estimate, management fee as a fraction)`` for each of ``grid.pass_through``.

    Raises:
        ValidationError: If a list does not match the grid, or an amount is negative.
    """
    return proposal_of_rows(
        grid.lines,
        grid.roles,
        grid.pass_through,
        year=grid.rate_year,
        cro_id=cro_id,
        currency=currency,
        line_rates=line_rates,
        role_rates=role_rates,
        pass_through_prices=pass_through,
    )


def proposal_of_rows(
    lines: Sequence[GridLine],
    roles: Sequence[GridRole],
    costs: Sequence[GridPassThrough],
    *,
    year: int,
    cro_id: str,
    currency: str,
    line_rates: Sequence[Decimal],
    role_rates: Sequence[Decimal],
    pass_through_prices: Sequence[tuple[Decimal, Decimal]],
) -> Proposal:
    """:func:`grid_proposal` from a grid's rows and its rate-card *year* (what a workbook holds)."""
    pass_through = pass_through_prices
    problems = [
        *_amounts(line_rates, len(lines), "line_rates"),
        *_amounts(role_rates, len(roles), "role_rates"),
        *_amounts([estimate for estimate, _ in pass_through], len(costs), "pass_through"),
    ]
    if problems:
        raise ValidationError(problems)
    items: list[PricingModel] = [
        UnitPrice(
            service=line.service,
            stage=line.stage,
            basis=line.basis,
            rate=Money(rate, currency),
            quantity=line.quantity,
            description=line.description,
        )
        for line, rate in zip(lines, line_rates, strict=True)
    ]
    by_service: dict[tuple[str, Stage], list[tuple[GridRole, Decimal]]] = {}
    for role, rate in zip(roles, role_rates, strict=True):
        by_service.setdefault((role.service, role.stage), []).append((role, rate))
    for (service, stage), booked in by_service.items():
        entries = [
            RateCardEntry(
                role=role.role,
                region=role.region,
                rate=Money(rate, currency),
                per=RatePer.FTE_MONTH,
                year=year,
            )
            for role, rate in booked
        ]
        allocations = [
            FteAllocation(
                role=role.role,
                region=role.region,
                fte=role.fte,
                start_month=role.start_month,
                duration_months=role.duration_months,
            )
            for role, _ in booked
        ]
        items.append(
            FteTimeAndMaterials(
                service=service,
                stage=stage,
                rate_card=RateCard(entries=entries),
                year=year,
                allocations=allocations,
            )
        )
    items.extend(
        PassThrough(
            service=cost.service,
            stage=cost.stage,
            estimate=Money(estimate, currency),
            management_fee=fee,
            description=cost.description,
        )
        for cost, (estimate, fee) in zip(costs, pass_through, strict=True)
    )
    try:
        return Proposal(cro_id=cro_id, currency=currency, items=items)
    except CrokitError as error:
        if isinstance(error, ValidationError):
            raise
        raise ValidationError.at("proposal", str(error)) from None


def _proposal(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Proposal):
        raise ValidationError.at(attribute.name, f"expected a Proposal, got {value!r}")


def _bid_assumptions(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, BidAssumptions):
        raise ValidationError.at(attribute.name, f"expected BidAssumptions, got {value!r}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Bid:
    """A CRO's bid as one document: its priced proposal and the assumptions it says it quoted under.

    Written and read as TOML, JSON or YAML through :mod:`crokit.serialization` (document
    ``bid``, ``schema_version = 1``).

    Attributes:
        proposal: The priced proposal.
        assumptions: Where the CRO's assumptions differ from the sponsor's (none by default).
    """

    __crokit_document__: ClassVar[DocumentSpec] = DocumentSpec(name="bid", version=1)

    proposal: Proposal = attrs.field(validator=_proposal)
    assumptions: BidAssumptions = attrs.field(factory=BidAssumptions, validator=_bid_assumptions)


def write_bid_grid(path: str | os.PathLike[str], grid: BidGrid, *, registry: Registry) -> Path:
    """Write *grid* as the workbook a CRO fills in, and return *path*.

    Sheets: ``Bid`` (the CRO's id and currency, to fill in; the grand total), ``Rates``
    (one row per unit-priced service: quantity locked, rate to fill in, ``=quantity*rate``),
    ``FTE`` (one row per role: FTE months locked, rate per FTE month to fill in),
    ``Pass-through`` (estimate and management fee to fill in), ``Assumptions`` (the
    sponsor's, read only) and ``Deviations`` (the CRO's own assumptions, where they
    differ). Sheets are protected without a password and only the cells to fill in
    are unlocked; rates carry data validation (a decimal >= 0). Totals are live
    formulas without a cached value: Excel computes them on opening, and
    :func:`read_bid` never reads them. Names are shown to people; the ids the
    importer needs are in grey columns at the right.

    Raises:
        MissingDependencyError: If openpyxl is not installed.
        UnknownIdError: If a service of the grid is not in *registry*.
        InputFileError: If *path* is a folder or its folder does not exist.
    """
    from crokit.bids._grid_write import write_bid_grid_workbook

    return write_bid_grid_workbook(path, grid, registry=registry)


def read_bid(
    path: str | os.PathLike[str],
    *,
    registry: Registry,
    cro: str | None = None,
    currency: str | None = None,
) -> Bid:
    """Read a bid grid workbook a CRO filled in (see :func:`write_bid_grid`) into a :class:`Bid`.

    Each ``Rates`` row becomes a unit price of the sheet's quantity, the ``FTE`` rows
    of each service one time-and-materials item at their rates per FTE month, each
    ``Pass-through`` row a pass-through cost; the bid's assumptions come from the
    ``Deviations`` sheet. Totals in the workbook are not read: the bid is priced again
    from the quantities and rates.

    Args:
        path: The workbook.
        registry: Where the service ids are looked up.
        cro: The CRO's id, if the ``Bid`` sheet does not give it (it must agree if it does).
        currency: The bid's currency, likewise.

    Raises:
        MissingDependencyError: If openpyxl is not installed.
        InputFileError: If the file is missing, too large, not an ``.xlsx`` workbook, or
            lacks one of the sheets.
        ValidationError: Every problem found, each at its cell
            (``Rates!D14: expected an amount, got "TBD"``).
    """
    from crokit.bids._grid_read import read_bid_workbook

    return read_bid_workbook(path, registry=registry, cro=cro, currency=currency)
