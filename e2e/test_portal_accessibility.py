"""Accessibility (WCAG 2.1 AA) of the public portal pages, checked in a real browser.

The issue asks for portals that are "accessible (WCAG 2.1 AA: headings, alt text required
on upload, keyboard navigation, contrast) and light". Upload forms require alternative
text; this module checks what readers actually get, on the Lào Cai demo portal's home
page, a category page, the featured seed article (cover and figures with captions), the
search page and the public documents page. The checks are the ones an automated audit
such as axe-core runs, computed by the browser itself in ``page.evaluate`` (no npm package,
no network), so that a template change that breaks one of them fails here:

1. Structure: ``<html lang="vi">``, a non-empty title, exactly one ``<h1>``, heading levels
   that never skip (h2 then h4 fails), one ``<main>``, a banner and a content-info
   landmark, every ``<nav>`` named (and named differently), all visible text inside a
   landmark, zooming not disabled.
2. Names: every ``<img>`` has alternative text (``alt=""`` only with role=presentation),
   every form control, link, button and frame has an accessible name, no id is repeated.
3. Contrast: every visible element with its own text (and every filled text box) against
   its effective background, computed by walking up the ancestors and blending
   semi-transparent backgrounds over a white page: at least 4.5:1, or 3:1 for large text
   (24px, or 18.66px bold). Visually hidden text (``.sr-only``, the skip link off-screen)
   is left out; the skip link is checked while it is focused, the sub-menus while open.
4. Keyboard: on every page each stop of the Tab order is on screen, not covered, and shows
   a focus indicator (an outline or a box-shadow) of at least 3:1 against what surrounds
   it. On the home page the first Tab reaches the skip link, which is then visible; Enter
   on it moves focus to ``<main>`` and the next Tab lands inside it; Tab reaches the search
   box and every link of the main menu, including the sub-menu links, which open by
   keyboard (``:focus-within``).
5. Phone: at 375×740 (a phone's browser, honouring the viewport tag) no page scrolls
   sideways or lays itself out wider than the screen, and the article's running text, the
   body and the form fields are at least 16px (dates, captions, breadcrumbs and other
   secondary lines are smaller by design, .9rem).

Readers' browsers announce an ordinary Chrome (headless Chromium's own user agent is
counted as a robot); uploaded pictures are served from MEDIA_ROOT through a route, as the
reverse proxy does in production. The demo's Lào Cai plan is public, so the documents page
shows its table.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from e2e.conftest import READER_AGENT

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PORTAL = "laocai"
HOME = f"/p/{PORTAL}/"
PAGES = ("home", "category", "article", "search", "documents")
PHONE_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
MAX_TABS = 300

# Installed in every page of a reader's context as ``window.__a11y``.
AUDIT_JS = r"""
window.__a11y = (() => {
  const WHITE = [255, 255, 255, 1];
  const keys = new WeakMap();  // one number per element focused, to see Tab come round
  let lastKey = 0;
  let canvas = null;

  function parseColor(value) {
    if (!value || value === 'transparent') return [0, 0, 0, 0];
    const m = value.match(/^rgba?\(([^)]*)\)$/);
    if (m) {
      const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(parseFloat);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    }
    if (!canvas) canvas = document.createElement('canvas').getContext('2d');
    canvas.clearRect(0, 0, 1, 1);
    canvas.fillStyle = value;
    canvas.fillRect(0, 0, 1, 1);
    const d = canvas.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2], d[3] / 255];
  }
  const over = (top, bottom) =>
    [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const channel = v => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  };
  const luminance = c => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
  const ratio = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)];
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  };
  const hex = c => '#' + c.slice(0, 3)
    .map(v => Math.round(v).toString(16).padStart(2, '0')).join('');
  const snippet = s => (s || '').replace(/\s+/g, ' ').trim().slice(0, 60);

  function describe(el) {
    const parts = [];
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      let s = n.tagName.toLowerCase();
      if (n.id) { parts.unshift(s + '#' + n.id); break; }
      if (n.classList.length) s += '.' + [...n.classList].join('.');
      parts.unshift(s);
      if (n === document.body || parts.length >= 4) break;
    }
    return parts.join(' > ');
  }

  // The colour behind an element: its own background and its ancestors', blended from a
  // white page up to the element, down to the first opaque one.
  function background(el) {
    const layers = [];
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      const cs = getComputedStyle(n);
      if (cs.backgroundImage && cs.backgroundImage !== 'none')
        return {color: null, why: 'background image on ' + describe(n)};
      const c = parseColor(cs.backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let color = WHITE;
    for (let i = layers.length - 1; i >= 0; i--) color = over(layers[i], color);
    return {color, why: null};
  }

  function opacity(el) {
    let o = 1;
    for (let n = el; n && n.nodeType === 1; n = n.parentElement)
      o *= parseFloat(getComputedStyle(n).opacity);
    return o;
  }

  // Why a sighted reader does not see this element, or null if she does.
  function hiddenReason(el) {
    const cs = getComputedStyle(el);
    if (cs.visibility !== 'visible') return 'visibility ' + cs.visibility;
    if (!el.getClientRects().length) return 'not rendered';
    const r = el.getBoundingClientRect();
    if (r.width < 2 && r.height < 2) return 'zero size';
    if (r.right + scrollX <= 0 || r.bottom + scrollY <= 0) return 'off-screen';
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      const s = getComputedStyle(n);
      if (parseFloat(s.opacity) === 0) return 'transparent';
      if (s.clip && s.clip !== 'auto' && ['absolute', 'fixed'].includes(s.position))
        return 'clipped';
      if (s.clipPath && /inset\(50%/.test(s.clipPath)) return 'clipped';
      if (s.overflow !== 'visible') {
        const b = n.getBoundingClientRect();
        if (b.width < 2 || b.height < 2) return 'in a zero-size box';
      }
    }
    return null;
  }

  // The text an element gives to its name (its text, the alt of its pictures),
  // leaving out what is hidden from everyone.
  function textOf(el) {
    let s = '';
    for (const n of el.childNodes) {
      if (n.nodeType === 3) s += n.textContent;
      else if (n.nodeType === 1) {
        if (n.getAttribute('aria-hidden') === 'true' || n.hidden) continue;
        if (getComputedStyle(n).display === 'none') continue;
        if (n.tagName === 'IMG') s += ' ' + (n.getAttribute('alt') || '') + ' ';
        else if ((n.getAttribute('aria-label') || '').trim())
          s += ' ' + n.getAttribute('aria-label') + ' ';
        else s += ' ' + textOf(n) + ' ';
      }
    }
    return s;
  }

  function accessibleName(el) {
    const by = (el.getAttribute('aria-labelledby') || '').trim();
    if (by) {
      const t = by.split(/\s+/).map(id => document.getElementById(id)).filter(Boolean)
        .map(textOf).join(' ').trim();
      if (t) return t;
    }
    const label = (el.getAttribute('aria-label') || '').trim();
    if (label) return label;
    if (el.labels && el.labels.length) {
      const t = [...el.labels].map(textOf).join(' ').trim();
      if (t) return t;
    }
    if (el.tagName === 'INPUT' && ['submit', 'button', 'reset'].includes(el.type))
      return (el.value || '').trim();
    if (['A', 'BUTTON'].includes(el.tagName) ||
        ['link', 'button'].includes(el.getAttribute('role'))) {
      const t = textOf(el).trim();
      if (t) return t;
    }
    return (el.getAttribute('title') || '').trim();
  }

  const inTree = el => !el.closest('[aria-hidden="true"], [hidden]') && (el.checkVisibility
    ? el.checkVisibility({visibilityProperty: true}) : el.getClientRects().length > 0);

  function structure() {
    const problems = [];
    const lang = document.documentElement.getAttribute('lang');
    if (lang !== 'vi') problems.push(`<html lang> is ${JSON.stringify(lang)}, not "vi"`);
    if (!document.title.trim()) problems.push('the <title> is empty');
    const viewport = document.querySelector('meta[name=viewport]');
    const vp = viewport ? viewport.content.replace(/\s/g, '').toLowerCase() : '';
    if (/user-scalable=(no|0)/.test(vp) || /maximum-scale=(0|1)(\.\d+)?(,|$)/.test(vp))
      problems.push('the viewport forbids zooming: ' + vp);

    const headings = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6,[role=heading]')]
      .filter(inTree);
    const h1s = headings.filter(h => h.tagName === 'H1' || h.getAttribute('aria-level') === '1');
    if (h1s.length !== 1)
      problems.push(`${h1s.length} <h1> on the page: ` +
        h1s.map(h => snippet(h.textContent)).join(' | '));
    let previous = null;
    for (const h of headings) {
      const level = h.hasAttribute('aria-level') ? parseInt(h.getAttribute('aria-level'), 10)
        : parseInt(h.tagName.slice(1), 10);
      if (!textOf(h).trim()) problems.push('an empty heading: ' + describe(h));
      if (previous && level > previous.level + 1)
        problems.push(`heading level skips from h${previous.level} "${snippet(previous.text)}" ` +
          `to h${level} "${snippet(h.textContent)}" (${describe(h)})`);
      previous = {level, text: h.textContent};
    }

    const mains = document.querySelectorAll('main, [role=main]');
    if (mains.length !== 1) problems.push(`${mains.length} <main> landmarks`);
    const sectioning = 'article, aside, main, nav, section';
    const top = sel => [...document.querySelectorAll(sel)]
      .filter(e => !e.parentElement.closest(sectioning));
    const banners = top('header, [role=banner]');
    const infos = top('footer, [role=contentinfo]');
    if (banners.length !== 1) problems.push(`${banners.length} banner landmarks (page <header>)`);
    if (infos.length !== 1) problems.push(`${infos.length} content-info landmarks (page <footer>)`);
    const navs = [...document.querySelectorAll('nav, [role=navigation]')];
    if (!navs.length) problems.push('no <nav>');
    const navNames = navs.map(accessibleName);
    navs.forEach((n, i) => {
      if (!navNames[i]) problems.push('a <nav> without a name: ' + describe(n));
    });
    const repeated = navNames.filter((n, i) => n && navNames.indexOf(n) !== i);
    if (repeated.length) problems.push('two <nav> with the same name: ' + repeated.join(', '));
    // All that a reader sees is inside a landmark (axe "region"); skip links are exempt.
    const landmarks = 'header, footer, main, nav, aside, [role=banner], [role=contentinfo], ' +
      '[role=main], [role=navigation], [role=complementary], [role=search], [role=region]';
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      const el = t.parentElement;
      if (!/\S/.test(t.textContent) || el.closest('script, style, noscript, template')) continue;
      if (el.closest(landmarks)) continue;
      const a = el.closest('a[href^="#"]');
      if (a && document.getElementById(a.getAttribute('href').slice(1))) continue;
      if (!inTree(el)) continue;
      problems.push(`text outside any landmark: ${describe(el)} "${snippet(t.textContent)}"`);
    }

    const images = [...document.querySelectorAll('img')];
    for (const img of images) {
      const alt = img.getAttribute('alt');
      const role = img.getAttribute('role');
      if (alt === null) problems.push('a picture without alt: ' + describe(img) + ' ' + img.src);
      else if (!alt.trim() && !['presentation', 'none'].includes(role))
        problems.push('a picture with empty alt and no role=presentation: ' +
          describe(img) + ' ' + img.src);
    }
    const controls = [...document.querySelectorAll('input:not([type=hidden]), select, ' +
      'textarea, [role=textbox], [role=combobox], [role=searchbox]')];
    for (const c of controls)
      if (!accessibleName(c)) problems.push('a form control without a name: ' + describe(c));
    const actions = [...document.querySelectorAll('a[href], button, [role=link], [role=button]')];
    for (const a of actions)
      if (!accessibleName(a))
        problems.push(`a ${a.tagName === 'A' ? 'link' : 'button'} without a name: ` +
          `${describe(a)} ${a.getAttribute('href') || ''}`);
    for (const f of document.querySelectorAll('iframe'))
      if (!(f.getAttribute('title') || '').trim())
        problems.push('a frame without a title: ' + describe(f));
    const seen = {};
    for (const el of document.querySelectorAll('[id]')) seen[el.id] = (seen[el.id] || 0) + 1;
    for (const [id, n] of Object.entries(seen))
      if (n > 1) problems.push(`id "${id}" used ${n} times`);

    return {problems, counts: {headings: headings.length, images: images.length,
      controls: controls.length, links: actions.length, navs: navs.length}};
  }

  // Text against its background, for every visible element with its own text under root.
  function contrast(rootSelector) {
    const failures = [];
    let checked = 0;
    const roots = rootSelector ? [...document.querySelectorAll(rootSelector)] : [document.body];
    const elements = new Set();
    for (const root of roots) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        if (!/\S/.test(t.textContent)) continue;
        const el = t.parentElement;
        if (el.closest('script, style, noscript, template, head')) continue;
        elements.add(el);
      }
      for (const box of root.querySelectorAll('input, textarea, select'))
        if ((box.value || '').trim() && !['hidden', 'submit', 'button', 'reset', 'image',
          'checkbox', 'radio', 'color', 'range', 'file'].includes(box.type)) elements.add(box);
    }
    for (const el of elements) {
      if (hiddenReason(el)) continue;
      const cs = getComputedStyle(el);
      const bg = background(el);
      const what = `${describe(el)} "${snippet(el.value || el.innerText || el.textContent)}"`;
      if (!bg.color) { failures.push(`${what}: cannot tell the contrast, ${bg.why}`); continue; }
      const fg = parseColor(cs.color);
      fg[3] *= opacity(el);
      const shown = over(fg, bg.color);
      const size = parseFloat(cs.fontSize);
      const weight = parseInt(cs.fontWeight, 10) || 400;
      const large = size >= 24 || (size >= 18.66 && weight >= 700);
      const need = large ? 3 : 4.5;
      const r = ratio(shown, bg.color);
      checked++;
      if (r < need)
        failures.push(`${what}: ${hex(shown)} on ${hex(bg.color)} is ${r.toFixed(2)}:1, ` +
          `needs ${need}:1 (${size}px, weight ${weight})`);
    }
    return {failures, checked};
  }

  // The element that has the keyboard focus: where it is, whether it shows.
  function focused() {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const main = document.querySelector('main, [role=main]');
    const cs = getComputedStyle(el);
    const rect = el.getClientRects()[0] || el.getBoundingClientRect();
    const why = hiddenReason(el);
    let onScreen = !why && rect.width >= 1 && rect.height >= 1 && rect.bottom > 0 &&
      rect.right > 0 && rect.top < innerHeight && rect.left < innerWidth;
    let covered = null;
    if (onScreen) {
      const x = Math.min(Math.max(rect.left + rect.width / 2, 0), innerWidth - 1);
      const y = Math.min(Math.max(rect.top + rect.height / 2, 0), innerHeight - 1);
      const hit = document.elementFromPoint(x, y);
      if (!hit || !(hit === el || el.contains(hit))) covered = hit ? describe(hit) : 'nothing';
    }
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
    const shadow = !!cs.boxShadow && cs.boxShadow !== 'none';
    let indicatorRatio = null;
    if (outline) {
      // The outline is drawn around the element, over its parent's background.
      const around = background(el.parentElement || el).color;
      if (around) indicatorRatio = ratio(over(parseColor(cs.outlineColor), around), around);
    }
    if (!keys.has(el)) keys.set(el, ++lastKey);
    return {
      key: keys.get(el),
      where: describe(el),
      tag: el.tagName.toLowerCase(),
      type: el.getAttribute('type') || '',
      text: snippet(accessibleName(el)),
      href: el.getAttribute('href') || '',
      skipLink: !!main && el.getAttribute('href') === '#' + main.id,
      main: el === main,
      inMain: !!main && main.contains(el) && el !== main,
      inHeader: !!el.closest('header'),
      inSubmenu: !!el.closest('nav li ul, nav li ol'),
      visible: onScreen && !covered,
      hidden: why || (onScreen ? (covered ? 'covered by ' + covered : '') : 'off screen'),
      indicator: outline || shadow,
      outline: `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}`,
      boxShadow: cs.boxShadow,
      indicatorRatio,
    };
  }

  return {structure, contrast, focused, hiddenReason, describe};
})();
"""


@pytest.fixture
def urls(portal_state, demo) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The addresses of the pages checked, on the demo's Lào Cai portal (whose public
    documents fill the documents page's table and the side column's list)."""
    from congdoan.documents.models import Document
    from congdoan.portal.models import Article

    article = Article.objects.select_related("category").get(
        portal__slug=PORTAL, featured=True, body__contains="<figure>"
    )
    assert Document.objects.filter(
        unit__path__startswith=article.portal.unit.path, public=True
    ).exists()
    return {
        "home": HOME,
        "category": f"{HOME}{article.category.slug}/",
        "article": f"{HOME}{article.category.slug}/{article.slug}.html",
        "search": f"{HOME}tim-kiem/?q=cong+doan",
        "documents": f"{HOME}van-ban/",
    }


