"""Scoring rules: how each built-in criterion maps a candidate onto 0..1 (1 best).

Each rule takes a :class:`ScoringContext` (the study, one candidate's profile, its
quoted budget and due-diligence answers, the sponsor's preferences and the registry)
and returns a :class:`CriterionScore` whose ``basis`` says in words how the value was
reached and whose ``inputs`` list the numbers used.

The profile part of each rule (every constant below is an illustrative default chosen
for crokit, not a published figure):

* :func:`therapeutic_expertise`: ``min(1, (A + 0.5 x B) / 5)``, where A is the studies
  the CRO ran in the study's area and phase and B those in the area at other phases.
* :func:`geographic_reach`: the share of the study's countries the CRO covers.
* :func:`technology`: the mean over the platforms the study needs of 1 (offered and
  validated), 0.5 (offered, not validated) or 0 (not offered). The platforms needed
  are the sponsor's ``required_technologies``, or else those the study's required
  services imply (EDC for data management, IRT for trial supply, ...), or else EDC.
* :func:`team_experience`: ``0.4 x min(1, years / min_team_years) + 0.4 x max(0, 1 -
  turnover / 0.4) + 0.2 x (1 if the team is named else 0)``; 0 without team data.
* :func:`pricing_fit`: rewards a lower price, on an absolute scale by default. With T
  the candidate's budget total and C the sponsor's budget ceiling, the ceiling position
  scores 1 at or below ``price_full_at`` x C (default 50%), 0.5 at the ceiling and 0 at
  or above ``price_zero_at`` x C (default 150%), linear between:
  ``(zero_at - T/C) / (zero_at - full_at)``, clipped to 0..1. With preferred pricing
  kinds, the share of the budget in those kinds scores itself (100% for a total of 0
  or less: nothing is paid outside them) and the value is ``0.7 x
  price part + 0.3 x preference share``. Without a ceiling (and without preferred
  kinds) the price cannot be judged on an absolute scale: 0.5 for every candidate, and
  :func:`~crokit.selection.select` warns. Without a budget: 0 (no quote, no credit).
  With the share fixed, a cheaper bid never scores lower, and below ``price_zero_at`` x
  C it scores strictly higher. ``SponsorPreferences.price_against_lowest`` adds the
  relative part ``L / T`` (L the lowest total of the eligible candidates compared),
  blended 50/50 with the ceiling position: the one option that makes a candidate's
  score depend on the others.

Due diligence: when the candidate answered at least one scored question of the
criterion, the value is ``0.5 x profile part + 0.5 x questionnaire score`` (see
:func:`~crokit.selection.due_diligence.question_scores`); otherwise the profile part
alone. Unanswered questions are listed in ``unanswered`` and never scored.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

import attrs

from crokit._convert import to_tuple
from crokit._decimal import exact_sum, to_decimal
from crokit._typed import typed_fields
from crokit.errors import ValidationError
from crokit.money import Money
from crokit.pricing.budget import Budget, PricingKind
from crokit.pricing.line_item import _as_pricing_kinds
from crokit.provider import CroProfile, TechnologyKind, _as_technology_kinds
from crokit.registry import Registry
from crokit.selection.due_diligence import DueDiligence, question_scores
from crokit.selection.matrix import to_float
from crokit.study import Study

__all__ = [
    "CriterionScore",
    "DD_WEIGHT",
    "Rule",
    "ScoringContext",
    "SponsorPreferences",
    "geographic_reach",
    "pricing_fit",
    "required_platforms",
    "resolve_rule",
    "score_candidate",
    "team_experience",
    "technology",
    "therapeutic_expertise",
]

DD_WEIGHT: Final = 0.5
"""The questionnaire's share of a criterion's value when any scored question is answered (illustrative)."""
EXPERTISE_SATURATION: Final = 5
"""Studies (in the area and phase) at which therapeutic expertise scores 1 (illustrative)."""
OTHER_PHASE_CREDIT: Final = 0.5
"""How much a study in the area at another phase counts (illustrative)."""
TURNOVER_AT_ZERO: Final = Decimal("0.4")
"""Annual staff turnover at which the turnover part of team experience scores 0 (illustrative)."""
PRICE_FULL_AT: Final = Decimal("0.5")
"""Default budget / ceiling at or below which the ceiling part of pricing fit scores 1 (illustrative)."""
PRICE_ZERO_AT: Final = Decimal("1.5")
"""Default budget / ceiling at or above which the ceiling part of pricing fit scores 0 (illustrative)."""

_TECHNOLOGY_FOR_SERVICE: Final[Mapping[str, TechnologyKind]] = {
    "crokit:edc": TechnologyKind.EDC,
    "crokit:data-management": TechnologyKind.EDC,
    "crokit:ecoa": TechnologyKind.ECOA,
    "crokit:irt": TechnologyKind.IRT,
    "crokit:clinical-trial-supply": TechnologyKind.IRT,
    "crokit:dct-tools": TechnologyKind.DCT,
    "crokit:risk-based-monitoring": TechnologyKind.RBM,
    "crokit:etmf": TechnologyKind.ETMF,
    "crokit:pharmacovigilance": TechnologyKind.SAFETY_DATABASE,
    "crokit:project-management": TechnologyKind.CTMS,
}


def _optional_money(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, Money):
        raise ValidationError.at(attribute.name, f"expected Money, got {value!r}")
    if value.amount <= 0:
        raise ValidationError.at(attribute.name, f"expected a ceiling above 0, got {value}")


def _optional_total(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, Money):
        raise ValidationError.at(attribute.name, f"expected Money, got {value!r}")
    if value.amount < 0:
        raise ValidationError.at(attribute.name, f"expected a total of 0 or more, got {value}")


def _members(kind: type[Any]) -> Callable[[object, attrs.Attribute[Any], tuple[object, ...]], None]:
    def check(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
        for index, item in enumerate(value):
            if not isinstance(item, kind):
                raise ValidationError.at(f"{attribute.name}[{index}]", f"expected a {kind.__name__}, got {item!r}")
            if item in value[:index]:
                raise ValidationError.at(f"{attribute.name}[{index}]", f"{item!r} is listed more than once")

    return check


def _years(value: object) -> Decimal:
    return to_decimal(value, what="years")


def _ratio(value: object) -> Decimal:
    return to_decimal(value, what="fraction of the ceiling")


def _positive_years(_instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if not Decimal(0) < value <= Decimal(60):
        raise ValidationError.at(attribute.name, f"expected years above 0 and at most 60, got {value}")


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class SponsorPreferences:
    """What the sponsor wants, as the scoring rules read it.

    Attributes:
        budget_ceiling: The most the sponsor means to spend on the study, if stated.
        preferred_pricing: Pricing kinds the sponsor prefers (fixed fees, unit prices,
            ...), as members or their text (``"unit-price"``).
        required_technologies: Platforms the study needs, as members or their text
            (``"edc"``); empty means "derive them from the study's required services".
        min_team_years: Average years of experience at which the years part of team
            experience scores 1. The default, 5, is an illustrative choice, not a standard.
        price_full_at: Budget / ceiling at or below which the ceiling part of pricing
            fit scores 1 (default 0.5, an illustrative choice).
        price_zero_at: Budget / ceiling at or above which it scores 0 (default 1.5,
            illustrative); linear between, so the ceiling itself scores
            ``(zero_at - 1) / (zero_at - full_at)`` (0.5 by default).
        price_against_lowest: Whether pricing fit also compares each total with the
            lowest eligible one (``L / T``, blended 50/50 with the ceiling position).
            Off by default, so every score is a candidate's own: adding, removing or
            reordering other candidates never changes it.
    """

    budget_ceiling: Money | None = attrs.field(default=None, validator=_optional_money)
    preferred_pricing: tuple[PricingKind, ...] = attrs.field(
        default=(), converter=_as_pricing_kinds, validator=_members(PricingKind)
    )
    required_technologies: tuple[TechnologyKind, ...] = attrs.field(
        default=(), converter=_as_technology_kinds, validator=_members(TechnologyKind)
    )
    min_team_years: Decimal = attrs.field(default=Decimal(5), converter=_years, validator=_positive_years)
    price_full_at: Decimal = attrs.field(default=PRICE_FULL_AT, converter=_ratio)
    price_zero_at: Decimal = attrs.field(default=PRICE_ZERO_AT, converter=_ratio)
    price_against_lowest: bool = False

    def __attrs_post_init__(self) -> None:
        if not Decimal(0) <= self.price_full_at < self.price_zero_at <= Decimal(10):
            raise ValidationError.at(
                "price_zero_at",
                f"expected 0 <= price_full_at < price_zero_at <= 10 (fractions of the ceiling), got "
                f"price_full_at {self.price_full_at} and price_zero_at {self.price_zero_at}",
            )


def _unit_value(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, float | int) or not 0.0 <= value <= 1.0:
        raise ValidationError.at(attribute.name, f"expected a score from 0 to 1, got {value!r}")


def _float(value: float) -> float:
    return float(value) if type(value) is int else value


def _text_pairs(value: Iterable[tuple[object, object]]) -> tuple[tuple[str, str], ...]:
    return tuple((str(key), str(item)) for key, item in value)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class CriterionScore:
    """One candidate's score on one criterion.

    Attributes:
        criterion: The criterion's id.
        value: The score, from 0 to 1 (1 best).
        basis: How the value was computed, in words.
        inputs: The numbers used, as ``(name, value)`` text pairs.
        unanswered: Ids of the criterion's due-diligence questions left unanswered.
    """

    criterion: str
    value: float = attrs.field(converter=_float, validator=_unit_value)
    basis: str
    inputs: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_text_pairs)
    unanswered: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ScoringContext:
    """Everything a rule may read to score one candidate on one criterion.

    Attributes:
        study: The study to outsource.
        profile: The candidate.
        budget: The candidate's quoted budget for the study, if any.
        due_diligence: The candidate's questionnaire answers, if any.
        preferences: The sponsor's preferences.
        registry: Where criteria and questions are looked up.
        lowest_total: The lowest budget total among the candidates compared, in the
            candidate's budget currency (see :func:`pricing_fit`); ``None`` when unknown.
    """

    study: Study
    profile: CroProfile
    registry: Registry
    budget: Budget | None = None
    due_diligence: DueDiligence | None = None
    preferences: SponsorPreferences = attrs.field(factory=SponsorPreferences)
    lowest_total: Money | None = attrs.field(default=None, validator=_optional_total)


Rule = Callable[[ScoringContext], CriterionScore]
"""A scoring rule: a function of the context returning a criterion score."""


def _fmt(value: float) -> str:
    return f"{value:.3g}"


def _blend(
    ctx: ScoringContext, criterion: str, value: float, basis: str, inputs: list[tuple[str, str]]
) -> CriterionScore:
    value = min(1.0, max(0.0, value))
    answers = question_scores(ctx.due_diligence, ctx.registry, [criterion])[criterion]
    inputs = [*inputs, ("profile part", _fmt(value))]
    if answers.score is None:
        note = "no scored due-diligence answers" if ctx.due_diligence is not None else "no due-diligence answers"
        text = f"{basis}; {note}, so the profile part alone: {_fmt(value)}"
        final = value
    else:
        final = (1 - DD_WEIGHT) * value + DD_WEIGHT * answers.score
        inputs.append(("questionnaire score", _fmt(answers.score)))
        text = (
            f"{basis}; blended {1 - DD_WEIGHT:g} x {_fmt(value)} + {DD_WEIGHT:g} x questionnaire "
            f"{_fmt(answers.score)} ({len(answers.answered)} answered, {len(answers.unanswered)} unanswered) "
            f"= {_fmt(final)}"
        )
    return CriterionScore(
        criterion=criterion,
        value=min(1.0, max(0.0, final)),
        basis=text,
        inputs=tuple(inputs),
        unanswered=answers.unanswered,
    )


def therapeutic_expertise(ctx: ScoringContext) -> CriterionScore:
    """Studies in the study's area and phase, saturating at 5, blended with the questionnaire.

    Profile part: ``min(1, (A + 0.5 x B) / 5)`` with A the studies in the area and phase
    and B the studies in the area at other phases.
    """
    area, phase = ctx.study.therapeutic_area, ctx.study.phase
    same = ctx.profile.studies_in(area, phase)
    other = ctx.profile.studies_in(area) - same
    effective = same + OTHER_PHASE_CREDIT * other
    value = min(1.0, effective / EXPERTISE_SATURATION)
    basis = (
        f"{same} studies in {ctx.registry.name_of(area, 'area')} at {phase.label} "
        f"+ {OTHER_PHASE_CREDIT:g} x {other} at other phases "
        f"= {effective:g}, over {EXPERTISE_SATURATION} (saturating at 1): {_fmt(value)}"
    )
    inputs = [("studies in area and phase", str(same)), ("studies in area, other phases", str(other))]
    return _blend(ctx, "crokit:therapeutic-expertise", value, basis, inputs)


def geographic_reach(ctx: ScoringContext) -> CriterionScore:
    """The share of the study's countries the CRO covers, blended with the questionnaire."""
    wanted = ctx.study.country_codes
    covered = ctx.profile.covers(wanted)
    value = len(covered) / len(wanted)
    missing = ", ".join(sorted(wanted - covered)) or "none"
    basis = f"covers {len(covered)} of the study's {len(wanted)} countries (missing: {missing}): {_fmt(value)}"
    inputs = [("countries covered", str(len(covered))), ("study countries", str(len(wanted)))]
    return _blend(ctx, "crokit:geographic-reach", value, basis, inputs)


