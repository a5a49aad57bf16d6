"""GGUF goldens for the decoder families: the small random Llama and Qwen2 models of Tests/golden/models
written as llama.cpp GGUF files with gguf-py's GGUFWriter (names, metadata and the Q/K row permutation
llama.cpp's converter applies to Llama), in a mix of tensor types (F32 norms and embeddings, F16
attention, Q8_0 MLP), then read back by `transformers`' own GGUF loader — the reference Mechscope's
reading of the same file must equal: config, token ids, logits.

    /work/venv/bin/python Tests/golden/make_gguf_family_goldens.py   (Tests/golden/requirements-real.txt)
"""
import json
import os
import tempfile

import numpy as np
import torch
import gguf
from transformers import AutoModelForCausalLM, AutoTokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = os.path.join(ROOT, "Tests", "golden", "models")
OUT = os.path.join(ROOT, "Tests", "golden", "gguf-families")
PROMPTS = ["The quick brown fox jumps over the lazy dog.", "Hello, world! 1234 ünïcödé"]
torch.set_grad_enabled(False)


def llama_cpp_permute(w, heads):
    """llama.cpp's convert_hf_to_gguf permutation of Q/K rows: (half, j) → (j, half) within each head."""
    return w.reshape(heads, 2, w.shape[0] // heads // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def reference_cases(name, model):
    """The reference: transformers reading the GGUF file back (model and tokenizer), on every prompt; and how far
    its logits are from the original float32 model's (the F16/Q8_0 rounding)."""
    ref = AutoModelForCausalLM.from_pretrained(OUT, gguf_file=f"{name}.gguf", dtype=torch.float32)
    ref_tok = AutoTokenizer.from_pretrained(OUT, gguf_file=f"{name}.gguf")
    cases = []
    for prompt in PROMPTS:
        ids = ref_tok(prompt).input_ids
        logits = ref(torch.tensor([ids])).logits[0].numpy()
        original = model(torch.tensor([ids])).logits[0].numpy()
        cases.append({"prompt": prompt, "ids": ids, "last_logits": logits[-1].astype(np.float32).tolist(),
                      "first16_logits": logits[:, :16].astype(np.float32).tolist(),
                      "max_abs_diff_vs_folder": float(np.abs(logits - original).max())})
    return ref, cases


def write(name, arch):
    folder = os.path.join(MODELS, name)
    cfg = json.load(open(os.path.join(folder, "config.json")))
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32)
    state = {k: v.numpy() for k, v in model.state_dict().items()}
    tokenizer_json = json.load(open(os.path.join(folder, "tokenizer.json")))
    vocab = tokenizer_json["model"]["vocab"]
    tokens = [None] * len(vocab)
    for token, i in vocab.items():
        tokens[i] = token
    # The embedding may be larger than the tokenizer (padded vocabularies): llama.cpp fills the gap with
    # [PADn] tokens of type UNUSED (5), so the file's vocabulary size is the model's.
    pad = cfg["vocab_size"] - len(tokens)
    tokens += [f"[PAD{len(vocab) + i}]" for i in range(pad)]
    added = {t["id"]: t for t in tokenizer_json.get("added_tokens", [])}
    merges = [m if isinstance(m, str) else " ".join(m) for m in tokenizer_json["model"]["merges"]]

    heads, kv_heads = cfg["num_attention_heads"], cfg.get("num_key_value_heads", cfg["num_attention_heads"])
    d_model = cfg["hidden_size"]
    head_dim = cfg.get("head_dim") or d_model // heads
    path = os.path.join(OUT, f"{name}.gguf")
    w = gguf.GGUFWriter(path, arch)
    w.add_name(name)
    w.add_block_count(cfg["num_hidden_layers"])
    w.add_context_length(cfg["max_position_embeddings"])
    w.add_embedding_length(d_model)
    w.add_feed_forward_length(cfg["intermediate_size"])
    w.add_head_count(heads)
    w.add_head_count_kv(kv_heads)
    w.add_key_length(head_dim)
    w.add_value_length(head_dim)
    w.add_layer_norm_rms_eps(cfg["rms_norm_eps"])
    theta = cfg.get("rope_theta") or (cfg.get("rope_parameters") or {}).get("rope_theta") or 10000.0
    w.add_rope_freq_base(theta)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("default")
    w.add_token_list(tokens)
    w.add_token_merges(merges)
    w.add_token_types([3 if i in added and added[i].get("special") else 5 if i >= len(vocab) else 1
                       for i in range(len(tokens))])
    if cfg.get("bos_token_id") is not None:
        w.add_bos_token_id(cfg["bos_token_id"])
    if cfg.get("eos_token_id") is not None:
        w.add_eos_token_id(cfg["eos_token_id"])

    def add(gguf_name, hf_name, kind):
        t = state[hf_name].astype(np.float32)
        if arch == "llama" and hf_name.endswith(("q_proj.weight", "q_proj.bias")):
            t = llama_cpp_permute(t, heads)
        if arch == "llama" and hf_name.endswith(("k_proj.weight", "k_proj.bias")):
            t = llama_cpp_permute(t, kv_heads)
        if kind == "f16":
            w.add_tensor(gguf_name, t.astype(np.float16))
        elif kind == "q8_0" and t.ndim == 2 and t.shape[-1] % 32 == 0:
            w.add_tensor(gguf_name, gguf.quants.quantize(t, gguf.GGMLQuantizationType.Q8_0),
                         raw_dtype=gguf.GGMLQuantizationType.Q8_0)
        else:
            w.add_tensor(gguf_name, t)

    add("token_embd.weight", "model.embed_tokens.weight", "f32")
    add("output_norm.weight", "model.norm.weight", "f32")
    if not cfg.get("tie_word_embeddings", False):
        add("output.weight", "lm_head.weight", "f32")
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        for hf, gg, kind in [("self_attn.q_proj", "attn_q", "f16"), ("self_attn.k_proj", "attn_k", "f16"),
                             ("self_attn.v_proj", "attn_v", "f16"), ("self_attn.o_proj", "attn_output", "f16"),
                             ("mlp.gate_proj", "ffn_gate", "q8_0"), ("mlp.up_proj", "ffn_up", "q8_0"),
                             ("mlp.down_proj", "ffn_down", "q8_0"), ("input_layernorm", "attn_norm", "f32"),
                             ("post_attention_layernorm", "ffn_norm", "f32")]:
            add(f"blk.{l}.{gg}.weight", p + hf + ".weight", kind)
            if p + hf + ".bias" in state:
                add(f"blk.{l}.{gg}.bias", p + hf + ".bias", "f32")
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()

    ref, cases = reference_cases(name, model)
    keys = ["model_type", "num_hidden_layers", "hidden_size", "intermediate_size", "num_attention_heads",
            "num_key_value_heads", "head_dim", "max_position_embeddings", "vocab_size", "tie_word_embeddings", "rms_norm_eps"]
    rc = ref.config.to_dict()
    return {"name": name, "file": f"{name}.gguf", "config": {k: rc.get(k) for k in keys}, "cases": cases}


