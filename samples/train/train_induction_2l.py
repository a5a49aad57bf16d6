"""Train a two-layer attention-only transformer (with LayerNorm) that forms induction heads.

Text: the docstrings of CPython's standard library (every module, class and function docstring of
the .py files under sysconfig's "stdlib" path, excluding site-packages and test folders) plus the
Python Language Reference topics shipped in the standard library as pydoc_data.topics. A byte-level
BPE tokenizer (GPT-2 style, vocab 2048, <|endoftext|> special token) is trained on that text first.

Every training sequence is <|endoftext|> (as BOS) followed by tokens of the token stream. A quarter
of them start with a copy task (BOS, n random tokens, the same n again); in 3/4 of the rest, 1..3
random earlier spans (8..48 tokens) are copied to random later places (a quarter of those spans
first overwritten with uniformly random tokens). Repeated spans are thus common.

Two phases: 64-token sequences (batch 8, constant lr) until induction heads have formed plus a
margin, since the time to form grows with batch x context; then 3000 steps on full 128-token
sequences with a decaying lr, so that every position is trained.

Writes samples/induction-2l/{config.json, model.safetensors, tokenizer.json, prompts.txt, README.md}.
Run from the repository root:  python samples/train/train_induction_2l.py
"""

import os

os.environ["TOKENIZERS_PARALLELISM"] = "false"  # one thread, and a deterministic tokenizer build

import ast
import json
import math
import platform
import sysconfig
import time
from pathlib import Path

import numpy as np
import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

import head_detection
from mechscope_transformer import MechscopeTransformer, make_config

SEED = 0
VOCAB_SIZE = 2048
EOT = "<|endoftext|>"
N_LAYER, N_HEAD, D_MODEL, N_POSITIONS = 2, 4, 128, 128
# Phase 1: short sequences, small batches, constant lr, until induction heads have formed (the time to
# form grows with batch x context, so short contexts get there in far less compute), plus a margin.
SHORT_LENGTH, SHORT_BATCH = 64, 8
SHORT_MAX_STEPS = 30_000
INDUCTION_TRIGGER = 0.8  # best layer-1 induction score on the short eval that ends phase 1 ...
SHORT_MARGIN_STEPS = 2000  # ... after this many more steps
# Phase 2: full-length sequences so every position up to n_positions is trained; lr decays.
LONG_BATCH = 16
LONG_STEPS = 3000
WARMUP = 100
LR = 1e-3
MIN_LR_FRACTION = 0.1
WEIGHT_DECAY = 0.01
REPEAT_PROBABILITY = 0.75
REPEAT_SPANS_MAX = 3
REPEAT_MIN, REPEAT_MAX = 8, 48
RANDOM_SPAN_PROBABILITY = 0.25
SYNTHETIC_PROBABILITY = 0.25
SYNTHETIC_MIN, SYNTHETIC_MAX = 10, 127
VALIDATION_FRACTION = 0.05
EVAL_EVERY = 500
EVAL_N, EVAL_BATCH = 50, 32  # repeated random sequences: BOS + 50 random tokens + the same 50
SHORT_EVAL_N = 30  # fits phase 1's 64-token sequences

OUT_DIR = Path(__file__).resolve().parent.parent / "induction-2l"
EXCLUDED_FOLDERS = {"site-packages", "test", "tests", "idle_test", "__pycache__"}


def stdlib_docstrings() -> list:
    """Docstrings of the standard library's .py files, in sorted file order then ast.walk order."""
    root = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(
        path for path in root.rglob("*.py") if not EXCLUDED_FOLDERS & set(path.relative_to(root).parts)
    )
    documents = []
    for path in files:
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue  # a few files are deliberately invalid (e.g. lib2to3 test data)
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                docstring = ast.get_docstring(node)
                if docstring and len(docstring) >= 40:
                    documents.append(docstring)
    return documents


def language_reference_topics() -> list:
    from pydoc_data.topics import topics

    return [topics[key] for key in sorted(topics)]


