"""Parse a raw model string into its parts, and the identity key its spellings share.

``parse('us.anthropic.claude-3-7-sonnet-20250219-v1:0')`` gives route 'us/bedrock', vendor
'anthropic', stem 'claude3.7', tier 'sonnet', checkpoint 2025-02-19. Two names name the same
model version when their *identity* parts are equal: the stem (family, version and any other
word), tiers, size, active size, mode, context variant and checkpoint. Route, vendor and
settings (reasoning effort, thinking budget, quantization, harness, edit format, served variant)
are recorded but are not identity.

A mode written in the name ('-thinking', '-base', '-non-reasoning') is identity. A mode only
implied by a setting position (a thinking budget '_32K', '(24k think)', '(Reasoner)',
'(no think)', LiveBench's glued '-nothinking') is ``implied_mode``: the resolver maps it to the
line's version of that mode, or to the line's only version when the line has no modes.

Steps, in order: markup is removed; parentheses and brackets, then notes after a comma (Aider's
free text) are set aside; route and vendor prefixes are split off (``routes``); colon tags
(``:free``) and an underscore tail (Epoch's ``_high``) are set aside; the rest is cut into words,
each read by the tables in ``vocab``; the set-aside parts are read last with the same tables.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from wholeads.ingest.names import dates, vocab
from wholeads.ingest.names.dates import Checkpoint, PartialDate
from wholeads.ingest.names.routes import split_route

_LINK_RE = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_EMOJI_RE = re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]")
_MARKS_RE = re.compile(r"[*†‡]+")
_PAREN_RE = re.compile(r"\(([^()]*)\)")
_BRACKET_RE = re.compile(r"\[([^\[\]]*)\]")
_NOTE_RE = re.compile(r",\s*|\s+(?:on|with|via|using)\s+(?=\S)", re.I)
_UNDERSCORE_TAIL_RE = re.compile(r"_([a-z]+|\d+k)$", re.I)
_SPLIT_RE = re.compile(r"[\s\-_/,@+]+|(?<!\d)\.|\.(?!\d)")
_NON_WORD_RE = re.compile(r"[^\w.]+")
_SIZE_PAREN_RE = re.compile(r"^(\d+(?:\.\d+)?[bm])(?:\s*/\s*(\d+(?:\.\d+)?[bm]))?$", re.I)
_BUDGET_RE = re.compile(r"^(\d+)k$")
_QUANT_JOIN_RE = re.compile(r"\b(i?q[2-8])_(k)_([a-z0-9]+)\b|\b(i?q[2-8])_(k|\d)\b", re.I)
MISTRAL_FAMILIES = frozenset({"mistral", "codestral", "ministral", "pixtral", "magistral"})
"""Lines that write a checkpoint as 'YY.MM' ('Mistral Large 24.11')."""
PAREN_NOTES = frozenset({"deprecated", "fal", "open source", "testing", "also testing", "dev api"})
"""Parenthesised remarks about a listing, not about the model."""
UNDERSCORE_TAILS = vocab.EFFORTS | vocab.SOFT_EFFORTS | {"unknown", "thinking", "nothinking"}
"""Epoch's '_high', '_16K', '_unknown' suffixes: one setting of the evaluation."""
GLUED_WEAK_MODES = {"nothinking": "nonthinking", "nothink": "nonthinking"}
"""LiveBench and Aider write a run without thinking as one glued word: a setting position."""


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting of a run or of a served model: kind ('effort', 'thinking_budget', ...) and
    value ('high', '32k')."""

    kind: str
    value: str

    def text(self) -> str:
        return f"editor={self.value}" if self.kind == "editor" else self.value


@dataclass(frozen=True, slots=True)
class NameParts:
    """A model name read into parts. Identity: stem, tiers, size, active, mode, context,
    checkpoint. Not identity: route, vendor, settings, implied mode."""

    raw: str
    route: str | None = None
    vendor: str | None = None
    words: tuple[str, ...] = ()
    """The stem words in order ('claude', '3', '5'): family, version and other words."""
    ordered: tuple[str, ...] = ()
    """Every identity word in the name's own order (for readable provisional ids)."""
    tiers: tuple[str, ...] = ()
    size: str | None = None
    """Total or only parameter count as written: '405b', '8x7b', '17b-16e', 'e4b'."""
    active: str | None = None
    """Active parameters of a mixture of experts: '22b'."""
    size_note: str | None = None
    """A parameter count in parentheses that only describes ('(12B/52B)')."""
    mode: str | None = None
    """'base', 'instruct', 'chat', 'thinking' or 'nonthinking', when the name says it."""
    implied_mode: str | None = None
    """'thinking' or 'nonthinking' implied from a setting position, or 'unknown' (Epoch's
    '_unknown' thinking); only when ``mode`` is None."""
    context: str | None = None
    """A context length that names a variant: '128k', '1m'."""
    checkpoint: Checkpoint | None = None
    settings: tuple[Setting, ...] = ()
    bare: str = ""
    """The spelling without route or vendor prefix, lower case ('meta-llama/llama-4-maverick'
    -> 'llama-4-maverick'): what an exact spelling is compared on when the prefix differs."""

    @property
    def stem(self) -> str:
        """The stem words squashed: 'claude3.5', 'qwen2.5coder', 'deepseekv3.2exp'."""
        return squash_words(self.words)

    @property
    def family(self) -> str:
        """Leading letters of the first word ('claude', 'qwen', 'kimi', 'o')."""
        m = re.match(r"[^\W\d_]+", self.words[0]) if self.words else None
        return m.group(0) if m else ""

    @property
    def version(self) -> str:
        """The stem after the family ('3.5', '2.5coder', 'v3.2exp')."""
        return self.stem[len(self.family) :]

    def identity(self, *, checkpoint: bool = True, mode: bool = True, active: bool = True) -> str:
        """The identity key: equal keys, same model version. Without the checkpoint, the key of
        the undated name; without the mode or the active size, '*' stands for any."""
        fields = (
            self.stem,
            "+".join(self.tiers),
            self.size or "",
            (self.active or "") if active else "*",
            (self.mode or "") if mode else "*",
            self.context or "",
            self.checkpoint.text() if checkpoint and self.checkpoint else "",
        )
        return "|".join(fields)

    @property
    def key(self) -> str:
        return self.identity()

    @property
    def setting(self) -> str | None:
        """The settings as one text ('high', 'fp8', 'xhigh-codex-harness'), or None."""
        return "-".join(s.text() for s in self.settings) or None


