"""Golden head analyses from TransformerLens 4 (TransformerBridge in compatibility mode).

For gpt2-tiny-a and gpt2-tiny-b this records, in heads/<model>.json:
  - detect_head scores (previous_token_head, duplicate_token_head, induction_head; TransformerLens's
    defaults exclude_bos=False, exclude_current_token=False, error_measure="mul") on two prompts, with
    the token ids TransformerLens used (BOS first), plus one run with both exclusions on;
    the mean attention entropy per head (nats) from the same patterns;
  - a repeated random sequence built exactly as Mechscope's RepeatedTokenSequence (SplitMix64, seed 0,
    n = min(50, n_ctx // 2), special tokens excluded), its token ids, the demo induction score
    (mean attention from i to i - n + 1 over the second half) and the detect_head scores on it
    (TransformerLens's own detection patterns and similarity score on a cache of those tokens);
  - all_composition_scores for Q, K and V;
  - full OV circuit (W_E @ OV @ W_U) eigenvalues and copying scores (sum(eig).real / sum(|eig|));
  - OV logit effects (W_E[t] @ OV[l, h] @ W_U) and QK key scores (W_E[t] @ QK[l, h] @ W_E.T) for a
    fixed token: top/bottom 10 for every head, full vectors for one head;
  - positional QK (W_pos @ QK @ W_pos.T) arg-max offsets per query position, and the preferred offset;
    the full [n_ctx, n_ctx] score matrices of L0H0 and of the last head as float32 .npy files in
    heads/<model>/positional_L<l>H<h>.npy;
  - FactoredMatrix norm, singular values and eigenvalues of one head's OV and full OV circuit.

Run with the TransformerLens 4 venv (pins in requirements-tl4.txt):
    /work/venv-tl4/bin/python Tests/golden/analysis/make_heads_goldens.py
Deterministic: rerunning gives identical files.
"""
import json
import os

os.environ["HF_HUB_OFFLINE"] = "1"

import numpy as np
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer
from transformers.utils import logging as hf_logging

from transformer_lens.head_detector import (
    compute_head_attention_similarity_score,
    detect_head,
    get_duplicate_token_head_detection_pattern,
    get_induction_head_detection_pattern,
    get_previous_token_head_detection_pattern,
)
from transformer_lens.model_bridge import TransformerBridge

torch.set_num_threads(1)
hf_logging.set_verbosity_error()

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS_DIR = os.path.join(HERE, "..", "models")
OUT_DIR = os.path.join(HERE, "heads")
# llama-tiny (make_family_goldens.py): grouped-query attention (TransformerLens repeats each key/value
# head's W_K, W_V for its query heads), RMSNorm, rotary positions (no W_pos: no positional QK circuit).
MODELS = ["gpt2-tiny-a", "gpt2-tiny-b", "llama-tiny", "pythia-tiny"]
PROMPTS = [
    "the cat sat on the mat; the cat sat",
    "one two three four one two three",
]
HEAD_KINDS = ["previous_token_head", "duplicate_token_head", "induction_head"]
DETECTION_PATTERNS = {
    "previous_token_head": get_previous_token_head_detection_pattern,
    "duplicate_token_head": get_duplicate_token_head_detection_pattern,
    "induction_head": get_induction_head_detection_pattern,
}
FIXED_TOKEN_TEXT = " the"
POSITIONAL_SCORE_HEADS = [(0, 0), "last"]
TOP = 10
SEED = 0
MASK = (1 << 64) - 1


def splitmix64(seed):
    state = seed & MASK
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        yield z ^ (z >> 31)


