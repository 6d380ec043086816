"""Starting scenarios: ``crokit template scenario``, and a scenario built around an imported study.

:func:`scenario_template` gives the built-in template: the demo scenario cut to two
candidates, written as TOML, with a comment before each section saying what it holds.
Every figure in it is illustrative.

:func:`scenario_for_study` puts a study (typically one read by :mod:`crokit.interop`)
into that template, or into a scenario of your own, so that ``crokit evaluate`` can run
at once (``crokit import usdm FILE --scenario``). The built-in template is adapted to
the study so that its illustrative prices make sense for it: the proposals' stages
follow the study's phase, their dates move with its start date, the candidates'
experience and country coverage name the study's area and countries, and the budget
ceiling keeps the template's headroom over its dearest candidate. Every adaptation is
listed in the scenario's ``notes``. A scenario of your own is kept as written, apart from
its study.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal
from typing import TYPE_CHECKING, Any, Final

import attrs

from crokit.errors import MissingDependencyError, ValidationError
from crokit.money import Money
from crokit.registry import Registry
from crokit.scenario import Scenario
from crokit.serialization import structure, unstructure

if TYPE_CHECKING:
    from crokit.study import Study

__all__ = ["engagement_template", "render_scenario", "scenario_for_study", "scenario_template"]

_HEADER: Final = """\
# A crokit scenario: one outsourcing decision in one file.
#
# Check it with `crokit validate FILE`, run it with `crokit evaluate FILE`.
# Every company, rate and answer below is ILLUSTRATIVE: replace them with your own.
# Money and other exact numbers are written as strings ("1850.00"), never as floats;
# dates as 2027-01-04; ids of crokit's vocabulary as listed by `crokit catalogue`.
"""

_COMMENTS: Final = {
    "[study]": "# The study you are outsourcing: phase, area, patients, sites, countries, visit schedule.",
    "[[study.visits]]": "# One patient's visit schedule, in day order (CRF pages drive data-management pricing).",
    "[assumptions]": "# Planning assumptions that turn the study into counts (months per period, monitoring).",
    "[[candidates]]": "# A candidate provider: its profile, its priced proposal and its due-diligence answers.",
    "[candidates.profile]": "# What the provider is, offers, covers and has done.",
    "[candidates.proposal]": "# Its proposal: pricing items (each with a `kind`), adjustments and performance terms.",
    "[selection]": "# How to choose: method, criteria and weights (or AHP `pairwise`), constraints, preferences.",
    "[billing]": "# Default billing terms: frequency, payment days (net 30/45/60), holdback.",
    "[fx]": "# Exchange rates for proposals in another currency than the study's (none needed here).",
    "[sensitivity]": "# The tornado: no ranges varies the default assumptions over illustrative default ranges.",
}

_ISO_DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TEMPLATE_YEARS: Final = (1990, 2095)
"""Start years the built-in template can be moved to: its rate cards span three years from the
start, and crokit's rate cards take years from 1990 to 2100."""
_CEILING_STEP: Final = Decimal(10_000)
"""Budget ceilings of the adapted template are rounded up to a multiple of this (in the study's currency)."""


@functools.cache
def _template() -> Scenario:
    from crokit.demo import demo_scenario
    from crokit.sensitivity import SensitivitySettings

    demo = demo_scenario()
    return attrs.evolve(
        demo,
        title="My CRO evaluation (illustrative starting point)",
        candidates=demo.candidates[1:3],
        sensitivity=SensitivitySettings(),  # default ranges fit any study; the demo's are the demo's
        forecast=None,  # the demo's illustrative rates fit its own study only
    )


def _drop_none(data: object) -> object:
    if isinstance(data, dict):
        return {key: _drop_none(value) for key, value in data.items() if value is not None}
    if isinstance(data, list):
        return [_drop_none(value) for value in data]
    return data


def render_scenario(scenario: Scenario, registry: Registry | None = None) -> str:
    """*scenario* as TOML, with the template's fixed comment before each section.

    Only the fixed texts of this module become comments: every value of the scenario
    is written by the TOML writer (texts with line breaks, such as ``notes``, as
    multi-line strings), so no text from a file can turn into a key.
    """
    try:
        import tomli_w
    except ImportError:  # pragma: no cover - the toml extra is part of dev
        raise MissingDependencyError("tomli-w", "toml") from None
    data = _drop_none(unstructure(scenario, registry=registry))
    text = tomli_w.dumps(data, multiline_strings=True)  # type: ignore[arg-type]
    lines: list[str] = []
    seen: set[str] = set()
    for line in text.splitlines():
        comment = _COMMENTS.get(line)
        if comment is not None and line not in seen:
            seen.add(line)
            lines.append(comment)
        lines.append(line)
    return _HEADER + "\n" + "\n".join(lines) + "\n"


def scenario_template(registry: Registry | None = None) -> str:
    """The commented TOML text of a small, complete, valid scenario."""
    return render_scenario(_template(), registry)


