#!/usr/bin/env python3
"""Train small tokenizers in the style of each model family and record `tokenizers`' exact behaviour.

Families (each trained here on the in-script corpus of make_tokenizer_goldens.py; nothing is downloaded):
  llama3      byte-level BPE, Split with the Llama-3 regex (Isolated) + ByteLevel(use_regex=false),
              <|begin_of_text|> template post-processor inside a Sequence with ByteLevel
  qwen2       NFC normalizer, Split with the Qwen2 regex (single digits), no BOS
  smollm2     Digits(individual_digits) + ByteLevel, <|im_start|>/<|im_end|> specials
  pythia      GPT-NeoX: NFC, ByteLevel, ByteLevel post-processor, <|endoftext|>/<|padding|>
  llama2      SentencePiece-style BPE: Metaspace(prepend_scheme=first, split=false), byte_fallback,
              fuse_unk, Replace/ByteFallback/Fuse/Strip decoder, "<s> $A" template
  mistral     the legacy SentencePiece conversion: Prepend("▁") + Replace(" ", "▁") normalizers, no pre-tokenizer
  bert        WordPiece with BertNormalizer, BertPreTokenizer, BertProcessing and the WordPiece decoder
  roberta     byte-level BPE with RobertaProcessing
  components  WordPiece over a pipeline of the remaining components (Lowercase, StripAccents, Strip,
              Replace with a regex, NFKD, Punctuation, Split with invert / MergedWithNext, Metaspace split)

Writes Tests/golden/tokenizers/families/NAME/tokenizer.json and families/cases.json (for every
family and hard input: ids without and with special tokens, pair ids, tokens, offsets and decoded
text), plus pieces.json (pre_tokenize_str / normalize_str of single components on the same inputs)
and bert_scalar_classes.json (BERT's character classes for every scalar).

Run from the repository root (versions pinned in Tests/golden/requirements.txt):
    HF_HUB_OFFLINE=1 /work/venv/bin/python Tests/golden/make_family_tokenizer_goldens.py
The BPE families come out byte-identical on every run; `WordPieceTrainer` breaks ties between equally
frequent pairs differently from run to run, so the bert and components vocabularies (and their cases)
may change when regenerated. Every file is written from one run, so the goldens always agree with the
tokenizer.json files next to them. The offsets recorded per case are `tokenizers`' character offsets
(Mechscope does not report offsets yet).
"""
import json
import os
import shutil
import sys

import tokenizers
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_tokenizer_goldens import CASES, corpus  # noqa: E402

assert tokenizers.__version__ == "0.23.3", tokenizers.__version__

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tokenizers")
FAMILIES = os.path.join(OUT, "families")

LLAMA3_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                  r"|\s*[\r\n]+|\s+(?!\S)|\s+")
QWEN2_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                 r"|\s*[\r\n]+|\s+(?!\S)|\s+")
# GPT-4o (o200k) style: case classes, marks, optional contraction suffix.
O200K_PATTERN = "|".join([
    r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
    r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
    r"\p{N}{1,3}", r" ?[^\s\p{L}\p{N}]+[\r\n/]*", r"\s*[\r\n]+", r"\s+(?!\S)", r"\s+",
])

