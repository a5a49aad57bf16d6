"""Previous-token and induction head scores from attention patterns (numpy only).

Shared by train_induction_2l.py and verify_samples.py so both report the same quantities.

Inputs are repeated random-token sequences laid out as
    [BOS, t_1 .. t_n, t_1 .. t_n]      (length 2n + 1)
and attention patterns of shape [batch, head, query, key] from one layer.

Two normalisations are reported:
- "second-half" (the sample's acceptance criterion): mean, over every query in the second copy,
  of the attention it pays to the token after its earlier copy (key = query - n + 1); and for
  previous-token heads, mean attention to key = query - 1 over every query q >= 1.
- "TransformerLens": `detect_head(..., error_measure="mul")` exactly: sum(pattern * detection) /
  sum(pattern) over the whole [query, key] matrix, averaged over the batch. Its detection patterns
  come from token equality (duplicate token shifted one to the right, first column zeroed), and
  because every query row counts in the denominator, an induction score on a repeated sequence
  is at most about n / (2n + 1) < 0.5 even for a perfect induction head.
"""

import numpy as np


def repeated_random_tokens(rng: np.random.Generator, batch: int, n: int, bos: int, low: int, high: int) -> np.ndarray:
    """[batch, 2n+1] sequences: BOS, n random ids drawn from [low, high), then the same n ids again."""
    half = rng.integers(low, high, size=(batch, n))
    return np.concatenate([np.full((batch, 1), bos), half, half], axis=1)


def induction_score_second_half(patterns: np.ndarray, n: int) -> np.ndarray:
    """[head]: mean attention from second-copy queries q = n+1..2n to key q - n + 1."""
    queries = np.arange(n + 1, 2 * n + 1)
    return patterns[:, :, queries, queries - n + 1].mean(axis=(0, 2))


def previous_token_score(patterns: np.ndarray) -> np.ndarray:
    """[head]: mean attention from every query q >= 1 to key q - 1."""
    queries = np.arange(1, patterns.shape[2])
    return patterns[:, :, queries, queries - 1].mean(axis=(0, 2))


def transformerlens_detection_pattern(tokens: np.ndarray, kind: str) -> np.ndarray:
    """TransformerLens's previous_token / induction detection pattern for one sequence [seq]."""
    seq = tokens.shape[0]
    if kind == "previous_token":
        pattern = np.zeros((seq, seq))
        pattern[np.arange(1, seq), np.arange(seq - 1)] = 1.0
        return pattern
    if kind == "induction":
        duplicate = (tokens[None, :] == tokens[:, None]).astype(np.float64)
        np.fill_diagonal(duplicate, 0.0)
        duplicate = np.tril(duplicate)
        shifted = np.roll(duplicate, 1, axis=1)
        shifted[:, 0] = 0.0
        return np.tril(shifted)
    raise ValueError(f"unknown detection pattern {kind!r}")


def transformerlens_score(patterns: np.ndarray, tokens: np.ndarray, kind: str) -> np.ndarray:
    """[head]: TransformerLens detect_head "mul" score, averaged over the batch like its list input."""
    scores = []
    for sequence_patterns, sequence_tokens in zip(patterns, tokens):
        detection = transformerlens_detection_pattern(sequence_tokens, kind)
        scores.append((sequence_patterns * detection).sum(axis=(1, 2)) / sequence_patterns.sum(axis=(1, 2)))
    return np.mean(scores, axis=0)


def half_losses(logits: np.ndarray, tokens: np.ndarray, n: int) -> tuple:
    """Mean next-token cross-entropy predicting the first copy (targets 2..n) and the second (n+2..2n).

    The first random token (predicted from BOS alone) and the first token of the second copy (whose
    predecessor is the last token of the first copy, so it is not yet predictable) are left out.
    """
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    targets = tokens[:, 1:]
    token_losses = -np.take_along_axis(log_probs[:, :-1], targets[..., None], axis=-1)[..., 0]
    # token_losses[:, i] is the loss of predicting tokens[:, i + 1].
    first = token_losses[:, 1:n].mean()
    second = token_losses[:, n + 1 : 2 * n].mean()
    return float(first), float(second)