def required_platforms(ctx: ScoringContext) -> tuple[tuple[TechnologyKind, ...], str]:
    """The platforms the study needs, and where that list came from."""
    if ctx.preferences.required_technologies:
        return ctx.preferences.required_technologies, "the sponsor's required technologies"
    derived: list[TechnologyKind] = []
    for service in ctx.study.required_services:
        kind = _TECHNOLOGY_FOR_SERVICE.get(service)
        if kind is not None and kind not in derived:
            derived.append(kind)
    if derived:
        return tuple(derived), "the platforms the study's required services imply"
    return (TechnologyKind.EDC,), "EDC, as nothing more specific is required"


def technology(ctx: ScoringContext) -> CriterionScore:
    """The share of required platforms offered (validated 1, unvalidated 0.5), blended with the questionnaire."""
    platforms, source = required_platforms(ctx)
    parts: list[str] = []
    points = 0.0
    for kind in platforms:
        offered = [t for t in ctx.profile.technologies if t.kind is kind]
        if any(t.validated for t in offered):
            points += 1.0
            parts.append(f"{kind.value} validated 1")
        elif offered:
            points += 0.5
            parts.append(f"{kind.value} not validated 0.5")
        else:
            parts.append(f"{kind.value} missing 0")
    value = points / len(platforms)
    basis = f"platforms from {source}: {', '.join(parts)}; mean {_fmt(value)}"
    inputs = [("platforms required", str(len(platforms))), ("platform points", f"{points:g}")]
    return _blend(ctx, "crokit:technology", value, basis, inputs)


