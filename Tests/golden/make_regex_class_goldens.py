#!/usr/bin/env python3
"""Record which Unicode scalars each regex class matches in `tokenizers`' regex engine (Oniguruma).

Split pre-tokenizers of real checkpoints use \\p{L}, \\p{Lu}..\\p{Lo}, \\p{M}, \\p{N}, \\p{P}, \\p{S}, \\s, \\d
and \\w. For each class, one Split over a string holding every scalar (surrogates excluded) gives the
members; they are written as compact ranges to tokenizers/regex_scalar_classes.json, which
TokenizerRegexClassTests compares with Mechscope's regex classes for every scalar.

Run from the repository root (versions pinned in Tests/golden/requirements.txt):
    HF_HUB_OFFLINE=1 /work/venv/bin/python Tests/golden/make_regex_class_goldens.py
"""
import json
import os

import tokenizers
from tokenizers import Regex, pre_tokenizers

assert tokenizers.__version__ == "0.23.3", tokenizers.__version__

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tokenizers", "regex_scalar_classes.json")
CLASSES = ["\\p{L}", "\\p{Lu}", "\\p{Ll}", "\\p{Lt}", "\\p{Lm}", "\\p{Lo}", "\\p{M}", "\\p{N}", "\\p{Nd}", "\\p{P}",
           "\\p{S}", "\\p{Z}", "\\p{C}", "\\s", "\\d", "\\w"]


def main():
    scalars = [cp for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF]
    text = "".join(chr(cp) for cp in scalars)
    result = {}
    for name in CLASSES:
        # Removed: what is left are the non-members (offsets in scalars); members are the rest.
        split = pre_tokenizers.Split(Regex(name), behavior="removed")
        covered = bytearray(len(scalars))
        for _, (start, end) in split.pre_tokenize_str(text):
            covered[start:end] = b"\x01" * (end - start)
        members = [i for i in range(len(scalars)) if not covered[i]]
        ranges = []
        for index in members:
            cp = scalars[index]
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
        result[name] = ranges
        print(name, sum(b - a + 1 for a, b in ranges))
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(result, f, sort_keys=True, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
