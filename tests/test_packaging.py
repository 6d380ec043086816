"""The package's public face: version, exports, typing marker, import weight."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import crokit
import crokit.pricing
import crokit.schedule


def test_version_matches_the_distribution():
    assert importlib.metadata.version("crokit") == crokit.__version__


def test_all_is_sorted_and_complete():
    assert crokit.__all__ == sorted(crokit.__all__)
    for name in crokit.__all__:
        assert hasattr(crokit, name), name
    assert set(crokit.__all__) <= set(dir(crokit))


def test_every_public_object_has_a_docstring():
    missing = [name for name in crokit.__all__ if name != "__version__" and not getattr(crokit, name).__doc__]
    assert missing == []


def test_py_typed_is_shipped():
    assert (Path(crokit.__file__).parent / "py.typed").exists()


def test_import_crokit_stays_light():
    heavy = [
        "numpy",
        "pandas",
        "matplotlib",
        "openpyxl",
        "hypothesis",
        "yaml",
        "tomli_w",
        "rich",
        "dask",
        "distributed",
    ]
    code = f"import crokit, sys; print([m for m in {heavy!r} if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@given(st.from_type(crokit.Money), st.from_type(crokit.Study), st.from_type(crokit.CroProfile))
def test_hypothesis_entry_point_registers_strategies(money, study, profile):
    assert isinstance(money, crokit.Money)
    assert isinstance(study, crokit.Study)
    assert isinstance(profile, crokit.CroProfile)


@given(st.from_type(crokit.pricing.Proposal), st.from_type(crokit.schedule.BillingTerms))
def test_pricing_and_schedule_types_are_registered_too(proposal, terms):
    assert isinstance(proposal, crokit.pricing.Proposal)
    assert isinstance(terms, crokit.schedule.BillingTerms)


def test_testing_all_is_sorted_and_complete():
    import crokit.testing

    assert crokit.testing.__all__ == sorted(crokit.testing.__all__)
    for name in crokit.testing.__all__:
        assert callable(getattr(crokit.testing, name)), name


def test_importing_hypothesis_does_not_import_numpy():
    code = "import hypothesis, sys; print('numpy' in sys.modules, 'crokit.testing' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False False"
