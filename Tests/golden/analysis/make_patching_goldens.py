"""Goldens for activation patching and ablation, computed by TransformerLens 4 itself.

For each tiny golden model, an IOI-style clean/corrupted pair (equal token counts; the answer and
wrong tokens are single tokens of the tiny tokenizer) goes through TransformerBridge in
compatibility mode (TransformerLens's default processed weights: fold_ln, centred writing weights
and unembedding, value biases folded into b_O). Recorded:

  patching (transformer_lens.patching), metric = normalised logit difference
      (diff(patched) - diff(corrupted)) / (diff(clean) - diff(corrupted)),  diff = logit[answer] - logit[wrong]
      at the last position:
    denoising  get_act_patch_resid_pre / _attn_out / _mlp_out [layer, pos] and
               get_act_patch_attn_head_out_all_pos [layer, head]: the CORRUPTED tokens run, CLEAN
               activations are patched in (TransformerLens's own convention)
    noising    the same four grids with the roles swapped: the CLEAN tokens run,
               CORRUPTED activations are patched in (same normalisation)
  ablation of the clean prompt, logit difference and mean next-token loss (return_type="loss"):
    each head: zero (hook_z[:, :, h] = 0, the processed model's z, so b_V·W_O stays in b_O) and
               mean (hook_z[:, :, h] = its mean over the prompt's positions)
    each neuron of the last layer: hook_post[:, :, n] = 0 and = its mean over positions

Run (TransformerLens 4 venv, pinned in requirements-tl4.txt):
    /work/venv-tl4/bin/python Tests/golden/analysis/make_patching_goldens.py
Writes Tests/golden/analysis/patching/<model>.json (deterministic).
"""
import json
import os

os.environ["HF_HUB_OFFLINE"] = "1"

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer
from transformers.utils import logging as hf_logging

from transformer_lens import patching
from transformer_lens.model_bridge import TransformerBridge

torch.set_num_threads(1)
hf_logging.set_verbosity_error()

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(HERE, "..", "models")
OUT = os.path.join(HERE, "patching")

# Clean: the repeated name is " values", so the IOI answer is " inform"; corrupted repeats " inform".
CASES = [
    {"model": "gpt2-tiny-a", "prepend_bos": False},
    {"model": "gpt2-tiny-b", "prepend_bos": True},
    # Llama-shaped (make_family_goldens.py): RMSNorm, rotary, grouped-query attention, gated MLP; llama-tiny
    # and mistral-tiny are left out: their clean and corrupted logit differences are too close.
    {"model": "qwen2-tiny", "prepend_bos": False},
    {"model": "llama3-tiny", "prepend_bos": False},
    # Pythia-shaped (GPT-NeoX): parallel attention and MLP, partial rotary, LayerNorm, untied unembedding.
    # Its names are " model" and " mil": with " inform"/" values" (or any pair of the 33 single-token
    # words tried) the clean and corrupted differences are within 0.19 of each other.
    {"model": "pythia-tiny", "prepend_bos": False,
     "clean": "Then model and mil went to the mil, and mil gave the model to",
     "corrupted": "Then model and mil went to the mil, and model gave the model to",
     "answer": " model", "wrong": " mil"},
]
CLEAN = "Then inform and values went to the values, and values gave the model to"
CORRUPTED = "Then inform and values went to the values, and inform gave the model to"
ANSWER, WRONG = " inform", " values"


def boot(folder):
    hf = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager")
    bridge = TransformerBridge.boot_transformers(
        folder, hf_model=hf, tokenizer=AutoTokenizer.from_pretrained(folder), device="cpu")
    bridge.enable_compatibility_mode(disable_warnings=True)
    bridge.eval()
    return bridge


def single_token(tokenizer, text):
    ids = tokenizer(text)["input_ids"]
    assert len(ids) == 1, f"{text!r} tokenizes to {ids}"
    return ids[0]


def tokens_of(tokenizer, text, prepend_bos):
    ids = tokenizer(text)["input_ids"]
    return ([tokenizer.bos_token_id] if prepend_bos else []) + ids


def floats(t):
    return [float(x) for x in t.flatten().tolist()] if t.ndim <= 1 else [floats(r) for r in t]


