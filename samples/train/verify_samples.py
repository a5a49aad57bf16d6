"""Re-check every sample model from its saved files alone: no torch, no training code.

Loads config.json, model.safetensors (safetensors.numpy) and tokenizer.json from each folder in
samples/, runs its own numpy forward pass written from the mechscope_transformer format spec, and
re-measures the claims made in the READMEs:

- induction-2l: a layer-1 head with induction score >= 0.6 and a layer-0 head with previous-token
  score >= 0.6 on repeated random-token sequences, and a second-copy loss far below the first-copy loss;
- modadd-1l: accuracy >= 99% on all 113^2 pairs, fed through tokenizer.json as "a b =" strings, and a
  concentrated Fourier spectrum of the embedding;
- superposition-toy: more features with ‖W_i‖ > 0.5 than hidden dimensions.

Also checks every folder's files, tensor names, shapes and dtypes, and its size (<= 3 MiB).
Run from anywhere:  python samples/train/verify_samples.py
Ends with a line "N passed, N failed" and exits non-zero if any check failed.
"""

import json
import math
import sys
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

sys.path.insert(0, str(Path(__file__).resolve().parent))

import head_detection  # noqa: E402
from fourier_concentration import fourier_concentration  # noqa: E402
from superposition_metrics import superposition_metrics  # noqa: E402

SAMPLES = Path(__file__).resolve().parent.parent
MAX_FOLDER_BYTES = 3 * 1024 * 1024


class Checks:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def check(self, name: str, ok: bool, detail: str) -> None:
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}", flush=True)
        if ok:
            self.passed += 1
        else:
            self.failed += 1


# ---- the mechscope_transformer format, in numpy -------------------------------------------------


def expected_shapes(config: dict) -> dict:
    v, d, p = config["vocab_size"], config["n_embd"], config["n_positions"]
    d_mlp = config["n_inner"] or 4 * d
    layer_norm = config["normalization_type"] == "LN"
    shapes = {"wte.weight": (v, d), "wpe.weight": (p, d), "lm_head.weight": (v, d), "lm_head.bias": (v,)}
    if layer_norm:
        shapes.update({"ln_f.weight": (d,), "ln_f.bias": (d,)})
    for i in range(config["n_layer"]):
        shapes.update({
            f"h.{i}.attn.c_attn.weight": (d, 3 * d), f"h.{i}.attn.c_attn.bias": (3 * d,),
            f"h.{i}.attn.c_proj.weight": (d, d), f"h.{i}.attn.c_proj.bias": (d,),
        })
        if layer_norm:
            shapes.update({f"h.{i}.ln_1.weight": (d,), f"h.{i}.ln_1.bias": (d,)})
        if not config["attn_only"]:
            shapes.update({
                f"h.{i}.mlp.c_fc.weight": (d, d_mlp), f"h.{i}.mlp.c_fc.bias": (d_mlp,),
                f"h.{i}.mlp.c_proj.weight": (d_mlp, d), f"h.{i}.mlp.c_proj.bias": (d,),
            })
            if layer_norm:
                shapes.update({f"h.{i}.ln_2.weight": (d,), f"h.{i}.ln_2.bias": (d,)})
    return shapes


def layer_norm(x: np.ndarray, weights: dict, prefix: str, config: dict) -> np.ndarray:
    if config["normalization_type"] != "LN":
        return x
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + config["layer_norm_epsilon"]) * weights[f"{prefix}.weight"] + weights[f"{prefix}.bias"]


def activation(name: str, x: np.ndarray) -> np.ndarray:
    if name == "relu":
        return np.maximum(x, 0.0)
    if name == "gelu_new":
        return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))
    if name == "gelu":
        erf = np.vectorize(math.erf)
        return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))
    raise ValueError(f"unknown activation_function {name!r}")


def forward(config: dict, weights: dict, tokens: np.ndarray) -> tuple:
    """Logits [batch, pos, vocab] and per-layer attention patterns [batch, head, query, key], in float64."""
    batch, seq = tokens.shape
    d, heads = config["n_embd"], config["n_head"]
    d_head = d // heads
    x = weights["wte.weight"][tokens] + weights["wpe.weight"][:seq]
    causal = np.tril(np.ones((seq, seq), dtype=bool))
    patterns = []
    for i in range(config["n_layer"]):
        h = layer_norm(x, weights, f"h.{i}.ln_1", config)
        qkv = h @ weights[f"h.{i}.attn.c_attn.weight"] + weights[f"h.{i}.attn.c_attn.bias"]
        q, k, v = (qkv[..., j * d : (j + 1) * d].reshape(batch, seq, heads, d_head).transpose(0, 2, 1, 3) for j in range(3))
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(d_head)
        scores = np.where(causal, scores, -np.inf)
        scores = scores - scores.max(axis=-1, keepdims=True)
        pattern = np.exp(scores)
        pattern /= pattern.sum(axis=-1, keepdims=True)
        patterns.append(pattern)
        z = (pattern @ v).transpose(0, 2, 1, 3).reshape(batch, seq, d)
        x = x + z @ weights[f"h.{i}.attn.c_proj.weight"] + weights[f"h.{i}.attn.c_proj.bias"]
        if not config["attn_only"]:
            h = layer_norm(x, weights, f"h.{i}.ln_2", config)
            hidden = activation(config["activation_function"], h @ weights[f"h.{i}.mlp.c_fc.weight"] + weights[f"h.{i}.mlp.c_fc.bias"])
            x = x + hidden @ weights[f"h.{i}.mlp.c_proj.weight"] + weights[f"h.{i}.mlp.c_proj.bias"]
    x = layer_norm(x, weights, "ln_f", config)
    return x @ weights["lm_head.weight"].T + weights["lm_head.bias"], patterns


