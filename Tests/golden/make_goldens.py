"""Generate the reference data Mechscope's Swift GPT-2 engine is tested against.

Run from anywhere with the pinned venv (Tests/golden/requirements.txt):
    /work/venv/bin/python Tests/golden/make_goldens.py

Writes (deterministically: fixed seeds, one thread, no network):
    Tests/golden/models/<model>/   Hugging Face folders (config, safetensors, tokenizer files)
    Tests/golden/cases/<model>/<case>/   meta.json + one float32 .npy per TransformerLens hook name
                                         + next_token.json (what `mechscope run` must print)
See Tests/golden/cases/README.md for the layout and conventions.
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
from transformers import AutoTokenizer, GPT2Config, GPT2LMHeadModel
from transformers.utils import logging as hf_logging

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from byte_level_bpe import save_gpt2_tokenizer_files, train_byte_level_bpe  # noqa: E402
from golden_corpus import golden_corpus  # noqa: E402

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)
hf_logging.set_verbosity_error()
hf_logging.disable_progress_bar()

GOLDEN_DIR = os.path.dirname(os.path.abspath(__file__))
MODELS_DIR = os.path.join(GOLDEN_DIR, "models")
CASES_DIR = os.path.join(GOLDEN_DIR, "cases")
VOCAB_SIZE = 512
TOLERANCE = 1e-5

PROMPTS = {
    "ascii_sentence": "The quick brown fox.",
    "unicode_mixed": "Café 東京🙂!",
    "spaces_runs": "   two  spaces   three ",
    "newlines_tabs": "def f(a):\n\treturn a\n\n#\t1",
}
# Text long enough that a prefix of it encodes to exactly gpt2-tiny-b's n_positions tokens.
MAX_CONTEXT_SOURCE = (
    "It was a bright cold day in April, and the clocks were striking thirteen. "
    "The river ran quietly past the old mill while children played on the bridge."
)

# gpt2-tiny-c's prompt: a prefix of this text that encodes to exactly LONG_PROMPT_TOKENS tokens, more
# than one attention query block (128) so both blocks of every attention product are exercised.
LONG_PROMPT_SOURCE = " ".join([MAX_CONTEXT_SOURCE] * 4) + " " + PROMPTS["newlines_tabs"] + " " + PROMPTS["ascii_sentence"]
LONG_PROMPT_TOKENS = 230
# The long case stores every hook at these positions only (query rows of [head, query, key] hooks,
# first-axis rows of the others; keys stay complete): both sides of the 128-row block boundary, the
# first rows and the last. The full arrays would be ~1 MB.
LONG_PROMPT_POSITIONS = [0, 1, 2, 63, 126, 127, 128, 129, 130, 191, 228, 229]
NEXT_TOKEN_TOP_K = 10

# Which hooks each case records. "all" is every TransformerLens hook; "residual" is the embeddings,
# each layer's hook_resid_post, ln_final.hook_normalized and logits -- enough to check loading and
# tokenisation end to end while keeping the tree small (the full dumps dominate its size).
# "rows" is every hook at LONG_PROMPT_POSITIONS. The first gpt2-tiny-a case is the one the
# intervention goldens use.
CASE_PLAN = {
    "gpt2-tiny-a": {"ascii_sentence": "all", "newlines_tabs": "all", "unicode_mixed": "residual", "spaces_runs": "residual"},
    "gpt2-tiny-b": {"max_context": "all", "unicode_mixed": "residual", "newlines_tabs": "residual"},
    "gpt2-tiny-a-f16": {"unicode_mixed": "residual"},
    "gpt2-tiny-a-bf16": {"unicode_mixed": "residual"},
    "gpt2-tiny-a-sharded": {"unicode_mixed": "residual"},
    "gpt2-tiny-c": {"long_prompt": "rows"},
}


def seeded_normal(generator, shape, std):
    return torch.randn(shape, generator=generator) * std


def randomize_norms_and_biases(model, seed, ln_weight_spread, ln_bias_std, bias_std):
    """HF init sets LayerNorm weight=1, bias=0 and linear biases=0; random values make bugs visible."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if ".ln_" in name or name.startswith("transformer.ln_f"):
                if name.endswith(".weight"):
                    parameter.copy_(1.0 + (torch.rand(parameter.shape, generator=generator) * 2 - 1) * ln_weight_spread)
                else:
                    parameter.copy_(seeded_normal(generator, parameter.shape, ln_bias_std))
            elif name.endswith(".bias"):
                parameter.copy_(seeded_normal(generator, parameter.shape, bias_std))


