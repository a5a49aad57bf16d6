"""Create Llama-shaped random models for timing Mechscope (not committed; regenerate when needed).

    /work/venv/bin/python Tests/golden/make_bench_llama.py smollm2 [OUT_DIR]  (default ./bench-models/llama-smollm2-random)
    /work/venv/bin/python Tests/golden/make_bench_llama.py 7b [OUT_DIR]       (default ./bench-models/llama-7b-bf16-random)

smollm2: SmolLM2-135M's shapes (30 layers, d_model 576, 9 heads with 3 KV heads, d_head 64, MLP 1536,
vocab 49152, tied embeddings, rope_theta 100000), float32, written by `transformers` itself
(LlamaForCausalLM.save_pretrained, about 540 MB), so transformers and TransformerLens time the very
same weights.

7b: Llama-2-7B's shapes (32 layers, d_model 4096, 32 heads, MLP 11008, vocab 32000, untied lm_head)
in bfloat16, about 13.5 GB in three safetensors shards with a `model.safetensors.index.json`, as hub
checkpoints are sharded. Written with NumPy alone, one tensor at a time (a torch model of this size
would need 27 GB of float32 memory): weights ~ N(0, 0.02²) rounded to bfloat16 (slices at random
offsets of one pool of 32M drawn values), norm weights 1.
Peak memory of the script is a few hundred MB.

Both use a byte-level BPE trained on the small golden corpus and padded with never-produced filler
tokens to the vocabulary size (tokenization speed is not what these models measure).
"""
import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

import argparse
import json
import struct
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from byte_level_bpe import pad_vocabulary, save_gpt2_tokenizer_files, train_byte_level_bpe  # noqa: E402
from golden_corpus import golden_corpus  # noqa: E402

LLAMA_7B = dict(hidden_size=4096, num_hidden_layers=32, num_attention_heads=32, num_key_value_heads=32,
                intermediate_size=11008, vocab_size=32000, max_position_embeddings=4096, rope_theta=10000.0,
                rms_norm_eps=1e-5, tie_word_embeddings=False)
SMOLLM2_135M = dict(hidden_size=576, num_hidden_layers=30, num_attention_heads=9, num_key_value_heads=3,
                    intermediate_size=1536, vocab_size=49152, max_position_embeddings=8192, rope_theta=100000.0,
                    rms_norm_eps=1e-5, tie_word_embeddings=True)


def write_tokenizer(folder, vocab_size, context):
    trained = train_byte_level_bpe(golden_corpus(), vocab_size)
    tokenizer = pad_vocabulary(trained, vocab_size)
    save_gpt2_tokenizer_files(tokenizer, folder, context)


def config_json(shape, dtype):
    n_heads = shape["num_attention_heads"]
    return {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_act": "silu",
        "attention_bias": False, "mlp_bias": False, "head_dim": shape["hidden_size"] // n_heads,
        "bos_token_id": shape["vocab_size"] - 1, "eos_token_id": shape["vocab_size"] - 1,
        "torch_dtype": dtype, **shape,
    }


def make_smollm2(folder, seed):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    shape = dict(SMOLLM2_135M)
    config = LlamaConfig(**{k: v for k, v in config_json(shape, "float32").items()
                            if k not in ("architectures", "model_type", "torch_dtype")})
    model = LlamaForCausalLM(config)
    model.eval()
    model.save_pretrained(folder)
    write_tokenizer(folder, shape["vocab_size"], 2048)
    print(f"wrote {folder}: {sum(p.numel() for p in model.parameters()) / 1e6:.1f}M parameters (float32)")


def llama_tensors(shape):
    """(name, shape) of every tensor of a LlamaForCausalLM, in checkpoint order."""
    d, f, v = shape["hidden_size"], shape["intermediate_size"], shape["vocab_size"]
    heads, kv = shape["num_attention_heads"], shape["num_key_value_heads"]
    d_head = d // heads
    names = [("model.embed_tokens.weight", (v, d))]
    for layer in range(shape["num_hidden_layers"]):
        p = f"model.layers.{layer}."
        names += [
            (p + "input_layernorm.weight", (d,)),
            (p + "self_attn.q_proj.weight", (heads * d_head, d)),
            (p + "self_attn.k_proj.weight", (kv * d_head, d)),
            (p + "self_attn.v_proj.weight", (kv * d_head, d)),
            (p + "self_attn.o_proj.weight", (d, heads * d_head)),
            (p + "post_attention_layernorm.weight", (d,)),
            (p + "mlp.gate_proj.weight", (f, d)),
            (p + "mlp.up_proj.weight", (f, d)),
            (p + "mlp.down_proj.weight", (d, f)),
        ]
    names += [("model.norm.weight", (d,)), ("lm_head.weight", (v, d))]
    return names


