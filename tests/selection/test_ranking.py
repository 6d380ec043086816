"""select(): ranking, exclusions, robustness, warnings, properties and refusals with paths."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crokit import (
    CrokitError,
    CroProfile,
    Money,
    ProviderKind,
    Registry,
    Stage,
    Study,
    UnknownIdError,
    ValidationError,
)
from crokit.pricing import Budget, CostBucket, LineItem, PricingKind
from crokit.selection import (
    Answer,
    CandidateInput,
    Constraints,
    DueDiligence,
    Ranking,
    SelectionSettings,
    SponsorPreferences,
    select,
)
from crokit.testing._selection import candidate_inputs, rankings
from crokit.vocabulary import SelectionCriterion

MANUAL = ("test:quality", "test:speed", "test:price")
REGISTRY = Registry.builtin().with_entries(
    *(SelectionCriterion(id=cid, name=cid.split(":")[1].title(), description="d", why="w") for cid in MANUAL)
)
STUDY = Study(
    name="RD-201",
    phase=Stage.PHASE_2,
    therapeutic_area="crokit:rare-disease",
    indication="Fabry disease",
    planned_patients=60,
    sites=12,
    countries=("US",),
    start_date=date(2027, 1, 4),
    currency="USD",
)
OPEN = Constraints(require_services=False, require_countries=False)


def cro(id_: str, kind: ProviderKind = ProviderKind.CRO, **changes: Any) -> CroProfile:
    return CroProfile(id=id_, name=id_.title(), kind=kind, countries=("US",), **changes)


def manual(id_: str, *scores: str, **changes: Any) -> CandidateInput:
    pairs = tuple((cid, Decimal(s)) for cid, s in zip(MANUAL, scores, strict=True))
    return CandidateInput(profile=cro(id_, **changes), manual_scores=pairs)


def settings(**changes: Any) -> SelectionSettings:
    fields: dict[str, Any] = {"criteria": MANUAL, "constraints": OPEN}
    fields.update(changes)
    return SelectionSettings(**fields)


THREE = (manual("acme", "0.9", "0.2", "0.5"), manual("bolt", "0.5", "0.8", "0.6"), manual("core", "0.1", "0.1", "0.1"))


class TestSelect:
    def test_ranks_with_scorecards_intervals_and_acceptability(self):
        ranking = select(
            STUDY,
            THREE,
            settings(weights=(("test:quality", 3), ("test:speed", 1), ("test:price", 1))),
            registry=REGISTRY,
            seed=3,
        )
        assert ranking.winner == "acme"
        assert [c.candidate for c in ranking.scorecards] == ["acme", "bolt", "core"]
        assert ranking.weights == pytest.approx((0.6, 0.2, 0.2))
        assert "sum to 5" in ranking.weights_note
        # Absolute by default: acme (0.9, 0.2, 0.5), bolt (0.5, 0.8, 0.6), core (0.1, 0.1, 0.1).
        assert ranking.normalisation == "absolute"
        assert "absolute" in ranking.normalisation_note
        assert ranking.scorecards[0].score == pytest.approx(0.54 + 0.04 + 0.1)
        assert ranking.scorecards[1].score == pytest.approx(0.3 + 0.16 + 0.12)
        assert ranking.scorecards[2].score == pytest.approx(0.1)
        assert dict(ranking.scorecards[1].contributions)["test:speed"] == pytest.approx(0.16)
        assert [i.criterion for i in ranking.intervals] == list(MANUAL)
        assert len(ranking.acceptability) == 3
        assert ranking.seed == 3
        assert "Acme ranks first" in ranking.explanation  # names, not ids
        assert "(acme)" not in ranking.explanation
        assert "random weightings (seed 3)" in ranking.explanation
        assert ranking.scorecards[0].criterion_scores[0].basis.startswith("scored by hand")

    def test_min_max_normalisation_is_an_explicit_option(self):
        ranking = select(
            STUDY,
            THREE,
            settings(weights=(("test:quality", 3), ("test:speed", 1), ("test:price", 1)), normalisation="min-max"),
            registry=REGISTRY,
            seed=3,
        )
        assert ranking.normalisation == "min-max"
        assert "depend on who else" in ranking.normalisation_note
        # Min-max normalised: acme (1, 1/7, 0.8), bolt (0.5, 1, 1), core (0, 0, 0).
        assert ranking.scorecards[0].score == pytest.approx(0.6 + 0.2 / 7 + 0.2 * 0.8)
        assert ranking.scorecards[1].score == pytest.approx(0.3 + 0.2 + 0.2)
        assert ranking.scorecards[2].score == 0.0
        assert dict(ranking.scorecards[1].contributions)["test:speed"] == pytest.approx(0.2)

    @pytest.mark.parametrize(("method", "label"), [("weighted-product", "ratio"), ("topsis", "vector")])
    def test_other_methods_name_their_own_normalisation(self, method, label):
        ranking = select(STUDY, THREE, settings(method=method), registry=REGISTRY)
        assert ranking.normalisation == label
        assert label in ranking.normalisation_note

    def test_a_sole_eligible_candidate_gets_its_real_score(self):
        # Regression: under min-max a sole candidate scored 0 on every criterion.
        ranking = select(STUDY, THREE[:1], settings(), registry=REGISTRY)
        assert ranking.scorecards[0].score == pytest.approx((0.9 + 0.2 + 0.5) / 3)
        assert dict(ranking.scorecards[0].contributions)["test:quality"] == pytest.approx(0.3)

    def test_two_candidates_are_not_all_or_nothing(self):
        # Regression: under min-max each criterion gave 1 to one of two candidates and 0 to the other.
        ranking = select(STUDY, THREE[:2], settings(), registry=REGISTRY)
        bolt = next(c for c in ranking.scorecards if c.candidate == "bolt")
        assert dict(bolt.contributions)["test:quality"] == pytest.approx(0.5 / 3)

    def test_same_seed_same_ranking_and_no_seed_no_acceptability(self):
        first = select(STUDY, THREE, settings(), registry=REGISTRY, seed=11)
        assert select(STUDY, THREE, settings(), registry=REGISTRY, seed=11) == first
        unseeded = select(STUDY, THREE, settings(), registry=REGISTRY)
        assert unseeded.acceptability == ()
        assert unseeded.seed is None
        assert any("no seed given" in w for w in unseeded.warnings)
        assert "equal weights" in unseeded.weights_note

    def test_exclusions_list_every_reason_and_cdmo_is_out(self):
        study = STUDY.__class__(
            **{**_fields(STUDY), "required_services": ("crokit:biostatistics",), "countries": ("US", "DE")}
        )
        candidates = (
            manual("acme", "0.9", "0.2", "0.5", services=("crokit:biostatistics",), regions=("eu",)),
            manual("make", "0.9", "0.9", "0.9", kind=ProviderKind.CDMO),
        )
        ranking = select(study, candidates, settings(constraints=Constraints()), registry=REGISTRY)
        (exclusion,) = ranking.excluded
        assert exclusion.candidate == "make"
        assert len(exclusion.reasons) == 3
        assert "does not conduct research" in exclusion.reasons[0]
        assert "Biostatistics" in exclusion.reasons[1]
        assert "crokit:" not in exclusion.reasons[1]
        assert exclusion.reasons[2] == "does not cover study countries: DE"
        assert ranking.winner == "acme"
        assert any("fewer than 2 eligible" in w for w in ranking.warnings)
        assert ranking.intervals == ()

    def test_empty_shortlist_is_a_ranking_not_an_error(self):
        candidates = (manual("make", "0.9", "0.9", "0.9", kind=ProviderKind.CDMO),)
        ranking = select(STUDY, candidates, settings(), registry=REGISTRY, seed=1)
        assert ranking.winner is None
        assert ranking.scorecards == ()
        assert ranking.excluded[0].reasons
        assert any("empty shortlist" in w for w in ranking.warnings)
        assert "no winner" in ranking.explanation
        assert select(STUDY, (), settings(), registry=REGISTRY).winner is None

    def test_builtin_rules_and_unanswered_warning(self):
        dd = DueDiligence(candidate="acme", answers=(Answer(question="crokit:dd-named-team", yes=True),))
        candidates = (CandidateInput(profile=cro("acme"), due_diligence=dd), CandidateInput(profile=cro("bolt")))
        ranking = select(STUDY, candidates, SelectionSettings(constraints=OPEN), registry=REGISTRY)
        assert ranking.criteria == tuple(c.id for c in REGISTRY.criteria[:5])
        acme = next(c for c in ranking.scorecards if c.candidate == "acme")
        assert "crokit:dd-named-team" not in acme.unanswered
        assert len(acme.unanswered) == len(REGISTRY.questions) - 1
        assert any(w.startswith("Acme: 17 due-diligence questions unanswered: ") for w in ranking.warnings)
        assert any(w.startswith("Bolt: no due-diligence answers") for w in ranking.warnings)
        assert not any("crokit:" in w for w in ranking.warnings)

    def test_ahp_weights_and_inconsistency_warning(self):
        consistent = settings(pairwise=((1, 2, 4), ("1/2", 1, 2), ("1/4", "1/2", 1)))
        ranking = select(STUDY, THREE, consistent, registry=REGISTRY)
        assert ranking.weights == pytest.approx((4 / 7, 2 / 7, 1 / 7))
        assert ranking.consistency is not None
        assert ranking.consistency.acceptable
        inconsistent = settings(pairwise=((1, 9, "1/9"), ("1/9", 1, 9), (9, "1/9", 1)))
        ranking = select(STUDY, THREE, inconsistent, registry=REGISTRY)
        assert ranking.consistency is not None
        assert not ranking.consistency.acceptable
        assert any("consistency ratio" in w for w in ranking.warnings)

    def test_weighted_product_floors_zero_scores_with_a_warning(self):
        candidates = (manual("acme", "0", "0.5", "0.5"), manual("bolt", "0.5", "0.5", "0.4"))
        ranking = select(STUDY, candidates, settings(method="weighted-product"), registry=REGISTRY)
        assert ranking.winner == "bolt"
        assert any("raised to 0.01 for Acme on Quality" in w for w in ranking.warnings)

    def test_tie_for_first_is_reported(self):
        candidates = (manual("acme", "0.5", "0.5", "0.5"), manual("bolt", "0.5", "0.5", "0.5"))
        ranking = select(STUDY, candidates, settings(), registry=REGISTRY)
        assert ranking.ties == (("acme", "bolt"),)
        assert any("tie for first" in w for w in ranking.warnings)


def _fields(study: Study) -> dict[str, Any]:
    import attrs

    return attrs.asdict(study, recurse=False)


class TestRefusals:
    def test_candidate_listed_twice(self):
        candidates = (*THREE, manual("acme", "0.1", "0.1", "0.1"))
        with pytest.raises(ValidationError) as info:
            select(STUDY, candidates, settings(), registry=REGISTRY)
        assert info.value.problems[0].path == "candidates[3]"
        assert "'acme' is listed twice" in str(info.value)

    @pytest.mark.parametrize(
        ("weights", "path", "text"),
        [
            ((("test:quality", -1), ("test:speed", 1), ("test:price", 1)), "settings.weights['test:quality']", "-1"),
            ((("test:quality", 0), ("test:speed", 0), ("test:price", 0)), "settings.weights", "all zero"),
        ],
    )
    def test_negative_or_all_zero_weights(self, weights, path, text):
        with pytest.raises(ValidationError) as info:
            select(STUDY, THREE, settings(weights=weights), registry=REGISTRY)
        assert info.value.problems[0].path == path
        assert text in str(info.value)

    def test_unknown_criterion_suggests(self):
        with pytest.raises(UnknownIdError) as info:
            select(STUDY, THREE, settings(criteria=("test:quality", "test:sped")), registry=REGISTRY)
        assert info.value.path == "settings.criteria[1]"
        assert info.value.suggestions[0] == "test:speed"
        with pytest.raises(UnknownIdError) as info:
            select(STUDY, THREE, settings(weights=(("test:qualty", 1),)), registry=REGISTRY)
        assert info.value.path == "settings.weights[0]"

    def test_non_reciprocal_pairwise(self):
        bad = settings(pairwise=((1, 3, 1), ("1/2", 1, 1), (1, 1, 1)))
        with pytest.raises(ValidationError) as info:
            select(STUDY, THREE, bad, registry=REGISTRY)
        assert info.value.problems[0].path == "settings.pairwise[1][0]"
        assert "'1/2'" in str(info.value)
        with pytest.raises(ValidationError, match="3x3"):
            select(STUDY, THREE, settings(pairwise=((1, 2), ("1/2", 1))), registry=REGISTRY)

    def test_manual_score_outside_zero_one(self):
        candidates = (THREE[0], manual("bolt", "0.5", "1.2", "0.6"))
        with pytest.raises(ValidationError, match="a score outside its scale") as info:
            select(STUDY, candidates, settings(), registry=REGISTRY)
        assert info.value.problems[0].path == "candidates[1].manual_scores[1]"
        assert "1.2" in str(info.value)

    def test_answers_of_the_wrong_type_or_candidate(self):
        dd = DueDiligence(candidate="acme", answers=(Answer(question="crokit:dd-named-team", scale=3),))
        with pytest.raises(ValidationError) as info:
            select(STUDY, (CandidateInput(profile=cro("acme"), due_diligence=dd),), settings(), registry=REGISTRY)
        assert info.value.problems[0].path == "candidates[0].due_diligence.answers[0]"
        dd = DueDiligence(candidate="bolt", answers=())
        with pytest.raises(ValidationError, match="answers are from 'bolt'"):
            select(STUDY, (CandidateInput(profile=cro("acme"), due_diligence=dd),), settings(), registry=REGISTRY)

    def test_settings_refuse_bad_values(self):
        with pytest.raises(ValidationError, match="'weighted-sum'"):
            SelectionSettings(method="borda")
        with pytest.raises(ValidationError, match="not both"):
            SelectionSettings(weights=(("crokit:technology", 1),), pairwise=((1,),))
        with pytest.raises(CrokitError):
            SelectionSettings(weights=(("crokit:technology", 0.5),))  # type: ignore[arg-type]
        with pytest.raises(ValidationError) as info:
            SelectionSettings(criteria=("crokit:technology", "crokit:technology"))
        assert info.value.problems[0].path == "criteria[1]"


scores = st.decimals(min_value=0, max_value=1, places=2)
triples = st.tuples(scores, scores, scores)


def _candidates(rows: list[tuple[Decimal, Decimal, Decimal]]) -> tuple[CandidateInput, ...]:
    return tuple(
        CandidateInput(profile=cro(f"cro-{i}"), manual_scores=tuple(zip(MANUAL, row, strict=True)))
        for i, row in enumerate(rows)
    )


NORMALISATIONS = pytest.mark.parametrize("normalisation", ["absolute", "min-max"])


class TestProperties:
    @NORMALISATIONS
    @given(st.lists(triples, min_size=1, max_size=4), triples, st.tuples(*(st.decimals(0, 1, places=2),) * 3))
    def test_a_dominating_candidate_never_ranks_below_the_dominated(self, normalisation, others, base, extra):
        better = tuple(min(Decimal(1), b + e) for b, e in zip(base, extra, strict=True))
        candidates = _candidates([*others, base, better])
        ranking = select(STUDY, candidates, settings(normalisation=normalisation), registry=REGISTRY)
        rank = {c.candidate: c.rank for c in ranking.scorecards}
        n = len(candidates)
        assert rank[f"cro-{n - 1}"] <= rank[f"cro-{n - 2}"]

    @NORMALISATIONS
    @given(
        st.lists(triples, min_size=2, max_size=5),
        st.lists(st.integers(1, 9), min_size=3, max_size=3),
        st.integers(2, 50),
        st.permutations(range(3)),
    )
    def test_scaling_or_permuting_weights_never_changes_the_ranking(self, normalisation, rows, weights, factor, order):
        candidates = _candidates(rows)
        given_weights = tuple(zip(MANUAL, (Decimal(w) for w in weights), strict=True))
        base = select(
            STUDY, candidates, settings(weights=given_weights, normalisation=normalisation), registry=REGISTRY
        )
        scaled = tuple((cid, w * factor) for cid, w in given_weights)
        permuted = tuple(scaled[i] for i in order)
        other = select(
            STUDY,
            candidates,
            settings(criteria=tuple(MANUAL[i] for i in order), weights=permuted, normalisation=normalisation),
            registry=REGISTRY,
        )
        assert [(c.candidate, c.rank) for c in other.scorecards] == [(c.candidate, c.rank) for c in base.scorecards]
        assert [c.score for c in other.scorecards] == pytest.approx([c.score for c in base.scorecards])

    @given(
        st.lists(triples, min_size=1, max_size=5),
        st.lists(st.integers(0, 9), min_size=3, max_size=3).filter(any),
        st.data(),
    )
    def test_other_candidates_never_change_an_absolute_score(self, rows, weights, data):
        # Under the default (absolute) normalisation, a candidate's score is its own: adding,
        # removing or reordering the others changes nothing. (Manual criteria here; among the
        # built-in rules only pricing fit compares candidates, see test_demo_scores.py.)
        candidates = _candidates(rows)
        given_weights = tuple(zip(MANUAL, (Decimal(w) for w in weights), strict=True))
        full = select(STUDY, candidates, settings(weights=given_weights), registry=REGISTRY)
        subset = data.draw(st.lists(st.sampled_from(candidates), unique_by=lambda c: c.id, min_size=1))
        part = select(STUDY, subset, settings(weights=given_weights), registry=REGISTRY)
        scores = {c.candidate: (c.score, c.contributions) for c in full.scorecards}
        for card in part.scorecards:
            assert card.score == scores[card.candidate][0]
            assert card.contributions == scores[card.candidate][1]

    @given(rankings(registry=REGISTRY))
    def test_acceptability_rows_sum_to_one(self, ranking: Ranking):
        for row in ranking.acceptability:
            assert math.isclose(sum(row.by_rank), 1.0, abs_tol=1e-9)
        if ranking.acceptability:
            for rank in range(len(ranking.acceptability)):
                assert math.isclose(sum(r.by_rank[rank] for r in ranking.acceptability), 1.0, abs_tol=1e-9)
        assert (ranking.winner is None) == (not ranking.scorecards)
        assert [c.rank for c in ranking.scorecards] == sorted(c.rank for c in ranking.scorecards)


BUILTIN = Registry.builtin()


@given(
    st.lists(candidate_inputs(currency="USD", registry=BUILTIN), min_size=1, max_size=4, unique_by=lambda c: c.id),
    st.data(),
)
def test_with_the_builtin_rules_only_pricing_fit_depends_on_the_others(candidates, data):
    # Every built-in criterion score except pricing fit is the candidate's own; pricing fit
    # compares each total with the lowest eligible one, so it is the explicit exception.
    settings = SelectionSettings(constraints=OPEN)
    full = {c.candidate: c for c in select(STUDY, candidates, settings, registry=BUILTIN).scorecards}
    subset = data.draw(st.lists(st.sampled_from(candidates), unique_by=lambda c: c.id, min_size=1))
    for card in select(STUDY, subset, settings, registry=BUILTIN).scorecards:
        before = full[card.candidate]
        for now, then in zip(card.criterion_scores, before.criterion_scores, strict=True):
            if now.criterion != "crokit:pricing-fit":
                assert now == then
        mine = next(c for c in subset if c.id == card.candidate)
        if mine.budget is None or not any(c.id != mine.id and c.budget is not None for c in candidates):
            assert card.score == before.score  # nobody else's price to compare with


def _fee_budget(currency: str) -> Budget:
    """A budget of one fixed fee of 1,000.00 in *currency*."""
    money = Money("1000.00", currency)
    line = LineItem(
        service="crokit:data-management",
        stage=Stage.PHASE_2,
        kind=PricingKind.FIXED_FEE,
        bucket=CostBucket.CRO_DIRECT_FEES,
        description="fee",
        basis=None,
        quantity=Decimal(1),
        unit_price=money,
        amount=money,
        months=(0,),
        derivation="a fixed fee",
    )
    return Budget(currency=currency, lines=(line,))


class TestUnjudgedPrice:
    """Pricing fit with no budget ceiling and no ratio to the lowest bid says so (issue #10)."""

    WARNING = "pricing fit compares no prices: there is no budget ceiling to judge them against"

    @staticmethod
    def _ranking(preferences: SponsorPreferences, weights: tuple[tuple[str, Decimal], ...] = ()) -> list[str]:
        profile = CroProfile(id="acme", name="Acme", kind=ProviderKind.CRO)
        settings = SelectionSettings(
            criteria=("crokit:geographic-reach", "crokit:pricing-fit"),
            weights=weights,
            constraints=Constraints(require_services=False, require_countries=False, min_area_studies=0),
            preferences=preferences,
        )
        candidates = [CandidateInput(profile=profile, budget=_fee_budget("USD"))]
        return list(select(STUDY, candidates, settings, registry=Registry.builtin()).warnings)

    def test_without_a_ceiling_the_ranking_warns(self) -> None:
        warnings = self._ranking(SponsorPreferences())
        assert (
            "pricing fit compares no prices: there is no budget ceiling to judge them against, so it reads only "
            "the preferred pricing kinds, if any (set selection.preferences.budget_ceiling, or "
            "price_against_lowest = true to compare each total with the lowest)"
        ) in warnings

    def test_without_any_quote_there_are_no_prices_to_compare(self) -> None:
        profile = CroProfile(id="acme", name="Acme", kind=ProviderKind.CRO)
        settings = SelectionSettings(
            criteria=("crokit:geographic-reach", "crokit:pricing-fit"),
            constraints=Constraints(require_services=False, require_countries=False, min_area_studies=0),
        )
        ranking = select(STUDY, [CandidateInput(profile=profile)], settings, registry=Registry.builtin())
        assert not any(w.startswith(self.WARNING) for w in ranking.warnings)

    @pytest.mark.parametrize(
        "preferences",
        [
            SponsorPreferences(budget_ceiling=Money("5000.00", "USD")),
            SponsorPreferences(price_against_lowest=True),
        ],
        ids=["ceiling", "against the lowest"],
    )
    def test_with_something_to_judge_against_it_does_not(self, preferences: SponsorPreferences) -> None:
        assert not any(w.startswith(self.WARNING) for w in self._ranking(preferences))

    def test_pricing_fit_weighing_nothing_needs_no_warning(self) -> None:
        weights = (("crokit:geographic-reach", Decimal(1)), ("crokit:pricing-fit", Decimal(0)))
        assert not any(w.startswith(self.WARNING) for w in self._ranking(SponsorPreferences(), weights))


def test_a_constraint_that_cannot_be_checked_names_the_candidate() -> None:
    settings = SelectionSettings(
        criteria=("crokit:geographic-reach",),
        constraints=Constraints(
            require_services=False, require_countries=False, min_area_studies=0, within_budget_ceiling=True
        ),
        preferences=SponsorPreferences(budget_ceiling=Money("5000.00", "USD")),
    )
    candidates = [
        CandidateInput(profile=CroProfile(id="bolt", name="Bolt", kind=ProviderKind.CRO)),
        CandidateInput(
            profile=CroProfile(id="acme", name="Acme", kind=ProviderKind.CRO),
            budget=_fee_budget("EUR"),
        ),
    ]
    with pytest.raises(ValidationError) as info:
        select(STUDY, candidates, settings, registry=Registry.builtin())
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("candidates[1].budget_ceiling", "the ceiling is in USD but the budget in EUR")
    ]
