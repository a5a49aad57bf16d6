"""Independent check of the committed goldens against TransformerLens itself.

make_goldens.py derives TransformerLens hook values from Hugging Face module hooks; this script runs
the same folders through TransformerLens and compares every recorded .npy with run_with_cache, plus
the intervention logits with run_with_hooks. It works with either major version:
  3.x  HookedTransformer built from the HF weights, unprocessed (no LayerNorm folding or centring),
       so hook values keep TransformerLens's raw conventions;  /work/venv has 3.9.
  4.x  TransformerBridge.boot_transformers(folder, hf_model=..., tokenizer=...) in its default (raw
       weights) mode. Two documented differences from 3.x are tolerated: masked attention scores are
       float32's lowest value instead of -inf, and hook_result is not cached by default (skipped).
    /work/venv/bin/python Tests/golden/verify_with_transformer_lens.py [MODEL ...]
The family folders of make_family_goldens.py (llama, mistral, qwen2, gpt_neox) need TransformerLens 4.
"""
import os

os.environ["HF_HUB_OFFLINE"] = "1"

import glob
import json
from importlib import metadata

import numpy as np
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, GPT2LMHeadModel
from transformers.utils import logging as hf_logging

torch.set_num_threads(1)
hf_logging.set_verbosity_error()

GOLDEN_DIR = os.path.dirname(os.path.abspath(__file__))
TOLERANCE = 1e-5
TL_MAJOR = int(metadata.version("transformer-lens").split(".")[0])


def load_hf(folder):
    return AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager")


def hooked_transformer(folder):
    from transformer_lens import HookedTransformer, HookedTransformerConfig
    from transformer_lens.pretrained.weight_conversions.gpt2 import convert_gpt2_weights

    hf = load_hf(folder)
    c = hf.config
    cfg = HookedTransformerConfig(
        n_layers=c.n_layer, d_model=c.n_embd, n_heads=c.n_head, d_head=c.n_embd // c.n_head,
        d_mlp=4 * c.n_embd, d_vocab=c.vocab_size, n_ctx=c.n_positions, act_fn=c.activation_function,
        eps=c.layer_norm_epsilon, normalization_type="LN", positional_embedding_type="standard",
        use_attn_result=True, default_prepend_bos=False, device="cpu", dtype=torch.float32,
    )
    model = HookedTransformer(cfg)
    model.load_state_dict(convert_gpt2_weights(hf, cfg), strict=False)
    model.eval()
    return model


def transformer_bridge(folder):
    from transformer_lens.model_bridge import TransformerBridge

    bridge = TransformerBridge.boot_transformers(
        folder, hf_model=load_hf(folder), tokenizer=AutoTokenizer.from_pretrained(folder), device="cpu"
    )
    bridge.eval()
    return bridge


def compare(where, golden, actual):
    assert golden.shape == actual.shape, f"{where}: shape {golden.shape} vs {actual.shape}"
    finite = np.isfinite(golden)
    if TL_MAJOR >= 4:
        actual = np.where(actual <= np.finfo(np.float32).min, -np.inf, actual)
    assert np.array_equal(finite, np.isfinite(actual)), f"{where}: -inf mask differs"
    assert np.array_equal(golden[~finite], actual[~finite]), f"{where}: non-finite values differ"
    diff = float(np.abs(golden[finite] - actual[finite]).max())
    assert diff < TOLERANCE, f"{where}: max abs diff {diff}"
    return diff


def verify_interventions(model, case_dir, token_ids):
    folder = os.path.join(case_dir, "interventions")
    with open(os.path.join(folder, "interventions.json"), encoding="utf-8") as f:
        described = json.load(f)
    tokens = torch.tensor([token_ids])
    for filename, spec in described.items():
        if spec["kind"] == "zero_ablation":
            def edit(z, hook, head=spec["head"]):
                z[:, :, head, :] = 0
                return z
        else:
            vector = torch.from_numpy(np.load(os.path.join(folder, spec["vector"])))
            def edit(resid, hook, vector=vector):
                return resid + vector
        with torch.no_grad():
            logits = model.run_with_hooks(tokens, fwd_hooks=[(spec["hook"], edit)])[0].numpy()
        compare(f"{folder}/{filename}", np.load(os.path.join(folder, filename)), logits)
    return len(described)


def main():
    import sys
    chosen = sys.argv[1:]   # model names to check; default every golden model
    checked = skipped = 0
    worst = 0.0
    not_in_tl = set()
    for model_dir in sorted(glob.glob(os.path.join(GOLDEN_DIR, "cases", "*"))):
        if not os.path.isdir(model_dir) or (chosen and os.path.basename(model_dir) not in chosen):
            continue
        folder = os.path.join(GOLDEN_DIR, "models", os.path.basename(model_dir))
        model = hooked_transformer(folder) if TL_MAJOR < 4 else transformer_bridge(folder)
        for case_dir in sorted(glob.glob(os.path.join(model_dir, "*"))):
            with open(os.path.join(case_dir, "meta.json"), encoding="utf-8") as f:
                meta = json.load(f)
            with torch.no_grad():
                logits, cache = model.run_with_cache(torch.tensor([meta["token_ids"]]))
            for hook in meta["hooks"]:
                if hook != "logits" and hook not in cache and TL_MAJOR >= 4 and hook.endswith("hook_result"):
                    skipped += 1
                    continue
                if hook != "logits" and hook not in cache and TL_MAJOR >= 4 and hook.endswith(("hook_rot_q", "hook_rot_k")):
                    # TransformerLens 4's GPT-NeoX bridge has no rotary hooks (its Llama one has them).
                    not_in_tl.add(f"{os.path.basename(model_dir)}: {hook.split('.')[-1]}")
                    continue
                actual = (logits if hook == "logits" else cache[hook])[0].numpy()
                if "positions" in meta:   # long cases keep only these rows (query rows of [head, q, k])
                    rows = meta["positions"]
                    actual = actual[:, rows, :] if hook.endswith(("hook_attn_scores", "hook_pattern")) else actual[rows]
                golden = np.load(os.path.join(case_dir, f"{hook}.npy"))
                worst = max(worst, compare(f"{case_dir} {hook}", golden, actual))
                checked += 1
            if os.path.isdir(os.path.join(case_dir, "interventions")):
                checked += verify_interventions(model, case_dir, meta["token_ids"])
    print(f"transformer-lens {metadata.version('transformer-lens')}: largest difference {worst:.3g}")
    print(f"{checked} golden files agree with TransformerLens ({skipped} hook_result files not cached, skipped)")
    if not_in_tl:
        print("hooks TransformerLens does not cache, skipped: " + ", ".join(sorted(not_in_tl)))


if __name__ == "__main__":
    main()
