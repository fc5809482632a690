"""Grown-up children: 孩子 in a need about an old person is often the adult son or daughter.

"孩子都在外地打工", "两个孩子早成家了", "孩子在上海上班" say who could (but does not) look after
an old person; they are no child to help. Plain matching fires 儿童 on the word 孩子 and then
ranks children's programmes (a sick child's fund, after-school care) for an old couple. This
module finds 孩子 (孩子们, 小孩, 娃) followed, within the same clause, by what only adults do
(打工, 上班, 工作, 成家, 结婚, 出嫁, 在外地 …; not 上学 or 读书) and drops from the need's concept
vector the concepts that only those words fire (儿童 from 孩子; 就业岗位 from the children's
上班, which is no job wish of the old person): the text is encoded again with 子女在外 in place
of the whole phrase, and a concept that then no longer fires is removed. A real child named
elsewhere in the text (小学, 8岁的孙子, 儿童 …) keeps 儿童.

The encoder's flags ``_kid_word`` and ``_adult_life`` (concepts.txt) pick the texts that can
hold such words; only those are searched, and only the (few) texts found are encoded again.
"""

from __future__ import annotations

import re

import numpy as np

from .text import drop_rewritten

# the words for the children
_WORDS = ("孩子", "小孩", "娃")
# what may follow the word: 们, 都/也/早就 …, 在 + a place of at most five characters, and
# what only adults do
_TAIL = re.compile(
    "们?[俩仨两个都也全还早已就]{0,4}"
    "(?:在[^，。；：！？,.;:!?\\s\x00上读念]{0,5})?"
    "(?:打工|上班|务工|工作|成家|结婚|出嫁|娶了|外出|在外地|在外头|在外省|不在身边|单过|分家)"
)
_GROWN = re.compile(f"(?:{'|'.join(_WORDS)}){_TAIL.pattern}")
_ADULT_WORD = "子女在外"  # what the whole phrase becomes in the text encoded again


def _hits(text: str) -> list[int]:
    """Start of each word of ``_WORDS`` in ``text`` that a grown-up's tail follows (plain
    ``str.find`` for the words: far faster than one regular expression over a batch)."""
    out = []
    for w in _WORDS:
        i = text.find(w)
        while i >= 0:
            if _TAIL.match(text, i + len(w)):
                out.append(i)
            i = text.find(w, i + len(w))
    return out


def _docs(texts: list[str], flags: np.ndarray, kid: int, adult: int) -> list[int]:
    """Texts with a grown-up child: only those whose flags say they name both children and
    something only adults do (found by the encoder's one pass) are searched."""
    if len(texts) <= 2:     # one need (its text and title): read the flags without arrays
        return [i for i in range(len(texts)) if flags[i, kid] and flags[i, adult]
                and _hits(texts[i])]
    both = flags[:, kid] & flags[:, adult]
    return [i for i in np.flatnonzero(both).tolist() if _hits(texts[i])]


def damp(encoder, texts: list[str], con: np.ndarray, flags: np.ndarray, kid: int, adult: int,
         droppable: np.ndarray) -> None:
    """Drop from ``con`` (idf-weighted, L2-normalised rows for ``texts``, changed in place and
    renormalised) the concepts of ``droppable`` (every concept but the flags, ``OfferIndex``)
    that only a grown-up child's 孩子 fires; ``flags`` are the encoder's flag concepts of the
    same texts, ``kid`` and ``adult`` the columns of ``_kid_word`` and ``_adult_life``."""
    docs = _docs(texts, flags, kid, adult)
    if docs:
        drop_rewritten(encoder, con, texts, docs, lambda t: _GROWN.sub(_ADULT_WORD, t),
                       droppable)
