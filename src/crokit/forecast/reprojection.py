"""Interim re-projection: from the counts observed at a census to each site's posterior and the new finish.

A site open for ``t_j`` months at the census that has randomised ``k_j`` patients has,
under the Poisson-gamma model with prior Gamma(``a``, ``b'``) on its randomisation rate
(``b' = b / (1 - screen_failure)``), the posterior Gamma(``a + k_j``, ``b' + t_j``) (Gamma
is conjugate to the Poisson likelihood ``lambda**k exp(-lambda t)``; Anisimov and Fedorov
2007, section 4). After the census its further count over ``s`` months is negative
binomial ``NB(a + k_j, (b' + t_j) / (b' + t_j + s))``; the time to the remaining
``target - sum k_j`` patients is evaluated exactly as in :mod:`crokit.forecast._exact`,
every observed site being its own component.

Sites not in the observations are taken as not yet open: they keep their group's prior
and open as planned but not before the census (a planned month before the census moves
to the census; a window is cut to start at the census, or becomes the census if it had
ended).

>>> import datetime as dt
>>> from crokit.forecast import EnrolmentModel, SiteGroup
>>> model = EnrolmentModel(start=dt.date(2027, 1, 1), target=40,
...                        groups=(SiteGroup(id="de", sites=2, shape=2, rate=4),))
>>> seen = (SiteObservation(site="de/1", opened=0, randomised=9), SiteObservation(site="de/2", opened=0, randomised=1))
>>> result = reproject(model, seen, census=6)
>>> [(p.site, p.shape, p.rate) for p in result.posteriors]
[('de/1', 11.0, 10.0), ('de/2', 3.0, 10.0)]
>>> result.remaining
30
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs
import numpy as np

from crokit.errors import UnknownIdError, ValidationError
from crokit.forecast._exact import Component, count_pmf
from crokit.forecast._numbers import as_float, check_number, date_at
from crokit.forecast.exact import milestone_forecasts
from crokit.forecast.model import ActivateAt, ActivationList, EnrolmentModel, SiteObservation
from crokit.forecast.results import DEFAULT_LEVELS, Reprojection, SitePosterior, check_levels
from crokit.vocabulary.lifecycle import Milestone

__all__ = ["SiteObservation", "reproject"]  # SiteObservation lives in crokit.forecast.model


def _planned(model: EnrolmentModel, census: float) -> dict[str, tuple[float, float]]:
    """Each site's planned opening (first, last month of its window), moved to the census if earlier."""
    result: dict[str, tuple[float, float]] = {}
    for group in model.groups:
        activation = group.activation
        for index, site in enumerate(group.site_ids):
            if isinstance(activation, ActivateAt):
                first = last = activation.month
            elif isinstance(activation, ActivationList):
                first = last = activation.months[index]
            else:
                first, last = activation.first, activation.last
            result[site] = (max(first, census), max(last, census))
    return result


def reproject(
    model: EnrolmentModel,
    observations: Sequence[SiteObservation],
    *,
    census: dt.date | float,
    levels: Sequence[float] = DEFAULT_LEVELS,
) -> Reprojection:
    """Re-project *model* from the *observations* made at *census* (a date or a study month).

    Raises:
        ValidationError: At ``census`` if it is before the first site can open; at
            ``observations[i].opened`` for a site opened after the census; at
            ``observations[i].site`` for a site listed twice; at ``observations`` if the
            target is already reached.
        UnknownIdError: At ``observations[i].site`` for a site the model does not have.
    """
    checked = check_levels(levels)
    month = (
        model.month_of(census) if isinstance(census, dt.date) else check_number("census", as_float(census), minimum=0.0)
    )
    if month < model.first_activation:
        raise ValidationError.at(
            "census",
            f"the census (month {month:g}) is before the first site can open (month {model.first_activation:g}); "
            "expected a census on or after it",
        )
    sites = {site: group for group in model.groups for site in group.site_ids}
    seen: dict[str, SiteObservation] = {}
    for index, observation in enumerate(observations):
        path = f"observations[{index}]"
        if not isinstance(observation, SiteObservation):
            raise ValidationError.at(path, f"expected a SiteObservation, got {observation!r}")
        if observation.site not in sites:
            raise UnknownIdError("site", observation.site, choices=sites, path=f"{path}.site")
        if observation.site in seen:
            raise ValidationError.at(f"{path}.site", f"{observation.site!r} is listed more than once")
        if observation.opened > month:
            raise ValidationError.at(
                f"{path}.opened", f"the site opened at month {observation.opened:g}, after the census (month {month:g})"
            )
        seen[observation.site] = observation
    randomised = sum(observation.randomised for observation in seen.values())
    remaining = model.target - randomised
    if remaining <= 0:
        raise ValidationError.at(
            "observations",
            f"{randomised} patients are already randomised, the target is {model.target}: nothing to re-project",
        )
    planned = _planned(model, month)
    posteriors: list[SitePosterior] = []
    parts: list[Component] = []
    for site, group in sites.items():
        rate = model.randomisation_rate(group)
        found = seen.get(site)
        if found is None:
            posteriors.append(SitePosterior(site=site, observed=0, months_open=0.0, shape=group.shape, rate=rate))
            first, last = planned[site]
            parts.append(Component(shape=group.shape, rate=rate, first=first, last=last))
            continue
        months_open = month - found.opened
        shape, posterior_rate = group.shape + found.randomised, rate + months_open
        posteriors.append(
            SitePosterior(
                site=site, observed=found.randomised, months_open=months_open, shape=shape, rate=posterior_rate
            )
        )
        parts.append(Component(shape=shape, rate=posterior_rate, first=month, last=month))
    wanted = {Milestone.LAST_PATIENT_IN: remaining}
    (last_patient_in,), _method = milestone_forecasts(
        model.start, _merge(parts), wanted, checked, low=month, high=max(model.horizon_months, month + 1.0)
    )
    pmf = count_pmf(_merge(parts), np.array([model.horizon_months]), remaining)
    return Reprojection(
        census_month=month,
        census_date=date_at(model.start, month),
        randomised=randomised,
        remaining=remaining,
        posteriors=tuple(posteriors),
        last_patient_in=attrs.evolve(last_patient_in, patients=model.target),
        probability_by_horizon=min(1.0, max(0.0, 1.0 - float(pmf.sum()))),
    )


def _merge(parts: Sequence[Component]) -> tuple[Component, ...]:
    """Pool components with the same rate and fixed opening; keep windows per site group."""
    pooled: dict[tuple[float, float], float] = {}
    windows: dict[tuple[float, float, float, float], int] = {}
    for part in parts:
        if part.first == part.last:
            key = (part.rate, part.first)
            pooled[key] = pooled.get(key, 0.0) + part.shape
        else:
            window = (part.shape, part.rate, part.first, part.last)
            windows[window] = windows.get(window, 0) + 1
    fixed = [Component(shape=shape, rate=rate, first=first, last=first) for (rate, first), shape in pooled.items()]
    spread = [
        Component(shape=shape, rate=rate, first=first, last=last, sites=count)
        for (shape, rate, first, last), count in windows.items()
    ]
    return (*fixed, *spread)
