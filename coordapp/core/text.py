"""Markdown from users, rendered and sanitised: raw HTML never reaches a page.

A ``#66`` in the text is a reference to issue 66. Whether it becomes a link, and to which page
with which title, depends on who reads (``core.visibility.reference_target``): staff get the
issue's page, a stakeholder or the public only a published issue's public page, otherwise plain
text. The issues feature answers ``lookups.ISSUE_REFERENCES`` for all references of a text at
once (one query however many), and nothing is looked up when a text holds none. What was looked
up is kept for the request (or task), per kind of reader; a page of many texts (an issue's
timeline) looks them all up at once first with ``prime_references``.
"""

import re

import nh3
from flask import g, has_app_context
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

from coordapp.core import lookups
from coordapp.core.visibility import PUBLIC_READER, Reader

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).enable("table")
_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
# "#66" standing on its own: not inside a word, a URL fragment ("page#66") or an entity ("&#66;").
ISSUE_REFERENCE = re.compile(r"(?<![\w#&/])#([1-9]\d{0,8})\b")


def _plain_texts(tokens: list[Token]):
    """Yield (inline token, index of a child) for the text children outside links and code."""
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        depth = 0
        for index, child in enumerate(token.children):
            depth += (child.type == "link_open") - (child.type == "link_close")
            if child.type == "text" and depth == 0 and "#" in child.content:
                yield token, index


def _linked(text: str, targets: dict) -> list[Token]:
    """Split a text child into text and links, one link per reference the reader may follow."""
    parts, start = [], 0
    for match in ISSUE_REFERENCE.finditer(text):
        target = targets.get(int(match.group(1)))
        if target is None:
            continue
        href, title = target
        parts.append(Token("text", "", 0, content=text[start : match.start()]))
        parts.append(Token("link_open", "a", 1, attrs={"href": href, "title": title}))
        parts.append(Token("text", "", 0, content=match.group(0)))
        parts.append(Token("link_close", "a", -1))
        start = match.end()
    parts.append(Token("text", "", 0, content=text[start:]))
    return parts


def _targets(ids: set[int], reader: Reader) -> dict:
    """Return {id: (href, title)} of the ids reader may follow: one lookup for those not yet looked up."""
    known = g.setdefault("issue_references", {}).setdefault(reader.kind, {}) if has_app_context() else {}
    missing = sorted(ids - known.keys())
    if missing:
        found = lookups.ask(lookups.ISSUE_REFERENCES, missing, reader, default={})
        known.update({issue_id: found.get(issue_id) for issue_id in missing})
    return {issue_id: known[issue_id] for issue_id in ids if known.get(issue_id) is not None}


def prime_references(texts, reader: Reader) -> None:
    """Look up, in one query, the issues every one of texts refers to (before rendering them one by one)."""
    ids = {int(number) for text in texts if text for number in ISSUE_REFERENCE.findall(text)}
    if ids:
        _targets(ids, reader)


def _link_references(tokens: list[Token], reader: Reader) -> None:
    """Turn the issue references of parsed Markdown into links for reader, with one lookup."""
    found = [(token, index) for token, index in _plain_texts(tokens)]
    ids = {int(m.group(1)) for token, index in found for m in ISSUE_REFERENCE.finditer(token.children[index].content)}
    if not ids:
        return
    targets = _targets(ids, reader)
    for token, index in reversed(found):  # from the end, so that earlier indexes stay valid
        token.children[index : index + 1] = _linked(token.children[index].content, targets)


def render_markdown(text: str | None, reader: Reader = PUBLIC_READER) -> Markup:
    """Render Markdown to HTML with only a safe subset of tags and attributes, "#66" linked for reader."""
    if not text:
        return Markup("")
    env: dict = {}
    tokens = _markdown.parse(text, env)
    _link_references(tokens, reader)
    html = _markdown.renderer.render(tokens, _markdown.options, env)
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)
