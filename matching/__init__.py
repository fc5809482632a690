"""Matching engine: admissible, explained, learned ranking of offers for needs.

A pure library (no web, no database). The public API, all of it used by the platform, the
benchmarks or the command line:

- ``Need``, ``Offer``: records of the exchange format; ``NeedRanking``: one need's result
- ``rank(needs, offers, *, as_of, top, scorer=None)``: the one ranking path;
  ``rank_lines(...)``: the same as the spec's JSON lines
- ``OfferIndex``: offers prepared once, updated one offer at a time
- ``admissible(need, offer, as_of)``, ``explain_exclusions(need, offers, *, as_of)``: the
  hard rules, and which one excludes which offer (an ``Exclusion``)
- ``allocate(needs, offers, *, as_of)``: scarce places across many needs
- ``MatchScorer``, ``ModelMismatchError``, ``pair_features(needs, index, *, as_of)``: the
  scorer, fitted on the features of ranked pairs
- ``read_needs``, ``read_offers``, ``InputError``: the JSONL exchange format

Anything else is internal and may change; import it from its module (``matching.schema``
for the code lists, ``matching.features`` for the feature list, …).
"""

from .allocate import allocate
from .index import OfferIndex
from .io import InputError, read_needs, read_offers
from .rank import pair_features, rank, rank_lines
from .rules import Exclusion, admissible, explain_exclusions
from .schema import Need, NeedRanking, Offer
from .scorer import MatchScorer, ModelMismatchError, __version__  # noqa: F401

__all__ = [
    "Exclusion", "InputError", "MatchScorer", "ModelMismatchError", "Need", "NeedRanking",
    "Offer", "OfferIndex", "admissible", "allocate", "explain_exclusions", "pair_features",
    "rank", "rank_lines", "read_needs", "read_offers",
]