def write_gpt2():
    """A small random GPT-2 (n_positions 1024: transformers' GGUF loader reads gpt2.context_length as n_ctx and
    keeps GPT2Config's default n_positions, so a file of any other context would not load there), with
    gpt2-tiny-a's tokenizer, written as llama.cpp's converter writes GPT-2: Conv1D weights transposed."""
    from transformers import GPT2Config, GPT2LMHeadModel
    name = "gpt2-tiny-gguf"
    torch.manual_seed(20261202)
    config = GPT2Config(vocab_size=512, n_positions=1024, n_embd=64, n_layer=2, n_head=4, bos_token_id=511,
                        eos_token_id=511, initializer_range=0.15)
    model = GPT2LMHeadModel(config).eval()
    state = {k: v.numpy() for k, v in model.state_dict().items()}
    tokenizer_json = json.load(open(os.path.join(MODELS, "gpt2-tiny-a", "tokenizer.json")))
    vocab = tokenizer_json["model"]["vocab"]
    tokens = [None] * len(vocab)
    for token, i in vocab.items():
        tokens[i] = token
    tokens += [f"[PAD{len(vocab) + i}]" for i in range(config.vocab_size - len(tokens))]
    added = {t["id"]: t for t in tokenizer_json.get("added_tokens", [])}
    merges = [m if isinstance(m, str) else " ".join(m) for m in tokenizer_json["model"]["merges"]]
    path = os.path.join(OUT, f"{name}.gguf")
    w = gguf.GGUFWriter(path, "gpt2")
    w.add_block_count(2)
    w.add_context_length(1024)
    w.add_embedding_length(64)
    w.add_feed_forward_length(256)
    w.add_head_count(4)
    w.add_layer_norm_eps(config.layer_norm_epsilon)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("gpt-2")
    w.add_token_list(tokens)
    w.add_token_merges(merges)
    w.add_token_types([3 if i in added and added[i].get("special") else 5 if i >= len(vocab) else 1
                       for i in range(len(tokens))])
    w.add_bos_token_id(511)
    w.add_eos_token_id(511)
    conv1d = (".attn.c_attn.weight", ".attn.c_proj.weight", ".mlp.c_fc.weight", ".mlp.c_proj.weight")
    names = {"transformer.wte.weight": "token_embd.weight", "transformer.wpe.weight": "position_embd.weight",
             "transformer.ln_f.weight": "output_norm.weight", "transformer.ln_f.bias": "output_norm.bias"}
    for l in range(2):
        for hf, gg in [("ln_1", "attn_norm"), ("attn.c_attn", "attn_qkv"), ("attn.c_proj", "attn_output"),
                       ("ln_2", "ffn_norm"), ("mlp.c_fc", "ffn_up"), ("mlp.c_proj", "ffn_down")]:
            for part in ("weight", "bias"):
                names[f"transformer.h.{l}.{hf}.{part}"] = f"blk.{l}.{gg}.{part}"
    for hf, gg in names.items():
        t = state[hf].astype(np.float32)
        if hf.endswith(conv1d):
            t = np.ascontiguousarray(t.T)
        w.add_tensor(gg, t.astype(np.float16) if hf.endswith(conv1d) else t)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    ref, cases = reference_cases(name, model)
    rc = ref.config.to_dict()
    return {"name": name, "file": f"{name}.gguf", "config": {
        "model_type": "gpt2", "num_hidden_layers": rc["n_layer"], "hidden_size": rc["n_embd"],
        "intermediate_size": rc.get("n_inner") or 4 * rc["n_embd"], "num_attention_heads": rc["n_head"],
        "num_key_value_heads": rc["n_head"], "head_dim": rc["n_embd"] // rc["n_head"],
        "max_position_embeddings": rc["n_positions"], "vocab_size": rc["vocab_size"],
        "tie_word_embeddings": rc["tie_word_embeddings"]}, "cases": cases}


os.makedirs(OUT, exist_ok=True)
results = [write("llama-tiny", "llama"), write("qwen2-tiny", "qwen2"), write_gpt2()]
with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump({"transformers": __import__("transformers").__version__, "gguf_py": "0.17.1", "models": results}, f)
for r in results:
    print(r["name"], [c["ids"][:6] for c in r["cases"]], "max |Δlogit| vs folder:", [round(c["max_abs_diff_vs_folder"], 4) for c in r["cases"]])