@pytest.fixture
def reader(browser, live_server, settings, urls) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """A reader's browser tab on the live server, with the audit script in every page."""
    page = open_reader(browser, live_server.url, Path(settings.MEDIA_ROOT), DESKTOP)
    try:
        yield page
    finally:
        page.context.close()


def open_reader(browser: Any, base_url: str, media_root: Path, viewport: dict[str, int]) -> Any:
    """A new reader (no cookies, Chrome's user agent) at the given window size: a phone,
    honouring the page's viewport tag, when it is narrower than a tablet."""
    phone = viewport["width"] < 600
    context = browser.new_context(
        base_url=base_url,
        locale="vi-VN",
        user_agent=PHONE_AGENT if phone else READER_AGENT,
        viewport=viewport,
        is_mobile=phone,
        has_touch=phone,
        device_scale_factor=2 if phone else 1,
    )
    context.set_default_timeout(15_000)
    context.add_init_script(script=AUDIT_JS)

    def from_media_root(route: Any) -> None:
        name = route.request.url.split("/media/", 1)[1].split("?", 1)[0]
        route.fulfill(path=str(media_root / name))

    context.route("**/media/**", from_media_root)
    return context.new_page()


def visit(page: Any, url: str) -> None:
    """Open a page and wait until it and its pictures (lazy ones too) have loaded."""
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    page.evaluate(
        """async () => {
             const imgs = [...document.images];
             imgs.forEach(i => { i.loading = 'eager'; });
             await Promise.all(imgs.map(i => i.complete ? null : new Promise(done => {
               i.addEventListener('load', done); i.addEventListener('error', done); })));
           }"""
    )