def squash_words(words: Sequence[str]) -> str:
    """Words joined without separators, with a '.' where two digits would touch
    ('claude', '3', '5' -> 'claude3.5'; 'qwen2', '57b' keeps 'qwen2'); version words read as
    numbers ('v2' and '2.0' are 2)."""
    return _squash(tuple(words))


@lru_cache(maxsize=65536)
def _squash(words: tuple[str, ...]) -> str:
    """Cached: every key a resolver compares starts with the stem."""
    out = ""
    for word in map(_version_number, words):
        if out and out[-1].isdigit() and word[:1].isdigit():
            out += "."
        out += word
    return out


def _clean(raw: str) -> str:
    text = _LINK_RE.sub(lambda m: m.group(1), raw)
    text = re.sub(r"^ft:", "ft-", text.strip(), flags=re.I)  # a fine-tune is not its base model
    text = _EMOJI_RE.sub("", text)
    text = _MARKS_RE.sub("", text)
    return " ".join(text.split())


def _tokens(text: str) -> list[str]:
    """Lower-case words: '_' and 'p' between digits are decimal points ('3_3', 'k2p5')."""
    low = text.casefold()
    low = _QUANT_JOIN_RE.sub(lambda m: "".join(g for g in m.groups() if g), low)
    low = re.sub(r"(?<=\d)_(?=\d)", ".", low)
    low = re.sub(r"(?<=\d)p(?=\d)", ".", low)
    low = re.sub(r"(?<=\d)-x-(?=\d)", "x", low)
    words = (_NON_WORD_RE.sub("", w) for w in _SPLIT_RE.split(low))
    out: list[str] = []
    for word in (w.strip(".") for w in words):
        if m := _TIER_GLUED_RE.match(word):  # 'claude-opus4-8', 'solar-pro3': tier + version
            out.extend(m.groups())
        elif word:
            out.append(word)
    if len(out) > 1 and out[0] == "gpt" and re.match(r"^o\d", out[1]):
        out = out[1:]  # NoLiMa's 'GPT-o1', 'GPT-o3 Mini'
    return out


