"""The figure class crokit's charts are drawn on: a matplotlib Figure that Jupyter shows as a PNG.

This module imports matplotlib at its top, so it is imported only when a chart is made.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure

__all__ = ["ChartFigure"]


class ChartFigure(Figure):
    """A :class:`~matplotlib.figure.Figure` with a ``_repr_png_``, so it shows itself in a notebook.

    A figure made outside pyplot is displayed by Jupyter only when matplotlib's inline
    backend has registered its formatter (``%matplotlib inline`` or a pyplot import);
    this class renders itself with the Agg canvas whatever the backend, leaving pyplot
    and ``rcParams`` untouched.
    """

    def _repr_png_(self) -> bytes:
        """The figure as PNG bytes, for IPython's rich display."""
        buffer = io.BytesIO()
        self.savefig(buffer, format="png")
        return buffer.getvalue()