# ---- loading and file checks ----------------------------------------------------------------------


def load_folder(checks: Checks, name: str, required: list) -> tuple:
    folder = SAMPLES / name
    missing = [f for f in required if not (folder / f).is_file()]
    checks.check(f"{name} files", not missing, f"missing {missing}" if missing else ", ".join(required))
    size = sum(f.stat().st_size for f in folder.iterdir() if f.is_file())
    checks.check(f"{name} size", size <= MAX_FOLDER_BYTES, f"{size:,} bytes (limit {MAX_FOLDER_BYTES:,})")
    prompts = [line for line in (folder / "prompts.txt").read_text().splitlines() if line.strip()]
    checks.check(f"{name} prompts", len(prompts) >= 1, f"{len(prompts)} prompts")
    config = json.loads((folder / "config.json").read_text())
    raw = load_file(str(folder / "model.safetensors"))
    dtypes = {t.dtype for t in raw.values()}
    checks.check(f"{name} dtype", dtypes == {np.dtype(np.float32)}, f"tensor dtypes {sorted(map(str, dtypes))}")
    weights = {key: value.astype(np.float64) for key, value in raw.items()}
    return folder, config, weights, prompts


def check_transformer_layout(checks: Checks, name: str, config: dict, weights: dict) -> None:
    expected = expected_shapes(config)
    actual = {key: tuple(value.shape) for key, value in weights.items()}
    problems = sorted(set(expected) ^ set(actual)) + sorted(k for k in expected if k in actual and expected[k] != actual[k])
    checks.check(f"{name} tensors", not problems, f"{len(actual)} tensors match the format" if not problems else f"mismatch: {problems}")
    keys = ["model_type", "n_layer", "n_head", "n_embd", "n_positions", "vocab_size", "n_inner", "attn_only",
            "normalization_type", "layer_norm_epsilon", "activation_function", "tie_word_embeddings",
            "bos_token_id", "eos_token_id"]
    optional = ["prepend_bos", "mechscope_story"]  # the BOS convention trained with; the explorer's story page
    checks.check(f"{name} config keys", sorted(k for k in config if k not in optional) == sorted(keys) and config["model_type"] == "mechscope_transformer",
                 f"{sorted(set(keys) ^ (set(config) - set(optional))) or 'all present'}")


# ---- per-sample checks ----------------------------------------------------------------------------


def verify_induction(checks: Checks) -> None:
    name = "induction-2l"
    folder, config, weights, prompts = load_folder(
        checks, name, ["config.json", "model.safetensors", "tokenizer.json", "README.md", "prompts.txt"]
    )
    check_transformer_layout(checks, name, config, weights)
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    bos = config["bos_token_id"]
    checks.check(f"{name} tokenizer", tokenizer.get_vocab_size() == config["vocab_size"] and tokenizer.id_to_token(bos) == "<|endoftext|>",
                 f"vocab {tokenizer.get_vocab_size()}, bos {bos} = {tokenizer.id_to_token(bos)!r}")
    n, batch = 50, 32  # as in the README: BOS + 50 random tokens + the same 50 (numpy seed 100)
    tokens = head_detection.repeated_random_tokens(np.random.default_rng(100), batch, n, bos, 1, config["vocab_size"])
    logits, patterns = forward(config, weights, tokens)
    induction = head_detection.induction_score_second_half(patterns[1], n)
    previous = head_detection.previous_token_score(patterns[0])
    tl_induction = head_detection.transformerlens_score(patterns[1], tokens, "induction")
    tl_previous = head_detection.transformerlens_score(patterns[0], tokens, "previous_token")
    checks.check(f"{name} induction head", induction.max() >= 0.6,
                 f"layer-1 scores {np.round(induction, 3).tolist()} (best 1.{induction.argmax()} = {induction.max():.3f}); "
                 f"TransformerLens-normalised best {tl_induction.max():.3f}")
    checks.check(f"{name} previous-token head", previous.max() >= 0.6,
                 f"layer-0 scores {np.round(previous, 3).tolist()} (best 0.{previous.argmax()} = {previous.max():.3f}); "
                 f"TransformerLens-normalised best {tl_previous.max():.3f}")
    first, second = head_detection.half_losses(logits, tokens, n)
    checks.check(f"{name} repeated-sequence loss", second < 0.25 * first,
                 f"first copy {first:.3f} nats, second copy {second:.3f} nats")
    for prompt in prompts:
        ids = tokenizer.encode(prompt).ids  # the post-processor puts BOS first, as training did
        checks.check(f"{name} BOS from the tokenizer", ids[0] == bos and ids[1] != bos, f"{prompt[:20]!r}... starts {ids[:3]}")
        generated = []
        for _ in range(6):
            step_logits, _ = forward(config, weights, np.array([ids + generated]))
            generated.append(int(step_logits[0, -1].argmax()))
        print(f"      prompt {prompt[-50:]!r} -> {tokenizer.decode(generated)!r}")


