"""The words of the model-name grammar, as data: what each word of a name means.

Lists are small and explicit on purpose: a word missing here stays part of the model's identity
(a new key, so no wrong merge); a word wrongly listed as a setting would merge two models. Every
entry was seen in the real sources (``../shared/data``); the tests in ``tests/test_names_*.py``
use those spellings.
"""

from __future__ import annotations

import re

TIERS = frozenset(
    {
        "mini", "nano", "micro", "tiny", "small", "medium", "large", "xl", "xxl", "pro",
        "flash", "flashx", "lite", "air", "airx", "max", "plus", "turbo", "ultra", "standard",
        "sonnet", "opus", "haiku", "master", "premier",
    }
)  # fmt: skip
"""Sizes of a product line ('gpt-4o' vs 'gpt-4o-mini'): part of identity, in any word order
('claude-3-5-sonnet' = 'claude-sonnet-3.5')."""

INSTRUCT = frozenset({"instruct", "inst", "it", "instruction"})
CHAT = frozenset({"chat"})
"""'-chat' is a mode of its own: MosaicML released both mpt-7b-chat and mpt-7b-instruct."""
BASE = frozenset({"base"})
THINKING = frozenset({"thinking", "think", "reasoning", "reasoner"})
NONTHINKING = frozenset({"nonthinking", "nothink", "nothinking", "nonreasoning", "noreasoning"})
NEGATIONS = frozenset({"no", "non"})
"""'non-thinking', 'no think', 'non-reasoning': a negation word before a thinking word."""

EFFORTS = frozenset({"minimal", "low", "high", "xhigh"})
"""Reasoning-effort words that are never part of a model's name (anywhere after the stem)."""
SOFT_EFFORTS = frozenset({"medium", "max", "none", "auto"})
"""Effort words that are also tiers ('mistral-medium', 'qwen3-max'): a setting only with an
explicit marker ('_medium', '(max)', ':max', 'medium-effort') or after a line that has effort
levels and no such tier (DASH_EFFORT_FAMILIES)."""
DASH_EFFORT_FAMILIES = frozenset({"gpt", "o", "gemini", "claude", "grok"})
"""Families whose trailing '-medium' / '-max' is an effort ('gpt-5-medium', 'claude-opus-5-max')."""
TIER_BEFORE_SOFT_EFFORT = frozenset({"codex"})
"""'gpt-5.1-codex-max' is a model: after these words 'max' stays a tier."""

QUANTIZATIONS = frozenset(
    {
        "fp4", "fp8", "fp16", "bf16", "bfloat16", "float16", "int4", "int8", "awq", "gptq",
        "gguf", "mlx", "nvfp4", "mxfp4", "exl2", "4bit", "6bit", "8bit", "w4a16", "w8a8",
    }
)  # fmt: skip
QUANT_RE = re.compile(r"^(?:i?q[2-8](?:k[a-z0-9]*|\d))$|^\d+bit$")
"""llama.cpp quantizations, joined by the tokenizer ('q4_k_m' -> 'q4km', 'q8_0' -> 'q80'), and
'Nbit'. A bare 'q2' is not one: 'vidu-q2-pro' is a model."""

SERVED = frozenset(
    {
        "free", "tee", "nitro", "floor", "exacto", "extended", "maas", "tput", "hf", "pt",
        "paddle", "fal", "lightning", "draft", "online", "cached", "batch", "flex", "priority",
    }
)  # fmt: skip
"""How a provider serves a model (a route or price plan), not a different model. 'lightning' is
a served variant only after a versioned name ('kimi-k2.5-lightning'); 'yi-lightning' is a model."""
SERVED_AFTER_VERSION = frozenset({"lightning", "online"})

EDIT_FORMATS = frozenset({"diff", "whole", "udiff", "architect", "fenced"})
"""Aider's edit formats: a setting of the run."""
HARNESSES = frozenset({"harness"})
"""'(codex-harness)': the agent harness the run used."""

QUALITY = frozenset({"res", "fidelity", "hd", "quality"})
"""'high-res', 'high-fidelity': image quality settings (with the word before them)."""
RESOLUTION_RE = re.compile(r"^\d{3,4}p$")
STEPS_RE = re.compile(r"^(?:\d+|max)$")

