"""Hypothesis strategies for effective-dated change orders and contract versions.

Public through :mod:`crokit.testing`; see there. Every strategy takes no required argument.
"""

from __future__ import annotations

import functools

from dateutil.relativedelta import relativedelta
from hypothesis import strategies as st

from crokit.change_orders import ChangeOrder, Contract, ReasonCode, StudyChange
from crokit.contract_versions import ContractVersion, DeltaLine, contract_versions
from crokit.pricing.assumptions import Assumptions
from crokit.pricing.proposal import Proposal
from crokit.registry import Registry
from crokit.study import Study

__all__ = ["contract_version_values", "delta_lines", "study_changes"]

_RATES = st.decimals(min_value=0, max_value="0.6", places=2)


def study_changes() -> st.SearchStrategy[StudyChange]:
    """:class:`~crokit.change_orders.StudyChange` values changing at least the patients and sites."""
    return st.builds(
        StudyChange,
        planned_patients=st.integers(min_value=40, max_value=400),
        sites=st.integers(min_value=1, max_value=40),
        screen_failure_rate=st.none() | _RATES,
        dropout_rate=st.none() | _RATES,
    )


@functools.cache
def _demo() -> tuple[Study, Assumptions, Proposal]:
    from crokit.demo import demo_scenario

    scenario = demo_scenario()
    (helix,) = [c.proposal for c in scenario.candidates if c.id == "helix-cro" and c.proposal is not None]
    return scenario.study, scenario.assumptions, helix


@st.composite
def _versions(draw: st.DrawFn) -> tuple[ContractVersion, ...]:
    study, planning, proposal = _demo()
    month = draw(st.integers(min_value=0, max_value=30))
    effective = study.start_date + relativedelta(months=month)
    order = ChangeOrder(
        id="co-1",
        date=effective,
        reason=draw(st.sampled_from(ReasonCode)),
        description="drawn study change",
        study=draw(study_changes()),
    )
    contract = Contract(original=proposal, change_orders=(order,))
    return contract_versions(contract, study=study, assumptions=planning, registry=Registry.builtin())


def contract_version_values() -> st.SearchStrategy[ContractVersion]:
    """:class:`~crokit.contract_versions.ContractVersion` values of the demo contract under a drawn change order."""
    return _versions().flatmap(st.sampled_from)


def delta_lines() -> st.SearchStrategy[DeltaLine]:
    """:class:`~crokit.contract_versions.DeltaLine` values explaining drawn change orders."""
    return _versions().filter(lambda versions: bool(versions[1].lines)).flatmap(lambda v: st.sampled_from(v[1].lines))