_V_NUMBER_RE = re.compile(r"^v(\d+(?:\.\d+)*)$")
_V_ZERO_RE = re.compile(r"^v0(\d)$")
_TIER_GLUED_RE = re.compile(r"^(sonnet|opus|haiku|large|medium|small|pro|mini)(\d+(?:\.\d+)?)$")


def _version_number(word: str) -> str:
    """'v2' and '2.0' are version 2 ('Ideogram 2.0' = 'ideogram-v2', 'Amazon Nova Pro 1.0' =
    'nova-pro-v1'); '2.5' stays '2.5'; 'v03' is 0.3 ('mistral-7b-instruct-v03')."""
    if m := _V_ZERO_RE.match(word):
        return f"0.{m.group(1)}"
    if m := _V_NUMBER_RE.match(word):
        word = m.group(1)
    if word.endswith(".0") and word[:-2].isdigit():
        word = word[:-2]
    return word


@dataclass
class _Builder:
    """Mutable parts while a name is read; frozen into NameParts at the end."""

    words: list[str] = field(default_factory=list)
    ordered: list[str] = field(default_factory=list)
    vendor: str | None = None
    tiers: set[str] = field(default_factory=set)
    sizes: list[str] = field(default_factory=list)
    active: str | None = None
    size_note: str | None = None
    mode: str | None = None
    weak_mode: str | None = None
    context: str | None = None
    checkpoint: Checkpoint | None = None
    settings: list[Setting] = field(default_factory=list)

    def setting(self, kind: str, value: str) -> None:
        if Setting(kind, value) not in self.settings:
            self.settings.append(Setting(kind, value))

    def word(self, token: str) -> None:
        self.words.append(token)
        self.ordered.append(token)

    def set_mode(self, mode: str, token: str, *, weak: bool = False) -> None:
        if weak:
            self.weak_mode = self.weak_mode or mode
        elif self.mode is None:
            self.mode = mode
            self.ordered.append(token)

    def set_checkpoint(self, readings: tuple[PartialDate, ...], written: str) -> bool:
        if self.checkpoint is not None or not readings:
            return False
        self.checkpoint = Checkpoint(readings, written)
        self.ordered.append(written)
        return True

    @property
    def family(self) -> str:
        m = re.match(r"[^\W\d_]+", self.words[0]) if self.words else None
        return m.group(0) if m else ""


def _size_token(b: _Builder, tok: str) -> bool:
    if m := vocab.ACTIVE_RE.match(tok):
        b.active = m.group(1) + "b"
        b.ordered.append(tok)
        return True
    if vocab.MOE_RE.match(tok) or vocab.EXPERTS_RE.match(tok) or vocab.EFFECTIVE_RE.match(tok):
        b.sizes.append(tok)
        b.ordered.append(tok)
        return True
    m = vocab.SIZE_RE.match(tok)
    if m and not (m.group(2) == "m" and float(m.group(1)) <= 10):
        b.sizes.append(tok)
        b.ordered.append(tok)
        return True
    return False


