"""Dates that leave no room for a timeline before 9999 are refused, not crashed on (found by the fuzz suite)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import attrs
import pytest

from crokit import ValidationError
from crokit._validators import LAST_START
from crokit.cli import main
from crokit.demo import demo_scenario

ESCAPES = Path(__file__).resolve().parents[1] / "fuzz" / "corpus" / "escapes"


@pytest.mark.parametrize(
    ("command", "name", "path"),
    [
        ("evaluate", "cli--evaluate-text--ValueError--eeadda5ea0.toml", "adjustments[0].start_date"),
        ("validate", "cli--validate--ValueError--c608b9b16c.yaml", "scenario.study.start_date"),
    ],
)
def test_a_date_at_the_end_of_the_calendar_is_one_clean_error(command: str, name: str, path: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main([command, str(ESCAPES / name)], out=out, err=err) == 1
    assert path in err.getvalue()
    assert "expected a date up to 9949-12-31" in err.getvalue()
    assert "Traceback" not in err.getvalue()


def test_the_last_start_is_accepted_and_the_next_day_refused() -> None:
    study = demo_scenario().study
    assert attrs.evolve(study, start_date=LAST_START).start_date == LAST_START
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(study, start_date=date(9950, 1, 1))
    assert caught.value.problems[0].path == "start_date"
