"""Course materials and articles are written in Markdown; shown as sanitised HTML (nh3 keeps only safe tags)."""

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

EXTENSIONS = ["extra", "sane_lists", "nl2br"]


def render_markdown(text: str) -> SafeString:
    html = markdown_lib.markdown(text or "", extensions=EXTENSIONS, output_format="html")
    # Sanitised by nh3 (bandit B308 B703 reviewed).
    return mark_safe(nh3.clean(html, link_rel="noopener noreferrer nofollow"))  # nosec B308 B703
