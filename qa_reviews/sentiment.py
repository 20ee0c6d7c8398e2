"""How upset the customer sounds in a conversation, computed offline (nothing is downloaded at run time).

Chinese messages go through snownlp's bundled Naive Bayes model, the rest through VADER's bundled lexicon; a
complaint keyword list (Chinese and English) pushes the score up. Only the customer's messages count.

The weights and the per-language TONE_CUTS were tuned on STC-3 (qa_reviews/sentiment_eval.py, `manage.py
qa_sentiment_eval`). Change any of them, the keyword lists or the analyzers and bump METHOD, so that stored
ConversationSentiment rows are recomputed.
"""

import re
import statistics
from dataclasses import dataclass
from functools import cache

METHOD = "snownlp+vader+keywords/v1"

CHINESE = "zh"
ENGLISH = "en"

# Stored negativity is on one scale for every language: at or above this the conversation is flagged.
NEGATIVE_THRESHOLD = 0.5
# The analyzers' scores sit on different scales (snownlp is near 0 or 1 per sentence, VADER is graded), so
# each language has its own cut on the raw tone, mapped to NEGATIVE_THRESHOLD. Each is where Youden's J
# (recall minus false-positive rate) peaks on STC-3; maximising F1 instead flags nearly everything there,
# because two thirds of its dialogues are dissatisfied.
TONE_CUTS = {CHINESE: 0.83, ENGLISH: 0.52}

# A conversation without customer words is not flagged and sorts below every scored one.
NO_CUSTOMER_TEXT_NEGATIVITY = 0.0

# The customer's last message says most about how the conversation ended; the mean covers the rest.
LAST_MESSAGE_WEIGHT = 0.7
# Each distinct complaint keyword closes this share of the remaining gap to 1 (at most MAX_KEYWORD_HITS times).
# English needs less: VADER's lexicon already holds most of those words (worst, scam, angry); snownlp, trained
# on product reviews, misses 12315, 投诉 and the like.
KEYWORD_WEIGHTS = {CHINESE: 0.7, ENGLISH: 0.2}
MAX_KEYWORD_HITS = 3

CHINESE_COMPLAINT_KEYWORDS = (
    "投诉",
    "差评",
    "退款",
    "退货",
    "骗子",
    "骗人",
    "欺骗",
    "举报",
    "12315",
    "消协",
    "工商局",
    "曝光",
    "起诉",
    "律师",
    "垃圾",
    "坑爹",
    "坑人",
    "无语",
    "失望",
    "气愤",
    "愤怒",
    "恶心",
    "无耻",
    "忽悠",
    "敷衍",
    "太差",
    "太烂",
    "态度差",
    "不解决",
    "没人管",
    "没人理",
    "什么破",
    "再也不",
    "尼玛",
    "妈的",
    "到底",
    "还没",
)

ENGLISH_COMPLAINT_PATTERNS = tuple(
    re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)
    for pattern in (
        r"complain(?:t|ts|ed|ing|s)?",
        r"refund(?:s|ed)?",
        r"worst",
        r"scam(?:s|med|mer|mers)?",
        r"report(?:ing)? you",
        r"cheat(?:s|ed|ing)?",
        r"fraud",
        r"rubbish",
        r"garbage",
        r"disappoint(?:ed|ing)",
        r"angry",
        r"terrible",
        r"awful",
        r"useless",
        r"ridiculous",
        r"irresponsible",
        r"never again",
        r"sucks?",
        r"shit",
        r"fuck(?:ing)?",
        r"damn",
        r"what the hell",
        r"liars?|lied",
        r"lawyer|sue you",
        r"no ?one|nobody",
        r"still (?:not|no|haven't|hasn't|can't|doesn't|don't)",
    )
)

_CJK_CHARACTER = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_CHINESE_SENTENCE_END = re.compile(r"(?<=[。！？!?…~～；;])|[\r\n]+")
_ENGLISH_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|[\r\n]+")


