"""Demo portals: LĐLĐ Lào Cai, LĐLĐ Hà Tĩnh and LĐLĐ Thái Nguyên, with the three seed articles
as they were published, and a few short news items each to fill the home pages.

* Lào Cai: "Công đoàn Lào Cai đẩy mạnh cải cách hành chính" (Báo Lào Cai, 330 views), and
  the visitor figures the seed page showed (today 432, this week 4,624, in all 471,542).
* Thái Nguyên: the Bắc Kạn federation's article on streamlining its apparatus. The Bắc Kạn
  federation merged into Thái Nguyên's in 2025, so its story now lives on Thái Nguyên's portal,
  the source saying where it was first published.
* Hà Tĩnh: "Công đoàn Viên chức Hà Tĩnh: Văn hóa công sở để phục vụ nhân dân tốt hơn" (Báo Hà
  Tĩnh), with its five photographs.

Pictures are placeholders drawn with Pillow (a plain colour with the caption on it); their text
alternative is the caption. Everything goes through the editorial services, as an editor would
do it. Loaded once: nothing happens when a portal exists.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from congdoan.portal import demo_seeds, services
from congdoan.portal.models import Article, Category, DailyVisits, Image, Portal

# key, name, slug, parent key, order, internal
CATEGORIES = [
    ("news", "Tin tức", "tin-tuc", None, 1, False),
    ("activities", "Hoạt động công đoàn", "hoat-dong-cong-doan", "news", 2, False),
    ("policy", "Chủ trương – Chính sách", "chu-truong-chinh-sach", None, 3, False),
    (
        "exchange",
        "Trao đổi – Kinh nghiệm – Định hướng – Gương điển hình",
        "trao-doi-kinh-nghiem",
        None,
        4,
        False,
    ),
    ("internal", "Thông tin nội bộ", "thong-tin-noi-bo", None, 9, True),
]
COLOURS = ["#8c1c13", "#1f4e79", "#2e6b3a", "#6b4226", "#4b2e83", "#805b10", "#245d6b"]


@dataclass
class Item:
    """A short demo article."""

    title: str
    category: str
    summary: str
    paragraphs: list[str]
    tags: str = ""
    days_ago: float = 1
    views: int = 0
    featured: bool = False
    picture: bool = True


@dataclass
class Site:
    code: str
    slug: str
    name: str
    tagline: str
    seed: dict[str, Any]
    seed_category: str
    seed_tags: str
    seed_note: str = ""
    items: list[Item] = field(default_factory=list)
    visits: tuple[int, int, int] = (0, 0, 0)  # today, this week, in all


LAO_CAI = Site(
    code="LCI",
    slug="laocai",
    name="Liên đoàn Lao động tỉnh Lào Cai",
    tagline="Cổng thông tin điện tử của Liên đoàn Lao động tỉnh Lào Cai",
    seed=demo_seeds.LAO_CAI,
    seed_category="activities",
    seed_tags="cải cách hành chính, chuyển đổi số, thi đua",
    visits=(432, 4624, 471_542),
    items=[
        Item(
            "Hội nghị Ban Chấp hành LĐLĐ tỉnh sơ kết công tác công đoàn 6 tháng đầu năm",
            "activities",
            "Hội nghị đánh giá kết quả 6 tháng đầu năm và triển khai nhiệm vụ trọng tâm "
            "những tháng cuối năm của các cấp công đoàn trong tỉnh.",
            [
                "Sáu tháng đầu năm, các cấp công đoàn đã kết nạp thêm đoàn viên, thành lập mới "
                "công đoàn cơ sở và tổ chức tốt các hoạt động chăm lo cho người lao động.",
                "Hội nghị thống nhất các nhiệm vụ trọng tâm: đẩy mạnh chuyển đổi số trong hoạt "
                "động công đoàn, nâng cao chất lượng đối thoại và thương lượng tập thể.",
            ],
            tags="hội nghị, chuyển đổi số",
            days_ago=2,
            views=214,
            featured=True,
        ),
        Item(
            "Trao 120 suất quà Tết Sum vầy cho công nhân lao động có hoàn cảnh khó khăn",
            "news",
            "Mỗi suất quà gồm tiền mặt và nhu yếu phẩm, trao tận tay đoàn viên tại các khu "
            "công nghiệp và công đoàn cơ sở.",
            [
                "Chương trình Tết Sum vầy là hoạt động thường niên của tổ chức công đoàn nhằm "
                "chia sẻ khó khăn với đoàn viên, người lao động dịp Tết.",
                "Các suất quà được ưu tiên cho đoàn viên có hoàn cảnh đặc biệt khó khăn, bị tai "
                "nạn lao động hoặc mắc bệnh hiểm nghèo.",
            ],
            tags="Tết Sum vầy, chăm lo đoàn viên",
            days_ago=4,
            views=389,
        ),
        Item(
            "Tập huấn nghiệp vụ công tác công đoàn cho cán bộ công đoàn cơ sở",
            "activities",
            "Hơn 150 chủ tịch, phó chủ tịch công đoàn cơ sở được bồi dưỡng kỹ năng, nghiệp vụ "
            "về tài chính công đoàn và quản lý đoàn viên.",
            [
                "Nội dung tập huấn gồm các quy định mới về tài chính công đoàn, kỹ năng tổ chức "
                "đại hội và sử dụng phần mềm quản lý đoàn viên.",
                "Các học viên được thực hành trực tiếp trên hệ thống văn phòng số của công đoàn.",
            ],
            tags="tập huấn, chuyển đổi số",
            days_ago=6,
            views=147,
        ),
        Item(
            "Hướng dẫn thực hiện chế độ phúc lợi cho đoàn viên công đoàn",
            "policy",
            "LĐLĐ tỉnh hướng dẫn các cấp công đoàn thực hiện thăm hỏi, trợ cấp và các chế độ "
            "phúc lợi cho đoàn viên theo quy định mới.",
            [
                "Công đoàn cơ sở căn cứ nguồn tài chính được phân bổ để xây dựng quy chế chi "
                "thăm hỏi ốm đau, hiếu hỷ và hỗ trợ đoàn viên gặp khó khăn.",
                "Việc chi phải công khai, minh bạch và được báo cáo tại hội nghị đoàn viên.",
            ],
            tags="chính sách, chăm lo đoàn viên",
            days_ago=8,
            views=512,
        ),
        Item(
            "Chương trình “Mái ấm Công đoàn” hỗ trợ xây nhà cho đoàn viên vùng cao",
            "news",
            "Nhiều đoàn viên ở các xã vùng cao đã có nhà ở kiên cố từ sự hỗ trợ của quỹ "
            "“Mái ấm Công đoàn”.",
            [
                "Mỗi ngôi nhà được hỗ trợ kinh phí từ quỹ Mái ấm Công đoàn cùng sự giúp đỡ ngày "
                "công của đồng nghiệp và chính quyền địa phương.",
            ],
            tags="Mái ấm Công đoàn, chăm lo đoàn viên",
            days_ago=11,
            views=276,
        ),
        Item(
            "Gương điển hình: chủ tịch công đoàn cơ sở tận tâm với đoàn viên nơi biên giới",
            "exchange",
            "Gần mười năm gắn bó với công đoàn cơ sở trường học, chị luôn là chỗ dựa tin cậy "
            "của đồng nghiệp.",
            [
                "Từ các phong trào thi đua dạy tốt, học tốt đến việc thăm hỏi từng đoàn viên ốm "
                "đau, chị đều sâu sát, tận tình.",
                "Công đoàn cơ sở nhiều năm liền được công nhận vững mạnh xuất sắc.",
            ],
            tags="gương điển hình, thi đua",
            days_ago=13,
            views=198,
        ),
        Item(
            "Phát động Tháng Công nhân và Tháng hành động về an toàn, vệ sinh lao động",
            "news",
            "Các cấp công đoàn tổ chức nhiều hoạt động thiết thực vì quyền lợi của đoàn viên "
            "và người lao động.",
            [
                "Trong tháng, các cấp công đoàn sẽ tổ chức đối thoại, thăm hỏi công nhân, kiểm "
                "tra điều kiện an toàn, vệ sinh lao động tại doanh nghiệp.",
            ],
            tags="Tháng Công nhân, an toàn lao động",
            days_ago=16,
            views=301,
        ),
        Item(
            "Lịch công tác tuần của Thường trực LĐLĐ tỉnh",
            "internal",
            "Lịch công tác tuần dành cho cán bộ cơ quan LĐLĐ tỉnh.",
            [
                "Thứ Hai: giao ban Thường trực. Thứ Tư: làm việc với LĐLĐ các huyện. "
                "Thứ Sáu: họp cơ quan.",
            ],
            days_ago=1,
            picture=False,
        ),
    ],
)

THAI_NGUYEN = Site(
    code="TNN",
    slug="thainguyen",
    name="Liên đoàn Lao động tỉnh Thái Nguyên",
    tagline="Cổng thông tin điện tử của Liên đoàn Lao động tỉnh Thái Nguyên",
    seed=demo_seeds.BAC_KAN,
    seed_category="exchange",
    seed_tags="sắp xếp bộ máy, cải cách hành chính, Bắc Kạn",
    seed_note=(
        "Bài viết được đăng trên Cổng thông tin của Liên đoàn Lao động tỉnh Bắc Kạn. "
        "Năm 2025, Liên đoàn Lao động tỉnh Bắc Kạn hợp nhất vào Liên đoàn Lao động tỉnh "
        "Thái Nguyên; bài được lưu giữ tại đây."
    ),
    visits=(285, 2140, 198_765),
    items=[
        Item(
            "LĐLĐ tỉnh Thái Nguyên kiện toàn tổ chức sau hợp nhất với LĐLĐ tỉnh Bắc Kạn",
            "activities",
            "Bộ máy các ban, văn phòng và các công đoàn ngành được sắp xếp lại, bảo đảm hoạt "
            "động thông suốt ngay sau khi hợp nhất.",
            [
                "Các công đoàn cơ sở trên địa bàn tỉnh Bắc Kạn trước đây tiếp tục hoạt động, "
                "trực thuộc các công đoàn cấp trên mới theo phương án được phê duyệt.",
                "Hồ sơ, tài liệu và dữ liệu đoàn viên được chuyển giao đầy đủ.",
            ],
            tags="sắp xếp bộ máy, hợp nhất",
            days_ago=2,
            views=640,
            featured=True,
        ),
        Item(
            "Công nhân khu công nghiệp được khám sức khỏe miễn phí",
            "news",
            "Hàng trăm công nhân lao động được khám, tư vấn sức khỏe và cấp thuốc miễn phí.",
            [
                "Chương trình do Công đoàn các Khu công nghiệp tỉnh phối hợp với các bệnh viện "
                "tổ chức vào ngày nghỉ cuối tuần.",
            ],
            tags="chăm lo đoàn viên, khu công nghiệp",
            days_ago=3,
            views=233,
        ),
        Item(
            "Đối thoại giữa lãnh đạo tỉnh với công nhân lao động các khu công nghiệp",
            "news",
            "Nhiều kiến nghị về nhà ở, trường học cho con công nhân và tiền lương được giải "
            "đáp trực tiếp tại buổi đối thoại.",
            [
                "Công đoàn tổng hợp ý kiến của người lao động từ trước và theo dõi việc giải "
                "quyết sau đối thoại.",
            ],
            tags="đối thoại, khu công nghiệp",
            days_ago=5,
            views=418,
        ),
        Item(
            "Hướng dẫn đóng đoàn phí công đoàn theo Luật Công đoàn năm 2024",
            "policy",
            "Những điểm mới về đoàn phí, kinh phí công đoàn mà cán bộ công đoàn cơ sở cần nắm.",
            [
                "Luật Công đoàn năm 2024 có hiệu lực từ ngày 01/7/2025, quy định rõ hơn về "
                "quyền và trách nhiệm của đoàn viên trong việc đóng đoàn phí.",
            ],
            tags="Luật Công đoàn, tài chính công đoàn",
            days_ago=7,
            views=955,
        ),
        Item(
            "Công đoàn Gang thép Thái Nguyên phát huy sáng kiến, tiết kiệm chi phí sản xuất",
            "exchange",
            "Phong trào “Lao động giỏi, lao động sáng tạo” mang lại nhiều sáng kiến có giá trị "
            "làm lợi lớn.",
            [
                "Công đoàn cơ sở khuyến khích người lao động đề xuất cải tiến kỹ thuật và khen "
                "thưởng kịp thời các sáng kiến được áp dụng.",
            ],
            tags="sáng kiến, thi đua",
            days_ago=10,
            views=187,
        ),
        Item(
            "Chợ Tết Công đoàn phục vụ hơn 3.000 đoàn viên, người lao động",
            "activities",
            "Đoàn viên được mua hàng hóa thiết yếu với giá ưu đãi và nhận phiếu quà tặng.",
            ["Chợ Tết Công đoàn được tổ chức trực tuyến và trực tiếp tại các khu công nghiệp."],
            tags="Tết Sum vầy, chăm lo đoàn viên",
            days_ago=14,
            views=342,
        ),
        Item(
            "Tập huấn kỹ năng thương lượng tập thể cho cán bộ công đoàn cơ sở doanh nghiệp",
            "activities",
            "Cán bộ công đoàn được trang bị kỹ năng chuẩn bị, tiến hành thương lượng tập thể.",
            [
                "Học viên thực hành xây dựng dự thảo thỏa ước lao động tập thể có lợi hơn cho "
                "người lao động.",
            ],
            tags="tập huấn, thương lượng tập thể",
            days_ago=18,
            views=120,
        ),
        Item(
            "Danh sách cán bộ được cử đi tập huấn quý III",
            "internal",
            "Danh sách dành cho các ban và văn phòng LĐLĐ tỉnh.",
            ["Các ban rà soát danh sách và gửi Văn phòng trước ngày 15 của tháng."],
            days_ago=1,
            picture=False,
        ),
    ],
)

HA_TINH = Site(
    code="HTH",
    slug="hatinh",
    name="Liên đoàn Lao động tỉnh Hà Tĩnh",
    tagline="Cổng thông tin điện tử của Liên đoàn Lao động tỉnh Hà Tĩnh",
    seed=demo_seeds.HA_TINH,
    seed_category="policy",
    seed_tags="văn hóa công sở, cải cách hành chính, sáng kiến",
    visits=(316, 2875, 254_310),
    items=[
        Item(
            "Hội thi “Văn hóa công sở” thu hút hơn 200 đoàn viên tham gia",
            "activities",
            "Hội thi do Công đoàn Viên chức tỉnh tổ chức góp phần xây dựng môi trường làm việc "
            "văn minh, chuyên nghiệp.",
            [
                "Các đội thi trình bày tiểu phẩm, trả lời câu hỏi về quy tắc ứng xử của cán bộ, "
                "công chức, viên chức.",
            ],
            tags="văn hóa công sở",
            days_ago=2,
            views=287,
            featured=True,
        ),
        Item(
            "Trao học bổng cho con đoàn viên vượt khó học giỏi",
            "news",
            "Những suất học bổng động viên các em tiếp tục nỗ lực trong học tập.",
            ["Học bổng được trích từ quỹ xã hội của công đoàn và sự đóng góp của doanh nghiệp."],
            tags="chăm lo đoàn viên, học bổng",
            days_ago=4,
            views=164,
        ),
        Item(
            "Tọa đàm “Xây dựng đạo đức công vụ của cán bộ, công chức, viên chức”",
            "exchange",
            "Các đại biểu chia sẻ kinh nghiệm nâng cao tinh thần phục vụ nhân dân.",
            [
                "Tọa đàm gắn với cuộc vận động xây dựng người cán bộ, công chức, viên chức "
                "“Trung thành – Trách nhiệm – Liêm chính – Sáng tạo”.",
            ],
            tags="văn hóa công sở, đạo đức công vụ",
            days_ago=6,
            views=203,
        ),
        Item(
            "Triển khai Luật Công đoàn năm 2024 đến cán bộ công đoàn chủ chốt",
            "policy",
            "Hội nghị quán triệt những nội dung mới của Luật Công đoàn năm 2024.",
            [
                "Cán bộ công đoàn chủ chốt các cấp được giới thiệu các điểm mới về quyền, trách "
                "nhiệm của công đoàn và tài chính công đoàn.",
            ],
            tags="Luật Công đoàn",
            days_ago=9,
            views=476,
        ),
        Item(
            "Công đoàn cơ sở BHXH tỉnh: điểm sáng trong cải cách thủ tục hành chính",
            "exchange",
            "Giao dịch điện tử, một cửa liên thông giúp người dân giải quyết thủ tục nhanh hơn.",
            [
                "Đoàn viên công đoàn cơ sở BHXH tỉnh đi đầu trong ứng dụng công nghệ thông tin "
                "để phục vụ người dân và doanh nghiệp.",
            ],
            tags="cải cách hành chính, văn hóa công sở",
            days_ago=12,
            views=158,
        ),
        Item(
            "Khai mạc Giải bóng đá công nhân viên chức lao động toàn tỉnh",
            "news",
            "Giải quy tụ các đội bóng đến từ các công đoàn ngành, địa phương và doanh nghiệp.",
            ["Giải đấu là dịp giao lưu, rèn luyện sức khỏe của đoàn viên, người lao động."],
            tags="thể thao",
            days_ago=15,
            views=221,
        ),
        Item(
            "Thăm hỏi, hỗ trợ đoàn viên bị ảnh hưởng do bão lũ",
            "activities",
            "Các cấp công đoàn kịp thời đến thăm hỏi, hỗ trợ đoàn viên có nhà bị hư hại.",
            [
                "Bên cạnh hỗ trợ tiền mặt, công đoàn vận động đoàn viên góp ngày công giúp "
                "đồng nghiệp khắc phục hậu quả.",
            ],
            tags="chăm lo đoàn viên",
            days_ago=20,
            views=349,
        ),
        Item(
            "Thông báo kết luận giao ban Thường trực LĐLĐ tỉnh",
            "internal",
            "Kết luận giao ban dành cho cán bộ cơ quan LĐLĐ tỉnh.",
            ["Các ban triển khai nhiệm vụ được phân công và báo cáo tại kỳ giao ban tới."],
            days_ago=1,
            picture=False,
        ),
    ],
)

SITES = [LAO_CAI, THAI_NGUYEN, HA_TINH]


# --- placeholder pictures -------------------------------------------------------------------


def _font(size: int) -> Any:
    from PIL import ImageFont

    try:
        from pathlib import Path

        import font_source_sans_pro

        path = Path(font_source_sans_pro.__file__).parent / "files" / "SourceSansPro-Bold.ttf"
        return ImageFont.truetype(str(path), size)
    except (ImportError, OSError):
        return ImageFont.load_default(size=size)


def placeholder(text: str, colour: str, size: tuple[int, int] = (960, 540)) -> SimpleUploadedFile:
    """A plain picture in ``colour`` with ``text`` written on it (JPEG)."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    image = PILImage.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    font = _font(34)
    lines = textwrap.wrap(text, width=46)[:6]
    line_height = 46
    y = (size[1] - line_height * len(lines)) // 2
    for line in lines:
        width = draw.textlength(line, font=font)
        draw.text(((size[0] - width) / 2, y), line, fill="#ffffff", font=font)
        y += line_height
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return SimpleUploadedFile("anh-minh-hoa.jpg", buffer.getvalue(), content_type="image/jpeg")


