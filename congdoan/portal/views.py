"""The editors' pages of the portals, in the staff office (``/portal-admin/``): the articles of
a portal with their workflow, writing and editing, preview, revisions with comparison and
restore, the picture library and the categories.

Thin: reads go through ``selectors``, every change through ``services``. A portal or article
out of the user's scope answers 404; a step the user's role does not allow answers 403.
"""

from __future__ import annotations

import difflib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from congdoan.accounts.permissions import APPROVE_ARTICLES, EDIT_ARTICLES, WRITE_ARTICLES
from congdoan.accounts.selectors import can, scope_for
from congdoan.core import audit
from congdoan.core.forms import add_service_errors
from congdoan.core.http import error_messages
from congdoan.core.tables import Column, Table
from congdoan.core.text import fold
from congdoan.portal import selectors, services
from congdoan.portal.forms import (
    ArticleForm,
    CategoryForm,
    ImageForm,
    NoteForm,
    ReturnForm,
)
from congdoan.portal.html import text_of, video_embed_url
from congdoan.portal.models import Article, Category, Image, Portal, Revision
from congdoan.portal.public import render_article

Status = Article.Status
PER_PAGE = 50
IMAGES_PER_PAGE = 48
COVER_CHOICES = 24

STATUS_FILTERS = [("", gettext_lazy("All")), *((s.value, s.label) for s in Status)]
STEP_LABELS = {
    "submit": gettext_lazy("Sent to the editors."),
    "approve": gettext_lazy("Approved."),
    "leader-approve": gettext_lazy("Approved by the leader; the article is published."),
    "return": gettext_lazy("Returned to the author."),
    "unpublish": gettext_lazy("Unpublished; the article is kept and can be published again."),
}


# --- helpers --------------------------------------------------------------------------------


def _need(user: Any) -> None:
    """The portal pages look absent to someone who writes for no portal."""
    if scope_for(user, WRITE_ARTICLES).is_empty:
        raise Http404


def _article(request: HttpRequest, pk: int) -> Article:
    return selectors.get_staff_article(request.user, pk)


def _rights(user: Any, portal: Portal) -> dict[str, bool]:
    path = portal.unit.path
    return {
        "can_write": can(user, WRITE_ARTICLES, path),
        "can_edit_any": can(user, EDIT_ARTICLES, path),
        "can_approve": can(user, APPROVE_ARTICLES, path),
    }


def _published_note(message: str, article: Article) -> str:
    """The success message of a step that published, saying when readers see it."""
    if article.status == Status.PUBLISHED and article.published_at:
        if article.published_at > timezone.now():
            return _("Scheduled: readers see it from %(when)s.") % {
                "when": timezone.localtime(article.published_at).strftime("%d/%m/%Y %H:%M")
            }
        return _("Published: readers see it now.")
    if article.status == Status.LEADER:
        return _("Approved; it now waits for the leader's approval.")
    return message


def _posted(request: HttpRequest, *, files: bool = False) -> tuple[Any, ...]:
    """The data to bind a form to: what was posted, or nothing on GET."""
    if request.method != "POST":
        return ()
    return (request.POST, request.FILES) if files else (request.POST,)


# --- portals and the list of articles -------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _need(request.user)
    portals = list(selectors.managed_portals(request.user))
    if len(portals) == 1:
        return redirect("portal_staff:articles", portals[0].slug)
    return render(request, "portal/staff/home.html", {"portals": portals})


@login_required
def articles(request: HttpRequest, portal: str) -> HttpResponse:
    """The articles of a portal, newest change first, by status or "waiting for me"."""
    site = selectors.staff_portal(request.user, portal)
    user = request.user
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    waiting = request.GET.get("waiting") == "1"
    q = request.GET.get("q", "").strip()
    found = selectors.waiting_for(user, site) if waiting else selectors.staff_articles(user, site)
    if status and not waiting:
        found = found.filter(status=status)
    if q:
        for word in fold(q).split()[:8]:
            found = found.filter(search_text__contains=word)
    found = found.order_by("-updated_at", "-id")
    table = Table(
        request,
        found,
        [
            Column("title", _("Title"), "title"),
            Column("category", _("Category")),
            Column("status", _("Status"), "status"),
            Column("author", _("Written by")),
            Column("published_at", _("Published at"), "published_at"),
            Column("updated_at", _("Changed"), "updated_at"),
        ],
        per_page=PER_PAGE,
    )
    return render(
        request,
        "portal/staff/articles.html",
        {
            "portal": site,
            "portals": selectors.managed_portals(user),
            "table": table,
            "status": status,
            "statuses": STATUS_FILTERS,
            "waiting": waiting,
            "waiting_count": selectors.waiting_for(user, site).count(),
            "q": q,
            "now": timezone.now(),
            **_rights(user, site),
        },
    )


