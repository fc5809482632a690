"""Text representation: character n-gram TF-IDF and domain concepts, fully vectorised.

Character uni- and bigrams are extracted for a whole batch of texts at once with numpy
(the texts are joined, encoded as UTF-32 and mapped through a code-point lookup table), so
encoding 100,000 needs never loops over characters in Python. A concept (``data/concepts.txt``)
fires in a text when all the bigrams of one of its terms occur in it; this catches different
wording on the two sides (洗血 / 透析, 白血病 / 重大疾病, 屋顶漏雨 / 危房改造).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from importlib import resources
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

_SEP = "\x00"


def _is_word_char(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or ch.isalpha()


# How much a parent counts when only its child is named, per step up the taxonomy: a need
# that says 高血压 meets an offer for 门诊慢性病 (one step) at 0.6 of a direct mention, and one
# for a grandparent at 0.36. Chosen on the dev set only (0.5-0.8 all score within 0.002).
DECAY = 0.6
# A taxonomy node counts this much as a dimension of the concept vector, against 1 for a
# concept of concepts.txt: the nodes bridge wordings where the broad concepts are silent,
# without letting one phrase that fires a node and its ancestors outweigh the rest.
NODE_WEIGHT = 0.5
# Characters of the region's Wu speech (启东、海门: 勿肯养 "will not keep", 侪勿管 "none of them
# cares", 呒没进账 "nothing coming in", 小囡 "the child") read as the Mandarin character they
# stand for: the encoder gives both one id, so every term and n-gram meets the dialect
# wording at no cost (the lookup runs anyway). Only characters that mean nothing else in
# the field's texts; 伲 (我, but 伲子 is 儿子) and 个 (的, but a measure word) stay as they are.
DIALECT_CHARS = {"勿": "不", "侪": "都", "呒": "没", "囡": "女"}
# Up to this many (text x term) cells, term hits are counted in a dense array (no sort).
_DENSE_COUNTS = 1 << 16
_FEW_TEXTS = 200  # up to this many texts, _pairs counts by one sort (scipy costs more below)
# numpy converts a Python scalar operand on every call (a few hundred nanoseconds, more than
# the arithmetic on one need's few hundred values, and one need's encoding makes a dozen such
# calls): the constants of the encoding are 0-d arrays of the dtype the scalar is cast to, so
# every result is the same (TextEncoder._n0 holds the encoder's sizes so; ZERO_F32 and ONE_F32
# serve the rest of one need's path too: the readers, the features, the reasons, the score)
_ZERO_I32 = np.zeros((), np.int32)
_ZERO_I64 = np.zeros((), np.int64)
ZERO_F32 = np.zeros((), np.float32)
ONE_F32 = np.ones((), np.float32)
_ONE_F64 = np.ones((), np.float64)
_TINY_F32 = np.array(1e-12, np.float32)
_TINY_F64 = np.array(1e-12, np.float64)


@dataclass(frozen=True)
class Lexicon:
    """Concepts: ``ids``, Chinese ``labels``, and ``terms`` with the concepts each one fires.

    ``term_weights[t][j]`` is how strongly term ``t`` fires concept ``term_concepts[t][j]``:
    1 for its own concept (and, in ``concepts.txt``, for a parent that pulls it in with
    ``@``), ``DECAY ** d`` for a taxonomy ancestor ``d`` steps up. ``parents[c]`` are the
    direct parents of concept ``c`` (indices), so reasons can say "高血压 属于 门诊慢性病".
    """

    ids: tuple[str, ...]
    labels: tuple[str, ...]
    terms: tuple[str, ...]
    term_concepts: tuple[tuple[int, ...], ...]
    term_weights: tuple[tuple[float, ...], ...] = ()
    parents: tuple[tuple[int, ...], ...] = ()
    # (child, parent) links written "~parent" in the taxonomy: the child is a programme that
    # serves the parent (孤儿基本生活费 ~ 孤儿), not a kind of it; matching is the same, the
    # reason says "针对" instead of "属于".
    serves: frozenset[tuple[int, int]] = frozenset()
    sources: tuple[str, ...] = ()
    dims: tuple[float, ...] = ()
    manner: tuple[int, ...] = ()     # "@manner id": how, not what (never the specific topic)
    # "@sudden id …": the events that make a need's urgency call for fast help (features.py,
    # feature "urgency")
    sudden: tuple[int, ...] = ()
    # "@situation id …": what a person is in or has (失业, 残疾, an illness), not something
    # received; with every concept below the `_existing` flag (illnesses, injuries)
    situation: tuple[int, ...] = ()

    @classmethod
    def load(cls, text: str | None = None, taxonomy: str | None = None) -> Lexicon:
        """Parse a concept list and a taxonomy (default: the packaged ``data/concepts.txt``
        and ``data/taxonomy.txt``, cached)."""
        if text is None and taxonomy is None:
            return _default_lexicon()
        rows: list[tuple[str, str, list[str], list[str], str]] = []
        manner: list[str] = []
        sudden: list[str] = []
        situation: list[str] = []
        serves: list[tuple[str, str]] = []
        for line in (text or "").splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("@manner"):
                manner += line[len("@manner"):].split()
                continue
            if line.startswith("@sudden"):
                sudden += line[len("@sudden"):].split()
                continue
            if line.startswith("@situation"):
                situation += line[len("@situation"):].split()
                continue
            cid, label, terms = (p.strip() for p in line.split("|", 2))
            rows.append((cid, label, terms.split(), [], ""))
        sources: dict[str, str] = {}
        for line in (taxonomy or "").splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("@situation"):
                situation += line[len("@situation"):].split()
                continue
            if line.startswith("@source"):
                key, title = line[len("@source"):].split("=", 1)
                sources[key.strip()] = title.strip()
                continue
            cid, label, parents, source, terms = (p.strip() for p in line.split("|", 4))
            ups = [p.strip() for p in parents.split(",") if p.strip() not in ("", "-")]
            serves += [(cid, p[1:]) for p in ups if p.startswith("~")]
            ups = [p.removeprefix("~") for p in ups]
            if source not in sources:
                raise ValueError(f"taxonomy node {cid}: unknown source {source!r}")
            rows.append((cid, label, [label, *terms.split()], ups, sources[source]))
        index = {cid: i for i, (cid, *_rest) in enumerate(rows)}
        if len(index) != len(rows):
            raise ValueError("duplicate concept id in the concept list or taxonomy")
        parent_ix = []
        for cid, _, _, ups, _ in rows:
            missing = [p for p in ups if p not in index]
            if missing:
                raise ValueError(f"concept {cid}: unknown parent {', '.join(missing)}")
            parent_ix.append(tuple(index[p] for p in ups))

        def expand(i: int, seen: set[int]) -> list[str]:
            out = []
            for t in rows[i][2]:
                if t.startswith("@"):
                    j = index[t[1:]]
                    if j not in seen:
                        seen.add(j)
                        out += expand(j, seen)
                else:
                    out.append(t)
            return out

        def ancestors(i: int) -> dict[int, int]:
            """Taxonomy ancestors of concept i with their distance (shortest path)."""
            dist, frontier = {}, [i]
            d = 0
            while frontier:
                d += 1
                nxt = []
                for c in frontier:
                    for p in parent_ix[c]:
                        if p != i and p not in dist:
                            dist[p] = d
                            nxt.append(p)
                frontier = nxt
            return dist

        unknown = [c for c in situation if c not in index]
        if unknown:
            raise ValueError(f"@situation: unknown concept {', '.join(unknown)}")
        is_situation = {index[c] for c in situation}
        dim = [NODE_WEIGHT if r[4] else 1.0 for r in rows]   # taxonomy nodes have a source
        fires: dict[str, dict[int, float]] = {}
        for i in range(len(rows)):
            up = ancestors(i)
            if "_existing" in index and index["_existing"] in up:
                is_situation.add(i)
            for t in expand(i, {i}):
                hit = fires.setdefault(t, {})
                hit[i] = max(hit.get(i, 0.0), dim[i])
                for p, d in up.items():
                    hit[p] = max(hit.get(p, 0.0), dim[p] * DECAY ** d)
        terms = tuple(sorted(fires))
        return cls(
            ids=tuple(r[0] for r in rows), labels=tuple(r[1] for r in rows), terms=terms,
            term_concepts=tuple(tuple(sorted(fires[t])) for t in terms),
            term_weights=tuple(tuple(fires[t][c] for c in sorted(fires[t])) for t in terms),
            parents=tuple(parent_ix), sources=tuple(r[4] for r in rows), dims=tuple(dim),
            serves=frozenset((index[c], index[p]) for c, p in serves),
            manner=tuple(index[m] for m in manner), sudden=tuple(index[m] for m in sudden),
            situation=tuple(sorted(is_situation)),
        )

    def weights_of(self, t: int) -> tuple[float, ...]:
        return self.term_weights[t] if self.term_weights else (1.0,) * len(self.term_concepts[t])


@functools.lru_cache(maxsize=1)
def _default_lexicon() -> Lexicon:
    data = resources.files("matching").joinpath("data")
    return Lexicon.load(data.joinpath("concepts.txt").read_text("utf-8"),
                        data.joinpath("taxonomy.txt").read_text("utf-8"))


class TextEncoder:
    """Char uni/bigram TF-IDF (vocabulary and idf from the offers) plus concept vectors.

    Parameters
    ----------
    lexicon : Lexicon
    max_df : float
        n-grams found in more than this share of offers get idf 0 (stop-grams).
    unigrams : bool
        Also weight single characters in the TF-IDF (off: bigrams carry the meaning in
        Chinese, and unigrams triple the cost of the sparse products for no gain on the dev
        set). Concept detection always sees single-character terms.
    """

    def __init__(self, lexicon: Lexicon, max_df: float = 0.2, unigrams: bool = False) -> None:
        self.lexicon = lexicon
        self.max_df = max_df
        self.unigrams = unigrams

    # -- fitting ---------------------------------------------------------------------------
    def fit(self, offer_texts: list[str]) -> TextEncoder:
        """Build the alphabet, n-gram vocabulary, idf and concept weights from offer texts."""
        self.__dict__.pop("_one", None)          # need_weights' tables of an earlier fit
        # distinct characters first (a C-level set), then the test per distinct character:
        # testing every character of every offer in Python was most of the index build
        seen = set("".join(offer_texts)).union(*self.lexicon.terms)
        chars = sorted(ch for ch in seen if _is_word_char(ch))
        self.alphabet_ = chars
        self.n_chars_ = len(chars) + 1                    # 0 = unknown / separator
        self._lut = np.zeros(0x110000, dtype=np.int32)
        self._lut[np.fromiter((ord(c) for c in chars), np.int64, len(chars))] = np.arange(
            1, len(chars) + 1, dtype=np.int32)
        for said, plain in DIALECT_CHARS.items():
            if self._lut[ord(plain)]:
                self._lut[ord(said)] = self._lut[ord(plain)]
        # bigram codes seen in offers or in lexicon terms
        codes = [self._bigram_codes(offer_texts), self._bigram_codes(list(self.lexicon.terms))]
        bigrams = np.unique(np.concatenate(codes))
        self._bigrams = bigrams
        self.n_features_ = self.n_chars_ + len(bigrams)
        # the sizes as 0-d arrays, the operands of one need's encoding (_ZERO_I32 above)
        self._n0 = {"chars": np.array(self.n_chars_, np.int64),
                    "features": np.array(self.n_features_, np.int64)}
        a = self.n_chars_
        if a * a <= (1 << 24):
            table = np.full(a * a, -1, dtype=np.int32)
            table[bigrams] = np.arange(len(bigrams), dtype=np.int32) + a
            self._table = table
        else:
            self._table = None
        d, f, _ = self._pairs(offer_texts)                # distinct (offer, n-gram) pairs
        df = np.bincount(f, minlength=self.n_features_).astype(np.float64)
        n = max(len(offer_texts), 1)
        idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
        idf[(df == 0) | (df > self.max_df * n)] = 0.0
        idf[0] = 0.0
        if not self.unigrams:
            idf[: self.n_chars_] = 0.0
        self.idf_ = idf.astype(np.float32)
        self._build_terms()
        # per concept, how many offers fire it, counted on the dense array (making it a
        # sparse matrix first, only to count, cost more than the count)
        cdf = (self._concept_pairs(d, f, len(offer_texts)) > 0).sum(axis=0).astype(np.float64)
        self.concept_idf_ = (np.log((1.0 + n) / (1.0 + cdf)) + 1.0).astype(np.float32)
        # an array: a list index is converted to one on every call (one need's encoding)
        self.flag_ids_ = np.array([i for i, c in enumerate(self.lexicon.ids)
                                   if c.startswith("_")], np.int64)
        self.concept_idf_[self.flag_ids_] = 0.0      # flags: detected, not part of similarity
        return self

    def _build_terms(self) -> None:
        terms = list(self.lexicon.terms)
        m = self.counts(terms)                 # one batch: row t = n-grams of term t
        rows, cols, need = [], [], []
        for t_i, term in enumerate(terms):
            ind = m.indices[m.indptr[t_i]:m.indptr[t_i + 1]]
            feats = sorted(int(i) for i in (ind[ind < self.n_chars_] if len(term) == 1
                                             else ind[ind >= self.n_chars_]))
            need.append(len(feats) if feats else 10**6)   # an unmappable term never fires
            rows += feats
            cols += [t_i] * len(feats)
        nt = len(terms)
        self._n0["terms"] = np.array(nt, np.int64)
        self._term_matrix = sp.csr_matrix(
            (np.ones(len(rows), np.float32), (rows, cols)), shape=(self.n_features_, nt))
        self._term_need = np.asarray(need, dtype=np.float32)
        tr, tc, tw = [], [], []
        for t_i, cs in enumerate(self.lexicon.term_concepts):
            tr += [t_i] * len(cs)
            tc += list(cs)
            tw += list(self.lexicon.weights_of(t_i))
        self._term_concept = sp.csr_matrix(
            (np.asarray(tw, np.float32), (tr, tc)), shape=(nt, len(self.lexicon.ids)))
        # the same as each term's few (concept, weight) cells, for a few texts (a need):
        # dense rows (terms x concepts, 6.6 MB) read 1.5 KB a fired term for its two or three
        # concepts, 240 cache lines of one need's 8 k misses
        self._term_cells = _cells(self._term_concept.toarray())
        # An offer that names a situation (an illness, a disability, a school stage) is for
        # people in that situation: on the offer side its term does not light the
        # situation's ancestors, so a kidney-transplant fund does not meet a cervical-cancer
        # need through their shared 门诊特殊病 (a need's specific term still meets an offer's
        # general one: the need side keeps its ancestors). A programme's name still lights
        # the service it is a kind of (长者食堂 → 助餐).
        dims = np.asarray(self.lexicon.dims or (1.0,) * len(self.lexicon.ids), np.float32)
        tw_o, tc_a = np.asarray(tw, np.float32), np.asarray(tc, np.int64)
        tr_a = np.asarray(tr, np.int64)
        up = tw_o < dims[tc_a]
        situation = np.zeros(len(self.lexicon.ids), bool)
        situation[list(self.lexicon.situation)] = True
        names_situation = np.zeros(nt, bool)
        names_situation[tr_a[~up & situation[tc_a]]] = True
        keep = ~(up & names_situation[tr_a])
        self._term_concept_offer = sp.csr_matrix(
            (tw_o[keep], (tr_a[keep], tc_a[keep])), shape=(nt, len(self.lexicon.ids)))

    # -- encoding --------------------------------------------------------------------------
    def _char_ids(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        lens = np.fromiter((len(t) + 1 for t in texts), np.int64, len(texts))
        cp = np.frombuffer((_SEP.join(texts) + _SEP).encode("utf-32-le"), dtype=np.uint32)
        ci = self._lut[cp] if hasattr(self, "_lut") else None
        doc = np.arange(len(texts), dtype=np.int32).repeat(lens)
        return ci, doc, cp

    def _bigram_codes(self, texts: list[str]) -> np.ndarray:
        if not hasattr(self, "_lut"):
            raise RuntimeError("alphabet not built")
        ci = self._lut[np.frombuffer((_SEP.join(texts) + _SEP).encode("utf-32-le"), np.uint32)]
        ok = (ci[:-1] > 0) & (ci[1:] > 0)
        return (ci[:-1][ok].astype(np.int64) * self.n_chars_ + ci[1:][ok])

    def _pairs(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Distinct (document, feature) pairs sorted by document, with their counts."""
        ci, doc, _ = self._char_ids(texts)
        a = self.n_chars_
        if len(texts) <= _FEW_TEXTS and self._table is not None:
            return self._few_pairs(ci, doc)
        uni_ok = ci > 0
        ok = (ci[:-1] > 0) & (ci[1:] > 0)
        code = ci[:-1][ok].astype(np.int64) * a + ci[1:][ok]
        if self._table is not None:
            bid = self._table[code]
        else:
            pos = np.searchsorted(self._bigrams, code)
            pos[pos >= len(self._bigrams)] = 0
            bid = np.where(self._bigrams[pos] == code, pos + a, -1).astype(np.int32)
        keep = bid >= 0
        rows = np.concatenate([doc[uni_ok], doc[:-1][ok][keep]])
        cols = np.concatenate([ci[uni_ok], bid[keep]])
        if len(texts) > _FEW_TEXTS:
            # a batch: scipy sums the duplicates row by row (a sort of each text's few
            # n-grams); np.unique's one sort of every key was most of this call's time
            m = sp.coo_matrix((np.ones(len(rows), np.int64), (rows, cols)),
                              shape=(len(texts), self.n_features_)).tocsr()
            # canonical format (each row's n-grams summed and sorted), which ``weights``
            # relies on; tocsr leaves it so in the scipy versions we know, this states it
            m.sum_duplicates()
            d = np.repeat(np.arange(len(texts), dtype=np.int64), np.diff(m.indptr))
            return d, m.indices.astype(np.int64), m.data
        key, cnt = _sorted_counts(rows.astype(np.int64) * self.n_features_ + cols)
        return key // self.n_features_, key % self.n_features_, cnt

    def _few_pairs(self, ci: np.ndarray, doc: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``_pairs`` of a few texts (a need): every position's unigram and bigram as one
        (document, feature) key, counted by one sort. A position's bigram code is looked up
        whatever its characters: one with a separator or an unknown character (id 0) is no
        bigram code, so the table gives -1 there, as for a bigram no offer has; half the
        calls of masking them first."""
        a, nf = self._n0["chars"], self._n0["features"]
        # (int32 ids times an int64 0-d array are int64: no astype)
        bid = self._table[ci[:-1] * a + ci[1:]]
        base = doc * nf
        feats = np.concatenate((ci, bid))          # unigram ids > 0, bigram ids >= a
        keys = np.concatenate((base, base[:-1])) + feats
        key, cnt = _sorted_counts(keys[feats > _ZERO_I32])
        return key // nf, key % nf, cnt

    def counts(self, texts: list[str]) -> sp.csr_matrix:
        """Raw n-gram counts (documents x features)."""
        d, f, c = self._pairs(texts)
        return _csr(d, f, c.astype(np.float32), len(texts), self.n_features_)

    def _concept_pairs(self, d: np.ndarray, f: np.ndarray, n_docs: int,
                       offer: bool = False) -> np.ndarray:
        """(documents x concepts) from distinct (document, feature) pairs: 1 where a term of
        the concept occurs, ``DECAY ** d`` where only a term of a descendant ``d`` steps down
        does (the strongest wins); for offers, a situation's ancestors are not lit."""
        tm = self._term_matrix
        nt = tm.shape[1]
        out = np.zeros((n_docs, len(self.lexicon.ids)), np.float32)
        few = n_docs * nt <= _DENSE_COUNTS
        if few:                        # a few texts (one need)
            td, tt = _expand(d, f, tm.indptr, tm.indices)
            if not len(td):
                return out
            # count the few hundred (text, term) keys by sorting them: a dense count over
            # every (text, term) cell (np.bincount with minlength) zeroed and scanned tens of
            # kilobytes per call
            nt0 = self._n0["terms"]
            key, cnt = _sorted_counts(td * nt0 + tt)
            hit_t = key % nt0
            ok = cnt >= self._term_need[hit_t]
            hit_d, hit_t = key[ok] // nt0, hit_t[ok]
        else:
            # a batch: the (text, term) counts are one sparse product of the binary
            # (text x n-gram) pairs with the binary (n-gram x term) matrix. Counting them
            # by sorting the expanded (text, term) keys (np.unique) was the largest part
            # of the index build; the hits' order does not matter (the strongest wins)
            m = _csr(d, f, np.ones(len(d), np.float32), n_docs, tm.shape[0]) @ tm
            rows = np.repeat(np.arange(n_docs, dtype=np.int64), np.diff(m.indptr))
            ok = m.data >= self._term_need[m.indices]
            hit_d, hit_t = rows[ok], m.indices[ok].astype(np.int64)
        if few and not offer:
            # the strongest firing wins: the maximum of the terms' cells at their texts' rows
            # (expanding the terms to their concepts with ``_expand`` cost three times that)
            cols, w = self._term_cells
            at = cols.take(hit_t, axis=0) + (hit_d * out.shape[1])[:, None]
            np.maximum.at(out.reshape(-1), at.reshape(-1), w.take(hit_t, axis=0).reshape(-1))
            return out
        tc = self._term_concept_offer if offer else self._term_concept
        cd, cc, cw = _expand(hit_d, hit_t, tc.indptr, tc.indices, tc.data)
        # the strongest firing wins: one call for a few texts, a stable sort (last write
        # wins) for a batch, where ufunc.at is slower per element
        if few:
            np.maximum.at(out, (cd, cc), cw)
        else:
            order = np.argsort(cw, kind="stable")
            out[cd[order], cc[order]] = cw[order]
        return out

    def firings(self, texts: list[str]) -> np.ndarray:
        """(texts x concepts) firing weights of the need-side encoding, not idf-weighted nor
        normalised: what a detector compares between parts of a text (received.py,
        grown.py, exclusion.py)."""
        d, f, _ = self._pairs(texts)
        return self._concept_pairs(d, f, len(texts))

    def transform(self, texts: list[str], chunk: int = 8192, tfidf_rows: int | None = None,
                  offer: bool = False) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
        """TF-IDF (L2-normalised CSR, float32), concept vectors (dense, L2-normalised) and the
        flag concepts found (bool, one column per ``_``-prefixed concept). With
        ``tfidf_rows=k`` the TF-IDF covers only the first k texts (the rest: concepts only);
        ``offer=True`` encodes offers (see ``_term_concept_offer``)."""
        if len(texts) > chunk:
            # each chunk takes its share of the TF-IDF rows (none past the first tfidf_rows
            # texts, so tfidf_rows=0 is concepts only) and the same offer/need encoding
            parts = [self.transform(texts[i:i + chunk], offer=offer, tfidf_rows=None
                                    if tfidf_rows is None else max(0, min(tfidf_rows - i, chunk)))
                     for i in range(0, len(texts), chunk)]
            return (sp.vstack([p[0] for p in parts], format="csr"),
                    np.vstack([p[1] for p in parts]), np.vstack([p[2] for p in parts]))
        n = len(texts) if tfidf_rows is None else min(tfidf_rows, len(texts))
        rows, feats, vals, con, flags = self.weights(texts, n, offer)
        return _csr(rows, feats, vals, n, self.n_features_), con, flags

    def weights(self, texts: list[str], tfidf_rows: int, offer: bool = False
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``transform`` of one chunk before the TF-IDF becomes a matrix: its (row, feature,
        value) triplets sorted by row and feature (first ``tfidf_rows`` texts), then the
        concept vectors and flags. One need's ranking uses the triplets directly."""
        d, f, c = self._pairs(texts)
        w = self.idf_[f]
        keep = (w > ZERO_F32) & (d < tfidf_rows)
        td, tf_, val = d[keep], f[keep], (_ONE_F64 + np.log(c[keep])) * w[keep]
        sq = np.bincount(td, weights=val ** 2, minlength=tfidf_rows)     # (val: float64)
        val = (val / np.sqrt(np.maximum(sq, _TINY_F64))[td]).astype(np.float32)
        con, flags = self._weighted(self._concept_pairs(d, f, len(texts), offer))
        return td, tf_, val, con, flags

    def _weighted(self, con: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Firing weights (texts x concepts) idf-weighted and L2-normalised in place, and the
        flag concepts found (``weights``)."""
        flags = con.take(self.flag_ids_, axis=1) > ZERO_F32
        con *= self.concept_idf_
        # the ufunc's reduce is what ndarray.sum calls, without its two Python layers
        norms = np.sqrt(np.add.reduce(con * con, axis=1, keepdims=True))
        con /= np.maximum(norms, _TINY_F32)
        return con, flags

    def need_weights(self, texts: list[str]
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``weights(texts, 1)`` of one need's text and title (the match page) but its row
        array: the text's TF-IDF features and values, the concept vectors and the flags.

        The same numbers in fewer numpy calls (a need is a few dozen characters: each call
        costs more than its work, and ``_pairs``, ``_concept_pairs`` and the TF-IDF made
        about ninety). Both texts' n-grams are keyed ``text * n_features + n-gram`` at once
        and the tables read are laid out for those keys (``_OneNeed``). A term fires in a
        text when each of its n-grams occurs: with the (text, term) hits sorted, when the
        hit ``need - 1`` places on holds the same key (a term has at most ``need`` hits in a
        text). The text's TF-IDF keeps a handful of n-grams of idf > 0 (about four): their
        values in plain Python, the same float64 arithmetic in the same order as ``weights``
        (1 + log(count) as numpy's log gives it, ``_log1``; the squares summed one by one, as
        ``bincount`` does), rounded to float32 once."""
        if self._table is None:          # no bigram table (a huge alphabet): the general path
            _, f, v, con, flags = self.weights(texts, 1)
            return f, v, con, flags
        one = self._one
        text, title = texts
        ci = self._lut[np.frombuffer(f"{text}\x00{title}\x00".encode("utf-32-le"), np.uint32)]
        # per position its unigram, then per position its bigram (-1: none), as _few_pairs;
        # the title's (positions from len(text) + 1) keyed past the text's
        grams = np.concatenate((ci, self._table[ci[:-1] * self._n0["chars"] + ci[1:]]),
                               dtype=np.int64)
        valid = grams > _ZERO_I64
        k, n, nf = len(text) + 1, len(ci), self._n0["features"]
        title_uni, title_bi = grams[k:n], grams[n + k:]
        np.add(title_uni, nf, out=title_uni)
        np.add(title_bi, nf, out=title_bi)
        # each (text, n-gram) once, sorted, and how often it occurs (the runs of the sorted
        # keys: a search of each kept key in a Python list of them all cost twice the rest)
        u, cnt = _sorted_counts(grams[valid])
        # the text's TF-IDF: its n-grams of idf > 0 (the title's keys read idf 0)
        w = one.idf.take(u)
        at = (w > ZERO_F32).nonzero()[0]
        f = u.take(at)
        counts = cnt.take(at).tolist()
        log1 = _log1(max(counts, default=0))
        vals = [log1[c] * x for c, x in zip(counts, w.take(at).tolist(), strict=True)]
        sq = 0.0
        for v in vals:                 # (not sum(): Python 3.12's compensates the rounding)
            sq += v * v
        norm = math.sqrt(max(sq, 1e-12))
        # the terms each (text, n-gram) is in, keyed text * n_terms + term (``_expand``)
        con = np.zeros((2, len(self.lexicon.ids)), np.float32)
        lens = one.lens.take(u)
        ends = np.add.accumulate(lens)   # (the ufunc's own: ndarray.cumsum costs twice that)
        total = int(ends[-1]) if len(ends) else 0
        if total:
            hits = one.terms.take((one.starts.take(u) - ends + lens).repeat(lens)
                                  + np.arange(total))
            hits.sort()
            # j - len: the place need - 1 on, as a negative index (wrap: a place past the
            # end, j - len >= 0, is no hit)
            j = one.need.take(hits)
            j += np.arange(-1 - total, -1)
            fired = hits[(hits.take(j, mode="wrap") == hits) & (j < _ZERO_I64)]
            # the strongest firing per text: the fired (text, term) keys' cells, each at its
            # text's row (``_OneNeed.cells``)
            np.maximum.at(con.reshape(-1), one.cells.take(fired, axis=0).reshape(-1),
                          one.cell_w.take(fired, axis=0).reshape(-1))
        con, flags = self._weighted(con)
        return f, np.array([v / norm for v in vals], np.float32), con, flags

    @functools.cached_property          # the encoder is fitted once
    def _one(self) -> _OneNeed:
        """``need_weights``'s tables over (text, n-gram) and (text, term) keys."""
        tm = self._term_matrix
        nt, nnz = tm.shape[1], tm.nnz
        starts = tm.indptr[:-1].astype(np.int64)
        lens = np.diff(tm.indptr).astype(np.int64)
        terms = tm.indices.astype(np.int64)
        need = self._term_need.astype(np.int64)
        cols, w = self._term_cells
        width = len(self.lexicon.ids)
        return _OneNeed(
            idf=np.concatenate((self.idf_, np.zeros_like(self.idf_))),
            lens=np.concatenate((lens, lens)), starts=np.concatenate((starts, starts + nnz)),
            terms=np.concatenate((terms, terms + nt)), need=np.concatenate((need, need)),
            cells=np.concatenate((cols, cols + width)), cell_w=np.concatenate((w, w)))


class _OneNeed(NamedTuple):
    """``TextEncoder.need_weights``'s tables: per (text, n-gram) key (text 0, the need's
    text, then 1, its title), the idf (the title's 0: it has no TF-IDF) and where its terms
    are listed in ``terms``; per (text, term) key, how many n-grams the term has."""

    idf: np.ndarray      # float32
    lens: np.ndarray     # int64
    starts: np.ndarray   # int64
    terms: np.ndarray    # int64: text * n_terms + term, by (text, n-gram)
    need: np.ndarray     # int64
    # per (text, term) key: its concepts' places in the (2, concepts) array of both texts'
    # vectors, and their weights (``TextEncoder._term_cells``)
    cells: np.ndarray    # int64
    cell_w: np.ndarray   # float32


_LOG1: list[float] = []


def _log1(n: int) -> list[float]:
    """``1 + log(k)`` for the counts k = 1 … at least n (index k; index 0 unused), as
    ``weights`` computes them for an int64 count array (numpy's log, then the addition)."""
    if n >= len(_LOG1):
        _LOG1[:] = [math.nan] + (_ONE_F64 + np.log(np.arange(1, max(2 * n, 64), dtype=np.int64))
                                 ).tolist()
    return _LOG1


def drop_rewritten(encoder, con: np.ndarray, texts: list[str], docs: list[int], rewrite,
                   allowed: np.ndarray) -> np.ndarray:
    """How a detector takes back what a phrase fired: encode ``texts[i]`` (i in ``docs``) as
    written and as ``rewrite`` rewords it, and drop from ``con`` row i the concepts that fire
    only as written, where ``allowed`` (bool over the concepts) lets them go. Returns, per doc,
    every concept (flags too) that fired only as written: a detector that also takes back a
    flag reads it there."""
    before = [texts[i] for i in docs]
    c = encoder.firings(before + [rewrite(t) for t in before])
    k = len(docs)
    gone = (c[:k] > 0) & (c[k:] <= 0)
    drop = gone & allowed
    for r, i in enumerate(docs):
        if drop[r].any():
            scale_concepts(con, i, drop[r], 0.0)
    return gone


def texts_at(texts: list[str], starts: list[int]) -> list[int]:
    """The indices (sorted, distinct) of the texts that hold the positions ``starts`` of
    ``"\x00".join(texts)``: how a detector that searches a batch in one pass over the joined
    texts finds the texts it hit."""
    if not starts:
        return []
    lens = np.fromiter((len(t) + 1 for t in texts), np.int64, len(texts))
    offs = np.cumsum(lens) - lens
    return np.unique(np.searchsorted(offs, np.asarray(starts), side="right") - 1).tolist()


def reread_flags(encoder, texts: list[str], docs: list[int], pattern: re.Pattern,
                 flags: np.ndarray, cols: np.ndarray) -> None:
    """Read again, in place, the flags ``cols`` (columns of ``flags``, the encoder's
    ``flag_ids_`` order) of the texts ``docs`` with what ``pattern`` finds taken out: how a
    detector says a phrase (我死了以后, 老伴前年走了) is not the event its flag stands for, while
    the same event told elsewhere in the text still counts."""
    if docs:
        fired = encoder.firings([pattern.sub("，", texts[i]) for i in docs])
        flags[np.ix_(docs, cols)] = fired[:, encoder.flag_ids_[cols]] > 0


def texts_matching(texts: list[str], pattern: re.Pattern, few: int = 1) -> list[int]:
    """The indices (sorted) of the texts in which ``pattern`` finds a match: each text searched
    alone when there are at most ``few`` (one need's), else one search over the joined texts
    (``texts_at``; the pattern must never cross their separator ``\x00``)."""
    if len(texts) <= few:
        return [i for i, t in enumerate(texts) if pattern.search(t)]
    return texts_at(texts, [m.start() for m in pattern.finditer(_SEP.join(texts))])


def texts_holding(texts: list[str], words: tuple[str, ...], pattern: re.Pattern) -> list[int]:
    """The indices (sorted) of the texts that hold one of ``words`` and in which ``pattern``
    finds a match: for a pattern every match of which holds one of the words, the words' places
    in the joined batch (``str.find``) pick the few texts to search — far faster than the
    pattern over the joined batch, whose leading alternation the regular-expression engine
    tries at every character."""
    if len(texts) <= 2:      # one need (its text and title): one search for any of the words
        first = _any_of(words)
        return [i for i, t in enumerate(texts)
                if first.search(t) is not None and pattern.search(t) is not None]
    joined, starts = _SEP.join(texts), []
    for w in words:          # str.find over the joined batch: each word's few places
        at = joined.find(w)
        while at >= 0:
            starts.append(at)
            at = joined.find(w, at + 1)
    return [i for i in texts_at(texts, starts) if pattern.search(texts[i]) is not None]


@functools.cache
def _any_of(words: tuple[str, ...]) -> re.Pattern:
    """One pattern for any of ``words`` (a detector's fixed tuple): a text searched once, not
    once per word (a Python generator over the words cost 3-4 times as much)."""
    return re.compile("|".join(map(re.escape, words)))


def light_as_named(encoder, con: np.ndarray, row: int, text: str, term: str,
                   cols: np.ndarray) -> None:
    """Light in row ``row`` of idf-weighted, L2-normalised concept vectors (in place) the
    concepts of ``cols`` (bool over the concepts) that ``text`` fires when it also names
    ``term`` and the row does not yet hold, each at the weight it has then, the rest of the row
    scaled so that it stays of length 1: how a detector that reads a trouble the terms' n-grams
    do not reach (dibao_exit.py, at_work.py) makes it evidence."""
    v = encoder.transform([f"{text}。{term}"], tfidf_rows=0)[1][0]
    new = cols & (v > 0) & (con[row] <= 0)
    share = float(np.square(v[new], dtype=np.float64).sum())
    con[row] *= np.float32(np.sqrt(max(0.0, 1.0 - share)))
    con[row, new] = v[new]


def rows_lit(con: np.ndarray, col: int) -> list[int]:
    """The rows of ``con`` in which concept ``col`` is lit: for one need (its text and title)
    two floats read in Python, not three array calls; for a batch one pass (most rows: none)."""
    if len(con) <= 2:
        return [i for i, w in enumerate(con[:, col].tolist()) if w > 0]
    return np.flatnonzero(con[:, col] > 0).tolist()


def scale_concepts(con: np.ndarray, row: int, cols, factor: float) -> None:
    """Scale some concepts of one row of idf-weighted, L2-normalised concept vectors (0 drops
    them) and renormalise the row, in place: how a detector takes back what a phrase fired."""
    r = con[row]
    r[cols] *= factor
    norm = float(np.sqrt((r * r).sum()))
    if norm > 0:
        r /= norm


def _cells(dense: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's nonzero (column, value) cells of ``dense`` as two (rows x k) arrays, k the
    fullest row's count, the rest of a row padded with (0, 0.0): the maximum of some rows'
    cells written over zeros is the maximum of the rows themselves (the values are positive)."""
    r, c = np.nonzero(dense)
    nnz = np.bincount(r, minlength=len(dense))
    k = max(int(nnz.max(initial=0)), 1)
    slot = np.arange(len(r)) - (np.cumsum(nnz) - nnz).repeat(nnz)    # place in its row
    cols = np.zeros((len(dense), k), np.int64)
    vals = np.zeros((len(dense), k), dense.dtype)
    cols[r, slot] = c
    vals[r, slot] = dense[r, c]
    return cols, vals


def _sorted_counts(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(key, return_counts=True)`` for a small int array (sorted in place): the
    same arrays without np.unique's Python layers, which cost more than the work on one
    need's path (two calls per need)."""
    key.sort()
    n = len(key)
    edge = np.ones(n + 1, bool)          # where a run of equal keys starts, and the end
    np.not_equal(key[1:], key[:-1], out=edge[1:n])
    at = edge.nonzero()[0]
    return key.take(at[:-1]), at[1:] - at[:-1]


def _csr(d: np.ndarray, f: np.ndarray, v: np.ndarray, n: int, m: int) -> sp.csr_matrix:
    """CSR from (row, col, value) sorted by row then col, without duplicates."""
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(d, minlength=n), out=indptr[1:])
    return sp.csr_matrix((v, f.astype(np.int32), indptr), shape=(n, m))


def _expand(rows: np.ndarray, keys: np.ndarray, indptr: np.ndarray, indices: np.ndarray,
            data: np.ndarray | None = None):
    """For each (row, key): one (row, j) per j in indices[indptr[key]:indptr[key + 1]]; with
    ``data``, also each pair's value ``data`` at the same place."""
    start, stop = indptr[keys], indptr[1:][keys]     # (a view: no addition)
    lens = stop - start
    total = int(np.add.reduce(lens))     # (ndarray.sum adds two Python layers)
    if not total:
        empty = np.zeros(0, np.int64)
        return (empty, empty) if data is None else (empty, empty, np.zeros(0, data.dtype))
    # array methods, not np.repeat / np.cumsum: the same C code without numpy's Python
    # wrapper (one need calls this twice, with a few hundred elements)
    offs = np.arange(total) - (lens.cumsum() - lens).repeat(lens)
    at = start.repeat(lens) + offs
    if data is None:
        return rows.repeat(lens), indices[at].astype(np.int64)
    return rows.repeat(lens), indices[at].astype(np.int64), data[at]


_CN_DIGIT = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}


def cn_number(s: str) -> float:
    """Value of a number written in digits or in Chinese numerals below 10,000 (三十, 二十五,
    一百二十, 十五); NaN when it is neither."""
    try:
        return float(s)
    except ValueError:
        pass
    total, digit = 0, None
    for ch in s:
        if ch in _CN_DIGIT:
            digit = _CN_DIGIT[ch]
        elif ch in _CN_UNIT:
            total += (1 if digit is None else digit) * _CN_UNIT[ch]
            digit = None
        else:
            return math.nan
    return float(total + (digit or 0))
