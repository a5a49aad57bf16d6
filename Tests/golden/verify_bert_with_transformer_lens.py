"""Independent check of the BERT goldens against TransformerLens's own HookedEncoder.

make_bert_goldens.py and make_real_minilm_goldens.py derive the HookedEncoder hook values from Hugging Face
module hooks (bert_capture.py); this script loads the same folders into TransformerLens 3.9's HookedEncoder
(its own BERT weight conversion, `convert_bert_weights`) and compares every recorded .npy with
`run_with_cache` (batch axis dropped). TransformerLens 3.9 needs its own environment, e.g. the pinned venv
plus TL and its light dependencies in a separate folder on PYTHONPATH:

    /work/venv/bin/pip install --no-deps --target /tmp/tl3 transformer-lens==3.9.0 einops beartype better-abc \\
        fancy-einsum jaxtyping wadler-lindig "typeguard<5" rich markdown-it-py mdurl pygments datasets pyarrow \\
        pandas dill xxhash multiprocess fsspec python-dateutil pytz tzdata
    PYTHONPATH=/tmp/tl3 /work/venv/bin/python Tests/golden/verify_bert_with_transformer_lens.py
"""
import os

os.environ["HF_HUB_OFFLINE"] = "1"

import glob
import json
from importlib import metadata

import numpy as np
import torch
from transformers import BertForPreTraining, BertModel
from transformers.utils import logging as hf_logging

from transformer_lens import HookedEncoder, HookedTransformerConfig
from transformer_lens.pretrained.weight_conversions.bert import convert_bert_weights

torch.set_num_threads(1)
torch.set_grad_enabled(False)
hf_logging.set_verbosity_error()

GOLDEN_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(GOLDEN_DIR))
MODELS = os.environ.get("MECHSCOPE_REAL_MODELS") or os.path.join(ROOT, ".cache", "real-models")
TOLERANCE = 1e-5

TARGETS = [
    (os.path.join(GOLDEN_DIR, "models", "bert-tiny"), os.path.join(GOLDEN_DIR, "cases", "bert-tiny")),
    (os.path.join(GOLDEN_DIR, "models", "bert-tiny-mlm"), os.path.join(GOLDEN_DIR, "cases", "bert-tiny-mlm")),
    (os.path.join(MODELS, "all-minilm-l6-v2", "model"), os.path.join(GOLDEN_DIR, "real", "all-minilm-l6-v2")),
]


def hooked_encoder(folder):
    encoder = BertModel.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager",
                                        add_pooling_layer=True)
    c = encoder.config
    full = BertForPreTraining(c)            # the heads convert_bert_weights also reads (random, unused here)
    full.bert.load_state_dict(encoder.state_dict())
    cfg = HookedTransformerConfig(
        d_model=c.hidden_size, d_head=c.hidden_size // c.num_attention_heads, n_heads=c.num_attention_heads,
        d_mlp=c.intermediate_size, n_layers=c.num_hidden_layers, n_ctx=c.max_position_embeddings,
        d_vocab=c.vocab_size, act_fn="gelu", eps=c.layer_norm_eps, attention_dir="bidirectional",
        original_architecture="BertForMaskedLM", normalization_type="LN", use_attn_result=True, device="cpu")
    model = HookedEncoder(cfg, move_to_device=True)
    model.load_state_dict(convert_bert_weights(full, cfg), strict=False)
    model.eval()
    return model


def main():
    checked = 0
    for folder, cases in TARGETS:
        if not os.path.exists(folder):
            print(f"skipped {folder}: absent")
            continue
        model = hooked_encoder(folder)
        for meta_path in sorted(glob.glob(os.path.join(cases, "*", "meta.json"))):
            with open(meta_path) as f:
                meta = json.load(f)
            if not meta["hooks"]:
                continue
            tokens = torch.tensor([meta["token_ids"]])
            types = torch.tensor([meta["token_type_ids"]])
            _, cache = model.run_with_cache(tokens, token_type_ids=types,
                                            one_zero_attention_mask=torch.ones_like(tokens))
            worst = 0.0
            for name in meta["hooks"]:
                ours = np.load(os.path.join(os.path.dirname(meta_path), name + ".npy"))
                theirs = cache[name][0].numpy()
                assert ours.shape == theirs.shape, f"{meta_path}: {name} {ours.shape} vs TL {theirs.shape}"
                scale = max(np.abs(theirs).max(), 1.0)
                diff = np.abs(ours - theirs).max() / scale
                assert diff < TOLERANCE, f"{meta_path}: {name} differs from TransformerLens by {diff}"
                worst = max(worst, diff)
                checked += 1
            extra = sorted(set(cache.keys()) - set(meta["hooks"]) - {"blocks.%d.attn.hook_result" % l
                                                                     for l in range(model.cfg.n_layers)})
            print(f"{os.path.relpath(os.path.dirname(meta_path), GOLDEN_DIR)}: {len(meta['hooks'])} hooks equal to "
                  f"TransformerLens {metadata.version('transformer-lens')} HookedEncoder (largest difference {worst:.1e}); "
                  f"TL hooks not recorded: {extra}")
    print(f"{checked} arrays checked")


if __name__ == "__main__":
    main()