def _picture(portal: Portal, caption: str, colour: str, credit: str = "") -> Image:
    return services.upload_image(
        None, portal, placeholder(caption, colour), alt_text=caption[:300], caption=caption[:500],
        credit=credit,
    )  # fmt: skip


# --- building -------------------------------------------------------------------------------


def _categories(portal: Portal) -> dict[str, Category]:
    made: dict[str, Category] = {}
    for key, name, slug, parent, order, internal in CATEGORIES:
        made[key] = services.create_category(
            None,
            portal,
            {
                "name": name,
                "slug": slug,
                "parent": made[parent] if parent else None,
                "order": order,
                "internal": internal,
            },
        )
    return made


def _publish(portal: Portal, data: dict[str, Any], *, days_ago: float, views: int = 0) -> Article:
    data = {**data, "publish_at": timezone.now() - dt.timedelta(days=days_ago)}
    article = services.approve(None, services.create_article(None, portal, data))
    if views:
        Article.objects.filter(pk=article.pk).update(view_count=views)
    return article


def _seed_article(site: Site, portal: Portal, categories: dict[str, Category]) -> Article:
    seed = site.seed
    blocks: list[str] = []
    if site.seed_note:
        blocks.append(f"<p><em>{escape(site.seed_note)}</em></p>")
    cover = None
    for n, (kind, text) in enumerate(seed["blocks"]):
        if kind == "p":
            blocks.append(f"<p>{escape(text)}</p>")
            continue
        picture = _picture(portal, text, COLOURS[n % len(COLOURS)])
        if cover is None:
            cover = picture
            continue
        blocks.append(
            f'<figure><img src="{escape(picture.page.url)}" alt="{escape(picture.alt_text)}">'
            f"<figcaption>{escape(text)}</figcaption></figure>"
        )
    return _publish(
        portal,
        {
            "title": seed["title"],
            "summary": seed["summary"],
            "body": "\n".join(blocks),
            "category": categories[site.seed_category],
            "cover": cover,
            "byline": seed.get("byline", ""),
            "source": seed.get("source", ""),
            "tags": site.seed_tags,
            "featured": True,
        },
        days_ago=0.5,
        views=seed.get("views", 0),
    )


