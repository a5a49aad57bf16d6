"""Train a one-layer transformer until it groks modular addition (a + b mod 113).

Follows Nanda et al. 2023, "Progress measures for grokking via mechanistic interpretability":
input "a b =" (3 tokens), predict (a + b) mod p at the last position; d_model 128, 4 heads,
d_mlp 512, ReLU, no LayerNorm; biases kept at zero (frozen, as in the paper's code); full-batch
AdamW lr 1e-3, weight decay 1.0, betas (0.9, 0.98); 30% of the p^2 pairs are the training set.
Training stops at the first evaluation where accuracy on the held-out 70% reaches 99%.

Writes samples/modadd-1l/{config.json, model.safetensors, tokenizer.json, prompts.txt, README.md}.
Run from the repository root:  python samples/train/train_modadd_1l.py
"""

import json
import math
import time
from pathlib import Path

import numpy as np
import torch
from tokenizers import Tokenizer, models, pre_tokenizers

from fourier_concentration import fourier_concentration
from mechscope_transformer import MechscopeTransformer, make_config

P = 113
SEED = 0
TRAIN_FRACTION = 0.3
LR = 1e-3
WEIGHT_DECAY = 1.0
BETAS = (0.9, 0.98)
MAX_STEPS = 40_000
EVAL_EVERY = 100
TARGET_TEST_ACCURACY = 0.99

OUT_DIR = Path(__file__).resolve().parent.parent / "modadd-1l"
EQUALS = P  # token id of "="


def initialise(model: MechscopeTransformer) -> None:
    """The paper's init: weights ~ N(0, 1/d_model) (unembedding N(0, 1/d_vocab)), biases zero."""
    d = model.config["n_embd"]
    v = model.config["vocab_size"]
    with torch.no_grad():
        for name, param in model.named_parameters():
            if name.endswith(".bias"):
                param.zero_()
            elif name == "lm_head.weight":
                param.normal_(0.0, 1.0 / math.sqrt(v))
            else:
                param.normal_(0.0, 1.0 / math.sqrt(d))


def all_pairs() -> tuple:
    a = torch.arange(P).repeat_interleave(P)
    b = torch.arange(P).repeat(P)
    tokens = torch.stack([a, b, torch.full_like(a, EQUALS)], dim=1)
    return tokens, (a + b) % P


def last_position_logits(model: MechscopeTransformer, tokens: torch.Tensor) -> torch.Tensor:
    """model(tokens)[:, -1] for "a b =" inputs, computing only what the last position needs.

    Position 0 and 1 contribute only keys and values, which depend on one token each, so they are
    computed once per vocabulary entry and gathered; query, MLP and unembedding run at position 2
    only. Same function as the full forward (checked at start-up), about 3x less work.
    """
    config = model.config
    d, heads = config["n_embd"], config["n_head"]
    d_head = d // heads
    block = model.h[0]
    w_attn, b_attn = block.attn.c_attn.weight, block.attn.c_attn.bias
    embed, pos = model.wte.weight, model.wpe.weight
    n = tokens.shape[0]

    table_0 = (embed + pos[0]) @ w_attn + b_attn  # [V, 3D]: q | k | v of each token at position 0
    table_1 = (embed + pos[1]) @ w_attn + b_attn
    x_2 = embed[EQUALS] + pos[2]
    qkv_2 = x_2 @ w_attn + b_attn
    q = qkv_2[:d].view(heads, d_head)
    k_0 = table_0[tokens[:, 0], d : 2 * d].view(n, heads, d_head)
    k_1 = table_1[tokens[:, 1], d : 2 * d].view(n, heads, d_head)
    k_2 = qkv_2[d : 2 * d].view(1, heads, d_head).expand(n, heads, d_head)
    v_0 = table_0[tokens[:, 0], 2 * d :].view(n, heads, d_head)
    v_1 = table_1[tokens[:, 1], 2 * d :].view(n, heads, d_head)
    v_2 = qkv_2[2 * d :].view(1, heads, d_head).expand(n, heads, d_head)
    keys = torch.stack([k_0, k_1, k_2], dim=2)  # [n, head, key, d_head]
    values = torch.stack([v_0, v_1, v_2], dim=2)
    pattern = ((keys * q[None, :, None, :]).sum(-1) / math.sqrt(d_head)).softmax(dim=-1)
    z = (pattern[..., None] * values).sum(dim=2).reshape(n, d)
    x = x_2 + z @ block.attn.c_proj.weight + block.attn.c_proj.bias
    hidden = torch.relu(x @ block.mlp.c_fc.weight + block.mlp.c_fc.bias)
    x = x + hidden @ block.mlp.c_proj.weight + block.mlp.c_proj.bias
    return x @ model.lm_head.weight.T + model.lm_head.bias


