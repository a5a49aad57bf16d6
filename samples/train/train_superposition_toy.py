"""Train the toy model of superposition (Elhage et al. 2022, "Toy Models of Superposition").

n_features sparse features x in [0, 1] are squeezed into n_hidden dimensions and read back:
    h = W x,  out = ReLU(W^T h + b_final)
Loss: sum_i importance_i * (x_i - out_i)^2, averaged over the batch. Each feature is nonzero
(uniform in [0, 1]) with probability feature_probability, independently.

Writes samples/superposition-toy/{config.json, model.safetensors, README.md}.
Run from the repository root:  python samples/train/train_superposition_toy.py
"""

import json
import time
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save_file

from superposition_metrics import superposition_metrics

SEED = 0
N_FEATURES = 20
N_HIDDEN = 5
FEATURE_PROBABILITY = 0.05
IMPORTANCE_DECAY = 0.9
STEPS = 10_000
BATCH = 1024
LR = 1e-3

OUT_DIR = Path(__file__).resolve().parent.parent / "superposition-toy"


def main() -> None:
    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    started = time.perf_counter()

    importance = IMPORTANCE_DECAY ** torch.arange(N_FEATURES, dtype=torch.float32)
    # Stored as [n_hidden, n_features] so that h = W @ x, as in the config's documented format.
    W = torch.nn.Parameter(torch.empty(N_HIDDEN, N_FEATURES))
    torch.nn.init.xavier_normal_(W)
    b_final = torch.nn.Parameter(torch.zeros(N_FEATURES))
    optimizer = torch.optim.Adam([W, b_final], lr=LR)

    generator = torch.Generator().manual_seed(SEED + 1)
    loss_value = float("nan")
    for step in range(STEPS):
        values = torch.rand(BATCH, N_FEATURES, generator=generator)
        present = torch.rand(BATCH, N_FEATURES, generator=generator) <= FEATURE_PROBABILITY
        x = values * present
        hidden = x @ W.T
        out = torch.relu(hidden @ W + b_final)
        loss = (importance * (x - out) ** 2).sum(dim=1).mean()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        loss_value = loss.item()
        if step % 1000 == 0 or step == STEPS - 1:
            print(f"step {step:5d} loss {loss_value:.6f}", flush=True)

    # Final loss on a large fresh batch, so the reported number is not one noisy minibatch.
    eval_generator = torch.Generator().manual_seed(SEED + 2)
    with torch.no_grad():
        values = torch.rand(100_000, N_FEATURES, generator=eval_generator)
        present = torch.rand(100_000, N_FEATURES, generator=eval_generator) <= FEATURE_PROBABILITY
        x = values * present
        out = torch.relu((x @ W.T) @ W + b_final)
        eval_loss = (importance * (x - out) ** 2).sum(dim=1).mean().item()
        # Baseline: the best model with no hidden features at all outputs a constant.
        zero_loss = (importance * x**2).sum(dim=1).mean().item()
    wall = time.perf_counter() - started

    weights = {"W": W.detach().contiguous(), "b_final": b_final.detach().contiguous()}
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    save_file(weights, str(OUT_DIR / "model.safetensors"))
    config = {
        "model_type": "toy_superposition",
        "n_features": N_FEATURES,
        "n_hidden": N_HIDDEN,
        "feature_probability": FEATURE_PROBABILITY,
        "importance": [round(IMPORTANCE_DECAY**i, 12) for i in range(N_FEATURES)],
        "activation": "relu",
        "mechscope_story": {"page": "features"},
    }
    (OUT_DIR / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    write_prompts()

    metrics = superposition_metrics(W.detach().numpy().astype(np.float64))
    write_readme(metrics, eval_loss, zero_loss, loss_value, wall)
    print(json.dumps({k: v for k, v in metrics.items() if k != "per_feature"}, indent=2))
    print(f"eval loss {eval_loss:.6f} (all-zero output {zero_loss:.6f}); wall {wall:.1f}s")


def write_readme(metrics: dict, eval_loss: float, zero_loss: float, last_loss: float, wall: float) -> None:
    rows = "\n".join(
        f"| {i} | {importance:.4f} | {norm:.3f} | {interference:.3f} | {bias:+.3f} |"
        for i, (importance, norm, interference, bias) in enumerate(
            zip(
                (IMPORTANCE_DECAY ** np.arange(N_FEATURES)).tolist(),
                metrics["per_feature"]["norm"],
                metrics["per_feature"]["interference"],
                load_bias(),
            )
        )
    )
    text = f"""# superposition-toy

A trained toy model of superposition (Elhage et al. 2022, "Toy Models of Superposition", the
ReLU output model): {N_FEATURES} sparse features squeezed into {N_HIDDEN} hidden dimensions.

    h   = W x                      W: [n_hidden={N_HIDDEN}, n_features={N_FEATURES}]
    out = ReLU(Wᵀ h + b_final)     b_final: [n_features]

Feature i is W's column i (`W[:, i]`). Each input feature is nonzero with probability
{FEATURE_PROBABILITY} (sparsity S = {1 - FEATURE_PROBABILITY:.2f}), uniform in [0, 1] when present;
importance of feature i is {IMPORTANCE_DECAY}^i. No tokenizer: the model reads feature vectors, not text.

## How it was trained

- Script: `samples/train/train_superposition_toy.py` (pinned versions in `samples/train/requirements.txt`), CPU, `torch.set_num_threads(1)`.
- Seed {SEED} (`torch.manual_seed`; data generator seeded {SEED + 1}).
- Adam, lr {LR}, {STEPS} steps, batch {BATCH}, fresh random batch each step; W Xavier-normal init, b_final zeros.
- Loss: Σ_i importance_i · (x_i − out_i)², mean over the batch.
- Loss of the last training batch: {last_loss:.6f}. Loss on 100,000 fresh samples: {eval_loss:.6f}
  (an all-zero output would score {zero_loss:.6f}).
- Wall time measured: {wall:.1f} s.

## What it learned

- Features with ‖W_i‖ > 0.5 (represented): **{metrics['represented']}** of {N_FEATURES}, in only
  {N_HIDDEN} dimensions: more features than dimensions, i.e. superposition.
- Σ_i ‖W_i‖² = {metrics['frobenius_sq']:.3f} (a model without superposition would reach at most {N_HIDDEN}).
- Interference of feature i: Σ_{{j≠i}} (Ŵ_i · W_j)², where Ŵ_i = W_i / ‖W_i‖ (the paper's
  "superposition" colouring: 0 means feature i has a dimension to itself). For a feature whose
  norm is near 0 the direction Ŵ_i is arbitrary, so its interference value means little.

## prompts.txt

One input vector x per line: {N_FEATURES} whitespace-separated numbers (feature values in [0, 1]).
They are: single features on their own (a represented one reads back nearly intact, an
unrepresented one reads back as ~0), and pairs of features on together (interference shows as
extra output on other features, mostly removed by the ReLU and the negative biases).

| feature i | importance | ‖W_i‖ | Σ_{{j≠i}} (Ŵ_i·W_j)² | b_final[i] |
| --- | --- | --- | --- | --- |
{rows}

`samples/train/verify_samples.py` reloads the saved files and re-checks the represented-feature count.

## Story page

`config.json` has `"mechscope_story": {{"page": "features"}}` (a toy model's default and only page):
`mechscope samples/superposition-toy` opens the explorer on the features page — the norms above as
bars, the interference matrix WᵀW as a heatmap, and which features share dimensions.
"""
    (OUT_DIR / "README.md").write_text(text)


def write_prompts() -> None:
    def vector(active: dict) -> str:
        return " ".join(f"{active.get(i, 0.0):g}" for i in range(N_FEATURES))

    lines = [
        vector({0: 1.0}),
        vector({5: 1.0}),
        vector({N_FEATURES - 1: 1.0}),
        vector({0: 1.0, 1: 1.0}),
        vector({2: 0.7, 9: 0.4}),
        vector({3: 0.5}),
    ]
    (OUT_DIR / "prompts.txt").write_text("\n".join(lines) + "\n")


def load_bias() -> list:
    from safetensors.numpy import load_file

    return load_file(str(OUT_DIR / "model.safetensors"))["b_final"].tolist()


if __name__ == "__main__":
    main()
