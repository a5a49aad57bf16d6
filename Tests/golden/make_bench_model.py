"""Create a GPT-2-small-shaped random model for timing Mechscope against its peers.

    /work/venv/bin/python Tests/golden/make_bench_model.py [OUT_DIR]   (default ./bench-models/gpt2-small-random)

The folder (about 500 MB of float32 safetensors) is NOT committed; regenerate it when needed. Shapes
match the gpt2 hub checkpoint (12 layers, d_model 768, 12 heads, n_positions 1024, vocab 50257) so
timings are comparable to the real model; the weights are random (seeded) because no hub access is
allowed. The tokenizer is a byte-level BPE trained on the small golden corpus, so it has only about
a thousand real tokens; its vocabulary is padded with never-produced filler tokens to 50257 ids,
with <|endoftext|> at 50256 like GPT-2.
"""
import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

import argparse
import sys

import torch
from transformers import GPT2Config, GPT2LMHeadModel
from transformers.utils import logging as hf_logging

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from byte_level_bpe import pad_vocabulary, save_gpt2_tokenizer_files, train_byte_level_bpe  # noqa: E402
from golden_corpus import golden_corpus  # noqa: E402

GPT2_VOCAB_SIZE = 50257


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", default=os.path.join(".", "bench-models", "gpt2-small-random"))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(1)
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()

    trained = train_byte_level_bpe(golden_corpus(), GPT2_VOCAB_SIZE)
    tokenizer = pad_vocabulary(trained, GPT2_VOCAB_SIZE)
    sample = "Café 東京🙂 def f(a):\n\treturn a"
    assert tokenizer.encode(sample).ids == trained.encode(sample).ids, "padding changed the encoding"

    config = GPT2Config(
        vocab_size=GPT2_VOCAB_SIZE, n_positions=1024, n_embd=768, n_layer=12, n_head=12,
        activation_function="gelu_new", bos_token_id=GPT2_VOCAB_SIZE - 1, eos_token_id=GPT2_VOCAB_SIZE - 1,
    )
    torch.manual_seed(args.seed)
    model = GPT2LMHeadModel(config)
    model.eval()
    model.save_pretrained(args.out_dir)
    save_gpt2_tokenizer_files(tokenizer, args.out_dir, config.n_positions)
    parameters = sum(p.numel() for p in model.parameters())
    print(f"wrote {args.out_dir}: {parameters / 1e6:.1f}M parameters, "
          f"{trained.get_vocab_size()} trained tokens padded to {tokenizer.get_vocab_size()}")


if __name__ == "__main__":
    main()
