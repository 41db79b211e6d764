"""The safe subset of formatting for news bodies (R13), enforced with nh3 on every write."""

import nh3
from django.utils.html import linebreaks

TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3"}
ATTRIBUTES = {"a": {"href"}}


def clean_body(text: str) -> str:
    text = (text or "").strip()
    if "<" not in text:
        # Plain text from the textarea: keep the paragraphs and line breaks.
        text = linebreaks(text, autoescape=True)
    return nh3.clean(
        text,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()