def loss_and_accuracy(model: MechscopeTransformer, tokens: torch.Tensor, labels: torch.Tensor) -> tuple:
    logits = last_position_logits(model, tokens).to(torch.float64)
    loss = torch.nn.functional.cross_entropy(logits, labels)
    accuracy = (logits.argmax(dim=-1) == labels).to(torch.float64).mean()
    return loss, accuracy.item()


def build_tokenizer() -> Tokenizer:
    vocab = {str(i): i for i in range(P)}
    vocab["="] = EQUALS
    tokenizer = Tokenizer(models.WordLevel(vocab=vocab, unk_token=None))
    tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    return tokenizer


def main() -> None:
    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    started = time.perf_counter()

    config = make_config(
        n_layer=1, n_head=4, n_embd=128, n_positions=3, vocab_size=P + 1, n_inner=512,
        attn_only=False, normalization_type=None, activation_function="relu",
        bos_token_id=None, eos_token_id=None,
    )
    model = MechscopeTransformer(config)
    initialise(model)
    trainable = [p for name, p in model.named_parameters() if not name.endswith(".bias")]
    optimizer = torch.optim.AdamW(trainable, lr=LR, weight_decay=WEIGHT_DECAY, betas=BETAS)

    tokens, labels = all_pairs()
    order = torch.randperm(P * P, generator=torch.Generator().manual_seed(SEED))
    n_train = int(TRAIN_FRACTION * P * P)
    train_idx, test_idx = order[:n_train], order[n_train:]
    train_tokens, train_labels = tokens[train_idx], labels[train_idx]
    test_tokens, test_labels = tokens[test_idx], labels[test_idx]

    with torch.no_grad():
        full = model(tokens[:500])[:, -1, :]
        fast = last_position_logits(model, tokens[:500])
        if not torch.allclose(full, fast, atol=1e-5, rtol=1e-4):
            raise RuntimeError("last_position_logits disagrees with the full forward")

    history = []
    step = 0
    reached = False
    while step < MAX_STEPS:
        train_loss, train_acc = loss_and_accuracy(model, train_tokens, train_labels)
        optimizer.zero_grad(set_to_none=True)
        train_loss.backward()
        optimizer.step()
        step += 1
        if step % EVAL_EVERY == 0:
            with torch.no_grad():
                test_loss, test_acc = loss_and_accuracy(model, test_tokens, test_labels)
            history.append((step, train_loss.item(), train_acc, test_loss.item(), test_acc))
            if step % 1000 == 0 or test_acc >= TARGET_TEST_ACCURACY:
                print(
                    f"step {step:6d} train loss {train_loss.item():.3e} acc {train_acc:.4f} | "
                    f"test loss {test_loss.item():.3e} acc {test_acc:.4f} | {time.perf_counter() - started:.0f}s",
                    flush=True,
                )
            if test_acc >= TARGET_TEST_ACCURACY:
                reached = True
                break
    wall = time.perf_counter() - started

    with torch.no_grad():
        train_loss, train_acc = loss_and_accuracy(model, train_tokens, train_labels)
        test_loss, test_acc = loss_and_accuracy(model, test_tokens, test_labels)
        all_loss, all_acc = loss_and_accuracy(model, tokens, labels)
    model.save(OUT_DIR)
    build_tokenizer().save(str(OUT_DIR / "tokenizer.json"))
    write_prompts()

    embedding = model.wte.weight.detach().numpy()[:P].astype(np.float64)
    fourier = fourier_concentration(embedding)
    summary = {
        "reached_target": reached,
        "steps": step,
        "train_loss": train_loss.item(), "train_accuracy": train_acc,
        "test_loss": test_loss.item(), "test_accuracy": test_acc,
        "all_pairs_loss": all_loss.item(), "all_pairs_accuracy": all_acc,
        "all_pairs_correct": int(round(all_acc * P * P)),
        "fourier": fourier,
        "wall_seconds": wall,
    }
    print(json.dumps(summary, indent=2))
    write_readme(summary, history)