def _context_token(b: _Builder, tok: str, budget_position: bool) -> bool:
    """A context variant ('-128k', '-8192'), or a thinking budget right after 'thinking' or an
    effort ('-thinking-32k', '-high-32k')."""
    m = vocab.CONTEXT_RE.match(tok)
    if m:
        if budget_position and m.group(2) == "k":
            b.setting("thinking_budget", tok)
            b.weak_mode = b.weak_mode or "thinking"
        elif b.context is None:
            b.context = tok
            b.ordered.append(tok)
        else:
            b.word(tok)
        return True
    if tok.isdigit() and int(tok) in vocab.CONTEXT_TOKENS and b.words and b.context is None:
        b.context = vocab.CONTEXT_TOKENS[int(tok)]
        b.ordered.append(tok)
        return True
    return False


def _rest_is_settings(tokens: Sequence[str]) -> bool:
    """Whether every word after this one is a setting or a date (a trailing position)."""
    return all(
        tok.isdigit()
        or tok in vocab.EFFORTS
        or tok in vocab.QUANTIZATIONS
        or vocab.QUANT_RE.match(tok)
        or tok in vocab.SERVED
        or tok == "effort"
        or _BUDGET_RE.match(tok)
        for tok in tokens
    )


def _read_date(b: _Builder, tokens: Sequence[str], i: int, marked: bool) -> int:
    """How many tokens a checkpoint starting at ``tokens[i]`` takes (0: none)."""
    tok = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if tok.isdigit():
        readings, used = dates.read_digits(tokens, i)
        if used and b.set_checkpoint(readings, "-".join(tokens[i : i + used])):
            return used
    if tok[:3] in dates.MONTHS and tok.isalpha() and len(tok) >= 3:
        readings = dates.read_month_words(tokens[i : i + 2])
        if readings and (marked or (nxt.isdigit() and len(nxt) == 4)):
            span = 2 if nxt.isdigit() else 1
            if b.set_checkpoint(readings, " ".join(tokens[i : i + span])):
                return span
    if b.family in MISTRAL_FAMILIES:
        readings = dates.read_year_month_decimal(tok)
        if readings and b.set_checkpoint(readings, tok):
            return 1
    return 0


def _read_mode(b: _Builder, tokens: Sequence[str], i: int, marked: bool) -> int:
    """How many tokens a mode word starting at ``tokens[i]`` takes (0: none)."""
    tok = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    weak_thinking = marked
    if tok in vocab.NEGATIONS and nxt in vocab.THINKING:
        b.set_mode("nonthinking", f"{tok}-{nxt}", weak=weak_thinking)
        return 2
    if tok in GLUED_WEAK_MODES and i == len(tokens) - 1:
        b.set_mode(GLUED_WEAK_MODES[tok], tok, weak=True)
        return 1
    if tok == "highthinking":  # LiveBench: high thinking budget
        b.setting("effort", "high")
        b.set_mode("thinking", tok, weak=True)
        return 1
    if tok in vocab.NONTHINKING:
        b.set_mode("nonthinking", tok, weak=weak_thinking)
        return 1
    if tok in vocab.THINKING:
        b.set_mode("thinking", tok, weak=weak_thinking)
        if _BUDGET_RE.match(nxt):
            b.setting("thinking_budget", nxt)
            return 2
        return 1
    if tok in vocab.INSTRUCT:
        b.set_mode("instruct", tok)
        return 1
    if tok in vocab.CHAT:
        b.set_mode("chat", tok)
        return 1
    if tok in vocab.BASE:
        b.set_mode("base", tok)
        return 1
    return 0


