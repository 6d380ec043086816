"""Scope coverage and the total cost of outsourcing.

A functional service provider may bid monitoring only while the sponsor keeps data
management in-house; a niche CRO may leave biostatistics to another vendor. Comparing
their prices with a full-service bid as they stand compares different scopes. For each
required service of the study, :func:`scope_coverage` says whether the candidate's
budget prices it, the sponsor does it (at an internal cost estimate), another vendor
does it (at that vendor's price), or nobody does (a gap, which makes the candidate's
total not like for like). The **total cost of outsourcing** is the candidate's price
plus the sponsor-internal and other-vendor costs of the scope it does not cover.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from crokit._convert import to_tuple
from crokit._members import as_member
from crokit._typed import typed_fields
from crokit._validators import non_empty_text
from crokit.errors import Problem, ValidationError
from crokit.money import Money
from crokit.pricing.budget import Budget
from crokit.vocabulary.ids import ServiceId, check_id

__all__ = ["Coverage", "CoverageRow", "OutsideScope", "ScopeCoverage", "scope_coverage"]


class Coverage(enum.Enum):
    """Who covers a required service for a candidate."""

    PRICED = "priced"
    """The candidate's budget prices it."""
    SPONSOR = "sponsor"
    """The sponsor does it in-house, at an internal cost estimate."""
    OTHER_VENDOR = "other-vendor"
    """Another vendor does it, at that vendor's price."""
    MISSING = "missing"
    """Nobody: a gap in the scope."""


