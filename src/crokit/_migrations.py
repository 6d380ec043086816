"""Upgrades of older scenario files to the current schema, as pure functions of the parsed mapping.

Version 1 to 2 (crokit 0.x, issue #8: one unit convention, one budget ceiling):

* every rate and share becomes a fraction: a percentage such as ``"5"`` becomes
  ``"0.05"`` exactly (:func:`crokit.units.from_percent`: only the decimal exponent
  moves), and the key is renamed where it named the unit:

  - fixed fee ``milestones[].percent`` -> ``share``;
  - FTE ``volume_discount.tiers[].percent`` -> ``rate``;
  - investigator grants ``holdback_percent`` -> ``holdback_share``;
  - adjustments ``percent-discount``, ``contingency``, ``management-fee``:
    ``percent`` -> ``rate``; ``tiered-discount`` ``tiers[].percent`` -> ``rate``;
    ``escalation`` ``annual_percent`` -> ``annual_rate``;
  - billing terms (the scenario's and each candidate's) ``holdback_percent`` ->
    ``holdback_share``;
  - answers to the built-in percentage questions
    (:data:`~crokit.selection.due_diligence.FRACTION_QUESTIONS`): ``number``.

  Fields that were already fractions (``management_fee`` of a pass-through,
  ``turnover_rate``, ``screen_failure_rate``, ``dropout_rate``) are left as they are.
* the budget ceiling is stated once, in ``selection.preferences.budget_ceiling``: a
  ``selection.constraints.budget_ceiling`` moves there and becomes
  ``constraints.within_budget_ceiling = true``; a file giving two different ceilings is
  refused with both values.

Version 2 to 3 (issue #10: pricing fit on an absolute scale by default):

* ``selection.preferences`` gains ``price_full_at`` and ``price_zero_at`` (the ceiling
  band of pricing fit, now 0.5 and 1.5 by default) and ``price_against_lowest`` now
  defaults to false. A version-2 file meant the old rule, so each of the three it does
  not state is written in with its version-2 value (``"0.8"``, ``"1.2"``, ``true``):
  the file ranks exactly as before. A file states the new defaults by leaving them
  out at version 3.

A value that is not an exact number (a float, malformed text) is left as it is, so the
loader refuses it with its path; nothing is ever rounded or silently changed.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

from crokit.errors import CrokitError, ValidationError
from crokit.selection.due_diligence import FRACTION_QUESTIONS
from crokit.units import from_percent

__all__ = ["SCENARIO_MIGRATIONS", "scenario_v1_to_v2", "scenario_v2_to_v3"]

_PERCENT_ADJUSTMENTS: Final = frozenset({"percent-discount", "contingency", "management-fee"})


def _fraction_text(value: object) -> object:
    """A percentage as fraction text (``"5"`` -> ``"0.05"``), or *value* unchanged if it is not an exact number."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        return value
    try:
        return str(from_percent(value))
    except CrokitError:
        return value


def _rename(table: object, old: str, new: str) -> None:
    """In a mapping, move *old* to *new* as a fraction (a clash with *new* is left for the loader to report)."""
    if isinstance(table, dict) and old in table and new not in table:
        table[new] = _fraction_text(table.pop(old))


def _each(value: object) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _item(item: object) -> None:
    if not isinstance(item, dict):
        return
    kind = item.get("kind")
    if kind == "fixed-fee":
        for payment in _each(item.get("milestones")):
            _rename(payment, "percent", "share")
    elif kind == "fte":
        discount = item.get("volume_discount")
        if isinstance(discount, dict):
            for tier in _each(discount.get("tiers")):
                _rename(tier, "percent", "rate")
    elif kind == "investigator-grants":
        _rename(item, "holdback_percent", "holdback_share")


