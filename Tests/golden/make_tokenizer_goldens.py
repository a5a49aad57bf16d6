#!/usr/bin/env python3
"""Train small tokenizers with Hugging Face `tokenizers` and record their exact behaviour.

Mechscope's Swift tokenizer must produce token boundaries identical to Hugging Face. This script
trains tiny tokenizers on an in-script corpus (so nothing is downloaded), saves them in the
formats Mechscope loads, and writes `tokenizers/cases.json`: for every tokenizer and every tricky
input string, the ids, the vocabulary strings of those ids and the decoded text, all as computed
by `tokenizers` itself.

Run from the repository root (versions pinned in Tests/golden/requirements.txt):
    HF_HUB_OFFLINE=1 /work/venv/bin/python Tests/golden/make_tokenizer_goldens.py
The output is deterministic: running it twice yields byte-identical files.
"""
import json
import os
import random
import shutil

import tokenizers
from tokenizers import AddedToken, Tokenizer, decoders, models, normalizers, pre_tokenizers
from tokenizers.implementations import ByteLevelBPETokenizer

assert tokenizers.__version__ == "0.23.3", tokenizers.__version__

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tokenizers")

ENGLISH = """
The quick brown fox jumps over the lazy dog. The dog didn't move; it was sleeping in the sun.
I'll be there at 10:30, and we'll talk about what you're planning. They've said it's fine.
She'd like to know whether he's coming too. I'm sure we can find a table for 12 people.
Transformers process tokens in parallel, and attention lets every position look at earlier ones.
A residual stream carries information between layers; each head reads from it and writes back.
Interpretability research asks which components implement which behaviour, and why.
In 2019, GPT-2 was released with 1.5 billion parameters. Numbers like 3.14159 and 2,718 appear.
Prices rose by 4.5% to $1,234.56 while 7 out of 10 analysts expected 0.25 basis points.
Hello world! Hello, world? "Quoted text" and 'single quotes' -- dashes... ellipses!!!
The weather today is sunny with a chance of rain in the afternoon and evening hours.
Reading, writing and arithmetic are the basics; history, science and music follow later.
Once upon a time there was a small village near a river, where everybody knew everybody.
"""

CODE = """
def fibonacci(n):
    if n < 2:
        return n
    return fibonacci(n - 1) + fibonacci(n - 2)

for i in range(10):
    print(f"{i}: {fibonacci(i)}")

class Counter:
    def __init__(self):
        self.count = 0

    def increment(self, step=1):
        self.count += step
        return self.count

int main(void) {
    int total = 0;
    for (int i = 0; i < 100; i++) { total += i * i; }
    printf("%d\\n", total);
    return 0;
}
if (a != b && c >= d) { x = y << 2; } else { x = y >> 2; }
"""

MULTILINGUAL = """
你好，世界！今天天气很好，我们去公园散步吧。机器学习和自然语言处理非常有趣。
中文分词是一个重要的问题。我喜欢读书和写字。
مرحبا بالعالم. كيف حالك اليوم؟ أنا بخير، شكرا جزيلا. اللغة العربية جميلة جدا.
नमस्ते दुनिया। आप कैसे हैं? मैं ठीक हूँ, धन्यवाद। हिन्दी भाषा बहुत सुंदर है। तुम्हारा नाम क्या है?
สวัสดีชาวโลก วันนี้อากาศดีมาก
Привет, мир! Как дела? Всё хорошо, спасибо.
Γειά σου κόσμε. Καλημέρα!
naïve café résumé façade coöperate — jalapeño señor über straße
こんにちは世界。カタカナとひらがな。
👍 👍🏽 👍🏿 👋🏻 hello 👨‍👩‍👧 family 👩‍💻 coder 🏳️‍🌈 flag 🇺🇸 🇫🇷 ❤️ 😀😃😄 🎉
"""


def corpus():
    lines = []
    for _ in range(4):
        lines += [l for l in ENGLISH.splitlines() if l]
        lines += [l for l in CODE.splitlines() if l]
    for _ in range(6):
        lines += [l for l in MULTILINGUAL.splitlines() if l]
    return lines


