"""The engagement after signature: who does what, and which sponsor obligations moved.

- :mod:`crokit.engagement.obligations`: the catalogue of sponsor obligations a sponsor
  may transfer to a CRO: the registry's :class:`~crokit.vocabulary.Obligation` entries
  (21 CFR 312.50-312.59 built in, each with its citation), plus any extra.
- :mod:`crokit.engagement.parties`: the sponsor and its providers, with their written
  agreements.
- :mod:`crokit.engagement.ledger`: the transfer-of-obligations ledger and the table a
  transfer statement lists (Form FDA 1571; eCTD Module 1.3.1.4).
- :mod:`crokit.engagement.scope`: the scope matrix (service by stage to a party, with
  RACI roles), its gaps and overlaps.
"""

from __future__ import annotations

from crokit import _hypothesis_plugin
from crokit.engagement.ledger import LedgerEntry, ObligationLedger, Transfer, TransferTable, transfer_table
from crokit.engagement.obligations import builtin_obligations, obligation_catalogue
from crokit.engagement.parties import Agreement, Party, PartyKind
from crokit.engagement.scope import Raci, ScopeAssignment, ScopeFinding, ScopeMatrix, check_scope

__all__ = [
    "Agreement",
    "LedgerEntry",
    "ObligationLedger",
    "Party",
    "PartyKind",
    "Raci",
    "ScopeAssignment",
    "ScopeFinding",
    "ScopeMatrix",
    "Transfer",
    "TransferTable",
    "builtin_obligations",
    "check_scope",
    "obligation_catalogue",
    "transfer_table",
]


# Registers this module's models with Hypothesis' st.from_type if Hypothesis is in use.
_hypothesis_plugin.imported(__name__)