def team_experience(ctx: ScoringContext) -> CriterionScore:
    """Years (capped at ``min_team_years``), turnover (lower better) and a named team, blended with the questionnaire.

    Profile part: ``0.4 x min(1, years / min_team_years) + 0.4 x max(0, 1 - turnover / 0.4)
    + 0.2 x named``; 0 when the profile has no team data (no evidence, no credit).
    """
    team = ctx.profile.team
    if team is None:
        return _blend(ctx, "crokit:team-experience", 0.0, "no team data in the profile: 0 (no evidence, no credit)", [])
    minimum = ctx.preferences.min_team_years
    years = float(min(Decimal(1), team.average_years / minimum))
    turnover = float(max(Decimal(0), 1 - team.turnover_rate / TURNOVER_AT_ZERO))
    named = 1.0 if team.named_staff else 0.0
    value = 0.4 * years + 0.4 * turnover + 0.2 * named
    basis = (
        f"0.4 x years {team.average_years}/{minimum} capped ({_fmt(years)}) + 0.4 x turnover "
        f"(1 - {team.turnover_rate}/{TURNOVER_AT_ZERO}) ({_fmt(turnover)}) + 0.2 x named team ({named:g}) "
        f"= {_fmt(value)}"
    )
    inputs = [
        ("average years", str(team.average_years)),
        ("turnover rate", str(team.turnover_rate)),
        ("named staff", str(team.named_staff).lower()),
    ]
    return _blend(ctx, "crokit:team-experience", value, basis, inputs)