def build_model(seed, **config_fields):
    config = GPT2Config(
        vocab_size=VOCAB_SIZE,
        bos_token_id=VOCAB_SIZE - 1,
        eos_token_id=VOCAB_SIZE - 1,
        resid_pdrop=0.0,
        embd_pdrop=0.0,
        attn_pdrop=0.0,
        **config_fields,
    )
    torch.manual_seed(seed)
    model = GPT2LMHeadModel(config)
    model.eval()
    return model


def build_tiny_a():
    # initializer_range 0.15 (instead of 0.02) gives peaked, non-uniform attention patterns and
    # MLP pre-activations well inside GELU's curved region, so scaling or activation bugs show.
    model = build_model(
        seed=1234,
        n_layer=2, n_embd=64, n_head=4, n_positions=64,
        activation_function="gelu_new", layer_norm_epsilon=1e-5, initializer_range=0.15,
    )
    randomize_norms_and_biases(model, seed=99, ln_weight_spread=0.1, ln_bias_std=0.05, bias_std=0.05)
    return model


def build_tiny_b():
    model = build_model(
        seed=5678,
        n_layer=3, n_embd=60, n_head=5, n_positions=32,
        activation_function="gelu", layer_norm_epsilon=1e-6, initializer_range=0.15,
    )
    randomize_norms_and_biases(model, seed=77, ln_weight_spread=0.5, ln_bias_std=0.2, bias_std=0.2)
    return model


def build_tiny_c():
    # Context 256 for a prompt longer than one attention query block; n_inner 2·n_embd (not 4·) keeps
    # the folder small and exercises a config's n_inner.
    model = build_model(
        seed=4321,
        n_layer=2, n_embd=32, n_head=2, n_positions=256, n_inner=64,
        activation_function="gelu_new", layer_norm_epsilon=1e-5, initializer_range=0.15,
    )
    randomize_norms_and_biases(model, seed=55, ln_weight_spread=0.2, ln_bias_std=0.1, bias_std=0.1)
    return model


def reset_folder(path):
    if os.path.isdir(path):
        shutil.rmtree(path)
    os.makedirs(path)


def save_model_folder(model, folder, tokenizer):
    reset_folder(folder)
    model.save_pretrained(folder)
    save_gpt2_tokenizer_files(tokenizer, folder, model.config.n_positions)


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


def strip_transformer_prefix(folder, n_layer, n_positions):
    """Re-save like the original gpt2 hub checkpoint: no `transformer.` prefix, plus the causal-mask
    buffers `h.N.attn.bias` ([1, 1, n_positions, n_positions] float32) that such checkpoints carry and
    a loader must not mistake for the c_attn bias."""
    path = os.path.join(folder, "model.safetensors")
    tensors = load_file(path)
    renamed = {}
    for key, tensor in tensors.items():
        assert key.startswith("transformer."), f"unexpected key {key}"
        renamed[key[len("transformer."):]] = tensor.contiguous()
    mask = torch.tril(torch.ones(n_positions, n_positions, dtype=torch.float32)).view(1, 1, n_positions, n_positions)
    for layer in range(n_layer):
        renamed[f"h.{layer}.attn.bias"] = mask.clone()
    save_file(renamed, path, metadata={"format": "pt"})


