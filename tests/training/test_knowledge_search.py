"""Knowledge-base search in Chinese and English: segmentation, the stored document, matching and ranking.

Runs on SQLite (whole words in the search document) and on PostgreSQL (the GIN-indexed tsvector expression):
run it with DATABASE_URL pointing at PostgreSQL to cover the second path.
"""

import pytest
from django.db import connection

from training.knowledge import selectors, services
from training.knowledge.search import highlighted_snippet, query_words, search_document, search_words, snippet
from training.models import Article, ArticleKind, ArticleStatus

REFUND_ZH = "退款到账时效：原路退回，一般 3-5 个工作日到账。超过 7 天未到账请联系财务。"
REFUND_EN = "Refunds go back to the original payment method; the money arrives within 3-5 working days."


def write(team, author, title, body, *, status=ArticleStatus.PUBLISHED, **fields) -> Article:
    return services.article_create(team=team, actor=author, title=title, body=body, status=status, **fields)


def found(user, q="", **filters) -> list[str]:
    return [a.title for a in selectors.article_list(user=user, filters=selectors.ArticleFilters(q=q, **filters))]


# Words


def test_chinese_is_segmented_and_punctuation_dropped():
    assert search_words("退款时效？") == ["退款", "时效"]
    assert search_words("Refund, timing!") == ["refund", "timing"]
    assert "3" in search_words("3-5 个工作日") and "-" not in " ".join(search_words("3-5"))
    assert set(search_words("snake_case")) == {"snake", "case"}  # `_` separates: no LIKE wildcard in a word


def test_english_plurals_fold_to_the_singular():
    assert search_words("Refunds policies classes days status this") == [
        "refund",
        "policy",
        "class",
        "day",
        "status",
        "this",
    ]


def test_query_words_are_distinct_in_the_order_typed():
    assert query_words("退款 退款 Refund refund") == ["退款", "refund"]
    assert query_words(" ，。!? ") == []


def test_document_weighs_the_title_and_keeps_spaces_around_every_word():
    document = search_document(title="退款时效", body="**到账** [财务](https://example.com/pay)", tags=["Refund"])
    assert document.startswith(" ") and document.endswith(" ")
    words = document.split()
    assert words.count("退款") == 3 and words.count("refund") == 2
    assert "到" in words and "财务" in words
    assert "https" not in words and "example" not in words  # a link's target is not text


def test_saving_rebuilds_the_document(team, supervisor):
    article = write(team, supervisor, "Shipping", "Parcels leave the warehouse at 17:00.")
    assert " warehouse " in article.search_document
    services.article_update(article=article, actor=supervisor, body="顺丰快递每天下午五点揽收。", tags=["物流"])
    article.refresh_from_db()
    assert " warehouse " not in article.search_document
    assert " 顺丰 " in article.search_document and " 物流 " in article.search_document


# Matching


@pytest.fixture
def library(team, supervisor):
    return {
        "zh": write(team, supervisor, "退款多久到账", REFUND_ZH, kind=ArticleKind.FAQ, tags=["退款"]),
        "en": write(team, supervisor, "Refund timing", REFUND_EN, kind=ArticleKind.FAQ, tags=["refund"]),
        "ship": write(team, supervisor, "发货时间", "当天 16 点前付款的订单当天发货。", kind=ArticleKind.PRODUCT),
        "draft": write(team, supervisor, "退款新规（草稿）", "退款时效将改为 1-3 天。", status=ArticleStatus.DRAFT),
    }


def test_a_chinese_query_finds_the_article_whose_text_says_it_differently(library, agent):
    assert found(agent, "退款时效") == ["退款多久到账"]  # the text says 退款到账时效
    assert found(agent, "到账") == ["退款多久到账"]
    assert found(agent, "工作日") == ["退款多久到账"]
    assert found(agent, "发货") == ["发货时间"]


def test_an_english_query_finds_english_text(library, agent):
    assert found(agent, "refund") == ["Refund timing"]
    assert found(agent, "refunds") == ["Refund timing"]  # plurals fold to the singular
    assert found(agent, "WORKING day") == ["Refund timing"]
    assert found(agent, "original payment!") == ["Refund timing"]


