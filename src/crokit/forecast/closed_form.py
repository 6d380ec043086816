"""Closed forms of the time to the n-th patient: pooled Gamma rate (beta-prime time) and known rate (Gamma time).

**All sites active from month 0** (Anisimov and Fedorov 2007, section 3): ``N`` sites
with rates ``lambda_j ~ Gamma(a, b)`` recruit together as one Poisson process of rate
``Lambda = sum lambda_j ~ Gamma(N a, b)`` (a sum of independent Gammas with a common
rate). Given ``Lambda``, the time ``T_n`` to the n-th patient is Gamma(n, ``Lambda``);
mixing over ``Lambda`` gives ``T_n = b X`` with ``X ~ BetaPrime(n, N a)``, and:

- mean ``E[T_n] = n b / (N a - 1)`` (finite only if ``N a > 1``);
- variance ``Var[T_n] = b**2 n (n + N a - 1) / ((N a - 1)**2 (N a - 2))`` (finite only if
  ``N a > 2``);
- CDF ``P(T_n <= t) = P(count by t >= n)``: the count by ``t`` is negative binomial
  with ``N a`` "successes" and success probability ``b / (b + t)``, whose upper tail is
  the regularized incomplete beta function: ``P(T_n <= t) = I_{t/(b+t)}(n, N a)``
  (because ``X / (1 + X)`` is Beta(n, N a));
- quantiles by bisection on that CDF (:func:`~crokit.forecast._special.solve_increasing`,
  to a relative tolerance of 1e-12).

Groups with different shapes but the same rate ``b`` pool the same way, with
``N a = sum of sites x shape``.

**A known total rate** ``lambda``: ``T_n ~ Gamma(n, lambda)``, mean ``n / lambda``, variance
``n / lambda**2``, CDF the regularized lower incomplete gamma ``P(n, lambda t)``.

The check value of crokit's issue 14: 300 patients at 50 sites with rates Gamma(2, 4)
per month finish after ``300 x 4 / (50 x 2 - 1) = 12.1212`` months on average.

>>> time = PooledRateTime.for_sites(patients=300, sites=50, shape=2, rate=4)
>>> round(time.mean, 4)
12.1212
>>> round(time.cdf(time.quantile(0.9)), 9)
0.9
"""

from __future__ import annotations

from typing import Final

import attrs

from crokit._typed import typed_fields
from crokit._validators import whole_number
from crokit.errors import ValidationError
from crokit.forecast._numbers import as_float, check_number, check_whole, positive
from crokit.forecast._special import incomplete_beta, incomplete_gamma, solve_increasing

__all__ = ["KnownRateTime", "PooledRateTime"]

_TOLERANCE: Final = 1e-12
_LIMIT: Final = 1e12


def _level(level: object) -> float:
    value = check_number("level", as_float(level))
    if not 0.0 < value < 1.0:
        raise ValidationError.at("level", f"expected a probability strictly between 0 and 1, got {value:g}")
    return value


def _time(t: object) -> float:
    return check_number("t", as_float(t))


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class PooledRateTime:
    """The time to the *patients*-th patient when the total rate is Gamma(*shape*, *rate*) from month 0.

    Attributes:
        patients: ``n``, the patient waited for (1 or more).
        shape: The total shape ``N a`` (above 0).
        rate: The Gamma rate ``b`` (above 0), per month.
    """

    patients: int = attrs.field(validator=whole_number(1, 10_000_000))
    shape: float = attrs.field(converter=as_float, validator=positive)
    rate: float = attrs.field(converter=as_float, validator=positive)

    @classmethod
    def for_sites(cls, *, patients: int, sites: int, shape: object, rate: object) -> PooledRateTime:
        """The pooled law of *sites* sites each with rate Gamma(*shape*, *rate*)."""
        site_shape = check_number("shape", as_float(shape), minimum=0.0, strict=True)
        count = check_whole("sites", sites, minimum=1, maximum=10_000_000)
        return cls(patients=patients, shape=count * site_shape, rate=rate)

    @property
    def mean(self) -> float | None:
        """``n b / (N a - 1)``, or ``None`` (infinite) when ``N a <= 1``."""
        if self.shape <= 1.0:
            return None
        return self.patients * self.rate / (self.shape - 1.0)

    @property
    def variance(self) -> float | None:
        """``b**2 n (n + N a - 1) / ((N a - 1)**2 (N a - 2))``, or ``None`` (infinite) when ``N a <= 2``."""
        if self.shape <= 2.0:  # noqa: PLR2004 - the beta-prime variance needs shape > 2
            return None
        n, s = self.patients, self.shape
        return self.rate**2 * n * (n + s - 1.0) / ((s - 1.0) ** 2 * (s - 2.0))

    def cdf(self, t: float) -> float:
        """``P(T_n <= t) = I_{t/(b+t)}(n, N a)``; 0 for ``t <= 0``."""
        t = _time(t)
        if t <= 0.0:
            return 0.0
        return incomplete_beta(t / (self.rate + t), float(self.patients), self.shape)

    def quantile(self, level: float) -> float:
        """The time by which the n-th patient has arrived with probability *level* (0 < level < 1).

        Raises:
            ValidationError: If *level* is not strictly between 0 and 1, or the quantile
                is beyond 10**12 months (a very heavy tail: ``N a`` close to 0).
        """
        level = _level(level)
        guess = self.patients * self.rate / max(self.shape, 1.0)
        found = solve_increasing(self.cdf, level, low=0.0, high=guess, limit=_LIMIT, tolerance=_TOLERANCE)
        if found is None:
            raise ValidationError.at("level", f"the {level:g} quantile is beyond {_LIMIT:g} months")
        return found


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class KnownRateTime:
    """The time to the *patients*-th patient of a Poisson process of known *rate*: Gamma(n, rate).

    Attributes:
        patients: ``n`` (1 or more).
        rate: Patients per month (above 0).

    >>> KnownRateTime(patients=10, rate=2).mean
    5.0
    """

    patients: int = attrs.field(validator=whole_number(1, 10_000_000))
    rate: float = attrs.field(converter=as_float, validator=positive)

    @property
    def mean(self) -> float:
        """``n / rate``."""
        return self.patients / self.rate

    @property
    def variance(self) -> float:
        """``n / rate**2``."""
        return self.patients / self.rate**2

    def cdf(self, t: float) -> float:
        """``P(T_n <= t) = P(n, rate t)``, the regularized lower incomplete gamma function."""
        t = _time(t)
        if t <= 0.0:
            return 0.0
        return incomplete_gamma(float(self.patients), self.rate * t)

    def quantile(self, level: float) -> float:
        """The time by which the n-th patient has arrived with probability *level* (0 < level < 1)."""
        level = _level(level)
        found = solve_increasing(self.cdf, level, low=0.0, high=self.mean, limit=_LIMIT, tolerance=_TOLERANCE)
        if found is None:  # pragma: no cover - a Gamma quantile is always below 10**12 here
            raise ValidationError.at("level", f"the {level:g} quantile is beyond {_LIMIT:g} months")
        return found
