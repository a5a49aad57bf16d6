"""Train a one-layer transformer until it groks modular addition (a + b mod 113).

Follows Nanda et al. 2023, "Progress measures for grokking via mechanistic interpretability":
input "a b =" (3 tokens), predict (a + b) mod p at the last position; d_model 128, 4 heads,
d_mlp 512, ReLU, no LayerNorm; biases kept at zero (frozen, as in the paper's code); full-batch
AdamW lr 1e-3, weight decay 1.0, betas (0.9, 0.98); 30% of the p^2 pairs are the training set.
Grokking is declared at the first evaluation where accuracy on the held-out 70% reaches 99%; training
then goes on for CLEANUP_STEPS more steps (the paper's "cleanup" phase, in which weight decay removes
the memorising components and the embedding becomes sparse in the Fourier basis) and stops.

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
CLEANUP_STEPS = 3000  # kept training after the target so weight decay finishes the "cleanup" phase

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
    config["mechscope_story"] = {"page": "fourier", "modulus": P, "template": "{a} {b} ="}  # the explorer's story page
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
    at_target = None
    while step < MAX_STEPS and (at_target is None or step < at_target["steps"] + CLEANUP_STEPS):
        train_loss, train_acc = loss_and_accuracy(model, train_tokens, train_labels)
        optimizer.zero_grad(set_to_none=True)
        train_loss.backward()
        optimizer.step()
        step += 1
        if step % EVAL_EVERY == 0:
            with torch.no_grad():
                test_loss, test_acc = loss_and_accuracy(model, test_tokens, test_labels)
            fourier_top5 = fourier_concentration(model.wte.weight.detach().numpy()[:P].astype(np.float64))["top5_fraction"]
            history.append((step, train_loss.item(), train_acc, test_loss.item(), test_acc, fourier_top5))
            if at_target is None and test_acc >= TARGET_TEST_ACCURACY:
                at_target = snapshot(model, step, tokens, labels, train_idx, test_idx)
                print(f"held-out accuracy reached {TARGET_TEST_ACCURACY:.0%} at step {step}", flush=True)
            if step % 1000 == 0:
                print(
                    f"step {step:6d} train loss {train_loss.item():.3e} acc {train_acc:.4f} | "
                    f"test loss {test_loss.item():.3e} acc {test_acc:.4f} | W_E top-5 Fourier {fourier_top5:.3f} | "
                    f"{time.perf_counter() - started:.0f}s",
                    flush=True,
                )
    wall = time.perf_counter() - started

    final = snapshot(model, step, tokens, labels, train_idx, test_idx)
    model.save(OUT_DIR)
    build_tokenizer().save(str(OUT_DIR / "tokenizer.json"))
    write_prompts()
    summary = {"at_target": at_target, "final": final, "wall_seconds": wall}
    print(json.dumps(summary, indent=2))
    write_readme(summary, history)


def snapshot(model: MechscopeTransformer, step: int, tokens, labels, train_idx, test_idx) -> dict:
    """Losses and accuracies on train / held-out / all pairs, and W_E's Fourier concentration."""
    with torch.no_grad():
        train_loss, train_acc = loss_and_accuracy(model, tokens[train_idx], labels[train_idx])
        test_loss, test_acc = loss_and_accuracy(model, tokens[test_idx], labels[test_idx])
        all_loss, all_acc = loss_and_accuracy(model, tokens, labels)
    return {
        "steps": step,
        "train_loss": train_loss.item(), "train_accuracy": train_acc,
        "test_loss": test_loss.item(), "test_accuracy": test_acc,
        "all_pairs_loss": all_loss.item(), "all_pairs_accuracy": all_acc,
        "all_pairs_correct": int(round(all_acc * P * P)),
        "fourier": fourier_concentration(model.wte.weight.detach().numpy()[:P].astype(np.float64)),
    }


def write_prompts() -> None:
    pairs = [(12, 45), (100, 50), (112, 1), (0, 0), (57, 56), (99, 99)]
    (OUT_DIR / "prompts.txt").write_text("".join(f"{a} {b} =\n" for a, b in pairs))


