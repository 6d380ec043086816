"""Hard constraints: the conditions a candidate must meet before it is scored at all.

:func:`check_constraints` returns every reason a candidate fails (an empty tuple means
it is eligible), never just the first. The built-in constraints are switches and
thresholds on :class:`Constraints`; :class:`CustomConstraint` adds more as plain,
serialisable data (no code is read from scenario files).

>>> CustomConstraint(id="no-acme", description="Acme is conflicted",
...                  kind=CustomConstraintKind.EXCLUDE_CANDIDATE, value="acme").value
'acme'
"""

from __future__ import annotations

import enum
import re
from decimal import Decimal
from typing import Any

import attrs

from crokit._convert import to_tuple
from crokit._decimal import to_decimal
from crokit._typed import typed_fields
from crokit._validators import SLUG_PATTERN, as_member, is_member, non_empty_text, slug, whole_number
from crokit.errors import CrokitError, ValidationError
from crokit.provider import TechnologyKind
from crokit.selection.rules import ScoringContext
from crokit.units import check_fraction
from crokit.vocabulary.ids import check_id

__all__ = [
    "Constraints",
    "CustomConstraint",
    "CustomConstraintKind",
    "check_constraints",
]

_WHOLE = re.compile(r"[0-9]{1,6}")


class CustomConstraintKind(enum.Enum):
    """What a :class:`CustomConstraint` checks, and how its ``value`` text is read.

    - ``MIN_STUDIES``: at least ``value`` (a whole number) studies in the study's area
      and phase.
    - ``MAX_TURNOVER``: annual staff turnover at most ``value`` (a rate such as ``"0.25"``);
      a profile without team data fails.
    - ``REQUIRE_CATEGORY``: the candidate is in the CRO category ``value`` (an id).
    - ``REQUIRE_TECHNOLOGY``: the candidate runs a ``value`` platform (``"edc"``), validated.
    - ``EXCLUDE_CANDIDATE``: the candidate whose id is ``value`` is excluded.
    """

    MIN_STUDIES = "min-studies"
    MAX_TURNOVER = "max-turnover"
    REQUIRE_CATEGORY = "require-category"
    REQUIRE_TECHNOLOGY = "require-technology"
    EXCLUDE_CANDIDATE = "exclude-candidate"


def _as_custom_constraint_kind(value: object) -> object:
    """A converter: text (the value or name) to CustomConstraintKind member (see :func:`crokit._members.as_member`)."""
    return as_member(CustomConstraintKind, value)


def _check_value(kind: CustomConstraintKind, value: str) -> None:
    """Raise ValidationError (path ``value``) if *value* does not fit *kind*."""
    try:
        if kind is CustomConstraintKind.MIN_STUDIES:
            if not _WHOLE.fullmatch(value):
                raise ValidationError.at("value", f"expected a whole number of studies such as '3', got {value!r}")
        elif kind is CustomConstraintKind.MAX_TURNOVER:
            check_fraction(to_decimal(value, what="rate"), "value")
        elif kind is CustomConstraintKind.REQUIRE_CATEGORY:
            check_id(value, path="value")
        elif kind is CustomConstraintKind.REQUIRE_TECHNOLOGY:
            TechnologyKind(value)
        elif not SLUG_PATTERN.match(value):
            raise ValidationError.at("value", f"expected a candidate id such as 'acme-cro', got {value!r}")
    except ValidationError:
        raise
    except (CrokitError, ValueError):
        names = ", ".join(repr(k.value) for k in TechnologyKind)
        expected = f"one of {names}" if kind is CustomConstraintKind.REQUIRE_TECHNOLOGY else "a rate such as '0.25'"
        raise ValidationError.at("value", f"expected {expected}, got {value!r}") from None


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class CustomConstraint:
    """A sponsor's own hard constraint, as data.

    Attributes:
        id: A short id for the constraint (``"max-turnover-25"``).
        description: What it means, shown in exclusion reasons.
        kind: What it checks (see :class:`CustomConstraintKind`).
        value: Its parameter as text, read as the kind says.
    """

    id: str = attrs.field(validator=slug)
    description: str = attrs.field(validator=non_empty_text)
    kind: CustomConstraintKind = attrs.field(
        converter=_as_custom_constraint_kind, validator=is_member(CustomConstraintKind)
    )
    value: str = attrs.field(validator=non_empty_text)

    def __attrs_post_init__(self) -> None:
        """Check that the value can be read as the kind says."""
        _check_value(self.kind, self.value.strip())


