"""Agreement between dev's labels and the blind second grading (standard library only).

Run from the project root:  python data/match-dev-regraded/agreement.py
Pairs: all needs x all offers (unlisted = grade 0). nDCG@5 uses the project's formula
(gain 2^g - 1, discount log2(rank + 1)); a grader's "ideal ranking" is its labelled offers
sorted by grade, ties by offer id (unlabelled offers are not appended).
"""
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEV = os.path.join(os.path.dirname(HERE), "match-dev")


def emit(text):
    sys.stdout.write(text + "\n")


def ids(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line)["id"] for line in f if line.strip()]


def labels(path):
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return {r["need_id"]: r["relevance"] for r in rows}


def weighted_kappa(pairs, k=4):
    """Cohen's kappa with quadratic weights over grades 0..k-1."""
    n = len(pairs)
    obs = [[0] * k for _ in range(k)]
    for a, b in pairs:
        obs[a][b] += 1
    ra = [sum(obs[i]) for i in range(k)]
    cb = [sum(obs[i][j] for i in range(k)) for j in range(k)]
    w = [[(i - j) ** 2 / (k - 1) ** 2 for j in range(k)] for i in range(k)]
    do = sum(w[i][j] * obs[i][j] for i in range(k) for j in range(k)) / n
    de = sum(w[i][j] * ra[i] * cb[j] for i in range(k) for j in range(k)) / (n * n)
    return 1 - do / de, obs


def dcg(grades):
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def ndcg5(ranking, rel):
    ideal = dcg(sorted(rel.values(), reverse=True)[:5])
    return None if ideal == 0 else dcg([rel.get(o, 0) for o in ranking[:5]]) / ideal


def ideal_ranking(rel):
    return [o for o, _ in sorted(rel.items(), key=lambda kv: (-kv[1], kv[0]))]


def mean(xs):
    xs = [x for x in xs if x is not None]
    return sum(xs) / len(xs)


def main():
    needs = ids(os.path.join(HERE, "needs.jsonl"))
    offers = ids(os.path.join(HERE, "offers.jsonl"))
    dev = labels(os.path.join(DEV, "labels.jsonl"))
    new = labels(os.path.join(HERE, "labels.jsonl"))

    pairs = [(dev.get(n, {}).get(o, 0), new.get(n, {}).get(o, 0)) for n in needs for o in offers]
    kappa, conf = weighted_kappa(pairs)
    exact = sum(a == b for a, b in pairs) / len(pairs)
    labelled = [(a, b) for a, b in pairs if a or b]
    kappa_l, _ = weighted_kappa(labelled)
    exact_l = sum(a == b for a, b in labelled) / len(labelled)

    emit(f"pairs: {len(pairs)} ({len(needs)} needs x {len(offers)} offers)")
    emit(f"quadratic weighted kappa (all pairs): {kappa:.3f}")
    emit(f"exact agreement (all pairs): {exact:.3f}")
    emit(f"pairs labelled (>0) by either grader: {len(labelled)}; "
          f"kappa on them {kappa_l:.3f}, exact {exact_l:.3f}")
    n_dev = sum(1 for a, _ in pairs if a)
    n_new = sum(1 for _, b in pairs if b)
    emit(f"labelled >0: dev {n_dev}, regraded {n_new}, both {sum(1 for a, b in pairs if a and b)}")
    emit("confusion (rows dev grade 0-3, columns regraded grade 0-3):")
    for g, row in enumerate(conf):
        emit(f"  dev {g}: " + " ".join(f"{x:5d}" for x in row))

    d_on_n = [ndcg5(ideal_ranking(dev[n]), new[n]) for n in needs]
    n_on_d = [ndcg5(ideal_ranking(new[n]), dev[n]) for n in needs]
    emit(f"nDCG@5 of dev's ideal ranking scored on regraded labels: {mean(d_on_n):.3f}")
    emit(f"nDCG@5 of regraded ideal ranking scored on dev's labels: {mean(n_on_d):.3f}")

    def top(rel):
        return {o for o, g in rel.items() if g == 3}

    diff = [n for n in needs if top(dev[n]) != top(new[n])]
    disjoint = [n for n in diff if top(dev[n]) and top(new[n]) and not top(dev[n]) & top(new[n])]
    emit(f"needs whose grade-3 offer set differs: {len(diff)} / {len(needs)} "
          f"(disjoint non-empty sets: {len(disjoint)})")
    for n in diff:
        emit(f"  {n}: dev {sorted(top(dev[n]))} regraded {sorted(top(new[n]))}")
    worst = sorted((x, n) for x, n in zip(d_on_n, needs, strict=True) if x is not None and x < 0.8)
    emit("needs where dev's ideal ranking scores < 0.8 on regraded labels: "
          + ", ".join(f"{n} {x:.2f}" for x, n in worst))


if __name__ == "__main__":
    main()
