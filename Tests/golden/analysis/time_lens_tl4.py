"""Time TransformerLens 4's logit lens and direct logit attribution, to set `mechscope bench-lens` in context.

    OPENBLAS_NUM_THREADS=1 /work/venv-tl4/bin/python Tests/golden/analysis/time_lens_tl4.py \
        /tmp/bench-models/gpt2-small-random --tokens 64

The model (a GPT-2-small-shaped random folder from Tests/golden/make_bench_model.py) is booted as a
TransformerBridge in compatibility mode (default processed weights), run once with the full cache on
the same seeded random token ids as `mechscope bench`/`bench-lens`, and each row is the median of
--runs calls on that cache (torch.set_num_threads(--threads)):
  logit lens        tools.analysis.logit_lens(cache, positions=-1, top_k=K, return_type="probs")
  + target          the same with targets=[answer] (rank and probability of one token)
  DLA per head      tools.analysis.direct_logit_attribution(unit="head", pos=-1), answer − wrong
  DLA per head all  the same with pos=None (every position)
  DLA per component unit="component", pos=-1
  DLA per neuron    cache.stack_neuron_results(layer=-1, apply_ln=True, project_output_onto=direction)
                    at the last position (pos_slice=-1)
answer/wrong are the model's top two tokens at the last position, as in bench-lens.
"""
import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

import argparse
import statistics
import time
from importlib import metadata

import torch
from transformers import AutoTokenizer, GPT2LMHeadModel
from transformers.utils import logging as hf_logging

hf_logging.set_verbosity_error()


def random_tokens(count, vocab):
    """The seeded ids of mechscope's BenchCommand.randomTokens (64-bit LCG, bits 33 and up)."""
    state, ids = 0x9E3779B97F4A7C15, []
    for _ in range(count):
        state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        ids.append((state >> 33) % vocab)
    return ids


def median_ms(label, fn, runs):
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    print(f"{label:<52}{statistics.median(times) * 1000:9.3f} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model_dir")
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--top-k", type=int, default=10)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    from transformer_lens.model_bridge import TransformerBridge
    from transformer_lens.tools.analysis.direct_logit_attribution import direct_logit_attribution
    from transformer_lens.tools.analysis.logit_lens import logit_lens

    hf = GPT2LMHeadModel.from_pretrained(args.model_dir, dtype=torch.float32, attn_implementation="eager")
    bridge = TransformerBridge.boot_transformers(
        args.model_dir, hf_model=hf, tokenizer=AutoTokenizer.from_pretrained(args.model_dir), device="cpu"
    )
    start = time.perf_counter()
    bridge.enable_compatibility_mode(disable_warnings=True)
    processing = time.perf_counter() - start
    bridge.eval()
    cfg = bridge.cfg
    tokens = torch.tensor([random_tokens(min(args.tokens, cfg.n_ctx), cfg.d_vocab)])
    print(f"model      {args.model_dir}")
    print(f"shape      {cfg.n_layers}x{cfg.d_model}, {cfg.n_heads} heads, d_mlp {cfg.d_mlp}, vocab {cfg.d_vocab}; "
          f"{tokens.shape[1]} tokens")
    print(f"packages   transformer-lens {metadata.version('transformer-lens')}, torch {torch.__version__}, "
          f"{torch.get_num_threads()} torch threads")
    print(f"{'enable_compatibility_mode (once per model)':<52}{processing * 1000:9.3f} ms")

    with torch.no_grad():
        logits, cache = bridge.run_with_cache(tokens)
        median_ms("forward pass, run_with_cache", lambda: bridge.run_with_cache(tokens), max(1, args.runs // 4))
        answer, wrong = torch.topk(logits[0, -1], 2).indices.tolist()
        direction = bridge.W_U[:, answer] - bridge.W_U[:, wrong]
        k = args.top_k
        median_ms(f"logit lens, last position, all layers, top-{k}",
                  lambda: logit_lens(bridge, cache=cache, positions=-1, top_k=k, return_type="probs"), args.runs)
        median_ms("logit lens, target rank/prob (separate call)",
                  lambda: logit_lens(bridge, cache=cache, positions=-1, targets=[answer], return_type="probs"),
                  args.runs)
        median_ms("DLA per head (+ remainder), last position",
                  lambda: direct_logit_attribution(bridge, answer_tokens=answer, incorrect_tokens=wrong,
                                                   unit="head", pos=-1, cache=cache), args.runs)
        median_ms(f"DLA per head, all {tokens.shape[1]} positions",
                  lambda: direct_logit_attribution(bridge, answer_tokens=answer, incorrect_tokens=wrong,
                                                   unit="head", pos=None, cache=cache), args.runs)
        median_ms("DLA per component, last position",
                  lambda: direct_logit_attribution(bridge, answer_tokens=answer, incorrect_tokens=wrong,
                                                   unit="component", pos=-1, cache=cache), args.runs)
        median_ms("DLA per neuron, last position",
                  lambda: cache.stack_neuron_results(layer=-1, pos_slice=-1, apply_ln=True,
                                                     project_output_onto=direction), args.runs)
    print(f"notes      answer/wrong = #{answer}, #{wrong}")


if __name__ == "__main__":
    main()
