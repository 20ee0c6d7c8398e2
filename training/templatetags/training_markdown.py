from django import template

from training.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """{{ article.body|markdown }}: Markdown as sanitised HTML."""
    return render_markdown(text)
