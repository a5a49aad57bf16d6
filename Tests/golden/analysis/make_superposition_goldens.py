"""Reference values for `mechscope features` / `info` / `run` on toy superposition models, in NumPy.

Written from Elhage et al. 2022 ("Toy Models of Superposition"), independently of Mechscope's Swift code:
for W [n_hidden, n_features] with feature i's direction W_i = W[:, i] and Ŵ_i = W_i / ‖W_i‖,
    norm_i            ‖W_i‖
    interference_i    Σ_{j≠i} (Ŵ_i·W_j)²
    dimensionality_i  ‖W_i‖² / Σ_j (Ŵ_i·W_j)²       (D_i in the paper)
    represented       #{i : ‖W_i‖ > 0.5};  frobenius_norm_squared  Σ_i ‖W_i‖²
A feature with W_i = 0 has no direction: its interference and dimensionality are 0 (not represented).
The model's output for input x: hidden = W x, output = ReLU(Wᵀ hidden + b_final).

Models: samples/superposition-toy (the trained sample; inputs: its prompts.txt lines) and
superposition/toy-edge, a hand-made 3×6 folder written here whose features have known answers
(a dimension of its own, an antipodal pair, a zero column, two features sharing a plane).

    /work/venv-tl4/bin/python Tests/golden/analysis/make_superposition_goldens.py   (needs numpy, safetensors)
Writes Tests/golden/analysis/superposition/<model>.json and the toy-edge folder (deterministic).
"""
import json
import os

import numpy as np
from safetensors.numpy import load_file, save_file

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
OUT = os.path.join(HERE, "superposition")
REPRESENTED_NORM = 0.5

# Columns are features: e1 alone; an antipodal pair ±0.9·e2; a zero column; 0.8·e3 and (0.3, 0, 0.6).
EDGE_W = np.array([
    [1.0, 0.0, 0.0, 0.0, 0.0, 0.3],
    [0.0, 0.9, -0.9, 0.0, 0.0, 0.0],
    [0.0, 0.0, 0.0, 0.0, 0.8, 0.6],
], dtype=np.float32)
EDGE_B = np.array([-0.1, -0.2, -0.2, 0.05, -0.3, 0.0], dtype=np.float32)
EDGE_INPUTS = ["1 0 0 0 0 0", "0 1 0 0 0 0", "0 0.5 0.5 0 1 0", "0.2 0 0 1 0.7 0.9"]


def metrics(W):
    W = W.astype(np.float64)
    n = W.shape[1]
    norms = np.sqrt((W * W).sum(axis=0))
    features = []
    for i in range(n):
        if norms[i] == 0:
            interference, dimensionality = 0.0, 0.0
        else:
            projections = [float(W[:, i] @ W[:, j] / norms[i]) for j in range(n)]
            interference = sum(p * p for j, p in enumerate(projections) if j != i)
            dimensionality = float(norms[i] ** 2 / sum(p * p for p in projections))
        features.append({"feature": i, "norm": float(norms[i]), "interference": interference,
                         "dimensionality": dimensionality})
    return features, float((W * W).sum()), int((norms > REPRESENTED_NORM).sum())


def run(W, b, line):
    x = np.array([float(v) for v in line.replace(",", " ").split()], dtype=np.float64)
    hidden = W.astype(np.float64) @ x
    output = np.maximum(W.astype(np.float64).T @ hidden + b.astype(np.float64), 0)
    return {"input": line, "hidden": hidden.tolist(), "output": output.tolist()}


def golden(name, folder, inputs):
    config = json.load(open(os.path.join(folder, "config.json"), encoding="utf-8"))
    tensors = load_file(os.path.join(folder, "model.safetensors"))
    W, b = tensors["W"], tensors["b_final"]
    features, frobenius, represented = metrics(W)
    importance = config.get("importance")
    for f in features:
        f["bias"] = float(b[f["feature"]])
        f["importance"] = None if importance is None else importance[f["feature"]]
    return {"model": name, "n_features": int(W.shape[1]), "n_hidden": int(W.shape[0]),
            "feature_probability": config.get("feature_probability"),
            "represented_features": represented, "frobenius_norm_squared": frobenius,
            "features": features, "runs": [run(W, b, line) for line in inputs]}


def write_edge_folder(folder):
    os.makedirs(folder, exist_ok=True)
    config = {"model_type": "toy_superposition", "n_features": 6, "n_hidden": 3, "activation": "relu"}
    with open(os.path.join(folder, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    save_file({"W": EDGE_W, "b_final": EDGE_B}, os.path.join(folder, "model.safetensors"))
    with open(os.path.join(folder, "prompts.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(EDGE_INPUTS) + "\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    edge = os.path.join(OUT, "toy-edge")
    write_edge_folder(edge)
    sample = os.path.join(ROOT, "samples", "superposition-toy")
    sample_inputs = [l for l in open(os.path.join(sample, "prompts.txt"), encoding="utf-8").read().splitlines() if l.strip()]
    for name, folder, inputs in [("superposition-toy", sample, sample_inputs), ("toy-edge", edge, EDGE_INPUTS)]:
        data = golden(name, folder, inputs)
        with open(os.path.join(OUT, f"{name}.json"), "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1)
            f.write("\n")
        print(f"{name}: {data['represented_features']} of {data['n_features']} represented, "
              f"Σ‖W_i‖² = {data['frobenius_norm_squared']:.4f}, {len(data['runs'])} inputs")


if __name__ == "__main__":
    main()
