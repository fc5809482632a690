"""Agreement between a set's labels and its blind second grading (standard library only).

Run from the project root:  python data/match-dev-regraded/agreement.py [FIRST SECOND]
FIRST and SECOND are data folders holding labels.jsonl (needs and offers are read from SECOND);
default: data/match-dev (first grader) vs data/match-dev-regraded (second). For own's set:
    python data/match-dev-regraded/agreement.py data/match-own data/match-own-regraded
The first grader is named after its folder without "match-" (dev, own), the second "regraded".
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
USAGE = "usage: agreement.py [FIRST_FOLDER SECOND_FOLDER]"


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


def short_name(folder, fallback):
    base = os.path.basename(os.path.normpath(folder))
    if base.endswith("-regraded"):
        return "regraded"
    return base[len("match-"):] if base.startswith("match-") else (base or fallback)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) not in (0, 2):
        raise SystemExit(USAGE)
    first, second = argv if argv else (DEV, HERE)
    a_name, b_name = short_name(first, "first"), short_name(second, "second")
    needs = ids(os.path.join(second, "needs.jsonl"))
    offers = ids(os.path.join(second, "offers.jsonl"))
    first_labels = labels(os.path.join(first, "labels.jsonl"))
    second_labels = labels(os.path.join(second, "labels.jsonl"))
    one = {n: first_labels.get(n, {}) for n in needs}
    two = {n: second_labels.get(n, {}) for n in needs}

    pairs = [(one[n].get(o, 0), two[n].get(o, 0)) for n in needs for o in offers]
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
    n_one = sum(1 for a, _ in pairs if a)
    n_two = sum(1 for _, b in pairs if b)
    emit(f"labelled >0: {a_name} {n_one}, {b_name} {n_two}, "
         f"both {sum(1 for a, b in pairs if a and b)}")
    emit(f"confusion (rows {a_name} grade 0-3, columns {b_name} grade 0-3):")
    for g, row in enumerate(conf):
        emit(f"  {a_name} {g}: " + " ".join(f"{x:5d}" for x in row))

    one_on_two = [ndcg5(ideal_ranking(one[n]), two[n]) for n in needs]
    two_on_one = [ndcg5(ideal_ranking(two[n]), one[n]) for n in needs]
    emit(f"nDCG@5 of {a_name}'s ideal ranking scored on {b_name} labels: {mean(one_on_two):.3f}")
    emit(f"nDCG@5 of {b_name} ideal ranking scored on {a_name}'s labels: {mean(two_on_one):.3f}")
    for name, scores in ((b_name, one_on_two), (a_name, two_on_one)):
        left_out = [n for n, x in zip(needs, scores, strict=True) if x is None]
        if left_out:
            emit(f"  (scored on {name}'s labels: {len(left_out)} needs with no offer "
                 f"labelled >0 left out of the mean: {', '.join(left_out)})")

    def top(rel):
        return {o for o, g in rel.items() if g == 3}

    diff = [n for n in needs if top(one[n]) != top(two[n])]
    disjoint = [n for n in diff if top(one[n]) and top(two[n]) and not top(one[n]) & top(two[n])]
    emit(f"needs whose grade-3 offer set differs: {len(diff)} / {len(needs)} "
          f"(disjoint non-empty sets: {len(disjoint)})")
    for n in diff:
        emit(f"  {n}: {a_name} {sorted(top(one[n]))} {b_name} {sorted(top(two[n]))}")
    worst = sorted((x, n) for x, n in zip(one_on_two, needs, strict=True)
                   if x is not None and x < 0.8)
    emit(f"needs where {a_name}'s ideal ranking scores < 0.8 on {b_name} labels: "
          + ", ".join(f"{n} {x:.2f}" for x, n in worst))


if __name__ == "__main__":
    main()