def scenario_for_study(
    study: Study,
    *,
    template: Scenario | None = None,
    registry: Registry | None = None,
    notes: Sequence[str] = (),
) -> tuple[Scenario, tuple[str, ...]]:
    """A complete scenario around *study*: the built-in template adapted to it, or *template* with its study replaced.

    Args:
        study: The study to outsource.
        template: A scenario whose study is replaced; ``None`` uses the built-in
            (illustrative) template, adapted to the study as described in this module.
        registry: The vocabulary (default: the built-ins plus installed extensions).
        notes: Lines put first in the scenario's ``notes`` (an import report, say).

    Returns:
        The scenario, ready for :func:`~crokit.evaluate`, and each change made to the
        template for the study, as a sentence (also written into its ``notes``).

    Raises:
        ValidationError: If the built-in template cannot price the study's currency
            (it has no exchange rates), or the adapted scenario is invalid.
    """
    from crokit.registry import default_registry

    registry = registry if registry is not None else default_registry()
    base = template if template is not None else _template()
    adaptations: list[str] = []
    if not study.required_services and base.study.required_services:
        study = attrs.evolve(study, required_services=base.study.required_services)
        adaptations.append(
            "study.required_services taken from the template (the study file names none): "
            + ", ".join(base.study.required_services)
        )
    if not study.visits and base.study.visits:
        study = attrs.evolve(study, visits=base.study.visits)
        adaptations.append(
            "study.visits: the study file has no visit schedule, so the template's ILLUSTRATIVE schedule of "
            f"{len(base.study.visits)} visits is used to price per-visit and per-page work; replace it"
        )
    if template is None:
        scenario = _adapt(study, base, registry, adaptations)
    else:
        scenario = attrs.evolve(template, study=study)
        adaptations.append("the template's candidates, proposals, dates and constraints are kept as written")
    text = "\n".join(
        [*notes, *(["", "Adapted for this study:"] if adaptations else []), *(f"  - {a}" for a in adaptations)]
    )
    kept = [part for part in (base.notes, text.strip("\n")) if part]
    scenario = attrs.evolve(scenario, notes="\n\n".join(kept) or None)
    return scenario, tuple(adaptations)


def _shift(node: Any, *, days: int, years: int, old_stage: str, new_stage: str) -> Any:
    """A copy of plain data with ISO dates moved by *days*, ``year`` by *years*, and the stage replaced."""
    if isinstance(node, dict):
        result: dict[str, Any] = {}
        for key, value in node.items():
            if key == "year" and isinstance(value, int) and not isinstance(value, bool):
                result[key] = value + years
            elif key == "stage" and value == old_stage:
                result[key] = new_stage
            else:
                result[key] = _shift(value, days=days, years=years, old_stage=old_stage, new_stage=new_stage)
        return result
    if isinstance(node, list):
        return [_shift(item, days=days, years=years, old_stage=old_stage, new_stage=new_stage) for item in node]
    if isinstance(node, str) and _ISO_DATE.match(node):
        return (date.fromisoformat(node) + timedelta(days=days)).isoformat()
    return node


def _adapt(study: Study, base: Scenario, registry: Registry, adaptations: list[str]) -> Scenario:
    """The built-in template made to fit *study* (see the module docstring)."""
    if study.currency != base.study.currency:
        raise ValidationError.at(
            "study.currency",
            f"the built-in template prices in {base.study.currency} and has no exchange rates for "
            f"{study.currency}; use --currency {base.study.currency}, or pass a template scenario with "
            f"{study.currency} prices or rates (--scenario TEMPLATE)",
        )
    days = (study.start_date - base.study.start_date).days
    years = study.start_date.year - base.study.start_date.year
    first, last = _TEMPLATE_YEARS
    if not first <= study.start_date.year <= last:
        raise ValidationError.at(
            "study.start_date",
            f"the built-in template's rate cards can follow a study starting from {first} to {last}, "
            f"not {study.start_date}; pass a template scenario of your own (--scenario TEMPLATE)",
        )
    data = unstructure(base, registry=registry)
    for key in ("candidates", "milestones", "fx"):
        if data.get(key) is not None:
            data[key] = _shift(
                data[key], days=days, years=years, old_stage=base.study.phase.value, new_stage=study.phase.value
            )
    data["study"] = unstructure(study, registry=registry)
    data["study"].pop("schema_version", None)
    data["title"] = f"CRO evaluation for {study.name} (illustrative candidates)"
    if study.sponsor:
        data["sponsor"] = study.sponsor
    scenario = structure(data, Scenario, registry=registry)
    adaptations.append(
        f"the template's proposal and exchange-rate dates moved by {days} days and rate-card years by {years} "
        f"to follow the study's start date {study.start_date}; their stage set to the study's phase {study.phase.value}"
    )
    candidates = []
    for candidate in scenario.candidates:
        profile = candidate.profile
        experience = tuple(
            attrs.evolve(item, area=study.therapeutic_area, phase=study.phase)
            if (item.area, item.phase) == (base.study.therapeutic_area, base.study.phase)
            else item
            for item in profile.experience
        )
        missing = [code for code in study.countries if code not in profile.country_codes]
        candidates.append(
            attrs.evolve(
                candidate,
                profile=attrs.evolve(profile, experience=experience, countries=(*profile.countries, *missing)),
            )
        )
    scenario = attrs.evolve(scenario, candidates=tuple(candidates))
    adaptations.append(
        f"the illustrative candidates' experience in {base.study.therapeutic_area} {base.study.phase.value} is "
        f"counted as experience in {study.therapeutic_area} {study.phase.value}, and each is assumed to cover "
        f"the study's countries ({', '.join(study.countries)})"
    )
    return _ceilings(scenario, base, registry, adaptations)


