"""Reference numbers for Mechscope's residual-stream analyses, from TransformerLens 4 itself.

Runs the tiny golden GPT-2 folders through TransformerLens 4's TransformerBridge in COMPATIBILITY MODE
(`enable_compatibility_mode()`: fold_ln, center_writing_weights, center_unembed, fold_value_biases;
the numbers researchers see in TransformerLens) and records, per prompt, at a middle and the last position:

  accumulated   `accumulated_resid(incl_mid=True)`: without LN ("raw"), with TL's own
                `apply_ln=True` (which at the unembed RECOMPUTES the final LayerNorm per entry), and
                with `apply_ln_to_stack(..., recompute_ln=False)` (centred, divided by the cached
                `ln_final.hook_scale`)
  decompose     `decompose_resid` raw and with `apply_ln=True` (cached scale)
  heads         `stack_head_results(apply_ln=True)`; attn_bias: each layer's b_O (value biases
                folded in) as a stack through `apply_ln_to_stack`
  lens          `tools.analysis.logit_lens` (recomputed final LN, W_U, b_U): top-k ids and
                probabilities, entropy, and the answer token's probability and rank per layer
  dla           `tools.analysis.direct_logit_attribution` for unit="component" and unit="head"
                (heads + remainder), the attention-bias terms through `logit_attrs`, and every neuron
                through `stack_neuron_results(apply_ln=True, project_output_onto=direction)`;
                each for the answer's logit and for the logit difference answer − wrong
  neurons       `blocks.L.mlp.hook_post` at the positions, the top neurons by activation and by DLA
                to the answer, and two neurons' output-weight effect W_out[n] · W_U on the vocabulary

The answer is the model's top next token at the last position and the wrong token its runner-up.
Outputs: Tests/golden/analysis/lens/<model>/<case>.json (floats to 7 significant digits).
    /work/venv-tl4/bin/python Tests/golden/analysis/make_lens_goldens.py [MODEL ...]
Pinned packages: Tests/golden/analysis/requirements-tl4.txt. Deterministic (CPU, one thread).
"""
import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

import json
from importlib import metadata

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer
from transformers.utils import logging as hf_logging

torch.set_num_threads(1)
hf_logging.set_verbosity_error()

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(HERE, "..", "models")
OUT = os.path.join(HERE, "lens")
TOP_K = 5
TOP_NEURONS = 8

CASES = {
    "gpt2-tiny-a": {
        "mary_john": "When Mary and John went to the store, John gave a drink to",
        "cat_mat": "the cat sat on the mat and the dog",
    },
    "gpt2-tiny-b": {
        "cat_mat": "the cat sat on the mat and the dog",
        "numbers": "one, two, three, four, five,",
        "unicode": "café naïve — the end",
    },
    # Llama-shaped (RMSNorm: TransformerLens folds its weight but does not centre; rotary; GQA;
    # gated MLP) and Pythia-shaped (parallel blocks, partial rotary, LayerNorm) models from
    # make_family_goldens.py.
    "llama-tiny": {
        "mary_john": "When Mary and John went to the store, John gave a drink to",
        "cat_mat": "the cat sat on the mat and the dog",
    },
    "pythia-tiny": {
        "mary_john": "When Mary and John went to the store, John gave a drink to",
    },
}
NEURONS = {"gpt2-tiny-a": [(0, 5), (1, 200)], "gpt2-tiny-b": [(0, 7), (2, 123)],
           "llama-tiny": [(0, 3), (1, 100)], "pythia-tiny": [(0, 9), (1, 250)]}


def compat_bridge(folder):
    from transformer_lens.model_bridge import TransformerBridge

    hf = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager")
    bridge = TransformerBridge.boot_transformers(
        folder, hf_model=hf, tokenizer=AutoTokenizer.from_pretrained(folder), device="cpu"
    )
    bridge.enable_compatibility_mode(disable_warnings=True)
    bridge.eval()
    return bridge


def rounded(x):
    """Nested lists of floats to 7 significant digits (float32 holds about 7.2)."""
    if isinstance(x, torch.Tensor):
        x = x.detach().double().tolist()
    if isinstance(x, list):
        return [rounded(v) for v in x]
    return float(f"{x:.7g}")