def verify_modadd(checks: Checks) -> None:
    name = "modadd-1l"
    folder, config, weights, prompts = load_folder(
        checks, name, ["config.json", "model.safetensors", "tokenizer.json", "README.md", "prompts.txt"]
    )
    check_transformer_layout(checks, name, config, weights)
    p = config["vocab_size"] - 1
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    pairs = [(a, b) for a in range(p) for b in range(p)]
    tokens = np.array([e.ids for e in tokenizer.encode_batch([f"{a} {b} =" for a, b in pairs])])
    checks.check(f"{name} tokenizer", tokens.shape == (p * p, 3) and (tokens[:, 0] == [a for a, _ in pairs]).all()
                 and (tokens[:, 2] == p).all(), f"'a b =' -> [a, b, {p}] for all {p * p} pairs")
    labels = np.array([(a + b) % p for a, b in pairs])
    correct = 0
    for start in range(0, len(tokens), 2048):
        logits, _ = forward(config, weights, tokens[start : start + 2048])
        correct += int((logits[:, -1].argmax(axis=-1) == labels[start : start + 2048]).sum())
    checks.check(f"{name} accuracy", correct / (p * p) >= 0.99, f"{correct}/{p * p} = {correct / (p * p):.4%} of all pairs")
    fourier = fourier_concentration(weights["wte.weight"][:p])
    checks.check(f"{name} Fourier", fourier["top5_fraction"] >= 0.9,
                 f"top-5 frequencies {fourier['top5_fraction']:.3f}, top-6 {fourier['top6_fraction']:.3f} of ‖W_E‖²; "
                 f"{[k for k, _ in fourier['top_frequencies'][:6]]}")
    for prompt in prompts:
        ids = tokenizer.encode(prompt).ids
        logits, _ = forward(config, weights, np.array([ids]))
        print(f"      prompt {prompt!r} -> {tokenizer.id_to_token(int(logits[0, -1].argmax()))}")


def verify_superposition(checks: Checks) -> None:
    name = "superposition-toy"
    folder, config, weights, prompts = load_folder(checks, name, ["config.json", "model.safetensors", "README.md", "prompts.txt"])
    n_features, n_hidden = config["n_features"], config["n_hidden"]
    ok = (sorted(weights) == ["W", "b_final"] and weights["W"].shape == (n_hidden, n_features)
          and weights["b_final"].shape == (n_features,) and config["model_type"] == "toy_superposition"
          and len(config["importance"]) == n_features)
    checks.check(f"{name} tensors", ok, f"W {weights['W'].shape}, b_final {weights['b_final'].shape}")
    metrics = superposition_metrics(weights["W"])
    checks.check(f"{name} superposition", metrics["represented"] > n_hidden,
                 f"{metrics['represented']} features with ‖W_i‖ > 0.5 in {n_hidden} dimensions")
    rng = np.random.default_rng(0)
    x = rng.random((100_000, n_features)) * (rng.random((100_000, n_features)) <= config["feature_probability"])
    out = np.maximum((x @ weights["W"].T) @ weights["W"] + weights["b_final"], 0.0)
    importance = np.array(config["importance"])
    loss = (importance * (x - out) ** 2).sum(axis=1).mean()
    baseline = (importance * x**2).sum(axis=1).mean()
    checks.check(f"{name} loss", loss < 0.5 * baseline, f"{loss:.5f} (all-zero output {baseline:.5f})")
    for prompt in prompts:
        values = np.array([float(v) for v in prompt.split()])
        out = np.maximum((weights["W"] @ values) @ weights["W"] + weights["b_final"], 0.0)
        print(f"      input nonzero {dict((int(i), float(values[i])) for i in np.flatnonzero(values))} -> output "
              f"{dict((int(i), round(float(out[i]), 2)) for i in np.flatnonzero(out > 0.05))}")


def main() -> int:
    checks = Checks()
    for verify in (verify_induction, verify_modadd, verify_superposition):
        try:
            verify(checks)
        except (OSError, KeyError, ValueError, json.JSONDecodeError) as error:
            checks.check(verify.__name__, False, f"{type(error).__name__}: {error}")
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
