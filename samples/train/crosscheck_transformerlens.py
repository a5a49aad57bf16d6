"""Optional cross-check: the format's semantics agree with TransformerLens.

Loads induction-2l and modadd-1l into TransformerLens HookedTransformer (converting the
mechscope_transformer tensors to TransformerLens's W_Q/W_K/W_V/W_O/W_in/W_out/W_U layout), and checks
that logits and attention patterns match verify_samples.py's numpy forward, and that
TransformerLens's own detect_head agrees with head_detection.transformerlens_score.

Needs transformer-lens (not in requirements.txt; tested with transformer-lens 3.9 and torch 2.15.0).
Run from anywhere:  python samples/train/crosscheck_transformerlens.py
"""

import json
import sys
from pathlib import Path

import numpy as np
import torch
from safetensors.numpy import load_file
from transformer_lens import HookedTransformer, HookedTransformerConfig
from transformer_lens.head_detector import detect_head

sys.path.insert(0, str(Path(__file__).resolve().parent))

import head_detection  # noqa: E402
from verify_samples import forward  # noqa: E402

SAMPLES = Path(__file__).resolve().parent.parent


def to_transformerlens(config: dict, weights: dict) -> HookedTransformer:
    d, heads, layers = config["n_embd"], config["n_head"], config["n_layer"]
    d_head = d // heads
    tl_config = HookedTransformerConfig(
        n_layers=layers, d_model=d, n_ctx=config["n_positions"], d_head=d_head, n_heads=heads,
        d_mlp=None if config["attn_only"] else (config["n_inner"] or 4 * d), d_vocab=config["vocab_size"],
        act_fn=config["activation_function"], normalization_type=config["normalization_type"],
        attn_only=config["attn_only"], eps=config["layer_norm_epsilon"], positional_embedding_type="standard",
        dtype=torch.float64, device="cpu", default_prepend_bos=False,
    )
    model = HookedTransformer(tl_config)
    t = {k: torch.from_numpy(v.astype(np.float64)) for k, v in weights.items()}
    state = {"embed.W_E": t["wte.weight"], "pos_embed.W_pos": t["wpe.weight"],
             "unembed.W_U": t["lm_head.weight"].T.contiguous(), "unembed.b_U": t["lm_head.bias"]}
    if config["normalization_type"] == "LN":
        state.update({"ln_final.w": t["ln_f.weight"], "ln_final.b": t["ln_f.bias"]})
    for i in range(layers):
        w, b = t[f"h.{i}.attn.c_attn.weight"], t[f"h.{i}.attn.c_attn.bias"]
        for j, name in enumerate("QKV"):
            state[f"blocks.{i}.attn.W_{name}"] = w[:, j * d : (j + 1) * d].reshape(d, heads, d_head).permute(1, 0, 2).contiguous()
            state[f"blocks.{i}.attn.b_{name}"] = b[j * d : (j + 1) * d].reshape(heads, d_head).contiguous()
        state[f"blocks.{i}.attn.W_O"] = t[f"h.{i}.attn.c_proj.weight"].reshape(heads, d_head, d).contiguous()
        state[f"blocks.{i}.attn.b_O"] = t[f"h.{i}.attn.c_proj.bias"]
        if config["normalization_type"] == "LN":
            state.update({f"blocks.{i}.ln1.w": t[f"h.{i}.ln_1.weight"], f"blocks.{i}.ln1.b": t[f"h.{i}.ln_1.bias"]})
        if not config["attn_only"]:
            state.update({
                f"blocks.{i}.mlp.W_in": t[f"h.{i}.mlp.c_fc.weight"], f"blocks.{i}.mlp.b_in": t[f"h.{i}.mlp.c_fc.bias"],
                f"blocks.{i}.mlp.W_out": t[f"h.{i}.mlp.c_proj.weight"], f"blocks.{i}.mlp.b_out": t[f"h.{i}.mlp.c_proj.bias"],
            })
            if config["normalization_type"] == "LN":
                state.update({f"blocks.{i}.ln2.w": t[f"h.{i}.ln_2.weight"], f"blocks.{i}.ln2.b": t[f"h.{i}.ln_2.bias"]})
    missing, unexpected = model.load_state_dict(state, strict=False)
    real_missing = [k for k in missing if not k.endswith(("IGNORE", "mask"))]
    if real_missing or unexpected:
        raise RuntimeError(f"state dict mismatch: missing {real_missing}, unexpected {unexpected}")
    return model.eval()


def compare(name: str, tokens: np.ndarray) -> tuple:
    folder = SAMPLES / name
    config = json.loads((folder / "config.json").read_text())
    weights = {k: v.astype(np.float64) for k, v in load_file(str(folder / "model.safetensors")).items()}
    model = to_transformerlens(config, weights)
    logits, patterns = forward(config, weights, tokens)
    with torch.no_grad():
        tl_logits, cache = model.run_with_cache(torch.from_numpy(tokens))
    logit_error = float(np.abs(tl_logits.numpy() - logits).max())
    pattern_error = max(
        float(np.abs(cache["pattern", i].numpy() - patterns[i]).max()) for i in range(config["n_layer"])
    )
    ok = logit_error < 1e-8 and pattern_error < 1e-10
    print(f"{'PASS' if ok else 'FAIL'}  {name} vs TransformerLens: max |Δlogit| {logit_error:.2e}, max |Δpattern| {pattern_error:.2e}")
    return ok, model, patterns, config


def main() -> int:
    results = []
    p = 113
    pairs = np.array([[a, b, p] for a in range(0, p, 7) for b in range(p)])
    ok, _, _, _ = compare("modadd-1l", pairs)
    results.append(ok)

    config = json.loads((SAMPLES / "induction-2l" / "config.json").read_text())
    bos, n = config["bos_token_id"], 50
    tokens = head_detection.repeated_random_tokens(np.random.default_rng(7), 4, n, bos, 1, config["vocab_size"])
    ok, model, patterns, _ = compare("induction-2l", tokens)
    results.append(ok)
    for kind, layer in (("induction", 1), ("previous_token", 0)):
        ours = head_detection.transformerlens_score(patterns[layer], tokens, kind)
        # detect_head takes strings and calls model.to_tokens; these random-token sequences have no
        # faithful string form, so to_tokens is pointed at them by label. Everything else (caching,
        # detection patterns, scoring, averaging over the list) is TransformerLens's own code.
        by_label = {f"sequence {i}": torch.from_numpy(row)[None] for i, row in enumerate(tokens)}
        # (detect_head first calls to_tokens on the whole list, only to read a length; all are equal.)
        model.to_tokens = lambda text, *args, **kwargs: by_label[text if isinstance(text, str) else text[0]]
        theirs = detect_head(model, list(by_label), f"{kind}_head").numpy()[layer]
        error = float(np.abs(ours - theirs).max())
        ok = error < 1e-6
        results.append(ok)
        print(f"{'PASS' if ok else 'FAIL'}  detect_head {kind} layer {layer}: ours {np.round(ours, 3).tolist()} "
              f"TransformerLens {np.round(theirs, 3).tolist()} (max |Δ| {error:.1e})")
    print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