def bfloat16_bits(values):
    """float32 → bfloat16 bit patterns (round to nearest even), as uint16."""
    bits = values.astype(np.float32).view(np.uint32)
    rounded = bits + 0x7FFF + ((bits >> 16) & 1)
    return (rounded >> 16).astype(np.uint16)


POOL_SIZE = 1 << 25    # bfloat16 values drawn once (64 MB)
POOL_CHUNK = 1 << 22   # values copied per slice
_pool = []


def random_pool(rng):
    """POOL_SIZE bfloat16 bit patterns of N(0, 0.02²), drawn on first use."""
    if not _pool:
        _pool.append(bfloat16_bits(rng.standard_normal(POOL_SIZE, dtype=np.float32) * 0.02))
    return _pool[0]


def write_shard(path, entries, rng):
    """One safetensors file holding `entries` [(name, shape)] in bfloat16."""
    header, offset = {}, 0
    for name, shape in entries:
        size = int(np.prod(shape)) * 2
        header[name] = {"dtype": "BF16", "shape": list(shape), "data_offsets": [offset, offset + size]}
        offset += size
    header["__metadata__"] = {"format": "pt"}
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(encoded)))
        out.write(encoded)
        for name, shape in entries:
            count = int(np.prod(shape))
            if name.endswith("norm.weight"):
                out.write(np.full(count, 0x3F80, dtype=np.uint16).tobytes())  # 1.0
                continue
            # Slices of one pool of random values at random offsets: drawing 6.7 billion fresh
            # normals would take most of an hour; copying slices runs at disk speed.
            pool = random_pool(rng)
            for start in range(0, count, POOL_CHUNK):
                n = min(POOL_CHUNK, count - start)
                at = int(rng.integers(0, len(pool) - n + 1))
                out.write(pool[at:at + n].tobytes())
    return offset


def make_7b(folder, seed):
    shape = dict(LLAMA_7B)
    rng = np.random.default_rng(seed)
    tensors = llama_tensors(shape)
    # Three shards split at layer boundaries, as the hub's Llama-2-7B is (two shards there; three here
    # keep each file under 5 GB).
    layers = shape["num_hidden_layers"]
    def shard_of(name):
        if not name.startswith("model.layers."):
            return 0 if name == "model.embed_tokens.weight" else 2
        layer = int(name.split(".")[2])
        return min(2, layer * 3 // layers)
    shards = [[t for t in tensors if shard_of(t[0]) == i] for i in range(3)]
    weight_map, total = {}, 0
    for i, entries in enumerate(shards):
        file = f"model-{i + 1:05d}-of-00003.safetensors"
        total += write_shard(os.path.join(folder, file), entries, rng)
        weight_map.update({name: file for name, _ in entries})
        print(f"  {file}: {len(entries)} tensors", flush=True)
    with open(os.path.join(folder, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=1)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config_json(shape, "bfloat16"), f, indent=2)
    write_tokenizer(folder, shape["vocab_size"], shape["max_position_embeddings"])
    parameters = sum(int(np.prod(s)) for _, s in tensors)
    print(f"wrote {folder}: {parameters / 1e9:.2f}B parameters, {total / 1e9:.1f} GB bfloat16")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=["smollm2", "7b"])
    parser.add_argument("out_dir", nargs="?")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    default = {"smollm2": "llama-smollm2-random", "7b": "llama-7b-bf16-random"}[args.size]
    folder = args.out_dir or os.path.join(".", "bench-models", default)
    os.makedirs(folder, exist_ok=True)
    (make_smollm2 if args.size == "smollm2" else make_7b)(folder, args.seed)


if __name__ == "__main__":
    main()
