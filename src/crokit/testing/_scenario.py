"""Hypothesis strategies for scenarios, their candidates and their evaluations.

Public through :mod:`crokit.testing`; see there. Scenarios are drawn from the other
strategies (a study, assumptions, candidates whose proposals price that study,
selection settings); evaluations are what :func:`~crokit.evaluate` makes of them.
"""

from __future__ import annotations

import attrs
from hypothesis import reject
from hypothesis import strategies as st

from crokit._scenario_bids import RANKING_PRICES
from crokit.errors import CrokitError
from crokit.money import Money
from crokit.registry import Registry
from crokit.scenario import BenchmarkResult, Candidate, CandidateResult, Evaluation, Scenario, evaluate
from crokit.selection.models import DEFAULT_CRITERIA
from crokit.study import Study
from crokit.testing._bids import bid_assumptions, outside_scopes
from crokit.testing._core import cro_profiles, studies
from crokit.testing._pricing import assumptions, proposals
from crokit.testing._schedule import billing_terms
from crokit.testing._selection import _manual, due_diligences, selection_settings
from crokit.testing._sensitivity import sensitivity_settings

__all__ = ["benchmark_results", "candidate_results", "candidates", "evaluations", "scenarios"]

_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    str.strip
)


def candidates(*, study: Study | None = None, registry: Registry | None = None) -> st.SearchStrategy[Candidate]:
    """Candidates: a profile, maybe its proposal for *study* (drawn if not given), its answers, manual scores."""
    reg = registry if registry is not None else Registry.builtin()

    @st.composite
    def build(draw: st.DrawFn) -> Candidate:
        target = study if study is not None else draw(studies(registry=reg, max_visits=2))
        profile = draw(cro_profiles(registry=reg))
        proposal = draw(st.none() | proposals(study=target, registry=reg, max_items=3, max_adjustments=2))
        if proposal is not None and proposal.currency != target.currency:
            proposal = None  # a proposal in another currency needs an exchange rate the scenario may lack
        answers = draw(st.none() | due_diligences(candidate=profile.id, registry=reg))
        return Candidate(
            profile=profile,
            proposal=None if proposal is None else attrs.evolve(proposal, cro_id=profile.id),
            answers=() if answers is None else answers.answers,
            manual_scores=draw(_manual(DEFAULT_CRITERIA)),
            billing=draw(st.none() | billing_terms()),
            outside_scope=draw(
                st.lists(outside_scopes(currency=target.currency), max_size=2, unique_by=lambda item: item.service)
            ),
            bid_assumptions=draw(st.none() | bid_assumptions()),
        )

    return build()


def scenarios(*, registry: Registry | None = None, max_candidates: int = 3) -> st.SearchStrategy[Scenario]:
    """Scenarios of a study and 1..*max_candidates* candidates with proposals that price it."""
    reg = registry if registry is not None else Registry.builtin()

    @st.composite
    def build(draw: st.DrawFn) -> Scenario:
        study = draw(studies(registry=reg, max_visits=2))
        drawn = draw(
            st.lists(
                candidates(study=study, registry=reg), min_size=1, max_size=max_candidates, unique_by=lambda c: c.id
            )
        )
        return Scenario(
            sponsor=draw(_TEXT),
            study=study,
            assumptions=draw(assumptions()),
            candidates=drawn,
            selection=draw(selection_settings(currency=study.currency, registry=reg)),
            billing=draw(billing_terms()),
            title=draw(st.none() | _TEXT),
            notes=draw(st.none() | _TEXT),
            sensitivity=draw(st.none() | sensitivity_settings()),
            ranking_price=draw(st.sampled_from(RANKING_PRICES)),
            rate_factor=draw(st.decimals(min_value="1.05", max_value="5", places=2)),
        )

    return build()


def evaluations(*, registry: Registry | None = None) -> st.SearchStrategy[Evaluation]:
    """Evaluations :func:`~crokit.evaluate` makes of drawn scenarios (those it refuses are skipped)."""
    reg = registry if registry is not None else Registry.builtin()

    @st.composite
    def build(draw: st.DrawFn) -> Evaluation:
        # drawn ranges rarely fit the drawn study; the tornado has its own strategies
        scenario = attrs.evolve(draw(scenarios(registry=reg, max_candidates=2)), sensitivity=None)
        seed = draw(st.none() | st.integers(0, 2**32))
        try:
            return evaluate(scenario, registry=reg, seed=seed)
        except CrokitError:
            reject()  # drawn inputs crokit refuses are not evaluations

    return build()


def candidate_results(*, registry: Registry | None = None) -> st.SearchStrategy[CandidateResult]:
    """One candidate's result in a drawn evaluation."""
    return evaluations(registry=registry).flatmap(lambda found: st.sampled_from(found.candidates))


def benchmark_results() -> st.SearchStrategy[BenchmarkResult]:
    """Comparisons of a cost per patient with a published figure, or why there is none."""
    found = st.builds(
        BenchmarkResult,
        message=_TEXT,
        ratio=st.decimals("0.01", "100", places=2),
        published=st.decimals("1", "1000000", places=2).map(lambda amount: Money(amount, "USD")),
        source=st.from_regex(r"\A[a-z]+-[0-9]{4}\Z"),
    )
    return st.builds(BenchmarkResult, message=_TEXT) | found
