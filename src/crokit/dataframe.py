"""Budgets, payment schedules, rankings and evaluations as rows: plain records or pandas DataFrames.

:func:`to_records` turns a :class:`~crokit.pricing.Budget`, a
:class:`~crokit.schedule.PaymentSchedule`, a :class:`~crokit.selection.Ranking` or an
:class:`~crokit.scenario.Evaluation` into a list of dicts that :func:`json.dumps`
accepts as they are: exact numbers (money, quantities, ratios) as decimal strings,
dates as ISO strings, enums as their file ids. :func:`to_dataframe` builds a pandas
DataFrame from the same rows (pandas is imported only then; install it with
``pip install 'crokit[pandas]'``). Its money columns hold :class:`~decimal.Decimal`
values by default, so sums stay exact; ``numeric="float"`` converts them to floats.

Precision: money is written at its currency's minor units (``54000.00``, ``0.00``; a
unit price with more places, ``186.3333``, keeps them, nothing is rounded); ratios
(``benchmark_ratio``) are rounded half-even to :data:`RATIO_PLACES` places. An excluded
candidate's row says so: ``eligible`` is false, ``reasons`` says why, and ``rank``,
``score`` and the money it was never priced at are missing (``None`` in records;
``<NA>`` or ``NaN`` in a DataFrame); an eligible row's ``reasons`` is ``""``.

The columns, one row per item:

- budget, per line: ``service, stage, kind, bucket, description, basis, quantity,
  unit_price, amount, currency, months``;
- schedule, per payment: ``due, invoice_date, kind, description, milestone, amount,
  retained, currency, lines``;
- ranking, per scorecard then per excluded candidate: ``candidate, name, eligible,
  rank, score, reasons`` and one contribution column per criterion id;
- evaluation, per candidate: ``id, name, eligible, rank, score, total,
  cost_per_patient, benchmark_ratio, currency, reasons``.
"""

from crokit._views import JsonValue, Numeric
from crokit.presentation._dataframe import RATIO_PLACES, Tabular, to_dataframe, to_records

__all__ = ["RATIO_PLACES", "JsonValue", "Numeric", "Tabular", "to_dataframe", "to_records"]
