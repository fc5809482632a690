"""The row-wise dot products behind the concept, title and named features and the score
(features._dot, _Engine._features): a row's value must not depend on where the row sits
nor on how many rows there are, or one need would score otherwise alone than in a batch and
two identical programmes would not tie (the first posted wins a tie). BLAS's matrix-vector
product fails this here (``block @ need`` gave identical rows different last bits in about a
fifth of these draws); the gufunc passes."""

import numpy as np

from matching.features import _dot


def test_a_row_scores_the_same_wherever_it_sits_and_however_many_rows_there_are():
    rng = np.random.default_rng(7)
    for _ in range(300):
        width, rows = int(rng.integers(5, 80)), int(rng.integers(2, 40))
        row = (rng.random(width) * (rng.random(width) > 0.5)).astype(np.float32)
        need = rng.standard_normal((1, width)).astype(np.float32)
        block = rng.random((rows, width)).astype(np.float32)
        block[::3] = row                      # the same programme at several places
        ours = _dot(need, block)
        assert len(set(ours[::3].tolist())) == 1
        assert _dot(need, row[None, :])[0] == ours[0]           # alone as in the block
        # a batch: each pair's own need row, the same values
        assert np.array_equal(_dot(np.repeat(need, rows, axis=0), block), ours)