EXTRA_CASES = [
    "1234567890 12345 1 22 333 4444",
    "٣٤٥ ١٢٣ ½ Ⅻ ①②",
    "'S 'LL 'Re 'VE x's it'S o'clock 'ſ",
    "\n\n\nx\n\n",
    "a\r\n\r\nb",
    "  \n  x\t\t\ty",
    "   leading and trailing   ",
    " a",
    "<s>hello</s>",
    "hello <s> world",
    "<|begin_of_text|>Hi<|end_of_text|>",
    "<|im_start|>user\nHi<|im_end|>",
    "[CLS] hi [SEP] [MASK] [UNK]",
    "𓀀𓀁 ꙮ \ue000 \U0010fffd",
    "Ünïcödé ÀÉÎÕÜ ǅungla ﬀ ẞ İstanbul ΣΑΣ",
    "中文，English，日本語；한국어!",
    "tab\there, nul\x00, bell\x07, esc\x1b, soft\u00adhyphen, zwj\u200dx, bom\ufeff",
    "l'été dernier, c'est l'avenir",
    "www.example.com/path?q=1&r=2#frag",
    "x = [1, 2, 3]; y = {'a': 4}",
    "▁already▁meta spaced",
    "Mr. O'Neil's U.S.A.-based co-op (est. 1999) isn't done...",
]
ALL_CASES = CASES + EXTRA_CASES
PAIRS = [("hello world", "how are you?"), ("", "x"), ("Q: 2+2?", "A: 4"), ("中文", "naïve café")]


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def byte_fallback_vocab_additions(tok):
    """Adds <0x00>..<0xFF> to a BPE model's vocabulary (SentencePiece byte fallback tokens)."""
    state = json.loads(tok.to_str())
    vocab = state["model"]["vocab"]
    for b in range(256):
        vocab.setdefault("<0x%02X>" % b, len(vocab))
    return state


def train_bpe(pre_tokenizer, normalizer=None, vocab_size=1000, special_tokens=(), byte_level=True, limit_alphabet=None,
              initial_alphabet=None):
    tok = Tokenizer(models.BPE())
    if normalizer is not None:
        tok.normalizer = normalizer
    if pre_tokenizer is not None:
        tok.pre_tokenizer = pre_tokenizer
    kwargs = dict(vocab_size=vocab_size, min_frequency=2, show_progress=False, special_tokens=list(special_tokens))
    if byte_level:
        kwargs["initial_alphabet"] = pre_tokenizers.ByteLevel.alphabet()
    if limit_alphabet is not None:
        kwargs["limit_alphabet"] = limit_alphabet
    if initial_alphabet is not None:
        kwargs["initial_alphabet"] = initial_alphabet
    tok.train_from_iterator(corpus(), trainers.BpeTrainer(**kwargs))
    return tok


def template(single, pair, specials, tok):
    return processors.TemplateProcessing(single=single, pair=pair,
                                         special_tokens=[(s, tok.token_to_id(s)) for s in specials])


def llama3():
    specials = ["<|begin_of_text|>", "<|end_of_text|>"]
    tok = train_bpe(pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False, trim_offsets=False),
    ]), special_tokens=specials)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.Sequence([
        processors.ByteLevel(trim_offsets=False),
        template("<|begin_of_text|> $A", "<|begin_of_text|> $A:0 <|begin_of_text|>:1 $B:1", ["<|begin_of_text|>"], tok),
    ])
    return tok


def qwen2():
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    tok = train_bpe(pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN2_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False, trim_offsets=False),
    ]), normalizer=normalizers.NFC(), special_tokens=specials)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    return tok


def o200k():
    tok = train_bpe(pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(O200K_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False, trim_offsets=False),
    ]), special_tokens=["<|endoftext|>"])
    tok.decoder = decoders.ByteLevel()
    return tok


def smollm2():
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    tok = train_bpe(pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
    ]), special_tokens=specials)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    return tok


def pythia():
    tok = train_bpe(pre_tokenizers.ByteLevel(add_prefix_space=False), normalizer=normalizers.NFC(),
                    special_tokens=["<|endoftext|>", "<|padding|>"])
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=True)
    return tok


def sentencepiece_style(legacy):
    """Llama-2 / Mistral: BPE over '▁'-joined text, no pre-splitting, byte fallback for anything unseen."""
    replacement = "▁"
    if legacy:
        normalizer = normalizers.Sequence([normalizers.Prepend(replacement), normalizers.Replace(" ", replacement)])
        pre = None
    else:
        normalizer = None
        pre = pre_tokenizers.Metaspace(replacement=replacement, prepend_scheme="first", split=False)
    tok = train_bpe(pre, normalizer=normalizer, vocab_size=1200, special_tokens=["<unk>", "<s>", "</s>"],
                    byte_level=False, limit_alphabet=300)
    state = byte_fallback_vocab_additions(tok)
    state["model"].update(unk_token="<unk>", byte_fallback=True, fuse_unk=True)
    tok = Tokenizer.from_str(json.dumps(state, ensure_ascii=False))
    tok.decoder = decoders.Sequence([decoders.Replace(replacement, " "), decoders.ByteFallback(), decoders.Fuse(),
                                     decoders.Strip(content=" ", left=1, right=0)])
    tok.post_processor = template("<s> $A", "<s> $A $B", ["<s>"], tok)
    return tok


