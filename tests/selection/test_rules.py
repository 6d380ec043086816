"""Scoring rules: each mapping onto 0..1 with hand-worked numbers, blending, manual scores."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crokit import (
    AreaExperience,
    CroProfile,
    InvalidAmountError,
    Money,
    ProviderKind,
    Registry,
    Stage,
    Study,
    TeamExperience,
    Technology,
    TechnologyKind,
    UnknownIdError,
    ValidationError,
)
from crokit.pricing import Budget, CostBucket, LineItem, PricingKind
from crokit.selection import Answer, DueDiligence, ScoringContext, SponsorPreferences, score_candidate
from crokit.selection.rules import (
    geographic_reach,
    pricing_fit,
    team_experience,
    technology,
    therapeutic_expertise,
)
from crokit.vocabulary import SelectionCriterion

REGISTRY = Registry.builtin()
RARE = "crokit:rare-disease"
STUDY = Study(
    name="RD-201",
    phase=Stage.PHASE_2,
    therapeutic_area=RARE,
    indication="Fabry disease",
    planned_patients=60,
    sites=12,
    countries=("US", "DE", "FR", "GB"),
    start_date=date(2027, 1, 4),
    currency="USD",
    required_services=("crokit:data-management", "crokit:irt", "crokit:biostatistics"),
)


def profile(**changes: Any) -> CroProfile:
    fields: dict[str, Any] = {"id": "helix", "name": "Helix", "kind": ProviderKind.CRO}
    fields.update(changes)
    return CroProfile(**fields)


def ctx(**changes: Any) -> ScoringContext:
    fields: dict[str, Any] = {"study": STUDY, "profile": profile(), "registry": REGISTRY}
    fields.update(changes)
    return ScoringContext(**fields)


def line(kind: PricingKind, amount: str, description: str) -> LineItem:
    money = Money(amount, "USD")
    return LineItem(
        service="crokit:on-site-monitoring",
        stage=Stage.PHASE_2,
        kind=kind,
        bucket=CostBucket.CRO_DIRECT_FEES,
        description=description,
        basis=None,
        quantity=Decimal(1),
        unit_price=money,
        amount=money,
        months=(0,),
        derivation="stated",
    )


BUDGET = Budget(
    currency="USD",
    lines=(line(PricingKind.FIXED_FEE, "600000.00", "fixed"), line(PricingKind.FTE, "300000.00", "fte")),
)


class TestTherapeuticExpertise:
    def test_same_phase_counts_fully_other_phases_half(self):
        experience = (
            AreaExperience(area=RARE, phase=Stage.PHASE_2, studies=2),
            AreaExperience(area=RARE, phase=Stage.PHASE_3, studies=2),
            AreaExperience(area="crokit:oncology", phase=Stage.PHASE_2, studies=9),
        )
        score = therapeutic_expertise(ctx(profile=profile(experience=experience)))
        assert score.value == pytest.approx((2 + 0.5 * 2) / 5)  # 0.6
        assert "2 studies in Rare disease at Phase 2" in score.basis
        assert len(score.unanswered) == 3  # no answers at all: all three questions unanswered

    def test_saturates_at_five(self):
        experience = (AreaExperience(area=RARE, phase=Stage.PHASE_2, studies=12),)
        assert therapeutic_expertise(ctx(profile=profile(experience=experience))).value == 1.0

    def test_blends_half_and_half_with_the_questionnaire(self):
        dd = DueDiligence(
            candidate="helix",
            answers=(
                Answer(question="crokit:dd-indication-phase-studies", number=5),  # weight 2, score 1
                Answer(question="crokit:dd-key-opinion-leaders", yes=False),  # weight 1, score 0
            ),
        )
        experience = (AreaExperience(area=RARE, phase=Stage.PHASE_2, studies=1),)
        score = therapeutic_expertise(ctx(profile=profile(experience=experience), due_diligence=dd))
        assert score.value == pytest.approx(0.5 * 0.2 + 0.5 * (2 / 3))
        assert score.unanswered == ("crokit:dd-medical-expertise",)
        assert ("questionnaire score", "0.667") in score.inputs


class TestGeographicReach:
    def test_share_of_countries_covered_regions_included(self):
        score = geographic_reach(ctx(profile=profile(countries=("US",), regions=("eu",))))
        assert score.value == pytest.approx(3 / 4)  # US, DE, FR; GB is not in the EU
        assert "missing: GB" in score.basis


class TestTechnology:
    def test_platforms_from_services_validated_counts_one_unvalidated_half(self):
        technologies = (
            Technology(kind=TechnologyKind.EDC, name="Rave", validated=True),
            Technology(kind=TechnologyKind.IRT, name="In-house IRT", validated=False),
        )
        score = technology(ctx(profile=profile(technologies=technologies)))
        assert score.value == pytest.approx((1 + 0.5) / 2)  # EDC (data management), IRT (irt)
        assert "edc validated 1, irt not validated 0.5" in score.basis

    def test_sponsor_list_wins_and_missing_counts_zero(self):
        prefs = SponsorPreferences(required_technologies=(TechnologyKind.EDC, TechnologyKind.ECOA, TechnologyKind.DCT))
        technologies = (Technology(kind=TechnologyKind.EDC, name="Rave", validated=True),)
        assert technology(ctx(profile=profile(technologies=technologies), preferences=prefs)).value == pytest.approx(
            1 / 3
        )


class TestTeamExperience:
    def test_hand_worked(self):
        team = TeamExperience(average_years=Decimal(6), turnover_rate=Decimal("0.1"), named_staff=True)
        score = team_experience(ctx(profile=profile(team=team)))
        assert score.value == pytest.approx(0.4 * 1 + 0.4 * 0.75 + 0.2 * 1)  # 0.9

    def test_years_below_the_minimum_and_high_turnover(self):
        team = TeamExperience(average_years=Decimal(3), turnover_rate=Decimal("0.5"))
        prefs = SponsorPreferences(min_team_years=Decimal(4))
        score = team_experience(ctx(profile=profile(team=team), preferences=prefs))
        assert score.value == pytest.approx(0.4 * 0.75)

    def test_no_team_data_no_credit(self):
        score = team_experience(ctx())
        assert score.value == 0.0
        assert "no team data" in score.basis


class TestPricingFit:
    @pytest.mark.parametrize(
        ("ceiling", "expected"),
        [
            ("1800000.00", 1.0),  # 50%: the full mark
            ("1125000.00", 0.7),  # 80%: (1.5 - 0.8) / 1
            ("1000000.00", 0.6),
            ("900000.00", 0.5),  # at the ceiling
            ("750000.00", 0.3),
            ("600000.00", 0.0),  # 150%
            ("450000.00", 0.0),
        ],
    )
    def test_ceiling_part(self, ceiling, expected):
        # 900,000 against the ceiling: 1 at or below 50%, 0.5 at 100%, 0 at or above 150%, linear between.
        prefs = SponsorPreferences(budget_ceiling=Money(ceiling, "USD"))
        assert pricing_fit(ctx(budget=BUDGET, preferences=prefs)).value == pytest.approx(expected)

    def test_the_ceiling_band_is_the_sponsors_choice(self):
        # The version-2 rule: 1 at or below 80%, 0 at 120%; 900,000 of 1,000,000 is (1.2 - 0.9) / 0.4.
        prefs = SponsorPreferences(
            budget_ceiling=Money("1000000.00", "USD"), price_full_at="0.8", price_zero_at=Decimal("1.2")
        )
        score = pricing_fit(ctx(budget=BUDGET, preferences=prefs))
        assert score.value == pytest.approx(0.75)
        assert "(1 at or below 80%, 0 at 120%)" in score.basis

    @pytest.mark.parametrize(("full", "zero"), [("1.2", "0.8"), ("1", "1"), ("-0.1", "1"), ("0.5", "11")])
    def test_a_ceiling_band_out_of_order_is_refused(self, full, zero):
        with pytest.raises(ValidationError, match=rf"price_full_at {full} and price_zero_at {zero}") as info:
            SponsorPreferences(price_full_at=full, price_zero_at=zero)
        assert info.value.problems[0].path == "price_zero_at"

    def test_a_float_band_is_refused(self):
        with pytest.raises(InvalidAmountError, match=r"give the fraction of the ceiling as text like '0\.5'"):
            SponsorPreferences(price_full_at=0.5)

    def test_ceiling_and_preferred_kinds_blend(self):
        prefs = SponsorPreferences(
            budget_ceiling=Money("1000000.00", "USD"), preferred_pricing=(PricingKind.FIXED_FEE,)
        )
        score = pricing_fit(ctx(budget=BUDGET, preferences=prefs))
        assert score.value == pytest.approx(0.7 * 0.6 + 0.3 * (600 / 900))

    def test_by_default_the_lowest_total_is_not_read(self):
        # Absolute by default: what the other candidates bid never moves this score.
        prefs = SponsorPreferences(budget_ceiling=Money("1000000.00", "USD"))
        alone = pricing_fit(ctx(budget=BUDGET, preferences=prefs))
        with_lowest = pricing_fit(ctx(budget=BUDGET, preferences=prefs, lowest_total=Money("720000.00", "USD")))
        assert alone == with_lowest
        assert alone.value == pytest.approx(0.6)

    def test_without_budget_or_preferences(self):
        assert pricing_fit(ctx()).value == 0.0
        neutral = pricing_fit(ctx(budget=BUDGET))
        assert neutral.value == 0.5
        assert "set a budget ceiling to score price" in neutral.basis

    def test_lowest_total_over_this_total(self):
        # 900,000 against a lowest of 720,000: 0.8; the cheapest scores 1.
        lowest = Money("720000.00", "USD")
        relative = SponsorPreferences(price_against_lowest=True)
        score = pricing_fit(ctx(budget=BUDGET, lowest_total=lowest, preferences=relative))
        assert score.value == pytest.approx(0.8)
        assert "lowest eligible total 720,000.00 USD / this total 900,000.00 USD = 0.8" in score.basis
        assert ("lowest total", "720000.00 USD") in score.inputs
        assert pricing_fit(ctx(budget=BUDGET, lowest_total=BUDGET.total, preferences=relative)).value == 1.0

    def test_lowest_total_ceiling_and_preferred_kinds_blend(self):
        prefs = SponsorPreferences(
            budget_ceiling=Money("1000000.00", "USD"),
            preferred_pricing=(PricingKind.FIXED_FEE,),
            price_against_lowest=True,
        )
        score = pricing_fit(ctx(budget=BUDGET, preferences=prefs, lowest_total=Money("720000.00", "USD")))
        price = 0.5 * 0.8 + 0.5 * 0.6
        assert score.value == pytest.approx(0.7 * price + 0.3 * (600 / 900))
        assert "price part 0.5 x 0.8 + 0.5 x 0.6" in score.basis

    def test_two_bids_close_together_above_the_ceiling_do_not_both_score_zero_by_default(self):
        # Regression: 1,468,492 and 1,474,000 (0.4% apart) over a 1,000,000 ceiling both scored 0.
        prefs = SponsorPreferences(budget_ceiling=Money("1000000.00", "USD"))
        cheap, dear = (
            pricing_fit(
                ctx(budget=Budget(currency="USD", lines=(line(PricingKind.FIXED_FEE, total, "a"),)), preferences=prefs)
            ).value
            for total in ("1468492.00", "1474000.00")
        )
        assert cheap == pytest.approx(1.5 - 1.468492)
        assert dear == pytest.approx(1.5 - 1.474)
        assert 0 < dear < cheap

    def test_two_bids_close_together_far_above_the_ceiling_against_the_lowest(self):
        # With the version-2 band (0 at 120%) only the ratio to the lowest tells them apart.
        prefs = SponsorPreferences(
            budget_ceiling=Money("1000000.00", "USD"),
            price_full_at="0.8",
            price_zero_at="1.2",
            price_against_lowest=True,
        )
        lowest = Money("1468492.00", "USD")
        cheap = pricing_fit(
            ctx(
                budget=Budget(currency="USD", lines=(line(PricingKind.FIXED_FEE, "1468492.00", "a"),)),
                preferences=prefs,
                lowest_total=lowest,
            )
        )
        dear = pricing_fit(
            ctx(
                budget=Budget(currency="USD", lines=(line(PricingKind.FIXED_FEE, "1474000.00", "b"),)),
                preferences=prefs,
                lowest_total=lowest,
            )
        )
        assert cheap.value == pytest.approx(0.5)
        assert 0 < dear.value < cheap.value
        assert dear.value == pytest.approx(0.5 * 1468492 / 1474000)

    def test_lowest_total_in_another_currency_is_refused(self):
        relative = SponsorPreferences(price_against_lowest=True)
        with pytest.raises(ValidationError, match="lowest total is in EUR") as info:
            pricing_fit(ctx(budget=BUDGET, lowest_total=Money("1.00", "EUR"), preferences=relative))
        assert info.value.problems[0].path == "lowest_total"

    def test_a_zero_total_with_preferred_kinds_scores_no_lower_than_a_dearer_bid(self):
        """Hypothesis found it: 0.00 scored 0.5 ("no preferred pricing given"), 0.01 all fixed-fee scored 1."""
        prefs = SponsorPreferences(preferred_pricing=(PricingKind.FIXED_FEE,))
        scores = [
            pricing_fit(
                ctx(
                    budget=Budget(currency="USD", lines=(line(PricingKind.FIXED_FEE, total, "bid"),)), preferences=prefs
                )
            )
            for total in ("0.00", "0.01")
        ]
        assert [score.value for score in scores] == [1.0, 1.0]
        assert "no preferred pricing given" not in scores[0].basis
        assert "a total of 0.00 USD leaves nothing outside the preferred kinds (fixed-fee): 100%" in scores[0].basis
        assert ("share in preferred kinds", "1") in scores[0].inputs

    @given(
        st.lists(st.decimals(min_value=0, max_value=5_000_000, places=2), min_size=2, max_size=5),
        st.sampled_from([None, "1000000.00", "2500000.00"]),
        st.sampled_from([(), (PricingKind.FIXED_FEE,), (PricingKind.FTE,)]),
        st.booleans(),
    )
    def test_a_cheaper_bid_never_scores_lower_on_price(self, totals, ceiling, kinds, against_lowest):
        prefs = SponsorPreferences(
            budget_ceiling=None if ceiling is None else Money(ceiling, "USD"),
            preferred_pricing=kinds,
            price_against_lowest=against_lowest,
        )
        lowest = Money(min(totals), "USD")
        values = [
            pricing_fit(
                ctx(
                    budget=Budget(currency="USD", lines=(line(PricingKind.FIXED_FEE, str(total), "bid"),)),
                    preferences=prefs,
                    lowest_total=lowest,
                )
            ).value
            for total in totals
        ]
        ordered = sorted(zip(totals, values, strict=True))
        for (_, cheaper), (_, dearer) in itertools.pairwise(ordered):
            assert cheaper >= dearer

    @given(st.integers(1, 149_999_999), st.data())
    def test_within_the_band_a_cheaper_bid_scores_strictly_higher(self, low, data):
        # Default band: 1 at or below 500,000 (50% of the ceiling), 0 at or above 1,500,000 (150%).
        # Totals in cents: the cheaper one below 150%, the dearer one above 50% and above the cheaper.
        high = data.draw(st.integers(max(low + 1, 50_000_001), 300_000_000))
        prefs = SponsorPreferences(budget_ceiling=Money("1000000.00", "USD"))
        cheaper, dearer = (
            pricing_fit(
                ctx(
                    budget=Budget(currency="USD", lines=(line(PricingKind.FIXED_FEE, str(Decimal(c) / 100), "bid"),)),
                    preferences=prefs,
                )
            ).value
            for c in (low, high)
        )
        assert cheaper > dearer

    def test_currency_mismatch_is_refused(self):
        prefs = SponsorPreferences(budget_ceiling=Money("1000000.00", "EUR"))
        with pytest.raises(ValidationError, match="convert one"):
            pricing_fit(ctx(budget=BUDGET, preferences=prefs))


class TestScoreCandidate:
    def test_rules_in_order_and_manual_override(self):
        scores = score_candidate(
            ctx(), ["crokit:geographic-reach", "crokit:technology"], {"crokit:technology": Decimal("0.4")}
        )
        assert [s.criterion for s in scores] == ["crokit:geographic-reach", "crokit:technology"]
        assert scores[1].value == 0.4
        assert "scored by hand" in scores[1].basis

    @pytest.mark.parametrize("bad", [Decimal("1.5"), Decimal("-0.1")])
    def test_manual_score_outside_its_scale(self, bad):
        with pytest.raises(ValidationError, match="a score outside its scale") as info:
            score_candidate(ctx(), ["crokit:technology"], {"crokit:technology": bad})
        assert info.value.problems[0].path == "manual['crokit:technology']"
        assert str(bad) in str(info.value)

    def test_unknown_criterion_suggests(self):
        with pytest.raises(UnknownIdError) as info:
            score_candidate(ctx(), ["crokit:geographic-reach", "crokit:tecnology"], {})
        assert info.value.path == "criteria[1]"
        assert info.value.suggestions[0] == "crokit:technology"

    def test_criterion_without_rule_needs_a_manual_score(self):
        extra = SelectionCriterion(id="acme:culture", name="Culture", description="Fit", why="Works together")
        registry = REGISTRY.with_entries(extra)
        with pytest.raises(ValidationError, match="has no scoring rule"):
            score_candidate(ctx(registry=registry), ["acme:culture"], {})
        (score,) = score_candidate(ctx(registry=registry), ["acme:culture"], {"acme:culture": Decimal("0.8")})
        assert score.value == 0.8

    def test_rule_that_cannot_be_imported_or_scores_another_criterion(self):
        broken = SelectionCriterion(id="acme:x", name="X", description="d", why="w", rule="acme_missing.rules:x")
        wrong = SelectionCriterion(
            id="acme:y", name="Y", description="d", why="w", rule="crokit.selection.rules:technology"
        )
        registry = REGISTRY.with_entries(broken, wrong)
        with pytest.raises(ValidationError, match="cannot import"):
            score_candidate(ctx(registry=registry), ["acme:x"], {})
        with pytest.raises(ValidationError, match="not a score of 'acme:y'"):
            score_candidate(ctx(registry=registry), ["acme:y"], {})