def write_two_shards(source_folder, folder):
    """Copies source_folder with its single safetensors file split into two shards plus an index."""
    reset_folder(folder)
    for name in os.listdir(source_folder):
        if name != "model.safetensors":
            shutil.copy(os.path.join(source_folder, name), os.path.join(folder, name))
    tensors = load_file(os.path.join(source_folder, "model.safetensors"))
    first = {k: v for k, v in tensors.items() if k.startswith(("transformer.wte", "transformer.wpe", "transformer.h.0."))}
    second = {k: v for k, v in tensors.items() if k not in first}
    assert first and second
    weight_map = {}
    for index, shard in enumerate([first, second], start=1):
        filename = f"model-{index:05d}-of-00002.safetensors"
        save_file(shard, os.path.join(folder, filename), metadata={"format": "pt"})
        weight_map.update({key: filename for key in shard})
    total_size = sum(t.numel() * t.element_size() for t in tensors.values())
    index_json = {"metadata": {"total_size": total_size}, "weight_map": dict(sorted(weight_map.items()))}
    with open(os.path.join(folder, "model.safetensors.index.json"), "w", encoding="utf-8") as f:
        json.dump(index_json, f, indent=2)
        f.write("\n")


def load_float32(folder):
    model = GPT2LMHeadModel.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager")
    model.eval()
    return model


def assert_weights_match(loaded, expected_state, expected_dtype, folder):
    """Guards against HF silently random-initialising weights it failed to find in the folder."""
    loaded_state = loaded.state_dict()
    for key, value in expected_state.items():
        want = value.to(expected_dtype).to(torch.float32)
        got = loaded_state[key]
        assert torch.equal(got, want), f"{folder}: weight {key} differs after reload"
    assert torch.equal(loaded_state["lm_head.weight"], loaded_state["transformer.wte.weight"]), "lm_head not tied"


def close(a, b, what):
    diff = (a - b).abs().max().item()
    assert diff < TOLERANCE, f"cross-check failed for {what}: max abs diff {diff}"


def layer_norm_hooks(x, layer_norm, hf_output, what):
    """TransformerLens LayerNorm hooks for input x: hook_scale = sqrt(biased var + eps) [pos, 1] and
    hook_normalized = (x - mean) / scale [pos, d_model], which TransformerLens records BEFORE the
    weight and bias are applied. Checks that normalized * w + b reproduces HF's LayerNorm output."""
    centered = x - x.mean(dim=-1, keepdim=True)
    scale = torch.sqrt(centered.pow(2).mean(dim=-1, keepdim=True) + layer_norm.eps)
    normalized = centered / scale
    close(normalized * layer_norm.weight + layer_norm.bias, hf_output, f"{what}: normalized * w + b vs HF LayerNorm")
    return scale, normalized


def reference_activation(name, x):
    if name == "gelu_new":
        return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x.pow(3))))
    if name == "gelu":
        return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))
    raise ValueError(f"no reference for activation {name}")


class HookRecorder:
    """Registers PyTorch hooks on an HF GPT2LMHeadModel and captures the tensors TransformerLens names."""

    def __init__(self, model):
        self.model = model
        self.captured = {}
        self.handles = []
        transformer = model.transformer
        self._on_output(transformer.wte, "hook_embed")
        self._on_output(transformer.wpe, "hook_pos_embed")
        for layer, block in enumerate(transformer.h):
            prefix = f"blocks.{layer}"
            self._on_input(block, f"{prefix}.hook_resid_pre")
            self._on_output(block, f"{prefix}.hook_resid_post")
            self._on_output(block.ln_1, f"{prefix}.ln1.hf_output")
            self._on_output(block.attn.c_attn, f"{prefix}.attn.c_attn_out")
            self._on_output(block.attn, f"{prefix}.attn.hf_outputs")
            self._on_input(block.attn.c_proj, f"{prefix}.attn.z_flat")
            self._on_input(block.ln_2, f"{prefix}.hook_resid_mid")
            self._on_output(block.ln_2, f"{prefix}.ln2.hf_output")
            self._on_output(block.mlp.c_fc, f"{prefix}.mlp.hook_pre")
            self._on_output(block.mlp.act, f"{prefix}.mlp.hook_post")
            self._on_output(block.mlp, f"{prefix}.hook_mlp_out")
        self._on_input(transformer.ln_f, "ln_final.input")
        self._on_output(transformer.ln_f, "ln_final.hf_output")

    def _on_output(self, module, name):
        keep_tuple = name.endswith(".hf_outputs")  # GPT2Attention returns (attn_output, attn_weights)

        def hook(_module, _args, output):
            if keep_tuple:
                self.captured[name] = tuple(value.detach().clone() for value in output)
            else:
                tensor = output[0] if isinstance(output, tuple) else output
                self.captured[name] = tensor.detach().clone()
        self.handles.append(module.register_forward_hook(hook))

    def _on_input(self, module, name):
        def hook(_module, args):
            self.captured[name] = args[0].detach().clone()
        self.handles.append(module.register_forward_pre_hook(hook))

    def remove(self):
        for handle in self.handles:
            handle.remove()


