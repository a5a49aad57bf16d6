"""Reference data for the Llama, Mistral, Qwen2 and GPT-NeoX (Pythia) families.

Run with the pinned venv (Tests/golden/requirements.txt):
    /work/venv/bin/python Tests/golden/make_family_goldens.py

Builds small random-init models of each family with `transformers` (fixed seeds, one thread, no
network), saves Hugging Face folders under Tests/golden/models/<model>/ (config.json,
model.safetensors; one copy in bf16, one sharded with model.safetensors.index.json; some configs
rewritten the way transformers 4.x wrote them), and under Tests/golden/cases/<model>/<case>/ one
float32 .npy per TransformerLens hook name plus meta.json and next_token.json, like make_goldens.py.

Tokenization is not under test here: every folder gets gpt2-tiny-a's committed byte-level BPE
tokenizer (vocabulary 512), so the CLI can run prompts, and the cases record its token ids.
Hook names and shapes follow TransformerLens for each family: hook_rot_q/hook_rot_k after rotary,
ln1/ln2/ln_final.hook_scale and hook_normalized for RMSNorm too (before the weight),
mlp.hook_pre = x·W_gate and mlp.hook_pre_linear = x·W_in for gated MLPs, hook_k/hook_v/hook_rot_k
with the key/value heads only (grouped-query attention), no hook_resid_mid in parallel blocks.
"""
import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

import copy
import json
import math
import shutil
import sys

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from tokenizers import Tokenizer
from transformers import (GPTNeoXConfig, GPTNeoXForCausalLM, LlamaConfig, LlamaForCausalLM, MistralConfig,
                          MistralForCausalLM, Qwen2Config, Qwen2ForCausalLM)
from transformers.utils import logging as hf_logging

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)
hf_logging.set_verbosity_error()
hf_logging.disable_progress_bar()

GOLDEN_DIR = os.path.dirname(os.path.abspath(__file__))
MODELS_DIR = os.path.join(GOLDEN_DIR, "models")
CASES_DIR = os.path.join(GOLDEN_DIR, "cases")
TOKENIZER_SOURCE = os.path.join(MODELS_DIR, "gpt2-tiny-a")
TOKENIZER_FILES = ["tokenizer.json", "vocab.json", "merges.txt", "tokenizer_config.json"]
VOCAB_SIZE = 512
TOLERANCE = 2e-5
NEXT_TOKEN_TOP_K = 10

PROMPTS = {
    "ascii_sentence": "The quick brown fox.",
    "code_lines": "def f(a):\n\treturn a\n\n#\t1",
}


# ---------------------------------------------------------------------------------------------
# Models


