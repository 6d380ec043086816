"""Selection criteria and due-diligence questions: built-ins, registry lookups and refusals."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

from crokit import Registry, UnknownIdError, ValidationError
from crokit.selection.rules import resolve_rule
from crokit.vocabulary import BUILTIN_CRITERIA, BUILTIN_QUESTIONS, AnswerType, Better, Question, SelectionCriterion

FIVE = (
    "crokit:therapeutic-expertise",
    "crokit:geographic-reach",
    "crokit:technology",
    "crokit:team-experience",
    "crokit:pricing-fit",
)


def a_question(**changes: object) -> Question:
    fields: dict[str, object] = {
        "id": "acme:q",
        "text": "Turnover?",
        "criterion": "crokit:team-experience",
        "answer_type": AnswerType.NUMBER,
        "better": Better.LOWER,
        "zero_at": Decimal(40),
        "one_at": Decimal(0),
    }
    fields.update(changes)
    return Question(**fields)  # type: ignore[arg-type]


class TestBuiltins:
    def test_the_five_criteria_with_why_and_rules(self, registry):
        assert tuple(c.id for c in registry.criteria) == FIVE
        whys = {c.id: c.why for c in BUILTIN_CRITERIA}
        assert whys["crokit:geographic-reach"] == "Needed for multi-country and global trials."
        for criterion in registry.criteria:
            assert criterion.rule is not None
            assert criterion.rule.startswith("crokit.selection.rules:")
            assert callable(resolve_rule(criterion.rule))

    def test_at_least_fifteen_questions_each_tied_to_a_criterion(self, registry):
        assert len(registry.questions) >= 15
        assert registry.questions == BUILTIN_QUESTIONS
        assert {q.criterion for q in registry.questions} == set(FIVE)
        texts = " ".join(q.text.lower() for q in registry.questions)
        for topic in ("indication and phase", "turnover", "actually work", "enrolment", "validated", "inspections"):
            assert topic in texts
        for topic in ("change orders", "subcontracted", "own all study data", "business-continuity"):
            assert topic in texts

    def test_typed_accessors(self, registry):
        assert registry.criterion("crokit:technology").name == "Technology"
        assert registry.question("crokit:dd-team-turnover").answer_type is AnswerType.NUMBER
        with pytest.raises(UnknownIdError) as info:
            registry.criterion("crokit:tecnology", path="criteria[2]")
        assert info.value.suggestions[0] == "crokit:technology"
        assert info.value.path == "criteria[2]"

    def test_references_are_checked(self, registry):
        registry.check_references()
        broken = registry.with_entries(a_question(criterion="acme:missing"))
        with pytest.raises(ValidationError) as info:
            broken.check_references()
        assert info.value.problems[0].path == "question acme:q.criterion"

    def test_vocabulary_does_not_import_selection_or_numpy(self):
        code = (
            "import sys, crokit.vocabulary.criteria, crokit.registry; "
            "assert 'crokit.selection' not in sys.modules and 'numpy' not in sys.modules"
        )
        subprocess.run([sys.executable, "-c", code], check=True)


class TestRefusals:
    @pytest.mark.parametrize("rule", ["no-colon", "a.b:", ":f", "a b:c", "x:y:z"])
    def test_bad_rule_path(self, rule):
        with pytest.raises(ValidationError) as info:
            SelectionCriterion(id="acme:c", name="C", description="d", why="w", rule=rule)
        assert info.value.problems[0].path == "rule"
        assert repr(rule) in str(info.value)

    def test_better_must_fit_the_answer_type(self):
        with pytest.raises(ValidationError, match="yes-no question needs better") as info:
            a_question(answer_type=AnswerType.YES_NO, better=Better.HIGHER, zero_at=None, one_at=None)
        assert info.value.problems[0].path == "better"

    def test_number_questions_need_bounds_in_the_right_order(self):
        with pytest.raises(ValidationError, match="needs both zero_at and one_at"):
            a_question(one_at=None)
        with pytest.raises(ValidationError, match="one_at must be below zero_at") as info:
            a_question(one_at=Decimal(50))
        assert info.value.problems[0].path == "one_at"
        with pytest.raises(ValidationError, match="only number questions"):
            a_question(answer_type=AnswerType.SCALE_1_5, better=Better.HIGHER)

    def test_weight_must_be_positive(self):
        with pytest.raises(ValidationError, match="above 0"):
            a_question(weight=Decimal(0))

    def test_extension_criterion_registers(self):
        extra = SelectionCriterion(id="acme:culture", name="Culture", description="Fit", why="Works together")
        registry = Registry.builtin().with_entries(extra, a_question(criterion="acme:culture"))
        registry.check_references()
        assert registry.criterion("acme:culture").rule is None
