"""Every TransformerLens HookedEncoder hook of a `transformers` BertModel forward pass, batch axis dropped.

Shared by make_bert_goldens.py (tiny random BERTs) and make_real_minilm_goldens.py (all-MiniLM-L6-v2).
Names and shapes follow TransformerLens's BertEmbed, BertBlock and HookedEncoder:

    embed.hook_embed, embed.hook_pos_embed, embed.hook_token_type_embed   [pos, d_model]
    embed.ln.hook_scale [pos, 1], embed.ln.hook_normalized [pos, d_model], hook_full_embed [pos, d_model]
    blocks.L.hook_resid_pre, attn.hook_q|k|v [pos, head, d_head], attn.hook_attn_scores and
    attn.hook_pattern [head, query, key], attn.hook_z [pos, head, d_head], attn.hook_result
    [pos, head, d_model], hook_attn_out, hook_resid_mid, ln1.hook_scale|hook_normalized (the attention
    output's LayerNorm, over resid_mid), mlp.hook_pre|hook_post [pos, d_mlp], hook_mlp_out,
    hook_resid_post (= ln1's output + mlp_out), ln2.hook_scale|hook_normalized (the MLP output's
    LayerNorm), hook_normalized_resid_post (the block's output).

Module inputs and outputs are captured with forward hooks; what no module returns (scores, the
LayerNorms' scale and normalized values, per-head results) is derived from them and cross-checked
against the module outputs.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_family_goldens import Recorder as FamilyRecorder  # noqa: E402

TOLERANCE = 2e-5


def close(a, b, what, tolerance=TOLERANCE):
    diff = (a - b).abs().max().item()
    scale = max(b.abs().max().item(), 1.0)
    assert diff < tolerance * scale, f"cross-check failed for {what}: max abs diff {diff}"


def layer_norm_hooks(x, module, output, what):
    """TransformerLens's LayerNorm hook_scale [pos, 1] and hook_normalized [pos, d] (before w and b)."""
    centered = x - x.mean(dim=-1, keepdim=True)
    scale = torch.sqrt(centered.pow(2).mean(dim=-1, keepdim=True) + module.eps)
    normalized = centered / scale
    close(normalized * module.weight + module.bias, output, f"{what}: normalized * w + b vs HF LayerNorm")
    return scale, normalized


class Recorder(FamilyRecorder):
    """make_family_goldens.Recorder, with input hooks that also see keyword arguments (BERT's modules are
    called with hidden_states=… )."""

    def input(self, module, name):
        def hook(_module, args, kwargs):
            value = args[0] if args else next(iter(kwargs.values()))
            self.captured[name] = value.detach().clone()
        self.handles.append(module.register_forward_pre_hook(hook, with_kwargs=True))