def _visits(site: Site, portal: Portal) -> None:
    """Past visits, so that the figures look like the seed page's."""
    from congdoan.portal.counting import today as local_today

    today_n, week_n, total_n = site.visits
    today = local_today()
    monday = today - dt.timedelta(days=today.weekday())
    rows = {today: today_n}
    earlier = [monday + dt.timedelta(days=n) for n in range((today - monday).days)]
    for n, day in enumerate(earlier):
        rows[day] = (week_n - today_n) // len(earlier) + (
            (week_n - today_n) % len(earlier) if n == 0 else 0
        )
    rows[monday - dt.timedelta(days=1)] = total_n - sum(rows.values())
    DailyVisits.objects.bulk_create(
        [DailyVisits(portal=portal, day=day, visits=n) for day, n in rows.items()]
    )


def load_demo_portals(log: Callable[[str], None] = print) -> None:
    if Portal.objects.exists():
        return
    from congdoan.org.models import Unit

    units = {u.code: u for u in Unit.objects.filter(code__in=[s.code for s in SITES])}
    if len(units) < len(SITES):
        return
    with transaction.atomic():
        for site in SITES:
            portal = Portal.objects.create(
                unit=units[site.code], slug=site.slug, name=site.name, tagline=site.tagline
            )
            categories = _categories(portal)
            for n, item in enumerate(site.items):
                cover = None
                if item.picture:
                    cover = _picture(portal, item.title, COLOURS[(n + 3) % len(COLOURS)])
                _publish(
                    portal,
                    {
                        "title": item.title,
                        "summary": item.summary,
                        "body": "\n".join(f"<p>{escape(p)}</p>" for p in item.paragraphs),
                        "category": categories[item.category],
                        "cover": cover,
                        "tags": item.tags,
                        "featured": item.featured,
                    },
                    days_ago=item.days_ago,
                    views=item.views,
                )
            _seed_article(site, portal, categories)
            _visits(site, portal)
            log(f"Portal {portal.name}: /p/{portal.slug}/ ({len(site.items) + 1} articles)")
