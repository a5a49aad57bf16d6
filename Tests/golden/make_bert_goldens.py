"""Reference data for BERT encoders: tiny random `BertModel`s and every TransformerLens HookedEncoder hook.

Run with the pinned venv (Tests/golden/requirements.txt):
    /work/venv/bin/python Tests/golden/make_bert_goldens.py

Builds, with fixed seeds and no network:
  - a WordPiece tokenizer made the BERT way with `tokenizers` (BertNormalizer: lowercasing, accent
    stripping, CJK spacing, control characters; BertPreTokenizer; [CLS] $A [SEP] / [CLS] $A [SEP] $B:1
    [SEP]:1 template), over a small vocabulary;
  - Tests/golden/models/bert-tiny: a random BertModel (2 layers, 4 heads, d_model 32, exact GELU,
    random LayerNorm weights and biases) saved as `BertModel` names (no prefix);
  - Tests/golden/models/bert-tiny-mlm: the same encoder inside a BertForMaskedLM (names under `bert.`,
    plus an MLM head Mechscope does not read);
and under Tests/golden/cases/<model>/<case>/ one float32 .npy per hook (bert_capture.py) plus
meta.json (prompt, token ids and token types, tokens, hooks).
"""
import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

import json
import shutil

import numpy as np
import torch
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
from transformers import BertConfig, BertForMaskedLM, BertModel
from transformers.utils import logging as hf_logging

from bert_capture import capture

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)
hf_logging.set_verbosity_error()
hf_logging.disable_progress_bar()

GOLDEN_DIR = os.path.dirname(os.path.abspath(__file__))
MODELS_DIR = os.path.join(GOLDEN_DIR, "models")
CASES_DIR = os.path.join(GOLDEN_DIR, "cases")

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
WORDS = ["the", "quick", "brown", "fox", "hello", "world", "cafe", "naive", "jumps", "over", "lazy", "dog",
         "is", "sentence", "second", "un", "##able", "##ing", "##ed", "##ly"]
CHARACTERS = list("abcdefghijklmnopqrstuvwxyz0123456789.,!?'-:;()\u6771\u4eac")
VOCAB = SPECIALS + WORDS + CHARACTERS + ["##" + ch for ch in "abcdefghijklmnopqrstuvwxyz0123456789"]

CASES = {
    "ascii_sentence": ("The quick brown fox jumps over the lazy dog.", None),
    "hard_string": ("H\u00e9llo,  WORLD!\t\u6771\u4eac na\u00efve\u0007 caf\u00e9s\u2003unable-ish", None),
    "sentence_pair": ("The lazy dog.", "A second sentence!"),
}


def build_tokenizer():
    vocab = {token: i for i, token in enumerate(VOCAB)}
    assert len(vocab) == len(VOCAB), "duplicate vocabulary entries"
    tok = Tokenizer(models.WordPiece(vocab=vocab, unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=None,
                                                lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])])
    tok.decoder = decoders.WordPiece(prefix="##")
    return tok


def randomize_norms_and_biases(model, seed):
    """HF init sets LayerNorm weights to 1 and biases to 0; random values make bias and norm bugs visible."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if "LayerNorm" in name and name.endswith(".weight"):
                parameter.copy_(1.0 + (torch.rand(parameter.shape, generator=generator) * 2 - 1) * 0.2)
            elif name.endswith(".bias"):
                parameter.copy_(torch.randn(parameter.shape, generator=generator) * 0.1)


def build_model():
    config = BertConfig(vocab_size=len(VOCAB), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=64, max_position_embeddings=48, type_vocab_size=2, hidden_act="gelu",
                        layer_norm_eps=1e-12, initializer_range=0.3, pad_token_id=0, attn_implementation="eager")
    torch.manual_seed(1234)
    model = BertModel(config, add_pooling_layer=True)
    randomize_norms_and_biases(model, 99)
    model.eval()
    return model


def reset_folder(path):
    if os.path.exists(path):
        shutil.rmtree(path)
    os.makedirs(path)


def write_tokenizer(tok, folder):
    tok.save(os.path.join(folder, "tokenizer.json"))
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump({"tokenizer_class": "BertTokenizer", "do_lower_case": True, "cls_token": "[CLS]",
                   "sep_token": "[SEP]", "unk_token": "[UNK]", "pad_token": "[PAD]", "mask_token": "[MASK]"}, f, indent=2)


def write_case(model, tok, model_name, case, text, pair):
    enc = tok.encode(text, pair) if pair is not None else tok.encode(text)
    hooks, _ = capture(model, enc.ids, enc.type_ids)
    folder = os.path.join(CASES_DIR, model_name, case)
    reset_folder(folder)
    for name, value in hooks.items():
        np.save(os.path.join(folder, name + ".npy"), value.numpy().astype(np.float32))
    meta = {"model": model_name, "prompt": text, "pair": pair, "token_ids": enc.ids, "token_type_ids": enc.type_ids,
            "tokens": enc.tokens, "hooks": sorted(hooks)}
    with open(os.path.join(folder, "meta.json"), "w") as f:
        json.dump(meta, f, indent=2, ensure_ascii=False)
    print(f"{model_name}/{case}: {len(enc.ids)} tokens, {len(hooks)} hooks")


def main():
    tok = build_tokenizer()
    model = build_model()

    folder = os.path.join(MODELS_DIR, "bert-tiny")
    reset_folder(folder)
    model.save_pretrained(folder, safe_serialization=True)
    write_tokenizer(tok, folder)
    for case, (text, pair) in CASES.items():
        write_case(model, tok, "bert-tiny", case, text, pair)

    mlm = BertForMaskedLM(model.config)
    mlm.bert.load_state_dict(model.state_dict(), strict=False)
    mlm.eval()
    folder = os.path.join(MODELS_DIR, "bert-tiny-mlm")
    reset_folder(folder)
    mlm.save_pretrained(folder, safe_serialization=True)
    write_tokenizer(tok, folder)
    write_case(mlm.bert, tok, "bert-tiny-mlm", "ascii_sentence", *CASES["ascii_sentence"])


if __name__ == "__main__":
    main()
