#!/usr/bin/env python3
"""Runs gpt-oss-20b mlx-affine-4bit-g64 with mlx_lm using the plan's settings (written by edgeplan)."""
from mlx_lm import generate, load
from mlx_lm.models.cache import make_prompt_cache

MODEL = "openai/gpt-oss-20b"
MAX_TOKENS = 256
MAX_KV_SIZE = 8192


def main():
    model, tokenizer = load(MODEL)
    prompt_cache = make_prompt_cache(model, max_kv_size=MAX_KV_SIZE)
    messages = [{"role": "user", "content": "Say hello in one sentence."}]
    prompt = tokenizer.apply_chat_template(messages, add_generation_prompt=True)
    generate(
        model,
        tokenizer,
        prompt=prompt,
        max_tokens=MAX_TOKENS,
        prompt_cache=prompt_cache,
        verbose=True,  # prints prompt and generation tok/s and peak memory
    )


if __name__ == "__main__":
    main()