def _ceiling_part(budget: Budget, ceiling: Money, prefs: SponsorPreferences) -> tuple[float, str]:
    if budget.currency != ceiling.currency:
        raise ValidationError.at(
            "budget", f"the budget is in {budget.currency} but the ceiling is in {ceiling.currency}; convert one"
        )
    ratio = budget.total.amount / ceiling.amount
    full, zero = prefs.price_full_at, prefs.price_zero_at
    share = (zero - ratio) / (zero - full)
    value = float(min(Decimal(1), max(Decimal(0), share)))
    return value, (
        f"total {budget.total:,} is {float(ratio):.1%} of the ceiling {ceiling:,} "
        f"(1 at or below {full:%}, 0 at {zero:%}): {_fmt(value)}"
    )


def _price_part(ctx: ScoringContext, budget: Budget, inputs: list[tuple[str, str]]) -> tuple[float, str] | None:
    """The price part of pricing fit: ``L / T``, blended 50/50 with the ceiling position when a ceiling is set."""
    ceiling = ctx.preferences.budget_ceiling
    lowest = ctx.lowest_total if ctx.preferences.price_against_lowest else None
    parts: list[tuple[float, str]] = []
    if lowest is not None:
        if lowest.currency != budget.currency:
            raise ValidationError.at(
                "lowest_total", f"the budget is in {budget.currency} but the lowest total is in {lowest.currency}"
            )
        total = budget.total.amount
        ratio = Decimal(1) if total <= 0 else min(Decimal(1), max(Decimal(0), lowest.amount / total))
        inputs.append(("lowest total", str(lowest)))
        parts.append(
            (float(ratio), f"lowest eligible total {lowest:,} / this total {budget.total:,} = {_fmt(float(ratio))}")
        )
    if ceiling is not None:
        inputs.append(("ceiling", str(ceiling)))
        parts.append(_ceiling_part(budget, ceiling, ctx.preferences))
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    value = 0.5 * parts[0][0] + 0.5 * parts[1][0]
    text = f"{parts[0][1]} and {parts[1][1]}; price part 0.5 x {_fmt(parts[0][0])} + 0.5 x {_fmt(parts[1][0])}"
    return value, f"{text} = {_fmt(value)}"


