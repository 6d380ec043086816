"""Acme's retinal gene-therapy vocabulary for crokit, as TOML data files beside this module."""
