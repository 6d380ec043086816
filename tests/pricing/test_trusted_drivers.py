"""``derive_drivers`` builds its drivers without re-validation: every driver must pass it anyway.

``Driver._trusted`` skips the public constructor's converter and checks (issue #13); this
property rebuilds every driver :func:`~crokit.pricing.derive_drivers` derives, through
the public constructor, and requires the same values of the same types (a value left an
``int`` would compare equal to its Decimal and still be wrong).
"""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crokit.errors import CrokitError, ValidationError
from crokit.pricing import Driver, derive_drivers
from crokit.testing import studies
from crokit.testing._pricing import assumptions


@given(studies(), st.booleans().flatmap(lambda even: assumptions(even=even)))
def test_every_derived_driver_passes_the_public_constructor(study, assumed):
    try:
        drivers = derive_drivers(study, assumed)
    except ValidationError:  # an activation plan that does not fit this study
        return
    found = [value for value in attrs.astuple(drivers, recurse=False) if isinstance(value, Driver)]
    assert len(found) == len([f for f in attrs.fields(type(drivers)) if f.type in {Driver, "Driver"}])
    for driver in found:
        fields = {field.name: getattr(driver, field.name) for field in attrs.fields(Driver)}
        rebuilt = Driver(**fields)
        assert rebuilt == driver
        for name, value in fields.items():
            assert type(getattr(rebuilt, name)) is type(value), (name, value)
        assert all(type(name) is str and type(text) is str for name, text in driver.inputs)


@pytest.mark.parametrize("value", [-1, 10**31])
def test_a_count_out_of_range_is_refused_as_the_constructor_refuses_it(value):
    with pytest.raises(CrokitError):
        Driver._trusted(name="sites", value=value, unit="site", formula="study.sites", inputs=(), rounding="none")
    assert Driver._trusted(name="sites", value=3, unit="site", formula="f", inputs=(), rounding="r").value == Decimal(3)