def _read_setting(b: _Builder, tokens: Sequence[str], i: int, marked: bool) -> int:
    """How many tokens a setting starting at ``tokens[i]`` takes (0: none)."""
    tok = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if tok in vocab.EFFORTS:
        if nxt in vocab.QUALITY:
            b.setting("quality", f"{tok}-{nxt}")
            return 2
        b.setting("effort", tok)
        if nxt == "effort":
            return 2
        if _BUDGET_RE.match(nxt):
            b.setting("thinking_budget", nxt)
            b.weak_mode = b.weak_mode or "thinking"
            return 2
        return 1
    if tok in vocab.SOFT_EFFORTS and _soft_effort(b, tokens, i, marked):
        b.setting("effort", tok)
        return 2 if nxt == "effort" else 1
    if tok == "effort":
        return 1
    if tok in vocab.QUANTIZATIONS or vocab.QUANT_RE.match(tok):
        b.setting("quantization", tok)
        if nxt == "fast":  # Cloudflare's '-fp8-fast': a served variant
            b.setting("served", nxt)
            return 2
        return 1
    if tok in vocab.SERVED and (
        tok not in vocab.SERVED_AFTER_VERSION or re.search(r"\d", squash_words(b.words))
    ):
        b.setting("served", tok)
        return 1
    if tok in vocab.EDIT_FORMATS:
        b.setting("edit_format", tok)
        return 1
    if tok == "editor" and nxt in vocab.EDIT_FORMATS:
        b.setting("edit_format", f"editor-{nxt}")
        return 2
    if vocab.RESOLUTION_RE.match(tok):
        b.setting("resolution", tok)
        return 1
    if marked and tok in {"harness", "default", "tokens"}:
        return 1
    return 0


def _read_words(b: _Builder, tokens: Sequence[str], *, marked: bool = False) -> None:
    """Read words into the builder. ``marked``: the words sit in a setting position (parentheses,
    a colon tag, an underscore tail), where 'medium' and 'max' are efforts and modes are implied.
    The first word of a name is always a stem word ('o3', 'base' never starts a name)."""
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not (b.words or marked):
            b.word(tok)
            i += 1
            continue
        used = _read_date(b, tokens, i, marked) or _read_mode(b, tokens, i, marked)
        used = used or _read_setting(b, tokens, i, marked)
        if used:
            i += used
            continue
        after = tokens[i - 1] if i > 0 else ""
        before = tokens[i + 1] if i + 1 < len(tokens) else ""
        budget_position = (
            after in vocab.THINKING or after in vocab.EFFORTS or before in vocab.THINKING
        )
        if _size_token(b, tok) or _context_token(b, tok, budget_position):
            pass
        elif tok in vocab.TIERS:
            b.tiers.add(tok)
            b.ordered.append(tok)
        else:
            b.word(tok)
        i += 1


def _soft_effort(b: _Builder, tokens: Sequence[str], i: int, marked: bool) -> bool:
    """'medium'/'max'/'none'/'auto' as an effort: with a marker, after the thinking word
    ('thinking-auto'), or trailing in a line with effort levels ('gpt-5-medium')."""
    tok = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if marked or nxt == "effort":
        return True
    if tok == "auto":
        return i > 0 and tokens[i - 1] in vocab.THINKING
    if tok == "none":
        return False
    prev = tokens[i - 1] if i > 0 else ""
    return (
        b.family in vocab.DASH_EFFORT_FAMILIES
        and prev not in vocab.TIER_BEFORE_SOFT_EFFORT
        and _rest_is_settings(tokens[i + 1 :])
    )


def _merge(b: _Builder, probe: _Builder) -> None:
    """Fold what a set-aside part said into the name's builder."""
    b.settings.extend(s for s in probe.settings if s not in b.settings)
    if probe.mode and b.mode is None:
        b.mode = probe.mode
    b.weak_mode = b.weak_mode or probe.weak_mode
    b.tiers |= probe.tiers
    if probe.checkpoint and b.checkpoint is None:
        b.checkpoint = probe.checkpoint
    b.words.extend(w for w in probe.words if w != "_")
    b.sizes.extend(probe.sizes)
    b.ordered.extend(w for w in probe.ordered if w != "_")


