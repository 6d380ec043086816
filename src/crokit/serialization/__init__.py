"""Lossless JSON, TOML and YAML for every crokit model, with precise error messages.

One cattrs converter, built from a :class:`~crokit.Registry`, knows every encoding rule:

* ``Decimal`` is written as a string (``"12.50"``), never a float, keeping its scale.
  It is read from a string or an int. A float literal in a file (``rate = 0.1``) is
  refused with a message asking for the string form: it is never turned into a binary
  float, and never silently accepted.
* ``float`` appears only in decision scores and weights (never in money): it is
  written as a JSON/TOML/YAML number and read back from its exact text.
* ``int`` must be a whole number in the file (``3``, not ``3.0``, ``"3"`` or ``true``);
  ``str`` must be text; ``bool`` must be ``true`` or ``false``.
* Dates are ISO 8601 calendar dates (``2027-01-04``); TOML and YAML native dates are
  accepted on input, datetimes are refused.
* Enums are written as their values (``"phase-2"``) and read only from those values.
* Ids of the open vocabularies (services, categories, areas, regulators, ...) are
  strings checked against the registry the converter was built from; an unknown id
  is reported with the closest valid ids.
* Polymorphic models (pricing models, adjustments, ...) are tagged unions: each class
  names itself in a ``kind`` class attribute, written as the first key
  (``kind = "unit-price"``); an unknown ``kind`` is refused with the known ones listed.
* Tuples and frozensets are lists; a frozenset is written sorted, and a repeated item
  in it is refused rather than dropped.
* Unknown keys are refused, with the closest known key suggested.
* ``None`` is JSON ``null`` and YAML ``null``; TOML has no null, so the key is left
  out, and an absent key of an optional type (``X | None``) reads back as ``None``.
* Fixed-length tuples (``tuple[str, Decimal]``) are lists of exactly that many items,
  each read as its own type.
* Top-level documents (:data:`DOCUMENTS`) carry ``schema_version``: older versions are
  upgraded by a chain of migrations, newer ones are refused.

Every problem in a document is reported at once, each with its path
(``study.sites: expected a whole number from 1 to 100000, got -3``), as one
:class:`~crokit.errors.ValidationError`. Malformed input of any shape raises a
:class:`~crokit.errors.CrokitError` subclass, never a bare exception.

A key given twice in one table is refused in every format
(:class:`~crokit.errors.DuplicateKeyError`, naming its path), and one leading
byte-order mark is accepted in every format. YAML is read only with a safe loader
(LibYAML's when available), as YAML 1.2's core schema reads it: ``NO``, ``yes`` and
``on`` stay strings, only decimal whole numbers are integers (``012``, ``0x3C`` and
``1:00`` stay text rather than being re-based), and NEL, U+2028 and U+2029 are kept as
characters of text.
"""

from crokit.serialization._codec import dumps, loads, structure, unstructure
from crokit.serialization._files import dump, load
from crokit.serialization._files import format_for as format_for
from crokit.serialization._files import read_text as read_text
from crokit.serialization._files import write_atomic as write_atomic
from crokit.serialization._hooks import configure_converter, make_converter
from crokit.serialization._scalars import MAX_INT as MAX_INT
from crokit.serialization._text import FORMATS, Format, parse
from crokit.serialization.documents import DOCUMENTS, DocumentSpec, document_spec

__all__ = [
    "DOCUMENTS",
    "FORMATS",
    "DocumentSpec",
    "Format",
    "configure_converter",
    "document_spec",
    "dump",
    "dumps",
    "load",
    "loads",
    "make_converter",
    "parse",
    "structure",
    "unstructure",
]
