"""crokit's presentation layer: notebook tables, records and DataFrames, at the edge of the package.

The models (:class:`~crokit.pricing.Budget`, :class:`~crokit.schedule.PaymentSchedule`,
:class:`~crokit.selection.Ranking`, :class:`~crokit.scenario.Evaluation`) know nothing
of this package. Their ``to_records``, ``to_dataframe``, ``_repr_html_`` and
``_repr_markdown_`` methods call the generic functions of :mod:`crokit._views`, which
import the private module ``crokit.presentation._renderers`` by name the first time one
is needed; importing it registers the renderers. This ``__init__`` imports nothing, so a
module of the package can be imported on its own without side effects.

The public functions are in :mod:`crokit.display` (HTML and Markdown tables) and
:mod:`crokit.dataframe` (records and DataFrames); the modules here are private.

Every human-facing output formats its numbers, dates and names through
:mod:`crokit.presentation._format`.
"""

__all__: list[str] = []