CASES = [
    "",
    " ",
    "   ",
    "\t",
    " \t \t",
    "hello world",
    " hello",
    "hello ",
    "  hello  world  ",
    "\thello",
    "\n\n",
    "a\n\nb",
    "\r\n",
    "line one\r\nline two",
    "a \n  b",
    "a  \t\n b",
    "a\t\tb",
    "I'll've",
    "DON'T",
    "don't you're we've I'm he'd she's",
    "'s 's' ''s 'S",
    "!!'s",
    "123456",
    "3.14159 and 2,000,000",
    "...!!!???",
    "--->>> <== ===",
    "<|endoftext|>",
    "Hello<|endoftext|>World",
    "end. <|endoftext|> start",
    "<|endoftext|><|endoftext|>",
    "   <|endoftext|>   ",
    "<|endoftext|",
    "<|end",
    "👍🏽",
    "👨‍👩‍👧",
    "👍🏽 thumbs 👨‍👩‍👧 family",
    "émoji👍🏽at end",
    "🇺🇸🇫🇷",
    "naïve café",
    "nai\u0308ve cafe\u0301",
    "e\u0301\u0301\u0301",
    "你好，世界！",
    "机器学习",
    "مرحبا بالعالم",
    "नमस्ते दुनिया",
    "तुम्हारा",
    "สวัสดีชาวโลก",
    "a\u200db",
    "\u200b",
    "\ufffd",
    "x\x00y",
    "\x7f\x1b[31mred",
    "\u00a0nbsp\u00a0",
    "\u3000全角",
    "x\u2028y",
    "\u0085",
    "ﬁnal ﬁx",
    "Ω Å",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "½ ² Ⅷ ٣",
    "_under_score_",
    "supercalifragilistic" * 50,
    "Xylophone quizzically zigzagged.",
    "def f(x):\n    return x**2  # square",
    "    indented",
    "if (a != b) { return; }",
    "HTTP/1.1 200 OK",
    "The quick brown fox jumps over the lazy dog.",
]

WORDLEVEL_CASES = CASES + ["5 = 5", "112=0", "113", "007", "12 = 34 = 56", "  7  ", "1\n2\t3"]

ADDED_CASES = CASES + [
    "<mask>",
    "a <mask> b",
    "a   <mask>",
    "x<mask>y",
    "<r>   tail",
    "<r>",
    "[SW] alone",
    "in[SW]side",
    "ok [SW]",
    "[SW][SW]",
    "final ﬁnal FINAL",
    "<|end of <|endoftext|>",
    "café and café",
]


def learn_affixed_bpe(lines, merge_count):
    """Classic BPE learning on Whitespace-split words, most frequent pair first, ties broken by the
    pair's text; symbols after the first carry "##", the last one "</w>"."""
    splitter = pre_tokenizers.Whitespace()
    counts = {}
    for line in lines:
        for word, _ in splitter.pre_tokenize_str(line):
            counts[word] = counts.get(word, 0) + 1
    words = {}
    for word in sorted(counts):
        symbols = [c if i == 0 else "##" + c for i, c in enumerate(word)]
        symbols[-1] += "</w>"
        words[word] = symbols
    vocab = {"[UNK]": 0}
    for word in sorted(words):
        for symbol in words[word]:
            vocab.setdefault(symbol, len(vocab))
    merges = []
    for _ in range(merge_count):
        pairs = {}
        for word, symbols in words.items():
            for pair in zip(symbols, symbols[1:]):
                pairs[pair] = pairs.get(pair, 0) + counts[word]
        if not pairs:
            break
        (left, right), count = min(pairs.items(), key=lambda item: (-item[1], item[0]))
        if count < 2:
            break
        merged = left + right[2:]  # tokenizers drops the continuation prefix of the right part
        merges.append((left, right))
        vocab.setdefault(merged, len(vocab))
        for word, symbols in words.items():
            out, i = [], 0
            while i < len(symbols):
                if i + 1 < len(symbols) and symbols[i] == left and symbols[i + 1] == right:
                    out.append(merged)
                    i += 2
                else:
                    out.append(symbols[i])
                    i += 1
            words[word] = out
    return vocab, merges


def train_byte_level(add_prefix_space):
    tok = ByteLevelBPETokenizer(add_prefix_space=add_prefix_space)
    tok.train_from_iterator(
        corpus(), vocab_size=1000, min_frequency=2, show_progress=False, special_tokens=["<|endoftext|>"]
    )
    return Tokenizer.from_str(tok.to_str())


def fresh_dir(name):
    path = os.path.join(OUT, name)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")


def byte_level_from_vocab_merges(folder, add_prefix_space):
    """What a vocab.json + merges.txt folder means: GPT-2 byte-level BPE with <|endoftext|> special."""
    tok = Tokenizer(models.BPE.from_file(os.path.join(folder, "vocab.json"), os.path.join(folder, "merges.txt")))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=add_prefix_space)
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens(["<|endoftext|>"])
    return tok


