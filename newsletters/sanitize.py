"""The safe subset of formatting for news bodies (R13), enforced with nh3 on every write.

Staff write plain text with a small Markdown subset (markdown-it-py): paragraphs and line
breaks, **bold**, *italic*, lists, [links](https://…) and ## headings. Everything is then
cleaned by nh3 to the tags below, so nothing else survives, whatever was typed. Bodies that are
already HTML (the admin, older items) go through nh3 alone.
"""

import re

import nh3
from markdown_it import MarkdownIt

TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3"}
ATTRIBUTES = {"a": {"href"}}

LOOKS_LIKE_HTML = re.compile(r"<[A-Za-z/!]")

_markdown = MarkdownIt("commonmark", {"breaks": True, "html": False}).disable(
    ["code", "fence", "blockquote", "hr", "html_block", "html_inline", "backticks"]
)


def clean_body(text: str) -> str:
    text = (text or "").strip()
    if not LOOKS_LIKE_HTML.search(text):
        # Plain text from the textarea with the promised Markdown subset. A "# " heading is
        # made a level-2 heading: the page already has its own h1.
        text = _markdown.render(text).replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        text,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()