# --- writing and editing --------------------------------------------------------------------


def _cover_images(user: Any, site: Portal, current: Image | None = None) -> list[Image]:
    recent = list(selectors.staff_images(user, site)[:COVER_CHOICES])
    if current is not None and all(i.pk != current.pk for i in recent):
        recent.insert(0, current)
    return recent


def _article_form(
    request: HttpRequest, site: Portal, article: Article | None = None, **kwargs: Any
) -> ArticleForm:
    user = request.user
    current = article.cover if article is not None else None
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    return ArticleForm(
        *data,
        tree=selectors.staff_categories(user, site),
        images=_cover_images(user, site, current),
        can_schedule=can(user, EDIT_ARTICLES, site.unit.path),
        **kwargs,
    )


def _upload_cover(request: HttpRequest, site: Portal, form: ArticleForm) -> Image | bool | None:
    """The new cover picture, if one was uploaded: None when none, False on an error."""
    upload = form.cleaned_data.get("cover_file")
    if not upload:
        return None
    try:
        return services.upload_image(
            request.user,
            site,
            upload,
            form.cleaned_data.get("cover_alt", ""),
            form.cleaned_data.get("cover_caption", ""),
            form.cleaned_data.get("cover_credit", ""),
        )
    except ValidationError as exc:
        for key, errors in exc.message_dict.items():
            field = {"file": "cover_file", "alt_text": "cover_alt"}.get(key, f"cover_{key}")
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
        return False


def _after_save(request: HttpRequest, article: Article) -> Article:
    """ "Save and send to the editors" / "Save and publish"."""
    then = request.POST.get("then", "")
    try:
        if then == "submit":
            article = services.submit(request.user, article)
            messages.success(request, STEP_LABELS["submit"])
        elif then == "publish":
            article = services.approve(request.user, article)
            messages.success(request, _published_note(str(STEP_LABELS["approve"]), article))
    except ValidationError as exc:
        error_messages(request, exc)
    return article


def _form_page(
    request: HttpRequest, site: Portal, form: ArticleForm, article: Article | None
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "portal/staff/article_form.html",
        {
            "portal": site,
            "article": article,
            "form": form,
            "can_submit": article is None or article.status == Status.DRAFT,
            "can_publish": can(user, EDIT_ARTICLES, site.unit.path)
            and (article is None or article.status != Status.PUBLISHED),
            "can_edit_any": can(user, EDIT_ARTICLES, site.unit.path),
        },
    )


@login_required
def create(request: HttpRequest, portal: str) -> HttpResponse:
    site = selectors.staff_portal(request.user, portal)
    form = _article_form(request, site)
    if request.method == "POST" and form.is_valid():
        cover = _upload_cover(request, site, form)
        if cover is not False:
            data = form.service_data()
            if cover is not None:
                data["cover"] = cover
            data["note"] = form.cleaned_data.get("note", "")
            try:
                article = services.create_article(request.user, site, data)
            except ValidationError as exc:
                add_service_errors(form, exc)
                if cover is not None:
                    form = _keep_new_cover(request, site, form, cover)
            else:
                messages.success(request, _("The article is saved as a draft."))
                _after_save(request, article)
                return redirect("portal_staff:article", article.pk)
    return _form_page(request, site, form, None)


