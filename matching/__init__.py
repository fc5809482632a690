"""Matching engine: admissible, explained, learned ranking of offers for needs.

A pure library (no web, no database). The public API:

- ``Need``, ``Offer`` (records of the exchange format), ``RankedOffer``, ``NeedRanking``
- ``rank(needs, offers, *, as_of, top, scorer=None)``: the one ranking path
- ``explain_exclusions(need, offers, *, as_of)``: which hard rule excludes which offer
- ``OfferIndex``: offers prepared once, updated one offer at a time
- ``MatchScorer``: scikit-learn style scorer (fit / save / load)
- ``allocate(needs, offers, *, as_of)``: scarce places across many needs
- ``read_needs``, ``read_offers``, ``InputError``: the JSONL exchange format
"""

from .allocate import Allocation, Assignment, allocate, allocate_first_come, priority
from .index import OfferIndex
from .io import InputError, need_from_dict, offer_from_dict, read_needs, read_offers, write_ranked
from .rank import pair_features, rank, rank_lines
from .rules import RULE_LABELS, Exclusion, admissible, explain_exclusions, violations
from .schema import CATEGORIES, GROUPS, Need, NeedRanking, Offer, RankedOffer
from .scorer import MatchScorer, ModelMismatchError, __version__

__all__ = [
    "CATEGORIES", "GROUPS", "RULE_LABELS", "Allocation", "Assignment", "Exclusion", "InputError",
    "MatchScorer", "ModelMismatchError", "Need", "NeedRanking", "Offer", "OfferIndex",
    "RankedOffer", "__version__", "admissible", "allocate", "allocate_first_come",
    "explain_exclusions", "need_from_dict", "offer_from_dict", "pair_features", "priority",
    "rank", "rank_lines", "read_needs", "read_offers", "violations", "write_ranked",
]
