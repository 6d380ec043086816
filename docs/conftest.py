"""pytest collects docs/*.md as doctests; the Sphinx configuration is not a test module."""

collect_ignore = ["conf.py"]