def _read_paren(b: _Builder, inner: str, has_name_size: bool) -> None:
    """A parenthesised part: a date, a parameter count, settings, a mode, or identity words."""
    text = inner.strip()
    low = text.casefold()
    if not text or low in PAREN_NOTES:
        return
    if m := _SIZE_PAREN_RE.match(text):
        sizes = [s.casefold() for s in m.groups() if s]
        if has_name_size or len(sizes) == 2 or b.tiers or b.checkpoint:
            b.size_note = "/".join(sizes)
        else:
            b.sizes.extend(sizes)
            b.ordered.extend(sizes)
        return
    if low.endswith("harness"):
        b.setting("harness", low)
        return
    tokens = _tokens(text)
    if tokens and all(t.isdigit() for t in tokens):
        readings, used = dates.read_digits(tokens, 0)
        if used == len(tokens) and b.set_checkpoint(readings, text):
            return
    readings = dates.read_month_words(tokens)
    if readings and len(tokens) <= 2 and b.set_checkpoint(readings, text):
        return
    if len(tokens) == 2 and tokens[0] in vocab.STAGES and tokens[1].isdigit():
        b.word(tokens[0])
        b.set_checkpoint(dates.read_digits(tokens, 1)[0], tokens[1])
        return
    probe = _Builder(words=["_"])
    _read_words(probe, tokens, marked=True)
    _merge(b, probe)


def _read_tag(b: _Builder, tag: str) -> None:
    """A colon tag (':free', ':thinking', ':max', ':6.7b', ':q8_0-32k', ':32768')."""
    low = tag.casefold().strip()
    if low.isdigit():
        if b.mode == "thinking" or b.weak_mode == "thinking":
            b.setting("thinking_budget", low)
        elif int(low) in vocab.CONTEXT_TOKENS:
            b.setting("context", vocab.CONTEXT_TOKENS[int(low)])
        else:
            b.setting("served", low)
        return
    probe = _Builder(words=["_"])
    _read_words(probe, _tokens(low), marked=True)
    if mode := probe.mode or probe.weak_mode:  # OpenRouter's ':thinking' is its own listing
        b.set_mode(mode, mode)
    b.settings.extend(s for s in probe.settings if s not in b.settings)
    b.sizes.extend(probe.sizes)
    b.ordered.extend(probe.sizes)
    if probe.context:
        b.setting("context", probe.context)
    for word in probe.words[1:]:
        b.setting("served", word)


def _split_tags(text: str) -> tuple[str, list[str]]:
    """'qwen/qwen3-32b:free' -> ('qwen/qwen3-32b', ['free'])."""
    if ":" not in text or ": " in text:
        return text, []
    head, *tags = text.split(":")
    return head, [t for t in tags if t]


def _split_notes(text: str) -> tuple[str, list[str]]:
    """Aider's free text after the name: ', all providers, default settings', ' with VLLM'."""
    m = _NOTE_RE.search(text)
    if not m or m.start() == 0:
        return text, []
    return text[: m.start()], [part for part in _NOTE_RE.split(text[m.end() :]) if part]


def _read_note(b: _Builder, note: str) -> None:
    """From free-text notes only modes and settings count; names of providers do not."""
    probe = _Builder(words=["_"])
    _read_words(probe, _tokens(note), marked=True)
    b.weak_mode = b.weak_mode or probe.weak_mode or probe.mode
    b.settings.extend(s for s in probe.settings if s not in b.settings)


def _read_tail(b: _Builder, tail: str) -> None:
    """Epoch's underscore tail: an effort, a thinking budget, 'thinking' or 'unknown'."""
    if _BUDGET_RE.match(tail):
        b.setting("thinking_budget", tail)
        b.weak_mode = b.weak_mode or "thinking"
    elif tail == "unknown":
        b.setting("thinking", "unknown")
        b.weak_mode = b.weak_mode or "unknown"
    elif tail == "thinking":
        b.set_mode("thinking", tail)
    elif tail == "nothinking":
        b.set_mode("nonthinking", tail)
    else:
        b.setting("effort", tail)