def bert():
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]", max_input_chars_per_word=30))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=None,
                                                lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok.train_from_iterator(corpus(), trainers.WordPieceTrainer(vocab_size=1000, special_tokens=specials,
                                                                show_progress=False))
    tok.post_processor = processors.BertProcessing(("[SEP]", tok.token_to_id("[SEP]")),
                                                   ("[CLS]", tok.token_to_id("[CLS]")))
    tok.decoder = decoders.WordPiece(prefix="##", cleanup=True)
    return tok


def roberta():
    tok = train_bpe(pre_tokenizers.ByteLevel(add_prefix_space=True), special_tokens=["<s>", "<pad>", "</s>", "<mask>"])
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.RobertaProcessing(("</s>", tok.token_to_id("</s>")), ("<s>", tok.token_to_id("<s>")))
    tok.add_special_tokens([AddedToken("<mask>", lstrip=True, special=True, normalized=False)])
    return tok


def components():
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]", max_input_chars_per_word=12))
    tok.normalizer = normalizers.Sequence([
        normalizers.NFKD(), normalizers.StripAccents(), normalizers.Lowercase(), normalizers.Strip(left=True, right=True),
        normalizers.Replace(Regex(r"\d{4,}"), "#"), normalizers.Replace("  ", " "),
    ])
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(r"\s+"), behavior="merged_with_next", invert=False),
        pre_tokenizers.Punctuation(behavior="isolated"),
        pre_tokenizers.Split(Regex(r"[a-z]+"), behavior="removed", invert=True),
    ])
    specials = ["[UNK]", "[BOS]", "[EOS]"]
    tok.train_from_iterator(corpus(), trainers.WordPieceTrainer(vocab_size=800, special_tokens=specials,
                                                                show_progress=False))
    tok.post_processor = template("[BOS] $A [EOS]", "[BOS] $A [EOS] $B:1 [EOS]:1", ["[BOS]", "[EOS]"], tok)
    tok.decoder = decoders.Sequence([decoders.WordPiece(prefix="##", cleanup=False),
                                     decoders.Replace(Regex(r"\s+"), " "), decoders.Strip(content=" ", left=2, right=2)])
    return tok


def record(tok, texts):
    out = []
    for text in texts:
        raw = tok.encode(text, add_special_tokens=False)
        full = tok.encode(text, add_special_tokens=True)
        out.append({
            "text": text,
            "ids": raw.ids,
            "ids_with_special_tokens": full.ids,
            "tokens": [tok.id_to_token(i) for i in raw.ids],
            "offsets": [list(o) for o in raw.offsets],
            "decoded": tok.decode(raw.ids, skip_special_tokens=False),
            "decoded_with_special_tokens": tok.decode(full.ids, skip_special_tokens=False),
            "decoded_skipping_special": tok.decode(full.ids, skip_special_tokens=True),
        })
    return out


def record_pairs(tok):
    return [{"first": a, "second": b, "ids": tok.encode(a, b, add_special_tokens=True).ids,
             "ids_without_special_tokens": tok.encode(a, b, add_special_tokens=False).ids} for a, b in PAIRS]


