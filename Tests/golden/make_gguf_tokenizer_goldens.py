"""GGUF tokenizer goldens: small GGUF files holding only tokenizer metadata (no tensors), written with
gguf-py's GGUFWriter as llama.cpp's converter writes them, and the token ids `transformers`' own GGUF
tokenizer (AutoTokenizer.from_pretrained(folder, gguf_file=...)) gives on hard strings, with and
without special tokens.

- byte-level BPE vocabularies (`tokenizer.ggml.model` gpt2) trained here on the golden corpus, one file
  per `tokenizer.ggml.pre` value: names transformers maps to a split pattern (llama-bpe, qwen2, qwen35,
  tekken, gpt-4o, dbrx) and names it does not (default, smollm, deepseek-coder, falcon, an unknown one),
  with control, user-defined and a mislabelled control token, and several add_bos/add_eos settings;
- SentencePiece vocabularies (`tokenizer.ggml.model` llama) trained here as Metaspace BPE and written as
  llama.cpp writes them: tokens with scores, no merges, <unk>/<s>/</s>, the 256 <0xNN> byte tokens,
  control, user-defined and unused tokens; with and without the add_bos flag, one with add_eos, one
  without byte tokens, one with other special-token names, ones of architecture phi3 and gemma2, and
  one of `tokenizer.ggml.model` gemma4;
- Unigram vocabularies (`tokenizer.ggml.model` t5) trained here, with llama.cpp's [PADn] sentinel placeholders,
  with and without an add_eos flag.

    /work/venv/bin/python Tests/golden/make_gguf_tokenizer_goldens.py   (Tests/golden/requirements-real.txt)
"""
import json
import os
import sys

import gguf
import tokenizers
import transformers
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import AutoTokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "golden", "gguf-tokenizers")
sys.path.insert(0, os.path.join(ROOT, "Tests", "golden"))
from golden_corpus import CODE, NON_ASCII, NUMBERS, PROSE, WHITESPACE  # noqa: E402

CORPUS = PROSE + CODE + NUMBERS + NON_ASCII + WHITESPACE

NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6


def hard_strings(extra):
    cases = json.load(open(os.path.join(ROOT, "Tests", "golden", "tokenizers", "cases.json")))
    texts = []
    for entry in cases["tokenizers"].values():
        for case in entry["cases"]:
            if case["text"] not in texts:
                texts.append(case["text"])
    texts += [
        "The capital of France is", "  leading spaces\t\ttabs\r\n", "1234567 3.14159 12345678901",
        "\u2581already\u2581marked", "<0x41><0x0A>", "trailing space ", "   ", " \n ", "\n", "x\u0301\u0302",
        "日本語のテキスト", "한국어 텍스트", "Ünïcödé ÀÉÎ", "camelCaseWord HTTPServer iPhone", "a/b/c\n\nd",
        "I'M YOU'RE they'Ve", "\U0001F600\U0001F601 \U0001F44B\U0001F3FF", "\ud7ff\ue000\uffff",
    ]
    return texts + [t for t in extra if t not in texts]


def writer(path, architecture):
    w = gguf.GGUFWriter(path, architecture)
    w.add_name("tokenizer-golden")
    w.add_block_count(1)
    w.add_context_length(64)
    w.add_embedding_length(8)
    w.add_feed_forward_length(16)
    w.add_head_count(2)
    w.add_head_count_kv(2)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_rope_freq_base(10000.0)
    return w


def finish(w):
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


# ---- byte-level BPE (gpt2) ------------------------------------------------------------------------

def train_byte_level():
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    trainer = trainers.BpeTrainer(vocab_size=520, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  special_tokens=["<|endoftext|>", "<|im_start|>", "<|im_end|>"], show_progress=False)
    tok.train_from_iterator([CORPUS] * 3, trainer)
    data = json.loads(tok.to_str())
    vocab = data["model"]["vocab"]
    tokens = [None] * len(vocab)
    for token, i in vocab.items():
        tokens[i] = token
    merges = [m if isinstance(m, str) else " ".join(m) for m in data["model"]["merges"]]
    # A user-defined token (as a reasoning model's <think>), spelled in the byte alphabet, and a control
    # token written outside it (llama.cpp's mislabel, which transformers skips), then an unused slot.
    tokens += ["<think>", "</think>", "<\uff5cbegin\u2581of\u2581sentence\uff5c>", "[PAD0]"]
    types = [CONTROL if t in ("<|endoftext|>", "<|im_start|>", "<|im_end|>") else NORMAL for t in tokens[:-4]]
    types += [USER_DEFINED, USER_DEFINED, CONTROL, UNUSED]
    return tokens, merges, types


