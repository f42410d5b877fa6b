"""The HTML of inbound mail: made safe for an agent's browser, and turned into plain text.

Mail HTML is hostile by default: scripts, event handlers, ``javascript:`` links, and remote
images or stylesheets that tell the sender when (and from where) an agent opened the message.
nh3 (the Rust ammonia sanitiser) keeps a whitelist of tags and attributes; on top of it only
``cid:`` images survive, which point at the message's own inline parts and load nothing remote.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

# Layout and text tags; no forms, media, frames or <map>/<area> (links without a visible anchor).
_TAGS = nh3.ALLOWED_TAGS - {"area", "map"}
# `dir` and `lang` keep right-to-left (Arabic) text laid out as the sender wrote it. No `style`:
# CSS can load remote resources (url(...)) and hide or overlay content.
_ATTRIBUTES = {**{tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}, "*": {"dir", "lang"}}
_URL_SCHEMES = {"http", "https", "mailto", "tel", "cid"}


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    # An image loads as soon as the message is shown: only the message's own parts (cid:) may load.
    if tag == "img" and attribute == "src" and not value.strip().lower().startswith("cid:"):
        return None
    # A link to an inline part means nothing outside the message.
    if tag == "a" and attribute == "href" and value.strip().lower().startswith("cid:"):
        return None
    return value


def sanitize_html(html: str) -> str:
    """HTML that is safe to put into a page: no scripts, styles, handlers or remote loads."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        # Removed with their content, not unwrapped into visible text.
        clean_content_tags={"script", "style", "head", "title", "template", "noscript", "object", "iframe"},
        attribute_filter=_keep_attribute,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "div", "dl", "dt", "dd", "fieldset", "figure", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
    "section", "table", "tr", "ul",
}  # fmt: skip
_SKIPPED_TAGS = {"script", "style", "head", "title", "template", "noscript"}


class _TextRenderer(HTMLParser):
    """Renders HTML as mail-style plain text: paragraphs on their own lines, blockquotes prefixed "> ".

    Quoting with "> " is what lets the reply splitter treat an HTML reply's history (Gmail's
    ``blockquote.gmail_quote``, Apple Mail's ``blockquote type=cite``) like a plain-text one.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._lines: list[str] = []
        self._current: list[str] = []
        self._quote_depth = 0
        self._skipping = 0
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag == "br":
            self._end_line()
        elif tag in _BLOCK_TAGS:
            self._end_line()
            if tag == "blockquote":
                self._quote_depth += 1
            elif tag == "li":
                self._current.append("- ")
            elif tag == "pre":
                self._pre += 1
        elif tag in {"td", "th"}:
            self._current.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" or tag == "hr":
            self._end_line()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self._end_line()
            if tag == "blockquote":
                self._quote_depth = max(0, self._quote_depth - 1)
            elif tag == "pre":
                self._pre = max(0, self._pre - 1)

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if self._pre:
            first, *rest = data.split("\n")
            self._current.append(first)
            for line in rest:
                self._end_line(keep_empty=True)
                self._current.append(line)
        else:
            self._current.append(re.sub(r"\s+", " ", data))

    def _end_line(self, *, keep_empty: bool = False) -> None:
        line = "".join(self._current).strip()
        self._current = []
        if not line and not keep_empty:
            # Collapse runs of empty blocks into one blank line, as a mail client shows them.
            if self._lines and self._lines[-1] != "":
                self._lines.append("")
            return
        self._lines.append("> " * self._quote_depth + line)

    def text(self) -> str:
        self._end_line()
        return "\n".join(self._lines).strip()


def html_to_text(html: str) -> str:
    """The text a reader sees in ``html``, for mail that has no text/plain part."""
    renderer = _TextRenderer()
    renderer.feed(html)
    renderer.close()
    return renderer.text()