def _strip_glued_prefix(tokens: list[str], b: _Builder) -> tuple[list[str], list[str]]:
    """A gateway or vendor word glued before a product line ('databricks-gpt-5-nano',
    'openai-gpt-oss-20b', 'meta-llama-3.1-8b'): not part of the name. Returns the rest and the
    gateway words."""
    gateways: list[str] = []
    family = re.match(r"[^\W\d_]+", tokens[2]) if len(tokens) > 2 else None
    if family and (tokens[0], tokens[1]) in vocab.GLUED_PAIRS and family.group(0) in vocab.FAMILIES:
        b.vendor = f"{tokens[0]}-{tokens[1]}"
        tokens = tokens[2:]
    while len(tokens) > 1 and tokens[0] in vocab.GLUED_PREFIXES:
        family = re.match(r"[^\W\d_]+", tokens[1])
        if not family or family.group(0) not in vocab.FAMILIES or family.group(0) == tokens[0]:
            break
        if tokens[0] in vocab.ROUTE_WORDS:
            gateways.append(tokens[0])
        else:
            b.vendor = tokens[0]
        tokens = tokens[1:]
    return tokens, gateways


def _split_tail(body: str) -> tuple[str, str | None]:
    """Epoch's underscore tail ('o3-2025-04-16_low', 'claude-...-20250219_32K')."""
    m = _UNDERSCORE_TAIL_RE.search(body)
    if m and (m.group(1).casefold() in UNDERSCORE_TAILS or _BUDGET_RE.match(m.group(1).casefold())):
        return body[: m.start()], m.group(1).casefold()
    return body, None


@lru_cache(maxsize=131072)
def parse(raw: str) -> NameParts:
    """The parts of one raw model string (see the module docstring)."""
    text = _clean(raw)
    if " + " in text:  # Aider's architect + editor pair: the architect, with the editor a setting
        architect, editor = text.split(" + ", 1)
        parts = parse(architect)
        return replace(parts, raw=raw, settings=(*parts.settings, Setting("editor", editor)))
    brackets = _BRACKET_RE.findall(text)
    text = _BRACKET_RE.sub(" ", text)
    parens = _PAREN_RE.findall(text)
    text = _PAREN_RE.sub(" ", text)
    text, notes = _split_notes(" ".join(text.split()))
    routed = split_route(text)
    b = _Builder()
    for task in routed.tasks:
        b.setting("task", task)
    body, tags = _split_tags(routed.text)
    body, tail = _split_tail(body.strip())
    tokens, gateways = _strip_glued_prefix(_tokens(body), b)
    _read_words(b, tokens)
    for bracket in brackets:
        low = bracket.casefold().strip()
        if low == "web-search":
            b.setting("served", low)
        else:
            for word in _tokens(low):
                b.word(word)
    has_name_size = bool(b.sizes)
    for inner in parens:
        _read_paren(b, inner, has_name_size)
    for tag in tags:
        _read_tag(b, tag)
    for note in notes:
        _read_note(b, note)
    if tail:
        _read_tail(b, tail)
    route = "/".join(r for r in (routed.route, *gateways) if r) or None
    bare = " ".join([routed.text, *(f"({p})" for p in parens), *(f"[{x}]" for x in brackets)])
    return NameParts(
        raw=raw,
        route=route,
        vendor=b.vendor or routed.vendor,
        words=tuple(b.words),
        ordered=tuple(b.ordered),
        tiers=tuple(sorted(b.tiers)),
        size="-".join(b.sizes) or None,
        active=b.active,
        size_note=b.size_note,
        mode=b.mode,
        implied_mode=None if b.mode else b.weak_mode,
        context=b.context,
        checkpoint=b.checkpoint,
        settings=tuple(b.settings),
        bare=" ".join(bare.casefold().split()),
    )