def run_and_capture(model, token_ids):
    """Runs the model once and returns {TransformerLens hook name: float32 tensor without batch dim}."""
    config = model.config
    n_head = config.n_head
    d_model = config.n_embd
    d_head = d_model // n_head
    recorder = HookRecorder(model)
    with torch.no_grad():
        outputs = model(torch.tensor([token_ids]), output_hidden_states=True, output_attentions=True)
    recorder.remove()
    raw = recorder.captured
    positions = len(token_ids)
    hooks = {"hook_embed": raw["hook_embed"][0], "hook_pos_embed": raw["hook_pos_embed"][0]}
    wte = model.transformer.wte.weight.detach()
    close(hooks["hook_embed"], wte[token_ids], "hook_embed vs wte rows")
    causal = torch.tril(torch.ones(positions, positions, dtype=torch.bool))
    for layer, block in enumerate(model.transformer.h):
        p = f"blocks.{layer}"
        resid_pre = raw[f"{p}.hook_resid_pre"][0]
        hooks[f"{p}.hook_resid_pre"] = resid_pre
        ln1_out = raw[f"{p}.ln1.hf_output"][0]
        hooks[f"{p}.ln1.hook_scale"], hooks[f"{p}.ln1.hook_normalized"] = layer_norm_hooks(resid_pre, block.ln_1, ln1_out, f"{p}.ln1")
        q, k, v = raw[f"{p}.attn.c_attn_out"][0].split(d_model, dim=-1)
        q = q.reshape(positions, n_head, d_head)
        k = k.reshape(positions, n_head, d_head)
        v = v.reshape(positions, n_head, d_head)
        hooks[f"{p}.attn.hook_q"], hooks[f"{p}.attn.hook_k"], hooks[f"{p}.attn.hook_v"] = q, k, v
        scores = torch.einsum("qhd,khd->hqk", q, k) / math.sqrt(d_head)
        scores = scores.masked_fill(~causal, float("-inf"))
        hooks[f"{p}.attn.hook_attn_scores"] = scores
        pattern = raw[f"{p}.attn.hf_outputs"][1][0]
        close(torch.softmax(scores, dim=-1), pattern, f"{p} softmax(scores) vs HF attention weights")
        close(pattern, outputs.attentions[layer][0], f"{p} pattern vs output_attentions")
        assert torch.all(pattern[:, ~causal] == 0), f"{p}: pattern above the diagonal is not exactly zero"
        hooks[f"{p}.attn.hook_pattern"] = pattern
        z = raw[f"{p}.attn.z_flat"][0].reshape(positions, n_head, d_head)
        close(torch.einsum("hqk,khd->qhd", pattern, v), z, f"{p} pattern @ v vs hook_z")
        hooks[f"{p}.attn.hook_z"] = z
        w_o = block.attn.c_proj.weight.detach().reshape(n_head, d_head, d_model)
        result = torch.einsum("qhd,hdm->qhm", z, w_o)
        hooks[f"{p}.attn.hook_result"] = result
        attn_out = raw[f"{p}.attn.hf_outputs"][0][0]
        close(result.sum(dim=1) + block.attn.c_proj.bias, attn_out, f"{p} sum(hook_result) + b_O vs attn_out")
        hooks[f"{p}.hook_attn_out"] = attn_out
        resid_mid = raw[f"{p}.hook_resid_mid"][0]
        close(resid_pre + attn_out, resid_mid, f"{p} resid_pre + attn_out vs resid_mid")
        hooks[f"{p}.hook_resid_mid"] = resid_mid
        ln2_out = raw[f"{p}.ln2.hf_output"][0]
        hooks[f"{p}.ln2.hook_scale"], hooks[f"{p}.ln2.hook_normalized"] = layer_norm_hooks(resid_mid, block.ln_2, ln2_out, f"{p}.ln2")
        mlp_pre = raw[f"{p}.mlp.hook_pre"][0]
        mlp_post = raw[f"{p}.mlp.hook_post"][0]
        close(reference_activation(config.activation_function, mlp_pre), mlp_post, f"{p} activation formula")
        hooks[f"{p}.mlp.hook_pre"], hooks[f"{p}.mlp.hook_post"] = mlp_pre, mlp_post
        mlp_out = raw[f"{p}.hook_mlp_out"][0]
        hooks[f"{p}.hook_mlp_out"] = mlp_out
        resid_post = raw[f"{p}.hook_resid_post"][0]
        close(resid_mid + mlp_out, resid_post, f"{p} resid_mid + mlp_out vs resid_post")
        hooks[f"{p}.hook_resid_post"] = resid_post
        # hidden_states[0] is the embedding sum; hidden_states[l] (0 < l < n_layer) is block l-1's output.
        close(outputs.hidden_states[layer][0], resid_pre, f"{p} hidden_states[{layer}] vs resid_pre")
    final_resid = raw["ln_final.input"][0]
    close(final_resid, hooks[f"blocks.{config.n_layer - 1}.hook_resid_post"], "ln_f input vs last resid_post")
    ln_f_out = raw["ln_final.hf_output"][0]
    hooks["ln_final.hook_scale"], hooks["ln_final.hook_normalized"] = layer_norm_hooks(
        final_resid, model.transformer.ln_f, ln_f_out, "ln_final")
    # HF's last hidden state is taken AFTER ln_f (weight and bias applied).
    assert len(outputs.hidden_states) == config.n_layer + 1
    close(outputs.hidden_states[-1][0], ln_f_out, "last hidden state vs ln_f output")
    logits = outputs.logits[0]
    close(ln_f_out @ wte.T, logits, "unembed(ln_f output) vs HF logits")
    hooks["logits"] = logits
    close(hooks["blocks.0.hook_resid_pre"], hooks["hook_embed"] + hooks["hook_pos_embed"], "embed + pos_embed vs resid_pre 0")
    return {name: tensor.detach().to(torch.float32) for name, tensor in hooks.items()}


