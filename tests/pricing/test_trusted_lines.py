"""The pricing models build their lines without re-validation: every line must pass it anyway.

``LineItem._trusted`` skips the public constructor's converters and checks (issue #13);
these properties rebuild every line a model prices, through the public constructor, and
require the same values of the same types (a quantity left an ``int`` or months left a
``list`` would compare equal and still be wrong).
"""

from __future__ import annotations

import attrs
from hypothesis import given

from crokit.pricing import Budget, LineItem
from crokit.testing._pricing import proposals
from tests.pricing.test_models import DRIVERS, REGISTRY, STUDY


def _rebuilt_identically(budget: Budget) -> None:
    for line in budget.lines:
        fields = {field.name: getattr(line, field.name) for field in attrs.fields(LineItem)}
        rebuilt = LineItem(**fields)
        assert rebuilt == line
        for name, value in fields.items():
            assert type(getattr(rebuilt, name)) is type(value), (name, value)


@given(proposals(study=STUDY))
def test_every_line_a_proposal_prices_passes_the_public_constructor(proposal):
    _rebuilt_identically(proposal.price(STUDY, DRIVERS, registry=REGISTRY))


@given(proposals(study=STUDY, max_adjustments=0))
def test_every_line_of_the_items_alone_passes_the_public_constructor(proposal):
    for item in proposal.items:
        _rebuilt_identically(item.price(STUDY, DRIVERS, registry=REGISTRY))
