"""The domain taxonomy (data/taxonomy.txt): its shape, its sources, and that matching uses
every parent link — a need that names the child meets an offer that names the parent, and the
reason says so ("高血压 属于 门诊慢性病")."""

from __future__ import annotations

import datetime as dt

import pytest

from matching import Need, Offer, OfferIndex, rank
from matching.text import Lexicon

AS_OF = dt.date(2018, 3, 1)
LEX = Lexicon.load()
NODES = [i for i, source in enumerate(LEX.sources) if source]
# A parent that is a flag (``_existing``: "this has already happened") is not a topic to meet
# but a fact the node implies; those links are checked on their own below.
LINKS = [(c, p) for c in NODES for p in LEX.parents[c] if not LEX.ids[p].startswith("_")]
FLAG_LINKS = [(c, p) for c in NODES for p in LEX.parents[c] if LEX.ids[p].startswith("_")]
# A parent a detector takes back from a text that does not speak of it, and what the need then
# adds (words that name no concept): 赔偿纠纷 is a claim, which a road accident or a work injury
# named alone does not raise (settled.py)
RAISED = {"compensation": "，对方一直不认"}


def _term_of(concept: int, avoid: int | None = None) -> str:
    """A term that names the concept itself (its label when that is one of its terms) and
    does not name `avoid`."""
    label = LEX.labels[concept]
    direct = [t for t_i, t in enumerate(LEX.terms)
              if concept in LEX.term_concepts[t_i] and avoid not in LEX.term_concepts[t_i]
              and dict(zip(LEX.term_concepts[t_i], LEX.weights_of(t_i), strict=True))[concept]
              == LEX.dims[concept]]
    return label if label in direct else min(direct, key=len)


def test_the_taxonomy_is_large_enough_and_every_node_names_its_source():
    terms = {t for t_i, t in enumerate(LEX.terms)
             if any(c in NODES for c in LEX.term_concepts[t_i])}
    parents = {p for _c, p in LINKS}
    assert len(terms) >= 300 and len(parents) >= 40
    assert all("《" in LEX.sources[i] or "目录" in LEX.sources[i] for i in NODES)


def test_a_broken_taxonomy_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown parent"):
        Lexicon.load("a | 甲 | 甲", "@source s = 《某规定》\nb | 乙 | nope | s | 乙")
    with pytest.raises(ValueError, match="unknown source"):
        Lexicon.load("a | 甲 | 甲", "b | 乙 | a | nosuch | 乙")


def test_a_child_fires_its_parent_weaker_than_the_parent_itself():
    lex = Lexicon.load("broad | 慢病 | 慢病",
                       "@source s = 《某目录》\nnarrow | 高血压 | broad | s | 血压高")
    t = lex.terms.index("血压高")
    weights = dict(zip(lex.term_concepts[t], lex.weights_of(t), strict=True))
    broad, narrow = lex.ids.index("broad"), lex.ids.index("narrow")
    assert 0 < weights[broad] < 1 and weights[narrow] > 0
    assert lex.parents[narrow] == (broad,)


@pytest.mark.parametrize("link", LINKS, ids=[f"{LEX.ids[c]}<{LEX.ids[p]}" for c, p in LINKS])
def test_every_parent_link_is_used_by_matching(link):
    child, parent = link
    need_text = _term_of(child) + RAISED.get(LEX.ids[parent], "")
    offer_text = _term_of(parent, avoid=child)
    need = Need(id="N", title=need_text, description=need_text, category="medical",
                region="南通市/如皋市/白蒲镇")
    offer = Offer(id="O", title=offer_text, description=offer_text, provider_type="ngo",
                  provider_name="某机构", categories=("medical",), coverage=("南通市",))
    filler = Offer(id="F", title="春节慰问", description="为困难家庭送米面油", provider_type="ngo",
                   provider_name="另一机构", categories=("basic_living",), coverage=("南通市",))
    index = OfferIndex([offer, filler])
    [ranking] = rank([need], index, as_of=AS_OF, top=2)
    ranked = {r.offer_id: r for r in ranking.ranked}
    assert "O" in ranked
    content = [r for r in ranked["O"].reasons if r.startswith("内容相关")]
    # the need names only the child, the offer only the parent: they meet through the link,
    # and the reason says how: a kind of the parent (属于) or a programme serving it (针对;
    # also for whatever the parent itself serves, which the reason may name first)
    assert content and ("属于" in content[0] or "针对" in content[0]), (
        need_text, offer_text, ranked["O"].reasons)
    wrong = "属于" if link in LEX.serves else "针对"
    assert f"{wrong} {LEX.labels[parent]}" not in content[0], ranked["O"].reasons


@pytest.mark.parametrize("link", FLAG_LINKS,
                         ids=[f"{LEX.ids[c]}<{LEX.ids[p]}" for c, p in FLAG_LINKS])
def test_every_flag_link_sets_the_flag_on_a_need_naming_a_descendant(link):
    """A named illness is one the person already has: the need is marked ``_existing``, so a
    screening or an insurance to buy is not proposed as if it could meet it."""
    node, flag = link
    below = [c for c in NODES if node in LEX.parents[c]] or [node]
    filler = Offer(id="F", title="春节慰问", description="为困难家庭送米面油", provider_type="ngo",
                   provider_name="某机构", categories=("basic_living",), coverage=("南通市",))
    index = OfferIndex([filler])
    for concept in (node, below[0]):
        text = _term_of(concept)
        need = Need(id="N", title=text, description=text, category="medical",
                    region="南通市/如皋市/白蒲镇")
        side = index.need_side([need])
        assert side.flags[0, index.flag(LEX.ids[flag])], (text, LEX.ids[flag])
    assert FLAG_LINKS  # the illness roots carry the flag