def at_positions(stack, positions):
    """[entries, batch=1, pos, ...] → [entries, len(positions), ...]."""
    return stack[:, 0, positions]


def record_case(bridge, model_name, prompt):
    from transformer_lens.tools.analysis.direct_logit_attribution import direct_logit_attribution
    from transformer_lens.tools.analysis.logit_lens import logit_lens

    cfg = bridge.cfg
    tokens = bridge.to_tokens(prompt, prepend_bos=False)
    hf_ids = bridge.tokenizer(prompt, add_special_tokens=False)["input_ids"]
    assert tokens[0].tolist() == hf_ids, "TransformerLens tokenized differently from the HF tokenizer"
    T = tokens.shape[1]
    positions = [T // 2, T - 1]
    with torch.no_grad():
        logits, cache = bridge.run_with_cache(tokens)
        last = logits[0, -1]
        answer, wrong = torch.topk(last, 2).indices.tolist()
        W_U = bridge.W_U
        out = {
            "prompt": prompt, "token_ids": tokens[0].tolist(), "positions": positions,
            "answer": answer, "wrong": wrong, "top_k": TOP_K,
            "transformer_lens": metadata.version("transformer-lens"),
        }

        # Accumulated residual stream: raw, TL's apply_ln (recomputed at the unembed), cached scale.
        # Parallel blocks (Pythia) have no resid_mid.
        incl_mid = not getattr(cfg, "parallel_attn_mlp", False)
        acc, acc_labels = cache.accumulated_resid(incl_mid=incl_mid, apply_ln=False, return_labels=True)
        acc_tl = cache.accumulated_resid(incl_mid=incl_mid, apply_ln=True)
        acc_cached = cache.apply_ln_to_stack(acc, layer=None, recompute_ln=False)
        out["accumulated"] = {
            "labels": acc_labels, "raw": rounded(at_positions(acc, positions)),
            "recomputed": rounded(at_positions(acc_tl, positions)),
            "cached_scale": rounded(at_positions(acc_cached, positions)),
        }

        dec_raw, dec_labels = cache.decompose_resid(apply_ln=False, return_labels=True)
        dec_ln = cache.decompose_resid(apply_ln=True)
        out["decompose"] = {"labels": dec_labels, "raw": rounded(at_positions(dec_raw, positions)),
                            "cached_scale": rounded(at_positions(dec_ln, positions))}

        heads_ln, head_labels = cache.stack_head_results(apply_ln=True, return_labels=True)
        # Models without an output bias (Llama) have b_O None in TransformerLens 4: zeros.
        b_O = [bridge.blocks[l].attn.b_O for l in range(cfg.n_layers)]
        bias = torch.stack([(b if b is not None else torch.zeros(cfg.d_model)).expand(1, T, cfg.d_model) for b in b_O])
        bias_ln = cache.apply_ln_to_stack(bias, layer=None)
        # Consistency of TL's own pieces: heads + b_O = attn_out in the processed model.
        heads_raw = cache.stack_head_results(apply_ln=False)
        for l in range(cfg.n_layers):
            total = heads_raw[l * cfg.n_heads:(l + 1) * cfg.n_heads].sum(0) + bias[l]
            assert torch.allclose(total, cache[f"blocks.{l}.hook_attn_out"], atol=1e-5)
        out["heads"] = {"labels": head_labels, "cached_scale": rounded(at_positions(heads_ln, positions)),
                        "bias_labels": [f"{l}_attn_bias" for l in range(cfg.n_layers)],
                        "bias_cached_scale": rounded(at_positions(bias_ln, positions))}

        # Logit lens (recomputed final LN): top-k and the answer's probability and rank.
        top = logit_lens(bridge, cache=cache, positions=positions, top_k=TOP_K, return_type="probs")
        tgt = logit_lens(bridge, cache=cache, positions=positions, targets=[answer], return_type="probs")
        final_probs = torch.softmax(logits[0, positions].double(), -1)
        assert torch.allclose(tgt.values[-1, 0, :, 0].double(), final_probs[:, answer], atol=1e-6)
        out["lens"] = {
            "labels": top.labels, "top_ids": top.readout.top_ids[:, 0].tolist(),
            "top_probs": rounded(top.values[:, 0]), "entropy": rounded(top.readout.entropy[:, 0]),
            "target_probs": rounded(tgt.values[:, 0, :, 0]),
            "target_ranks": tgt.readout.target_ranks[:, 0, :, 0].tolist(),
        }

        # Direct logit attribution at each position, for the answer and for answer − wrong.
        dla = {"component": {}, "head": {}, "attn_bias": {}, "neuron": {}}
        for kind, incorrect in (("answer", None), ("diff", wrong)):
            per_pos = {"component": [], "head": [], "attn_bias": [], "neuron": []}
            direction = W_U[:, answer] - (W_U[:, wrong] if incorrect is not None else 0)
            for p in positions:
                comp = direct_logit_attribution(bridge, answer_tokens=answer, incorrect_tokens=incorrect,
                                                unit="component", pos=p, cache=cache)
                head = direct_logit_attribution(bridge, answer_tokens=answer, incorrect_tokens=incorrect,
                                                unit="head", pos=p, cache=cache)
                bias_attr = cache.logit_attrs(bias[:, :, p], tokens=answer, incorrect_tokens=incorrect, pos_slice=p)
                per_pos["component"].append(comp.attribution[:, 0])
                per_pos["head"].append(head.attribution[:, 0])
                per_pos["attn_bias"].append(bias_attr[:, 0])
                dla["component"]["labels"], dla["head"]["labels"] = comp.labels, head.labels
            neurons = cache.stack_neuron_results(layer=-1, apply_ln=True, project_output_onto=direction)
            per_pos["neuron"] = [neurons[:, 0, p] for p in positions]
            # Components sum to the processed logit (difference) minus the unembedding bias.
            b_U = bridge.b_U if bridge.b_U is not None else torch.zeros(cfg.d_vocab)
            target = logits[0, positions, answer] - b_U[answer]
            if incorrect is not None:
                target = target - (logits[0, positions, wrong] - b_U[wrong])
            assert torch.allclose(torch.stack(per_pos["component"]).sum(-1), target, atol=1e-4)
            for unit, values in per_pos.items():
                dla[unit][kind] = rounded(torch.stack(values))       # [position, entry]
        out["dla"] = dla

        # Neurons: activations, top neurons by activation and by DLA to the answer, output weights.
        post = torch.stack([cache[f"blocks.{l}.mlp.hook_post"][0] for l in range(cfg.n_layers)])  # [L, T, d_mlp]
        neuron_dla = cache.stack_neuron_results(layer=-1, apply_ln=True, project_output_onto=W_U[:, answer])
        tops = []
        for i, p in enumerate(positions):
            acts = post[:, p].reshape(-1)
            by_act = torch.topk(acts, TOP_NEURONS).indices.tolist()
            by_dla = torch.topk(neuron_dla[:, 0, p], TOP_NEURONS).indices.tolist()
            tops.append({
                "position": p,
                "by_activation": [[n // cfg.d_mlp, n % cfg.d_mlp, rounded(acts[n].item())] for n in by_act],
                "by_dla": [[n // cfg.d_mlp, n % cfg.d_mlp, rounded(neuron_dla[n, 0, p].item())] for n in by_dla],
            })
        effects = []
        for layer, neuron in NEURONS[model_name]:
            effect = bridge.blocks[layer].mlp.W_out[neuron] @ W_U
            effects.append({"layer": layer, "neuron": neuron, "effect": rounded(effect),
                            "promoted": torch.topk(effect, TOP_K).indices.tolist(),
                            "suppressed": torch.topk(-effect, TOP_K).indices.tolist()})
        out["neurons"] = {"activations": rounded(post[:, positions]), "top": tops, "effects": effects}
    return out


def main():
    import sys
    chosen = sys.argv[1:] or list(CASES)   # model names to (re)generate; default all
    for model_name, cases in CASES.items():
        if model_name not in chosen:
            continue
        bridge = compat_bridge(os.path.join(MODELS, model_name))
        os.makedirs(os.path.join(OUT, model_name), exist_ok=True)
        for case, prompt in cases.items():
            data = record_case(bridge, model_name, prompt)
            path = os.path.join(OUT, model_name, f"{case}.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
                f.write("\n")
            print(f"{path}: {len(data['token_ids'])} tokens, answer {data['answer']}, wrong {data['wrong']}")


if __name__ == "__main__":
    main()