def save_npy(folder, name, tensor):
    array = np.ascontiguousarray(tensor.numpy().astype(np.float32))
    np.save(os.path.join(folder, f"{name}.npy"), array)


def rows_at(name, tensor, positions):
    """The given positions' rows of a hook: the query axis of [head, query, key], else the first axis."""
    index = torch.tensor(positions)
    if name.endswith(("hook_attn_scores", "hook_pattern")):
        return tensor[:, index, :]
    return tensor[index]


def next_token_reference(model, token_ids, bos_id):
    """What `mechscope run` must report: the last position's top-k tokens by logit with their
    probabilities (softmax in float64 of HF's float32 logits), without and with a BOS token first."""
    def top_k(ids):
        with torch.no_grad():
            logits = model(torch.tensor([ids])).logits[0, -1]
        log_probs = torch.log_softmax(logits.to(torch.float64), dim=-1)
        values = logits.tolist()
        order = sorted(range(len(values)), key=lambda i: (-values[i], i))[:NEXT_TOKEN_TOP_K]
        return {"token_ids": ids,
                "top_k": [{"token_id": i, "logit": values[i], "prob": math.exp(float(log_probs[i]))} for i in order]}
    fits_bos = len(token_ids) < model.config.n_positions
    return {"plain": top_k(token_ids), "prepend_bos": top_k([bos_id] + token_ids) if fits_bos else None}