def randomize_norms_and_biases(model, seed):
    """HF init sets norm weights to 1 and biases to 0; random values make folding and bias bugs visible."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if "norm" in name:
                if name.endswith(".weight"):
                    parameter.copy_(1.0 + (torch.rand(parameter.shape, generator=generator) * 2 - 1) * 0.2)
                else:
                    parameter.copy_(torch.randn(parameter.shape, generator=generator) * 0.05)
            elif name.endswith(".bias"):
                parameter.copy_(torch.randn(parameter.shape, generator=generator) * 0.1)


def build(config_class, model_class, seed, **fields):
    config = config_class(vocab_size=VOCAB_SIZE, bos_token_id=VOCAB_SIZE - 1, eos_token_id=VOCAB_SIZE - 1,
                          initializer_range=0.15, attn_implementation="eager", **fields)
    torch.manual_seed(seed)
    model = model_class(config)
    randomize_norms_and_biases(model, seed + 1)
    model.eval()
    return model


def llama_tiny():
    # Llama 2 style: 4 heads / 2 key-value heads, untied, no biases.
    return build(LlamaConfig, LlamaForCausalLM, 101, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                 num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128, rms_norm_eps=1e-5,
                 tie_word_embeddings=False)


def llama3_tiny():
    # Llama 3 style rope_scaling "llama3" (original context 32 so all three frequency bands occur),
    # head_dim 24 independent of hidden_size / heads (= 16), tied embeddings, attention and MLP biases.
    rope = {"rope_type": "llama3", "rope_theta": 500000.0, "factor": 8.0, "low_freq_factor": 1.0,
            "high_freq_factor": 4.0, "original_max_position_embeddings": 32}
    return build(LlamaConfig, LlamaForCausalLM, 202, hidden_size=64, intermediate_size=96, num_hidden_layers=2,
                 num_attention_heads=4, num_key_value_heads=1, head_dim=24, max_position_embeddings=256,
                 rms_norm_eps=1e-6, tie_word_embeddings=True, attention_bias=True, mlp_bias=True,
                 rope_parameters=rope)


def mistral_tiny():
    return build(MistralConfig, MistralForCausalLM, 303, hidden_size=64, intermediate_size=160, num_hidden_layers=2,
                 num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512, sliding_window=64,
                 rms_norm_eps=1e-5, tie_word_embeddings=False)


def qwen2_tiny():
    # Qwen2: q/k/v biases (o without), tied embeddings as the small Qwen2 checkpoints.
    return build(Qwen2Config, Qwen2ForCausalLM, 404, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                 num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256, rms_norm_eps=1e-6,
                 tie_word_embeddings=True, rope_parameters={"rope_type": "default", "rope_theta": 1000000.0})


def pythia_tiny():
    # Pythia: parallel attention + MLP, rotary on a quarter of each head, LayerNorm with bias, untied.
    return build(GPTNeoXConfig, GPTNeoXForCausalLM, 505, hidden_size=64, intermediate_size=256, num_hidden_layers=2,
                 num_attention_heads=4, max_position_embeddings=128, layer_norm_eps=1e-5, use_parallel_residual=True,
                 tie_word_embeddings=False, hidden_act="gelu",
                 rope_parameters={"rope_type": "default", "rope_theta": 10000.0, "partial_rotary_factor": 0.25})


def neox_sequential_tiny():
    # GPT-NeoX with sequential blocks and half-rotary heads.
    return build(GPTNeoXConfig, GPTNeoXForCausalLM, 606, hidden_size=48, intermediate_size=96, num_hidden_layers=2,
                 num_attention_heads=3, max_position_embeddings=64, layer_norm_eps=1e-5, use_parallel_residual=False,
                 tie_word_embeddings=False, hidden_act="gelu",
                 rope_parameters={"rope_type": "default", "rope_theta": 10000.0, "partial_rotary_factor": 0.5})


# ---------------------------------------------------------------------------------------------
# Folders


def reset_folder(path):
    if os.path.isdir(path):
        shutil.rmtree(path)
    os.makedirs(path)


def save_folder(model, folder, dtype=torch.float32):
    reset_folder(folder)
    copy.deepcopy(model).to(dtype).save_pretrained(folder)   # .to() is in place on modules
    for name in TOKENIZER_FILES:
        shutil.copy(os.path.join(TOKENIZER_SOURCE, name), os.path.join(folder, name))


def rewrite_config(folder, drop_keys=(), set_keys=None):
    path = os.path.join(folder, "config.json")
    with open(path, encoding="utf-8") as f:
        config = json.load(f)
    for key in drop_keys:
        config.pop(key, None)
    config.update(set_keys or {})
    with open(path, "w", encoding="utf-8") as f:
        json.dump(dict(sorted(config.items())), f, indent=2)
        f.write("\n")


def rename_tensors(folder, renames):
    """Renames checkpoint tensors, e.g. back to the names hub checkpoints carry."""
    path = os.path.join(folder, "model.safetensors")
    tensors = load_file(path)
    save_file({renames.get(k, k): v.contiguous() for k, v in tensors.items()}, path, metadata={"format": "pt"})


def write_two_shards(source_folder, folder, first_prefixes):
    reset_folder(folder)
    for name in os.listdir(source_folder):
        if name != "model.safetensors":
            shutil.copy(os.path.join(source_folder, name), os.path.join(folder, name))
    tensors = load_file(os.path.join(source_folder, "model.safetensors"))
    first = {k: v for k, v in tensors.items() if k.startswith(first_prefixes)}
    second = {k: v for k, v in tensors.items() if k not in first}
    assert first and second
    weight_map = {}
    for index, shard in enumerate([first, second], start=1):
        filename = f"model-{index:05d}-of-00002.safetensors"
        save_file(shard, os.path.join(folder, filename), metadata={"format": "pt"})
        weight_map.update({key: filename for key in shard})
    total_size = sum(t.numel() * t.element_size() for t in tensors.values())
    with open(os.path.join(folder, "model.safetensors.index.json"), "w", encoding="utf-8") as f:
        json.dump({"metadata": {"total_size": total_size}, "weight_map": dict(sorted(weight_map.items()))}, f, indent=2)
        f.write("\n")


def reload(model_class, folder, reference):
    """The folder loaded back in float32; checks HF found every weight (no silent random init)."""
    loaded = model_class.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager")
    loaded.eval()
    want = reference.state_dict()
    got = loaded.state_dict()
    for key, value in want.items():
        dtype = next(iter(load_dtype(folder)))
        assert torch.equal(got[key], value.to(dtype).to(torch.float32)), f"{folder}: {key} differs after reload"
    return loaded


def load_dtype(folder):
    dtypes = set()
    for name in os.listdir(folder):
        if name.endswith(".safetensors"):
            dtypes |= {t.dtype for t in load_file(os.path.join(folder, name)).values()}
    return dtypes


# ---------------------------------------------------------------------------------------------
# Capture


def close(a, b, what, tolerance=TOLERANCE):
    diff = (a - b).abs().max().item()
    scale = max(b.abs().max().item(), 1.0)
    assert diff < tolerance * scale, f"cross-check failed for {what}: max abs diff {diff}"


def norm_hooks(x, module, output, kind, what):
    """TransformerLens's hook_scale [pos, 1] and hook_normalized [pos, d] (before weight and bias)."""
    eps = module.variance_epsilon if kind == "rms" else module.eps
    if kind == "rms":
        scale = torch.sqrt(x.pow(2).mean(dim=-1, keepdim=True) + eps)
        normalized = x / scale
        close(normalized * module.weight, output, f"{what}: normalized * w vs HF RMSNorm")
    else:
        centered = x - x.mean(dim=-1, keepdim=True)
        scale = torch.sqrt(centered.pow(2).mean(dim=-1, keepdim=True) + eps)
        normalized = centered / scale
        close(normalized * module.weight + module.bias, output, f"{what}: normalized * w + b vs HF LayerNorm")
    return scale, normalized


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def apply_rotary(x, cos, sin, dims):
    """x [pos, head, d_head]; cos, sin [pos, dims]: rotate-half on the first dims, the rest unchanged."""
    rot, rest = x[..., :dims], x[..., dims:]
    rot = rot * cos[:, None, :] + rotate_half(rot) * sin[:, None, :]
    return torch.cat((rot, rest), dim=-1)