def _adjustment(adjustment: object) -> None:
    if not isinstance(adjustment, dict):
        return
    kind = adjustment.get("kind")
    if kind in _PERCENT_ADJUSTMENTS:
        _rename(adjustment, "percent", "rate")
    elif kind == "tiered-discount":
        for tier in _each(adjustment.get("tiers")):
            _rename(tier, "percent", "rate")
    elif kind == "escalation":
        _rename(adjustment, "annual_percent", "annual_rate")


def _candidate(candidate: object) -> None:
    if not isinstance(candidate, dict):
        return
    proposal = candidate.get("proposal")
    if isinstance(proposal, dict):
        for item in _each(proposal.get("items")):
            _item(item)
        for adjustment in _each(proposal.get("adjustments")):
            _adjustment(adjustment)
    _rename(candidate.get("billing"), "holdback_percent", "holdback_share")
    for answer in _each(candidate.get("answers")):
        if isinstance(answer, dict) and answer.get("question") in FRACTION_QUESTIONS and "number" in answer:
            answer["number"] = _fraction_text(answer["number"])


def _same_money(a: object, b: object) -> bool:
    if isinstance(a, dict) and isinstance(b, dict) and set(a) == set(b) == {"amount", "currency"}:
        try:
            return Decimal(str(a["amount"])) == Decimal(str(b["amount"])) and a["currency"] == b["currency"]
        except ArithmeticError:
            return a == b
    return a == b


def _show(money: object) -> str:
    if isinstance(money, dict) and set(money) == {"amount", "currency"}:
        return f"{money['amount']} {money['currency']}"
    return repr(money)


def _one_ceiling(selection: object) -> None:
    if not isinstance(selection, dict):
        return
    constraints = selection.get("constraints")
    if not isinstance(constraints, dict) or "budget_ceiling" not in constraints:
        return
    hard = constraints.pop("budget_ceiling")
    preferences = selection.setdefault("preferences", {})
    if not isinstance(preferences, dict):
        return
    if "budget_ceiling" in preferences and not _same_money(preferences["budget_ceiling"], hard):
        raise ValidationError.at(
            "selection.constraints.budget_ceiling",
            f"the budget ceiling is given twice with different values: {_show(hard)} here and "
            f"{_show(preferences['budget_ceiling'])} in selection.preferences.budget_ceiling; a scenario states "
            "it once (schema version 2: selection.preferences.budget_ceiling, with "
            "selection.constraints.within_budget_ceiling = true to exclude candidates above it)",
        )
    preferences.setdefault("budget_ceiling", hard)
    constraints["within_budget_ceiling"] = True


def scenario_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Upgrade a version-1 scenario mapping to version 2 (see the module docstring); *data* is not changed.

    Raises:
        ValidationError: If the file gives two different budget ceilings.
    """
    result = copy.deepcopy(data)
    for candidate in _each(result.get("candidates")):
        _candidate(candidate)
    _rename(result.get("billing"), "holdback_percent", "holdback_share")
    _one_ceiling(result.get("selection"))
    return result


_V2_PRICING_FIT: Final = {"price_full_at": "0.8", "price_zero_at": "1.2", "price_against_lowest": True}
"""How a version-2 scenario scored pricing fit, in the version-3 fields."""


def scenario_v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    """Upgrade a version-2 scenario mapping to version 3 (see the module docstring); *data* is not changed.

    A ``selection`` or ``selection.preferences`` that is not a table is left as it is,
    for the loader to refuse with its path.
    """
    result = copy.deepcopy(data)
    selection = result.setdefault("selection", {})
    if not isinstance(selection, dict):
        return result
    preferences = selection.setdefault("preferences", {})
    if isinstance(preferences, dict):
        for key, value in _V2_PRICING_FIT.items():
            preferences.setdefault(key, value)
    return result


SCENARIO_MIGRATIONS: Final[dict[int, Callable[[dict[str, Any]], dict[str, Any]]]] = {
    1: scenario_v1_to_v2,
    2: scenario_v2_to_v3,
}
"""The scenario's migrations: ``{n: upgrade from version n to n + 1}``."""