def pricing_fit(ctx: ScoringContext) -> CriterionScore:
    """A lower price scores higher: the total against the budget ceiling, and the preferred kinds.

    The exact formula (see the module docstring), with T the candidate's budget total,
    C the budget ceiling, F and Z the preferences' ``price_full_at`` and
    ``price_zero_at`` (0.5 and 1.5 by default), S the share of the budget in the
    preferred pricing kinds and, only with ``price_against_lowest``, L the lowest
    eligible total (``ctx.lowest_total``)::

        ceiling  = clip((Z - T / C) / (Z - F), 0, 1)
        ratio    = L / T                          (1 when T is 0; only with price_against_lowest)
        price    = 0.5 x ratio + 0.5 x ceiling    (or whichever of the two is known)
        value    = 0.7 x price + 0.3 x S          (price alone without preferred kinds)

    With no price part and no preferred kinds the fit cannot be judged: 0.5. Without a
    budget: 0. The value is then blended with the questionnaire like every criterion.
    """
    budget, prefs = ctx.budget, ctx.preferences
    if budget is None:
        return _blend(ctx, "crokit:pricing-fit", 0.0, "no budget quoted: 0 (no quote, no credit)", [])
    inputs = [("budget total", str(budget.total))]
    parts: list[tuple[float, float, str]] = []
    price = _price_part(ctx, budget, inputs)
    if price is not None:
        parts.append((0.7, price[0], price[1]))
    if prefs.preferred_pricing:
        kinds = ", ".join(k.value for k in prefs.preferred_pricing)
        if budget.total.amount > 0:
            by_kind = budget.by_kind()
            preferred = exact_sum(by_kind[k].amount for k in prefs.preferred_pricing if k in by_kind)
            share = float(min(Decimal(1), max(Decimal(0), preferred / budget.total.amount)))
            text = f"{share:.1%} of the budget is in the preferred kinds ({kinds})"
        else:
            # Nothing to pay, so nothing paid outside the preferred kinds: a total of 0 (or
            # less) must not score below a dearer bid, whose share is at most 100%.
            share = 1.0
            text = f"a total of {budget.total} leaves nothing outside the preferred kinds ({kinds}): 100%"
        parts.append((0.3, share, text))
        inputs.append(("share in preferred kinds", _fmt(share)))
    if not parts:
        basis = (
            "no budget ceiling and no preferred pricing given, so the price cannot be judged on an absolute "
            "scale: 0.5 (neutral; set a budget ceiling to score price)"
        )
        return _blend(ctx, "crokit:pricing-fit", 0.5, basis, inputs)
    if len(parts) == 1:
        return _blend(ctx, "crokit:pricing-fit", parts[0][1], parts[0][2], inputs)
    value = sum(weight * part for weight, part, _ in parts)
    basis = " and ".join(text for _, _, text in parts)
    basis += f"; 0.7 x {_fmt(parts[0][1])} + 0.3 x {_fmt(parts[1][1])} = {_fmt(value)}"
    return _blend(ctx, "crokit:pricing-fit", value, basis, inputs)