class Recorder:
    def __init__(self):
        self.captured = {}
        self.handles = []

    def output(self, module, name):
        def hook(_module, _args, output):
            self.captured[name] = (output[0] if isinstance(output, tuple) else output).detach().clone()
        self.handles.append(module.register_forward_hook(hook))

    def input(self, module, name):
        def hook(_module, args):
            assert args, f"{name}: module called without positional input"
            self.captured[name] = args[0].detach().clone()
        self.handles.append(module.register_forward_pre_hook(hook))

    def remove(self):
        for handle in self.handles:
            handle.remove()


class Family:
    """Where each family keeps the parts the hooks read."""

    def __init__(self, model):
        self.model = model
        config = model.config
        self.neox = config.model_type == "gpt_neox"
        self.n_layers = config.num_hidden_layers
        self.n_heads = config.num_attention_heads
        self.n_kv = self.n_heads if self.neox else config.num_key_value_heads
        self.d_model = config.hidden_size
        self.d_head = getattr(config, "head_dim", None) or self.d_model // self.n_heads
        if self.neox:
            base = model.gpt_neox
            self.embed, self.layers, self.final_norm = base.embed_in, base.layers, base.final_layer_norm
            self.rotary_emb = base.rotary_emb
            self.parallel = config.use_parallel_residual
            self.norm_kind = "ln"
            self.unembed = model.lm_head     # transformers 5 loads Pythia's `embed_out.weight` into lm_head
        else:
            base = model.model
            self.embed, self.layers, self.final_norm = base.embed_tokens, base.layers, base.norm
            self.rotary_emb = base.rotary_emb
            self.parallel = False
            self.norm_kind = "rms"
            self.unembed = model.lm_head
        self.gated = not self.neox

    def attn(self, layer):
        return layer.attention if self.neox else layer.self_attn

    def out_proj(self, layer):
        return self.attn(layer).dense if self.neox else self.attn(layer).o_proj


