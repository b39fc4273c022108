"""The three seed articles (from ``shared/seeds``): their text, captions and bylines."""

from __future__ import annotations

from typing import Any

LAO_CAI: dict[str, Any] = {
    "title": "Công đoàn Lào Cai đẩy mạnh cải cách hành chính",
    "summary": "Hướng đến mục tiêu xây dựng chính quyền phục vụ, đáp ứng tốt nhất yêu cầu của "
    "người dân, tổ chức, doanh nghiệp theo chỉ đạo của Chính phủ, Tổng Liên đoàn lao "
    "động Việt Nam, Liên đoàn lao động (LĐLĐ) tỉnh đã tập trung chỉ đạo thực hiện "
    "công tác cải cách hành chính, phù hợp với chức năng, nhiệm vụ của tổ chức.",
    "blocks": [
        ("figure", "LĐLĐ tỉnh tăng cường tổ chức các hội nghị, cuộc thi theo hình thức trực tuyến"),
        (
            "p",
            "Thời gian qua, các cấp công đoàn tích cực, chủ động triển khai các nhiệm vụ cải "
            "cách hành chính, đạt được những kết quả bước đầu, chuyển biến tích cực như: Tổ "
            "chức bộ máy được triển khai đồng bộ, khắc phục tình trạng chồng chéo, vướng mắc "
            "ngay trong quá trình kiện toàn tổ chức từng cơ quan, đơn vị; hiệu quả quản lý, "
            "đào tạo đội ngũ cán bộ, công chức được nâng cao; ứng dụng rộng rãi công nghệ "
            "thông tin trong công tác chuyên môn và tổ chức hoạt động công đoàn.",
        ),
        (
            "p",
            "Những năm qua, việc ứng dụng công nghệ thông tin được triển khai rộng rãi trong "
            "toàn hệ thống công đoàn trong tỉnh. Các văn bản chỉ đạo, hướng dẫn, thông tin "
            "phản ánh hoạt động của tổ chức công đoàn hay chế độ, chính sách pháp luật... "
            "được cập nhật kịp thời trên cổng thông tin điện tử nội bộ có địa chỉ "
            "“http://liendoanlaodong.laocai.org.vn”; phần mềm quản lý nhận, gửi văn bản "
            "Plutus 8.5, ioffice được thực hiện đồng bộ, xuyên suốt, thành thạo ở các bộ "
            "phận chuyên môn. Các văn bản được chuyển đến cơ sở kịp thời thông qua ứng dụng "
            "công nghệ thông tin, tiết kiệm được thời gian, kinh phí in ấn văn phòng phẩm.",
        ),
        (
            "p",
            "Việc trao đổi thông tin trực tuyến giữa các cấp công đoàn được thực hiện đa "
            "dạng, linh hoạt, cập nhật nhanh, chính xác, kịp thời. Bên cạnh đó, các cấp công "
            "đoàn đã chỉ đạo và thực hiện tốt ứng dụng công nghệ thông tin trong công tác "
            "truyền thông công đoàn. Điển hình là đã khai thác, tận dụng được thế mạnh của "
            "mạng xã hội để thành lập các trang mạng xã hội của các cấp công đoàn Lào Cai, "
            "đăng tải, cập nhật, tuyên truyền các nội dung và tăng cường tổ chức, vận động "
            "đoàn viên tham gia cuộc thi, hội nghị trực tuyến.",
        ),
        (
            "p",
            "Đồng chí Nguyễn Hữu Long, Chủ tịch Liên đoàn lao động (LĐLĐ) tỉnh cho biết: "
            "Công tác cải cách hành chính đã nhận được sự đồng thuận cao của các cấp công "
            "đoàn. Nhận thức rõ về vị trí, vai trò của tổ chức, các cấp công đoàn đã tập "
            "trung vận động đoàn viên, công chức, viên chức, lao động gương mẫu, đi đầu "
            "trong thực hiện cải cách hành chính, thi đua thực hiện tốt chức trách, nhiệm vụ "
            "được giao, cải tiến lề lối làm việc, cải cách thủ tục hành chính, nâng cao hiệu "
            "quả công tác. Kết quả phong trào đã góp phần tạo chuyển biến trong công tác cải "
            "cách hành chính, nâng cao tinh thần, trách nhiệm thực thi nhiệm vụ, nhất là "
            "tinh thần, thái độ phục vụ của cán bộ, công chức, viên chức. Các thủ tục hành "
            "chính rõ ràng, minh bạch, tạo thuận lợi, giảm phiền hà cho các cấp công đoàn, "
            "đoàn viên.",
        ),
        (
            "p",
            "Các cấp công đoàn đã tuyên truyền, vận động và triển khai nhiều phong trào thi "
            "đua có liên quan tới cải cách hành chính như: “Tham mưu giỏi, phục vụ tốt”, "
            "“Xây dựng cơ quan văn hóa và ngày làm việc 8 giờ chất lượng, hiệu quả”, “Luyện "
            "tay nghề, thi thợ giỏi, phát huy sáng kiến, cải tiến kỹ thuật”, “Lao động giỏi, "
            "lao động sáng tạo”, “Cán bộ, công chức, viên chức thi đua thực hiện văn hóa "
            "công sở”... Các phong trào thi đua thường xuyên được đổi mới hình thức, nội "
            "dung phù hợp với thực tế công tác, chuyên môn của đơn vị, đã phát huy được tính "
            "tích cực, sáng tạo, cổ vũ đoàn viên, lao động. Riêng phong trào thi đua “Lao "
            "động giỏi, lao động sáng tạo” trở thành phong trào thi đua trọng tâm, lan tỏa "
            "rộng rãi. Từ năm 2018 đến nay, đã có gần 6.000 sáng kiến kinh nghiệm, sáng kiến "
            "cải tiến kỹ thuật, hợp lý hóa sản xuất được các cấp công nhận, ứng dụng vào "
            "công tác, sản xuất, có giá trị làm lợi và tiết kiệm về kinh tế khoảng 17 tỷ "
            "đồng; 26 cá nhân được Tổng LĐLĐ Việt Nam vinh danh “Lao động sáng tạo”.",
        ),
        (
            "figure",
            "Cán bộ công đoàn tăng cường ứng dụng công nghệ thông tin trong thực hiện nhiệm "
            "vụ công tác",
        ),
        (
            "p",
            "Thực hiện Nghị quyết số 18-NQ/TW về tiếp tục đổi mới, sắp xếp tổ chức bộ máy "
            "của hệ thống chính trị tinh gọn, hoạt động hiệu lực, hiệu quả và Nghị quyết số "
            "19-NQ/TW về tiếp tục đổi mới hệ thống tổ chức và quản lý, nâng cao chất lượng "
            "của các đơn vị sự nghiệp công lập của Ban Chấp hành Trung ương Đảng khóa XII, "
            "Ban Thường vụ LĐLĐ tỉnh đã thực hiện hiệu quả việc tinh giản biên chế, tinh gọn "
            "bộ máy. LĐLĐ tỉnh đã xây dựng đề án, phân tích những thuận lợi, khó khăn, từ đó "
            "có phương án sắp xếp, bố trí phù hợp. Kết quả, từ năm 2015 đến nay, LĐLĐ tỉnh "
            "đã tinh gọn, giảm 14 đầu mối (9 công đoàn giáo dục huyện, thành phố; 2 công "
            "đoàn ngành, 2 ban chuyên môn và 1 trung tâm bồi dưỡng cán bộ công đoàn) và giảm "
            "19 cán bộ công đoàn chuyên trách.",
        ),
        (
            "p",
            "Việc đánh giá, chấm điểm, phân xếp loại cán bộ, công chức hằng năm đi vào thực "
            "chất, đánh giá theo tiêu chí riêng, góp phần vào công tác quy hoạch, đào tạo, "
            "bồi dưỡng, bổ nhiệm, luân chuyển cán bộ. Phong trào thi đua nâng cao chất lượng "
            "hoạt động của đội ngũ cán bộ công đoàn chuyên trách được thực hiện thường "
            "xuyên, chú trọng khuyến khích cán bộ công đoàn tự học tập, nâng cao trình độ, "
            "phát huy tính chủ động, sáng tạo trong thực hiện nhiệm vụ được giao. LĐLĐ tỉnh "
            "thường xuyên xem xét, điều động, luân chuyển cán bộ công đoàn chuyên trách công "
            "tác ở các vị trí khác nhau, vừa hướng về cơ sở, vừa rèn luyện được khả năng, "
            "trách nhiệm của cán bộ trên các lĩnh vực, địa phương công tác...",
        ),
        (
            "p",
            "Những kết quả trong công tác công đoàn tham gia thực hiện cải cách hành chính "
            "đã góp phần nâng cao chất lượng hoạt động công đoàn, tinh thần, trách nhiệm làm "
            "việc, hiệu quả công việc của đội ngũ cán bộ công đoàn. Từ đó, phục vụ ngày một "
            "tốt hơn nhu cầu của tổ chức, đoàn viên, người lao động.",
        ),
    ],
    "byline": "Lan Hương",
    "source": "Báo Lào Cai",
    "views": 330,
}