def make_case(case):
    folder = os.path.join(MODELS, case["model"])
    model = boot(folder)
    tok = AutoTokenizer.from_pretrained(folder)  # the bridge's own copy adds BOS to everything
    clean_text, corrupted_text = case.get("clean", CLEAN), case.get("corrupted", CORRUPTED)
    answer_text, wrong_text = case.get("answer", ANSWER), case.get("wrong", WRONG)
    clean = tokens_of(tok, clean_text, case["prepend_bos"])
    corrupted = tokens_of(tok, corrupted_text, case["prepend_bos"])
    assert len(clean) == len(corrupted), (len(clean), len(corrupted))
    answer, wrong = single_token(tok, answer_text), single_token(tok, wrong_text)
    clean_t, corrupted_t = torch.tensor([clean]), torch.tensor([corrupted])

    def diff(logits):
        return logits[0, -1, answer] - logits[0, -1, wrong]

    with torch.no_grad():
        clean_logits, clean_cache = model.run_with_cache(clean_t)
        corrupted_logits, corrupted_cache = model.run_with_cache(corrupted_t)
        clean_diff, corrupted_diff = diff(clean_logits).item(), diff(corrupted_logits).item()
        assert abs(clean_diff - corrupted_diff) > 0.3, "ill-conditioned normalisation"

        def normalised(logits):
            return (diff(logits) - corrupted_diff) / (clean_diff - corrupted_diff)

        denoising = {
            "resid_pre": patching.get_act_patch_resid_pre(model, corrupted_t, clean_cache, normalised),
            "attn_out": patching.get_act_patch_attn_out(model, corrupted_t, clean_cache, normalised),
            "mlp_out": patching.get_act_patch_mlp_out(model, corrupted_t, clean_cache, normalised),
            "heads": patching.get_act_patch_attn_head_out_all_pos(model, corrupted_t, clean_cache, normalised),
        }
        noising = {
            "resid_pre": patching.get_act_patch_resid_pre(model, clean_t, corrupted_cache, normalised),
            "attn_out": patching.get_act_patch_attn_out(model, clean_t, corrupted_cache, normalised),
            "mlp_out": patching.get_act_patch_mlp_out(model, clean_t, corrupted_cache, normalised),
            "heads": patching.get_act_patch_attn_head_out_all_pos(model, clean_t, corrupted_cache, normalised),
        }
        ablation = ablate(model, clean_t, clean_cache, diff)

    return {
        "model": case["model"],
        "clean": clean_text, "corrupted": corrupted_text, "answer": answer_text, "wrong": wrong_text,
        "prepend_bos": case["prepend_bos"],
        "clean_tokens": clean, "corrupted_tokens": corrupted,
        "answer_id": answer, "wrong_id": wrong,
        "clean_logit_diff": clean_diff, "corrupted_logit_diff": corrupted_diff,
        "denoising": {k: floats(v) for k, v in denoising.items()},
        "noising": {k: floats(v) for k, v in noising.items()},
        "ablation": ablation,
    }


def ablate(model, tokens, cache, diff):
    cfg = model.cfg

    def run(hook_name, fn):
        logits = model.run_with_hooks(tokens, fwd_hooks=[(hook_name, fn)])
        loss = model.run_with_hooks(tokens, fwd_hooks=[(hook_name, fn)], return_type="loss")
        return diff(logits).item(), loss.item()

    base_logits = model(tokens)
    out = {"baseline_logit_diff": diff(base_logits).item(),
           "baseline_loss": model(tokens, return_type="loss").item()}
    for mode in ("zero", "mean"):
        diffs, losses = [], []
        for layer in range(cfg.n_layers):
            name = f"blocks.{layer}.attn.hook_z"
            means = cache[name][0].mean(dim=0)  # [head, d_head]
            row_d, row_l = [], []
            for head in range(cfg.n_heads):
                def hook(z, hook, head=head, means=means):
                    z[:, :, head, :] = 0 if mode == "zero" else means[head]
                    return z
                d, l = run(name, hook)
                row_d.append(d)
                row_l.append(l)
            diffs.append(row_d)
            losses.append(row_l)
        out[f"heads_{mode}"] = {"logit_diff": diffs, "loss": losses}
    layer = cfg.n_layers - 1
    name = f"blocks.{layer}.mlp.hook_post"
    means = cache[name][0].mean(dim=0)  # [d_mlp]
    for mode in ("zero", "mean"):
        diffs, losses = [], []
        for neuron in range(cfg.d_mlp):
            def hook(post, hook, neuron=neuron):
                post[:, :, neuron] = 0 if mode == "zero" else means[neuron]
                return post
            d, l = run(name, hook)
            diffs.append(d)
            losses.append(l)
        out[f"neurons_{mode}"] = {"layer": layer, "logit_diff": diffs, "loss": losses}
    return out


def main():
    import sys
    os.makedirs(OUT, exist_ok=True)
    for case in CASES:
        if sys.argv[1:] and case["model"] not in sys.argv[1:]:   # model names to (re)generate; default all
            continue
        result = make_case(case)
        path = os.path.join(OUT, f"{case['model']}.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=1, sort_keys=True)
            f.write("\n")
        print(f"{path}: clean diff {result['clean_logit_diff']:.4f}, "
              f"corrupted diff {result['corrupted_logit_diff']:.4f}, {len(result['clean_tokens'])} tokens")


if __name__ == "__main__":
    main()
