"""Knowledge-base search: words (Chinese segmented by rjieba), the stored search document, the query.

An article's `search_document` holds the lower-cased words of its title (TITLE_WEIGHT times, so a match in
the title ranks higher), its text (Markdown rendered to plain text, so link targets are not words) and its
tags, separated by single spaces and with a space at both ends. A query is split into words the same way.

- PostgreSQL: `to_tsvector('simple'::regconfig, search_document) @@ plainto_tsquery('simple'::regconfig, q)`,
  exactly the expression of the GIN index of migration training/0002, ranked by ts_rank.
- Other databases (SQLite): every query word must be a whole word of the document (" word "), ranked by how
  often the words occur.

Words are runs of letters and digits only: punctuation, symbols and `_` separate words, so PostgreSQL's
parser reads each stored word back as one token and a LIKE pattern never holds a wildcard. English plurals
are folded (refunds -> refund, policies -> policy, classes -> class), the same in documents and queries, so
"refund" finds "Refunds"; nothing else is stemmed.
"""

import html
import re

import rjieba
from django.db import models
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Length, Replace
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from training.markdown import render_markdown

TITLE_WEIGHT = 3
TAG_WEIGHT = 2
SNIPPET_CHARS = 160
_WORD = re.compile(r"[^\W_]+")
_SPACES = re.compile(r"\s+")


def _singular(word: str) -> str:
    """An English plural's singular (Porter's step 1a, with -ies -> -y); any other word unchanged."""
    if len(word) <= 3 or not word.isascii() or not word.isalpha():
        return word
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def search_words(text: str) -> list[str]:
    """The words of `text`, lower-cased, in order: Chinese segmented for search (long words and their parts)."""
    words = []
    for token in rjieba.cut_for_search(text or ""):
        words.extend(_singular(word) for word in _WORD.findall(token.lower()))
    return words


def query_words(query: str) -> list[str]:
    """The distinct words of a search query, in the order typed."""
    return list(dict.fromkeys(search_words(query)))


def plain_text(markdown_text: str) -> str:
    """What a reader sees of a Markdown text, as one line of plain text."""
    text = html.unescape(strip_tags(render_markdown(markdown_text)))
    return _SPACES.sub(" ", text).strip()


def search_document(*, title: str, body: str, tags: list[str]) -> str:
    title_words = search_words(title)
    tag_words = [word for tag in tags for word in search_words(tag)]
    words = [*title_words * TITLE_WEIGHT, *search_words(plain_text(body)), *tag_words * TAG_WEIGHT]
    return f" {' '.join(words)} "


class _TextSearch(models.Func):
    """`to_tsvector('simple'::regconfig, <document>)` against `plainto_tsquery('simple'::regconfig, <query>)`.

    Written out rather than built from django.contrib.postgres' SearchVector, which wraps the column in
    COALESCE(...) and so would not match the expression the GIN index was built on.
    """

    sql_template = ""

    def __init__(self, document, query: str):
        super().__init__(document, Value(query, output_field=models.TextField()))

    def as_sql(self, compiler, connection, **extra):
        document_sql, document_params = compiler.compile(self.source_expressions[0])
        query_sql, query_params = compiler.compile(self.source_expressions[1])
        vector = f"to_tsvector('simple'::regconfig, {document_sql})"
        tsquery = f"plainto_tsquery('simple'::regconfig, {query_sql})"
        return self.sql_template.format(vector=vector, query=tsquery), (*document_params, *query_params)


class TextSearchMatches(_TextSearch):
    output_field = models.BooleanField()
    sql_template = "{vector} @@ {query}"


class TextSearchRank(_TextSearch):
    output_field = models.FloatField()
    sql_template = "ts_rank({vector}, {query})"


def _occurrences(word: str):
    """How often `word` occurs in the document (as a substring: good enough to rank; matching is by word)."""
    document = F("search_document")
    return (Length(document) - Length(Replace(document, Value(word), Value("")))) / len(word)


def search_articles(queryset: QuerySet, query: str, *, vendor: str) -> QuerySet:
    """Narrow `queryset` to the articles matching every word of `query`, annotated with `search_rank`."""
    words = query_words(query)
    if not words:
        return queryset.none().annotate(search_rank=Value(0.0, output_field=models.FloatField()))
    if vendor == "postgresql":
        segmented = " ".join(words)
        return queryset.filter(TextSearchMatches(F("search_document"), segmented)).annotate(
            search_rank=TextSearchRank(F("search_document"), segmented)
        )
    every_word = Q()
    for word in words:
        every_word &= Q(search_document__contains=f" {word} ")
    rank = sum((_occurrences(word) for word in words[1:]), _occurrences(words[0]))
    return queryset.filter(every_word).annotate(search_rank=models.ExpressionWrapper(rank, models.FloatField()))


def _word_pattern(words: list[str]) -> re.Pattern | None:
    if not words:
        return None
    return re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)), re.IGNORECASE)


def _window(text: str, pattern: re.Pattern | None, length: int) -> tuple[str, str, str]:
    """(prefix ellipsis, excerpt, suffix ellipsis): `length` characters around the first query word."""
    first = pattern.search(text) if pattern else None
    start = max(0, first.start() - length // 3) if first else 0
    return ("…" if start > 0 else ""), text[start : start + length], ("…" if start + length < len(text) else "")


def snippet(text: str, words: list[str], *, length: int = SNIPPET_CHARS) -> str:
    """About `length` characters of plain `text` around the first query word."""
    prefix, excerpt, suffix = _window(text, _word_pattern(words), length)
    return prefix + excerpt + suffix


def highlighted_snippet(text: str, words: list[str], *, length: int = SNIPPET_CHARS) -> SafeString:
    """The snippet as HTML, escaped, each query word in <mark>."""
    pattern = _word_pattern(words)
    prefix, excerpt, suffix = _window(text, pattern, length)
    pieces, position = [], 0
    for found in pattern.finditer(excerpt) if pattern else ():
        pieces.append(escape(excerpt[position : found.start()]))
        pieces.append(f'<mark class="px-0">{escape(found.group())}</mark>')
        position = found.end()
    pieces.append(escape(excerpt[position:]))
    # Every piece escaped (bandit B308 B703 reviewed).
    return mark_safe(escape(prefix) + "".join(pieces) + escape(suffix))  # nosec B308 B703