def _keep_new_cover(
    request: HttpRequest, site: Portal, form: ArticleForm, cover: Image
) -> ArticleForm:
    """Re-show the form with the picture just uploaded chosen, so it is not uploaded twice."""
    data = request.POST.copy()
    data["cover"] = str(cover.pk)
    errors = form.errors
    fresh = ArticleForm(
        data,
        tree=selectors.staff_categories(request.user, site),
        images=_cover_images(request.user, site, cover),
        can_schedule=can(request.user, EDIT_ARTICLES, site.unit.path),
    )
    fresh.is_valid()
    for field, messages_ in errors.items():
        for message in messages_:
            if message not in fresh.errors.get(field, []):
                fresh.add_error(field if field != "__all__" else None, message)
    return fresh


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article(request, pk)
    site = article.portal
    if not services.can_edit(request.user, article):
        raise PermissionDenied
    form = _article_form(request, site, article, initial=ArticleForm.initial_for(article))
    if request.method == "POST" and form.is_valid():
        cover = _upload_cover(request, site, form)
        if cover is not False:
            data = form.service_data()
            if cover is not None:
                data["cover"] = cover
            try:
                article = services.update_article(
                    request.user, article, data, note=form.cleaned_data.get("note", "")
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                if cover is not None:
                    form = _keep_new_cover(request, site, form, cover)
            else:
                messages.success(request, _("Saved."))
                _after_save(request, article)
                return redirect("portal_staff:article", article.pk)
    return _form_page(request, site, form, article)


# --- one article and its workflow -----------------------------------------------------------


def _steps(user: Any, article: Article) -> dict[str, bool]:
    path = article.portal.unit.path
    status = article.status
    editor = can(user, EDIT_ARTICLES, path)
    leader = can(user, APPROVE_ARTICLES, path)
    return {
        "can_edit": services.can_edit(user, article),
        "can_submit": status == Status.DRAFT and services.can_edit(user, article),
        "can_approve": editor and status in (Status.DRAFT, Status.SUBMITTED, Status.UNPUBLISHED),
        "approve_goes_to_leader": article.category.needs_leader_approval and not leader,
        "can_leader_approve": leader and status == Status.LEADER,
        "can_return": (editor and status in (Status.SUBMITTED, Status.LEADER))
        or (leader and status == Status.LEADER),
        "can_unpublish": editor and status == Status.PUBLISHED,
    }


def _field_label(name: str) -> str:
    """The name an editor reads for a field of an article (its verbose name, translated)."""
    try:
        return str(Article._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _history(article: Article) -> list[dict[str, Any]]:
    labels = dict(Status.choices)
    rows = []
    for entry in audit.entries_for(article)[:100]:
        change = entry.changes.get("status") if isinstance(entry.changes, dict) else None
        rows.append(
            {
                "entry": entry,
                "status": [labels.get(s, s) for s in change] if change else None,
                "fields": [
                    _field_label(k)
                    for k in (entry.changes or {})
                    if k not in ("status", "published_at")
                ],
            }
        )
    return rows


def _render_article(request: HttpRequest, article: Article, **forms: Any) -> HttpResponse:
    user = request.user
    now = timezone.now()
    return render(
        request,
        "portal/staff/article.html",
        {
            "portal": article.portal,
            "article": article,
            "tags": list(article.tags.order_by("name")),
            "history": _history(article),
            "revision_count": selectors.revisions(article).count(),
            "scheduled": article.status == Status.PUBLISHED
            and article.published_at is not None
            and article.published_at > now,
            "expired": article.expire_at is not None and article.expire_at <= now,
            "video_embed": video_embed_url(article.video_url),
            **{f"{_prefix(name)}_form": forms.get(name) or _step_form(name) for name in STEPS},
            "open_form": forms.get("open_form", ""),
            **_steps(user, article),
        },
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_article(request, _article(request, pk))


def _prefix(name: str) -> str:
    return name.replace("-", "_")


def _step_form(name: str, data: Any = None) -> NoteForm | ReturnForm:
    """The form of a step, its fields prefixed by the step (one page holds several)."""
    form_class = ReturnForm if name == "return" else NoteForm
    return form_class(data, prefix=_prefix(name))


STEPS = {
    "submit": services.submit,
    "approve": services.approve,
    "leader-approve": services.leader_approve,
    "return": services.return_to_author,
    "unpublish": services.unpublish,
}


@login_required
@require_POST
def step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """A workflow step: submit, approve, leader-approve, return, unpublish."""
    if name not in STEPS:
        raise Http404
    article = _article(request, pk)
    form = _step_form(name, request.POST)
    if form.is_valid():
        try:
            article = STEPS[name](request.user, article, form.cleaned_data["note"])
        except ValidationError as exc:
            if name == "return":
                add_service_errors(form, exc)
            else:
                error_messages(request, exc)
                return redirect("portal_staff:article", article.pk)
        else:
            messages.success(request, _published_note(str(STEP_LABELS[name]), article))
            return redirect("portal_staff:article", article.pk)
    return _render_article(request, article, **{name: form, "open_form": name})


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The article exactly as readers will see it (the public page, marked as a preview)."""
    article = _article(request, pk)
    response = render_article(request, article.portal, article, preview=True)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- revisions ------------------------------------------------------------------------------


@login_required
def revisions(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article(request, pk)
    found = list(selectors.revisions(article)[:200])
    return render(
        request,
        "portal/staff/revisions.html",
        {
            "portal": article.portal,
            "article": article,
            "revisions": found,
            "latest": found[0].number if found else 0,
            "can_edit": services.can_edit(request.user, article),
        },
    )


def _lines(revision: Revision) -> list[str]:
    content = revision.content or {}
    lines = [
        f"{_('Title')}: {content.get('title', '')}",
        f"{_('Category')}: {content.get('category_name', '')}",
        f"{_('Topics')}: {', '.join(content.get('tags') or [])}",
        "",
        f"{_('Summary')}:",
        *(content.get("summary", "") or "").splitlines(),
        "",
        f"{_('Text')}:",
        *text_of(content.get("body", "") or "").splitlines(),
    ]
    return lines


@login_required
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Two revisions side by side as plain text, the changes marked."""
    article = _article(request, pk)
    found = list(selectors.revisions(article).values_list("number", flat=True))
    if not found:
        raise Http404
    try:
        b = int(request.GET.get("b") or found[0])
        a = int(request.GET.get("a") or (found[1] if len(found) > 1 else found[0]))
    except ValueError as exc:
        raise Http404 from exc
    if a > b:
        a, b = b, a
    old, new = selectors.get_revision(article, a), selectors.get_revision(article, b)
    table = difflib.HtmlDiff(wrapcolumn=70).make_table(
        _lines(old),
        _lines(new),
        _("Revision %(number)s") % {"number": old.number},
        _("Revision %(number)s") % {"number": new.number},
        context=True,
        numlines=2,
    )
    return render(
        request,
        "portal/staff/compare.html",
        {
            "portal": article.portal,
            "article": article,
            "old": old,
            "new": new,
            "numbers": found,
            "same": _lines(old) == _lines(new),
            # HtmlDiff escapes the text it shows (&, <, >); the table is its own markup.
            "diff": mark_safe(table),
        },
    )


@login_required
@require_POST
def revert(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    article = _article(request, pk)
    revision = selectors.get_revision(article, number)
    try:
        article = services.revert_to(request.user, article, revision)
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("portal_staff:revisions", article.pk)
    messages.success(
        request,
        _("Revision %(number)s restored as revision %(new)s.")
        % {"number": number, "new": article.revision_number},
    )
    return redirect("portal_staff:article", article.pk)


# --- pictures -------------------------------------------------------------------------------


@login_required
def images(request: HttpRequest, portal: str) -> HttpResponse:
    """The picture library of a portal, and uploading one (text alternative required)."""
    site = selectors.staff_portal(request.user, portal)
    form = ImageForm(*_posted(request, files=True))
    if request.method == "POST" and form.is_valid():
        try:
            image = services.upload_image(
                request.user,
                site,
                form.cleaned_data["file"],
                form.cleaned_data["alt_text"],
                form.cleaned_data["caption"],
                form.cleaned_data["credit"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Picture saved (%(width)s×%(height)s).")
                % {"width": image.width, "height": image.height},
            )
            return redirect("portal_staff:images", site.slug)
    found = selectors.staff_images(request.user, site)
    q = request.GET.get("q", "").strip()
    if q:
        found = found.filter(Q(alt_text__icontains=q) | Q(caption__icontains=q))
    page = Paginator(found, IMAGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/staff/images.html",
        {"portal": site, "form": form, "page": page, "q": q, **_rights(request.user, site)},
    )


@login_required
def image(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the words of a picture."""
    item = selectors.get_staff_image(request.user, pk)
    site = item.portal
    form = ImageForm(
        *_posted(request),
        initial={"alt_text": item.alt_text, "caption": item.caption, "credit": item.credit},
    )
    form.fields["file"].required = False
    form.fields["file"].widget = form.fields["file"].hidden_widget()
    if request.method == "POST" and form.is_valid():
        try:
            services.update_image(
                request.user,
                item,
                alt_text=form.cleaned_data["alt_text"],
                caption=form.cleaned_data["caption"],
                credit=form.cleaned_data["credit"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("portal_staff:images", site.slug)
    return render(request, "portal/staff/image.html", {"portal": site, "item": item, "form": form})


# --- categories -----------------------------------------------------------------------------


@login_required
def categories(request: HttpRequest, portal: str) -> HttpResponse:
    """The category tree of a portal; editors add categories here."""
    site = selectors.staff_portal(request.user, portal)
    rights = _rights(request.user, site)
    tree = selectors.staff_categories(request.user, site)
    form = CategoryForm(*_posted(request), tree=tree)
    if request.method == "POST":
        if not rights["can_edit_any"]:
            raise PermissionDenied
        if form.is_valid():
            try:
                category = services.create_category(request.user, site, form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Category “%(name)s” added.") % {"name": category.name})
                return redirect("portal_staff:categories", site.slug)
    counts = dict(
        Category.objects.filter(portal=site).annotate(n=Count("articles")).values_list("pk", "n")
    )
    rows = [{"category": c, "indent": "— " * d, "articles": counts.get(c.pk, 0)} for c, d in tree]
    return render(
        request,
        "portal/staff/categories.html",
        {"portal": site, "rows": rows, "form": form, **rights},
    )


@login_required
def category(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_staff_category(request.user, pk)
    site = item.portal
    if not can(request.user, EDIT_ARTICLES, site.unit.path):
        raise PermissionDenied
    tree = [(c, d) for c, d in selectors.staff_categories(request.user, site) if c.pk != item.pk]
    form = CategoryForm(*_posted(request), tree=tree, initial=CategoryForm.initial_for(item))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_category(request.user, item, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("portal_staff:categories", site.slug)
    return render(
        request, "portal/staff/category.html", {"portal": site, "item": item, "form": form}
    )