PIECE_PRE_TOKENIZERS = {
    "split-llama3": pre_tokenizers.Split(Regex(LLAMA3_PATTERN), behavior="isolated"),
    "split-qwen2": pre_tokenizers.Split(Regex(QWEN2_PATTERN), behavior="isolated"),
    "split-o200k": pre_tokenizers.Split(Regex(O200K_PATTERN), behavior="isolated"),
    "split-space-removed": pre_tokenizers.Split(" ", behavior="removed"),
    "split-space-merged-previous": pre_tokenizers.Split(" ", behavior="merged_with_previous"),
    "split-space-merged-next": pre_tokenizers.Split(" ", behavior="merged_with_next"),
    "split-space-contiguous": pre_tokenizers.Split(" ", behavior="contiguous"),
    "split-letters-inverted": pre_tokenizers.Split(Regex(r"\p{L}+"), behavior="removed", invert=True),
    "split-lazy-lookahead": pre_tokenizers.Split(Regex(r"\w+?(?=\s|$)|[.,!?]++|\d{2,}"), behavior="isolated"),
    # Patterns of other real checkpoints: DeepSeek-V3 (CJK ranges, \p{P}, \p{S}, \p{M}), cl100k, OLMo-style GPT-2
    # without the possessive-free contractions, a punctuation class with escapes, single \d.
    "split-deepseek-v3": pre_tokenizers.Split(Regex(
        r"\p{N}{1,3}|[一-龥\u3040-ゟ゠-ヿ]+|[!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+"
        r"| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"), behavior="isolated"),
    "split-cl100k": pre_tokenizers.Split(Regex(
        r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"),
        behavior="isolated"),
    "split-gpt2-regex": pre_tokenizers.Split(Regex(r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"),
                                             behavior="isolated"),
    "split-punctuation-class": pre_tokenizers.Split(Regex(r"[\p{P}\$\+<=>\^~\|]+"), behavior="merged_with_previous"),
    "split-digit": pre_tokenizers.Split(Regex(r"\d"), behavior="isolated"),
    "digits-individual": pre_tokenizers.Digits(individual_digits=True),
    "digits-contiguous": pre_tokenizers.Digits(individual_digits=False),
    "metaspace-always": pre_tokenizers.Metaspace(prepend_scheme="always", split=True),
    "metaspace-first-nosplit": pre_tokenizers.Metaspace(prepend_scheme="first", split=False),
    "metaspace-never": pre_tokenizers.Metaspace(prepend_scheme="never", split=True),
    "bert": pre_tokenizers.BertPreTokenizer(),
    "punctuation-contiguous": pre_tokenizers.Punctuation(behavior="contiguous"),
    "whitespace": pre_tokenizers.Whitespace(),
    "whitespace-split": pre_tokenizers.WhitespaceSplit(),
    "bytelevel-noregex": pre_tokenizers.ByteLevel(add_prefix_space=True, use_regex=False),
}

PIECE_NORMALIZERS = {
    "nfc": normalizers.NFC(), "nfd": normalizers.NFD(), "nfkc": normalizers.NFKC(), "nfkd": normalizers.NFKD(),
    "lowercase": normalizers.Lowercase(), "strip-accents-after-nfd": normalizers.Sequence([normalizers.NFD(), normalizers.StripAccents()]),
    "strip": normalizers.Strip(), "strip-left": normalizers.Strip(left=True, right=False),
    "prepend": normalizers.Prepend("▁"), "replace-string": normalizers.Replace(" ", "▁"),
    "replace-regex": normalizers.Replace(Regex(r"\s+"), " "),
    "bert": normalizers.BertNormalizer(),
    "bert-cased": normalizers.BertNormalizer(lowercase=False, strip_accents=False, handle_chinese_chars=False),
    "bert-keep-accents": normalizers.BertNormalizer(lowercase=True, strip_accents=False),
}


def pieces():
    # Split patterns match in normalized strings; the JSON form of each step is written for the Swift reader.
    return {
        "pre_tokenizers": {name: {"json": json.loads(step.__getstate__()),
                                  "pieces": [[p for p, _ in step.pre_tokenize_str(t)] for t in ALL_CASES]}
                           for name, step in PIECE_PRE_TOKENIZERS.items()},
        "normalizers": {name: {"json": json.loads(step.__getstate__()),
                               "outputs": [step.normalize_str(t) for t in ALL_CASES]}
                        for name, step in PIECE_NORMALIZERS.items()},
        "texts": ALL_CASES,
    }


def bert_scalar_classes():
    """For every scalar: BERT punctuation (P), removed by clean_text (R), stripped as an accent after NFD (M)."""
    import unicodedata
    bert_pre = pre_tokenizers.BertPreTokenizer()
    clean = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=False, strip_accents=False, lowercase=False)
    strip = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=True, lowercase=False)
    classes = {"P": [], "R": [], "M": []}
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        if c.strip() != "" and len(bert_pre.pre_tokenize_str("a" + c)) == 2:
            classes["P"].append(cp)
        if clean.normalize_str("a" + c) == "a":
            classes["R"].append(cp)
        if unicodedata.normalize("NFD", c) == c and strip.normalize_str("a" + c) == "a":
            classes["M"].append(cp)

    def ranges(points):
        out = []
        for cp in points:
            if out and out[-1][1] == cp - 1:
                out[-1][1] = cp
            else:
                out.append([cp, cp])
        return out

    return {name: ranges(points) for name, points in classes.items()}


