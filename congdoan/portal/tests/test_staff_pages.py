"""The editors' pages under /portal-admin/: the list with "waiting for me", writing with the
prose editor and a cover upload, the workflow buttons by right, preview, revisions with
compare and restore, the picture library and the categories, and who may see what."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from PIL import Image as PILImage

from congdoan.accounts.permissions import Role
from congdoan.conftest import make_user
from congdoan.portal import services
from congdoan.portal.models import Article, Category, Image, Revision

pytestmark = pytest.mark.django_db

Status = Article.Status
TITLE = "Hội nghị Ban Chấp hành Liên đoàn Lao động tỉnh lần thứ 5"


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def png(size=(900, 600)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (20, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def write(portal, actor=None, **overrides) -> Article:
    data = {
        "title": TITLE,
        "body": "<p>Nội dung ban đầu về hội nghị.</p>",
        "category": Category.objects.get(portal=portal, slug="tin-tuc"),
    }
    data.update(overrides)
    return services.create_article(actor, portal, data)


@pytest.fixture
def leader(tree):
    return make_user("lc.leader", Role.LEADER, tree.lc)


# --- access ---------------------------------------------------------------------------------


def test_pages_need_login_and_a_right(tree, users, lc_portal):
    response = Client().get("/portal-admin/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert login(users.nobody).get("/portal-admin/").status_code == 404
    assert login(users.chair).get("/portal-admin/laocai/").status_code == 404


def test_menu_link_for_writers_only(tree, users, lc_portal):
    html = page(login(users.lc_specialist), "/")
    assert 'id="nav-portal"' in html and 'href="/portal-admin/"' in html
    assert 'id="nav-portal"' not in page(login(users.chair), "/")


def test_home_goes_to_the_only_portal(tree, users, lc_portal, ht_portal):
    response = login(users.lc_clerk).get("/portal-admin/")
    assert response.status_code == 302 and response["Location"] == "/portal-admin/laocai/"
    html = page(login(users.admin), "/portal-admin/")  # the TLĐ admin sees both
    assert "/portal-admin/laocai/" in html and "/portal-admin/hatinh/" in html


def test_another_provinces_editor_gets_404_everywhere(tree, users, lc_portal, ht_portal):
    article = write(lc_portal, users.lc_clerk)
    services.upload_image(users.lc_clerk, lc_portal, SimpleUploadedFile("a.png", png()), "Ảnh")
    image = Image.objects.get()
    category = Category.objects.get(portal=lc_portal)
    other = login(users.ht_clerk)
    for url in (
        "/portal-admin/laocai/",
        "/portal-admin/laocai/new/",
        "/portal-admin/laocai/images/",
        "/portal-admin/laocai/categories/",
        f"/portal-admin/article/{article.pk}/",
        f"/portal-admin/article/{article.pk}/edit/",
        f"/portal-admin/article/{article.pk}/preview/",
        f"/portal-admin/article/{article.pk}/revisions/",
        f"/portal-admin/article/{article.pk}/revisions/compare/",
        f"/portal-admin/image/{image.pk}/",
        f"/portal-admin/category/{category.pk}/",
    ):
        assert other.get(url).status_code == 404, url
    assert other.post(f"/portal-admin/article/{article.pk}/approve/").status_code == 404
    assert other.post(f"/portal-admin/article/{article.pk}/revisions/1/revert/").status_code == 404
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT
    assert page(other, "/portal-admin/hatinh/")  # their own portal works


# --- the list -------------------------------------------------------------------------------


def test_list_filters_by_status_and_waiting_for_me(tree, users, lc_portal, leader):
    guarded = services.create_category(
        None, lc_portal, {"name": "Chỉ đạo", "needs_leader_approval": True}
    )
    write(lc_portal, users.lc_specialist, title="Bản nháp của chuyên viên")
    submitted = services.submit(
        None, write(lc_portal, users.lc_specialist, title="Bài chờ biên tập")
    )
    for_leader = services.approve(
        users.lc_clerk,
        write(lc_portal, users.lc_specialist, title="Bài chờ lãnh đạo", category=guarded),
    )
    assert for_leader.status == Status.LEADER and submitted.status == Status.SUBMITTED
    clerk, boss = login(users.lc_clerk), login(leader)

    html = page(clerk, "/portal-admin/laocai/", waiting="1")
    assert "Bài chờ biên tập" in html and "Bài chờ lãnh đạo" not in html
    assert "Bản nháp của chuyên viên" not in html
    html = page(boss, "/portal-admin/laocai/", waiting="1")
    assert "Bài chờ lãnh đạo" in html and "Bài chờ biên tập" in html  # a leader also edits
    html = page(clerk, "/portal-admin/laocai/", status="draft")
    assert "Bản nháp của chuyên viên" in html and "Bài chờ biên tập" not in html
    html = page(clerk, "/portal-admin/laocai/", q="lanh dao")
    assert "Bài chờ lãnh đạo" in html and "Bài chờ biên tập" not in html
    assert 'id="waiting-link"' not in page(login(users.lc_specialist), "/portal-admin/laocai/")


# --- writing --------------------------------------------------------------------------------


def test_write_with_the_prose_editor_and_a_new_cover(tree, users, lc_portal):
    client = login(users.lc_specialist)
    html = page(client, "/portal-admin/laocai/new/")
    assert "data-django-prose-editor-configurable" in html
    assert "django_prose_editor/editor.js" in html and 'type="importmap"' in html
    category = Category.objects.get(portal=lc_portal)
    response = client.post(
        "/portal-admin/laocai/new/",
        {
            "title": TITLE,
            "summary": "Tóm tắt hội nghị.",
            "body": '<p class="MsoNormal" style="color:red">Nội dung<script>alert(1)</script></p>',
            "category": category.pk,
            "tags": "Hội nghị, Ban Chấp hành",
            "cover_file": SimpleUploadedFile("bia.png", png(), content_type="image/png"),
            "cover_alt": "Quang cảnh hội nghị",
            "cover_caption": "Hội nghị lần thứ 5",
            "byline": "Minh Anh",
            "publish_at": "",
            "expire_at": "",
            "then": "submit",
        },
    )
    article = Article.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/portal-admin/article/{article.pk}/"
    )
    assert article.status == Status.SUBMITTED  # "save and send to the editors"
    assert article.body == "<p>Nội dung</p>"
    assert article.cover.alt_text == "Quang cảnh hội nghị" and article.cover.caption
    assert sorted(t.name for t in article.tags.all()) == ["Ban Chấp hành", "Hội nghị"]
    assert article.created_by == users.lc_specialist


def test_cover_upload_without_alt_text_is_refused_next_to_the_field(tree, users, lc_portal):
    client = login(users.lc_clerk)
    category = Category.objects.get(portal=lc_portal)
    response = client.post(
        "/portal-admin/laocai/new/",
        {
            "title": TITLE,
            "category": category.pk,
            "cover_file": SimpleUploadedFile("bia.png", png()),
            "cover_alt": "",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    block = re.search(r'<div class="field has-error">.*?name="cover_alt".*?</div>', html, re.S)
    assert block and 'class="error"' in block.group(0)
    assert not Article.objects.exists() and not Image.objects.exists()


def test_a_text_file_named_jpg_is_refused_as_cover(tree, users, lc_portal):
    client = login(users.lc_clerk)
    category = Category.objects.get(portal=lc_portal)
    response = client.post(
        "/portal-admin/laocai/new/",
        {
            "title": TITLE,
            "category": category.pk,
            "cover_file": SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 not a picture" * 20),
            "cover_alt": "Ảnh",
        },
    )
    assert response.status_code == 200 and "has-error" in response.content.decode()
    assert not Article.objects.exists() and not Image.objects.exists()


def test_missing_title_is_shown_and_nothing_saved(tree, users, lc_portal):
    response = login(users.lc_clerk).post(
        "/portal-admin/laocai/new/",
        {"title": "", "category": Category.objects.get(portal=lc_portal).pk},
    )
    assert response.status_code == 200 and "has-error" in response.content.decode()
    assert not Article.objects.exists()


def test_editor_edits_a_published_article_and_the_page_warns(tree, users, lc_portal):
    article = services.approve(None, write(lc_portal, users.lc_specialist))
    client = login(users.lc_clerk)
    html = page(client, f"/portal-admin/article/{article.pk}/edit/")
    assert "Nội dung ban đầu" in html and 'name="title"' in html
    assert 'id="save-publish"' not in html  # already published
    data = {
        "title": "Tiêu đề đã biên tập",
        "body": "<p>Nội dung đã sửa.</p>",
        "category": article.category_id,
        "note": "Sửa tít",
    }
    response = client.post(f"/portal-admin/article/{article.pk}/edit/", data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Tiêu đề đã biên tập" and article.status == Status.PUBLISHED
    assert Revision.objects.get(article=article, number=2).note == "Sửa tít"
    # The history names the changed fields as the editor knows them, in Vietnamese.
    history = page(client, f"/portal-admin/article/{article.pk}/")
    history = history[history.index('id="history"') :]
    with translation.override("vi"):
        assert translation.gettext("title") in history and translation.gettext("text") in history
    assert "title, " not in history and ", body" not in history


def test_contributor_cannot_edit_once_submitted(tree, users, lc_portal):
    article = services.submit(None, write(lc_portal, users.lc_specialist))
    client = login(users.lc_specialist)
    assert client.get(f"/portal-admin/article/{article.pk}/edit/").status_code == 403
    html = page(client, f"/portal-admin/article/{article.pk}/")
    assert 'id="edit"' not in html and 'id="approve"' not in html


# --- workflow buttons -----------------------------------------------------------------------


def test_workflow_buttons_by_right_and_publishing_from_the_page(tree, users, lc_portal):
    article = write(lc_portal, users.lc_specialist)
    author, editor = login(users.lc_specialist), login(users.lc_clerk)
    html = page(author, f"/portal-admin/article/{article.pk}/")
    assert 'id="step-submit"' in html and 'id="approve"' not in html
    # A contributor's forged approval is refused.
    assert author.post(f"/portal-admin/article/{article.pk}/approve/").status_code == 403
    response = author.post(f"/portal-admin/article/{article.pk}/submit/", {"submit-note": ""})
    assert response.status_code == 302
    html = page(editor, f"/portal-admin/article/{article.pk}/")
    assert 'id="approve"' in html and 'id="return"' in html and 'id="unpublish"' not in html
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # one form per step, each with its own fields
    response = editor.post(f"/portal-admin/article/{article.pk}/approve/", {"approve-note": "OK"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    html = page(editor, f"/portal-admin/article/{article.pk}/")
    assert 'id="unpublish"' in html and "OK" in html  # the history shows the note
    editor.post(f"/portal-admin/article/{article.pk}/unpublish/", {"unpublish-note": ""})
    article.refresh_from_db()
    assert article.status == Status.UNPUBLISHED


def test_return_needs_a_note_on_the_page(tree, users, lc_portal):
    article = services.submit(None, write(lc_portal, users.lc_specialist))
    editor = login(users.lc_clerk)
    response = editor.post(f"/portal-admin/article/{article.pk}/return/", {"return-note": ""})
    assert response.status_code == 200
    assert re.search(r'id="step-return" open', response.content.decode())
    assert Article.objects.get(pk=article.pk).status == Status.SUBMITTED
    editor.post(f"/portal-admin/article/{article.pk}/return/", {"return-note": "Thiếu ảnh"})
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT
    assert "Thiếu ảnh" in page(login(users.lc_specialist), f"/portal-admin/article/{article.pk}/")


def test_leader_approval_buttons(tree, users, lc_portal, leader):
    guarded = services.create_category(
        None, lc_portal, {"name": "Chỉ đạo", "needs_leader_approval": True}
    )
    article = services.submit(None, write(lc_portal, users.lc_specialist, category=guarded))
    editor, boss = login(users.lc_clerk), login(leader)
    html = page(editor, f"/portal-admin/article/{article.pk}/")
    assert "Approve and send to the leader" in html or "lãnh đạo" in html
    editor.post(f"/portal-admin/article/{article.pk}/approve/", {"approve-note": ""})
    article.refresh_from_db()
    assert article.status == Status.LEADER
    assert 'id="leader-approve"' not in page(editor, f"/portal-admin/article/{article.pk}/")
    assert editor.post(f"/portal-admin/article/{article.pk}/leader-approve/").status_code == 403
    assert 'id="leader-approve"' in page(boss, f"/portal-admin/article/{article.pk}/")
    boss.post(f"/portal-admin/article/{article.pk}/leader-approve/", {"leader_approve-note": ""})
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


def test_unknown_step_is_404_and_get_is_refused(tree, users, lc_portal):
    article = write(lc_portal, users.lc_clerk)
    editor = login(users.lc_clerk)
    assert editor.post(f"/portal-admin/article/{article.pk}/delete/").status_code == 404
    assert editor.get(f"/portal-admin/article/{article.pk}/approve/").status_code == 405


# --- preview --------------------------------------------------------------------------------


def test_preview_renders_a_draft_as_readers_would_see_it(tree, users, lc_portal):
    article = write(lc_portal, users.lc_specialist, summary="Tóm tắt xem trước")
    response = login(users.lc_specialist).get(f"/portal-admin/article/{article.pk}/preview/")
    assert response.status_code == 200
    html = response.content.decode()
    assert TITLE in html and "Nội dung ban đầu về hội nghị." in html
    assert "no-store" in response["Cache-Control"] and "noindex" in response["X-Robots-Tag"]
    assert Article.objects.get(pk=article.pk).view_count == 0


# --- revisions ------------------------------------------------------------------------------


def test_revisions_compare_and_restore(tree, users, lc_portal):
    article = write(lc_portal, users.lc_clerk)
    services.update_article(
        users.lc_clerk,
        article,
        {"title": "Tiêu đề thứ hai", "body": "<p>Nội dung đã thay đổi hoàn toàn.</p>"},
    )
    client = login(users.lc_clerk)
    html = page(client, f"/portal-admin/article/{article.pk}/revisions/")
    assert (
        'id="compare"' in html and f"/portal-admin/article/{article.pk}/revisions/1/revert/" in html
    )
    html = page(client, f"/portal-admin/article/{article.pk}/revisions/compare/", a="1", b="2")
    diff = html[html.index('id="diff"') :].replace("&nbsp;", " ")  # HtmlDiff keeps the spaces
    assert "Tiêu đề thứ hai" in diff and TITLE in diff
    assert "Nội dung đã thay đổi hoàn toàn." in diff and "Nội dung ban đầu về hội nghị." in diff
    assert re.search(r'class="diff_(chg|add|sub)"', diff)
    assert "<p>" not in diff  # compared as plain text
    response = client.post(f"/portal-admin/article/{article.pk}/revisions/1/revert/")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == TITLE and article.revision_number == 3
    assert Revision.objects.filter(article=article).count() == 3
    same = page(client, f"/portal-admin/article/{article.pk}/revisions/compare/", a="1", b="3")
    assert 'id="no-change"' in same


def test_compare_escapes_what_was_typed(tree, users, lc_portal):
    article = write(lc_portal, users.lc_clerk, title="<script>alert(1)</script> Tin")
    services.update_article(users.lc_clerk, article, {"title": "Tin <b>mới</b>"})
    html = page(login(users.lc_clerk), f"/portal-admin/article/{article.pk}/revisions/compare/")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_contributor_cannot_restore_someone_elses_article(tree, users, lc_portal):
    article = write(lc_portal, users.lc_clerk)
    services.update_article(users.lc_clerk, article, {"title": "Khác"})
    client = login(users.lc_specialist)
    assert "revisions/1/revert/" not in page(
        client, f"/portal-admin/article/{article.pk}/revisions/"
    )
    assert client.post(f"/portal-admin/article/{article.pk}/revisions/1/revert/").status_code == 403


# --- pictures -------------------------------------------------------------------------------


def test_picture_library_upload_requires_alt_text(tree, users, lc_portal):
    client = login(users.lc_specialist)
    response = client.post(
        "/portal-admin/laocai/images/",
        {"file": SimpleUploadedFile("hoi-nghi.png", png()), "alt_text": ""},
    )
    assert response.status_code == 200 and "has-error" in response.content.decode()
    assert not Image.objects.exists()
    response = client.post(
        "/portal-admin/laocai/images/",
        {"file": SimpleUploadedFile("hoi-nghi.png", png()), "alt_text": "Đại biểu biểu quyết"},
    )
    assert response.status_code == 302
    image = Image.objects.get()
    html = page(client, "/portal-admin/laocai/images/")
    assert image.thumbnail.url in html and image.page.url in html and "Đại biểu biểu quyết" in html
    response = client.post(
        f"/portal-admin/image/{image.pk}/", {"alt_text": "Đại biểu giơ thẻ", "caption": "Bế mạc"}
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.alt_text == "Đại biểu giơ thẻ" and image.caption == "Bế mạc"


def test_the_cover_picker_lists_the_portals_pictures(tree, users, lc_portal, ht_portal):
    mine = services.upload_image(None, lc_portal, SimpleUploadedFile("a.png", png()), "Của Lào Cai")
    services.upload_image(None, ht_portal, SimpleUploadedFile("b.png", png()), "Của Hà Tĩnh")
    html = page(login(users.lc_clerk), "/portal-admin/laocai/new/")
    assert "Của Lào Cai" in html and mine.thumbnail.url in html and "Của Hà Tĩnh" not in html


# --- categories -----------------------------------------------------------------------------


def test_categories_tree_and_editing_for_editors_only(tree, users, lc_portal):
    news = Category.objects.get(portal=lc_portal)
    editor = login(users.lc_clerk)
    response = editor.post(
        "/portal-admin/laocai/categories/",
        {"name": "Tin cơ sở", "parent": news.pk, "order": 10, "in_menu": "on"},
    )
    assert response.status_code == 302
    child = Category.objects.get(name="Tin cơ sở")
    assert child.parent == news and child.slug == "tin-co-so"
    html = page(editor, "/portal-admin/laocai/categories/")
    assert html.index("Tin tức") < html.index("— Tin cơ sở")
    response = editor.post(
        f"/portal-admin/category/{child.pk}/",
        {
            "name": "Tin cơ sở",
            "slug": "tin-co-so",
            "parent": news.pk,
            "order": 10,
            "needs_leader_approval": "on",
            "internal": "on",
        },
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.needs_leader_approval and child.internal and not child.in_menu
    # A cycle is refused next to the field.
    response = editor.post(
        f"/portal-admin/category/{news.pk}/", {"name": "Tin tức", "parent": child.pk, "order": 1}
    )
    assert response.status_code == 200 and "has-error" in response.content.decode()
    contributor = login(users.lc_specialist)
    html = page(contributor, "/portal-admin/laocai/categories/")
    assert 'id="category-form"' not in html
    assert contributor.post("/portal-admin/laocai/categories/", {"name": "X"}).status_code == 403
    assert contributor.get(f"/portal-admin/category/{news.pk}/").status_code == 403
