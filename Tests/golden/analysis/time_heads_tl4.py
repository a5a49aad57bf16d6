"""Times TransformerLens 4's equivalents of `mechscope heads` on a GPT-2-small-shaped model.

TransformerBridge in compatibility mode (processed weights), CPU, float32. Steps, each timed after
one untimed warm-up run:
  prompt     run_with_cache on the prompt + detect_head x3 (cache passed in) + mean attention entropy
  repeated   run_with_cache on 2x50 random tokens + the demo induction score (diagonal i -> i-n+1)
  copying    (W_E @ model.OV @ W_U).eigenvalues and sum(eig).real / sum(|eig|) for all heads
  Q, K, V    all_composition_scores(mode)
Usage (model from Tests/golden/make_bench_model.py):
    /work/venv-tl4/bin/python Tests/golden/analysis/time_heads_tl4.py /tmp/bench-models/gpt2-small-random \
        --threads 1 --prompt-file prompt.txt
"""
import argparse
import os
import time

os.environ["HF_HUB_OFFLINE"] = "1"

import torch
from transformers import AutoTokenizer, GPT2LMHeadModel
from transformers.utils import logging as hf_logging

from transformer_lens.head_detector import detect_head
from transformer_lens.model_bridge import TransformerBridge

hf_logging.set_verbosity_error()


def timed(label, fn, results, repeats):
    fn()  # warm-up
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    results[label] = best
    print(f"{label:<34} {best * 1000:9.1f} ms", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--prompt-file", required=True,
                        help="text of the prompt; detect_head prepends BOS, so 63 tokens of text make 64 positions")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--skip-copying", action="store_true", help="skip the full-OV eigenvalues (needs ~4 GB)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    hf = GPT2LMHeadModel.from_pretrained(args.model, dtype=torch.float32, attn_implementation="eager")
    bridge = TransformerBridge.boot_transformers(args.model, hf_model=hf,
                                                 tokenizer=AutoTokenizer.from_pretrained(args.model), device="cpu")
    bridge.eval()
    setup = time.perf_counter()
    bridge.enable_compatibility_mode(disable_warnings=True)
    print(f"{'weight processing':<34} {(time.perf_counter() - setup) * 1000:9.1f} ms (once)")
    with open(args.prompt_file, encoding="utf-8") as f:
        prompt = f.read()
    tokens = bridge.to_tokens(prompt)  # with BOS, as detect_head tokenizes it
    print(f"prompt: {tokens.shape[-1]} positions (BOS included), torch threads {torch.get_num_threads()}")
    L, n = bridge.cfg.n_layers, 50
    generator = torch.Generator().manual_seed(0)
    half = torch.randint(0, bridge.cfg.d_vocab - 1, (1, n), generator=generator)  # ids below <|endoftext|>
    repeated = torch.cat([half, half], dim=1)
    results = {}

    def prompt_scores():
        _, cache = bridge.run_with_cache(tokens, remove_batch_dim=True)
        scores = [detect_head(bridge, prompt, kind, cache=cache)
                  for kind in ("previous_token_head", "duplicate_token_head", "induction_head")]
        patterns = torch.stack([cache[f"blocks.{l}.attn.hook_pattern"] for l in range(L)])
        entropy = torch.where(patterns > 0, -patterns * patterns.log(), torch.zeros_like(patterns)).sum(-1).mean(-1)
        return scores, entropy

    def repeated_scores():
        _, cache = bridge.run_with_cache(repeated, remove_batch_dim=True)
        rows = torch.arange(n, 2 * n)
        patterns = torch.stack([cache[f"blocks.{l}.attn.hook_pattern"] for l in range(L)])
        return patterns[:, :, rows, rows - n + 1].mean(-1)

    def copying():
        eig = (bridge.W_E @ bridge.OV @ bridge.W_U).eigenvalues
        return eig.sum(-1).real / eig.abs().sum(-1)

    with torch.no_grad():
        timed("prompt (forward + 3 detect_head + entropy)", prompt_scores, results, args.repeats)
        timed("repeated sequence (forward + score)", repeated_scores, results, args.repeats)
        if not args.skip_copying:
            timed("OV copying (all heads)", copying, results, 1)
        for mode in ("Q", "K", "V"):
            timed(f"{mode}-composition (all pairs)", lambda: bridge.all_composition_scores(mode), results, 1)
    atlas = sum(results[k] for k in results if not k.endswith("(all pairs)"))
    comp = sum(results[k] for k in results if k.endswith("(all pairs)"))
    print(f"{'atlas (prompt + repeated + copying)':<34} {atlas * 1000:9.1f} ms")
    print(f"{'composition Q+K+V':<34} {comp * 1000:9.1f} ms")


if __name__ == "__main__":
    main()
