"""The HTML of articles: what the editor may keep, and its plain text.

``sanitize`` is the only way article HTML reaches the database (the services call it on every
save, whatever the form or the API sent). It keeps a small, well-known set of elements:

* headings h2–h4 (h1 becomes h2, h5/h6 become h4: the page title is the only h1), levelled
  so that the first is an h2 and none skips a level (an h4 after an h2 becomes an h3), as
  screen readers' heading lists expect; paragraphs,
  line breaks, bold/italic/underline/strike (``b`` → ``strong``, ``i`` → ``em``), block quotes,
  lists, tables (``colspan``/``rowspan`` only), figures with captions;
* links to ``http``, ``https`` and ``mailto`` addresses only, each given
  ``rel="noopener noreferrer"``; a link to anything else keeps its text and loses the link;
* pictures only from our own media (``MEDIA_URL`` or a relative ``/media/`` address) and only
  with a text alternative: a picture without ``alt`` is dropped, and so is a figure left without
  a picture;
* no iframes, no scripts, no event handlers, no ``style``/``class``/``lang``. A video is given
  in ``Article.video_url`` and the public pages embed it (see ``video_embed_url``: YouTube
  only, through youtube-nocookie.com); pasted ``<iframe>`` embeds are dropped.

Pasting from Microsoft Word brings ``MsoNormal`` classes, ``mso-`` styles, ``<o:p>``,
``<span>``/``<font>`` wrappers, conditional comments (``<!--[if gte mso 9]>`` and the
"downlevel-revealed" ``<![if !supportLists]>`` bullets) and empty paragraphs: all of it goes.

``text_of`` gives the plain text, one block per line (search text, summaries, revision diffs).
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import nh3
from django.conf import settings

TAGS = frozenset(
    {
        "h2",
        "h3",
        "h4",
        "p",
        "br",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "s",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "figure",
        "figcaption",
        "img",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
# Elements removed with everything inside them (must not be in TAGS).
DROP_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "xml",
        "title",
        "head",
        "iframe",
        "object",
        "embed",
        "noscript",
        "template",
        "svg",
        "math",
        "textarea",
        "select",
        "button",
        "canvas",
        "audio",
        "video",
    }
)
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
VOID = frozenset({"br", "img"})
INLINE = frozenset({"strong", "em", "u", "s", "a"})
RENAME = {"b": "strong", "i": "em"}
SPACES = re.compile(r"[\s\u00a0\u200b]+")
ASCII_SPACES = re.compile(r"[ \t\r\n\f]+")  # collapsed in text: Word wraps its lines

# Word's conditional comments: <!--[if gte mso 9]>…<![endif]--> and the downlevel-revealed
# <![if !supportLists]>·<![endif]> around list bullets: removed with their content.
_CONDITIONAL = re.compile(
    r"<!--\[if[^\]]*\]>.*?<!\[endif\]\s*-->|<!\[if[^\]]*\]>.*?<!\[endif\]>",
    re.IGNORECASE | re.DOTALL,
)
_HEADING = re.compile(r"<(/?)h([156])\b", re.IGNORECASE)
_HEADING_TO = {"1": "2", "5": "4", "6": "4"}


def _media_prefixes() -> tuple[str, ...]:
    prefixes = {"/media/"}
    media_url = str(getattr(settings, "MEDIA_URL", "") or "")
    if media_url:
        if media_url.startswith(("http://", "https://", "/")):
            prefixes.add(media_url)
        else:
            prefixes.add("/" + media_url)
    return tuple(p if p.endswith("/") else p + "/" for p in prefixes)


def _allowed_link(url: str) -> bool:
    url = url.strip()
    if not url or any(ch in url for ch in "\x00\r\n\t"):
        return False
    scheme = urlsplit(url).scheme.lower()
    if scheme not in LINK_SCHEMES:
        return False
    if scheme == "mailto":
        return len(url) > len("mailto:")
    return bool(urlsplit(url).netloc)


def _allowed_image(url: str) -> bool:
    url = url.strip()
    if not url or ".." in url or "\\" in url or any(ch in url for ch in "\x00\r\n\t"):
        return False
    return url.startswith(_media_prefixes()) and not url.startswith("//")


def _filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return value.strip() if _allowed_link(value) else None
    if tag == "img" and attribute == "src":
        return value.strip() if _allowed_image(value) else None
    if tag == "img" and attribute == "alt":
        value = SPACES.sub(" ", value).strip()
        return value or None
    if attribute in ("colspan", "rowspan"):
        return value if value.isdigit() and 0 < int(value) <= 100 else None
    return value


def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=_filter,
        strip_comments=True,
        link_rel="noopener noreferrer",
        url_schemes=set(LINK_SCHEMES),
    )


# --- a small tree over nh3's output, to tidy what nh3 cannot --------------------------------


class _Node:
    __slots__ = ("attrs", "children", "tag")

    def __init__(self, tag: str, attrs: list[tuple[str, str]]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Node | str] = []

    def attr(self, name: str) -> str:
        for key, value in self.attrs:
            if key == name:
                return value or ""
        return ""


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("", [])
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, [(k, v or "") for k, v in attrs])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(_Node(tag, [(k, v or "") for k, v in attrs]))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def _text(node: _Node | str) -> str:
    if isinstance(node, str):
        return node
    return "".join(_text(child) for child in node.children)


def _has(node: _Node, tag: str) -> bool:
    return any(
        isinstance(child, _Node) and (child.tag == tag or _has(child, tag))
        for child in node.children
    )


def _blank(node: _Node) -> bool:
    return not SPACES.sub("", _text(node)) and not _has(node, "img")


def _tidy(node: _Node) -> list[_Node | str]:
    """The node after tidying, as the list of nodes that replace it."""
    node.tag = RENAME.get(node.tag, node.tag)
    children: list[_Node | str] = []
    for child in node.children:
        children.extend([child] if isinstance(child, str) else _tidy(child))
    node.children = children
    tag = node.tag
    if tag == "img":
        return [node] if node.attr("src") and node.attr("alt") else []
    if tag == "a" and not node.attr("href"):
        return node.children
    if tag in INLINE and _blank(node):
        return node.children  # <strong> </strong> between words: keep the space only
    if tag in ("p", "h2", "h3", "h4", "li", "blockquote", "figcaption") and _blank(node):
        return []
    if tag == "figure" and not _has(node, "img"):
        return []
    if tag in ("ul", "ol", "table", "thead", "tbody", "tr") and not any(
        isinstance(child, _Node) for child in node.children
    ):
        return []
    return [node]


HEADINGS = {"h2": 2, "h3": 3, "h4": 4}


def _level_headings(nodes: list[_Node | str], open_: list[tuple[int, int]] | None = None) -> None:
    """Renumber headings in document order: the first becomes an h2, a deeper heading one level
    below the one it follows, a heading of a level seen before (an open section) that level
    again. ``open_`` holds the open sections as (level written, level given)."""
    open_ = [] if open_ is None else open_
    for node in nodes:
        if isinstance(node, str):
            continue
        written = HEADINGS.get(node.tag)
        if written is None:
            _level_headings(node.children, open_)
            continue
        while open_ and open_[-1][0] > written:
            open_.pop()
        if open_ and open_[-1][0] == written:
            given = open_[-1][1]
        else:
            given = min(open_[-1][1] + 1 if open_ else 2, 4)
            open_.append((written, given))
        node.tag = f"h{given}"


def _serialise(nodes: list[_Node | str]) -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(escape(node if node == "\n" else ASCII_SPACES.sub(" ", node), quote=False))
            continue
        attrs = "".join(f' {key}="{escape(value, quote=True)}"' for key, value in node.attrs)
        out.append(f"<{node.tag}{attrs}>")
        if node.tag not in VOID:
            out.append(_serialise(node.children))
            out.append(f"</{node.tag}>")
    return "".join(out)


def sanitize(html: str) -> str:
    """Article HTML reduced to what the portal shows (see the module's docstring)."""
    if not html or not html.strip():
        return ""
    html = _CONDITIONAL.sub("", html)
    html = _HEADING.sub(lambda m: f"<{m.group(1)}h{_HEADING_TO[m.group(2)]}", html)
    cleaner = _cleaner()
    builder = _TreeBuilder()
    builder.feed(cleaner.clean(html))
    builder.close()
    nodes: list[_Node | str] = []
    for child in builder.root.children:
        if isinstance(child, str):
            if SPACES.sub("", child):
                nodes.append(child)
            elif nodes and nodes[-1] != "\n":
                nodes.append("\n")  # white space between blocks: one line break
        else:
            nodes.extend(_tidy(child))
    _level_headings(nodes)
    # A second pass through nh3 guarantees the result whatever the tidying did.
    result = cleaner.clean(_serialise(nodes)).strip()
    return "" if not SPACES.sub("", result) else result


# --- plain text -----------------------------------------------------------------------------

BLOCKS = frozenset(
    {
        "p",
        "div",
        "br",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "blockquote",
        "figure",
        "figcaption",
        "tr",
        "table",
        "ul",
        "ol",
        "section",
        "article",
        "pre",
        "hr",
    }
)
CELLS = frozenset({"td", "th"})


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[list[str]] = [[]]
        self.skip = 0

    def _break(self) -> None:
        if self.lines[-1]:
            self.lines.append([])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROP_WITH_CONTENT:
            self.skip += 1
        elif tag in BLOCKS:
            self._break()
        elif tag in CELLS:
            self.lines[-1].append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in DROP_WITH_CONTENT:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCKS:
            self._break()
        elif tag in CELLS:
            self.lines[-1].append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.lines[-1].append(data)


def text_of(html: str) -> str:
    """The plain text of some HTML: one line per block, white space collapsed."""
    if not html:
        return ""
    parser = _TextParser()
    parser.feed(_CONDITIONAL.sub("", html))
    parser.close()
    lines = (SPACES.sub(" ", "".join(parts)).strip() for parts in parser.lines)
    return "\n".join(line for line in lines if line)


# --- videos ---------------------------------------------------------------------------------

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_YOUTUBE_HOSTS = frozenset(
    {
        "youtube.com",
        "www.youtube.com",
        "m.youtube.com",
        "youtu.be",
        "youtube-nocookie.com",
        "www.youtube-nocookie.com",
    }
)


def youtube_id(url: str) -> str | None:
    """The video id of a YouTube address (watch, youtu.be, embed, shorts, live), else None."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or parts.hostname not in _YOUTUBE_HOSTS:
        return None
    path = parts.path.strip("/").split("/")
    if parts.hostname == "youtu.be":
        candidate = path[0] if path else ""
    elif path and path[0] == "watch":
        candidate = (parse_qs(parts.query).get("v") or [""])[0]
    elif len(path) >= 2 and path[0] in ("embed", "shorts", "live", "v"):
        candidate = path[1]
    else:
        candidate = ""
    return candidate if _YOUTUBE_ID.match(candidate) else None


def video_embed_url(url: str) -> str | None:
    """The address to put in an ``<iframe>`` for ``Article.video_url``: YouTube only, via
    youtube-nocookie.com; None for any other address (show it as a plain link)."""
    video = youtube_id(url)
    return f"https://www.youtube-nocookie.com/embed/{video}" if video else None
