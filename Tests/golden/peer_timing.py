"""Time Mechscope's peers on one machine and one set of weights, to put Mechscope's own timings in context.

    python Tests/golden/peer_timing.py MODEL_DIR --tokens 16 128 1024
    python Tests/golden/peer_timing.py FILE.gguf --tokens 16 128 512

MODEL_DIR is a Hugging Face folder of any causal LM transformers opens (GPT-2 from make_bench_model.py,
Llama from make_bench_llama.py); a .gguf file is loaded with transformers' own GGUF loader, which
dequantizes every weight to float32 (the weights Mechscope computes with). Rows timed, each the median of
--runs runs after --warmup warm-up runs, with torch.set_num_threads(--threads):
  hf_forward        transformers AutoModelForCausalLM, eager attention, plain forward (no cache)
  hf_hidden_attn    the same with output_hidden_states=True and output_attentions=True
  tl4_bridge_cache  TransformerLens 4 TransformerBridge.boot_transformers(...).run_with_cache
  tl3_hooked_cache  TransformerLens 3 HookedTransformer (unprocessed weights).run_with_cache (GPT-2 only)
A row whose package is missing from the running venv (or has the other major version) is skipped
with a message: run the script once in each venv (/work/venv has transformer-lens 3; the venv from
requirements-tl4.txt has transformer-lens 4) to fill every row. Other processes on the same cores
inflate 2-thread figures badly (OpenMP threads wait for each other); compare with --threads 1.
"""
import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

import argparse
import gc
import platform
import statistics
import sys
import time
from importlib import metadata

import torch
import transformers
from transformers import AutoModelForCausalLM, AutoTokenizer
from transformers.utils import logging as hf_logging

TIMING_TEXT = (
    "The quick brown fox jumps over the lazy dog. def add(a, b):\n\treturn a + b\n"
    "Café crème, 東京で会いましょう 🙂 3.14159 2024-05-17. "
)


def transformer_lens_major():
    try:
        return int(metadata.version("transformer-lens").split(".")[0])
    except metadata.PackageNotFoundError:
        return None


def split_model_path(path):
    """(folder, gguf file name or None) for a Hugging Face folder or a .gguf file."""
    if path.endswith(".gguf"):
        return os.path.dirname(os.path.abspath(path)), os.path.basename(path)
    return path, None


def load_hf(model_path):
    folder, gguf = split_model_path(model_path)
    extra = {"gguf_file": gguf} if gguf else {}
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager", **extra)
    model.eval()
    return model


def load_tokenizer(model_path):
    folder, gguf = split_model_path(model_path)
    return AutoTokenizer.from_pretrained(folder, **({"gguf_file": gguf} if gguf else {}))


def prompt_ids(tokenizer, count):
    ids = []
    while len(ids) < count:
        ids += tokenizer.encode(TIMING_TEXT, add_special_tokens=False)
    return torch.tensor([ids[:count]])


def median_seconds(run, warmup, runs):
    for _ in range(warmup):
        run()
    samples = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), samples


def hf_forward_runner(model):
    def run(ids):
        with torch.no_grad():
            model(ids, use_cache=False)
    return run


def hf_hidden_attn_runner(model):
    def run(ids):
        with torch.no_grad():
            out = model(ids, use_cache=False, output_hidden_states=True, output_attentions=True)
            assert len(out.attentions) == model.config.num_hidden_layers
    return run


def tl4_runner(model_dir, tokenizer):
    from transformer_lens.model_bridge import TransformerBridge

    bridge = TransformerBridge.boot_transformers(
        model_dir, hf_model=load_hf(model_dir), tokenizer=tokenizer, device="cpu", dtype=torch.float32
    )
    bridge.eval()

    def run(ids):
        with torch.no_grad():
            _, cache = bridge.run_with_cache(ids)
            assert "blocks.0.attn.hook_pattern" in cache
            del cache
    return run


