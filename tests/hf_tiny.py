"""A tiny open-weights chat model built offline, for tests and the training benchmark: nothing
comes from a model hub. A byte-level BPE tokenizer is trained on the dataset's own text (with
Qwen2.5's chat template and special tokens, which TRL knows how to mask for assistant-only loss)
and a randomly initialised Qwen2 model of a few hundred thousand parameters is saved beside it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]


def _texts(paths: list[Path]) -> Iterator[str]:
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                for m in json.loads(line)["messages"]:
                    yield str(m.get("content") or "")


def build_tiny_model(text_files: list[Path], out: Path, *, vocab_size: int = 1024, hidden_size: int = 64,
                     layers: int = 2, heads: int = 4, seed: int = 0) -> Path:  # fmt: skip
    import torch
    import trl
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIALS, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())  # fmt: skip
    tok.train_from_iterator(_texts(text_files), trainer)
    template = (Path(trl.__file__).parent / "chat_templates" / "qwen2_5.jinja").read_text(encoding="utf-8")
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>",
                                   chat_template=template)  # fmt: skip
    fast.save_pretrained(out)
    config = Qwen2Config(vocab_size=len(fast), hidden_size=hidden_size, intermediate_size=2 * hidden_size,
                         num_hidden_layers=layers, num_attention_heads=heads, num_key_value_heads=max(1, heads // 2),
                         max_position_embeddings=2048, tie_word_embeddings=True, eos_token_id=fast.eos_token_id,
                         pad_token_id=fast.pad_token_id, bos_token_id=None)  # fmt: skip
    torch.manual_seed(seed)
    model = Qwen2ForCausalLM(config)
    model.generation_config.eos_token_id = fast.eos_token_id
    model.generation_config.pad_token_id = fast.pad_token_id
    model.save_pretrained(out)
    return out


SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def prepared_sample(out: Path) -> Path:
    """The bundled hospital sample, prepared as `ftflow prepare` does (278 train examples)."""
    from ftflow.config import PrepareConfig
    from ftflow.tasks.prepare.stage import prepare_dataset

    cfg = PrepareConfig(system_prompt="You are the patient support assistant of St. Aldric's Hospital.")
    prepare_dataset([str(SAMPLE / "patient_faq.csv"), str(SAMPLE / "patient_chats.jsonl")], out, cfg)
    return out