def test_every_word_must_match_as_a_whole_word(library, agent):
    assert found(agent, "refund teleport") == []
    assert found(agent, "refu") == []  # not a word of the text
    assert found(agent, "款时") == []
    assert found(agent, "？！") == []  # only punctuation: nothing to find


def test_mixed_chinese_and_english(team, supervisor, agent):
    write(team, supervisor, "iPhone 退货", "iPhone 拆封后七天无理由退换货需保持配件齐全。")
    assert found(agent, "iphone 退换货") == ["iPhone 退货"]
    assert found(agent, "退换") == ["iPhone 退货"]  # a part of a long word, segmented for search


def test_drafts_never_show_to_agents(library, agent, second_agent, supervisor, qa_inspector, manager):
    for reader in (agent, second_agent):
        assert "退款新规（草稿）" not in found(reader, "退款")
        assert found(reader, "退款", status=ArticleStatus.DRAFT) == []
    for author in (supervisor, qa_inspector, manager):
        assert "退款新规（草稿）" in found(author, "退款")


def test_archived_articles_leave_the_results_unless_asked_for(library, supervisor, agent):
    services.article_set_status(article=library["ship"], actor=supervisor, status=ArticleStatus.ARCHIVED)
    assert found(supervisor, "发货") == [] and found(agent, "发货") == []
    assert found(supervisor, "发货", status=ArticleStatus.ARCHIVED) == ["发货时间"]
    assert found(agent, "发货", status=ArticleStatus.ARCHIVED) == []


def test_other_teams_never_show(library, sibling_agent, outsider, sibling_team, manager):
    assert found(sibling_agent, "退款") == [] and found(outsider, "refund") == []
    write(sibling_team, manager, "After-sales refunds", REFUND_EN)
    assert found(sibling_agent, "refund") == ["After-sales refunds"]


def test_filters_narrow_the_search(library, team, supervisor, agent):
    category = services.article_category_create(team=team, actor=supervisor, name="售后")
    services.article_update(article=library["zh"], actor=supervisor, category=category)
    assert found(agent, "", kind=ArticleKind.PRODUCT) == ["发货时间"]
    assert found(agent, "退款", category=category.pk) == ["退款多久到账"]
    assert found(agent, "", tag="REFUND") == ["Refund timing"]
    assert found(agent, "", tag="退款") == ["退款多久到账"]
    assert found(agent, "发货", kind=ArticleKind.FAQ) == []


def test_a_match_in_the_title_ranks_first(team, supervisor, agent):
    write(team, supervisor, "Exchanges", "Customers may ask for an exchange; a refund is possible too.")
    write(team, supervisor, "Refund policy", "How refunds work.")
    write(team, supervisor, "Coupons", "Coupons cannot be refunded as cash; refund of the order only.")
    assert found(agent, "refund")[0] == "Refund policy"


def test_without_a_query_the_last_changed_comes_first(library, agent):
    assert found(agent) == ["发货时间", "Refund timing", "退款多久到账"]


# Snippets


def test_snippet_shows_the_words_in_context_escaped():
    text = "<b>注意</b> " + "前文" * 100 + "退款到账时效为 3-5 天"
    html = highlighted_snippet(text, ["退款", "时效"], length=40)
    assert '<mark class="px-0">退款</mark>到账<mark class="px-0">时效</mark>' in html
    assert html.startswith("…") and "<b>" not in html
    assert snippet("Refund within days", ["days"]) == "Refund within days"
    assert highlighted_snippet("<script>x</script>", []) == "&lt;script&gt;x&lt;/script&gt;"


# PostgreSQL: the GIN index serves the query


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only")
def test_postgresql_search_uses_the_gin_index(team, supervisor, agent):
    rows = [
        Article(
            team=team,
            title=f"Article {number}",
            body="filler",
            status=ArticleStatus.PUBLISHED,
            search_document=search_document(title=f"Article {number}", body=f"word{number} filler text", tags=[]),
        )
        for number in range(3000)
    ]
    Article.objects.bulk_create(rows)
    write(team, supervisor, "退款多久到账", REFUND_ZH)
    articles = selectors.article_list(user=agent, filters=selectors.ArticleFilters(q="退款时效"))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE training_article")
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = articles.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "training_article_search" in plan, plan
    assert "to_tsvector('simple'::regconfig, training_article.search_document)" in plan
    assert [a.title for a in articles] == ["退款多久到账"]
