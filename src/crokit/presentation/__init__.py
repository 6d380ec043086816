"""What a person sees: the presentation layer at the edge of crokit.

Text, Markdown, HTML, Excel, DataFrames, plots and notebook views are built here from
the models, which import nothing of this package. Every human-facing output formats
its numbers, dates and names through :mod:`crokit.presentation._format`.
"""

__all__: list[str] = []