def report(title: str, lines: list[str]) -> str:
    return f"{title}:\n  " + "\n  ".join(lines)


def audit_structure(page: Any) -> dict[str, Any]:
    return page.evaluate("() => window.__a11y.structure()")


def audit_contrast(page: Any, root: str | None = None) -> dict[str, Any]:
    return page.evaluate("root => window.__a11y.contrast(root)", root)


def focused(page: Any) -> dict[str, Any] | None:
    return page.evaluate("() => window.__a11y.focused()")


def focus_problems(stop: dict[str, Any]) -> list[str]:
    """What is wrong with the element focused: not visible, no indicator, too faint."""
    found = []
    if not stop["visible"]:
        found.append(f'{stop["where"]} "{stop["text"]}" is not visible ({stop["hidden"]})')
    if not stop["indicator"]:
        found.append(f'{stop["where"]} "{stop["text"]}" shows no focus indicator')
    elif stop["indicatorRatio"] is not None and stop["indicatorRatio"] < 3:
        found.append(
            f'{stop["where"]} "{stop["text"]}": focus outline {stop["outline"]} is '
            f"{stop['indicatorRatio']:.2f}:1 against its surroundings, needs 3:1"
        )
    return found


def tab_through(page: Any) -> list[dict[str, Any]]:
    """Press Tab from the top of the page until focus leaves it or comes back round."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    stops: list[dict[str, Any]] = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        stop = focused(page)
        if stop is None or (stops and stop["key"] == stops[0]["key"]):
            return stops
        stops.append(stop)
    raise AssertionError(f"more than {MAX_TABS} Tab stops: is focus trapped? {stops[-3:]}")


def test_public_pages_pass_the_audit(reader, urls) -> None:  # type: ignore[no-untyped-def]
    """Structure, names, contrast and focus visibility of each public page: one demo for
    the five pages (loading it costs seconds), every page's problems in one report."""
    problems: list[str] = []
    for name in PAGES:
        visit(reader, urls[name])
        where = f"{name} ({urls[name]})"

        structure = audit_structure(reader)
        problems += [f"{where}: {p}" for p in structure["problems"]]
        counts = structure["counts"]  # the audit saw the page, not an error or empty page
        assert counts["headings"] >= 2 and counts["links"] >= 10, (where, counts)
        assert counts["controls"] >= 1 and counts["navs"] >= 1, (where, counts)
        if name in ("home", "article"):
            assert counts["images"] >= 2, (where, counts)
        if name == "documents":
            assert reader.locator("main table tbody tr").count() >= 1, "no document listed"

        colours = audit_contrast(reader)
        problems += [f"{where}, contrast: {f}" for f in colours["failures"]]
        assert colours["checked"] >= 20, (where, colours)

        stops = tab_through(reader)
        assert len(stops) >= 10, (where, stops)
        problems += [f"{where}, focus: {p}" for stop in stops for p in focus_problems(stop)]
    assert not problems, report("accessibility problems on the portal", problems)