@functools.cache
def resolve_rule(path: str) -> Rule:
    """Import the scoring function named by *path* (``"package.module:function"``).

    Paths come from registry entries only, that is from installed code.

    Raises:
        ValidationError: If the module or the function cannot be found, or is not callable.
    """
    module_name, _, name = path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ValidationError.at("rule", f"cannot import the rule module of {path!r}: {exc}") from None
    function = getattr(module, name, None)
    if not callable(function):
        raise ValidationError.at("rule", f"{path!r} does not name a function")
    return function  # type: ignore[no-any-return]


def _manual_value(cid: str, raw: object, path: str) -> float:
    value = to_float(raw, path=path, what="score")
    if not 0.0 <= value <= 1.0:
        raise ValidationError.at(path, f"a score outside its scale: expected 0 to 1 for {cid!r}, got {raw!r}")
    return value


def score_candidate(
    ctx: ScoringContext, criteria: Sequence[str], manual: Mapping[str, Decimal] | None = None
) -> tuple[CriterionScore, ...]:
    """Score the candidate of *ctx* on each of *criteria*, in order.

    A criterion with a manual score (0..1) takes it, whether or not it has a rule;
    otherwise its registry entry's rule scores it. A criterion without a rule needs a
    manual score.

    Raises:
        UnknownIdError: For a criterion (path ``criteria[i]``) or a manual score's
            criterion not in the registry or not in *criteria*.
        ValidationError: For a manual score outside 0..1 or not a number (path
            ``manual['crokit:technology']``), a missing manual score, or a rule that
            cannot be imported or returns something other than a score of its criterion.
    """
    manual = dict(manual or {})
    for key in manual:
        if key not in criteria:
            ctx.registry.criterion(key, path=f"manual[{key!r}]")  # unknown id: suggestions
            raise ValidationError.at(f"manual[{key!r}]", f"{key!r} is not one of the criteria scored")
    scores: list[CriterionScore] = []
    for index, cid in enumerate(criteria):
        criterion = ctx.registry.criterion(cid, path=f"criteria[{index}]")
        if cid in manual:
            path = f"manual[{cid!r}]"
            value = _manual_value(cid, manual[cid], path)
            note = f" (instead of the rule {criterion.rule})" if criterion.rule else ""
            scores.append(
                CriterionScore(
                    criterion=cid,
                    value=value,
                    basis=f"scored by hand: {_fmt(value)}{note}",
                    inputs=(("manual", str(manual[cid])),),
                )
            )
            continue
        if criterion.rule is None:
            raise ValidationError.at(
                f"manual[{cid!r}]", f"{cid!r} has no scoring rule: give a manual score from 0 to 1 for it"
            )
        result: object = resolve_rule(criterion.rule)(ctx)
        if not isinstance(result, CriterionScore) or result.criterion != cid:
            raise ValidationError.at(
                f"criteria[{index}]", f"the rule {criterion.rule} returned {result!r}, not a score of {cid!r}"
            )
        scores.append(result)
    return tuple(scores)