def train_tokenizer(documents: list) -> Tokenizer:
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB_SIZE,
        min_frequency=2,
        special_tokens=[EOT],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(documents, trainer=trainer)
    return tokenizer


def add_bos_template(tokenizer: Tokenizer, eot: int) -> None:
    """BOS first in every encoding, as training saw it: the post-processor `transformers` writes for a
    byte-level tokenizer that adds BOS (Llama-3's shape), so `tokenizer(prompt)` gives `[eot] + text`."""
    tokenizer.post_processor = processors.Sequence([
        processors.ByteLevel(trim_offsets=False),
        processors.TemplateProcessing(single=f"{EOT} $A", pair=f"{EOT} $A {EOT}:1 $B:1", special_tokens=[(EOT, eot)]),
    ])


def token_stream(tokenizer: Tokenizer, documents: list, eot: int) -> np.ndarray:
    ids = []
    for encoding in tokenizer.encode_batch(documents, add_special_tokens=False):
        ids.append(eot)
        ids.extend(encoding.ids)
    return np.array(ids, dtype=np.int64)


def sample_batch(rng: np.random.Generator, stream: np.ndarray, eot: int, length: int, batch: int, repeat: bool = True) -> np.ndarray:
    """[batch, length] training sequences: BOS, then text, with copied spans and copy tasks mixed in."""
    starts = rng.integers(0, len(stream) - length, size=batch)
    rows = np.stack([np.concatenate([[eot], stream[s : s + length - 1]]) for s in starts])
    if not repeat:
        return rows
    for row in rows:
        if rng.random() < SYNTHETIC_PROBABILITY:
            # A copy task: n random tokens right after BOS, then the same n again (then the text goes on).
            n = int(rng.integers(SYNTHETIC_MIN, min(SYNTHETIC_MAX, (length - 1) // 2) + 1))
            row[1 : 1 + n] = rng.integers(1, VOCAB_SIZE, size=n)
            row[1 + n : 1 + 2 * n] = row[1 : 1 + n]
            continue
        if rng.random() >= REPEAT_PROBABILITY:
            continue
        for _ in range(int(rng.integers(1, REPEAT_SPANS_MAX + 1))):
            span = int(rng.integers(REPEAT_MIN, min(REPEAT_MAX, (length - 1) // 2) + 1))
            source = int(rng.integers(1, length - 2 * span + 1))
            target = int(rng.integers(source + span, length - span + 1))
            if rng.random() < RANDOM_SPAN_PROBABILITY:
                row[source : source + span] = rng.integers(1, VOCAB_SIZE, size=span)
            row[target : target + span] = row[source : source + span].copy()
    return rows


def initialise(model: MechscopeTransformer) -> None:
    """GPT-2 init: N(0, 0.02) weights (residual output projections scaled by 1/sqrt(2 n_layer)),
    N(0, 0.01) positions, LayerNorm weight 1 / bias 0, other biases 0."""
    with torch.no_grad():
        for name, param in model.named_parameters():
            if ".ln_" in name or name.startswith("ln_f"):
                param.fill_(1.0 if name.endswith("weight") else 0.0)
            elif name.endswith(".bias"):
                param.zero_()
            elif name == "wpe.weight":
                param.normal_(0.0, 0.01)
            elif name.endswith("c_proj.weight"):
                param.normal_(0.0, 0.02 / math.sqrt(2 * N_LAYER))
            else:
                param.normal_(0.0, 0.02)


def learning_rate(step: int, long_step: int) -> float:
    """Warm-up, then constant through phase 1; cosine decay to MIN_LR_FRACTION over phase 2."""
    if step < WARMUP:
        return LR * (step + 1) / WARMUP
    if long_step < 0:
        return LR
    progress = long_step / LONG_STEPS
    return LR * (MIN_LR_FRACTION + (1 - MIN_LR_FRACTION) * 0.5 * (1 + math.cos(math.pi * progress)))


def next_token_loss(model: MechscopeTransformer, batch: torch.Tensor) -> torch.Tensor:
    logits = model(batch[:, :-1])
    return torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), batch[:, 1:].reshape(-1))


def induction_report(model: MechscopeTransformer, eot: int, n: int = EVAL_N) -> dict:
    """Head scores and half losses on a fixed set of repeated random-token sequences."""
    tokens = head_detection.repeated_random_tokens(np.random.default_rng(SEED + 100), EVAL_BATCH, n, eot, 1, VOCAB_SIZE)
    with torch.no_grad():
        logits, patterns = model(torch.from_numpy(tokens), return_patterns=True)
    patterns = [p.numpy().astype(np.float64) for p in patterns]
    first, second = head_detection.half_losses(logits.numpy().astype(np.float64), tokens, n)
    return {
        "induction_second_half": [head_detection.induction_score_second_half(p, n).tolist() for p in patterns],
        "previous_token": [head_detection.previous_token_score(p).tolist() for p in patterns],
        "induction_transformerlens": [head_detection.transformerlens_score(p, tokens, "induction").tolist() for p in patterns],
        "previous_token_transformerlens": [
            head_detection.transformerlens_score(p, tokens, "previous_token").tolist() for p in patterns
        ],
        "first_half_loss": first,
        "second_half_loss": second,
    }


def main() -> None:
    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    started = time.perf_counter()

    docstrings = stdlib_docstrings()
    topics = language_reference_topics()
    documents = docstrings + topics
    tokenizer = train_tokenizer(documents)
    eot = tokenizer.token_to_id(EOT)
    order = np.random.default_rng(SEED).permutation(len(documents))
    n_validation = int(VALIDATION_FRACTION * len(documents))
    validation_docs = [documents[i] for i in order[:n_validation]]
    train_docs = [documents[i] for i in order[n_validation:]]
    train_stream = token_stream(tokenizer, train_docs, eot)
    validation_stream = token_stream(tokenizer, validation_docs, eot)
    corpus = {
        "python": platform.python_version(),
        "docstrings": len(docstrings),
        "topics": len(topics),
        "characters": sum(len(d) for d in documents),
        "train_tokens": int(len(train_stream)),
        "validation_tokens": int(len(validation_stream)),
        "vocab_size": tokenizer.get_vocab_size(),
        "eot_id": eot,
    }
    print(json.dumps(corpus), flush=True)
    if tokenizer.get_vocab_size() != VOCAB_SIZE:
        raise RuntimeError(f"tokenizer has {tokenizer.get_vocab_size()} entries, expected {VOCAB_SIZE}")
    setup_seconds = time.perf_counter() - started

    config = make_config(
        n_layer=N_LAYER, n_head=N_HEAD, n_embd=D_MODEL, n_positions=N_POSITIONS, vocab_size=VOCAB_SIZE,
        n_inner=None, attn_only=True, normalization_type="LN", activation_function="gelu_new",
        bos_token_id=eot, eos_token_id=eot,
    )
    config["mechscope_story"] = {"page": "atlas"}  # the explorer's story page
    model = MechscopeTransformer(config)
    initialise(model)
    decay = [p for n, p in model.named_parameters() if p.dim() == 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() != 2]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": WEIGHT_DECAY}, {"params": no_decay, "weight_decay": 0.0}],
        lr=LR, betas=(0.9, 0.95),
    )

    history = []
    recent = []
    step = 0
    short_end = SHORT_MAX_STEPS  # moved earlier once induction heads have formed
    induction_formed_at = None
    long_step = -1
    while long_step < LONG_STEPS:
        in_short_phase = step < short_end
        if not in_short_phase:
            long_step += 1
            if long_step == LONG_STEPS:
                break
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step, long_step)
        if in_short_phase:
            batch = sample_batch(rng, train_stream, eot, SHORT_LENGTH, SHORT_BATCH)
        else:
            batch = sample_batch(rng, train_stream, eot, N_POSITIONS, LONG_BATCH)
        loss = next_token_loss(model, torch.from_numpy(batch))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        step += 1
        recent.append(loss.item())
        if step % EVAL_EVERY == 0 or (not in_short_phase and long_step == LONG_STEPS - 1):
            short = induction_report(model, eot, SHORT_EVAL_N)
            entry = {
                "step": step,
                "phase": 1 if in_short_phase else 2,
                "train_loss": float(np.mean(recent)),
                "induction": max(short["induction_second_half"][1]),
                "previous_token": max(short["previous_token"][0]),
                "first_half_loss": short["first_half_loss"],
                "second_half_loss": short["second_half_loss"],
                "seconds": time.perf_counter() - started,
            }
            if not in_short_phase:
                full = induction_report(model, eot)
                entry.update({
                    "induction_long": max(full["induction_second_half"][1]),
                    "previous_token_long": max(full["previous_token"][0]),
                    "second_half_loss_long": full["second_half_loss"],
                })
            recent = []
            history.append(entry)
            print(json.dumps(entry), flush=True)
            if in_short_phase and induction_formed_at is None and entry["induction"] >= INDUCTION_TRIGGER:
                induction_formed_at = step
                short_end = step + SHORT_MARGIN_STEPS
    wall = time.perf_counter() - started

    with torch.no_grad():
        eval_rng = np.random.default_rng(SEED + 200)
        plain = [next_token_loss(model, torch.from_numpy(
                     sample_batch(eval_rng, validation_stream, eot, N_POSITIONS, LONG_BATCH, repeat=False))).item()
                 for _ in range(8)]
    final = induction_report(model, eot)
    final["validation_loss_plain_text"] = float(np.mean(plain))

    model.save(OUT_DIR)
    add_bos_template(tokenizer, eot)
    tokenizer.save(str(OUT_DIR / "tokenizer.json"))
    prompts = write_prompts()
    prompt_demos = [demo_prompt(model, tokenizer, eot, p) for p in prompts]
    summary = {"corpus": corpus, "final": final, "history": history, "wall_seconds": wall,
               "induction_formed_at": induction_formed_at, "short_end": short_end, "steps": step,
               "setup_seconds": setup_seconds, "prompts": prompt_demos}
    print(json.dumps({k: v for k, v in summary.items() if k != "history"}, indent=1))
    write_readme(summary)


PROMPTS = [
    "The function Zorblatt_frobnicate takes a path and returns a list. Call Zorblatt_frobnicate",
    "See the Krzyzanowski algorithm for details. The Krzyzanowski algorithm",
    "My friend Bartholomew Fizzlewick lives in Oslo. Yesterday Bartholomew Fizzlewick",
    "Use the quasiperiodic_marshmallow option to enable caching. When quasiperiodic_marshmallow",
    "glorp snib wuzzle frang tokamak brill. glorp snib wuzzle",
]


def write_prompts() -> list:
    (OUT_DIR / "prompts.txt").write_text("".join(p + "\n" for p in PROMPTS))
    return PROMPTS


def demo_prompt(model: MechscopeTransformer, tokenizer: Tokenizer, eot: int, prompt: str) -> dict:
    """Greedy continuation (6 tokens) of BOS + prompt (the tokenizer's template adds BOS), and the top next token's probability."""
    ids = tokenizer.encode(prompt).ids
    assert ids[0] == eot
    first_probability = None
    with torch.no_grad():
        for _ in range(6):
            logits = model(torch.tensor([ids]))[0, -1]
            probabilities = logits.softmax(-1)
            top = int(probabilities.argmax())
            if first_probability is None:
                first_probability = float(probabilities[top])
            ids.append(top)
    continuation = tokenizer.decode(ids[-6:])
    return {"prompt": prompt, "continuation": continuation, "first_token_probability": first_probability}


def write_readme(s: dict) -> None:
    c, f = s["corpus"], s["final"]
    head_table = []
    for layer in range(N_LAYER):
        for head in range(N_HEAD):
            head_table.append(
                f"| {layer}.{head} | {f['previous_token'][layer][head]:.3f} | {f['induction_second_half'][layer][head]:.3f} "
                f"| {f['previous_token_transformerlens'][layer][head]:.3f} | {f['induction_transformerlens'][layer][head]:.3f} |"
            )
    best_induction = int(np.argmax(f["induction_second_half"][1]))
    best_previous = int(np.argmax(f["previous_token"][0]))
    curve = "\n".join(
        f"| {h['step']} | {h['phase']} | {h['train_loss']:.3f} | {h['previous_token']:.3f} | {h['induction']:.3f} "
        f"| {h['first_half_loss']:.2f} | {h['second_half_loss']:.2f} "
        f"| {h.get('previous_token_long', float('nan')):.3f} | {h.get('induction_long', float('nan')):.3f} |"
        for h in s["history"]
        if h["step"] % 1000 == 0 or h is s["history"][-1] or h["step"] == s["induction_formed_at"]
    )
    demos = "\n".join(
        f"- `{d['prompt']}` → `{json.dumps(d['continuation'])}` (first token p = {d['first_token_probability']:.2f})"
        for d in s["prompts"]
    )
    text = f"""# induction-2l

A two-layer attention-only transformer with LayerNorm, trained on English technical prose, that has
formed a previous-token head in layer 0 and induction heads in layer 1.

- 2 layers, attention only (no MLPs), {N_HEAD} heads per layer, d_model {D_MODEL} (d_head {D_MODEL // N_HEAD}),
  n_positions {N_POSITIONS}, vocab {VOCAB_SIZE}, pre-LN (GPT-2 layout), learned absolute positions.
- `tokenizer.json`: byte-level BPE (GPT-2 style ByteLevel pre-tokenizer and decoder), {VOCAB_SIZE} entries,
  trained by the same script; `{EOT}` is id {c['eot_id']} and is both BOS and EOS.
- **`{EOT}` (id {c['eot_id']}) comes first as BOS** when running a prompt: every training sequence started with it,
  so the tokenizer's post-processor (a `TemplateProcessing`, `{EOT} $A`) adds it, as `transformers`'
  `tokenizer(prompt)` does (`add_special_tokens=False` leaves it out).

## Training text

From CPython {c['python']}'s own standard library, so anyone with that Python can rebuild it byte for byte:
- every module, class and function docstring (`ast.get_docstring`, at least 40 characters) of the `.py`
  files under `sysconfig.get_paths()["stdlib"]`, excluding `site-packages`, `test`, `tests`, `idle_test`
  folders: {c['docstrings']} docstrings;
- the Python Language Reference topics in `pydoc_data.topics` (what `help("if")` shows): {c['topics']} topics.

{c['characters']:,} characters in all, one document each, joined with `{EOT}` between documents.
{VALIDATION_FRACTION:.0%} of the documents (seeded permutation) are held out for a validation loss:
{c['train_tokens']:,} training tokens, {c['validation_tokens']:,} validation tokens.

## How it was trained

- Script: `samples/train/train_induction_2l.py` (pinned versions in `samples/train/requirements.txt`),
  CPU, `torch.set_num_threads(1)`, `TOKENIZERS_PARALLELISM=false`, seed {SEED} (torch and numpy).
- Sequences: `{EOT}` + consecutive tokens from a random offset of the token stream. With probability
  {SYNTHETIC_PROBABILITY} a sequence starts with a copy task instead: `{EOT}`, n uniformly random token ids
  (n = {SYNTHETIC_MIN}..min({SYNTHETIC_MAX}, half the sequence)), the same n ids again, then the text. Otherwise, with probability {REPEAT_PROBABILITY}, a sequence
  gets 1..{REPEAT_SPANS_MAX} repeats: each copies a random span of {REPEAT_MIN}..{REPEAT_MAX} tokens from earlier in the sequence
  to a random later position; with probability {RANDOM_SPAN_PROBABILITY} that span is first overwritten with uniformly
  random token ids (so copying, not English statistics, is the only way to predict its second occurrence).
- AdamW (betas 0.9, 0.95; weight decay {WEIGHT_DECAY} on matrices), gradient clipping 1.0, GPT-2 init
  (N(0, 0.02); residual projections scaled 1/sqrt(2·n_layer)), lr {LR} after {WARMUP} warm-up steps.
- Phase 1 (constant lr): batches of {SHORT_BATCH} × {SHORT_LENGTH}-token sequences. Induction heads form much sooner
  in short contexts; the phase ends {SHORT_MARGIN_STEPS} steps after the first evaluation (every {EVAL_EVERY} steps, on
  `{EOT}` + {SHORT_EVAL_N} random tokens repeated) whose best layer-1 induction score reaches {INDUCTION_TRIGGER}.
  That happened at step **{s['induction_formed_at']}**, so phase 1 ran {s['short_end']} steps.
- Phase 2 (lr cosine-decayed to {MIN_LR_FRACTION:.0%}): {LONG_STEPS} steps of {LONG_BATCH} × {N_POSITIONS}-token sequences, so every
  position is trained. **{s['steps']} steps in all.**
- Final training loss (mean over the last evaluation interval): {s['history'][-1]['train_loss']:.3f};
  validation loss on held-out plain text (no inserted repeats): {f['validation_loss_plain_text']:.3f}.
- Wall time measured: {s['wall_seconds']:.0f} s (of which {s['setup_seconds']:.0f} s building the corpus and tokenizer).

## Induction, measured on the saved weights

On {EVAL_BATCH} sequences of `{EOT}` + {EVAL_N} uniformly random tokens + the same {EVAL_N} tokens again (numpy seed {SEED + 100}):

- best layer-1 induction score: **{max(f['induction_second_half'][1]):.3f}** (head 1.{best_induction}) — mean attention
  from each second-copy position q to q − {EVAL_N} + 1, the token after its earlier copy;
- best layer-0 previous-token score: **{max(f['previous_token'][0]):.3f}** (head 0.{best_previous}) — mean attention to q − 1;
- next-token loss on the first copy: **{f['first_half_loss']:.2f}** nats (random tokens: unpredictable,
  ln {VOCAB_SIZE - 1} = {math.log(VOCAB_SIZE - 1):.2f}); on the second copy: **{f['second_half_loss']:.2f}** nats.

Per head ("TL" columns: TransformerLens `detect_head(..., error_measure="mul")`, which divides by every query
row, so on a sequence repeated once a perfect induction head scores at most ≈ {EVAL_N}/{2 * EVAL_N + 1} = {EVAL_N / (2 * EVAL_N + 1):.2f}):

| head | previous-token | induction (second half) | TL previous_token | TL induction |
| --- | --- | --- | --- | --- |
{chr(10).join(head_table)}

Training curve (scores are the best head of the layer at that point; "short" columns use {SHORT_EVAL_N} random tokens
repeated, "long" ones {EVAL_N}, measured in phase 2 only):

| step | phase | train loss | L0 previous-token (short) | L1 induction (short) | first-copy loss (short) | second-copy loss (short) | L0 previous-token (long) | L1 induction (long) |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
{curve}

## prompts.txt

Each line repeats a rare name or phrase, so what followed its first occurrence can be predicted at the
second by induction (head 1.{best_induction} attending to the token after the earlier copy). Greedy continuations
of the saved model (with `{EOT}` prepended), and the probability of the first predicted token:

{demos}

The model is tiny and has only seen Python documentation, so outside copied spans its text is poor;
what it shows is copying: after the repeated rare word it continues with what followed that word the
first time (for a common word such as " the", the text statistics usually win instead).

`samples/train/verify_samples.py` reloads the saved files with a numpy forward pass and re-checks the
head scores and the loss drop.

## Story page

`config.json` has `"mechscope_story": {{"page": "atlas"}}`: `mechscope samples/induction-2l` opens on the
head atlas, where the induction head L1H3 is the strongest (the key is read by the explorer only; the
default for a transformer is the atlas too).
"""
    (OUT_DIR / "README.md").write_text(text)


if __name__ == "__main__":
    main()