def test_home_page_by_keyboard(reader, urls) -> None:  # type: ignore[no-untyped-def]
    """Skip link first and visible, Enter jumps to the content, Tab reaches the search box
    and every menu link; sub-menus open by keyboard and their links are visible."""
    from django.utils import translation

    with translation.override("vi"):
        skip_text = translation.gettext("Skip to content")
    visit(reader, urls["home"])
    assert audit_contrast(reader, "a[href='#main']")["checked"] == 0  # off-screen: not shown

    reader.keyboard.press("Tab")
    first = focused(reader)
    assert first is not None and first["skipLink"], f"the first Tab stop is {first}"
    assert first["text"] == skip_text
    assert not focus_problems(first), focus_problems(first)
    skip = audit_contrast(reader, "a[href='#main']")
    assert skip["checked"] == 1 and not skip["failures"], skip

    reader.keyboard.press("Enter")
    reader.wait_for_url("**#main")
    on_main = "() => document.activeElement.matches('main, [role=main]')"
    try:
        reader.wait_for_function(on_main, timeout=2_000)
    except sync_api.TimeoutError:
        raise AssertionError(f"Enter on the skip link left focus on {focused(reader)}") from None
    assert reader.evaluate(
        "() => { const r = document.querySelector('main').getBoundingClientRect();"
        " return r.top >= -1 && r.top < innerHeight; }"
    ), "<main> is not scrolled into view after the skip link"
    reader.keyboard.press("Tab")
    after = focused(reader)
    assert after is not None and after["inMain"], f"Tab after the skip link went to {after}"

    visit(reader, urls["home"])
    stops = tab_through(reader)
    assert stops[0]["skipLink"], stops[0]
    order = [s["where"] for s in stops]
    searchbox = next(
        (n for n, s in enumerate(stops) if s["tag"] == "input" and s["type"] == "search"), None
    )
    first_in_main = next((n for n, s in enumerate(stops) if s["inMain"]), None)
    assert searchbox is not None, f"Tab never reaches the search box: {order}"
    assert first_in_main is not None, f"Tab never reaches the content: {order}"
    assert searchbox < first_in_main, "the search box comes after the content"

    menu = reader.evaluate(
        """() => [...document.querySelectorAll('header nav a[href]')].map(a => ({
             href: a.getAttribute('href'), text: a.textContent.trim(),
             sub: !!a.closest('li ul, li ol')}))"""
    )
    assert sum(not m["sub"] for m in menu) >= 4 and any(m["sub"] for m in menu), menu
    reached = [(s["href"], s["text"]) for s in stops if s["inHeader"]]
    missing = [m for m in menu if (m["href"], m["text"]) not in reached]
    assert not missing, report("menu links Tab never reaches", [str(m) for m in missing])
    header_stops = [(s["href"], s["text"]) for s in stops if s["inHeader"] and s["href"]]
    assert [(m["href"], m["text"]) for m in menu] == header_stops[-len(menu) :], (
        "the menu links are not reached in their order"
    )
    problems = [p for stop in stops for p in focus_problems(stop)]
    assert not problems, report("keyboard focus on the home page", problems)

    # A category with a sub-menu: focusing it opens the sub-menu, readable and visible.
    parent = reader.locator("header nav li:has(> ul) > a").first
    parent.focus()
    reader.keyboard.press("Shift+Tab")
    reader.keyboard.press("Tab")  # focus by keyboard, so that :focus-visible applies
    sub_links = reader.locator("header nav li:has(> ul):focus-within > ul a")
    assert sub_links.count() >= 1
    for n in range(sub_links.count()):
        assert sub_links.nth(n).is_visible()
    opened = audit_contrast(reader, "header nav li:focus-within > ul")
    assert opened["checked"] >= 1 and not opened["failures"], opened
    for _ in range(sub_links.count()):
        reader.keyboard.press("Tab")
        stop = focused(reader)
        assert stop is not None and stop["inSubmenu"], f"Tab left the sub-menu early: {stop}"
        assert not focus_problems(stop), focus_problems(stop)
    submenu = (
        "() => getComputedStyle(document.querySelector('header nav li:has(> ul) > ul')).display"
    )
    assert reader.evaluate(submenu) == "block"  # still open while focus is in it
    reader.keyboard.press("Tab")
    assert reader.evaluate(submenu) == "none"  # and closed once focus has left it


