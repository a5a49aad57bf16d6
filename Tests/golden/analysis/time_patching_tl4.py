"""Times a full resid_pre activation-patching sweep in TransformerLens 4 and in Mechscope.

Same weights, same tokens: a GPT-2-small-shaped folder (Tests/golden/make_bench_model.py), a seeded
random 64-token clean prompt and a corrupted copy differing at positions 24, 40 and 52; the answer and
wrong tokens are those whose logits the corruption moves most apart at the last position (so the
normalised metric is well conditioned on random weights). TransformerLens
times `run_with_cache(clean)` + one corrupted run for the baseline + `get_act_patch_resid_pre` (12 x 64 =
768 patched runs), TransformerBridge in compatibility mode. Mechscope is timed as the whole
`mechscope patch --what resid_pre --json` process (open, both unpatched runs, the sweep). Both use one
thread (torch.set_num_threads(1), OPENBLAS_NUM_THREADS=1); the two grids are compared at the end.

    /work/venv-tl4/bin/python Tests/golden/analysis/time_patching_tl4.py /tmp/bench-models/gpt2-small-random \
        --mechscope .build-patching/release/mechscope
"""
import argparse
import json
import os
import subprocess
import time

os.environ["HF_HUB_OFFLINE"] = "1"

import torch
from transformers import AutoTokenizer, GPT2LMHeadModel
from transformers.utils import logging as hf_logging

from transformer_lens import patching
from transformer_lens.model_bridge import TransformerBridge

TOKENS = 64
DIFFERING = (24, 40, 52)


def prompts(vocab):
    g = torch.Generator().manual_seed(2024)
    clean = torch.randint(0, vocab, (TOKENS,), generator=g)
    corrupted = clean.clone()
    for p in DIFFERING:
        corrupted[p] = (clean[p] + 1 + torch.randint(0, vocab - 1, (1,), generator=g)) % vocab
    return clean.tolist(), corrupted.tolist()


def boot(folder):
    hf = GPT2LMHeadModel.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager")
    model = TransformerBridge.boot_transformers(folder, hf_model=hf, tokenizer=AutoTokenizer.from_pretrained(folder),
                                                device="cpu")
    model.enable_compatibility_mode(disable_warnings=True)
    model.eval()
    return model


def answer_and_wrong(model, clean, corrupted):
    with torch.no_grad():
        moved = model(torch.tensor([clean]))[0, -1] - model(torch.tensor([corrupted]))[0, -1]
    return int(moved.argmax()), int(moved.argmin())


def time_transformer_lens(model, clean, corrupted, answer, wrong):
    clean_t, corrupted_t = torch.tensor([clean]), torch.tensor([corrupted])

    def diff(logits):
        return logits[0, -1, answer] - logits[0, -1, wrong]

    with torch.no_grad():
        start = time.perf_counter()
        clean_logits, clean_cache = model.run_with_cache(clean_t)
        clean_diff, corrupted_diff = diff(clean_logits).item(), diff(model(corrupted_t)).item()
        grid = patching.get_act_patch_resid_pre(
            model, corrupted_t, clean_cache, lambda logits: (diff(logits) - corrupted_diff) / (clean_diff - corrupted_diff))
        seconds = time.perf_counter() - start
    return seconds, grid.tolist(), clean_diff, corrupted_diff


def time_mechscope(binary, folder, clean, corrupted, answer, wrong):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    args = [binary, "patch", folder, "--clean-ids", ",".join(map(str, clean)),
            "--corrupted-ids", ",".join(map(str, corrupted)), "--answer", f"#{answer}", "--wrong", f"#{wrong}",
            "--what", "resid_pre", "--json"]
    start = time.perf_counter()
    out = subprocess.run(args, env=env, check=True, capture_output=True, text=True).stdout
    seconds = time.perf_counter() - start
    report = json.loads(out)
    return seconds, report["grids"]["resid_pre"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model_dir")
    parser.add_argument("--mechscope", help="path to a release-built mechscope binary to time as well")
    args = parser.parse_args()
    torch.set_num_threads(1)
    hf_logging.set_verbosity_error()
    with open(os.path.join(args.model_dir, "config.json"), encoding="utf-8") as f:
        vocab = json.load(f)["vocab_size"]
    clean, corrupted = prompts(vocab)
    model = boot(args.model_dir)
    answer, wrong = answer_and_wrong(model, clean, corrupted)  # also the warm-up
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    tl_seconds, tl_grid, clean_diff, corrupted_diff = time_transformer_lens(model, clean, corrupted, answer, wrong)
    print(f"answer #{answer}, wrong #{wrong}: logit difference clean {clean_diff:.4f}, corrupted {corrupted_diff:.4f}")
    print(f"TransformerLens {TOKENS} tokens, resid_pre sweep (768 patched runs): {tl_seconds:.2f} s")
    if args.mechscope:
        ms_seconds, ms = time_mechscope(args.mechscope, args.model_dir, clean, corrupted, answer, wrong)
        worst = max(abs(a - b) for ra, rb in zip(ms["normalized"], tl_grid) for a, b in zip(ra, rb))
        print(f"Mechscope       {TOKENS} tokens, resid_pre sweep ({ms['forward_passes']} patched runs, "
              f"{768 - ms['forward_passes']} known): {ms_seconds:.2f} s (whole process)")
        print(f"largest difference between the normalised grids: {worst:.2e}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
