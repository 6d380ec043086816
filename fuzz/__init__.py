"""crokit's fuzz suite: every reader fed mutated and generated inputs, by ``python -m fuzz``.

The readers (scenario, study and CRO-profile documents in JSON, TOML and YAML; the USDM
and ClinicalTrials.gov importers; the Excel rate-card reader; the benchmark CSV reader;
the command line) each get seeded, deterministic inputs: byte damage (flips, truncation,
splices, planted tokens), structure-aware edits of the document tree (type swaps, huge
numbers, YAML 1.1 number spellings, duplicate keys, byte-order marks, NEL and
surrogates, deep nesting), values and models drawn by Hypothesis, and damaged
workbooks. Each run counts:

- escapes: exceptions that are not a :class:`crokit.errors.CrokitError`;
- hangs: inputs that take longer than the hang limit (2 s);
- silent changes: accepted inputs whose model does not hold the numbers the file
  wrote (or holds numbers the file did not write as numbers), duplicate keys accepted,
  an input file changed by the command line;
- round-trip failures: accepted models that do not dump and load back equal in all
  three formats.

See ``python -m fuzz --help`` and ``fuzz/RESULTS.md``.
"""

__all__: list[str] = []