BYTE_LEVEL_FILES = [
    # name, pre, add_bos, add_eos (None: key absent)
    ("gpt2-default", "default", None, None),
    ("gpt2-smollm", "smollm", False, False),
    ("gpt2-llama-bpe", "llama-bpe", True, None),
    ("gpt2-qwen2", "qwen2", None, None),
    ("gpt2-qwen35", "qwen35", None, True),
    ("gpt2-tekken", "tekken", None, None),
    ("gpt2-gpt-4o", "gpt-4o", None, None),
    ("gpt2-dbrx", "dbrx", True, True),
    ("gpt2-deepseek-coder", "deepseek-coder", None, None),
    ("gpt2-falcon", "falcon", None, None),
    ("gpt2-unknown-pre", "no-such-pre-tokenizer", None, None),
    # No <|endoftext|> in the vocabulary and no BOS id: GPT2Tokenizer's default special token is added
    # with a new id, and no BOS is known.
    ("gpt2-no-endoftext", "qwen2", True, None),
]


def write_byte_level(name, pre, add_bos, add_eos, vocab):
    tokens, merges, types = vocab
    renamed = name == "gpt2-no-endoftext"
    if renamed:
        tokens = [t.replace("<|endoftext|>", "<|end_of_text|>") for t in tokens]
    path = os.path.join(OUT, f"{name}.gguf")
    w = writer(path, "qwen2" if renamed else "llama")
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre(pre)
    w.add_token_list(tokens)
    w.add_token_merges(merges)
    w.add_token_types(types)
    if not renamed:
        w.add_bos_token_id(tokens.index("<|im_start|>"))
    w.add_eos_token_id(tokens.index("<|end_of_text|>" if renamed else "<|endoftext|>"))
    w.add_pad_token_id(tokens.index("<|im_end|>"))
    if add_bos is not None:
        w.add_add_bos_token(add_bos)
    if add_eos is not None:
        w.add_add_eos_token(add_eos)
    finish(w)
    return path


# ---- SentencePiece (llama) -------------------------------------------------------------------------