@dataclass(frozen=True)
class Assessment:
    language: str  # CHINESE or ENGLISH, by most of the customer's messages; "" without customer words
    tone: float  # 0..1 before the language's cut; what the cut is tuned on
    negativity: float  # 0..1, flagged at NEGATIVE_THRESHOLD whatever the language


@cache
def _snownlp_sentiment():
    """snownlp loads its segmenter and model on import (seconds): do it once, on first use."""
    from snownlp import sentiment

    return sentiment.classifier


@cache
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def is_chinese(text: str) -> bool:
    """More CJK characters than Latin words: "iPhone 屏幕坏了" is Chinese, "my name is 王伟" is not."""
    return len(_CJK_CHARACTER.findall(text)) >= max(1, len(_LATIN_WORD.findall(text)))


def _chinese_negativity(text: str) -> float:
    # snownlp's Naive Bayes multiplies word likelihoods, so a long text gets a near-certain 0 or 1 from a
    # few words: score each sentence and keep the most negative one (on STC-3 this beats the whole message,
    # every clause and the sentences' mean).
    classifier = _snownlp_sentiment()
    sentences = [sentence.strip() for sentence in _CHINESE_SENTENCE_END.split(text) if sentence.strip()]
    return max(1.0 - classifier.classify(sentence) for sentence in sentences)


def _english_negativity(text: str) -> float:
    # VADER is made for sentences; its compound saturates on paragraphs. Mean of the sentences.
    analyzer = _vader()
    sentences = [sentence for sentence in _ENGLISH_SENTENCE_END.split(text) if sentence.strip()]
    compound = statistics.fmean(analyzer.polarity_scores(sentence)["compound"] for sentence in sentences)
    return (1.0 - compound) / 2.0


def message_negativity(text: str) -> float:
    """0..1 for one non-blank customer message, by the analyzer of its language (before any cut)."""
    return _chinese_negativity(text) if is_chinese(text) else _english_negativity(text)


def complaint_keyword_hits(text: str) -> int:
    """How many distinct complaint keywords (Chinese or English) the text holds."""
    chinese = sum(1 for keyword in CHINESE_COMPLAINT_KEYWORDS if keyword in text)
    english = sum(1 for pattern in ENGLISH_COMPLAINT_PATTERNS if pattern.search(text))
    return chinese + english


def _on_common_scale(tone: float, cut: float) -> float:
    """Piecewise linear, monotone: 0 stays 0, the language's cut becomes NEGATIVE_THRESHOLD, 1 stays 1."""
    if tone < cut:
        return NEGATIVE_THRESHOLD * tone / cut
    return NEGATIVE_THRESHOLD + (1.0 - NEGATIVE_THRESHOLD) * (tone - cut) / (1.0 - cut)


def assess(customer_texts: list[str]) -> Assessment:
    """The customer's messages of one conversation, in time order; blank ones are ignored."""
    messages = [text.strip() for text in customer_texts if text and text.strip()]
    if not messages:
        return Assessment(language="", tone=NO_CUSTOMER_TEXT_NEGATIVITY, negativity=NO_CUSTOMER_TEXT_NEGATIVITY)
    chinese_messages = sum(1 for text in messages if is_chinese(text))
    language = CHINESE if 2 * chinese_messages >= len(messages) else ENGLISH
    scores = [message_negativity(text) for text in messages]
    tone = LAST_MESSAGE_WEIGHT * scores[-1] + (1.0 - LAST_MESSAGE_WEIGHT) * statistics.fmean(scores)
    hits = min(complaint_keyword_hits("\n".join(messages)), MAX_KEYWORD_HITS)
    tone = 1.0 - (1.0 - tone) * (1.0 - KEYWORD_WEIGHTS[language]) ** hits
    return Assessment(language=language, tone=tone, negativity=_on_common_scale(tone, TONE_CUTS[language]))


def negativity(customer_texts: list[str]) -> float:
    """0 (content) .. 1 (upset) for a conversation from the customer's messages; flagged at NEGATIVE_THRESHOLD."""
    return assess(customer_texts).negativity


def is_negative(customer_texts: list[str]) -> bool:
    return negativity(customer_texts) >= NEGATIVE_THRESHOLD
