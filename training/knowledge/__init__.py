"""The knowledge base: articles with categories, tags, versions and search (Chinese segmented by rjieba).

search.py      words, the stored search document, the PostgreSQL / SQLite query, snippets
services.py    writes: categories, articles (versions), reads
lessons.py     a QA case's lesson as an article (the case_training_requested receiver calls it)
selectors.py   reads: article_list (search and filters), article_detail, versions and diffs, categories, tags
forms.py       the pages' forms
"""