def test_article_on_a_phone(browser, live_server, settings, urls) -> None:  # type: ignore[no-untyped-def]
    """At 375×740 no page scrolls sideways; the article's text is at least 16px."""
    page = open_reader(browser, live_server.url, Path(settings.MEDIA_ROOT), PHONE)
    try:
        wide = []
        for name in PAGES:
            visit(page, urls[name])
            # No sideways scrolling, and no wider layout either: a phone's browser zooms out
            # to fit what overflows (innerWidth grows), or lays out at 980px without a
            # viewport tag.
            width = page.evaluate(
                """() => ({inner: innerWidth, client: document.documentElement.clientWidth,
                           scroll: document.documentElement.scrollWidth})"""
            )
            if width["inner"] != PHONE["width"] or width["scroll"] > width["client"] + 1:
                culprits = page.evaluate(
                    """phone => [...document.body.querySelectorAll('*')]
                         .filter(e => e.getBoundingClientRect().right > phone + 1)
                         .slice(0, 5).map(e => window.__a11y.describe(e))""",
                    PHONE["width"],
                )
                wide.append(
                    f"{name}: laid out {width['inner']}px wide, {width['scroll']}px of content "
                    f"in {width['client']}px, on a {PHONE['width']}px phone: {culprits}"
                )
        assert not wide, report("pages wider than a phone", wide)

        visit(page, urls["article"])
        small = page.evaluate(
            """() => [...document.querySelectorAll(
                   'body, main p, main li, .story .body *, input, textarea, select')]
                 .filter(e => e === document.body || e.matches('input, textarea, select') ||
                   [...e.childNodes].some(n => n.nodeType === 3 && /\\S/.test(n.textContent)))
                 .filter(e => e.matches('body, input, textarea, select') ||
                   !e.closest('.meta, figcaption, .muted, .share, .tags, .crumbs'))
                 .map(e => [window.__a11y.describe(e), parseFloat(getComputedStyle(e).fontSize)])
                 .filter(([, size]) => size < 16)"""
        )
        assert not small, report("text smaller than 16px on a phone", [str(s) for s in small])
        paragraphs = page.locator("article .body p")
        assert paragraphs.count() >= 1
    finally:
        page.context.close()
