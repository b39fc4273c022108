"""The editors' side of the portal through the services: the workflow of an article, schedules
and expiry, revisions, sanitised HTML, pictures, categories, the audit log and the page cache.
Users and units come from ``congdoan/conftest.py``, portals from ``conftest.py`` here."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone
from PIL import Image as PILImage

from congdoan.accounts.permissions import Role
from congdoan.conftest import make_user
from congdoan.core.models import AuditEntry
from congdoan.portal import pagecache, selectors, services
from congdoan.portal.html import sanitize, text_of, video_embed_url
from congdoan.portal.models import Article, Category, Image, Revision, Tag

pytestmark = pytest.mark.django_db

Status = Article.Status
TITLE = "Liên đoàn Lao động tỉnh Lào Cai tổ chức Tháng Công nhân năm 2026"
BODY = "<p>Sáng 15/3, <strong>Liên đoàn Lao động tỉnh</strong> tổ chức lễ phát động.</p>"

WORD_PASTE = """<html xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"><head>
<meta name=ProgId content=Word.Document><meta name=Generator content="Microsoft Word 15">
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View><w:Zoom>100</w:Zoom>
</w:WordDocument></xml><![endif]-->
<style><!-- p.MsoNormal, li.MsoNormal {mso-style-unhide:no; margin:0cm; font-size:12.0pt;
font-family:"Times New Roman",serif;} --></style></head>
<body lang=VI style='tab-interval:36.0pt;word-wrap:break-word'>
<div class=WordSection1>
<h1 style='mso-margin-top-alt:auto'><span lang=VI style='mso-fareast-language:VI'>Hội nghị
Ban Chấp hành lần thứ 5</span></h1>
<p class=MsoNormal style='text-align:justify;line-height:150%'><b style='mso-bidi-font-weight:
normal'><span lang=VI style='font-size:14.0pt;line-height:150%'>Sáng 15/3,</span></b><span
lang=VI style='font-size:14.0pt;line-height:150%'> Liên đoàn Lao động tỉnh <i
style='mso-bidi-font-style:normal'>Lào Cai</i> tổ chức hội nghị.<o:p></o:p></span></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if
!supportLists]><span style='font-family:Symbol;mso-fareast-font-family:Symbol'>·<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span>
<![endif]><span lang=VI>Thông qua nghị quyết</span></p>
<p class=MsoNormal><font face="Arial" color="#ff0000">Chữ màu</font> <a name="_Toc1"></a><a
href="https://congdoan.vn/tin-tuc" target="_blank" style='color:blue'>Tin liên quan</a></p>
<p class=MsoNormal><span style='mso-no-proof:yes'><img width=200 height=100
src="file:///C:/Users/A/AppData/Local/Temp/msohtmlclip1/01/clip_image001.jpg"
v:shapes="Picture_x0020_1"></span></p>
<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse'>
<tr><td width=200 valign=top style='border:solid windowtext 1.0pt'>
<p class=MsoNormal>Đơn vị</p></td>
<td colspan=2 style='border:solid windowtext 1.0pt'><p class=MsoNormal>Số đoàn viên</p></td></tr>
</table>
<p class=MsoNormal><span style='mso-spacerun:yes'>&nbsp;</span></p>
</div></body></html>"""


# --- helpers --------------------------------------------------------------------------------


@pytest.fixture
def leader(tree):
    return make_user("lc.leader", Role.LEADER, tree.lc)


@pytest.fixture
def news(lc_portal):
    return Category.objects.get(portal=lc_portal, slug="tin-tuc")


@pytest.fixture
def guarded(lc_portal):
    """A category whose articles a leader must approve."""
    return services.create_category(
        None, lc_portal, {"name": "Chỉ đạo, điều hành", "needs_leader_approval": True}
    )


def write(portal, actor=None, **overrides) -> Article:
    category = overrides.pop("category", None) or Category.objects.get(
        portal=portal, slug="tin-tuc"
    )
    data = {"title": TITLE, "summary": "Tóm tắt.", "body": BODY, "category": category}
    data.update(overrides)
    return services.create_article(actor, portal, data)


def picture(
    fmt: str = "PNG", size=(1600, 900), name: str = "anh.png", **save
) -> SimpleUploadedFile:
    image = PILImage.new("RGB", size, (200, 30, 30))
    for x in range(0, size[0], 50):  # something to compress, not a flat colour
        for y in range(0, size[1], 50):
            image.putpixel((x, y), (0, 0, 255))
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def audit_entries(obj) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj.__class__), object_id=str(obj.pk)
        ).order_by("id")
    )


def live(portal) -> list[int]:
    return list(selectors.live_articles(portal).values_list("pk", flat=True))


# --- the workflow ---------------------------------------------------------------------------


def test_contributor_writes_submits_editor_approves_and_readers_see_it(tree, users, lc_portal):
    article = write(lc_portal, users.lc_specialist)
    assert article.status == Status.DRAFT and article.created_by == users.lc_specialist
    assert article.slug == "lien-doan-lao-dong-tinh-lao-cai-to-chuc-thang-cong-nhan-nam-2026"
    assert live(lc_portal) == []

    article = services.submit(users.lc_specialist, article)
    assert article.status == Status.SUBMITTED
    assert list(selectors.waiting_for(users.lc_clerk, lc_portal)) == [article]
    assert list(selectors.waiting_for(users.lc_specialist, lc_portal)) == []

    article = services.approve(users.lc_clerk, article, "Đăng ngay")
    assert article.status == Status.PUBLISHED
    assert article.published_at is not None and article.published_at <= timezone.now()
    assert live(lc_portal) == [article.pk]


def test_a_contributor_cannot_publish_nor_unpublish(users, lc_portal):
    article = services.submit(users.lc_specialist, write(lc_portal, users.lc_specialist))
    with pytest.raises(PermissionDenied):
        services.approve(users.lc_specialist, article)
    article = services.approve(users.lc_clerk, article)
    with pytest.raises(PermissionDenied):
        services.unpublish(users.lc_specialist, article)
    assert Article.objects.get(pk=article.pk).status == Status.PUBLISHED


def test_leader_approval_category_needs_the_leader(users, lc_portal, guarded, leader):
    article = services.submit(
        users.lc_specialist, write(lc_portal, users.lc_specialist, category=guarded)
    )
    article = services.approve(users.lc_clerk, article)
    assert article.status == Status.LEADER and live(lc_portal) == []
    assert list(selectors.waiting_for(leader, lc_portal)) == [article]
    with pytest.raises(PermissionDenied):
        services.leader_approve(users.lc_clerk, article)  # a văn thư is no leader
    article = services.leader_approve(leader, article, "Đồng ý")
    assert article.status == Status.PUBLISHED and live(lc_portal) == [article.pk]


def test_a_leader_who_edits_publishes_a_guarded_article_at_once(users, lc_portal, guarded, leader):
    article = services.approve(leader, write(lc_portal, users.lc_specialist, category=guarded))
    assert article.status == Status.PUBLISHED


def test_return_to_author_needs_a_note_and_gives_the_draft_back(users, lc_portal):
    article = services.submit(users.lc_specialist, write(lc_portal, users.lc_specialist))
    with pytest.raises(ValidationError) as info:
        services.return_to_author(users.lc_clerk, article, "  ")
    assert "note" in info.value.message_dict
    article = services.return_to_author(users.lc_clerk, article, "Bổ sung ảnh và số liệu")
    assert article.status == Status.DRAFT
    assert audit_entries(article)[-1].message == "Bổ sung ảnh và số liệu"
    # The author edits the returned draft and submits again.
    services.update_article(users.lc_specialist, article, {"summary": "Đã bổ sung số liệu."})
    assert services.submit(users.lc_specialist, article).status == Status.SUBMITTED


def test_leader_returns_an_article_waiting_for_them(users, lc_portal, guarded, leader):
    article = services.approve(
        users.lc_clerk, write(lc_portal, users.lc_specialist, category=guarded)
    )
    article = services.return_to_author(leader, article, "Chưa đúng chỉ đạo")
    assert article.status == Status.DRAFT


def test_contributor_edits_only_their_own_draft(users, lc_portal, tree):
    other = make_user("lc.specialist2", Role.SPECIALIST, tree.lc)
    article = write(lc_portal, users.lc_specialist)
    with pytest.raises(PermissionDenied):
        services.update_article(other, article, {"title": "Sửa trộm"})
    services.submit(users.lc_specialist, article)
    with pytest.raises(PermissionDenied):  # submitted: no longer the author's to change
        services.update_article(users.lc_specialist, article, {"title": "Sửa sau khi gửi"})
    edited = services.update_article(users.lc_clerk, article, {"title": "Biên tập viên sửa"})
    assert edited.title == "Biên tập viên sửa"


def test_steps_in_the_wrong_state_are_refused(users, lc_portal, leader):
    article = write(lc_portal, users.lc_clerk)
    with pytest.raises(ValidationError):
        services.leader_approve(leader, article)
    with pytest.raises(ValidationError):
        services.unpublish(users.lc_clerk, article)
    published = services.approve(users.lc_clerk, article)
    with pytest.raises(ValidationError):
        services.submit(users.lc_clerk, published)


def test_scheduled_article_is_not_live_before_publish_at(users, lc_portal):
    later = timezone.now() + dt.timedelta(days=2)
    article = services.approve(users.lc_clerk, write(lc_portal, users.lc_clerk, publish_at=later))
    assert article.status == Status.PUBLISHED and article.published_at == later
    assert live(lc_portal) == []
    Article.objects.filter(pk=article.pk).update(
        publish_at=timezone.now() - dt.timedelta(minutes=1),
        published_at=timezone.now() - dt.timedelta(minutes=1),
    )
    assert live(lc_portal) == [article.pk]


def test_rescheduling_a_published_article_moves_published_at(users, lc_portal):
    article = services.approve(users.lc_clerk, write(lc_portal, users.lc_clerk))
    later = timezone.now() + dt.timedelta(hours=5)
    article = services.schedule(users.lc_clerk, article, publish_at=later, expire_at=None)
    assert article.published_at == later and live(lc_portal) == []
    with pytest.raises(PermissionDenied):
        services.schedule(users.lc_specialist, article, publish_at=None, expire_at=None)


def test_expired_article_is_not_live_and_expiry_must_follow_publication(users, lc_portal):
    soon = timezone.now() + dt.timedelta(hours=1)
    article = services.approve(users.lc_clerk, write(lc_portal, users.lc_clerk, expire_at=soon))
    assert live(lc_portal) == [article.pk]
    Article.objects.filter(pk=article.pk).update(expire_at=timezone.now() - dt.timedelta(1))
    assert live(lc_portal) == []
    with pytest.raises(ValidationError) as info:
        write(lc_portal, users.lc_clerk, publish_at=soon, expire_at=soon - dt.timedelta(hours=2))
    assert "expire_at" in info.value.message_dict
    past = write(lc_portal, users.lc_clerk, expire_at=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(ValidationError) as info:
        services.approve(users.lc_clerk, past)
    assert "expire_at" in info.value.message_dict


def test_unpublish_keeps_the_row_and_it_can_be_published_again(users, lc_portal):
    article = services.approve(users.lc_clerk, write(lc_portal, users.lc_clerk))
    first_published = article.published_at
    article = services.unpublish(users.lc_clerk, article, "Sai số liệu")
    assert article.status == Status.UNPUBLISHED and live(lc_portal) == []
    assert Article.objects.filter(pk=article.pk).exists()
    assert Revision.objects.filter(article=article).count() == 1
    article = services.approve(users.lc_clerk, article)
    assert article.status == Status.PUBLISHED and article.published_at == first_published


# --- audit and page cache -------------------------------------------------------------------


def test_publish_unpublish_and_edit_of_published_are_audited(users, lc_portal, tree):
    article = write(lc_portal, users.lc_clerk)
    services.approve(users.lc_clerk, article, "Duyệt")
    services.update_article(users.lc_clerk, article, {"title": "Tiêu đề đã sửa"}, note="Sửa tít")
    services.unpublish(users.lc_clerk, article)
    entries = audit_entries(article)
    assert [e.action for e in entries] == ["create", "update", "update", "update"]
    assert all(e.scope_path == tree.lc.path for e in entries)
    assert entries[1].changes["status"] == ["draft", "published"] and entries[1].message == "Duyệt"
    assert entries[1].actor == users.lc_clerk
    assert entries[2].changes["title"] == [TITLE, "Tiêu đề đã sửa"]
    assert entries[3].changes["status"] == ["published", "unpublished"]


def test_page_cache_generation_changes_on_publish_edit_unpublish_and_categories(
    users, lc_portal, ht_portal, django_capture_on_commit_callbacks
):
    article = write(lc_portal, users.lc_clerk)
    start = pagecache.generation(lc_portal.pk)
    other = pagecache.generation(ht_portal.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_article(users.lc_clerk, article, {"summary": "Bản nháp"})
    assert pagecache.generation(lc_portal.pk) == start  # a draft: readers see nothing new
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(users.lc_clerk, article)
    published = pagecache.generation(lc_portal.pk)
    assert published > start
    with django_capture_on_commit_callbacks(execute=True):
        services.update_article(users.lc_clerk, article, {"summary": "Đã sửa"})
    edited = pagecache.generation(lc_portal.pk)
    assert edited > published
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(users.lc_clerk, article)
    unpublished = pagecache.generation(lc_portal.pk)
    assert unpublished > edited
    with django_capture_on_commit_callbacks(execute=True):
        services.create_category(users.lc_clerk, lc_portal, {"name": "Văn hóa - Thể thao"})
    assert pagecache.generation(lc_portal.pk) > unpublished
    assert pagecache.generation(ht_portal.pk) == other


# --- revisions ------------------------------------------------------------------------------


def test_every_save_keeps_a_revision_and_revert_restores_as_a_new_one(users, lc_portal):
    article = write(lc_portal, users.lc_clerk, tags="Tháng Công nhân, An toàn lao động")
    services.update_article(
        users.lc_clerk,
        article,
        {"title": "Tiêu đề mới", "body": "<p>Nội dung mới</p>", "tags": "Văn hóa"},
        note="Viết lại",
    )
    unchanged = services.update_article(users.lc_clerk, article, {"title": "Tiêu đề mới"})
    revisions = list(Revision.objects.filter(article=article).order_by("number"))
    assert [r.number for r in revisions] == [1, 2]  # nothing changed: no third revision
    assert unchanged.revision_number == 2
    assert revisions[0].content["title"] == TITLE and revisions[0].content["body"] == BODY
    assert revisions[0].content["tags"] == ["An toàn lao động", "Tháng Công nhân"]
    assert revisions[1].note == "Viết lại" and revisions[1].created_by == users.lc_clerk

    restored = services.revert_to(users.lc_clerk, article, revisions[0])
    assert restored.title == TITLE and restored.body == BODY
    assert sorted(t.name for t in restored.tags.all()) == ["An toàn lao động", "Tháng Công nhân"]
    latest = Revision.objects.get(article=article, number=3)
    assert latest.content["title"] == TITLE and "1" in latest.note
    assert "thang cong nhan" in Article.objects.get(pk=article.pk).search_text


def test_revert_is_an_edit_with_the_same_rights(users, lc_portal):
    article = write(lc_portal, users.lc_clerk)
    services.update_article(users.lc_clerk, article, {"title": "Khác"})
    first = Revision.objects.get(article=article, number=1)
    with pytest.raises(PermissionDenied):
        services.revert_to(users.lc_specialist, article, first)
    another = write(lc_portal, users.lc_clerk, title="Bài khác")
    with pytest.raises(ValidationError):
        services.revert_to(users.lc_clerk, another, first)


# --- fields, slugs, tags, search text -------------------------------------------------------


def test_slugs_are_unique_per_portal_and_stay_once_published(users, lc_portal, ht_portal):
    first = write(lc_portal, users.lc_clerk, title="Đại hội Công đoàn")
    second = write(lc_portal, users.lc_clerk, title="Đại hội Công đoàn")
    third = write(lc_portal, users.lc_clerk, title="Đại hội  công đoàn!")
    elsewhere = write(ht_portal, None, title="Đại hội Công đoàn")
    assert [first.slug, second.slug, third.slug] == [
        "dai-hoi-cong-doan",
        "dai-hoi-cong-doan-2",
        "dai-hoi-cong-doan-3",
    ]
    assert elsewhere.slug == "dai-hoi-cong-doan"
    assert write(lc_portal, users.lc_clerk, title="!!!").slug == "bai-viet"
    draft = services.update_article(users.lc_clerk, second, {"title": "Hội nghị tổng kết"})
    assert draft.slug == "hoi-nghi-tong-ket"  # never published: follows the title
    services.approve(users.lc_clerk, first)
    renamed = services.update_article(users.lc_clerk, first, {"title": "Tên mới"})
    assert renamed.slug == "dai-hoi-cong-doan"  # published: its address stays


def test_bad_input_names_the_field(users, lc_portal, ht_portal):
    foreign = Category.objects.get(portal=ht_portal)
    with pytest.raises(ValidationError) as info:
        services.create_article(users.lc_clerk, lc_portal, {"title": "", "category": foreign})
    assert {"title", "category"} <= set(info.value.message_dict)
    with pytest.raises(ValidationError) as info:
        write(lc_portal, users.lc_clerk, video_url="javascript:alert(1)")
    assert "video_url" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        write(lc_portal, users.lc_clerk, summary="x" * 1001)
    assert "summary" in info.value.message_dict


def test_tags_from_comma_separated_names_and_search_text(users, lc_portal):
    article = write(
        lc_portal,
        users.lc_clerk,
        tags="Tháng Công nhân, An toàn lao động,  tháng công nhân , ,",
        body="<p>Phát động <em>Tháng Công nhân</em> tại Sa Pa.</p>",
    )
    assert sorted(article.tags.values_list("slug", flat=True)) == [
        "an-toan-lao-dong",
        "thang-cong-nhan",
    ]
    again = write(lc_portal, users.lc_clerk, title="Bài thứ hai", tags="An toàn lao động")
    assert Tag.objects.filter(portal=lc_portal).count() == 2
    assert again.tags.get().pk == article.tags.get(slug="an-toan-lao-dong").pk
    assert "sa pa" in article.search_text and "an toan lao dong" in article.search_text
    assert "<em>" not in article.search_text and "lao cai" in article.search_text


def test_staff_reads_are_scoped(users, lc_portal):
    article = write(lc_portal, users.lc_clerk)
    assert selectors.get_staff_article(users.lc_specialist, article.pk) == article
    with pytest.raises(Http404):
        selectors.get_staff_article(users.ht_clerk, article.pk)
    with pytest.raises(Http404):
        selectors.staff_portal(users.ht_clerk, lc_portal.slug)
    with pytest.raises(PermissionDenied):
        services.update_article(users.ht_clerk, article, {"title": "Tỉnh khác sửa"})
    with pytest.raises(PermissionDenied):
        services.create_article(users.chair, lc_portal, {"title": "x", "category": None})


# --- sanitising -----------------------------------------------------------------------------


def test_word_paste_is_cleaned():
    html = sanitize(WORD_PASTE)
    for clutter in ("class=", "style=", "lang=", "<span", "<font", "o:p", "Mso", "mso-", "<!--",
                    "supportLists", "<xml", "WordDocument", "file:", "<img", "&nbsp;", "\xa0",
                    "·", "<h1", 'name="'):  # fmt: skip
        assert clutter not in html, clutter
    assert "<h2>Hội nghị Ban Chấp hành lần thứ 5</h2>" in html
    assert "<p><strong>Sáng 15/3,</strong> Liên đoàn Lao động tỉnh <em>Lào Cai</em>" in html
    assert "<p>Thông qua nghị quyết</p>" in html
    assert (
        '<a href="https://congdoan.vn/tin-tuc" rel="noopener noreferrer">Tin liên quan</a>' in html
    )
    assert '<td colspan="2"><p>Số đoàn viên</p></td>' in html
    assert "<p></p>" not in html and "<p>\n" not in html
    assert text_of(html).splitlines()[:2] == [
        "Hội nghị Ban Chấp hành lần thứ 5",
        "Sáng 15/3, Liên đoàn Lao động tỉnh Lào Cai tổ chức hội nghị.",
    ]


def test_xss_attempts_are_removed():
    html = sanitize(
        '<p onclick="alert(1)">Xin chào<script>alert("x")</script>'
        '<img src="/media/portal/1/a.jpg" alt="Ảnh" onerror="alert(1)">'
        '<img src="x" onerror="alert(2)" alt="x">'
        '<a href="javascript:alert(3)">một</a> <a href="JaVaScRiPt:alert(4)">hai</a> '
        '<a href=" java&#09;script:alert(5)">ba</a> '
        '<a href="data:text/html;base64,PHNjcmlwdD4=">bốn</a>'
        '<iframe src="https://www.youtube.com/embed/abc"></iframe>'
        '<svg onload="alert(6)"></svg><style>p{color:red}</style></p>'
        '<img src="https://evil.example/x.jpg" alt="ngoài">'
        '<img src="//evil.example/media/x.jpg" alt="z">'
    )
    for bad in ("script", "onerror", "onclick", "javascript", "alert", "iframe", "svg", "data:",
                "evil", "<style", 'src="x"'):  # fmt: skip
        assert bad not in html.lower(), bad
    assert '<img src="/media/portal/1/a.jpg" alt="Ảnh">' in html
    assert "một hai ba bốn" in html  # the links lose the address, keep the words


def test_pictures_need_alt_and_figures_need_a_picture():
    html = sanitize(
        '<figure><img src="/media/a.jpg"><figcaption>Không có mô tả</figcaption></figure>'
        '<figure><img src="/media/b.jpg" alt="Đoàn viên dự hội nghị">'
        "<figcaption>Hội nghị</figcaption></figure>"
        '<p><a href="mailto:congdoan@laocai.gov.vn">Thư</a> <a href="/noi-bo">nội bộ</a></p>'
    )
    assert "a.jpg" not in html and "Không có mô tả" not in html
    assert '<figure><img src="/media/b.jpg" alt="Đoàn viên dự hội nghị">' in html
    assert 'href="mailto:congdoan@laocai.gov.vn"' in html and "/noi-bo" not in html
    assert sanitize("<p>&nbsp;</p><p> </p>") == "" and sanitize("") == ""


def test_body_is_sanitised_on_save(users, lc_portal):
    article = write(
        lc_portal, users.lc_clerk, body='<p style="color:red">Hi<script>x()</script></p>'
    )
    assert article.body == "<p>Hi</p>"
    article = services.update_article(
        users.lc_clerk, article, {"body": '<p><a href="javascript:x()">x</a></p>'}
    )
    assert Article.objects.get(pk=article.pk).body == "<p>x</p>"


def test_videos_embed_only_from_youtube_nocookie():
    expected = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert video_embed_url("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=30") == expected
    assert video_embed_url("https://youtu.be/dQw4w9WgXcQ") == expected
    assert video_embed_url("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ") == expected
    assert video_embed_url("https://vimeo.com/1234") is None
    assert video_embed_url("https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ") is None


# --- pictures -------------------------------------------------------------------------------


def test_png_upload_makes_the_sizes(users, lc_portal):
    image = services.upload_image(
        users.lc_specialist, lc_portal, picture(), "Đoàn viên dự lễ", "Lễ phát động", "Minh Anh"
    )
    assert (image.width, image.height) == (1600, 900)
    sizes = {}
    for name in ("original", "page", "thumbnail", "share"):
        with getattr(image, name).open("rb") as f:
            sizes[name] = PILImage.open(f).size, PILImage.open(f).format
    assert sizes["original"] == ((1600, 900), "PNG")
    assert sizes["page"] == ((1200, 675), "JPEG")
    assert sizes["thumbnail"] == ((480, 300), "JPEG")
    assert sizes["share"] == ((1200, 630), "JPEG")
    assert image.page.name.startswith(f"portal/{lc_portal.pk}/")
    assert image.uploaded_by == users.lc_specialist
    assert audit_entries(image)[0].action == "create"


def test_jpeg_exif_is_stripped_and_its_orientation_honoured(users, lc_portal):
    exif = PILImage.Exif()
    exif[0x0112] = 6  # rotated: the camera was held upright
    exif[0x010F] = "Máy ảnh của Chủ tịch"
    upload = picture("JPEG", (800, 400), "dien-thoai.jpg", exif=exif.tobytes())
    image = services.upload_image(users.lc_clerk, lc_portal, upload, "Ảnh chụp dọc")
    assert (image.width, image.height) == (400, 800)
    for name in ("original", "page", "thumbnail", "share"):
        with getattr(image, name).open("rb") as f:
            opened = PILImage.open(f)
            assert not opened.getexif(), name
            assert "exif" not in opened.info, name
    with image.page.open("rb") as f:
        assert PILImage.open(f).size == (400, 800)  # narrower than 1200: not enlarged


def test_transparent_png_becomes_webp_and_share_card_jpeg(users, lc_portal):
    logo = PILImage.new("RGBA", (600, 600), (0, 0, 0, 0))
    logo.paste((255, 0, 0, 255), (100, 100, 500, 500))
    buffer = io.BytesIO()
    logo.save(buffer, "PNG")
    upload = SimpleUploadedFile("logo.png", buffer.getvalue())
    image = services.upload_image(users.lc_clerk, lc_portal, upload, "Biểu trưng Công đoàn")
    with image.page.open("rb") as f:
        assert PILImage.open(f).format == "WEBP"
    with image.share.open("rb") as f:
        assert PILImage.open(f).format == "JPEG"


def test_missing_alt_text_is_refused(users, lc_portal):
    with pytest.raises(ValidationError) as info:
        services.upload_image(users.lc_clerk, lc_portal, picture(), "   ")
    assert "alt_text" in info.value.message_dict
    assert Image.objects.count() == 0


def test_a_non_image_named_jpg_is_refused(users, lc_portal):
    fake = SimpleUploadedFile("anh.jpg", b"%PDF-1.4 not a picture at all" * 10)
    with pytest.raises(ValidationError) as info:
        services.upload_image(users.lc_clerk, lc_portal, fake, "Ảnh giả")
    assert "file" in info.value.message_dict
    gif = io.BytesIO()
    PILImage.new("RGB", (10, 10)).save(gif, "GIF")
    with pytest.raises(ValidationError):
        services.upload_image(
            users.lc_clerk, lc_portal, SimpleUploadedFile("a.jpg", gif.getvalue()), "GIF"
        )
    truncated = picture("JPEG", (400, 300), "cut.jpg").read()[:600]
    with pytest.raises(ValidationError):
        services.upload_image(
            users.lc_clerk, lc_portal, SimpleUploadedFile("cut.jpg", truncated), "Cắt"
        )
    assert Image.objects.count() == 0


def test_size_and_pixel_limits(users, lc_portal, settings):
    settings.PORTAL_IMAGE_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as info:
        services.upload_image(users.lc_clerk, lc_portal, picture(), "Quá lớn")
    assert "file" in info.value.message_dict
    settings.PORTAL_IMAGE_MAX_BYTES = 10 * 1024 * 1024
    settings.PORTAL_IMAGE_MAX_PIXELS = 100_000
    with pytest.raises(ValidationError) as info:
        services.upload_image(users.lc_clerk, lc_portal, picture(size=(1000, 1000)), "Bom")
    assert "file" in info.value.message_dict


def test_pictures_of_another_portal_cannot_be_a_cover(users, lc_portal, ht_portal):
    theirs = services.upload_image(users.ht_clerk, ht_portal, picture(), "Ảnh Hà Tĩnh")
    with pytest.raises(ValidationError) as info:
        write(lc_portal, users.lc_clerk, cover=theirs.pk)
    assert "cover" in info.value.message_dict
    with pytest.raises(PermissionDenied):
        services.upload_image(users.ht_clerk, lc_portal, picture(), "Ảnh")


# --- categories -----------------------------------------------------------------------------


def test_categories_are_for_editors_form_a_tree_and_refuse_cycles(users, lc_portal, news):
    with pytest.raises(PermissionDenied):
        services.create_category(users.lc_specialist, lc_portal, {"name": "Mục mới"})
    child = services.create_category(
        users.lc_clerk, lc_portal, {"name": "Tin cơ sở", "parent": news, "order": 5}
    )
    assert child.slug == "tin-co-so" and child.parent == news
    assert [c.name for c, _d in selectors.staff_categories(users.lc_clerk, lc_portal)] == [
        "Tin tức",
        "Tin cơ sở",
    ]
    with pytest.raises(ValidationError) as info:
        services.update_category(users.lc_clerk, news, {"parent": child})
    assert "parent" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.create_category(users.lc_clerk, lc_portal, {"name": "Khác", "slug": "tin-tuc"})
    assert "slug" in info.value.message_dict
    updated = services.update_category(
        users.lc_clerk, child, {"needs_leader_approval": True, "internal": True}
    )
    assert updated.needs_leader_approval and updated.internal
    assert audit_entries(updated)[-1].changes["internal"] == [False, True]


def test_body_headings_never_skip_a_level():
    """Under the page's h1 the body starts at h2 and goes down one level at a time; going back
    up is fine. (Screen readers list headings; a gap reads as a missing section.)"""
    html = sanitize(
        "<h4>Bối cảnh</h4><p>a</p><h4>Chi tiết</h4><h6>Ghi chú</h6><p>b</p>"
        "<h2>Kết quả</h2><blockquote><h4>Trích</h4></blockquote><h3>Kiến nghị</h3>"
    )
    levels = [int(n) for n in re.findall(r"<h(\d)>", html)]
    assert levels == [2, 2, 2, 2, 3, 3]  # h6 is an h4 already, a sibling of "Chi tiết"
    assert "<h2>Bối cảnh</h2>" in html and "<h3>Trích</h3>" in html
    assert sanitize("<h3>A</h3><h4>B</h4><h3>C</h3>") == "<h2>A</h2><h3>B</h3><h2>C</h2>"
    assert sanitize("<h2>A</h2><h3>B</h3><h4>C</h4>") == "<h2>A</h2><h3>B</h3><h4>C</h4>"
