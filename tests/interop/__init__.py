"""Tests of crokit.interop: reading USDM and ClinicalTrials.gov records into Studies."""
