"""The statement text is plain text with a little structure ("markdown-lite"), never HTML.

- a line starting with ``## `` (or ``# ``) is a heading;
- lines starting with ``- `` form a list;
- other blocks, separated by blank lines, are paragraphs.
Everything is escaped: an administrator cannot put markup or scripts on the page.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe


def render_statement(text: str):
    html = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush():
        if paragraph:
            html.append(f"<p>{escape(' '.join(paragraph))}</p>")
            paragraph.clear()
        if items:
            html.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>")
            items.clear()

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("#"):
            flush()
            html.append(f"<h2>{escape(line.lstrip('#').strip())}</h2>")
        elif line.startswith(("- ", "* ")):
            if paragraph:
                flush()
            items.append(line[2:].strip())
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return mark_safe("\n".join(html))  # noqa: S308  # nosec B308 B703 - each piece escaped above
