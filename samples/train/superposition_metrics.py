"""Feature norms and interference of a toy-superposition weight matrix W [n_hidden, n_features].

Shared by the training script (to write the README) and verify_samples.py (to re-check the
saved file), so both report exactly the same quantities. Needs only numpy.
"""

import numpy as np

REPRESENTED_NORM = 0.5


def superposition_metrics(W: np.ndarray) -> dict:
    """Per-feature ‖W_i‖ and Σ_{j≠i} (Ŵ_i·W_j)², plus how many features have ‖W_i‖ > 0.5."""
    norms = np.linalg.norm(W, axis=0)
    directions = W / np.maximum(norms, 1e-12)
    overlaps = directions.T @ W  # [i, j] = Ŵ_i · W_j
    np.fill_diagonal(overlaps, 0.0)
    interference = (overlaps**2).sum(axis=1)
    return {
        "represented": int((norms > REPRESENTED_NORM).sum()),
        "frobenius_sq": float((W**2).sum()),
        "per_feature": {"norm": norms.tolist(), "interference": interference.tolist()},
    }