BAC_KAN: dict[str, Any] = {
    "title": "Liên đoàn Lao động tỉnh tập trung sắp xếp, tinh gọn bộ máy hành chính",
    "summary": "Thời gian qua, Liên đoàn Lao động tỉnh đã tích cực thực hiện các biện pháp cải "
    "cách hành chính, trong đó tập trung sắp xếp, tổ chức bộ máy, góp phần nâng cao "
    "hiệu lực, hiệu quả hoạt động của đơn vị.",
    "blocks": [
        ("figure", "Hội nghị lần thứ hai Ban Chấp hành Liên đoàn Lao động tỉnh, khoá IX"),
        (
            "p",
            "Để tiến hành sắp xếp tinh gọn và nâng cao hiệu quả hoạt động bộ máy, Liên đoàn "
            "Lao động tỉnh bám sát chủ trương, sự chỉ đạo, hướng dẫn của cấp trên. Cụ thể "
            "như Đề án số 03-ĐA/TU, ngày 31/5/2017 của Tỉnh ủy Bắc Kạn về sắp xếp, kiện toàn "
            "tổ chức bộ máy và tinh giản biên chế nâng cao hiệu quả hoạt động công vụ trong "
            "hệ thống chính trị giai đoạn 2016-2021; Kế hoạch số 70-KH/TU, ngày 07/8/2017 "
            "của Thường trực Tỉnh ủy về sắp xếp tổ chức bộ máy và tinh giản biên chế tại các "
            "cơ quan thuộc khối Đảng, đoàn thể; Hướng dẫn số 704/HD-TLĐ ngày 12/5/2017 về "
            "việc sắp xếp lại công đoàn ngành địa phương, công đoàn giáo dục cấp huyện...",
        ),
        (
            "p",
            "Liên đoàn Lao động tỉnh đã tiến hành rà soát, chức năng, nhiệm vụ, tổ chức bộ "
            "máy, biên chế cán bộ công chức, và người lao động; từ đó đề ra các giải pháp "
            "thực hiện. Tuyên truyền sâu rộng tại các công đoàn cơ sở, nhằm tạo sự đồng "
            "thuận, nhất là những cá nhân, tổ chức chịu sự tác động trực tiếp từ chủ trương "
            "về sắp xếp tinh gọn bộ máy. Theo đó, đa số cán bộ, công chức, người lao động "
            "của ngành đồng thuận với chủ trương tinh gọn bộ máy. Trên cơ sở đó, Liên đoàn "
            "Lao động tỉnh đã sáp nhập từ 5 ban: Ban Công tác cơ sở, Ban Tuyên giáo & Nữ "
            "công, Ban Tài chính, Văn phòng, Ủy ban kiểm tra xuống còn 4 ban, gồm: Ban Công "
            "tác cơ sở, Ban Tổ chức Kiểm tra, Ban Tài chính, Văn phòng. Cùng với đó, từ "
            "01/9/2017 Liên đoàn Lao động tỉnh thực hiện quy trình, sắp xếp bố trí cán bộ "
            "lãnh đạo quản lý phù hợp tình hình thực tế của đơn vị.",
        ),
        (
            "p",
            "Đối với công đoàn ngành, địa phương, căn cứ vào số lượng công đoàn cơ sở và "
            "đoàn viên công đoàn thuộc các công đoàn ngành, Liên đoàn Lao động tỉnh đã xây "
            "dựng phương án và thống nhất với Đảng ủy, Ban giám đốc các sở: Giao thông - Vận "
            "tải, Nông nghiệp và Phát triển nông thôn giải thể công đoàn ngành của 2 đơn vị "
            "nói trên. Hiện Bắc Kạn chỉ còn 2 công đoàn ngành của Y tế và Giáo dục. Thực "
            "hiện chỉ đạo của Tổng liên đoàn Lao động Việt Nam, từ ngày 1/7/2017, Liên đoàn "
            "Lao động tỉnh hướng dẫn, chỉ đạo Ban Thường vụ Liên đoàn Lao động các huyện, "
            "thành phố giải thể công đoàn giáo dục các huyện, thành phố. Theo đó, các công "
            "đoàn cơ sở trường học và công đoàn cơ quan Phòng Giáo dục và Đào tạo chuyển "
            "hoạt động về trực thuộc Liên đoàn Lao động các địa phương.",
        ),
        (
            "p",
            "Đến nay, sau một thời gian giải thể, sáp nhập, sắp xếp bố trí cán bộ, bộ máy "
            "hành chính của Liên đoàn Lao động toàn tỉnh đã ổn định và đi vào hoạt động hiệu "
            "quả hơn. Đây chính là cơ sở, là tiền đề để Liên đoàn Lao động tỉnh tiếp tục đẩy "
            "mạnh thực hiện nhiệm vụ cải cách hành chính, nâng cao hiệu lực, hiệu quả hoạt "
            "động của bộ máy hành chính, xứng đáng là chỗ dựa tin cậy của giai cấp công nhân "
            "và người lao động trong toàn tỉnh./.",
        ),
    ],
    "byline": "Hoàng Thị Chinh, Trưởng ban Tổ chức Kiểm tra, LĐLĐ tỉnh Bắc Kạn",
    "source": "Cổng thông tin LĐLĐ tỉnh Bắc Kạn",
}

