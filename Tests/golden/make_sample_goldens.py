"""Reference activations for the shipped sample transformers (samples/induction-2l, samples/modadd-1l).

Loads each sample's committed weights into TransformerLens 3 HookedTransformer (float64, through
samples/train/crosscheck_transformerlens.to_transformerlens, independent of Mechscope) and records, for
the sample's first ready prompt (token ids from HF `tokenizers`), the logits and several hooks as float32
.npy files under Tests/golden/samples/<sample>/, with meta.json (prompt, token_ids, hooks).

    /work/venv/bin/python Tests/golden/make_sample_goldens.py      (pins: Tests/golden/requirements.txt + transformer-lens 3.9.0)
"""
import json
import sys
from pathlib import Path

import numpy as np
import torch
from safetensors.numpy import load_file
from tokenizers import Tokenizer

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "samples" / "train"))
from crosscheck_transformerlens import to_transformerlens  # noqa: E402

OUT = ROOT / "Tests" / "golden" / "samples"


def hooks_for(config: dict) -> list:
    names = ["hook_embed", "hook_pos_embed"]
    for layer in range(config["n_layer"]):
        names += [f"blocks.{layer}.attn.hook_pattern", f"blocks.{layer}.attn.hook_z", f"blocks.{layer}.hook_resid_post"]
        if config["normalization_type"] == "LN":
            names += [f"blocks.{layer}.ln1.hook_normalized"]
        if not config["attn_only"]:
            names += [f"blocks.{layer}.mlp.hook_post"]
    return names


def main() -> None:
    for name in ["induction-2l", "modadd-1l"]:
        folder = ROOT / "samples" / name
        config = json.loads((folder / "config.json").read_text())
        weights = load_file(str(folder / "model.safetensors"))
        model = to_transformerlens(config, weights)
        prompt = (folder / "prompts.txt").read_text().splitlines()[0]
        ids = Tokenizer.from_file(str(folder / "tokenizer.json")).encode(prompt, add_special_tokens=False).ids
        with torch.no_grad():
            logits, cache = model.run_with_cache(torch.tensor([ids]))
        out = OUT / name
        out.mkdir(parents=True, exist_ok=True)
        hooks = hooks_for(config)
        for hook in hooks:
            np.save(out / f"{hook}.npy", cache[hook][0].numpy().astype(np.float32))
        np.save(out / "logits.npy", logits[0].numpy().astype(np.float32))
        (out / "meta.json").write_text(json.dumps({"prompt": prompt, "token_ids": ids, "hooks": hooks}, indent=1) + "\n")
        print(f"{name}: {len(ids)} tokens, {len(hooks)} hooks + logits")


if __name__ == "__main__":
    main()
