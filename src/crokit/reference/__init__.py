"""Published benchmark data for clinical development, each figure with its citation.

crokit ships these figures as package data (read with :func:`load_published`, no
network):

- Sertkaya A, Beleche T, Jessup A, Sommers BD. "Costs of Drug Development and Research
  and Development Intensity in the US, 2000-2018." JAMA Network Open 2024;7(6):e2415445,
  Table 1: phase durations in months and clinical cost per patient by phase and
  therapeutic area, in 2018 US dollars. (The source also gives 31.2 months of
  non-clinical stage for every area; crokit does not carry it as a figure.)
- BIO, Informa Pharma Intelligence, QLS Advisors. "Clinical Development Success Rates
  and Contributing Factors 2011-2020" (February 2021): phase-transition probabilities
  and likelihood of approval by area. Most cells are from a third-party transcription
  that agrees with the verified headline numbers; :attr:`Figure.caveat` says so.
- Thomas DW et al. (BIO, Biomedtracker, Amplion). "Clinical Development Success Rates
  2006-2015" (June 2016): the same measures for all, oncology, non-oncology, solid
  tumors and hematologic cancers.
- Sertkaya et al. 2016, Clinical Trials 13(2):117-126 (ASPE/ERG 2014 report): per-study
  cost ranges by phase and cost shares.
- Moore et al. 2020, BMJ Open 10:e038863: pivotal trial cost, median and IQR.
- Martin et al. 2017, Nature Reviews Drug Discovery 16:381-382: median cost per study
  by phase.
- Getz et al. 2016, Therapeutic Innovation & Regulatory Science: protocol amendments.
- Brogger-Mikkelsen et al. 2022, PLoS One 17(7):e0271819: Phase III recruitment.

Where crokit's notes do not state a money figure's dollar year, ``dollar_year`` is
``None`` and the figure's ``verification`` says so. Your own figures in the same long
CSV shape load with :func:`load_table`.

>>> from crokit import Money, Stage
>>> check = check_cost_per_patient(Money("59289", "USD"), Stage.PHASE_2, "anti-infective")
>>> check.ratio
Decimal('1')
"""

from crokit import _hypothesis_plugin
from crokit.reference.check import BenchmarkCheck, NoBenchmark, check_cost_per_patient
from crokit.reference.figures import (
    COST_PER_PATIENT,
    LIKELIHOOD_OF_APPROVAL,
    LONG_COLUMNS,
    NON_ONCOLOGY,
    PHASE_DURATION,
    PHASE_TRANSITIONS,
    TRANSITION_PROBABILITY,
    Figure,
)
from crokit.reference.loading import PUBLISHED_FILES, load_published, load_table
from crokit.reference.sources import SOURCES, Citation
from crokit.reference.table import BenchmarkTable

__all__ = [
    "BenchmarkCheck",
    "BenchmarkTable",
    "COST_PER_PATIENT",
    "Citation",
    "Figure",
    "LIKELIHOOD_OF_APPROVAL",
    "LONG_COLUMNS",
    "NON_ONCOLOGY",
    "NoBenchmark",
    "PHASE_DURATION",
    "PHASE_TRANSITIONS",
    "PUBLISHED_FILES",
    "SOURCES",
    "TRANSITION_PROBABILITY",
    "check_cost_per_patient",
    "load_published",
    "load_table",
]


# Registers this module's models with Hypothesis' st.from_type if Hypothesis is in use.
_hypothesis_plugin.imported(__name__)