def _dearest(scenario: Scenario, registry: Registry) -> Money | None:
    """The largest candidate budget of *scenario*, priced with no budget ceiling."""
    from crokit.scenario import evaluate

    selection = scenario.selection
    free = attrs.evolve(
        scenario,
        selection=attrs.evolve(
            selection,
            constraints=attrs.evolve(selection.constraints, within_budget_ceiling=False),
            preferences=attrs.evolve(selection.preferences, budget_ceiling=None),
        ),
    )
    totals = [result.budget.total for result in evaluate(free, registry=registry).candidates if result.budget]
    return max(totals, key=lambda money: money.amount, default=None)


def _ceilings(scenario: Scenario, base: Scenario, registry: Registry, adaptations: list[str]) -> Scenario:
    """The budget ceilings scaled so that they keep the template's headroom over its dearest candidate."""
    selection = scenario.selection
    old = selection.preferences.budget_ceiling
    base_dearest = _dearest(base, registry)
    dearest = _dearest(scenario, registry)
    if old is None or base_dearest is None or dearest is None or not base_dearest.amount:
        return scenario
    headroom = old.amount / base_dearest.amount
    amount = (dearest.amount * headroom / _CEILING_STEP).to_integral_value(rounding=ROUND_CEILING) * _CEILING_STEP
    ceiling = Money(amount.quantize(Decimal("0.01")), dearest.currency)
    preferences = attrs.evolve(selection.preferences, budget_ceiling=ceiling)
    adaptations.append(
        f"budget ceiling {ceiling.amount:,} {ceiling.currency}: the template's ceiling was {headroom:.3f} times "
        f"its dearest candidate's budget; the same headroom over this study's dearest budget "
        f"({dearest.amount:,} {dearest.currency}), rounded up to {_CEILING_STEP:,}"
    )
    return attrs.evolve(scenario, selection=attrs.evolve(selection, preferences=preferences))


_ENGAGEMENT_HEADER: Final = """\
# A crokit engagement: a signed outsourcing engagement and what has happened since.
#
# Run it with `crokit engagement status FILE` (plan, actuals, accruals, estimate at
# completion, KPIs) and `crokit engagement obligations FILE` (who holds each sponsor
# obligation under 21 CFR 312.50-312.59). Every company, count and price below is
# ILLUSTRATIVE: replace them with your own. Money is written as strings ("1850.00"),
# dates as 2027-01-04, months of work as 2027-03-01.
"""

_ENGAGEMENT_COMMENTS: Final = {
    "[sponsor]": "# The sponsor: it keeps every obligation it does not transfer in writing.",
    "[study]": "# The study as signed.",
    "[assumptions]": "# The planning assumptions as signed (months per period, monitoring frequency).",
    "[[providers]]": "# Each provider, with its written agreement (obligations are transferred in writing).",
    "[[contracts]]": "# Each provider's contract: the signed proposal, its change orders and the actuals.",
    "[[contracts.contract.change_orders]]": "# A change order: what it changes, and from which date it takes effect.",
    "[contracts.actuals]": "# What has happened: work by month, milestones reached, invoices received.",
    "[[scope]]": "# Who does what: each service to a party, with RACI roles (R, A, C, I).",
    "[[transfers]]": "# Sponsor obligations transferred, where the agreement says so, and the sponsor's oversight.",
    "[[kpis]]": "# The sponsor's KPI thresholds (crokit ships none: they are your choice).",
    "[[observations]]": "# Values of the KPIs the sponsor records itself (query turnaround, ...).",
}


def engagement_template(registry: Registry | None = None) -> str:
    """The commented TOML text of the demo engagement: a complete, valid starting point."""
    from crokit.demo_engagement import demo_engagement

    lines: list[str] = []
    seen: set[str] = set()
    from crokit.serialization import dumps

    for line in dumps(demo_engagement(), "toml", registry=registry).splitlines():
        comment = _ENGAGEMENT_COMMENTS.get(line.strip())
        if comment is not None and line.strip() not in seen:
            seen.add(line.strip())
            lines.append(comment)
        lines.append(line)
    return _ENGAGEMENT_HEADER + "\n" + "\n".join(lines) + "\n"
