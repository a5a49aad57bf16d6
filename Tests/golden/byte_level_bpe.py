"""Train and save a GPT-2 style byte-level BPE tokenizer without touching the network.

Shared by make_goldens.py (tiny golden models) and make_bench_model.py (GPT-2-small-shaped
benchmark model). The layout written matches the original GPT-2 hub folders: tokenizer.json,
vocab.json (including <|endoftext|> as the last id), merges.txt and tokenizer_config.json.
"""
import json
import os

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

END_OF_TEXT = "<|endoftext|>"


def train_byte_level_bpe(corpus, vocab_size):
    """Trains a byte-level BPE whose total size (with <|endoftext|> as last id) is at most vocab_size."""
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size - 1,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        special_tokens=[],
        show_progress=False,
    )
    tokenizer.train_from_iterator(corpus, trainer)
    tokenizer.add_special_tokens([END_OF_TEXT])
    assert tokenizer.token_to_id(END_OF_TEXT) == tokenizer.get_vocab_size() - 1
    return tokenizer


def save_gpt2_tokenizer_files(tokenizer, folder, model_max_length):
    """Writes tokenizer.json, vocab.json, merges.txt and tokenizer_config.json into folder."""
    os.makedirs(folder, exist_ok=True)
    tokenizer.save(os.path.join(folder, "tokenizer.json"))
    tokenizer.model.save(folder)
    vocab_path = os.path.join(folder, "vocab.json")
    with open(vocab_path, encoding="utf-8") as f:
        vocab = json.load(f)
    vocab[END_OF_TEXT] = tokenizer.token_to_id(END_OF_TEXT)
    with open(vocab_path, "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    config = {
        "tokenizer_class": "GPT2Tokenizer",
        "add_prefix_space": False,
        "bos_token": END_OF_TEXT,
        "eos_token": END_OF_TEXT,
        "unk_token": END_OF_TEXT,
        "model_max_length": model_max_length,
    }
    with open(os.path.join(folder, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
        f.write("\n")


def pad_vocabulary(tokenizer, vocab_size):
    """Returns a copy of tokenizer whose vocabulary has exactly vocab_size ids.

    The trained tokens keep their ids, distinct filler tokens `<|filler_NNNNN|>` take the ids up to
    vocab_size - 2 and <|endoftext|> moves to vocab_size - 1 (as in GPT-2, 50256). No merge produces
    a filler, so encoding is unchanged; the fillers only make the embedding matrix the right shape.
    """
    state = json.loads(tokenizer.to_str())
    trained = {token: index for token, index in state["model"]["vocab"].items() if token != END_OF_TEXT}
    assert sorted(trained.values()) == list(range(len(trained))), "trained ids are not contiguous"
    assert len(trained) < vocab_size, f"trained vocabulary ({len(trained)}) already reaches {vocab_size}"
    vocab = dict(trained)
    for index in range(len(trained), vocab_size - 1):
        vocab[f"<|filler_{index:05d}|>"] = index
    vocab[END_OF_TEXT] = vocab_size - 1
    merges = [tuple(merge) if isinstance(merge, list) else tuple(merge.split(" ")) for merge in state["model"]["merges"]]
    padded = Tokenizer(models.BPE(vocab=vocab, merges=merges))
    padded.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    padded.decoder = decoders.ByteLevel()
    padded.post_processor = processors.ByteLevel(trim_offsets=False)
    padded.add_special_tokens([END_OF_TEXT])
    assert padded.get_vocab_size() == vocab_size and padded.token_to_id(END_OF_TEXT) == vocab_size - 1
    return padded