def write_case(case_folder, model_name, model, tokenizer, prompt, token_ids, hooks, hook_names, positions=None):
    reset_folder(case_folder)
    config = model.config
    meta = {
        "model": model_name,
        "prompt": prompt,
        "token_ids": token_ids,
        "tokens": tokenizer.convert_ids_to_tokens(token_ids),
        "n_layer": config.n_layer,
        "n_head": config.n_head,
        "d_head": config.n_embd // config.n_head,
        "d_model": config.n_embd,
        "d_mlp": 4 * config.n_embd if config.n_inner is None else config.n_inner,
        "n_ctx": config.n_positions,
        "d_vocab": config.vocab_size,
        "act_fn": config.activation_function,
        "layer_norm_epsilon": config.layer_norm_epsilon,
        "hooks": hook_names,
    }
    if positions is not None:
        meta["positions"] = positions
    with open(os.path.join(case_folder, "meta.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2, ensure_ascii=False)
        f.write("\n")
    for name in hook_names:
        save_npy(case_folder, name, hooks[name] if positions is None else rows_at(name, hooks[name], positions))
    with open(os.path.join(case_folder, "next_token.json"), "w", encoding="utf-8") as f:
        json.dump(next_token_reference(model, token_ids, config.bos_token_id), f, indent=1)
        f.write("\n")


def residual_hook_names(n_layer):
    names = ["hook_embed", "hook_pos_embed"]
    names += [f"blocks.{layer}.hook_resid_post" for layer in range(n_layer)]
    return names + ["ln_final.hook_normalized", "logits"]


def logits_with_pre_hook(model, token_ids, module, pre_hook):
    handle = module.register_forward_pre_hook(pre_hook)
    try:
        with torch.no_grad():
            return model(torch.tensor([token_ids])).logits[0]
    finally:
        handle.remove()


def write_interventions(case_folder, model, token_ids, clean_logits):
    """Zero-ablation of L0H1's hook_z and additive steering at blocks.1.hook_resid_pre."""
    folder = os.path.join(case_folder, "interventions")
    os.makedirs(folder)
    n_head = model.config.n_head
    d_head = model.config.n_embd // n_head
    head = 1

    def ablate(_module, args):
        z = args[0].clone()
        z[..., head * d_head:(head + 1) * d_head] = 0
        return (z,) + tuple(args[1:])

    ablated = logits_with_pre_hook(model, token_ids, model.transformer.h[0].attn.c_proj, ablate)
    generator = torch.Generator().manual_seed(2024)
    steer = torch.randn(model.config.n_embd, generator=generator)
    steer = steer / steer.norm() * 5.0

    def add_vector(_module, args):
        return (args[0] + steer,) + tuple(args[1:])

    steered = logits_with_pre_hook(model, token_ids, model.transformer.h[1], add_vector)
    assert (ablated - clean_logits).abs().max() > 1e-3, "ablation had no visible effect"
    assert (steered - clean_logits).abs().max() > 1e-3, "steering had no visible effect"
    save_npy(folder, "ablate_L0H1_logits", ablated)
    save_npy(folder, "steer_L1_logits", steered)
    save_npy(folder, "steer_vector", steer)
    description = {
        "ablate_L0H1_logits.npy": {
            "kind": "zero_ablation",
            "hook": "blocks.0.attn.hook_z",
            "layer": 0,
            "head": head,
            "positions": "all",
            "description": "logits [pos, d_vocab] after setting hook_z[:, 1, :] = 0 in layer 0 (before c_proj, so b_O is still added)",
        },
        "steer_L1_logits.npy": {
            "kind": "add_vector",
            "hook": "blocks.1.hook_resid_pre",
            "vector": "steer_vector.npy",
            "vector_norm": 5.0,
            "vector_seed": 2024,
            "positions": "all",
            "description": "logits [pos, d_vocab] after adding steer_vector [d_model] to the residual stream entering block 1 at every position",
        },
    }
    with open(os.path.join(folder, "interventions.json"), "w", encoding="utf-8") as f:
        json.dump(description, f, indent=2)
        f.write("\n")


def prefix_with_tokens(tokenizer, source, count):
    """Longest character prefix of source that encodes to exactly count tokens."""
    best = None
    for end in range(1, len(source) + 1):
        if len(tokenizer.encode(source[:end]).ids) == count:
            best = source[:end]
    assert best is not None, f"no prefix encodes to {count} tokens"
    return best


def main():
    tokenizer = train_byte_level_bpe(golden_corpus(), VOCAB_SIZE)
    assert tokenizer.get_vocab_size() == VOCAB_SIZE
    tiny_a = build_tiny_a()
    tiny_b = build_tiny_b()
    tiny_c = build_tiny_c()
    folders = {name: os.path.join(MODELS_DIR, name) for name in
               ["gpt2-tiny-a", "gpt2-tiny-b", "gpt2-tiny-a-f16", "gpt2-tiny-a-bf16", "gpt2-tiny-a-sharded", "gpt2-tiny-c"]}
    save_model_folder(tiny_a, folders["gpt2-tiny-a"], tokenizer)
    save_model_folder(tiny_b, folders["gpt2-tiny-b"], tokenizer)
    strip_transformer_prefix(folders["gpt2-tiny-b"], tiny_b.config.n_layer, tiny_b.config.n_positions)
    save_model_folder(copy.deepcopy(tiny_a).to(torch.float16), folders["gpt2-tiny-a-f16"], tokenizer)
    # Older hub configs say "torch_dtype"; transformers 5 writes "dtype". Keep one of each style.
    rewrite_config(folders["gpt2-tiny-a-f16"], drop_keys=["dtype"], set_keys={"torch_dtype": "float16"})
    save_model_folder(copy.deepcopy(tiny_a).to(torch.bfloat16), folders["gpt2-tiny-a-bf16"], tokenizer)
    rewrite_config(folders["gpt2-tiny-a-bf16"], set_keys={"dtype": "bfloat16"})
    write_two_shards(folders["gpt2-tiny-a"], folders["gpt2-tiny-a-sharded"])
    save_model_folder(tiny_c, folders["gpt2-tiny-c"], tokenizer)

    sources = {
        "gpt2-tiny-a": (tiny_a, torch.float32),
        "gpt2-tiny-b": (tiny_b, torch.float32),
        "gpt2-tiny-a-f16": (tiny_a, torch.float16),
        "gpt2-tiny-a-bf16": (tiny_a, torch.bfloat16),
        "gpt2-tiny-a-sharded": (tiny_a, torch.float32),
        "gpt2-tiny-c": (tiny_c, torch.float32),
    }
    if os.path.isdir(CASES_DIR):
        for entry in os.listdir(CASES_DIR):
            if entry != "README.md":
                shutil.rmtree(os.path.join(CASES_DIR, entry))
    for model_name, folder in folders.items():
        source, stored_dtype = sources[model_name]
        model = load_float32(folder)
        assert_weights_match(model, source.state_dict(), stored_dtype, folder)
        hf_tokenizer = AutoTokenizer.from_pretrained(folder)
        prompts = dict(PROMPTS, max_context=prefix_with_tokens(tokenizer, MAX_CONTEXT_SOURCE, tiny_b.config.n_positions),
                       long_prompt=prefix_with_tokens(tokenizer, LONG_PROMPT_SOURCE, LONG_PROMPT_TOKENS))
        for case_index, (case_name, hook_set) in enumerate(CASE_PLAN[model_name].items()):
            prompt = prompts[case_name]
            token_ids = hf_tokenizer.encode(prompt, add_special_tokens=False)
            assert token_ids == tokenizer.encode(prompt).ids, f"HF and tokenizers disagree on {case_name}"
            assert hf_tokenizer.decode(token_ids) == prompt, f"{case_name} does not round-trip"
            assert len(token_ids) <= model.config.n_positions, f"{case_name} too long for {model_name}"
            hooks = run_and_capture(model, token_ids)
            hook_names = residual_hook_names(model.config.n_layer) if hook_set == "residual" else list(hooks)
            positions = LONG_PROMPT_POSITIONS if hook_set == "rows" else None
            assert positions is None or positions[-1] == len(token_ids) - 1 and max(positions) > 128
            case_folder = os.path.join(CASES_DIR, model_name, case_name)
            write_case(case_folder, model_name, model, hf_tokenizer, prompt, token_ids, hooks, hook_names, positions)
            if model_name == "gpt2-tiny-a" and case_index == 0:
                write_interventions(case_folder, model, token_ids, hooks["logits"])
            print(f"{model_name}/{case_name}: {len(token_ids)} tokens, {len(hook_names)} hooks")
    print("all cross-checks passed")


if __name__ == "__main__":
    main()