HA_TINH: dict[str, Any] = {
    "title": "Công đoàn Viên chức Hà Tĩnh: Văn hóa công sở để phục vụ nhân dân tốt hơn",
    "summary": "Với gần 3.400 đoàn viên sinh hoạt tại 50 công đoàn cơ sở là các cơ quan, ban, "
    "ngành, đoàn thể cấp tỉnh, Công đoàn Viên chức (CĐVC) tỉnh Hà Tĩnh đóng vai trò "
    "quan trọng trong cuộc vận động xây dựng người cán bộ công chức, viên chức “Trung "
    "Thành- Trách nhiệm – Liêm chính- Sáng tạo” gắn với công tác cải cách hành chính "
    "của tỉnh nhà.",
    "blocks": [
        (
            "p",
            "Cải cách hành chính là nội dung lớn, liên quan đến nhiều lĩnh vực và phải thực "
            "hiện nhanh mới theo kịp sự phát triển, hội nhập. Nhận thức được điều đó, thời "
            "gian qua, CĐVC tỉnh đã chỉ đạo các công đoàn cơ sở trực thuộc phát động và "
            "hưởng ứng mạnh mẽ phong trào xây dựng văn hóa công sở, cải cách hành chính.",
        ),
        (
            "figure",
            "Giữ gìn công sở sạch đẹp, văn minh là việc làm được đoàn viên công đoàn cơ sở "
            "BHXH tỉnh thực hiện mỗi ngày.",
        ),
        (
            "p",
            "Tiêu biểu là một số hoạt động như: tổ chức sơ kết 5 năm về “Vai trò của tổ chức "
            "công đoàn trong tham gia cải cách hành chính gắn với thực hiện có hiệu quả Chỉ "
            "thị 35/2008 của Ban Thường vụ Tỉnh ủy”, tọa đàm “Xây dựng đạo đức công vụ người "
            "CBCCVC, chức hội thi “Văn hóa công sở”, cuộc thi “Viết sáng kiến cải cách hành "
            "chính”…",
        ),
        (
            "p",
            "Là một trong những đơn vị đi đầu của CĐVC tỉnh trong phong trào cải cách hành "
            "chính, xây dựng công sở văn hóa, Bảo hiểm Xã hội (BHXH) tỉnh ngày càng khẳng "
            "định được tính chuyên nghiệp trong giải quyết các thủ tục hành chính và tạo ấn "
            "tượng với khách hàng bởi một khuôn viên xanh – sạch – đẹp.",
        ),
        (
            "figure",
            "Việc xây dựng khuôn viên công sở xanh - sạch - đẹp được Công đoàn Viên chức "
            "tỉnh quán triệt đến từng công đoàn cơ sở",
        ),
        (
            "p",
            "Chủ tịch công đoàn cơ sở BHXH tỉnh Nguyễn Xuân Quỳnh cho biết: “Thực hiện chỉ "
            "đạo của công đoàn cấp trên, công đoàn cơ sở đã chủ trì phối hợp với đoàn thanh "
            "niên, hội cựu chiến binh của cơ quan quán triệt đến tất cả đoàn viên phải thực "
            "hiện văn hóa tại nơi làm việc. Theo đó, tất cả các bộ phận phải sắp xếp tài "
            "liệu gọn gàng, ngăn nắp, dễ tra cứu; giữ gìn, chăm sóc khuôn viên xanh – sạch "
            "đẹp và công sở không khói thuốc. Đồng thời, mỗi đoàn viên phải tự nâng cao "
            "trình độ chuyên môn, nghiệp vụ, tiếp cận các văn bản mới để giải quyết công "
            "việc chuyên môn một cách nhanh nhất, chính xác nhất.’",
        ),
        (
            "p",
            "Nhờ chủ động, quyết liệt trong triển khai, đến nay, 13/13 BHXH cấp huyện thực "
            "hiện tiếp nhận và trả kết quả tại trung tâm hành chính công; thực hiện giao "
            "dịch điện tử BHXH trên tất cả các lĩnh vực…; công đoàn cơ sở của đơn vị được "
            "LĐLĐ tỉnh, Tổng LĐLĐ Việt Nam tặng cờ thi đua (năm 2017, 2018).",
        ),
        (
            "figure",
            "Các đơn vị trực thuộc Công đoàn Viên chức Hà Tĩnh luôn đi đầu trong phong trào "
            "cải cách hành chính, đáp ứng ngày càng tốt hơn nhu cầu vụ người dân và các đơn "
            "vị",
        ),
        (
            "p",
            "Bên cạnh xây dựng công sở văn hóa, cải cách thủ tục hành chính thì công đoàn "
            "các đơn vị, cơ quan cấp tỉnh cũng là những hạt nhân trong phong thi đua lao "
            "động giỏi, lao động sáng tạo. Nhiều sáng kiến của đoàn viên, người lao động đã "
            "được áp dụng vào trong thực tiễn mang lại hiệu quả cao trong công tác chuyên "
            "môn .",
        ),
        (
            "p",
            "Sở Khoa học và Công nghệ là một trong những đơn vị phát động sôi nổi phong trào "
            "và nhận được sự hưởng ứng của đông đảo đoàn viên, người lao động.“Sau hơn 3 "
            "tháng phát động cuộc thi sáng kiến, Ban tổ chức đã nhận được 25 giải pháp dự "
            "thi của các tác giả, nhóm tác giả là CCVC trong toàn sở. 16 giải pháp được chọn "
            "vào vòng thi chung kết đều có tính ứng dụng hiệu quả vào công tác quản lý, điều "
            "hành, chuyên môn của cơ quan và thực tiễn đời sống - xã hội” – Phó Giám đốc sở "
            "KH&CN Nguyễn Huy Trọng cho biết.",
        ),
        (
            "figure",
            "Phong trào lao động giỏi, lao động sáng tạo được đông đảo đoàn viên hưởng ứng "
            '(Trong ảnh: Sáng kiến "Sử dụng các chủng vi sinh vật hữu ích trong hạn chế ô '
            'nhiễm rác thải sinh hoạt ở các bãi rác tại Hà Tĩnh" của nhóm tác giả thuộc '
            "Trung tâm Ứng dụng Tiến bộ KH&CN đã được ứng dụng vào xử lý thành công ô nhiễm "
            "tại bãi rác Phượng Thành (xã Đức Hòa – Đức Thọ).",
        ),
        (
            "p",
            'Đạt giải nhất cuộc thi, sáng kiến "Sử dụng các chủng vi sinh vật hữu ích trong '
            'hạn chế ô nhiễm rác thải sinh hoạt ở các bãi rác tại Hà Tĩnh" của nhóm tác giả '
            "thuộc Trung tâm Ứng dụng Tiến bộ KH&CN đã được ứng dụng vào xử lý thành công ô "
            "nhiễm tại bãi rác Phượng Thành (xã Đức Hòa – Đức Thọ).",
        ),
        (
            "p",
            "Bên cạnh đó, nhiều sáng kiến tiêu biểu của các đơn vị như “Đăng ký cấp lại thẻ "
            "BHYT trực tuyến cho đối tượng cá nhân” (BHXH tỉnh), “Phần mềm hệ thống quản lý "
            "hồ sơ văn phòng cấp ủy” (Văn phòng Tỉnh ủy), “Giải pháp tự động hóa việc trả "
            "lời tiến độ giải quyết hồ sơ thủ tục hành chính trên điện thoại thông minh qua "
            "ứng dụng Zalo” (Văn phòng UBND tỉnh)... cũng đã được ứng dụng và đánh giá cao "
            "về ý nghĩa thực tiễn.",
        ),
        (
            "figure",
            "Nhiều hoạt động, phong trào hướng đến lợi ích thiết thực của người lao động "
            "được Công đoàn Viên chức tỉnh triển khai hiệu quả",
        ),
        (
            "p",
            "Chủ tịch CĐVC tỉnh Hà Văn Oanh cho biết: “Trong gần 20 năm xây dựng và phát "
            "triển, CĐVC Hà Tĩnh luôn nỗ lực để khẳng định vị thế, vai trò của mình trong "
            "thực hiện các chức năng, nhiệm vụ của tổ chức công đoàn, góp phần xây dựng tổ "
            "chức công đoàn ngày càng lớn mạnh. Hướng đến kỷ kiệm 90 năm ngày thành lập Công "
            "đoàn Việt Nam, CĐVC tỉnh cũng đã chủ động xây dựng kế hoạch với chủ đề “Mỗi "
            "công đoàn cơ sở một lợi ích đoàn viên”. Nhiều phong trào, hoạt động ý nghĩa "
            "hướng đến đoàn viên, người lao động đã được các đơn vị triển khai hiệu quả.”",
        ),
        (
            "p",
            "Với những nỗ lực đó, CĐVC Hà Tĩnh đã vinh dự được Thủ tướng Chính phủ tặng bằng "
            "khen, Chủ tịch nước tặng Huân chương Lao động hạng Ba; Tổng LĐLĐ Việt Nam, LĐLĐ "
            "tỉnh và UBND tỉnh tặng cờ thi đua xuất sắc; nhiều năm liền được UBND tỉnh công "
            "nhận là tập thể lao động xuất sắc.",
        ),
    ],
    "byline": "",
    "source": "Báo Hà Tĩnh (baohatinh.vn)",
}