def write_json(path, value, compact=False):
    with open(path, "w", encoding="utf-8") as f:
        if compact:
            json.dump(value, f, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        else:
            json.dump(value, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")


def write_fuzz_seeds():
    """Small copies of each family's tokenizer.json (ids below 200, the merges among them) in
    families/fuzz-seeds/, under 16 KB so `scripts/fuzz-seeds tokenizer-json` seeds the fuzzer with
    every component; FamilyTokenizerGoldenTests checks that each still loads."""
    folder = fresh_dir(os.path.join(FAMILIES, "fuzz-seeds"))
    for name in sorted(os.listdir(FAMILIES)):
        source = os.path.join(FAMILIES, name, "tokenizer.json")
        if not os.path.isfile(source):
            continue
        with open(source, encoding="utf-8") as f:
            state = json.load(f)
        model = state["model"]
        keep = {token: i for token, i in model["vocab"].items() if i < 200}
        for token in (t["content"] for t in state["added_tokens"]):
            if token in model["vocab"]:
                keep[token] = model["vocab"][token]
        model["vocab"] = keep
        if "merges" in model:
            pairs = [tuple(m) if isinstance(m, list) else tuple(m.split(" ")) for m in model["merges"]]
            prefix = model.get("continuing_subword_prefix") or ""
            model["merges"] = [list(p) for p in pairs
                               if p[0] in keep and p[1] in keep and p[0] + p[1][len(prefix):] in keep][:150]
        Tokenizer.from_str(json.dumps(state, ensure_ascii=False))  # must still load in tokenizers
        with open(os.path.join(folder, f"tokenizer-{name}.json"), "w", encoding="utf-8") as f:
            json.dump(state, f, ensure_ascii=False, separators=(",", ":"))


def main():
    fresh_dir(FAMILIES)
    families = {
        "llama3": llama3(), "qwen2": qwen2(), "o200k": o200k(), "smollm2": smollm2(), "pythia": pythia(),
        "llama2": sentencepiece_style(legacy=False), "mistral-legacy": sentencepiece_style(legacy=True),
        "bert": bert(), "roberta": roberta(), "components": components(),
    }
    summary = {"tokenizers_version": tokenizers.__version__, "tokenizers": {}}
    for name, tok in families.items():
        assert tok.get_vocab_size(with_added_tokens=True) <= 2000, (name, tok.get_vocab_size())
        folder = fresh_dir(os.path.join(FAMILIES, name))
        tok.save(os.path.join(folder, "tokenizer.json"), pretty=False)
        reloaded = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
        summary["tokenizers"][name] = {
            "vocab_size": reloaded.get_vocab_size(with_added_tokens=True),
            "cases": record(reloaded, ALL_CASES),
            "pairs": record_pairs(reloaded),
        }
    write_json(os.path.join(FAMILIES, "cases.json"), summary)
    write_json(os.path.join(FAMILIES, "pieces.json"), pieces())
    write_json(os.path.join(OUT, "bert_scalar_classes.json"), bert_scalar_classes(), compact=True)
    write_fuzz_seeds()


if __name__ == "__main__":
    main()