def run_and_capture(model, token_ids):
    f = Family(model)
    t, H, K, dh = len(token_ids), f.n_heads, f.n_kv, f.d_head
    rec = Recorder()
    rec.output(f.embed, "hook_embed")
    for l, layer in enumerate(f.layers):
        p = f"blocks.{l}"
        attn = f.attn(layer)
        rec.output(layer.input_layernorm, f"{p}.ln1.out")
        if f.neox:
            rec.output(attn.query_key_value, f"{p}.qkv")
        else:
            rec.output(attn.q_proj, f"{p}.q")
            rec.output(attn.k_proj, f"{p}.k")
            rec.output(attn.v_proj, f"{p}.v")
        rec.input(f.out_proj(layer), f"{p}.z_flat")
        rec.output(f.out_proj(layer), f"{p}.attn_out")
        rec.input(layer.post_attention_layernorm, f"{p}.ln2.in")
        rec.output(layer.post_attention_layernorm, f"{p}.ln2.out")
        if f.gated:
            rec.output(layer.mlp.gate_proj, f"{p}.mlp.pre")
            rec.output(layer.mlp.up_proj, f"{p}.mlp.pre_linear")
            rec.input(layer.mlp.down_proj, f"{p}.mlp.post")
            rec.output(layer.mlp.down_proj, f"{p}.mlp_out")
        else:
            rec.output(layer.mlp.dense_h_to_4h, f"{p}.mlp.pre")
            rec.input(layer.mlp.dense_4h_to_h, f"{p}.mlp.post")
            rec.output(layer.mlp.dense_4h_to_h, f"{p}.mlp_out")
    rec.input(f.final_norm, "ln_final.in")
    rec.output(f.final_norm, "ln_final.out")
    with torch.no_grad():
        outputs = model(torch.tensor([token_ids]), output_hidden_states=True, output_attentions=True)
        position_ids = torch.arange(t)[None, :]
        cos, sin = f.rotary_emb(torch.zeros(1, t, dh), position_ids)
    rec.remove()
    raw = {k: v[0] if v.dim() == 3 else v for k, v in rec.captured.items()}
    cos, sin = cos[0], sin[0]
    rot_dims = cos.shape[-1]
    hooks = {"hook_embed": raw["hook_embed"]}
    causal = torch.tril(torch.ones(t, t, dtype=torch.bool))
    for l, layer in enumerate(f.layers):
        p = f"blocks.{l}"
        resid_pre = outputs.hidden_states[l][0]
        hooks[f"{p}.hook_resid_pre"] = resid_pre
        hooks[f"{p}.ln1.hook_scale"], hooks[f"{p}.ln1.hook_normalized"] = norm_hooks(
            resid_pre, layer.input_layernorm, raw[f"{p}.ln1.out"], f.norm_kind, f"{p}.ln1")
        if f.neox:
            fused = raw[f"{p}.qkv"].reshape(t, H, 3 * dh)   # per head: q | k | v
            q, k, v = fused[..., :dh], fused[..., dh:2 * dh], fused[..., 2 * dh:]
        else:
            q = raw[f"{p}.q"].reshape(t, H, dh)
            k = raw[f"{p}.k"].reshape(t, K, dh)
            v = raw[f"{p}.v"].reshape(t, K, dh)
        hooks[f"{p}.attn.hook_q"], hooks[f"{p}.attn.hook_k"], hooks[f"{p}.attn.hook_v"] = q, k, v
        rot_q, rot_k = apply_rotary(q, cos, sin, rot_dims), apply_rotary(k, cos, sin, rot_dims)
        hooks[f"{p}.attn.hook_rot_q"], hooks[f"{p}.attn.hook_rot_k"] = rot_q, rot_k
        k_rep = rot_k.repeat_interleave(H // K, dim=1)
        v_rep = v.repeat_interleave(H // K, dim=1)
        scores = torch.einsum("qhd,khd->hqk", rot_q, k_rep) / math.sqrt(dh)
        scores = scores.masked_fill(~causal, float("-inf"))
        hooks[f"{p}.attn.hook_attn_scores"] = scores
        pattern = outputs.attentions[l][0]
        close(torch.softmax(scores, dim=-1), pattern, f"{p} softmax(rotated scores) vs HF attention weights")
        hooks[f"{p}.attn.hook_pattern"] = pattern
        z = raw[f"{p}.z_flat"].reshape(t, H, dh)
        close(torch.einsum("hqk,khd->qhd", pattern, v_rep), z, f"{p} pattern @ v vs z")
        hooks[f"{p}.attn.hook_z"] = z
        w_o = f.out_proj(layer).weight.detach().T.reshape(H, dh, f.d_model)
        result = torch.einsum("qhd,hdm->qhm", z, w_o)
        hooks[f"{p}.attn.hook_result"] = result
        attn_out = raw[f"{p}.attn_out"]
        out_bias = f.out_proj(layer).bias
        close(result.sum(dim=1) + (out_bias if out_bias is not None else 0), attn_out, f"{p} sum(result) + b_O")
        hooks[f"{p}.hook_attn_out"] = attn_out
        ln2_in = raw[f"{p}.ln2.in"]
        if f.parallel:
            close(ln2_in, resid_pre, f"{p} parallel block: ln2 reads resid_pre")
        else:
            close(resid_pre + attn_out, ln2_in, f"{p} resid_pre + attn_out vs resid_mid")
            hooks[f"{p}.hook_resid_mid"] = ln2_in
        hooks[f"{p}.ln2.hook_scale"], hooks[f"{p}.ln2.hook_normalized"] = norm_hooks(
            ln2_in, layer.post_attention_layernorm, raw[f"{p}.ln2.out"], f.norm_kind, f"{p}.ln2")
        hooks[f"{p}.mlp.hook_pre"] = raw[f"{p}.mlp.pre"]
        if f.gated:
            hooks[f"{p}.mlp.hook_pre_linear"] = raw[f"{p}.mlp.pre_linear"]
            close(torch.nn.functional.silu(raw[f"{p}.mlp.pre"]) * raw[f"{p}.mlp.pre_linear"], raw[f"{p}.mlp.post"],
                  f"{p} silu(pre) * pre_linear vs post")
        hooks[f"{p}.mlp.hook_post"] = raw[f"{p}.mlp.post"]
        mlp_out = raw[f"{p}.mlp_out"]
        hooks[f"{p}.hook_mlp_out"] = mlp_out
        resid_post = outputs.hidden_states[l + 1][0] if l + 1 < f.n_layers else raw["ln_final.in"]
        base = resid_pre + attn_out if f.parallel else ln2_in
        close(base + mlp_out, resid_post, f"{p} resid_post")
        hooks[f"{p}.hook_resid_post"] = resid_post
    hooks["ln_final.hook_scale"], hooks["ln_final.hook_normalized"] = norm_hooks(
        raw["ln_final.in"], f.final_norm, raw["ln_final.out"], f.norm_kind, "ln_final")
    logits = outputs.logits[0]
    unembed_bias = getattr(f.unembed, "bias", None)
    close(raw["ln_final.out"] @ f.unembed.weight.T + (unembed_bias if unembed_bias is not None else 0), logits,
          "unembed(ln_final output) vs logits")
    hooks["logits"] = logits
    return {name: tensor.detach().to(torch.float32) for name, tensor in hooks.items()}


# ---------------------------------------------------------------------------------------------
# Cases


def save_npy(folder, name, tensor):
    np.save(os.path.join(folder, f"{name}.npy"), np.ascontiguousarray(tensor.numpy().astype(np.float32)))


def next_token_reference(model, token_ids):
    with torch.no_grad():
        logits = model(torch.tensor([token_ids])).logits[0, -1]
    log_probs = torch.log_softmax(logits.to(torch.float64), dim=-1)
    values = logits.tolist()
    order = sorted(range(len(values)), key=lambda i: (-values[i], i))[:NEXT_TOKEN_TOP_K]
    return {"plain": {"token_ids": token_ids, "top_k": [
        {"token_id": i, "logit": values[i], "prob": math.exp(float(log_probs[i]))} for i in order]}}


def residual_hook_names(n_layers):
    return ["hook_embed"] + [f"blocks.{l}.hook_resid_post" for l in range(n_layers)] + [
        "ln_final.hook_normalized", "logits"]


def write_case(model_name, case_name, model, tokenizer, prompt, hook_set):
    token_ids = tokenizer.encode(prompt).ids
    hooks = run_and_capture(model, token_ids)
    names = list(hooks) if hook_set == "all" else residual_hook_names(model.config.num_hidden_layers)
    folder = os.path.join(CASES_DIR, model_name, case_name)
    reset_folder(folder)
    meta = {"model": model_name, "prompt": prompt, "token_ids": token_ids,
            "tokens": [tokenizer.id_to_token(i) for i in token_ids], "hooks": names}
    with open(os.path.join(folder, "meta.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2, ensure_ascii=False)
        f.write("\n")
    for name in names:
        save_npy(folder, name, hooks[name])
    with open(os.path.join(folder, "next_token.json"), "w", encoding="utf-8") as f:
        json.dump(next_token_reference(model, token_ids), f, indent=1)
        f.write("\n")
    print(f"{model_name}/{case_name}: {len(token_ids)} tokens, {len(names)} hooks")


def main():
    tokenizer = Tokenizer.from_file(os.path.join(TOKENIZER_SOURCE, "tokenizer.json"))
    plan = [
        # name, builder, model class, config rewrite (transformers 4.x style) or None
        ("llama-tiny", llama_tiny, LlamaForCausalLM, None),
        ("llama3-tiny", llama3_tiny, LlamaForCausalLM, None),
        # Mistral as transformers 4.x wrote it: rope_theta at the top level, no head_dim.
        ("mistral-tiny", mistral_tiny, MistralForCausalLM,
         {"drop": ["rope_parameters", "head_dim"], "set": {"rope_theta": 10000.0}}),
        ("qwen2-tiny", qwen2_tiny, Qwen2ForCausalLM, None),
        # Pythia as transformers 4.x wrote it: rotary_pct and rotary_emb_base, the unembedding named
        # `embed_out.weight` as in the hub's Pythia checkpoints.
        ("pythia-tiny", pythia_tiny, GPTNeoXForCausalLM,
         {"drop": ["rope_parameters"], "set": {"rotary_pct": 0.25, "rotary_emb_base": 10000},
          "rename": {"lm_head.weight": "embed_out.weight"}}),
        ("neox-seq-tiny", neox_sequential_tiny, GPTNeoXForCausalLM, None),
    ]
    for name, builder, model_class, rewrite in plan:
        model = builder()
        folder = os.path.join(MODELS_DIR, name)
        save_folder(model, folder)
        if rewrite:
            rewrite_config(folder, rewrite["drop"], rewrite["set"])
            rename_tensors(folder, rewrite.get("rename", {}))
        reloaded = reload(model_class, folder, model)
        for case_name, prompt in PROMPTS.items():
            write_case(name, case_name, reloaded, tokenizer, prompt, "all")
        if name == "llama-tiny":
            bf16 = os.path.join(MODELS_DIR, "llama-tiny-bf16")
            save_folder(model, bf16, dtype=torch.bfloat16)
            assert load_dtype(bf16) == {torch.bfloat16}
            write_case("llama-tiny-bf16", "ascii_sentence", reload(model_class, bf16, model), tokenizer,
                       PROMPTS["ascii_sentence"], "residual")
            sharded = os.path.join(MODELS_DIR, "llama-tiny-sharded")
            write_two_shards(folder, sharded, ("model.embed_tokens", "model.layers.0."))
            write_case("llama-tiny-sharded", "ascii_sentence", reload(model_class, sharded, model), tokenizer,
                       PROMPTS["ascii_sentence"], "residual")


if __name__ == "__main__":
    main()