def capture(model, token_ids, token_type_ids=None):
    """(hooks {name: float32 tensor without the batch axis}, last hidden state [pos, d_model])."""
    config = model.config
    H, d = config.num_attention_heads, config.hidden_size
    dh = d // H
    t = len(token_ids)
    emb = model.embeddings
    rec = Recorder()
    rec.output(emb.word_embeddings, "embed.hook_embed")
    rec.output(emb.position_embeddings, "embed.hook_pos_embed")
    rec.output(emb.token_type_embeddings, "embed.hook_token_type_embed")
    rec.input(emb.LayerNorm, "embed.ln.in")
    rec.output(emb.LayerNorm, "hook_full_embed")
    for l, layer in enumerate(model.encoder.layer):
        p = f"blocks.{l}"
        rec.input(layer, f"{p}.hook_resid_pre")
        rec.output(layer.attention.self.query, f"{p}.q")
        rec.output(layer.attention.self.key, f"{p}.k")
        rec.output(layer.attention.self.value, f"{p}.v")
        rec.input(layer.attention.output.dense, f"{p}.z_flat")
        rec.output(layer.attention.output.dense, f"{p}.hook_attn_out")
        rec.input(layer.attention.output.LayerNorm, f"{p}.ln1.in")
        rec.output(layer.attention.output.LayerNorm, f"{p}.ln1.out")
        rec.output(layer.intermediate.dense, f"{p}.mlp.hook_pre")
        rec.input(layer.output.dense, f"{p}.mlp.hook_post")
        rec.output(layer.output.dense, f"{p}.hook_mlp_out")
        rec.input(layer.output.LayerNorm, f"{p}.ln2.in")
        rec.output(layer.output.LayerNorm, f"{p}.hook_normalized_resid_post")

    ids = torch.tensor([token_ids])
    types = torch.tensor([token_type_ids]) if token_type_ids is not None else torch.zeros_like(ids)
    with torch.no_grad():
        out = model(input_ids=ids, token_type_ids=types, attention_mask=torch.ones_like(ids),
                    output_attentions=True, output_hidden_states=True)
    rec.remove()
    c = {k: v[0] for k, v in rec.captured.items()}

    hooks = {}
    for name in ["embed.hook_embed", "embed.hook_pos_embed", "embed.hook_token_type_embed"]:
        hooks[name] = c[name]
    close(c["embed.hook_embed"] + c["embed.hook_pos_embed"] + c["embed.hook_token_type_embed"], c["embed.ln.in"],
          "embedding sum")
    scale, normalized = layer_norm_hooks(c["embed.ln.in"], emb.LayerNorm, c["hook_full_embed"], "embed.ln")
    hooks["embed.ln.hook_scale"] = scale
    hooks["embed.ln.hook_normalized"] = normalized
    hooks["hook_full_embed"] = c["hook_full_embed"]
    close(c["hook_full_embed"], out.hidden_states[0][0], "hook_full_embed vs hidden_states[0]")

    for l, layer in enumerate(model.encoder.layer):
        p = f"blocks.{l}"
        resid_pre = c[f"{p}.hook_resid_pre"]
        hooks[f"{p}.hook_resid_pre"] = resid_pre
        q = c[f"{p}.q"].reshape(t, H, dh)
        k = c[f"{p}.k"].reshape(t, H, dh)
        v = c[f"{p}.v"].reshape(t, H, dh)
        hooks[f"{p}.attn.hook_q"], hooks[f"{p}.attn.hook_k"], hooks[f"{p}.attn.hook_v"] = q, k, v
        scores = torch.einsum("qhd,khd->hqk", q, k) / dh ** 0.5
        pattern = out.attentions[l][0]
        close(torch.softmax(scores, dim=-1), pattern, f"{p}: softmax(scores) vs HF attentions")
        hooks[f"{p}.attn.hook_attn_scores"] = scores
        hooks[f"{p}.attn.hook_pattern"] = pattern
        z = c[f"{p}.z_flat"].reshape(t, H, dh)
        close(torch.einsum("hqk,khd->qhd", pattern, v), z, f"{p}: pattern·v vs HF context")
        hooks[f"{p}.attn.hook_z"] = z
        W_O = layer.attention.output.dense.weight.T.reshape(H, dh, d)        # [head, d_head, d_model]
        hooks[f"{p}.attn.hook_result"] = torch.einsum("qhd,hdm->qhm", z, W_O)
        attn_out = c[f"{p}.hook_attn_out"]
        hooks[f"{p}.hook_attn_out"] = attn_out
        resid_mid = resid_pre + attn_out
        close(resid_mid, c[f"{p}.ln1.in"], f"{p}: resid_pre + attn_out vs the LayerNorm's input")
        hooks[f"{p}.hook_resid_mid"] = resid_mid
        scale, normalized = layer_norm_hooks(resid_mid, layer.attention.output.LayerNorm, c[f"{p}.ln1.out"], f"{p}.ln1")
        hooks[f"{p}.ln1.hook_scale"], hooks[f"{p}.ln1.hook_normalized"] = scale, normalized
        hooks[f"{p}.mlp.hook_pre"] = c[f"{p}.mlp.hook_pre"]
        hooks[f"{p}.mlp.hook_post"] = c[f"{p}.mlp.hook_post"]
        close(torch.nn.functional.gelu(c[f"{p}.mlp.hook_pre"]), c[f"{p}.mlp.hook_post"], f"{p}: exact GELU")
        mlp_out = c[f"{p}.hook_mlp_out"]
        hooks[f"{p}.hook_mlp_out"] = mlp_out
        resid_post = c[f"{p}.ln1.out"] + mlp_out
        close(resid_post, c[f"{p}.ln2.in"], f"{p}: ln1 output + mlp_out vs the LayerNorm's input")
        hooks[f"{p}.hook_resid_post"] = resid_post
        scale, normalized = layer_norm_hooks(resid_post, layer.output.LayerNorm,
                                             c[f"{p}.hook_normalized_resid_post"], f"{p}.ln2")
        hooks[f"{p}.ln2.hook_scale"], hooks[f"{p}.ln2.hook_normalized"] = scale, normalized
        hooks[f"{p}.hook_normalized_resid_post"] = c[f"{p}.hook_normalized_resid_post"]
        close(c[f"{p}.hook_normalized_resid_post"], out.hidden_states[l + 1][0], f"{p}: output vs hidden_states")
    last = out.last_hidden_state[0]
    return {k: v.detach().to(torch.float32).contiguous() for k, v in hooks.items()}, last.detach()
