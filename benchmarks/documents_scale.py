"""Official documents at national scale on PostgreSQL: mass issue, inbox, search, OCR.

What it builds
--------------
The national organisation of ``benchmarks/org_scale.py`` (imported from it: 34 provinces,
700 upper-level units, ``--grassroots`` grassroots unions alive today, grassroots/7
restructuring events), then, generated deterministically (``random.Random(42)``) and written
with PostgreSQL ``COPY`` (the services are not called per row):

* ``--documents`` documents (default 1,000,000) in ``documents_document``, dated from 2016
  to today in id order: about 55% outgoing (issued, numbered per issuer, year and series as
  ``services.issue`` numbers them, with state-style or công văn symbols; a few drafts) and
  45% incoming (registered at the receiving unit with its incoming number; issued by the
  provincial People's Committee, the Party committee, the social insurance, the upper
  union...), spread over the confederation, the provinces, the upper-level units and the
  grassroots unions. Subjects come from a vocabulary of real union document subjects
  (Tháng Công nhân, an toàn vệ sinh lao động, Tết Sum vầy, đại hội công đoàn...), with
  urgency, confidentiality (about 2% classified), signer, place and recipients text.
  ``search_title`` and ``search_text`` are what ``services.refresh_search_text`` writes: the
  folded symbol, type, issuer, subject, summary and signer, and the same followed by 1–3 KB
  of attachment-like text built from a Vietnamese word list (a few rare words — amiăng,
  đioxin, cađimi, xyanua — in about 0.04% of the documents each); ``search_title`` only when
  the model has it. No ``Attachment`` rows are made: search reads these columns only.
  PostgreSQL computes the generated ``tsvector`` columns on insert; the number series rows
  (``NumberSeries``) are written to match, so a real issue continues them.
* ``--deliveries`` deliveries (default 10,000,000) in ``documents_delivery``, pointing at
  200,000 of those documents (outgoing, issued by the confederation, a province or an
  upper-level unit; fewer with a small ``--documents``), written document by document in
  date order as issues write them. Each document goes to a lognormal number of recipients
  (about 50 on average); recipients are drawn with a skew (provinces and upper-level units
  receive far more than grassroots unions, and unions differ among themselves), and the
  largest province is the chosen unit: it receives exactly 10,000 of the documents.
  Delivery states, openings and acknowledgements follow the document's age.

Plain indexes are dropped for the load and rebuilt after it; foreign keys are checked after
the load with anti-joins (the triggers are off during the COPY when the role may do so).
Then ``VACUUM ANALYZE``.

What it measures
----------------
1. Mass issue: 3 real ``services.issue(None, document)`` of signed documents of the
   confederation whose ``recipient_spec`` is every grassroots union below it
   (``[{"unit": "TLD", "mode": "grassroots"}]``): each issue, the median, and the time in
   the recipient id query (``recipient_unit_ids``), in the COPY of the deliveries
   (``_write_deliveries``) and in the commit (the deferred foreign keys of 140,000 rows are
   checked then). The issue runs inside an outer transaction so that its commit can be timed
   apart. Target: under 10 s each.
2. Inbox of the chosen unit (10,000 documents among all the deliveries): the first page
   ``list(selectors.inbox(user, unit)[:50])`` plus the ``.count()`` a paginator does, by a
   văn thư (who sees classified documents) and by a specialist (who does not, so the query
   filters them out), reading the user's roles from the database each time as a request
   does. Target: 50 ms p95. For information, the last page.
3. Search ``list(search.search(user, q)[:20])`` with and without diacritics ("kế hoạch
   tháng công nhân" / "ke hoach thang cong nhan", "an toàn vệ sinh lao động", a rare word, a
   common word), by a user with ADMIN at the confederation and by a specialist at a random
   province. Target: 100 ms p95. For information, the ``.count()`` the search page's
   paginator adds, for the common word.
4. OCR throughput: 3 A4 pages of Vietnamese text rendered at 300 dpi with Pillow (Source
   Sans Pro, as the member cards use), put into an image-only PDF and read back with
   ``ocr.ocr_pdf``: pages per minute, and the share of the expected words found (folded,
   and exactly with their diacritics). Skipped, with a note, when ``ocr.available()`` is
   False or with ``--skip-ocr``.

Each latency measurement takes ``--samples`` samples after warm-up calls, or stops after
``--budget`` seconds (with at least 20 samples; at least 5 when one call takes longer than
``--budget``/20). When a measurement misses its target, the plan of its queries
(``EXPLAIN (ANALYZE, BUFFERS)``) is printed after the report (every plan with
``--explain``). The report gives the machine's load average before and after the
measurements: other work on the machine slows them.

Running it
----------
::

    .venv/bin/python benchmarks/documents_scale.py \\
        [--database-url postgres://postgres@127.0.0.1:5432/congdoan_documents_bench] \\
        [--grassroots 140000] [--deliveries 10000000] [--documents 1000000] \\
        [--samples 200] [--budget 30] [--small] [--skip-ocr] [--explain] \\
        [--keep] [--drop-existing]

``--small`` is a quick run (5,000 grassroots unions, 200,000 deliveries, 20,000 documents;
explicit options still win). The full default scale takes about half an hour on 2 cores and
about 10 GB of disk. The database is created when missing and dropped at the end unless
``--keep``; an existing database is used only when it has no units (``--drop-existing``
recreates it). The script is a report, not a test: it exits 0 when the run completes,
whatever the figures.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import io
import itertools
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import members_scale  # the users, the budgeted timing and the plans
import org_scale  # the tree builder, the database helpers and the measuring
from org_scale import Result, log

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/congdoan_documents_bench"
SMALL = {"grassroots": 5_000, "deliveries": 200_000, "documents": 20_000}
DEFAULTS = {"grassroots": 140_000, "deliveries": 10_000_000, "documents": 1_000_000}

ISSUE_TARGET_S = 10.0
INBOX_TARGET_MS = 50.0
SEARCH_TARGET_MS = 100.0
ISSUES = 3
INBOX_DOCUMENTS = 10_000  # deliveries of the chosen unit
DELIVERY_DOCUMENTS = 200_000  # the documents the deliveries point at
PAGE = 50  # the inbox page (views.PER_PAGE)
SEARCH_PAGE = 20
MIN_SLOW_SAMPLES = 5
CHUNK = 50_000  # documents generated and copied per batch
DELIVERY_CHUNK = 500_000
FIRST_DAY = dt.date(2016, 1, 4)
OCR_PAGES = 3
OCR_DPI = 300

# --- the vocabulary -------------------------------------------------------------------------

# (type code, weight): công văn, plans, decisions and notices make most of a register.
TYPES: list[tuple[str, float]] = [
    ("CV", 30.0), ("KH", 11.0), ("QĐ", 11.0), ("TB", 9.0), ("BC", 9.0), ("HD", 7.0),
    ("GM", 8.0), ("TTr", 3.0), ("CTr", 3.0), ("NQ", 2.0), ("CT", 1.0), ("QC", 1.0),
    ("BB", 2.0), ("GGT", 1.0), ("PA", 1.0), ("ĐA", 0.5), ("QyĐ", 0.5),
]  # fmt: skip
DEPARTMENTS = ["VP", "ToC", "TG", "CSPL", "UBKT", "NC", "TC", "QHLĐ"]
SUBJECTS = [
    "Kế hoạch tổ chức Tháng Công nhân năm {year}",
    "Về việc triển khai Tháng Công nhân và Tháng hành động về an toàn, vệ sinh lao động năm {year}",
    "Kế hoạch tổ chức Tháng hành động về an toàn, vệ sinh lao động năm {year}",
    "Hướng dẫn tổ chức đại hội công đoàn cơ sở nhiệm kỳ {term}",
    "Báo cáo kết quả hoạt động công đoàn {period} năm {year}",
    "Về việc thăm hỏi, tặng quà đoàn viên, người lao động có hoàn cảnh khó khăn nhân dịp "
    "Tết Nguyên đán {tet}",
    "Quyết định khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong phong trào thi "
    "đua “Lao động giỏi, Lao động sáng tạo” năm {year}",
    "Về việc tổ chức Hội nghị người lao động năm {year}",
    "Kế hoạch kiểm tra, giám sát việc thu, nộp kinh phí công đoàn và đoàn phí công đoàn năm {year}",
    "Thông báo kết luận của Ban Thường vụ về {topic}",
    "Về việc phát triển đoàn viên, thành lập công đoàn cơ sở {period} năm {year}",
    "Hướng dẫn thực hiện Chương trình “Mái ấm Công đoàn” năm {year}",
    "Về việc tổ chức các hoạt động kỷ niệm Ngày thành lập Công đoàn Việt Nam "
    "(28/7/1929 – 28/7/{year})",
    "Kế hoạch tổ chức Giải bóng đá công nhân, viên chức, lao động năm {year}",
    "Về việc đối thoại định kỳ tại nơi làm việc và thương lượng tập thể năm {year}",
    "Kế hoạch tuyên truyền, phổ biến, giáo dục pháp luật cho đoàn viên, người lao động năm {year}",
    "Về việc hỗ trợ đoàn viên, người lao động bị thiệt hại do bão số {n} gây ra",
    "Tờ trình đề nghị phê duyệt dự toán thu, chi tài chính công đoàn năm {next}",
    "Quyết định thành lập Ban Chỉ đạo Tháng Công nhân năm {year}",
    "Chương trình phối hợp giữa Liên đoàn Lao động và Sở Nội vụ về chăm lo cho người lao "
    "động giai đoạn {year} – {plus5}",
    "Về việc mở lớp tập huấn nghiệp vụ cho cán bộ công đoàn cơ sở năm {year}",
    "Báo cáo tình hình quan hệ lao động, tranh chấp lao động và ngừng việc tập thể {period} "
    "năm {year}",
    "Về việc cử cán bộ dự tập huấn công tác nữ công năm {year}",
    "Giấy mời dự Hội nghị tổng kết công tác công đoàn năm {year}, triển khai nhiệm vụ năm {next}",
    "Về việc quán triệt, triển khai Nghị quyết Đại hội XIII Công đoàn Việt Nam",
    "Hướng dẫn xét chọn, tuyên dương đoàn viên, người lao động tiêu biểu năm {year}",
    "Về việc tổ chức Ngày hội văn hóa, thể thao công nhân các khu công nghiệp năm {year}",
    "Kế hoạch triển khai Chương trình “Phúc lợi đoàn viên công đoàn” năm {year}",
    "Về việc khảo sát đời sống, việc làm, thu nhập của đoàn viên, người lao động năm {year}",
    "Thông báo danh sách công đoàn cơ sở hoàn thành tốt nhiệm vụ năm {year}",
    "Về việc thực hiện chế độ bảo hiểm xã hội, bảo hiểm y tế, bảo hiểm thất nghiệp cho người "
    "lao động",
    "Hướng dẫn công tác kiểm tra, giám sát của công đoàn năm {year}",
    "Quyết định chuẩn y kết quả bầu cử Ban Chấp hành công đoàn cơ sở nhiệm kỳ {term}",
    "Về việc xây dựng thiết chế công đoàn tại khu công nghiệp",
    "Kế hoạch tổ chức Chương trình “Tết Sum vầy” năm {tet}",
    "Về việc tăng cường phòng cháy, chữa cháy tại doanh nghiệp trong khu công nghiệp",
    "Báo cáo sơ kết 6 tháng đầu năm {year} phong trào thi đua “Xanh – Sạch – Đẹp, bảo đảm an "
    "toàn, vệ sinh lao động”",
    "Về việc giới thiệu nhân sự tham gia Ban Chấp hành công đoàn nhiệm kỳ {term}",
    "Kế hoạch tổ chức Chương trình “Chuyến xe Công đoàn” đưa công nhân về quê đón Tết {tet}",
    "Về việc trao “Mái ấm Công đoàn” cho đoàn viên có hoàn cảnh khó khăn về nhà ở",
    "Hướng dẫn thực hiện quy chế dân chủ ở cơ sở tại nơi làm việc",
    "Về việc tham gia ý kiến dự thảo Luật Công đoàn (sửa đổi)",
    "Báo cáo tình hình thực hiện lương tối thiểu vùng năm {year}",
    "Kế hoạch bồi dưỡng lý luận chính trị cho cán bộ công đoàn chuyên trách năm {year}",
    "Về việc tổ chức Diễn đàn “Công nhân với pháp luật” năm {year}",
    "Thông báo phân bổ kinh phí hỗ trợ công đoàn cơ sở {period} năm {year}",
    "Quyết định công nhận sáng kiến, giải pháp của người lao động năm {year}",
    "Về việc phòng, chống dịch bệnh tại nơi làm việc",
    "Kế hoạch tổ chức Hội thi “An toàn, vệ sinh viên giỏi” năm {year}",
]
TOPICS = [
    "công tác tổ chức cán bộ",
    "kết quả phát triển đoàn viên quý I",
    "công tác tài chính công đoàn",
    "việc chuẩn bị đại hội công đoàn các cấp",
    "tình hình ngừng việc tập thể tại khu công nghiệp",
    "chương trình phúc lợi cho đoàn viên",
]
PERIODS = ["quý I", "quý II", "quý III", "quý IV", "6 tháng đầu năm", "9 tháng"]
PHRASES = [
    "công đoàn", "đoàn viên", "người lao động", "công nhân", "viên chức", "lao động",
    "doanh nghiệp", "công đoàn cơ sở", "Ban Chấp hành", "Ban Thường vụ", "Liên đoàn Lao động",
    "tổ chức", "thực hiện", "triển khai", "kế hoạch", "hướng dẫn", "báo cáo", "kết quả",
    "nhiệm vụ", "giải pháp", "phong trào thi đua", "an toàn", "vệ sinh lao động",
    "tai nạn lao động", "bệnh nghề nghiệp", "phòng cháy chữa cháy", "Tháng Công nhân",
    "Tháng hành động", "chăm lo", "đời sống", "việc làm", "thu nhập", "tiền lương",
    "lương tối thiểu vùng", "bảo hiểm xã hội", "bảo hiểm y tế", "bảo hiểm thất nghiệp",
    "hợp đồng lao động", "thỏa ước lao động tập thể", "thương lượng tập thể", "đối thoại",
    "quan hệ lao động", "tranh chấp lao động", "ngừng việc tập thể", "quyền lợi",
    "lợi ích hợp pháp", "chính đáng", "đại diện", "bảo vệ", "tuyên truyền", "giáo dục",
    "pháp luật", "chính sách", "chế độ", "Bộ luật Lao động", "Luật Công đoàn", "Nghị quyết",
    "Chỉ thị", "Điều lệ Công đoàn Việt Nam", "kinh phí công đoàn", "đoàn phí",
    "tài chính công đoàn", "dự toán", "quyết toán", "kiểm tra", "giám sát", "Ủy ban Kiểm tra",
    "nữ công", "bình đẳng giới", "gia đình", "trẻ em", "nhà ở", "Mái ấm Công đoàn", "Tết Sum vầy",
    "Chuyến xe Công đoàn", "Phúc lợi đoàn viên", "siêu thị", "ưu đãi", "khen thưởng",
    "tuyên dương", "sáng kiến", "Lao động giỏi", "Lao động sáng tạo", "văn hóa", "thể thao",
    "văn nghệ", "khu công nghiệp", "khu chế xuất", "nhà trọ", "thiết chế công đoàn", "đại hội",
    "nhiệm kỳ", "bầu cử", "nhân sự", "cán bộ công đoàn", "chuyên trách", "không chuyên trách",
    "tập huấn", "bồi dưỡng", "nghiệp vụ", "chuyển đổi số", "phần mềm", "cơ sở dữ liệu",
    "thẻ đoàn viên", "phát triển đoàn viên", "thành lập", "công đoàn ngành",
    "công đoàn cấp trên trực tiếp cơ sở", "Ủy ban nhân dân", "Sở Nội vụ", "Sở Y tế",
    "Bảo hiểm xã hội tỉnh", "Thanh tra", "người sử dụng lao động", "đơn vị", "cơ quan",
    "trường học", "bệnh viện", "xã", "phường", "huyện", "tỉnh", "năm", "tháng", "quý", "ngày",
    "trước ngày", "định kỳ", "thường xuyên", "đột xuất", "đề nghị", "yêu cầu", "đề xuất",
    "kiến nghị", "tham mưu", "phối hợp", "chỉ đạo", "hỗ trợ", "thăm hỏi", "tặng quà",
    "hoàn cảnh khó khăn", "ốm đau", "thai sản", "hưu trí", "trợ cấp", "bão lũ", "thiên tai",
    "dịch bệnh", "khắc phục", "hậu quả", "kịp thời", "đầy đủ", "nghiêm túc", "hiệu quả",
    "thiết thực", "đúng quy định", "theo quy định", "các cấp công đoàn", "trên địa bàn",
    "toàn tỉnh", "toàn quốc", "hằng năm", "số lượng", "chất lượng", "tỷ lệ", "chỉ tiêu", "đạt",
    "vượt", "chưa đạt", "tồn tại", "hạn chế", "nguyên nhân", "bài học kinh nghiệm", "phương hướng",
    "thời gian tới", "Văn phòng", "Ban Tổ chức", "Ban Tuyên giáo", "Ban Chính sách Pháp luật",
    "Ban Nữ công", "Ban Tài chính", "Chủ tịch", "Phó Chủ tịch", "Ủy viên", "thủ trưởng",
    "giám đốc", "tổng hợp", "gửi về", "địa chỉ thư điện tử", "điện thoại", "liên hệ", "đồng chí",
    "trân trọng", "nơi nhận", "lưu", "như trên", "để biết", "để thực hiện", "ban hành",
    "có hiệu lực", "kể từ ngày ký", "căn cứ", "xét đề nghị", "quyết định", "điều", "khoản", "mục",
    "phụ lục", "biểu mẫu", "danh sách", "kèm theo", "công văn", "thông báo", "giấy mời",
    "hội nghị", "hội thảo", "tọa đàm", "diễn đàn", "hội thi", "cuộc thi", "tổng kết", "sơ kết",
    "đánh giá", "xếp loại", "hoàn thành tốt nhiệm vụ", "vững mạnh", "công nhân lao động",
    "người lao động nữ", "lao động di cư", "công nhân khu công nghiệp", "an sinh xã hội",
    "giảm nghèo", "xây dựng Đảng", "hệ thống chính trị", "Mặt trận Tổ quốc", "đoàn thể",
    "Hội Liên hiệp Phụ nữ", "Đoàn Thanh niên", "Hội Cựu chiến binh",
]  # fmt: skip
RARE_WORDS = ["amiăng", "đioxin", "cađimi", "xyanua"]
RARE_SHARE = 0.0004  # of the documents, for each rare word
COMMON_WORDS = ["đoàn", "người", "năm"]
SEARCH_QUERIES: list[tuple[str, list[str]]] = [
    ("'kế hoạch tháng công nhân'", ["kế hoạch tháng công nhân"]),
    ("'an toàn vệ sinh lao động'", ["an toàn vệ sinh lao động"]),
    ("rare word", RARE_WORDS),
    ("common word", COMMON_WORDS),
]
SIGNERS = [
    "Nguyễn Văn Hùng", "Trần Thị Thu Hà", "Lê Quang Minh", "Phạm Thị Lan", "Hoàng Văn Dũng",
    "Vũ Thị Hằng", "Đặng Văn Thành", "Bùi Thị Ngọc Anh", "Đỗ Minh Tuấn", "Ngô Thị Mai",
]  # fmt: skip
POSITIONS = [("CHỦ TỊCH", 2.0), ("PHÓ CHỦ TỊCH", 5.0), ("CHÁNH VĂN PHÒNG", 1.0)]
EXTERNAL = [  # incoming issuers outside the union: (name pattern, abbreviation, weight)
    ("Ủy ban nhân dân {province}", "UBND", 4.0),
    ("Tỉnh ủy {province}", "TU", 2.0),
    ("Sở Nội vụ {province}", "SNV", 1.5),
    ("Bảo hiểm xã hội {province}", "BHXH", 1.5),
    ("Sở Y tế {province}", "SYT", 0.7),
    ("Ban Quản lý các khu công nghiệp {province}", "BQLKCN", 0.8),
    ("Tổng Liên đoàn Lao động Việt Nam", "TLĐ", 2.5),
]

DOCUMENT_COLUMNS = (
    "id, direction, unit_id, status, source, doc_type, number, year, secret_series, symbol, "
    "symbol_key, issuer_name, issuer_code, issued_on, place, subject, summary, body, "
    "signer_name, signer_position, signer_authority, signed_at, urgency, confidentiality, "
    "recipient_spec, recipients_text, file_unit_id, copies, legal_references, incoming_number, "
    "received_on, deadline, edxml_document_id, recalled_at, recall_reason, public, created_at, "
    "updated_at, search_text"
)
DELIVERY_COLUMNS = (
    "id, document_id, recipient_id, state, urgency, classified, sent_at, opened_at, acknowledged_at"
)


def cumulative(weights: Sequence[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def province_place(name: str) -> str:
    """ "Thành phố Hà Nội" -> "Hà Nội", "tỉnh Lào Cai" -> "Lào Cai"."""
    for prefix in ("Thành phố ", "tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


# --- the generated documents ----------------------------------------------------------------


@dataclass
class Corpus:
    """What the generator needs of the organisation, and what it made."""

    tree: org_scale.Tree
    chosen: int  # the unit whose inbox is measured
    level_units: dict[str, list[int]]  # "root", "province", "upper", "grassroots" (alive)
    documents: int = 0
    outgoing: int = 0
    incoming: int = 0
    classified: int = 0
    rare: dict[str, int] = field(default_factory=dict)
    # the documents the deliveries point at: (id, created_at, urgency, classified)
    sent: list[tuple[int, dt.datetime, int, bool]] = field(default_factory=list)
    series: dict[tuple[int, int, str], int] = field(default_factory=dict)
    text_bytes: int = 0
    deliveries: int = 0


class Writer:
    """Deterministic document rows with their folded search text."""

    def __init__(self, corpus: Corpus, rng: random.Random, today: dt.date) -> None:
        from congdoan.core.text import fold
        from congdoan.documents import symbols
        from congdoan.documents.models import TYPE_NAMES

        self.corpus, self.rng, self.today = corpus, rng, today
        self.fold, self.symbols = fold, symbols
        self.folded: dict[str, str] = {}
        self.type_names = TYPE_NAMES
        self.has_title = has_search_title()
        self.has_unit_path = has_field("unit_path")
        self.path_of = corpus.tree.path_of
        self.types = [t for t, _w in TYPES]
        self.types_cum = cumulative([w for _t, w in TYPES])
        self.phrases = PHRASES
        # Word frequencies follow a Zipf-like law over the phrase list (shuffled once).
        order = list(range(len(PHRASES)))
        rng.shuffle(order)
        self.phrase_cum = cumulative([1 / (rank + 2) ** 0.9 for rank in order])
        self.sentences = [self._sentence() for _ in range(20_000)]
        self.positions = [p for p, _w in POSITIONS]
        self.positions_cum = cumulative([w for _p, w in POSITIONS])
        self.external_cum = cumulative([w for *_x, w in EXTERNAL])
        units = corpus.tree.units
        self.units = units
        places = {p: province_place(units[p - 1].place) for p in corpus.tree.province_ids}
        places[0] = "Hà Nội"
        self.place_of = places
        # Who issues (outgoing) and who registers (incoming), by level, then within a level.
        levels = corpus.level_units
        weights = {
            p: w for p, (_n, w) in zip(corpus.tree.province_ids, org_scale.PROVINCES, strict=True)
        }
        within = {
            "root": [1.0],
            "province": [weights[p] for p in levels["province"]],
            "upper": [rng.lognormvariate(0, 0.6) for _ in levels["upper"]],
            "grassroots": [rng.lognormvariate(0, 1.0) for _ in levels["grassroots"]],
        }
        self.within = {k: cumulative(v) for k, v in within.items()}
        self.out_levels = (["root", "province", "upper", "grassroots"], [3, 27, 30, 40])
        self.in_levels = (["province", "upper", "grassroots"], [30, 30, 40])
        self.sent_levels = (["root", "province", "upper"], [10, 45, 45])

    def fold_cached(self, text: str) -> str:
        folded = self.folded.get(text)
        if folded is None:
            if len(self.folded) > 200_000:
                self.folded.clear()
            folded = self.folded[text] = self.fold(text)
        return folded

    def _sentence(self) -> tuple[str, str]:
        rng = self.rng
        words = rng.choices(self.phrases, cum_weights=self.phrase_cum, k=rng.randint(6, 22))
        text = " ".join(words)
        text = text[0].upper() + text[1:] + rng.choice([".", ".", ".", ";", ":"])
        return text, self.fold(text)

    def pick_unit(self, levels: tuple[list[str], list[int]]) -> int:
        rng = self.rng
        level = rng.choices(levels[0], weights=levels[1], k=1)[0]
        units = self.corpus.level_units[level]
        cum = self.within[level]
        return units[bisect.bisect(cum, rng.random() * cum[-1])]

    def subject(self, year: int) -> str:
        rng = self.rng
        return rng.choice(SUBJECTS).format(
            year=year,
            next=year + 1,
            plus5=year + 5,
            tet=f"{year + 1}" if rng.random() < 0.5 else f"{year}",
            term=f"{year - year % 5 + 3} – {year - year % 5 + 8}",
            period=rng.choice(PERIODS),
            topic=rng.choice(TOPICS),
            n=rng.randint(1, 12),
        )

    def attachment(self) -> tuple[int, str]:
        """(rare word index or -1, folded text of 1–3 KB)."""
        rng = self.rng
        target = rng.randint(1000, 3000)
        parts, size = [], 0
        while size < target:
            _text, folded = self.sentences[rng.randrange(len(self.sentences))]
            parts.append(folded)
            size += len(folded) + 1
        rare = -1
        if rng.random() < RARE_SHARE * len(RARE_WORDS):
            rare = rng.randrange(len(RARE_WORDS))
            word = RARE_WORDS[rare]
            parts.insert(
                rng.randrange(len(parts)),
                self.fold_cached(f"Kiểm tra nồng độ {word} trong môi trường lao động."),
            )
        return rare, " ".join(parts)

    def number(self, unit: int, year: int, kind: str) -> int:
        key = (unit, year, kind)
        value = self.corpus.series.get(key, 0) + 1
        self.corpus.series[key] = value
        return value

    def row(self, doc_id: int, created: dt.datetime, sent: bool) -> tuple[Any, ...]:
        """One document in DOCUMENT_COLUMNS order."""
        rng, corpus = self.rng, self.corpus
        day = created.date()
        year = day.year
        outgoing = sent or rng.random() < 0.55
        doc_type = self.types[bisect.bisect(self.types_cum, rng.random() * self.types_cum[-1])]
        urgency = rng.choices((0, 1, 2, 3), weights=(80, 12, 6, 2))[0]
        confidentiality = 0
        if rng.random() < 0.02:
            confidentiality = 1 if rng.random() < 0.85 else 2
        subject = self.subject(year)
        summary, summary_folded = self.sentences[rng.randrange(len(self.sentences))]
        signer = rng.choice(SIGNERS)
        position = self.positions[
            bisect.bisect(self.positions_cum, rng.random() * self.positions_cum[-1])
        ]
        if outgoing:
            unit = self.pick_unit(self.sent_levels if sent else self.out_levels)
            spec = self.units[unit - 1]
            issuer, issuer_code = spec.name, spec.code
            issued = rng.random() < 0.97 or sent or day < self.today - dt.timedelta(days=60)
            if issued:
                secret = confidentiality > 0
                number = self.number(unit, year, "out-secret" if secret else "out")
                drafting = rng.choice(DEPARTMENTS) if doc_type == "CV" else ""
                symbol = self.symbols.build(
                    number,
                    type_abbreviation=doc_type,
                    issuer_abbreviation=spec.abbreviation,
                    drafting_abbreviation=drafting,
                )
                status, issued_on, signed_at = "issued", day, created
            else:
                secret, number, symbol = False, None, ""
                status = rng.choice(["draft", "review", "signed"])
                issued_on, signed_at = None, created if status == "signed" else None
            source, incoming_number, received_on, deadline = "drafted", None, None, None
            doc_year = year if issued else None
            if sent:
                spec_json = json.dumps(
                    [{"unit": spec.code, "mode": rng.choice(["grassroots", "kind", "unit"])}]
                )
            else:
                spec_json = "[]"
            recipients = "- Như trên;\n- Lưu: VT."
            file_unit: int | None = unit
            corpus.outgoing += 1
        else:
            unit = self.pick_unit(self.in_levels)
            province = self.units[unit - 1].province
            name, abbreviation, _w = EXTERNAL[
                bisect.bisect(self.external_cum, rng.random() * self.external_cum[-1])
            ]
            issuer = name.format(province=self.units[province - 1].place)
            issuer_code = ""
            issued_on = day - dt.timedelta(days=rng.randint(1, 12))
            if issued_on.year != year:
                issued_on = dt.date(year, 1, 1)
            number = rng.randint(1, 3000)
            symbol = f"{number:02d}/{doc_type}-{abbreviation}"
            if doc_type == "CV":
                symbol = f"{number:02d}/{abbreviation}-VP"
            status = rng.choices(
                ["registered", "assigned", "in_progress", "done"], weights=(5, 10, 10, 75)
            )[0]
            source = rng.choices(["internal", "paper", "edxml", "email"], weights=(50, 30, 15, 5))[
                0
            ]
            secret, doc_year, signed_at = False, issued_on.year, None
            incoming_number = self.number(unit, year, "in")
            received_on = day
            deadline = day + dt.timedelta(days=rng.randint(5, 30)) if rng.random() < 0.3 else None
            spec_json, recipients, file_unit = "[]", "", None
            corpus.incoming += 1
        if confidentiality:
            corpus.classified += 1
        rare, attachment = self.attachment()
        if rare >= 0:
            corpus.rare[RARE_WORDS[rare]] = corpus.rare.get(RARE_WORDS[rare], 0) + 1
        type_name = self.type_names[doc_type]
        # The folded parts joined by spaces are the fold of the parts joined by spaces:
        # what services.refresh_search_text writes (checked on a sample in check_search_text).
        title = " ".join(
            p
            for p in (
                self.fold(symbol) if symbol else "",
                self.fold_cached(type_name),
                self.fold_cached(issuer),
                self.fold_cached(subject),
                summary_folded,
                self.fold_cached(signer),
            )
            if p
        )
        search_text = f"{title} {attachment}"
        corpus.text_bytes += len(search_text)
        recalled = created + dt.timedelta(days=2) if rng.random() < 0.002 else None
        public = outgoing and status == "issued" and confidentiality == 0 and rng.random() < 0.05
        return (
            doc_id,
            "out" if outgoing else "in",
            unit,
            status,
            source,
            doc_type,
            number,
            doc_year,
            secret,
            symbol,
            self.symbols.key(symbol) if symbol else "",
            issuer,
            issuer_code,
            issued_on,
            self.place_of[self.units[unit - 1].province],
            subject,
            summary,
            "",
            signer,
            position,
            "TM. BAN THƯỜNG VỤ" if outgoing else "",
            signed_at,
            urgency,
            confidentiality,
            spec_json,
            recipients,
            file_unit,
            1,
            "",
            incoming_number,
            received_on,
            deadline,
            "",
            recalled,
            "Ban hành nhầm, thay bằng văn bản khác." if recalled else "",
            public,
            created,
            created,
            search_text,
            *((title,) if self.has_title else ()),
            *((self.path_of[unit],) if self.has_unit_path else ()),
        )


def has_field(name: str) -> bool:
    """Whether this version of the model has the field (the script also measures older ones)."""
    from congdoan.documents.models import Document

    return any(f.name == name for f in Document._meta.get_fields())


def has_search_title() -> bool:
    """Whether the model keeps the folded metadata apart (``search_title``)."""
    return has_field("search_title")


def document_columns() -> str:
    columns = DOCUMENT_COLUMNS + (", search_title" if has_search_title() else "")
    return columns + (", unit_path" if has_field("unit_path") else "")


def level_units(tree: org_scale.Tree) -> dict[str, list[int]]:
    return {
        "root": [1],
        "province": list(tree.province_ids),
        "upper": list(tree.upper_ids),
        "grassroots": list(tree.live_grassroots),
    }


def creation_times(rng: random.Random, total: int, today: dt.date) -> Iterator[dt.datetime]:
    """Office-hour moments from FIRST_DAY to today, increasing with the id."""
    span = (today - FIRST_DAY).days
    for n in range(total):
        day = FIRST_DAY + dt.timedelta(days=n * span // total)
        if day.weekday() >= 5:  # registers are written on working days
            day -= dt.timedelta(days=day.weekday() - 4)
        seconds = 60 * 60 + n % 8 * 3600 + rng.randrange(3600)  # 08:00–16:00 local time
        yield dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) + dt.timedelta(
            seconds=seconds
        )


def secondary_indexes(table: str) -> list[tuple[str, str]]:
    return members_scale.secondary_indexes((table,))


def may_skip_triggers() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


def load_documents(corpus: Corpus, total: int, sent_count: int, rng: random.Random) -> None:
    """COPY ``total`` documents (``sent_count`` of them the delivered ones) and their series."""
    from django.db import connection, transaction
    from django.utils import timezone

    today = timezone.localdate()
    writer = Writer(corpus, rng, today)
    sent_ids = set(rng.sample(range(1, total + 1), sent_count))
    indexes = secondary_indexes("documents_document")
    skip = may_skip_triggers()
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor
        if skip:
            cursor.execute("SET LOCAL session_replication_role = replica")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        log(f"  dropped {len(indexes)} plain indexes of documents_document; generating")
        times = creation_times(rng, total, today)
        columns = document_columns()
        doc_id = 0
        while doc_id < total:
            started = time.perf_counter()
            rows = []
            for _ in range(min(CHUNK, total - doc_id)):
                doc_id += 1
                created = next(times)
                sent = doc_id in sent_ids
                row = writer.row(doc_id, created, sent)
                if sent:
                    corpus.sent.append((doc_id, created, row[22], row[23] > 0))
                rows.append(row)
            generated = time.perf_counter() - started
            with cursor.copy(f"COPY documents_document ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            corpus.documents = doc_id
            log(
                f"  {doc_id:,} documents (generated in {generated:.1f} s, copied in "
                f"{time.perf_counter() - started - generated:.1f} s)"
            )
        check_search_text(writer)
        series = [(u, y, k, n) for (u, y, k), n in corpus.series.items()]
        with cursor.copy(
            "COPY documents_numberseries (unit_id, year, kind, last_number) FROM STDIN"
        ) as copy:
            for row in series:
                copy.write_row(row)
        log(f"  {len(series):,} number series")
        started = time.perf_counter()
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        log(f"  rebuilt {len(indexes)} indexes in {time.perf_counter() - started:.1f} s")
        for table in ("documents_document", "documents_numberseries"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE(MAX(id), 1)) FROM {table}"
            )
        log("  committing")


def check_search_text(writer: Writer) -> None:
    """The generated search text of a sample equals fold() of its parts joined, as
    services.refresh_search_text computes it (the attachment text is rebuilt unfolded)."""
    fold = writer.fold
    rng = random.Random(1)
    for _ in range(200):
        parts = [rng.choice(SUBJECTS).format(year=2024, next=2025, plus5=2029, tet="2025",
                                             term="2023 – 2028", period="quý I",
                                             topic=TOPICS[0], n=3)]  # fmt: skip
        sentences = [writer.sentences[rng.randrange(len(writer.sentences))] for _ in range(3)]
        parts += [s[0] for s in sentences]
        built = " ".join([fold(parts[0])] + [s[1] for s in sentences])
        if built != fold(" ".join(parts)):
            raise SystemExit(f"documents_scale: folded parts differ from fold(): {parts!r}")


def plan_recipient_counts(rng: random.Random, documents: int, total: int, cap: int) -> list[int]:
    """How many recipients each delivered document has: lognormal, summing to ``total``."""
    raw = [rng.lognormvariate(0, 1.3) for _ in range(documents)]
    scale = total / sum(raw)
    counts = [min(max(1, round(r * scale)), cap) for r in raw]
    diff = total - sum(counts)
    while diff:
        i = rng.randrange(documents)
        if diff > 0 and counts[i] < cap:
            step = min(diff, cap - counts[i])
            counts[i] += step
            diff -= step
        elif diff < 0 and counts[i] > 1:
            step = min(-diff, counts[i] - 1)
            counts[i] -= step
            diff += step
    return counts


def delivery_rows(
    corpus: Corpus, total: int, rng: random.Random, now: dt.datetime
) -> Iterator[list[tuple[Any, ...]]]:
    """Deliveries document by document, in date order; the chosen unit gets exactly
    INBOX_DOCUMENTS of them, the other units a skewed share of the rest."""
    levels = corpus.level_units
    chosen = corpus.chosen
    # Provinces and upper-level units receive far more than a grassroots union.
    pool: list[int] = []
    weights: list[float] = []
    for level, share in (("province", 0.03), ("upper", 0.12), ("grassroots", 0.85)):
        units = [u for u in levels[level] if u != chosen]
        draws = [rng.lognormvariate(0, 0.8 if level != "grassroots" else 1.1) for _ in units]
        scale = share / sum(draws)
        pool += units
        weights += [d * scale for d in draws]
    cum = cumulative(weights)
    sent = corpus.sent
    to_chosen = set(rng.sample(range(len(sent)), INBOX_DOCUMENTS))
    counts = plan_recipient_counts(rng, len(sent), total - INBOX_DOCUMENTS, max(len(pool) // 2, 1))
    delivery_id = 0
    batch: list[tuple[Any, ...]] = []
    for index, (doc_id, created, urgency, classified) in enumerate(sent):
        want = counts[index]
        picked: set[int] = set()
        while len(picked) < want:
            picked.update(rng.choices(pool, cum_weights=cum, k=want - len(picked)))
        if index in to_chosen:
            picked.add(chosen)
        sent_at = created + dt.timedelta(seconds=rng.randrange(60, 1800))
        age = (now - sent_at).days
        for recipient in sorted(picked):
            delivery_id += 1
            state, opened, acknowledged = "delivered", None, None
            draw = rng.random()
            if age > 7 or draw < 0.5:
                if draw < 0.6:
                    state = "acknowledged"
                    opened = sent_at + dt.timedelta(hours=1 + delivery_id % 40)
                    acknowledged = opened + dt.timedelta(minutes=5 + delivery_id % 90)
                elif draw < 0.9:
                    state = "opened"
                    opened = sent_at + dt.timedelta(hours=2 + delivery_id % 70)
            batch.append(
                (delivery_id, doc_id, recipient, state, urgency, classified, sent_at, opened,
                 acknowledged)
            )  # fmt: skip
            if len(batch) >= DELIVERY_CHUNK:
                yield batch
                batch = []
    if batch:
        yield batch


def load_deliveries(corpus: Corpus, total: int, rng: random.Random) -> None:
    from django.db import connection, transaction

    now = dt.datetime.now(dt.UTC)
    indexes = secondary_indexes("documents_delivery")
    skip = may_skip_triggers()
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor
        if skip:
            cursor.execute("SET LOCAL session_replication_role = replica")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        log(f"  dropped {len(indexes)} plain indexes of documents_delivery; generating")
        started = time.perf_counter()
        for batch in delivery_rows(corpus, total, rng, now):
            with cursor.copy(f"COPY documents_delivery ({DELIVERY_COLUMNS}) FROM STDIN") as copy:
                for row in batch:
                    copy.write_row(row)
            corpus.deliveries += len(batch)
            log(
                f"  {corpus.deliveries:,} deliveries "
                f"({corpus.deliveries / (time.perf_counter() - started):,.0f} rows/s)"
            )
        started = time.perf_counter()
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        log(f"  rebuilt {len(indexes)} indexes in {time.perf_counter() - started:.1f} s")
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('documents_delivery', 'id'), "
            "COALESCE(MAX(id), 1)) FROM documents_delivery"
        )
        log("  committing")


def check_foreign_keys() -> list[str]:
    """Every foreign key of the loaded rows points at a row (the load ran without triggers)."""
    from django.db import connection

    checks = {
        "delivery → document": """SELECT count(*) FROM documents_delivery d
            WHERE NOT EXISTS (SELECT 1 FROM documents_document x WHERE x.id = d.document_id)""",
        "delivery → unit": """SELECT count(*) FROM documents_delivery d
            WHERE NOT EXISTS (SELECT 1 FROM org_unit u WHERE u.id = d.recipient_id)""",
        "document → unit": """SELECT count(*) FROM documents_document d
            WHERE NOT EXISTS (SELECT 1 FROM org_unit u WHERE u.id = d.unit_id)
               OR (d.file_unit_id IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM org_unit u WHERE u.id = d.file_unit_id))""",
        "number series → unit": """SELECT count(*) FROM documents_numberseries s
            WHERE NOT EXISTS (SELECT 1 FROM org_unit u WHERE u.id = s.unit_id)""",
    }
    broken = []
    with connection.cursor() as cursor:
        for label, sql in checks.items():
            cursor.execute(sql)
            count = cursor.fetchone()[0]
            if count:
                broken.append(f"{label}: {count}")
    return broken


# --- measuring ------------------------------------------------------------------------------


def timed(
    label: str,
    call: Callable[[Any], Any],
    args: Sequence[Any],
    target: float | None,
    budget: float,
    before: Callable[[Any], None] | None = None,
    warmup: int = 3,
) -> Result:
    """members_scale.timed, with fewer samples (at least MIN_SLOW_SAMPLES) for slow calls."""
    if before:
        before(args[0])
    started = time.perf_counter()
    call(args[0])  # the first warm-up call, timed to size the run
    first = time.perf_counter() - started
    if first * members_scale.MIN_SAMPLES > budget:
        args = args[: max(MIN_SLOW_SAMPLES, int(budget / max(first, 1e-6)))]
    return members_scale.timed(
        label, call, args, target, budget, before=before, warmup=max(warmup - 1, 0)
    )


@dataclass
class IssueRun:
    total: float
    recipients: float  # recipient_unit_ids: the query and the list
    copy: float  # _write_deliveries: COPY of the deliveries
    commit: float
    delivered: int

    @property
    def other(self) -> float:
        return self.total - self.recipients - self.copy - self.commit


def signed_document(root: Any, n: int) -> Any:
    from congdoan.documents import services

    year = dt.date.today().year
    document = services.create_outgoing(
        None,
        root,
        {
            "doc_type": "KH",
            "subject": f"Kế hoạch tổ chức Tháng Công nhân năm {year} (lần gửi {n})",
            "summary": "Các công đoàn cơ sở tổ chức Tháng Công nhân, báo cáo kết quả về công "
            "đoàn cấp trên trực tiếp.",
            "place": "Hà Nội",
            "signer_authority": "TM. ĐOÀN CHỦ TỊCH",
            "signer_position": "PHÓ CHỦ TỊCH",
            "signer_name": "Phan Văn Anh",
            "recipient_spec": [{"unit": root.code, "mode": "grassroots"}],
            "recipients_text": "- Các công đoàn cơ sở;\n- Lưu: VT, Ban QHLĐ.",
        },
    )
    services.submit_for_signature(None, document)
    return services.sign(None, document)


def run_issue(document: Any) -> IssueRun:
    """A real services.issue, with its recipient query, COPY and commit timed apart."""
    from django.db import transaction

    from congdoan.documents import services

    spans: dict[str, float] = {"recipients": 0.0, "copy": 0.0}
    originals = services.recipient_unit_ids, services._write_deliveries

    def spanned(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def inner(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spans[name] += time.perf_counter() - started

        return inner

    services.recipient_unit_ids = spanned("recipients", originals[0])
    services._write_deliveries = spanned("copy", originals[1])
    try:
        started = time.perf_counter()
        with transaction.atomic():  # issue()'s own atomic is a savepoint inside it
            result = services.issue(None, document)
            committing = time.perf_counter()
        ended = time.perf_counter()
    finally:
        services.recipient_unit_ids, services._write_deliveries = originals
    return IssueRun(
        ended - started, spans["recipients"], spans["copy"], ended - committing, result.recipients
    )


def measure_issues(root: Any) -> tuple[Result, list[IssueRun]]:
    log(f"issuing {ISSUES} documents of {root.code} to every grassroots union below it")
    runs = []
    for n in range(1, ISSUES + 1):
        document = signed_document(root, n)
        run = run_issue(document)
        runs.append(run)
        log(
            f"  issue {n}: {run.total:.2f} s for {run.delivered:,} deliveries (recipient query "
            f"{run.recipients:.2f} s, COPY {run.copy:.2f} s, commit {run.commit:.2f} s, "
            f"other {run.other:.2f} s)"
        )
    result = Result(
        "issue to every grassroots union (services.issue)",
        [r.total for r in runs],
        ISSUE_TARGET_S,
        unit="s",
    )
    return result, runs


@dataclass
class InboxUsers:
    clerk: Any  # văn thư at the chosen unit: sees classified deliveries
    specialist: Any  # no documents.secret: classified deliveries are filtered out


def inbox_users(unit: Any) -> InboxUsers:
    from congdoan.accounts.models import User
    from congdoan.accounts.permissions import Role
    from congdoan.accounts.services import grant_role

    clerk = User.objects.create_user(username="bench.vanthu", full_name="Văn thư đo tải")
    grant_role(None, user=clerk, unit=unit, role=Role.CLERK)
    specialist = User.objects.create_user(username="bench.chuyenvien", full_name="Chuyên viên")
    grant_role(None, user=specialist, unit=unit, role=Role.SPECIALIST)
    return InboxUsers(clerk, specialist)


def measure_inbox(
    unit: Any, users: InboxUsers, samples: int, budget: float, always_explain: bool
) -> tuple[list[Result], dict[str, str]]:
    from congdoan.documents import selectors

    def first_page(user: Any) -> int:
        deliveries = selectors.inbox(user, unit)
        count = deliveries.count()  # the paginator counts first
        page = list(deliveries[:PAGE])
        for delivery in page:  # what the table shows: all from the one query
            _ = (delivery.document.symbol, delivery.document.subject, delivery.document.unit.name)
        return count

    def last_page(user: Any) -> int:
        deliveries = selectors.inbox(user, unit)
        count = deliveries.count()
        start = max((count - 1) // PAGE * PAGE, 0)
        return len(list(deliveries[start : start + PAGE]))

    results, plans = [], {}
    log(f"timing the inbox of {unit.code} ({unit.name}), {samples} samples each")
    for label, user, call, target in (
        ("inbox first page + count, văn thư (sees mật)", users.clerk, first_page, INBOX_TARGET_MS),
        ("inbox first page + count, chuyên viên (no mật)", users.specialist, first_page,
         INBOX_TARGET_MS),
        ("inbox last page + count, văn thư", users.clerk, last_page, None),
    ):  # fmt: skip
        result = timed(
            label,
            call,
            [user] * samples,
            target / 1000 if target else None,
            budget,
            before=members_scale.forget_roles,
        )
        results.append(result)
        if always_explain or result.verdict == "MISS":
            plans[label] = members_scale.explain(lambda u=user, c=call: c(u))
    return results, plans


def measure_search(
    users: members_scale.Users,
    samples: int,
    budget: float,
    rng: random.Random,
    always_explain: bool,
) -> tuple[list[Result], dict[str, str]]:
    from congdoan.core.text import fold
    from congdoan.documents import search

    def run(pick: tuple[Any, str]) -> int:
        return len(list(search.search(pick[0], pick[1])[:SEARCH_PAGE]))

    results, plans = [], {}
    log(f"timing the search, up to {samples} samples each")
    for who in ("TLĐ user", "province user"):
        for name, queries in SEARCH_QUERIES:
            for marks in (True, False):
                label = f"search {name}, {'diacritics' if marks else 'no diacritics'}, {who}"
                picks = []
                for i in range(samples):
                    user = users.admin if who == "TLĐ user" else rng.choice(users.province_users)
                    q = queries[i % len(queries)]
                    picks.append((user, q if marks else fold(q)))
                result = timed(
                    label,
                    run,
                    picks,
                    SEARCH_TARGET_MS / 1000,
                    budget,
                    before=lambda pick: members_scale.forget_roles(pick[0]),
                )
                results.append(result)
                if always_explain or (result.verdict == "MISS" and marks):
                    slowest = max(range(len(result.samples)), key=lambda i: result.samples[i])
                    pick = picks[slowest]
                    plans[f"{label}: {pick[1]!r}"] = members_scale.explain(lambda p=pick: run(p))
    # What the search page adds: its paginator counts the matches.
    picks = [(users.admin, COMMON_WORDS[i % len(COMMON_WORDS)]) for i in range(samples)]
    results.append(
        timed(
            "search common word .count() (paginator), TLĐ user",
            lambda pick: search.search(pick[0], pick[1]).count(),
            picks,
            None,
            budget / 2,
            before=lambda pick: members_scale.forget_roles(pick[0]),
            warmup=1,
        )
    )
    return results, plans


# --- OCR ------------------------------------------------------------------------------------


@dataclass
class OcrReport:
    note: str = ""
    pages: int = 0
    seconds: float = 0.0
    words: int = 0
    found_folded: float = 0.0
    found_exact: float = 0.0
    missing: list[str] = field(default_factory=list)

    @property
    def pages_per_minute(self) -> float:
        return self.pages / self.seconds * 60 if self.seconds else 0.0


def ocr_text_pages(rng: random.Random) -> list[list[str]]:
    """The lines of OCR_PAGES pages of an official document in Vietnamese."""
    pages = []
    for n in range(OCR_PAGES):
        lines = []
        if n == 0:
            lines += [
                "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc",
                "Số: 123/KH-TLĐ                         Hà Nội, ngày 15 tháng 3 năm 2025",
                "",
                "KẾ HOẠCH",
                "Tổ chức Tháng Công nhân và Tháng hành động về an toàn, vệ sinh lao động",
                "",
            ]
        words = [
            w for text in rng.sample(SUBJECTS, 12) for w in text.format(
                year=2025, next=2026, plus5=2030, tet="2026", term="2028 – 2033",
                period="quý I", topic=TOPICS[0], n=3
            ).split()
        ] + [w for p in rng.sample(PHRASES, 80) for w in p.split()]  # fmt: skip
        rng.shuffle(words)
        line: list[str] = []
        for word in words:
            line.append(word)
            if len(" ".join(line)) > 62:
                lines.append(" ".join(line))
                line = []
        if line:
            lines.append(" ".join(line))
        pages.append(lines[:40])
    return pages


def render_pdf(pages: list[list[str]]) -> bytes:
    """An image-only PDF: each page an A4 scan at OCR_DPI of the lines, in Source Sans Pro."""
    import font_source_sans_pro
    from PIL import Image, ImageDraw, ImageFont

    files = Path(font_source_sans_pro.__file__).parent / "files"
    regular = ImageFont.truetype(str(files / "SourceSansPro-Regular.ttf"), size=54)  # 13 pt
    bold = ImageFont.truetype(str(files / "SourceSansPro-Bold.ttf"), size=54)
    width, height = round(8.27 * OCR_DPI), round(11.69 * OCR_DPI)
    images = []
    for lines in pages:
        image = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(image)
        y = 240
        for line in lines:
            font = bold if line.isupper() else regular
            draw.text((240, y), line, font=font, fill=0)
            y += 78
        images.append(image)
    out = io.BytesIO()
    images[0].save(out, format="PDF", resolution=OCR_DPI, save_all=True, append_images=images[1:])
    return out.getvalue()


def measure_ocr(skip: bool) -> OcrReport:
    import unicodedata

    from congdoan.core.text import fold

    if skip:
        return OcrReport(note="skipped (--skip-ocr)")
    try:
        from congdoan.documents import ocr
    except ImportError as exc:
        return OcrReport(note=f"skipped: congdoan.documents.ocr cannot be imported ({exc})")
    if not ocr.available():
        log("OCR: ocr.available() is False (ocrmypdf, tesseract-ocr-vie): skipped")
        return OcrReport(note="skipped: ocr.available() is False")
    pages = ocr_text_pages(random.Random(3))
    data = render_pdf(pages)
    log(f"OCR: {len(pages)} pages rendered at {OCR_DPI} dpi ({len(data) / 1e6:.1f} MB PDF)")
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        log(f"  OCR {done}/{total} pages ({time.perf_counter() - started:.1f} s)")

    result = ocr.ocr_pdf(data, progress=progress)
    seconds = time.perf_counter() - started
    expected = {
        w.strip(".,;:“”()–-").lower() for lines in pages for line in lines for w in line.split()
    }
    expected = {unicodedata.normalize("NFC", w) for w in expected if len(w) > 1 and w.isalpha()}
    text = unicodedata.normalize("NFC", result.text).lower()
    exact = {w.strip(".,;:“”()–-") for w in text.split()}
    folded = {fold(w) for w in exact}
    found_exact = sum(1 for w in expected if w in exact)
    found_folded = sum(1 for w in expected if fold(w) in folded)
    missing = sorted(w for w in expected if fold(w) not in folded)
    report = OcrReport(
        pages=result.pages,
        seconds=seconds,
        words=len(expected),
        found_folded=found_folded / len(expected),
        found_exact=found_exact / len(expected),
        missing=missing[:20],
    )
    log(
        f"  {report.pages_per_minute:.1f} pages/min; {report.found_folded:.1%} of "
        f"{report.words} words found folded, {report.found_exact:.1%} with their diacritics"
    )
    return report


def load_average() -> str:
    return " / ".join(f"{v:.1f}" for v in os.getloadavg())


# --- reporting ------------------------------------------------------------------------------


def document_counts(corpus: Corpus) -> dict[str, str]:
    from django.db import connection

    queries = {
        "documents": "SELECT count(*) FROM documents_document",
        "  outgoing issued": """SELECT count(*) FROM documents_document
            WHERE direction = 'out' AND status = 'issued'""",
        "  incoming": "SELECT count(*) FROM documents_document WHERE direction = 'in'",
        "  classified": "SELECT count(*) FROM documents_document WHERE confidentiality > 0",
        "deliveries": "SELECT count(*) FROM documents_delivery",
        "documents delivered": "SELECT count(DISTINCT document_id) FROM documents_delivery",
        "largest inbox": """SELECT max(n) FROM (SELECT count(*) AS n FROM documents_delivery
            GROUP BY recipient_id) s""",
        "median inbox": """SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY n) FROM (
            SELECT count(*) AS n FROM documents_delivery GROUP BY recipient_id) s""",
    }
    out: dict[str, str] = {}
    with connection.cursor() as cursor:
        for label, sql in queries.items():
            cursor.execute(sql)
            out[label] = f"{cursor.fetchone()[0]:,}"
        cursor.execute(
            "SELECT count(*) FROM documents_delivery WHERE recipient_id = %s", [corpus.chosen]
        )
        out["chosen unit's inbox"] = f"{cursor.fetchone()[0]:,}"
        out["search text, average"] = f"{corpus.text_bytes / max(corpus.documents, 1):,.0f} chars"
        for table in ("documents_document", "documents_delivery"):
            cursor.execute("SELECT pg_total_relation_size(%s)", [table])
            out[f"{table} size"] = f"{cursor.fetchone()[0] / 2**30:.2f} GB"
        cursor.execute("SELECT pg_relation_size('documents_document_search_vector')")
        out["search_vector GIN index"] = f"{cursor.fetchone()[0] / 2**20:,.0f} MB"
    for word, count in sorted(corpus.rare.items()):
        out[f"documents with “{word}”"] = f"{count:,}"
    return out


def report(
    org_counts: dict[str, int],
    counts: dict[str, str],
    timings: dict[str, float],
    loads: dict[str, str],
    issue: Result,
    runs: list[IssueRun],
    results: list[Result],
    ocr_report: OcrReport,
) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    line = "-" * 108
    print()
    print(line)
    print("Công Đoàn Số – official documents at national scale (PostgreSQL)")
    print(line)
    print(f"machine cores (os.cpu_count)     {os.cpu_count()}")
    print(f"PostgreSQL                       {server} (shared_buffers {buffers})")
    for label, value in org_counts.items():
        print(f"{label:<33}{value:>14,}")
    for label, value in counts.items():
        print(f"{label:<33}{value:>14}")
    for label, seconds in timings.items():
        print(f"{label:<33}{seconds:>12.1f} s")
    for label, value in loads.items():
        print(f"{'load average, ' + label:<33}{value:>14} (1, 5, 15 min)")
    print(line)
    print(f"{'measurement':<64}{'n':>5}{'p50':>10}{'p95':>10}{'target':>12}{'':>2}result")
    target = f"<{issue.target:.0f} s each" if issue.target else "—"
    print(
        f"{issue.label:<64}{len(issue.samples):>5}{statistics.median(issue.samples):>9.2f}s"
        f"{issue.pct(0.95):>9.2f}s{target:>12}  {issue.verdict}"
    )
    for n, run in enumerate(runs, start=1):
        print(
            f"    issue {n}: {run.total:6.2f} s, {run.delivered:,} deliveries = recipient query "
            f"{run.recipients:.2f} s + COPY {run.copy:.2f} s + commit {run.commit:.2f} s + "
            f"other {run.other:.2f} s"
        )
    print(f"    median of the {len(runs)} issues: {statistics.median(r.total for r in runs):.2f} s")
    for r in results:
        target = f"<{r.target * 1000:.0f} ms p95" if r.target is not None else "—"
        print(
            f"{r.label:<64}{len(r.samples):>5}{r.pct(0.5) * 1000:>8.1f}ms"
            f"{r.pct(0.95) * 1000:>8.1f}ms{target:>12}  {r.verdict}"
        )
    print(line)
    if ocr_report.note:
        print(f"OCR throughput: {ocr_report.note}")
    else:
        print(
            f"{'OCR (ocr.ocr_pdf, image-only PDF, 300 dpi)':<64}{ocr_report.pages:>5}"
            f"{ocr_report.pages_per_minute:>10.1f} pages/min in {ocr_report.seconds:.1f} s"
            f" ({os.cpu_count()} cores)"
        )
        print(
            f"    expected words found: {ocr_report.found_folded:.1%} of {ocr_report.words} "
            f"folded (as search compares), {ocr_report.found_exact:.1%} with their diacritics"
        )
        if ocr_report.missing:
            print(f"    not found (folded): {', '.join(ocr_report.missing)}")
    print(line, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--grassroots", type=int, help="alive today (default 140,000)")
    parser.add_argument("--deliveries", type=int, help="default 10,000,000")
    parser.add_argument("--documents", type=int, help="default 1,000,000")
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument(
        "--budget",
        type=float,
        default=30.0,
        help="seconds per measurement before it stops (after at least 20 samples)",
    )
    parser.add_argument(
        "--small",
        action="store_true",
        help="a quick run: 5,000 grassroots unions, 200,000 deliveries, 20,000 documents",
    )
    parser.add_argument("--skip-ocr", action="store_true", help="do not measure OCR")
    parser.add_argument("--explain", action="store_true", help="print every query plan")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--drop-existing", action="store_true", help="drop the database first if it exists"
    )
    args = parser.parse_args(argv)
    preset = SMALL if args.small else DEFAULTS
    for key, value in preset.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.grassroots < 1000 or args.samples < 10:
        parser.error("use at least 1000 grassroots unions and 10 samples")
    if args.documents < INBOX_DOCUMENTS:
        parser.error(f"use at least {INBOX_DOCUMENTS:,} documents")
    if args.deliveries < 2 * INBOX_DOCUMENTS:
        parser.error(f"use at least {2 * INBOX_DOCUMENTS:,} deliveries")
    sent_count = min(DELIVERY_DOCUMENTS, max(INBOX_DOCUMENTS, args.documents // 5))
    events = max(args.grassroots // 7, 100)

    config = org_scale.database_settings(args.database_url)
    started = time.perf_counter()
    created = org_scale.prepare_database(config, args.drop_existing)
    org_scale.setup_django(args.database_url)
    from django.db import connection

    from congdoan.org.models import Unit

    try:
        timings: dict[str, float] = {}
        timings["migrate"] = org_scale.migrate_empty(config, "documents_scale")
        log(f"migrated in {timings['migrate']:.1f} s; generating the organisation")
        rng = random.Random(42)
        t0 = time.perf_counter()
        tree = org_scale.build_tree(rng, args.grassroots, events)
        org_scale.load(tree, rng)
        timings["organisation load"] = time.perf_counter() - t0
        users = members_scale.make_users(tree.province_ids)
        weights = {p: w for p, (_n, w) in zip(tree.province_ids, org_scale.PROVINCES, strict=True)}
        chosen = max(tree.province_ids, key=lambda p: weights[p])
        corpus = Corpus(tree, chosen, level_units(tree))

        log(f"generating {args.documents:,} documents ({sent_count:,} of them delivered)")
        t0 = time.perf_counter()
        load_documents(corpus, args.documents, sent_count, rng)
        timings["documents load (generate + COPY)"] = time.perf_counter() - t0
        log(f"generating {args.deliveries:,} deliveries")
        t1 = time.perf_counter()
        load_deliveries(corpus, args.deliveries, rng)
        timings["deliveries load (generate + COPY)"] = time.perf_counter() - t1
        t1 = time.perf_counter()
        broken = check_foreign_keys()
        if broken:
            sys.exit("documents_scale: broken foreign keys: " + "; ".join(broken))
        timings["foreign keys checked"] = time.perf_counter() - t1
        t1 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        timings["VACUUM ANALYZE"] = time.perf_counter() - t1
        timings["documents load total"] = time.perf_counter() - t0
        log(f"loaded and analysed in {timings['documents load total']:.1f} s")
        org = org_scale.counts()
        org_counts = {
            "units": org["units"],
            "  grassroots alive": org["  grassroots alive"],
        }
        counts = document_counts(corpus)

        loads = {"before measuring": load_average()}
        log(f"load average (1, 5, 15 min) {loads['before measuring']}")
        root = Unit.objects.get(pk=1)
        issue, runs = measure_issues(root)
        unit = Unit.objects.get(pk=chosen)
        results, plans = measure_inbox(
            unit, inbox_users(unit), args.samples, args.budget, args.explain
        )
        found, search_plans = measure_search(
            users, args.samples, args.budget, random.Random(7), args.explain
        )
        results += found
        plans.update(search_plans)
        ocr_report = measure_ocr(args.skip_ocr)
        loads["after measuring"] = load_average()
        timings["whole run"] = time.perf_counter() - started
        report(org_counts, counts, timings, loads, issue, runs, results, ocr_report)
        for label, plan in plans.items():
            print(f"\n=== {label}\n{plan}")
    finally:
        if created and not args.keep:
            org_scale.drop_database(config)
        elif args.keep:
            log(f"kept the database {config['NAME']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