def _service(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_id(value, path=attribute.name)


def _as_coverage(value: object) -> object:
    """A converter: text (the value or name) to a Coverage member."""
    return as_member(Coverage, value)


def _by(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not Coverage.SPONSOR and value is not Coverage.OTHER_VENDOR:
        shown = value.value if isinstance(value, Coverage) else value
        raise ValidationError.at(attribute.name, f"expected 'sponsor' or 'other-vendor', got {shown!r}")


def _cost(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Money):
        raise ValidationError.at(attribute.name, f"expected Money, got {value!r}")
    if value.amount < 0:
        raise ValidationError.at(attribute.name, f"expected a cost >= 0, got {value}")


def _optional_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        non_empty_text(instance, attribute, value)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class OutsideScope:
    """A required service a candidate's bid leaves out, done by the sponsor or another vendor.

    Attributes:
        service: The service.
        by: ``sponsor`` (in-house) or ``other-vendor``.
        cost: The sponsor's internal cost estimate, or the other vendor's price.
        vendor: The other vendor's name (required for ``other-vendor``).
        note: Where the figure comes from.
    """

    service: ServiceId = attrs.field(validator=_service)
    by: Coverage = attrs.field(converter=_as_coverage, validator=_by)
    cost: Money = attrs.field(validator=_cost)
    vendor: str | None = attrs.field(default=None, validator=_optional_text)
    note: str | None = attrs.field(default=None, validator=_optional_text)

    def __attrs_post_init__(self) -> None:
        if self.by is Coverage.OTHER_VENDOR and self.vendor is None:
            raise ValidationError.at("vendor", "name the other vendor that does the service")
        if self.by is Coverage.SPONSOR and self.vendor is not None:
            raise ValidationError.at("vendor", "the sponsor does the service itself; leave the vendor out")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class CoverageRow:
    """One required service for one candidate.

    Attributes:
        service: The service.
        coverage: Who covers it.
        amount: The candidate's price for it, or the outside cost; zero when missing.
        vendor: The other vendor, if any.
    """

    service: ServiceId = attrs.field(validator=_service)
    coverage: Coverage = attrs.field(converter=_as_coverage)
    amount: Money
    vendor: str | None = None


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ScopeCoverage:
    """A candidate's coverage of the required scope and its total cost of outsourcing.

    Attributes:
        rows: One row per required service, in the study's order.
        cro_price: The candidate's budget total (all it prices, required or not).
        sponsor_internal: The sponsor's internal cost of the services it keeps.
        other_vendors: Other vendors' prices for the services they take.
        warnings: Required services nobody covers, and services both priced and assigned outside.
    """

    rows: tuple[CoverageRow, ...] = attrs.field(converter=to_tuple)
    cro_price: Money
    sponsor_internal: Money
    other_vendors: Money
    warnings: tuple[str, ...] = attrs.field(converter=to_tuple)

    @property
    def total_cost_of_outsourcing(self) -> Money:
        """The candidate's price plus the sponsor-internal and other-vendor costs of the rest of the scope."""
        return self.cro_price + self.sponsor_internal + self.other_vendors

    @property
    def missing(self) -> tuple[str, ...]:
        """Required services nobody covers."""
        return tuple(row.service for row in self.rows if row.coverage is Coverage.MISSING)

    @property
    def like_for_like(self) -> bool:
        """Whether every required service is covered, so the total compares like for like."""
        return not self.missing


def scope_coverage(
    budget: Budget,
    *,
    required_services: Iterable[str],
    outside: Sequence[OutsideScope] = (),
    candidate: str = "the candidate",
) -> ScopeCoverage:
    """Who covers each required service for a candidate, and its total cost of outsourcing.

    Outside costs must be in the budget's currency (convert them first). A service both
    priced by the budget and assigned outside is counted twice and warned about; a
    service assigned outside twice is refused with its path.

    >>> from crokit import Money
    >>> from crokit.pricing import Budget
    >>> coverage = scope_coverage(
    ...     Budget(currency="USD"),
    ...     required_services=["crokit:data-management", "crokit:biostatistics"],
    ...     outside=[OutsideScope(service="crokit:data-management", by="sponsor", cost=Money("80000.00", "USD"))],
    ...     candidate="monitor-fsp",
    ... )
    >>> [row.coverage.value for row in coverage.rows]
    ['sponsor', 'missing']
    >>> coverage.warnings
    ('monitor-fsp: nobody covers crokit:biostatistics; its total is not like for like',)
    """
    problems: list[Problem] = []
    assigned: dict[str, OutsideScope] = {}
    for index, item in enumerate(outside):
        if item.cost.currency != budget.currency:
            problems.append(
                Problem(
                    path=f"outside[{index}].cost",
                    message=f"expected a cost in {budget.currency}, the budget's currency, got {item.cost}",
                )
            )
        if item.service in assigned:
            problems.append(Problem(path=f"outside[{index}].service", message=f"{item.service} is assigned twice"))
        assigned[item.service] = item
    if problems:
        raise ValidationError(problems)
    priced = budget.by_service()
    zero = Money.zero(budget.currency)
    rows: list[CoverageRow] = []
    warnings: list[str] = []
    for service in dict.fromkeys(required_services):
        check_id(service, path="required_services")
        if service in assigned:
            item = assigned[service]
            rows.append(CoverageRow(service=service, coverage=item.by, amount=item.cost, vendor=item.vendor))
            if service in priced:
                warnings.append(
                    f"{candidate}: {service} is priced by the bid and also assigned to "
                    f"{item.vendor or 'the sponsor'}; it is counted twice"
                )
        elif service in priced:
            rows.append(CoverageRow(service=service, coverage=Coverage.PRICED, amount=priced[service]))
        else:
            rows.append(CoverageRow(service=service, coverage=Coverage.MISSING, amount=zero))
            warnings.append(f"{candidate}: nobody covers {service}; its total is not like for like")
    sponsor = [row.amount for row in rows if row.coverage is Coverage.SPONSOR]
    vendors = [row.amount for row in rows if row.coverage is Coverage.OTHER_VENDOR]
    return ScopeCoverage(
        rows=rows,
        cro_price=budget.total,
        sponsor_internal=sum(sponsor[1:], sponsor[0]) if sponsor else zero,
        other_vendors=sum(vendors[1:], vendors[0]) if vendors else zero,
        warnings=warnings,
    )
