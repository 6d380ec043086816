"""Every selection model round-trips through crokit.serialization in JSON, TOML and YAML."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crokit import Registry, UnknownIdError, ValidationError
from crokit.selection import (
    CandidateInput,
    Constraints,
    CriterionScore,
    CustomConstraint,
    DueDiligence,
    Ranking,
    SelectionSettings,
    SponsorPreferences,
)
from crokit.serialization import FORMATS, dumps, loads
from crokit.testing._selection import (
    budgets,
    candidate_inputs,
    constraints,
    criterion_scores,
    custom_constraints,
    due_diligences,
    questions,
    rankings,
    selection_criteria,
    selection_settings,
    sponsor_preferences,
)
from crokit.vocabulary import Question, SelectionCriterion

REGISTRY = Registry.builtin()

MODELS: list[tuple[type, st.SearchStrategy[Any]]] = [
    (SelectionCriterion, selection_criteria()),
    (Question, questions()),
    (DueDiligence, due_diligences(registry=REGISTRY)),
    (CustomConstraint, custom_constraints(registry=REGISTRY)),
    (Constraints, constraints(registry=REGISTRY)),
    (SponsorPreferences, sponsor_preferences()),
    (SelectionSettings, selection_settings(registry=REGISTRY)),
    (CandidateInput, candidate_inputs(registry=REGISTRY)),
    (CriterionScore, criterion_scores()),
    (Ranking, rankings(registry=REGISTRY, max_candidates=3)),
]


@pytest.mark.parametrize(("cls", "strategy"), MODELS, ids=[cls.__name__ for cls, _ in MODELS])
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_model_round_trips(cls, strategy, fmt):
    @settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(strategy)
    def check(value):
        text = dumps(value, fmt, registry=REGISTRY)
        back = loads(text, cls, fmt, registry=REGISTRY)
        assert back == value
        assert dumps(back, fmt, registry=REGISTRY) == text

    check()


def test_budgets_round_trip_in_json():
    @given(budgets())
    def check(value):
        assert loads(dumps(value, registry=REGISTRY), type(value), registry=REGISTRY) == value

    check()


def test_unknown_question_in_a_file_suggests():
    text = '{"candidate": "helix", "answers": [{"question": "crokit:dd-team-turnovr", "number": "10"}]}'
    with pytest.raises(ValidationError) as info:
        loads(text, DueDiligence, registry=REGISTRY)
    problem = info.value.problems[0]
    assert problem.path == "answers[0].question"
    assert "did you mean 'crokit:dd-team-turnover'" in problem.message


def test_unknown_criterion_in_settings_file_suggests():
    with pytest.raises((ValidationError, UnknownIdError)) as info:
        loads('{"criteria": ["crokit:tecnology"]}', SelectionSettings, registry=REGISTRY)
    assert "crokit:technology" in str(info.value)


def test_weights_and_pairwise_are_text_in_files():
    settings_ = SelectionSettings(
        criteria=("crokit:technology", "crokit:pricing-fit"),
        pairwise=((1, "3"), ("1/3", 1)),
    )
    assert settings_.pairwise == (("1", "3"), ("1/3", "1"))
    back = loads(dumps(settings_, "toml", registry=REGISTRY), SelectionSettings, "toml", registry=REGISTRY)
    assert back == settings_
    weighted = SelectionSettings(criteria=("crokit:technology",), weights=(("crokit:technology", 2),))
    assert '"2"' in dumps(weighted, registry=REGISTRY)