def write_readme(summary: dict, history: list) -> None:
    target, final = summary["at_target"], summary["final"]
    f = final["fourier"]
    first_train_100 = next((h[0] for h in history if h[2] >= 1.0), None)
    first_test_50 = next((h[0] for h in history if h[4] >= 0.5), None)
    curve = "\n".join(
        f"| {h[0]} | {h[1]:.3e} | {h[2]:.4f} | {h[3]:.3e} | {h[4]:.4f} | {h[5]:.3f} |"
        for h in history
        if h[0] % 1000 == 0 or h is history[-1] or (target and h[0] == target["steps"])
    )

    def results(snap: dict) -> str:
        return f"""| set | loss | accuracy |
| --- | --- | --- |
| train (30%) | {snap['train_loss']:.3e} | {snap['train_accuracy']:.4%} |
| held out (70%) | {snap['test_loss']:.3e} | {snap['test_accuracy']:.4%} |
| all {P * P} pairs | {snap['all_pairs_loss']:.3e} | {snap['all_pairs_accuracy']:.4%} ({snap['all_pairs_correct']} correct) |

W_E Fourier concentration: top 5 frequencies {snap['fourier']['top5_fraction']:.1%}, top 6 {snap['fourier']['top6_fraction']:.1%} of ‖W_E‖²."""

    if target is None:
        target_text = f"**The target was NOT reached within MAX_STEPS = {MAX_STEPS}.**"
    else:
        target_text = f"""Held-out accuracy first reached {TARGET_TEST_ACCURACY:.0%} at **step {target['steps']}**; there:

{results(target)}"""
    text = f"""# modadd-1l

A one-layer transformer that has grokked modular addition, (a + b) mod {P}, following Nanda et al.
2023, "Progress measures for grokking via mechanistic interpretability".

- Input: `a b =` (3 tokens; tokens `"0"`..`"{P - 1}"` are ids 0..{P - 1}, `"="` is id {EQUALS}). The answer
  is the argmax of the logits at the last position (the id of the number token).
- 1 layer, d_model 128, 4 heads (d_head 32), d_mlp 512, ReLU, no LayerNorm, n_positions 3,
  vocab {P + 1}. All biases are zero (frozen during training, as in the paper's code).
- `tokenizer.json`: HF tokenizers WordLevel model with a WhitespaceSplit pre-tokenizer
  (so `12 45 =` encodes to [12, 45, {EQUALS}]). No BOS/EOS. Its `unk_token` ("<unk>") is not in the vocab:
  words other than the {P + 1} entries cannot be encoded.

## How it was trained

- Script: `samples/train/train_modadd_1l.py` (pinned versions in `samples/train/requirements.txt`),
  CPU, `torch.set_num_threads(1)`, seed {SEED} (`torch.manual_seed`; the train/test split is a
  permutation drawn from a generator seeded {SEED}).
- Init: weights N(0, 1/d_model), unembedding N(0, 1/vocab), biases 0.
- Full-batch AdamW, lr {LR}, weight decay {WEIGHT_DECAY}, betas {BETAS}; cross-entropy at the last
  position (computed in float64) over all {P + 1} logits.
- Training set: {int(TRAIN_FRACTION * P * P)} of the {P * P} pairs (30%); the other {P * P - int(TRAIN_FRACTION * P * P)} are held out.
- Evaluated every {EVAL_EVERY} steps. Training accuracy first hit 100% by step {first_train_100}; held-out
  accuracy first passed 50% at step {first_test_50}. Once held-out accuracy reached {TARGET_TEST_ACCURACY:.0%}, training went on
  for {CLEANUP_STEPS} more steps (the cleanup phase, where weight decay strips the memorising
  components and the embedding becomes sparse in frequency), then stopped: **{final['steps']} steps in all**.
- Wall time measured: {summary['wall_seconds']:.0f} s.

## Results

{target_text}

**The saved weights** (step {final['steps']}):

{results(final)}

Fourier concentration of the embedding W_E (tokens 0..{P - 1}, DFT over the token axis; a frequency
k = 1..{P // 2} pools the cos and sin components, k = 0 is the constant): the top 5 frequencies hold
**{f['top5_fraction']:.1%}** of ‖W_E‖², the top 6 hold {f['top6_fraction']:.1%} (a random embedding puts
about {5 / (P // 2):.0%} on any 5). Largest frequencies: {', '.join(f"{k} ({share:.1%})" for k, share in f['top_frequencies'][:6])}.

## Training curve

| step | train loss | train acc | held-out loss | held-out acc | W_E top-5 Fourier |
| --- | --- | --- | --- | --- | --- |
{curve}

`samples/train/verify_samples.py` reloads the saved files and re-checks the accuracy on all pairs.

## Story page

`config.json` has `"mechscope_story": {{"page": "fourier", "modulus": 113, "template": "{{a}} {{b}} ="}}`:
`mechscope samples/modadd-1l` opens on the Fourier page — the embedding's power per frequency, the key
frequencies (42, 1, 19, 38), one MLP neuron's activation over all 113 × 113 inputs `a b =`, and the
accuracy over all of them (12769 of 12769 correct, as above). The explorer reads the key; Hugging Face
ignores it.
"""
    (OUT_DIR / "README.md").write_text(text)


if __name__ == "__main__":
    main()
