"""The publications crokit's reference figures come from.

Each :class:`Citation` is built from crokit's reference notes: authors, titles and
journals are given exactly as those notes give them, and a field the notes do not give
(the title of a journal article cited only by journal and page, say) is ``None``
rather than filled in from memory.

>>> SOURCES["sertkaya-2024"].short
'Sertkaya et al. 2024, JAMA Network Open, Table 1'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import attrs

from crokit._typed import typed_fields

__all__ = ["SOURCES", "Citation"]


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Citation:
    """A published source of benchmark figures.

    Attributes:
        id: Short id used in crokit's data files (``"sertkaya-2024"``).
        authors: The authors as the reference notes give them.
        year: Year of publication.
        title: The title, or ``None`` where the notes cite the work without one.
        publication: Journal with volume and pages, or the kind of report and its date.
        table: The table the figures were read from (``"Table 1"``), if one.
        url: A stable link, if one is known.
        short_authors: Author text for short citations (``"Sertkaya et al."``); the
            full *authors* are used when not given.
        venue: Journal or report name for short citations (``"JAMA Network Open"``);
            *publication* is used when not given.
    """

    id: str
    authors: str
    year: int
    title: str | None
    publication: str
    table: str | None
    url: str | None = None
    short_authors: str | None = None
    venue: str | None = None

    @property
    def short(self) -> str:
        """A one-line citation for messages: ``'Sertkaya et al. 2024, JAMA Network Open, Table 1'``."""
        text = f"{self.short_authors or self.authors} {self.year}, {self.venue or self.publication}"
        return f"{text}, {self.table}" if self.table else text

    def __str__(self) -> str:
        """The full citation in one line."""
        parts = [self.authors, f"({self.year})"]
        if self.title:
            parts.append(f'"{self.title}."')
        parts.append(self.publication)
        if self.table:
            parts.append(self.table)
        text = " ".join(parts)
        return f"{text}. {self.url}" if self.url else text


_CITATIONS: Final = (
    Citation(
        id="sertkaya-2024",
        authors="Sertkaya A, Beleche T, Jessup A, Sommers BD",
        year=2024,
        title="Costs of Drug Development and Research and Development Intensity in the US, 2000-2018",
        publication="JAMA Network Open 2024;7(6):e2415445 (PMC11214120)",
        table="Table 1",
        url="https://pmc.ncbi.nlm.nih.gov/articles/PMC11214120/",
        short_authors="Sertkaya et al.",
        venue="JAMA Network Open",
    ),
    Citation(
        id="bio-2021",
        authors="BIO, Informa Pharma Intelligence, QLS Advisors",
        year=2021,
        title="Clinical Development Success Rates and Contributing Factors 2011-2020",
        publication="report, February 2021",
        table=None,
        short_authors="BIO, Informa Pharma Intelligence, QLS Advisors",
        venue="Clinical Development Success Rates and Contributing Factors 2011-2020",
    ),
    Citation(
        id="bio-2016",
        authors="Thomas DW et al. (BIO, Biomedtracker, Amplion)",
        year=2016,
        title="Clinical Development Success Rates 2006-2015",
        publication="report, June 2016",
        table=None,
        short_authors="Thomas et al. (BIO)",
        venue="Clinical Development Success Rates 2006-2015",
    ),
    Citation(
        id="sertkaya-2016",
        authors="Sertkaya et al.",
        year=2016,
        title=None,
        publication=(
            "Clinical Trials 13(2):117-126; ASPE/ERG 2014 report "
            '"Examination of Clinical Trial Costs and Barriers for Drug Development"'
        ),
        table=None,
        venue="Clinical Trials 13(2):117-126",
    ),
    Citation(
        id="moore-2020",
        authors="Moore et al.",
        year=2020,
        title=None,
        publication="BMJ Open 10:e038863",
        table=None,
    ),
    Citation(
        id="martin-2017",
        authors="Martin et al.",
        year=2017,
        title=None,
        publication="Nature Reviews Drug Discovery 16:381-382",
        table=None,
    ),
    Citation(
        id="getz-2016",
        authors="Getz et al.",
        year=2016,
        title=None,
        publication="Therapeutic Innovation & Regulatory Science",
        table=None,
    ),
    Citation(
        id="brogger-mikkelsen-2022",
        authors="Brogger-Mikkelsen et al.",
        year=2022,
        title=None,
        publication="PLoS One 17(7):e0271819",
        table=None,
    ),
)

SOURCES: Final[Mapping[str, Citation]] = MappingProxyType({citation.id: citation for citation in _CITATIONS})
"""Every source of crokit's published reference figures, by id (read-only)."""
