"""``crokit template scenario``: a commented starting scenario that validates and evaluates as written.

The template is the built-in demo scenario cut to two candidates, written as TOML, with
a comment before each section saying what it holds. Every figure in it is illustrative.
"""

from __future__ import annotations

from typing import Final

import attrs

from crokit.demo import demo_scenario
from crokit.registry import Registry
from crokit.serialization import dumps

__all__ = ["scenario_template"]

_HEADER: Final = """\
# A crokit scenario: one outsourcing decision in one file.
#
# Check it with `crokit validate FILE`, run it with `crokit evaluate FILE`.
# Every company, rate and answer below is ILLUSTRATIVE: replace them with your own.
# Money and other exact numbers are written as strings ("1850.00"), never as floats;
# dates as 2027-01-04; ids of crokit's vocabulary as listed by `crokit catalogue`.
"""

_COMMENTS: Final = {
    "[study]": "# The study you are outsourcing: phase, area, patients, sites, countries, visit schedule.",
    "[[study.visits]]": "# One patient's visit schedule, in day order (CRF pages drive data-management pricing).",
    "[assumptions]": "# Planning assumptions that turn the study into counts (months per period, monitoring).",
    "[[candidates]]": "# A candidate provider: its profile, its priced proposal and its due-diligence answers.",
    "[candidates.profile]": "# What the provider is, offers, covers and has done.",
    "[candidates.proposal]": "# Its proposal: pricing items (each with a `kind`), adjustments and performance terms.",
    "[selection]": "# How to choose: method, criteria and weights (or AHP `pairwise`), constraints, preferences.",
    "[billing]": "# Default billing terms: frequency, payment days (net 30/45/60), holdback.",
    "[fx]": "# Exchange rates for proposals in another currency than the study's (none needed here).",
}


def scenario_template(registry: Registry | None = None) -> str:
    """The commented TOML text of a small, complete, valid scenario."""
    demo = demo_scenario()
    scenario = attrs.evolve(
        demo, title="My CRO evaluation (illustrative starting point)", candidates=demo.candidates[1:3]
    )
    lines: list[str] = []
    seen: set[str] = set()
    for line in dumps(scenario, "toml", registry=registry).splitlines():
        comment = _COMMENTS.get(line.strip())
        if comment is not None and line.strip() not in seen:
            seen.add(line.strip())
            lines.append(comment)
        lines.append(line)
    return _HEADER + "\n" + "\n".join(lines) + "\n"