def write_prompts() -> None:
    pairs = [(12, 45), (100, 50), (112, 1), (0, 0), (57, 56), (99, 99)]
    (OUT_DIR / "prompts.txt").write_text("".join(f"{a} {b} =\n" for a, b in pairs))


def write_readme(s: dict, history: list) -> None:
    f = s["fourier"]
    first_train_100 = next((h[0] for h in history if h[2] >= 1.0), None)
    first_test_50 = next((h[0] for h in history if h[4] >= 0.5), None)
    curve = "\n".join(
        f"| {h[0]} | {h[1]:.3e} | {h[2]:.4f} | {h[3]:.3e} | {h[4]:.4f} |"
        for h in history
        if h[0] % 2000 == 0 or h is history[-1]
    )
    text = f"""# modadd-1l

A one-layer transformer that has grokked modular addition, (a + b) mod {P}, following Nanda et al.
2023, "Progress measures for grokking via mechanistic interpretability".

- Input: `a b =` (3 tokens; tokens `"0"`..`"{P - 1}"` are ids 0..{P - 1}, `"="` is id {EQUALS}). The answer
  is the argmax of the logits at the last position (the id of the number token).
- 1 layer, d_model 128, 4 heads (d_head 32), d_mlp 512, ReLU, no LayerNorm, n_positions 3,
  vocab {P + 1}. All biases are zero (frozen during training, as in the paper's code).
- `tokenizer.json`: HF tokenizers WordLevel model with a WhitespaceSplit pre-tokenizer
  (so `12 45 =` encodes to [12, 45, {EQUALS}]). No BOS/EOS.

## How it was trained

- Script: `samples/train/train_modadd_1l.py` (pinned versions in `samples/train/requirements.txt`),
  CPU, `torch.set_num_threads(1)`, seed {SEED} (`torch.manual_seed`; the train/test split is a
  permutation drawn from a generator seeded {SEED}).
- Init: weights N(0, 1/d_model), unembedding N(0, 1/vocab), biases 0.
- Full-batch AdamW, lr {LR}, weight decay {WEIGHT_DECAY}, betas {BETAS}; cross-entropy at the last
  position (computed in float64) over all {P + 1} logits.
- Training set: {int(TRAIN_FRACTION * P * P)} of the {P * P} pairs (30%); the other {P * P - int(TRAIN_FRACTION * P * P)} are held out.
- Stopped at the first evaluation (every {EVAL_EVERY} steps) with held-out accuracy ≥ {TARGET_TEST_ACCURACY:.0%}:
  **{s['steps']} steps**{'' if s['reached_target'] else ' (MAX_STEPS reached WITHOUT the target)'}.
  Training accuracy first hit 100% by step {first_train_100}; held-out accuracy first passed 50% at step {first_test_50}.
- Wall time measured: {s['wall_seconds']:.0f} s.

## Results (the saved weights)

| set | loss | accuracy |
| --- | --- | --- |
| train (30%) | {s['train_loss']:.3e} | {s['train_accuracy']:.4%} |
| held out (70%) | {s['test_loss']:.3e} | {s['test_accuracy']:.4%} |
| all {P * P} pairs | {s['all_pairs_loss']:.3e} | {s['all_pairs_accuracy']:.4%} ({s['all_pairs_correct']} correct) |

Fourier concentration of the embedding W_E (tokens 0..{P - 1}, DFT over the token axis; a
frequency k = 1..{P // 2} pools the cos and sin components): the top 5 frequencies hold
**{f['top5_fraction']:.1%}** of ‖W_E‖², the top 6 hold {f['top6_fraction']:.1%}
(a random embedding would put about {5 / (P // 2):.1%} on any 5). Key frequencies, largest first:
{', '.join(f"{k} ({share:.1%})" for k, share in f['top_frequencies'][:6])}.

## Training curve (every 2000 steps and the last evaluation)

| step | train loss | train acc | held-out loss | held-out acc |
| --- | --- | --- | --- | --- |
{curve}

`samples/train/verify_samples.py` reloads the saved files and re-checks the accuracy on all pairs.
"""
    (OUT_DIR / "README.md").write_text(text)


if __name__ == "__main__":
    main()
