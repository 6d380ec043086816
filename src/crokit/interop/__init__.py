"""Read studies from the data standards sponsors already hold.

Each reader turns another format into a :class:`~crokit.Study` and returns an
:class:`ImportReport` that also lists every value crokit had to assume
(:class:`Assumption`), the data it could not use, and notes on how values were read:

- :func:`read_usdm` / :func:`load_usdm`: CDISC USDM (Unified Study Definitions Model)
  v3 and v4 API JSON, the Digital Data Flow protocol model;
- :func:`read_ctgov` / :func:`load_ctgov`: ClinicalTrials.gov API v2 study records.

Malformed input raises a :class:`~crokit.errors.CrokitError` subclass whose message
names the JSON path of the problem; missing facts that have a sensible default are
filled from :class:`ImportDefaults` and reported, never invented silently. Placeholders
and invalid values in data crokit does not use are listed as not read, with their path,
and never stop an import. Disease codes (SNOMED CT, ICD-10, MeSH, MedDRA) map to
therapeutic areas through the cited table shipped as ``crokit/interop/area_codes.toml``.
"""

from crokit import _hypothesis_plugin
from crokit.interop.ctgov import load_ctgov, read_ctgov
from crokit.interop.report import Assumption, ImportDefaults, ImportReport
from crokit.interop.usdm import UsdmDefaults, load_usdm, read_usdm

__all__ = [
    "Assumption",
    "ImportDefaults",
    "ImportReport",
    "UsdmDefaults",
    "load_ctgov",
    "load_usdm",
    "read_ctgov",
    "read_usdm",
]


# Registers this module's models with Hypothesis' st.from_type if Hypothesis is in use.
_hypothesis_plugin.imported(__name__)