SIZE_RE = re.compile(r"^(\d+(?:\.\d+)?)([bmt])$")
"""A parameter count: '405b', '1.5b', '1t', '70m'."""
ACTIVE_RE = re.compile(r"^a(\d+(?:\.\d+)?)b$")
"""Active parameters of a mixture of experts: 'a22b'."""
MOE_RE = re.compile(r"^(\d+)x(\d+(?:\.\d+)?)b$")
"""Experts x size: '8x7b'."""
EXPERTS_RE = re.compile(r"^(\d+)e$")
"""Number of experts: '16e' (Llama 4 Scout)."""
EFFECTIVE_RE = re.compile(r"^e(\d+(?:\.\d+)?)b$")
"""Effective parameters: 'e4b' (Gemma 3n)."""
CONTEXT_RE = re.compile(r"^(\d+)([km])$")
"""A context length that names a variant: '128k', '200k', '1m'."""
CONTEXT_TOKENS = {4096: "4k", 8192: "8k", 16384: "16k", 32768: "32k", 65536: "64k", 131072: "128k"}
"""Context lengths written in tokens ('llama3-70b-8192')."""

TASKS = frozenset(
    {
        "text-to-image", "image-to-image", "text-to-video", "image-to-video", "video-to-video",
        "edit", "edits", "inpaint", "upscale", "generate",
    }
)  # fmt: skip
"""Endpoint segments at the end of gateway paths ('.../seedream/v3/text-to-image'). Inside a
name 't2v'/'i2v' stay identity: Wan2.1-T2V-14B and Wan2.1-I2V-14B are different checkpoints."""

REGIONS = frozenset({"us", "eu", "apac", "jp", "au", "ca", "global", "us-gov", "asia", "in"})

ROUTE_WORDS = frozenset(
    {
        "azure", "azure_ai", "bedrock", "bedrock_converse", "vertex_ai", "vertex", "databricks",
        "alicloud", "parasail", "openrouter", "together", "together_ai", "togethercomputer",
        "fireworks", "fireworks_ai", "fireworks-ai", "accounts", "models", "routers", "deepinfra",
        "groq", "ollama", "ollama_chat", "replicate", "nebius", "novita", "snowflake", "oci",
        "sambanova", "hyperbolic", "cerebras", "chutes", "tee", "pro", "github", "github_copilot",
        "copilot", "workers-ai", "cloudflare", "@cf", "hf", "aihubmix", "empiriolabs", "gmi",
        "kyma", "baseten", "friendliai", "lambda_ai", "nscale", "ovhcloud", "scaleway", "wandb",
        "watsonx", "sagemaker", "anyscale", "perplexity", "vercel_ai_gateway", "gemini",
        "dashscope", "volcengine", "opencode_go", "inferenceapis", "zerogpu", "coralbricks",
        "llamagate", "streamlake", "helicone", "requesty", "poe", "nano-gpt", "vercel", "kilo",
        "zenmux", "fal_ai", "fal-ai", "aiml", "duo", "chatgpt", "siliconflow", "modelscope",
        "huggingface", "nvidia_nim", "text-completion-openai", "text-completion-codestral",
        "codestral", "us", "eu", "global",
    }
)  # fmt: skip
"""Path segments and glued prefixes that name a gateway or reseller, not the model's maker
(a lab's own API prefix, 'openai/', is also a vendor: see VENDORS)."""