def repeated_sequence(vocab_size, excluded, n, seed):
    allowed = [i for i in range(vocab_size) if i not in excluded]
    m = len(allowed)
    bound = (MASK // m) * m
    gen = splitmix64(seed)
    half = []
    for _ in range(n):
        x = next(gen)
        while x >= bound:
            x = next(gen)
        half.append(allowed[x % m])
    return half + half


def floats(t):
    return [float(x) for x in np.asarray(t.detach().cpu(), dtype=np.float64).reshape(-1)]


def entropy(patterns):
    # patterns [layers, heads, q, k]; mean over queries of -sum p log p, in float64
    p = patterns.to(torch.float64)
    terms = torch.where(p > 0, -p * torch.log(p), torch.zeros_like(p))
    return terms.sum(-1).mean(-1)


def all_patterns(bridge, tokens):
    _, cache = bridge.run_with_cache(torch.tensor([tokens]), remove_batch_dim=True)
    return torch.stack([cache[f"blocks.{l}.attn.hook_pattern"] for l in range(bridge.cfg.n_layers)])


def pattern_scores(patterns, tokens, exclude_bos=False, exclude_current_token=False):
    token_tensor = torch.tensor([tokens])
    out = {}
    for kind in HEAD_KINDS:
        detection = DETECTION_PATTERNS[kind](token_tensor)
        out[kind] = [
            [compute_head_attention_similarity_score(
                patterns[l, h], detection_pattern=detection, exclude_bos=exclude_bos,
                exclude_current_token=exclude_current_token, error_measure="mul")
             for h in range(patterns.shape[1])]
            for l in range(patterns.shape[0])
        ]
    return out


def positional_preference(scores):
    n = scores.shape[0]
    offsets = []
    for p in range(n):
        best = p
        for k in range(p - 1, -1, -1):
            if scores[p, k] > scores[p, best]:
                best = k
        offsets.append(p - best)
    counts = {}
    for p in range(1, n):
        counts[offsets[p]] = counts.get(offsets[p], 0) + 1
    preferred = min(counts, key=lambda o: (-counts[o], o)) if counts else 0
    share = counts.get(preferred, 0) / (n - 1) if n > 1 else 1.0
    return {"argmax_offsets": offsets, "preferred_offset": preferred, "share": share}


def top_bottom(vector):
    v = np.asarray(vector.detach().cpu(), dtype=np.float32)
    top = sorted(range(len(v)), key=lambda i: (-v[i], i))[:TOP]
    bottom = sorted(range(len(v)), key=lambda i: (v[i], i))[:TOP]
    return {"top_ids": top, "top_values": [float(v[i]) for i in top],
            "bottom_ids": bottom, "bottom_values": [float(v[i]) for i in bottom]}


def eigen_pairs(values):
    return [[float(z.real), float(z.imag)] for z in values.detach().cpu().numpy().reshape(-1)]


def save_positional_scores(model_name, layer, head, scores):
    folder = os.path.join(OUT_DIR, model_name)
    os.makedirs(folder, exist_ok=True)
    array = np.ascontiguousarray(scores.detach().cpu().numpy().astype(np.float32))
    np.save(os.path.join(folder, f"positional_L{layer}H{head}.npy"), array)


def make(model_name):
    folder = os.path.join(MODELS_DIR, model_name)
    hf = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager")
    tokenizer = AutoTokenizer.from_pretrained(folder)
    bridge = TransformerBridge.boot_transformers(folder, hf_model=hf, tokenizer=tokenizer, device="cpu")
    bridge.eval()
    bridge.enable_compatibility_mode(disable_warnings=True)
    cfg = bridge.cfg
    L, H = cfg.n_layers, cfg.n_heads
    out = {"model": model_name, "n_layers": L, "n_heads": H, "d_head": cfg.d_head, "n_ctx": cfg.n_ctx,
           "d_vocab": cfg.d_vocab}

    with torch.no_grad():
        prompts = []
        for i, prompt in enumerate(PROMPTS):
            tokens = bridge.to_tokens(prompt)[0].tolist()
            case = {"prompt": prompt, "token_ids": tokens}
            for kind in HEAD_KINDS:
                case[kind] = detect_head(bridge, prompt, kind).tolist()
            patterns = all_patterns(bridge, tokens)
            case["entropy"] = entropy(patterns).tolist()
            if i == 0:
                case["excluding_bos_and_current"] = {
                    kind: detect_head(bridge, prompt, kind, exclude_bos=True, exclude_current_token=True).tolist()
                    for kind in HEAD_KINDS}
            prompts.append(case)
        out["prompts"] = prompts

        hf_config = hf.config
        special = {i for i, t in tokenizer.added_tokens_decoder.items() if t.special}
        special |= {i for i in (hf_config.bos_token_id, hf_config.eos_token_id) if i is not None}
        n = min(50, cfg.n_ctx // 2)
        seq = repeated_sequence(cfg.d_vocab, special, n, SEED)
        patterns = all_patterns(bridge, seq)
        rows = torch.arange(n, 2 * n)
        demo = patterns[:, :, rows, rows - n + 1].to(torch.float64).mean(-1)
        out["repeated"] = {"seed": SEED, "half_length": n, "excluded_ids": sorted(special), "token_ids": seq,
                           "induction_diagonal": demo.tolist(), "entropy": entropy(patterns).tolist(),
                           **pattern_scores(patterns, seq)}

        out["composition"] = {mode: bridge.all_composition_scores(mode).scores.tolist() for mode in ("Q", "K", "V")}

        full_ov = bridge.W_E @ bridge.OV @ bridge.W_U
        eig = full_ov.eigenvalues                                   # [L, H, d_head] complex
        copying = eig.sum(dim=-1).real / eig.abs().sum(dim=-1)
        out["ov_copying"] = {"scores": copying.tolist(),
                             "eigenvalues": [[eigen_pairs(eig[l, h]) for h in range(H)] for l in range(L)]}

        token = bridge.to_single_token(FIXED_TOKEN_TEXT)
        learned_positions = cfg.positional_embedding_type == "standard"
        W_E, W_U = bridge.W_E, bridge.W_U
        W_pos = bridge.W_pos if learned_positions else None
        ov_heads, qk_heads, positional = [], [], []
        full_head = (L - 1, H - 1)
        for l in range(L):
            for h in range(H):
                effect = W_E[token] @ bridge.OV[l, h] @ W_U
                keys = W_E[token] @ bridge.QK[l, h] @ W_E.T
                ov_heads.append({"layer": l, "head": h, **top_bottom(effect)})
                qk_heads.append({"layer": l, "head": h, **top_bottom(keys)})
                if learned_positions:
                    pos = (W_pos @ bridge.QK[l, h] @ W_pos.T).AB
                    positional.append({"layer": l, "head": h, **positional_preference(pos.numpy())})
                    if (l, h) in [full_head if spec == "last" else spec for spec in POSITIONAL_SCORE_HEADS]:
                        save_positional_scores(model_name, l, h, pos)
                if (l, h) == full_head:
                    ov_full, qk_full = floats(effect), floats(keys)
        out["circuits"] = {"token_text": FIXED_TOKEN_TEXT, "token_id": token, "top": TOP,
                           "ov": ov_heads, "qk": qk_heads, "positional": positional,
                           "full_vectors_head": list(full_head), "ov_effect": ov_full, "qk_key_scores": qk_full}

        l, h = full_head
        ov = bridge.OV[l, h]
        full = full_ov[l, h]
        qk = bridge.QK[l, h]
        out["factored"] = {
            "layer": l, "head": h,
            "ov_norm": float(ov.norm()), "ov_singular_values": floats(ov.S), "ov_eigenvalues": eigen_pairs(ov.eigenvalues),
            "full_ov_norm": float(full.norm()), "full_ov_singular_values": floats(full.S),
            "qk_norm": float(qk.norm()), "qk_singular_values": floats(qk.S),
            "ov_corner": floats(ov.AB[:3, :3]),
        }
    return out


def main():
    import sys
    os.makedirs(OUT_DIR, exist_ok=True)
    for name in sys.argv[1:] or MODELS:   # model names to (re)generate; default all
        data = make(name)
        with open(os.path.join(OUT_DIR, f"{name}.json"), "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, sort_keys=True)
            f.write("\n")
        print(f"wrote heads/{name}.json")


if __name__ == "__main__":
    main()
