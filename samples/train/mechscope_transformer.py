"""PyTorch model in exactly the `mechscope_transformer` tensor layout, for the sample trainers.

GPT-2 conventions: pre-LN blocks, learned absolute positions, causal attention scaled by
1/sqrt(d_head), Conv1D weights laid out [in, out] (y = x @ W + b). Every tensor is a plain
nn.Parameter whose state_dict name is the name stored in model.safetensors:

    wte.weight [V, D]        wpe.weight [P, D]
    h.{i}.ln_1.weight/bias [D]                      (normalization_type "LN" only)
    h.{i}.attn.c_attn.weight [D, 3D] (q | k | v, each head-major), h.{i}.attn.c_attn.bias [3D]
    h.{i}.attn.c_proj.weight [D, D], h.{i}.attn.c_proj.bias [D]
    h.{i}.ln_2.weight/bias [D]                      (LN and not attn_only)
    h.{i}.mlp.c_fc.weight [D, d_mlp], h.{i}.mlp.c_fc.bias [d_mlp]      (not attn_only)
    h.{i}.mlp.c_proj.weight [d_mlp, D], h.{i}.mlp.c_proj.bias [D]      (not attn_only)
    ln_f.weight/bias [D]                            (LN only)
    lm_head.weight [V, D] (logits = x @ lm_head.weight.T + lm_head.bias), lm_head.bias [V]
"""

import json
import math
from pathlib import Path

import torch
from safetensors.torch import save_file
from torch import nn


class Tensors(nn.Module):
    """A leaf holding named parameters (e.g. weight, bias) with fixed shapes, zero-initialised."""

    def __init__(self, **shapes: tuple) -> None:
        super().__init__()
        for name, shape in shapes.items():
            self.register_parameter(name, nn.Parameter(torch.zeros(*shape)))


def activation(name: str, x: torch.Tensor) -> torch.Tensor:
    if name == "relu":
        return torch.relu(x)
    if name == "gelu_new":
        return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))
    if name == "gelu":
        return torch.nn.functional.gelu(x)
    raise ValueError(f"unknown activation_function {name!r}")


class Block(nn.Module):
    def __init__(self, config: dict) -> None:
        super().__init__()
        d = config["n_embd"]
        layer_norm = config["normalization_type"] == "LN"
        if layer_norm:
            self.ln_1 = Tensors(weight=(d,), bias=(d,))
        self.attn = nn.Module()
        self.attn.c_attn = Tensors(weight=(d, 3 * d), bias=(3 * d,))
        self.attn.c_proj = Tensors(weight=(d, d), bias=(d,))
        if not config["attn_only"]:
            d_mlp = config["n_inner"] or 4 * d
            if layer_norm:
                self.ln_2 = Tensors(weight=(d,), bias=(d,))
            self.mlp = nn.Module()
            self.mlp.c_fc = Tensors(weight=(d, d_mlp), bias=(d_mlp,))
            self.mlp.c_proj = Tensors(weight=(d_mlp, d), bias=(d,))


class MechscopeTransformer(nn.Module):
    def __init__(self, config: dict) -> None:
        super().__init__()
        self.config = config
        v, d, p = config["vocab_size"], config["n_embd"], config["n_positions"]
        self.wte = Tensors(weight=(v, d))
        self.wpe = Tensors(weight=(p, d))
        self.h = nn.ModuleList(Block(config) for _ in range(config["n_layer"]))
        if config["normalization_type"] == "LN":
            self.ln_f = Tensors(weight=(d,), bias=(d,))
        self.lm_head = Tensors(weight=(v, d), bias=(v,))

    def layer_norm(self, x: torch.Tensor, ln: Tensors) -> torch.Tensor:
        if self.config["normalization_type"] != "LN":
            return x
        mean = x.mean(dim=-1, keepdim=True)
        var = ((x - mean) ** 2).mean(dim=-1, keepdim=True)
        return (x - mean) / torch.sqrt(var + self.config["layer_norm_epsilon"]) * ln.weight + ln.bias

    def attention(self, x: torch.Tensor, block: Block) -> tuple:
        batch, seq, d = x.shape
        heads = self.config["n_head"]
        d_head = d // heads
        qkv = x @ block.attn.c_attn.weight + block.attn.c_attn.bias
        q, k, v = qkv.split(d, dim=-1)
        # [batch, head, pos, d_head]; head h owns columns h*d_head..(h+1)*d_head of q, k and v.
        q, k, v = (t.view(batch, seq, heads, d_head).transpose(1, 2) for t in (q, k, v))
        scores = q @ k.transpose(-1, -2) / math.sqrt(d_head)
        causal = torch.ones(seq, seq, dtype=torch.bool, device=x.device).tril()
        scores = scores.masked_fill(~causal, float("-inf"))
        pattern = scores.softmax(dim=-1)
        z = (pattern @ v).transpose(1, 2).reshape(batch, seq, d)
        return z @ block.attn.c_proj.weight + block.attn.c_proj.bias, pattern

    def forward(self, tokens: torch.Tensor, return_patterns: bool = False):
        seq = tokens.shape[1]
        x = self.wte.weight[tokens] + self.wpe.weight[:seq]
        patterns = []
        for block in self.h:
            attn_out, pattern = self.attention(self.layer_norm(x, getattr(block, "ln_1", None)), block)
            patterns.append(pattern)
            x = x + attn_out
            if not self.config["attn_only"]:
                hidden = self.layer_norm(x, getattr(block, "ln_2", None))
                hidden = activation(
                    self.config["activation_function"], hidden @ block.mlp.c_fc.weight + block.mlp.c_fc.bias
                )
                x = x + hidden @ block.mlp.c_proj.weight + block.mlp.c_proj.bias
        x = self.layer_norm(x, getattr(self, "ln_f", None))
        logits = x @ self.lm_head.weight.T + self.lm_head.bias
        return (logits, patterns) if return_patterns else logits

    def save(self, folder: Path) -> None:
        """Write config.json and model.safetensors (float32, contiguous) into folder."""
        folder.mkdir(parents=True, exist_ok=True)
        tensors = {name: t.detach().to(torch.float32).contiguous() for name, t in self.state_dict().items()}
        save_file(tensors, str(folder / "model.safetensors"))
        (folder / "config.json").write_text(json.dumps(self.config, indent=2) + "\n")


def make_config(**fields) -> dict:
    """The config.json dict, in the documented key order, with every key present."""
    config = {
        "model_type": "mechscope_transformer",
        "n_layer": fields["n_layer"],
        "n_head": fields["n_head"],
        "n_embd": fields["n_embd"],
        "n_positions": fields["n_positions"],
        "vocab_size": fields["vocab_size"],
        "n_inner": fields.get("n_inner"),
        "attn_only": fields["attn_only"],
        "normalization_type": fields["normalization_type"],
        "layer_norm_epsilon": 1e-5,
        "activation_function": fields["activation_function"],
        "tie_word_embeddings": False,
        "bos_token_id": fields.get("bos_token_id"),
        "eos_token_id": fields.get("eos_token_id"),
    }
    if config["n_embd"] % config["n_head"]:
        raise ValueError("n_embd must be divisible by n_head")
    return config