VENDORS = frozenset(
    {
        "openai", "anthropic", "google", "meta", "meta-llama", "facebook", "microsoft",
        "mistral", "mistralai", "mistral-ai", "alibaba", "qwen", "deepseek", "deepseek-ai",
        "xai", "x-ai", "zai", "z-ai", "zai-org", "zhipu", "zhipuai", "thudm", "moonshot",
        "moonshotai", "amazon", "aws", "cohere", "cohereforai", "coherelabs", "ai21", "ai21labs",
        "ai21-labs", "nvidia", "ibm", "ibm-granite", "baidu", "tencent", "tencent-hunyuan",
        "bytedance", "bytedance-seed", "minimax", "minimaxai", "stepfun", "stepfun-ai", "xiaomi",
        "xiaomimimo", "01-ai", "inclusionai", "allenai", "stabilityai", "stability",
        "black-forest-labs", "bfl", "nousresearch", "meituan", "meituan-longcat", "internlm",
        "openbmb", "shanghai-ai-lab", "upstage", "lg", "lgai-exaone", "reka", "rekaai",
        "perplexity-ai", "liquid", "arcee-ai", "kwaipilot", "inception", "poolside", "writer",
        "sarvam", "sakana", "sakanaai", "databricks", "snowflake", "tiiuae", "ideogram",
        "runwayml", "luma", "lumalabs", "kling", "klingai", "pika", "genmo", "lightricks",
    }
)  # fmt: skip
"""Organisation words that name who made the model ('meta-llama/', 'OpenAI: ', 'anthropic.')."""

BEDROCK_VENDORS = frozenset(
    {
        "anthropic", "meta", "amazon", "mistral", "cohere", "ai21", "deepseek", "qwen", "openai",
        "google", "xai", "moonshotai", "moonshot", "minimax", "stability", "writer", "twelvelabs",
        "nvidia", "zai", "luma",
    }
)  # fmt: skip
"""Vendors of Bedrock-style dotted ids ('us.anthropic.claude-...', 'mistral.mistral-large-...')."""
BEDROCK_FAMILY = {"deepseek": "deepseek", "moonshotai": "kimi"}
"""Bedrock ids that drop the family word ('deepseek.r1-v1:0' is DeepSeek-R1)."""

GLUED_PREFIXES = frozenset(
    {
        "databricks", "azure", "alicloud", "parasail", "openai", "meta", "amazon", "google",
        "microsoft", "moonshot", "anthropic", "mistralai", "ibm", "nvidia", "baidu", "tencent",
        "xai", "cohere", "zhipu", "alibaba", "ai21",
    }
)  # fmt: skip
"""Words glued before a product line that name a gateway or the vendor ('databricks-gpt-5-nano',
'openai-gpt-oss-20b', 'meta-llama-3.1-8b', 'amazon-nova-lite'). Deliberately short: 'cerebras-gpt'
and 'kling-o3' are model names."""

GLUED_PAIRS = frozenset({("z", "ai"), ("zai", "org"), ("x", "ai")})
"""Two-word vendor prefixes glued before a name ('z-ai-glm-5-turbo', 'zai-org-glm-4.6')."""

FAMILIES = frozenset(
    {
        "gpt", "chatgpt", "o", "claude", "gemini", "gemma", "codegemma", "llama", "codellama",
        "qwen", "qwq", "qvq", "deepseek", "mistral", "mixtral", "ministral", "codestral",
        "pixtral", "magistral", "devstral", "phi", "grok", "glm", "chatglm", "kimi", "minimax",
        "yi", "command", "aya", "jamba", "nova", "titan", "ernie", "hunyuan", "doubao", "seed",
        "seedream", "seedance", "step", "internlm", "baichuan", "granite", "nemotron", "olmo",
        "falcon", "dbrx", "mpt", "reka", "sonar", "kling", "veo", "sora", "wan", "hailuo",
        "vidu", "pika", "runway", "gen", "ray", "flux", "imagen", "ideogram", "recraft", "mimo",
        "longcat", "hy", "exaone", "solar", "palm", "lfm", "ling", "ring", "mercury", "cogvideox",
        "hermes", "kat", "muse", "whisper", "dall", "text", "embed", "rerank", "stable", "sd",
    }
)  # fmt: skip
"""First words of product lines: a vendor word glued before one ('openai-gpt-4.1',
'meta-llama-3.1-8b', 'amazon-nova-lite') is the vendor, not part of the name."""

STAGES = frozenset({"preview", "exp", "experimental", "beta", "alpha", "latest", "ga"})
"""Release stages: part of identity ('gemini-2.5-pro-preview' is not 'gemini-2.5-pro')."""
