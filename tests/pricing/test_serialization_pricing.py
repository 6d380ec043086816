"""Every pricing model, adjustment and the Proposal round-trip through JSON, TOML and YAML."""

from __future__ import annotations

from typing import Any, cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crokit import ValidationError, serialization
from crokit.pricing import Adjustment, PricingModel, Proposal
from crokit.testing._pricing import (
    adjustments,
    assumptions,
    fte_allocations,
    investigator_grants,
    performance_terms,
    pricing_models,
    proposals,
    rate_cards,
    site_activations,
    visit_fees,
    volume_discounts,
)
from tests.pricing.test_models import STUDY

FORMATS = pytest.mark.parametrize("fmt", ["json", "toml", "yaml"])


def _round_trip(value: object, cls: Any, fmt: serialization.Format) -> object:
    return serialization.loads(serialization.dumps(value, fmt), cls, fmt)


@FORMATS
@given(data=st.data())
def test_plain_values_round_trip(fmt, data):
    strategy = st.one_of(
        rate_cards(),
        volume_discounts(),
        fte_allocations(),
        visit_fees(),
        performance_terms(),
        assumptions(even=False),
        site_activations(),
    )
    value = data.draw(strategy)
    assert _round_trip(value, type(value), fmt) == value


@FORMATS
@given(item=pricing_models())
def test_pricing_models_round_trip_as_the_tagged_union(fmt, item):
    assert serialization.dumps(item, "json").startswith(f'{{"kind":"{item.kind}"')
    assert _round_trip(item, cast("Any", PricingModel), fmt) == item


@FORMATS
@given(item=adjustments())
def test_adjustments_round_trip_as_the_tagged_union(fmt, item):
    assert _round_trip(item, cast("Any", Adjustment), fmt) == item


@FORMATS
@given(proposal=proposals())
def test_proposals_round_trip(fmt, proposal):
    assert _round_trip(proposal, Proposal, fmt) == proposal


@FORMATS
@given(proposal=proposals(study=STUDY), grants=investigator_grants(currency="USD", study=STUDY))
def test_proposals_for_a_study_round_trip(fmt, proposal, grants):
    assert _round_trip(proposal, Proposal, fmt) == proposal
    wrapped = Proposal(cro_id="helix", currency="USD", items=(grants,))
    assert _round_trip(wrapped, Proposal, fmt) == wrapped


def test_unknown_adjustment_kind_is_refused_with_a_path():
    text = '{"cro_id": "helix", "currency": "USD", "adjustments": [{"kind": "rebate", "percent": "5"}]}'
    with pytest.raises(ValidationError) as info:
        serialization.loads(text, Proposal, "json")
    assert info.value.problems[0].path == "adjustments[0].kind"


def test_bad_rate_in_a_document_is_refused_with_a_path_and_a_hint():
    text = '{"cro_id": "helix", "currency": "USD", "adjustments": [{"kind": "percent-discount", "rate": "5"}]}'
    with pytest.raises(ValidationError) as info:
        serialization.loads(text, Proposal, "json")
    assert info.value.problems[0].path == "adjustments[0].rate"
    assert "did you mean 0.05 (5%)?" in info.value.problems[0].message
