"""How much of an embedding's norm sits on a few Fourier frequencies over the token axis.

A modular-addition model that has grokked represents token t through cos(2πkt/p) and sin(2πkt/p)
for a handful of key frequencies k, so its embedding W_E [p, d] is sparse in the Fourier basis.
Shared by the training script and verify_samples.py. Needs only numpy.
"""

import numpy as np


def fourier_concentration(embedding: np.ndarray) -> dict:
    """Fraction of ‖W_E‖² on the top 5 / 6 frequencies (k and p−k pooled; k = 0 is the constant)."""
    p = embedding.shape[0]
    spectrum = np.fft.fft(embedding, axis=0)
    power = (np.abs(spectrum) ** 2).sum(axis=1)  # per DFT bin; sums to p * ‖W_E‖² (Parseval)
    per_frequency = {0: power[0]}
    for k in range(1, p // 2 + 1):
        per_frequency[k] = power[k] + (power[p - k] if p - k != k else 0.0)
    total = power.sum()
    ranked = sorted(per_frequency.items(), key=lambda item: -item[1])
    shares = [(int(k), float(v / total)) for k, v in ranked]
    return {
        "top5_fraction": sum(share for _, share in shares[:5]),
        "top6_fraction": sum(share for _, share in shares[:6]),
        "top_frequencies": shares[:10],
    }