def _customs(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    seen: dict[str, int] = {}
    for index, item in enumerate(value):
        if not isinstance(item, CustomConstraint):
            raise ValidationError.at(f"{attribute.name}[{index}]", f"expected a CustomConstraint, got {item!r}")
        if item.id in seen:
            raise ValidationError.at(
                f"{attribute.name}[{index}].id", f"{item.id!r} is already used by {attribute.name}[{seen[item.id]}]"
            )
        seen[item.id] = index


def _flag(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise ValidationError.at(attribute.name, f"expected true or false, got {value!r}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Constraints:
    """The hard constraints every candidate must meet to be scored.

    Attributes:
        must_conduct_research: The candidate's kind must sell research services (a CDMO
            or CMO is excluded).
        require_services: The candidate must offer every service the study requires.
        require_countries: The candidate must cover every country of the study.
        min_area_studies: At least this many studies in the study's therapeutic area
            (any phase).
        within_budget_ceiling: The quoted budget's total must not exceed the sponsor's
            budget ceiling (:attr:`~crokit.selection.SponsorPreferences.budget_ceiling`,
            the one place the ceiling is stated); a candidate without a budget is
            excluded when it is set.
        custom: The sponsor's own constraints.
    """

    must_conduct_research: bool = attrs.field(default=True, validator=_flag)
    require_services: bool = attrs.field(default=True, validator=_flag)
    require_countries: bool = attrs.field(default=True, validator=_flag)
    min_area_studies: int = attrs.field(default=0, validator=whole_number(0, 100_000))
    within_budget_ceiling: bool = attrs.field(default=False, validator=_flag)
    custom: tuple[CustomConstraint, ...] = attrs.field(default=(), converter=to_tuple, validator=_customs)


def _custom_failure(ctx: ScoringContext, item: CustomConstraint, path: str) -> str | None:
    profile, value = ctx.profile, item.value.strip()
    failure: str | None = None
    if item.kind is CustomConstraintKind.MIN_STUDIES:
        found = profile.studies_in(ctx.study.therapeutic_area, ctx.study.phase)
        if found < int(value):
            area = ctx.registry.name_of(ctx.study.therapeutic_area, "area")
            failure = f"{found} studies in {area} at {ctx.study.phase.label}, needs {value}"
    elif item.kind is CustomConstraintKind.MAX_TURNOVER:
        if profile.team is None:
            failure = f"no staff turnover in the profile, needs at most {value}"
        elif profile.team.turnover_rate > Decimal(value):
            failure = f"staff turnover {profile.team.turnover_rate} is above {value}"
    elif item.kind is CustomConstraintKind.REQUIRE_CATEGORY:
        ctx.registry.category(value, path=f"{path}.value")
        if value not in profile.categories:
            failure = f"not in the category {ctx.registry.name_of(value, 'category')}"
    elif item.kind is CustomConstraintKind.REQUIRE_TECHNOLOGY:
        kind = TechnologyKind(value)
        if not any(t.kind is kind and t.validated for t in profile.technologies):
            failure = f"runs no validated {value} platform"
    elif profile.id == value:
        failure = "excluded by the sponsor"
    return None if failure is None else f"{item.id} ({item.description}): {failure}"


def check_constraints(ctx: ScoringContext, constraints: Constraints) -> tuple[str, ...]:
    """Every reason the candidate of *ctx* fails *constraints*; empty if it is eligible.

    Raises:
        UnknownIdError: For a ``require-category`` constraint naming an unknown
            category (path ``custom[i].value``).
        ValidationError: If the budget and the ceiling are in different currencies.
    """
    profile, study = ctx.profile, ctx.study
    reasons: list[str] = []
    if constraints.must_conduct_research and not profile.kind.conducts_research:
        reasons.append(f"a {profile.kind.label} does not conduct research: it is not a CRO candidate")
    if constraints.require_services:
        missing = [s for s in study.required_services if s not in profile.services]
        if missing:
            reasons.append(
                "does not offer required services: " + ", ".join(ctx.registry.name_of(s, "service") for s in missing)
            )
    if constraints.require_countries:
        uncovered = sorted(study.country_codes - profile.country_codes)
        if uncovered:
            reasons.append("does not cover study countries: " + ", ".join(uncovered))
    if constraints.min_area_studies:
        found = profile.studies_in(study.therapeutic_area)
        if found < constraints.min_area_studies:
            reasons.append(
                f"{found} studies in {ctx.registry.name_of(study.therapeutic_area, 'area')}, "
                f"fewer than the {constraints.min_area_studies} required"
            )
    ceiling = ctx.preferences.budget_ceiling if constraints.within_budget_ceiling else None
    if constraints.within_budget_ceiling and ceiling is None:
        raise ValidationError.at(
            "within_budget_ceiling", "no budget ceiling to check against: set preferences.budget_ceiling"
        )
    if ceiling is not None:
        if ctx.budget is None:
            reasons.append(f"no budget quoted, so the ceiling {ceiling:,} cannot be checked")
        elif ctx.budget.currency != ceiling.currency:
            raise ValidationError.at(
                "budget_ceiling", f"the ceiling is in {ceiling.currency} but the budget in {ctx.budget.currency}"
            )
        elif ctx.budget.total > ceiling:
            reasons.append(f"budget {ctx.budget.total:,} is above the ceiling {ceiling:,}")
    for index, item in enumerate(constraints.custom):
        reason = _custom_failure(ctx, item, f"custom[{index}]")
        if reason is not None:
            reasons.append(reason)
    return tuple(reasons)