def record(tok, texts):
    out = []
    for text in texts:
        enc = tok.encode(text, add_special_tokens=False)
        out.append({
            "text": text,
            "ids": enc.ids,
            "tokens": [tok.id_to_token(i) for i in enc.ids],
            "decoded": tok.decode(enc.ids, skip_special_tokens=False),
            "decoded_skipping_special": tok.decode(enc.ids, skip_special_tokens=True),
        })
    return out


def assert_same_behaviour(a, b, texts, what):
    for text in texts:
        ea, eb = a.encode(text), b.encode(text)
        assert ea.ids == eb.ids, (what, text, ea.ids, eb.ids)
        assert a.decode(ea.ids, skip_special_tokens=False) == b.decode(eb.ids, skip_special_tokens=False), (what, text)


def random_id_sequences(vocab_size, rng):
    return [[rng.randrange(vocab_size) for _ in range(rng.randint(1, 6))] for _ in range(60)]


def scalar_classes():
    """Classify every Unicode scalar the way the pre-tokenizers' regexes do, as compact ranges.

    gpt2: which GPT-2 regex class a scalar falls in (L letter, N number, S whitespace, O other),
    probed by whether it joins a preceding "a", "1", "\t" or "!" into one piece.
    word: the Whitespace pre-tokenizer's classes (W word char, S whitespace, P anything else).
    """
    byte_level = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    whitespace = pre_tokenizers.Whitespace()

    def joins(pre, text):
        pieces = pre.pre_tokenize_str(text)
        return len(pieces) == 1 and pieces[0][1] == (0, len(text))

    gpt2, word = [], []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            gpt2.append("-")
            word.append("-")
            continue
        c = chr(cp)
        hits = [joins(byte_level, p + c) for p in ("a", "1", "\t", "!")]
        assert sum(hits) == 1, (hex(cp), hits)
        gpt2.append("LNSO"[hits.index(True)])
        word.append("W" if joins(whitespace, "a" + c) else ("P" if joins(whitespace, "!" + c) else "S"))

    def ranges(classes):
        out, start = {}, 0
        for i in range(1, len(classes) + 1):
            if i == len(classes) or classes[i] != classes[start]:
                if classes[start] != "-":
                    out.setdefault(classes[start], []).append([start, i - 1])
                start = i
        return out

    return {"gpt2": ranges(gpt2), "word": ranges(word)}


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "scalar_classes.json"), "w", encoding="utf-8") as f:
        json.dump(scalar_classes(), f, sort_keys=True, separators=(",", ":"))
        f.write("\n")
    rng = random.Random(1234)
    summary = {"tokenizers_version": tokenizers.__version__, "tokenizers": {}}

    # (a) GPT-2 style: byte-level BPE, no prefix space, merges stored as [a, b] pairs.
    gpt2 = train_byte_level(add_prefix_space=False)
    folder = fresh_dir("bpe-gpt2style")
    gpt2.save(os.path.join(folder, "tokenizer.json"), pretty=False)
    gpt2.model.save(folder)
    assert_same_behaviour(gpt2, byte_level_from_vocab_merges(folder, False), CASES, "bpe-gpt2style")
    vocab_size = gpt2.get_vocab_size(with_added_tokens=True)
    sequences = random_id_sequences(vocab_size, rng) + [[i] for i in range(vocab_size)]
    summary["tokenizers"]["bpe-gpt2style"] = {
        "vocab_size": vocab_size,
        "cases": record(gpt2, CASES),
        "decode_sequences": [{"ids": ids, "decoded": gpt2.decode(ids, skip_special_tokens=False)} for ids in sequences],
    }

    # (b) Same corpus with add_prefix_space=true; merges rewritten to the legacy "a b" string form.
    prefix = train_byte_level(add_prefix_space=True)
    folder = fresh_dir("bpe-prefix")
    state = json.loads(prefix.to_str())
    state["model"]["merges"] = [" ".join(pair) for pair in state["model"]["merges"]]
    legacy = Tokenizer.from_str(json.dumps(state, ensure_ascii=False))
    assert_same_behaviour(prefix, legacy, CASES, "bpe-prefix legacy merges")
    with open(os.path.join(folder, "tokenizer.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(state, ensure_ascii=False, separators=(",", ":")))
    prefix.model.save(folder)
    write_json(os.path.join(folder, "tokenizer_config.json"), {
        "add_prefix_space": True,
        "bos_token": "<|endoftext|>",
        "eos_token": {"content": "<|endoftext|>", "special": True, "__type": "AddedToken"},
        "tokenizer_class": "GPT2Tokenizer",
    })
    assert_same_behaviour(prefix, byte_level_from_vocab_merges(folder, True), CASES, "bpe-prefix")
    summary["tokenizers"]["bpe-prefix"] = {
        "vocab_size": prefix.get_vocab_size(with_added_tokens=True),
        "cases": record(prefix, CASES),
    }

    # (c) WordLevel over "0".."112" and "=", split on whitespace and punctuation.
    words = [str(i) for i in range(113)] + ["=", "[UNK]"]
    wordlevel = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="[UNK]"))
    wordlevel.pre_tokenizer = pre_tokenizers.Whitespace()
    folder = fresh_dir("wordlevel")
    wordlevel.save(os.path.join(folder, "tokenizer.json"), pretty=False)
    summary["tokenizers"]["wordlevel"] = {
        "vocab_size": wordlevel.get_vocab_size(with_added_tokens=True),
        "cases": record(wordlevel, WORDLEVEL_CASES),
    }

    # (d) WordLevel split on whitespace only (WhitespaceSplit inside a Sequence).
    split = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="[UNK]"))
    split.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit()])
    folder = fresh_dir("wordlevel-whitespacesplit")
    split.save(os.path.join(folder, "tokenizer.json"), pretty=False)
    summary["tokenizers"]["wordlevel-whitespacesplit"] = {
        "vocab_size": split.get_vocab_size(with_added_tokens=True),
        "cases": record(split, WORDLEVEL_CASES),
    }

    # (e) The GPT-2 style model with an NFKC normalizer and added tokens exercising every flag.
    added = Tokenizer.from_str(gpt2.to_str())
    added.normalizer = normalizers.NFKC()
    added.add_special_tokens([
        AddedToken("<mask>", lstrip=True, special=True, normalized=False),
        AddedToken("<r>", rstrip=True, special=True, normalized=False),
        AddedToken("<|end", special=True, normalized=False),
    ])
    added.add_tokens([
        AddedToken("[SW]", single_word=True, special=False, normalized=False),
        AddedToken("ﬁnal", special=False, normalized=True),
        AddedToken("café", special=False, normalized=True),
    ])
    folder = fresh_dir("bpe-added-tokens")
    added.save(os.path.join(folder, "tokenizer.json"), pretty=False)
    added_size = added.get_vocab_size(with_added_tokens=True)
    summary["tokenizers"]["bpe-added-tokens"] = {
        "vocab_size": added_size,
        "cases": record(added, ADDED_CASES),
        "decode_sequences": [
            {"ids": ids, "decoded": added.decode(ids, skip_special_tokens=False),
             "decoded_skipping_special": added.decode(ids, skip_special_tokens=True)}
            for ids in [[i] for i in range(vocab_size, added_size)] + [list(range(vocab_size - 3, added_size))]
        ],
    }

    # (f) Non-byte-level BPE: Whitespace pieces, "##" continuation prefix, "</w>" suffix, fused [UNK]
    # (learned from English and code only, so other scripts are unknown). `BpeTrainer` breaks ties
    # between equally frequent pairs differently from run to run when affixes are used, so the merges
    # are learned by `learn_affixed_bpe` (deterministic) and `tokenizers` only applies them.
    english = [l for l in (ENGLISH + CODE).splitlines() if l]
    vocab, merges = learn_affixed_bpe(english, merge_count=160)
    affixed = Tokenizer(models.BPE(vocab, merges, unk_token="[UNK]", fuse_unk=True,
                                   continuing_subword_prefix="##", end_of_word_suffix="</w>"))
    affixed.pre_tokenizer = pre_tokenizers.Whitespace()
    affixed.add_special_tokens(["[UNK]"])
    folder = fresh_dir("bpe-affixes-unk")
    affixed.save(os.path.join(folder, "tokenizer.json"), pretty=False)
    summary["tokenizers"]["bpe-affixes-unk"] = {
        "vocab_size": affixed.get_vocab_size(with_added_tokens=True),
        "cases": record(affixed, CASES),
    }

    # (g) The same model with byte fallback (<0x00>..<0xFF> appended), unfused [UNK] and ignore_merges.
    state = json.loads(affixed.to_str())
    vocab = state["model"]["vocab"]
    for b in range(256):
        vocab["<0x%02X>" % b] = len(vocab)
    state["model"].update(byte_fallback=True, fuse_unk=False, ignore_merges=True)
    fallback = Tokenizer.from_str(json.dumps(state, ensure_ascii=False))
    folder = fresh_dir("bpe-byte-fallback")
    fallback.save(os.path.join(folder, "tokenizer.json"), pretty=False)
    summary["tokenizers"]["bpe-byte-fallback"] = {
        "vocab_size": fallback.get_vocab_size(with_added_tokens=True),
        "cases": record(fallback, CASES),
    }

    write_json(os.path.join(OUT, "cases.json"), summary)


if __name__ == "__main__":
    main()