def tl3_runner(model_dir):
    from transformer_lens import HookedTransformer, HookedTransformerConfig
    from transformer_lens.pretrained.weight_conversions.gpt2 import convert_gpt2_weights

    hf = load_hf(model_dir)
    c = hf.config
    cfg = HookedTransformerConfig(
        n_layers=c.n_layer, d_model=c.n_embd, n_heads=c.n_head, d_head=c.n_embd // c.n_head,
        d_mlp=4 * c.n_embd, d_vocab=c.vocab_size, n_ctx=c.n_positions, act_fn=c.activation_function,
        eps=c.layer_norm_epsilon, normalization_type="LN", positional_embedding_type="standard",
        default_prepend_bos=False, device="cpu", dtype=torch.float32,
    )
    model = HookedTransformer(cfg)
    model.load_state_dict(convert_gpt2_weights(hf, cfg), strict=False)
    model.eval()
    del hf

    def run(ids):
        with torch.no_grad():
            _, cache = model.run_with_cache(ids)
            assert "blocks.0.attn.hook_pattern" in cache
            del cache
    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model_dir")
    parser.add_argument("--tokens", type=int, nargs="+", default=[16, 128, 1024])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()

    tokenizer = load_tokenizer(args.model_dir)
    hf_model = load_hf(args.model_dir)
    config = hf_model.config
    too_long = [n for n in args.tokens if n > config.max_position_embeddings]
    if too_long:
        sys.exit(f"--tokens {too_long} exceed the model's context {config.max_position_embeddings}")

    tl_major = transformer_lens_major()
    rows = {"hf_forward": hf_forward_runner(hf_model), "hf_hidden_attn": hf_hidden_attn_runner(hf_model)}
    skipped = []
    if split_model_path(args.model_dir)[1] is not None:
        skipped.append("tl4_bridge_cache, tl3_hooked_cache: TransformerLens does not open GGUF files")
    elif tl_major == 4:
        rows["tl4_bridge_cache"] = tl4_runner(args.model_dir, tokenizer)
        skipped.append("tl3_hooked_cache: transformer-lens 4 is installed here; run in a venv with transformer-lens 3")
    elif tl_major == 3 and config.model_type == "gpt2":
        rows["tl3_hooked_cache"] = tl3_runner(args.model_dir)
    elif tl_major == 3:
        skipped.append(f"tl3_hooked_cache: this script builds TransformerLens 3 models for gpt2 only, not {config.model_type}")
        skipped.append("tl4_bridge_cache: transformer-lens 3 is installed here; run in a venv with transformer-lens 4")
    else:
        skipped.append("tl4_bridge_cache, tl3_hooked_cache: transformer-lens is not installed in this venv")

    versions = {name: metadata.version(name) for name in ["torch", "transformers", "tokenizers", "numpy"]}
    if tl_major is not None:
        versions["transformer-lens"] = metadata.version("transformer-lens")
    print(f"python {platform.python_version()} ({sys.prefix}); " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print(f"model {args.model_dir}: {config.model_type}, {config.num_hidden_layers} layers, d_model {config.hidden_size}, "
          f"vocab {config.vocab_size}; threads {torch.get_num_threads()}; "
          f"median (min) of {args.runs} runs after {args.warmup} warm-ups; times in ms")
    print("load average at start: " + " ".join(f"{v:.2f}" for v in os.getloadavg())
          + " (other processes on these cores inflate the figures; rerun when it is near 0)")
    for message in skipped:
        print(f"skipped {message}")
    header = f"{'tokens':>6} | " + " | ".join(f"{name:>17}" for name in rows)
    print(header)
    print("-" * len(header))
    for count in args.tokens:
        ids = prompt_ids(tokenizer, count)
        cells = []
        for run in rows.values():
            median, samples = median_seconds(lambda: run(ids), args.warmup, args.runs)
            cells.append(f"{median * 1000:8.1f} ({min(samples) * 1000:6.1f})")
        print(f"{count:>6} | " + " | ".join(cells), flush=True)
    print("load average at end: " + " ".join(f"{v:.2f}" for v in os.getloadavg()))


if __name__ == "__main__":
    main()