def train_sentencepiece():
    """Metaspace BPE pieces from the corpus, as (piece, score) with llama.cpp's score = -rank; scores are
    bucketed in fives so equal scores (whose merge order the loader must break alike) occur."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    trainer = trainers.BpeTrainer(vocab_size=420, show_progress=False)
    tok.train_from_iterator([CORPUS] * 3, trainer)
    vocab = json.loads(tok.to_str())["model"]["vocab"]
    pieces = sorted(vocab.items(), key=lambda kv: kv[1])
    # Multi-character pieces first (by training rank), then the single characters, as SentencePiece orders them.
    multi = [p for p, _ in pieces if len(p) > 1]
    single = [p for p, _ in pieces if len(p) == 1]
    ordered = multi + single
    return [(p, -float(i // 5)) for i, p in enumerate(ordered)]


SENTENCEPIECE_FILES = [
    # name, architecture, add_bos (None: key absent), add_eos, byte tokens
    ("llama-spm", "llama", None, None, True),
    ("llama-spm-no-bos-flag-false", "llama", False, None, True),
    ("llama-spm-eos", "llama", True, True, True),
    ("llama-spm-no-bytes", "llama", None, None, False),
    ("phi3-spm", "phi3", None, None, True),
    # Gemma-style names (<pad> <bos> <eos>, no unknown token id): LlamaTokenizer's default <s> </s> <unk>
    # are added as special tokens with new ids; add_space_prefix false (transformers does not read it).
    ("llama-spm-other-names", "llama", None, None, True),
    # Gemma: <pad> <eos> <bos> <unk> <mask> first, whitespace tokens stored with real spaces, no prefix space.
    ("gemma2-spm", "gemma2", None, None, True),
    # tokenizer.ggml.model gemma4: Gemma's shape on the tokens as written; BOS never added, whatever the flag.
    ("gemma4-spm", "llama", True, None, True),
]


def write_sentencepiece(name, architecture, add_bos, add_eos, with_bytes, pieces):
    other_names = name == "llama-spm-other-names"
    gemma = architecture == "gemma2" or name == "gemma4-spm"
    if gemma:
        tokens, types = ["<pad>", "<eos>", "<bos>", "<unk>", "<mask>"], [CONTROL, CONTROL, CONTROL, UNKNOWN, USER_DEFINED]
    elif other_names:
        tokens, types = ["<pad>", "<bos>", "<eos>"], [CONTROL, CONTROL, CONTROL]
    else:
        tokens, types = ["<unk>", "<s>", "</s>"], [UNKNOWN, CONTROL, CONTROL]
    scores = [0.0] * len(tokens)
    if with_bytes:
        for b in range(256):
            tokens.append(f"<0x{b:02X}>")
            scores.append(0.0)
            types.append(BYTE)
    for piece, score in pieces:
        tokens.append(piece)
        scores.append(score)
        types.append(NORMAL)
    extra = [("<|im_start|>", CONTROL), ("<|im_end|>", CONTROL), ("<think>", USER_DEFINED),
             ("<mask>", USER_DEFINED), ("\u2581\u2581\u2581\u2581", USER_DEFINED), ("<unused0>", UNUSED)]
    if gemma:
        extra = [("<start_of_turn>", CONTROL), ("<end_of_turn>", CONTROL), ("<think>", USER_DEFINED),
                 ("  ", NORMAL), ("   ", NORMAL), (" \t", NORMAL), ("\n\n", NORMAL), ("  x", USER_DEFINED),
                 ("<unused0>", UNUSED)]
    for token, token_type in extra:
        tokens.append(token)
        scores.append(-1000.0)
        types.append(token_type)
    path = os.path.join(OUT, f"{name}.gguf")
    w = writer(path, architecture)
    w.add_tokenizer_model("gemma4" if name == "gemma4-spm" else "llama")
    w.add_tokenizer_pre("default")
    w.add_token_list(tokens)
    w.add_token_scores(scores)
    w.add_token_types(types)
    if gemma:
        w.add_pad_token_id(0)
        w.add_eos_token_id(1)
        w.add_bos_token_id(2)
        w.add_unk_token_id(3)
    else:
        w.add_bos_token_id(1)
        w.add_eos_token_id(2)
        if other_names:
            w.add_pad_token_id(0)
        else:
            w.add_unk_token_id(0)
    w.add_add_space_prefix(not (other_names or gemma))
    if add_bos is not None:
        w.add_add_bos_token(add_bos)
    if add_eos is not None:
        w.add_add_eos_token(add_eos)
    finish(w)
    return path


# ---- Unigram (t5) ----------------------------------------------------------------------------------

def train_unigram():
    """(piece, score) pairs of a Unigram model trained on the corpus, <pad> </s> <unk> first as T5 has them."""
    tok = Tokenizer(models.Unigram())
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    trainer = trainers.UnigramTrainer(vocab_size=300, special_tokens=["<pad>", "</s>", "<unk>"], unk_token="<unk>",
                                      show_progress=False)
    tok.train_from_iterator([CORPUS] * 3, trainer)
    return [(piece, float(score)) for piece, score in json.loads(tok.to_str())["model"]["vocab"]]


UNIGRAM_FILES = [
    # name, add_eos (None: key absent, T5's own template appends </s>)
    ("t5-unigram", None),
    ("t5-unigram-no-eos-flag", False),
]


def write_unigram(name, add_eos, pieces):
    tokens = [p for p, _ in pieces]
    scores = [s for _, s in pieces]
    types = [CONTROL, CONTROL, UNKNOWN] + [NORMAL] * (len(pieces) - 3)
    # llama.cpp writes T5's sentinels as [PADn] placeholders; 5 here (the other 95 sentinels get new ids),
    # plus a control and a user-defined token.
    for i in range(5):
        tokens.append(f"[PAD{len(pieces) + i}]")
        scores.append(0.0)
        types.append(UNUSED)
    for token, token_type in [("<sep>", CONTROL), ("<think>", USER_DEFINED)]:
        tokens.append(token)
        scores.append(0.0)
        types.append(token_type)
    path = os.path.join(OUT, f"{name}.gguf")
    w = writer(path, "llama")
    w.add_tokenizer_model("t5")
    w.add_tokenizer_pre("default")
    w.add_token_list(tokens)
    w.add_token_scores(scores)
    w.add_token_types(types)
    w.add_eos_token_id(1)
    w.add_unk_token_id(2)
    w.add_pad_token_id(0)
    if add_eos is not None:
        w.add_add_eos_token(add_eos)
    finish(w)
    return path


def write_refused():
    """Files Mechscope refuses in one line, as transformers does: a tokenizer model it does not build
    (rwkv) and a SentencePiece vocabulary with neither scores nor merges."""
    for name, architecture, model, scores in [("refused-rwkv", "llama", "rwkv", True),
                                              ("refused-spm-without-scores", "llama", "llama", False)]:
        w = writer(os.path.join(OUT, f"{name}.gguf"), architecture)
        w.add_tokenizer_model(model)
        w.add_token_list(["<unk>", "<s>", "</s>", "\u2581a", "a"])
        if scores:
            w.add_token_scores([0.0, 0.0, 0.0, -1.0, -2.0])
        w.add_token_types([UNKNOWN, CONTROL, CONTROL, NORMAL, NORMAL])
        finish(w)


def cases_for(path, extra_texts, shared_texts):
    """One case per hard string: the text (an index into the shared list `texts`), raw ids, ids with special
    tokens, and the decoded text only where it differs from the input (kept small: 20 files share the texts)."""
    tok = AutoTokenizer.from_pretrained(OUT, gguf_file=os.path.basename(path))
    backend = json.loads(tok.backend_tokenizer.to_str())
    cases = []
    for text in hard_strings(extra_texts):
        if text not in shared_texts:
            shared_texts.append(text)
        raw = tok(text, add_special_tokens=False).input_ids
        case = {"text": shared_texts.index(text), "ids": raw, "ids_with_special": tok(text, add_special_tokens=True).input_ids}
        decoded = tok.decode(raw)
        if decoded != text:
            case["decoded"] = decoded
        cases.append(case)
    return {
        "file": os.path.basename(path),
        "vocab_size": len(tok),
        "bos_id": tok.bos_token_id, "eos_id": tok.eos_token_id,
        "added_tokens": [[t["id"], t["content"], t["special"]] for t in backend["added_tokens"]],
        "pre_tokenizer": backend["pre_tokenizer"],
        "cases": cases,
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    goldens = {"transformers": transformers.__version__, "tokenizers": tokenizers.__version__,
               "gguf": "0.17.1", "texts": [], "files": []}
    byte_vocab = train_byte_level()
    specials = ["<|endoftext|>", "<|im_start|>user\nHi<|im_end|>\n", "<think>why</think> so",
                "<\uff5cbegin\u2581of\u2581sentence\uff5c>", "[PAD0]", "a<|endoftext|>b", "<|end_of_text|>"]
    for name, pre, add_bos, add_eos in BYTE_LEVEL_FILES:
        path = write_byte_level(name, pre, add_bos, add_eos, byte_vocab)
        goldens["files"].append(cases_for(path, specials, goldens["texts"]))
    pieces = train_sentencepiece()
    specials = ["<s>", "</s>", "<unk>", "<s>hello</s>", "<bos>x<eos><pad>", "<start_of_turn>user\nhi  there<end_of_turn>", "a  x  b", " <s> spaced </s> ", "<|im_start|>user\nHi<|im_end|>\n",
                "<think>why</think>", "a <mask> b", "x    y", "<unused0>", "\u2581", "\u2581\u2581x"]
    for name, architecture, add_bos, add_eos, with_bytes in SENTENCEPIECE_FILES:
        path = write_sentencepiece(name, architecture, add_bos, add_eos, with_bytes, pieces)
        goldens["files"].append(cases_for(path, specials, goldens["texts"]))
    pieces = train_unigram()
    specials = ["</s>", "<pad>", "<unk>", "<extra_id_0> x <extra_id_99>", "<extra_id_97>", "[PAD300]", "a<sep>b <think>c",
                "   spaced    words   ", "\u2581"]
    for name, add_eos in UNIGRAM_FILES:
        path = write_unigram(name, add_eos, pieces)
        goldens["files"].append(cases_for(path, specials, goldens["texts"]))
    write_refused()
    out = os.path.join(OUT, "goldens.json")
    with open(out, "w") as f:
        json.dump(goldens, f, ensure_ascii=False, separators=(",", ":"))
    sizes = {f: os.path.getsize(os.path.join(OUT, f)) for f in sorted(os.listdir(OUT))}
    print("wrote", out, len(goldens["files"]), "files,", sum(len(g["cases"]) for g in goldens["files"]), "cases")
    print(sizes)


if __name__ == "__main__":
    main()
