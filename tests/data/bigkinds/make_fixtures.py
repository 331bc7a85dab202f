#!/usr/bin/env python3
"""Writes the BIGKinds fixtures of tests/bigkinds.rs and their labels.

Run from anywhere: `python3 tests/data/bigkinds/make_fixtures.py` (needs openpyxl==3.1.5 and
zstandard==0.25.0 from PyPI: `pip install openpyxl==3.1.5 zstandard==0.25.0`).

It writes, beside itself:
    kakao-outage-bigkinds.xlsx   a standard 19-column BIGKinds 뉴스 검색 결과 export (17 rows)
    older-header-bigkinds.xlsx   the header of older exports / re-saves, 4 rows of the above
    edge-cases-bigkinds.xlsx     formula-like text, a 20,000-character 본문, partial and blank
                                 rows, trailing styled empty cells, a second worksheet
    bigkinds-archive.zip         a .zip of inputs: jsonl, xlsx, .md (skipped), .jsonl.gz, .jsonl.zst
    news.jsonl.zst               a zstd-compressed JSONL
    labels.json                  what each file holds, row by row, and the counts bodo must give

Every article text here was written for bodo (MIT, like the repository); none is copied from a
published article. Output is byte-for-byte deterministic: openpyxl's timestamps (docProps/core.xml
and the zip entries' dates) are replaced by a fixed date, and gzip/zstd use fixed settings.
The README beside this script explains each file and each labelled expectation.
"""
import datetime as dt
import gzip
import io
import json
import os
import re
import zipfile

import openpyxl  # 3.1.5
import zstandard  # 0.25.0
from openpyxl.styles import PatternFill

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED = (2022, 10, 24, 0, 0, 0)
FIXED_ISO = "2022-10-24T00:00:00Z"

# The 19 columns of a BIGKinds 뉴스 검색 결과 download, in order.
HEADER = [
    "뉴스 식별자", "일자", "언론사", "기고자", "제목", "통합 분류1", "통합 분류2", "통합 분류3",
    "사건/사고 분류1", "사건/사고 분류2", "사건/사고 분류3", "인물", "위치", "기관", "키워드",
    "특성추출(가중치순 상위 50개)", "본문", "URL", "분석제외 여부",
]
# Older exports and user re-saves: no spaces, 뉴스식별자, 날짜, a trailing empty column.
OLD_HEADER = [
    "뉴스식별자", "날짜", "언론사", "기고자", "제목", "통합분류1", "통합분류2", "통합분류3",
    "사건/사고분류1", "사건/사고분류2", "사건/사고분류3", "인물", "위치", "기관", "키워드",
    "특성추출", "본문", "URL", "분석제외여부", None,
]
# Record keys, in column order.
KEYS = [
    "id", "date", "outlet", "byline", "title", "cat1", "cat2", "cat3", "ev1", "ev2", "ev3",
    "people", "places", "orgs", "keywords", "features", "body", "url", "excluded",
]

# A number in the 일자 column (a re-saved export) and an Excel date cell are marked like this.
NUMBER = "number"
DATE_CELL = "date-cell"

WIRE_BODY = (
    "(성남=연합뉴스) 김도윤 기자 = 15일 오후 3시 19분께 경기 성남시 분당구 삼평동 SK C&C 판교 "
    "데이터센터에서 불이 나 카카오톡과 카카오T, 네이버 일부 서비스가 장애를 겪었다. 소방당국은 "
    "지하 3층 전기실 배터리 랙에서 불이 시작된 것으로 보고 있다. 불은 약 8시간 만에 꺼졌으나 "
    "서버 전원 공급이 차단되면서 카카오 서비스 복구가 늦어지고 있다. 카카오는 이날 밤"
)
COMPENSATION_BODY = (
    "카카오가 서비스 장애 피해 보상을 위해 이용자 피해 접수 창구를 열었다. 홍은택 카카오 대표는 "
    "17일 “무료 서비스 이용자에게도 보상 방안을 검토하겠다”고 밝혔다. 카카오T 택시 기사와 "
    "카카오톡 선물하기 입점 소상공인 등 유료 서비스 이용자의 피해 규모는 수백억원에 이를 것으로 "
    "추정된다. 업계에서는 보상 기준을 두고 적지 않은 논란이 예상된다."
)


def rec(id, date, outlet, byline, title, cats, evs, people, places, orgs, keywords, features,
        body, url="", excluded="", date_kind="text"):
    cats = (cats + ["", "", ""])[:3]
    evs = (evs + ["", "", ""])[:3]
    return {
        "id": id, "date": date, "outlet": outlet, "byline": byline, "title": title,
        "cat1": cats[0], "cat2": cats[1], "cat3": cats[2],
        "ev1": evs[0], "ev2": evs[1], "ev3": evs[2],
        "people": people, "places": places, "orgs": orgs, "keywords": keywords,
        "features": features, "body": body, "url": url, "excluded": excluded,
        "date_kind": date_kind,
    }


FIRE = "사회>사건_사고>화재"
IT = "IT_과학>인터넷_SNS"
IND = "경제>산업_기업"
POL = "정치>행정_자치"

# --------------------------------------------------------------------- kakao-outage-bigkinds
KAKAO = [
    # Row 2-4: one 연합뉴스 wire story and two copies (same 본문, different 언론사 and title).
    rec("07100501.20221015183001001", "20221015", "연합뉴스", "김도윤",
        "판교 데이터센터 화재로 카카오톡·네이버 일부 서비스 장애", [IT, FIRE], [FIRE],
        "", "판교,성남,경기,분당구,삼평동", "SK C&C,카카오,네이버,연합뉴스",
        "판교,데이터센터,화재,카카오톡,카카오T,네이버,서비스,장애,소방당국,전기실,배터리,서버,전원,복구",
        "데이터센터,카카오톡,화재,판교,SK C&C,장애,배터리,전기실,카카오T,소방당국,서버,전원,복구,삼평동",
        WIRE_BODY, "https://www.yna.co.kr/view/AKR20221015041200061"),
    rec("01100611.20221015190502001", "20221015", "서울신문", "김도윤",
        "판교 SK C&C 데이터센터 불…카카오톡 먹통", [IT, FIRE], [FIRE],
        "", "판교,성남,경기,분당구,삼평동", "SK C&C,카카오,네이버,연합뉴스",
        "판교,데이터센터,화재,카카오톡,카카오T,네이버,서비스,장애,소방당국,전기실,배터리,서버,전원,복구",
        "데이터센터,카카오톡,화재,판교,SK C&C,장애,배터리,전기실,카카오T,소방당국,서버,전원,복구,삼평동",
        WIRE_BODY, ""),
    # The second copy's BIGKinds lists differ from the representative's (소방청, 박성하):
    # they must not count in the overlap table, which reads analysed articles only.
    rec("01100201.20221015193011001", "20221015", "국민일보", "김도윤",
        "판교 데이터센터 화재로 카카오톡·네이버 일부 서비스 장애", [IT, FIRE], [FIRE],
        "박성하", "판교,성남,경기,분당구,삼평동", "SK C&C,카카오,네이버,연합뉴스,소방청",
        "판교,데이터센터,화재,카카오톡,카카오T,네이버,서비스,장애,소방당국,전기실,배터리,서버,전원,복구",
        "데이터센터,카카오톡,화재,판교,SK C&C,장애,배터리,전기실,카카오T,소방당국,서버,전원,복구,삼평동",
        WIRE_BODY, "https://news.kmib.co.kr/article/view.asp?arcid=0017607001"),
    # Row 5
    rec("01100901.20221016112233001", "20221016", "한겨레", "이서연,박준호",
        "카카오 홍은택 대표 “서비스 장애 깊이 사과”…완전 복구는 아직", [IT, IND], [],
        "홍은택", "판교,성남,경기", "카카오,카카오페이,다음",
        "카카오,홍은택,대표,사과,데이터센터,화재,이용자,불편,카카오톡,메시지,메일,카카오페이,오류,원인,보상",
        "홍은택,카카오,사과,카카오톡,카카오페이,데이터센터,다음 메일,보상,원인 조사,정상화",
        "홍은택 카카오 대표는 16일 경기 성남시 판교 카카오 아지트에서 열린 기자회견에서 “데이터센터 "
        "화재로 이용자들께 큰 불편을 끼쳐 깊이 사과드린다”고 말했다. 카카오톡 메시지 수발신은 대부분 "
        "정상화됐지만 다음 메일과 카카오페이 일부 기능은 여전히 오류가 이어지고 있다. 홍 대표는 "
        "“원인 조사를 마치는 대로 피해 보상 방안을 마련하겠다”고 덧붙였다.",
        "https://www.hani.co.kr/arti/economy/it/1062918.html"),
    # Row 6: 과기정통부 is the alias BIGKinds wrote; bodo's gazetteer makes it 과학기술정보통신부.
    rec("01100751.20221017104510001", "20221017", "조선일보", "정민호",
        "尹 “카카오 먹통, 국가 기반 시설 준해 관리해야”", ["정치>대통령실", IT], [],
        "윤석열", "용산", "대통령실,카카오,과기정통부",
        "윤석열,대통령,대통령실,수석비서관회의,카카오,서비스,장애,국민,불편,부가통신서비스,기반 시설,재발,방지",
        "윤석열,카카오,국가 기반 시설,부가통신서비스,과학기술정보통신부,재발 방지,이중화,수석비서관회의",
        "윤석열 대통령은 17일 용산 대통령실에서 열린 수석비서관회의에서 “카카오 서비스 장애로 국민 "
        "불편이 컸다”며 “민간 기업이라도 국민 생활에 큰 영향을 주는 부가통신서비스는 국가 기반 "
        "시설에 준해 관리해야 한다”고 말했다. 윤 대통령은 과학기술정보통신부에 재발 방지 대책을 "
        "주문했다. 정부는 데이터센터 이중화 실태를 점검할 계획이다.",
        "https://www.chosun.com/politics/2022/10/17/ABCDEF/"),
    # Row 7: SKC&C (alias without the space) for SK C&C.
    rec("01100401.20221016173020001", "20221016", "동아일보", "최유진",
        "과기정통부, 방송통신재난대응상황실 가동…“신속 복구” 당부", [IT, POL], [],
        "이종호", "정부서울청사,판교", "과학기술정보통신부,카카오,네이버,SKC&C",
        "과기정통부,방송통신재난대응상황실,카카오,네이버,SK C&C,복구,이종호,장관,데이터센터,전원,소방,설비,배터리",
        "방송통신재난대응상황실,이종호,과기정통부,SK C&C,데이터센터,전원 공급,소방 설비,배터리 관리",
        "과기정통부는 16일 정부서울청사에서 방송통신재난대응상황실을 가동하고 카카오와 네이버, SK C&C "
        "관계자들과 복구 상황을 점검했다. 이종호 과기정통부 장관은 “데이터센터 전원 공급이 재개되는 "
        "대로 주요 서비스를 신속히 복구하라”고 당부했다. 과기정통부는 SK C&C 판교 데이터센터의 소방 "
        "설비와 배터리 관리 체계도 조사하기로 했다.",
        "https://www.donga.com/news/Economy/article/all/20221016/115927001/1"),
    # Row 8: the story row 11 (분석제외: 중복) repeats word for word.
    rec("02100101.20221017090511001", "20221017", "매일경제", "한지수",
        "카카오, 피해 접수 창구 개설…“무료 이용자 보상도 검토”", [IND, IT], [],
        "홍은택", "", "카카오",
        "카카오,서비스,장애,피해,보상,이용자,접수,홍은택,택시,기사,카카오톡,선물하기,소상공인,유료",
        "피해 보상,홍은택,카카오,무료 이용자,카카오T,선물하기,소상공인,수백억원,보상 기준",
        COMPENSATION_BODY, "https://www.mk.co.kr/news/it/10497001"),
    # Row 9: 일자 stored as a number (a re-saved export).
    rec("02100601.20221017150000001", 20221017, "한국경제", "오세훈",
        "“데이터센터 이중화 형식뿐”…카카오 재해 복구 체계 도마에", [IT, IND], [],
        "", "판교,춘천", "카카오,네이버",
        "카카오,판교,데이터센터,서버,재해,복구,체계,네이버,춘천,트래픽,분산,서비스,전문가,이중화",
        "이중화,재해 복구,데이터센터,카카오,네이버,춘천,트래픽 분산,서버",
        "카카오가 판교 데이터센터 한 곳에 주요 서버를 몰아 두고 재해 복구 체계를 제대로 갖추지 "
        "않았다는 지적이 나온다. 네이버는 같은 데이터센터에 일부 서버를 두었지만 춘천에 있는 자체 "
        "데이터센터로 트래픽을 분산해 몇 시간 만에 대부분의 서비스를 되살렸다. 전문가들은 카카오의 "
        "데이터센터 이중화가 형식에 그쳤다고 비판했다.",
        "https://www.hankyung.com/it/article/2022101712341", date_kind=NUMBER),
    # Row 10: 일자 as an Excel date cell. SK그룹 and 서울 are gazetteer aliases (SK, 서울특별시).
    rec("01100101.20221018113000001", dt.date(2022, 10, 18), "경향신문", "윤다은",
        "최태원 SK 회장 “국민께 심려 끼쳐 죄송”…데이터센터 화재 사과", [IND], [FIRE],
        "최태원,박성하", "서울,판교", "SK그룹,SK C&C,카카오",
        "최태원,SK그룹,회장,카카오,서비스,장애,원인,SK C&C,판교,데이터센터,화재,고객,국민,사과,재발",
        "최태원,SK그룹,SK C&C,박성하,사과,데이터센터 화재,재발 방지,입장문",
        "최태원 SK그룹 회장이 18일 카카오 서비스 장애의 원인이 된 SK C&C 판교 데이터센터 화재와 "
        "관련해 “고객과 국민께 심려를 끼쳐 죄송하다”고 사과했다. 최 회장은 이날 서울에서 열린 한 "
        "포럼에 참석한 뒤 기자들과 만나 이같이 말했다. 박성하 SK C&C 대표도 별도 입장문을 내고 "
        "재발 방지를 약속했다.",
        "", date_kind=DATE_CELL),
    # Row 11-13: excluded by BIGKinds (분석제외 여부), three distinct values.
    rec("02100311.20221017101500001", "20221017", "서울경제", "한지수",
        "카카오, 피해 접수 창구 열어…무료 이용자 보상도 검토", [IND, IT], [],
        "홍은택", "", "카카오",
        "카카오,서비스,장애,피해,보상,이용자,접수,홍은택,택시,기사,카카오톡,선물하기,소상공인,유료",
        "피해 보상,홍은택,카카오,무료 이용자,카카오T,선물하기,소상공인,수백억원,보상 기준",
        COMPENSATION_BODY, "https://www.sedaily.com/NewsView/26CABCDEF1", excluded="중복"),
    rec("01300101.20221016160000001", "20221016", "경인일보", "정재훈",
        "성남시, 카카오 먹통 지역 상인 피해 조사 착수", ["지역>경기"], [],
        "", "성남,분당구,삼평동", "성남시,카카오",
        "성남시,분당구,삼평동,상인,카카오T,카카오페이,먹통,영업,피해,현황,조사,정부,카카오",
        "성남시,상인 피해,삼평동,카카오페이,카카오T,피해 조사",
        "성남시는 16일 분당구 삼평동 일대 상인들을 대상으로 카카오T와 카카오페이 결제 중단에 따른 "
        "영업 피해 현황 조사를 시작했다. 시는 동 행정복지센터와 시청 누리집에 신고 창구를 마련하고 "
        "이달 말까지 사례를 받는다. 시 관계자는 “골목 상권의 피해 사례를 모아 정부와 업체에 "
        "전달하겠다”고 말했다.",
        "", excluded="예외:지역일반"),
    rec("07101201.20221015201500001", "20221015", "뉴시스", "",
        "[사진] 연기 나는 판교 데이터센터", ["사회>사건_사고"], [FIRE],
        "", "판교,성남,경기", "SK C&C",
        "판교,데이터센터,화재,소방대원,진화,작업",
        "데이터센터,소방대원,진화 작업,판교",
        "[성남=뉴시스] 15일 오후 경기 성남시 분당구 판교의 한 데이터센터 건물 외벽으로 검은 연기가 "
        "피어오르고 있다. 소방대원들이 건물 주변을 통제한 채 진화 작업을 벌이고 있다. "
        "2022.10.15. (사진=독자 제공) photo@newsis.com",
        "", excluded="예외:중복, 포토"),
    # Row 14: a photo item with an empty 본문.
    rec("02100201.20221016080000001", "20221016", "머니투데이", "",
        "[포토] 불 꺼진 판교 데이터센터", ["사회>사건_사고"], [FIRE],
        "", "판교", "SK C&C",
        "판교,데이터센터", "판교,데이터센터", "", ""),
    # Row 15: 홍은택 is named by BIGKinds (it read the whole article) but not in the first 200
    # characters BIGKinds ships, so bodo cannot find it here.
    rec("02100851.20221019140000001", "20221019", "전자신문", "김지현",
        "김범수 “모든 분께 사과”…카카오 비대위서 재발 방지 맡는다", [IT, IND], [],
        "김범수,남궁훈,홍은택", "판교,성남,경기", "카카오",
        "김범수,카카오,창업자,기자회견,서비스,장애,불편,사과,비상대책위원회,재발,방지,원인,규명,남궁훈,대표,사의",
        "김범수,남궁훈,비상대책위원회,재발방지소위원회,사과,사의 표명,판교아지트",
        "김범수 카카오 창업자 겸 미래이니셔티브센터장은 19일 경기 성남시 카카오 판교아지트에서 "
        "기자회견을 열고 “서비스 장애로 불편을 겪은 모든 분께 사과드린다”며 고개를 숙였다. 김 "
        "센터장은 비상대책위원회 재발방지소위원장을 맡아 원인 규명과 대책 마련에 직접 나서겠다고 "
        "말했다. 카카오는 남궁훈 각자대표가 사의를 표명했다고 밝혔다.",
        "https://www.etnews.com/20221019000123"),
    # Row 16: 과방위 is an alias (과학기술정보방송통신위원회).
    rec("08100101.20221020190000001", "20221020", "KBS", "유지훈",
        "과방위, 김범수·최태원·이해진 종합감사 증인 채택 논의", [POL, IT], [],
        "김범수,최태원,이해진", "", "과방위,카카오,SK,네이버,국회",
        "과방위,김범수,카카오,창업자,최태원,SK,이해진,네이버,종합감사,증인,여야,먹통,플랫폼,총수,국정감사",
        "종합감사,증인 채택,김범수,최태원,이해진,플랫폼 기업,총수,책임 소재",
        "국회 과학기술정보방송통신위원회는 20일 전체회의를 열고 김범수 카카오 창업자와 최태원 SK "
        "회장, 이해진 네이버 글로벌투자책임자를 종합감사 증인으로 채택하는 방안을 논의했다. 여야는 "
        "카카오 먹통 사태의 책임 소재를 따지기 위해 플랫폼 기업 총수를 국정감사장에 불러야 한다는 "
        "데 의견을 모았다.",
        "https://news.kbs.co.kr/news/view.do?ncd=5578001"),
    # Row 17: 판교데이터센터 written without a space (bodo writes 판교 데이터센터).
    rec("01100701.20221018133000001", "20221018", "세계일보", "박세영",
        "“주말 장사 통째로 날렸다”…소상공인, 카카오에 실질 보상 요구", [IND, "사회>노동_복지"], [],
        "", "서울,여의도,판교데이터센터", "소상공인연합회,카카오,중소벤처기업부",
        "카카오톡,선물하기,카카오T,소상공인,먹통,사태,손해,피해,보상,소상공인연합회,기자회견,보상안,중소벤처기업부,신고센터",
        "소상공인연합회,소상공인,피해 보상,주말 장사,중소벤처기업부,신고센터,보상안",
        "카카오톡 선물하기와 카카오T를 통해 영업해 온 소상공인들이 먹통 사태로 큰 손해를 봤다며 피해 "
        "보상을 요구하고 나섰다. 소상공인연합회는 18일 서울 여의도에서 기자회견을 열고 “주말 장사를 "
        "통째로 날렸다”며 카카오가 실질적인 보상안을 내놓아야 한다고 주장했다. 중소벤처기업부는 "
        "피해 신고센터를 운영하기로 했다.",
        "https://www.segye.com/newsView/20221018512345"),
    # Row 18: no 인물 or 위치; an organisation list only.
    rec("01100801.20221019170000001", "20221019", "중앙일보", "강민수",
        "당정, 데이터센터 재난관리 의무화…방송통신발전기본법 개정 추진", [POL, IT], [],
        "", "", "국민의힘,국회,과학기술정보통신부",
        "당정,데이터센터,재난관리,방송통신발전기본법,개정,국민의힘,국회,당정협의,부가통신사업자,서비스,안정성,의무",
        "방송통신발전기본법,재난관리,부가통신사업자,당정협의,서비스 안정성,국민의힘",
        "정부와 여당이 데이터센터를 재난관리 대상에 포함하는 방송통신발전기본법 개정을 추진한다. "
        "국민의힘은 19일 국회에서 당정협의를 열고 부가통신사업자의 서비스 안정성 의무를 강화하는 "
        "방안을 논의했다. 과학기술정보통신부는 대형 플랫폼 사업자에게 서버 분산과 비상 전원 확보를 "
        "의무화하는 내용의 시행령 개정안도 마련하기로 했다.",
        "https://www.joongang.co.kr/article/25111234"),
]

# The older-header file repeats rows 5, 6 and 7 of KAKAO (same cells, one date written
# 2022.10.16) and the excluded row 12, under the old header with a trailing empty column.
OLDER = [dict(KAKAO[3]), dict(KAKAO[4]), dict(KAKAO[5]), dict(KAKAO[10])]
OLDER[2]["date"] = "2022.10.16"

# --------------------------------------------------------------------- edge-cases-bigkinds
LONG_BODY = " ".join(
    f"{i}번 항목: 카카오 먹통 사태 이후 점검한 데이터센터 {i % 7 + 1}번 전원 설비의 상태와 조치 결과를 기록한다."
    for i in range(1, 351)
)
assert len(LONG_BODY) < 32767, "an Excel cell holds at most 32,767 characters"

EDGE_ROWS = {
    # Excel row → cells by KEY (a missing key is no cell at all).
    2: dict(id="02100101.20221021090000001", date="20221021", outlet="매일경제", byline="한지수",
            title="=SUM(1)", cat1=IND, people="", places="", orgs="카카오",
            keywords="=SUM(1),카카오,보상,신청,소상공인", features="-보상,+접수,@카카오",
            body="카카오는 21일 서비스 장애 피해 보상 신청 접수 결과를 공개했다. 접수된 피해 사례는 "
                 "10만건을 넘었으며 이 가운데 소상공인이 낸 신청이 가장 많았다. 카카오는 다음 달 "
                 "보상 기준을 확정해 발표할 예정이다.",
            url="", excluded=""),
    3: dict(id="01100611.20221022100000001", date="20221022", outlet="서울신문", byline="",
            title="[전문] 카카오 데이터센터 전원 설비 점검 기록", cat1=IT,
            people="", places="판교", orgs="카카오", keywords="카카오,데이터센터,전원,설비,점검",
            features="전원 설비,점검", body=LONG_BODY, url="", excluded=""),
    # Only 뉴스 식별자, 제목 and 본문: no other cell exists in the row.
    4: dict(id="01101001.20221023093000001",
            title="카카오 비대위, 첫 회의서 원인 조사 일정 공개",
            body="카카오 비상대책위원회는 23일 첫 회의를 열고 데이터센터 화재로 빚어진 서비스 장애의 "
                 "원인 조사 일정을 공개했다. 비대위는 다음 달까지 외부 전문가와 함께 서버 배치와 "
                 "전원 설계를 점검한 뒤 결과를 발표하기로 했다."),
    # 5: no cells at all. 6: every cell an empty string. Neither is a record.
    6: {k: "" for k in KEYS},
    # Only an id, an outlet and a title: no 본문 → rejected (empty body), source :7.
    7: dict(id="02100201.20221023120000001", outlet="머니투데이",
            title="[포토] 판교 데이터센터 앞 취재진"),
    # A 본문 with line breaks inside the cell; 일자 a date-time cell with a time of day.
    8: dict(id="01100901.20221024143000001", date=dt.datetime(2022, 10, 24, 14, 30),
            outlet="한겨레", byline="이서연", title="카카오, 서비스 장애 원인 조사 결과 발표 연기",
            cat1=IT, people="", places="", orgs="카카오,SK C&C",
            keywords="카카오,원인,조사,발표,연기", features="원인 조사,발표 연기",
            body="카카오가 24일로 예정했던 서비스 장애 원인 조사 결과 발표를 미뤘다.\n\n"
                 "회사 측은 SK C&C와 함께 배터리 감식 결과를 더 확인해야 한다고 설명했다.\n"
                 "발표는 이달 말로 늦춰질 전망이다.",
            url="https://www.hani.co.kr/arti/economy/it/1064000.html", excluded="",
            date_kind=DATE_CELL),
}
EDGE_STYLED_EMPTY_ROW = 30  # cells with a fill and no value: Excel's used range reaches here

# --------------------------------------------------------------------- archive and zst
ZIP_JSONL = [
    {"id": "zip-j1", "date": "2022-10-25", "outlet": "연합뉴스", "title": "카카오, 데이터센터 이중화에 4천600억원 투자",
     "body": "카카오는 25일 서비스 장애 재발을 막기 위해 앞으로 5년간 데이터센터와 서버 이중화에 4천600억원을 "
             "투자하겠다고 밝혔다. 안산에 짓는 자체 데이터센터에는 비상 전원과 배터리 화재 대비 설비를 갖춘다."},
    {"id": "zip-j2", "date": "2022-10-26", "outlet": "뉴스1", "title": "방통위, 부가통신사업자 서비스 안정성 실태 점검",
     "body": "방송통신위원회는 26일 이용자가 많은 부가통신사업자의 서비스 안정성 조치 실태를 점검한다고 밝혔다. "
             "점검 대상은 하루 평균 이용자 100만명 이상인 사업자로, 장애 발생 시 이용자 고지 절차도 살핀다."},
]
ZIP_XLSX_ROWS = [
    rec("01100801.20221027090000001", "20221027", "중앙일보", "강민수",
        "카카오 먹통 보상안 발표…무료 이용자에 이모티콘 지급", [IND, IT], [],
        "홍은택", "", "카카오",
        "카카오,먹통,보상안,무료,이용자,이모티콘,지급", "보상안,이모티콘,무료 이용자",
        "카카오가 27일 서비스 장애에 대한 보상안을 내놨다. 무료 서비스 이용자에게는 이모티콘 3종과 "
        "카카오톡 서랍 플러스 1개월 이용권을 주고, 유료 이용자에게는 서비스별 기준에 따라 보상한다. "
        "홍은택 대표는 “보상 기준을 투명하게 공개하겠다”고 말했다."),
    rec("01101001.20221027140000001", "20221027", "한국일보", "조은비",
        "소상공인 “보상 기준 불명확”…카카오 보상안에 불만", [IND], [],
        "", "서울", "카카오,소상공인연합회",
        "소상공인,보상,기준,카카오,보상안,불만", "보상 기준,소상공인,불만",
        "카카오의 보상안 발표 이후 소상공인들 사이에서는 피해 산정 기준이 불명확하다는 불만이 나온다. "
        "택시 기사와 온라인 쇼핑몰 운영자들은 매출 감소를 입증할 방법이 마땅치 않다며 간소한 신청 "
        "절차를 요구했다."),
    rec("01300201.20221027160000001", "20221027", "부산일보", "",
        "지역 소상공인도 카카오 보상 신청 잇따라", ["지역>부산"], [],
        "", "부산", "카카오",
        "지역,소상공인,카카오,보상,신청", "보상 신청,지역 상권",
        "부산 지역 소상공인들도 카카오 서비스 장애에 따른 보상 신청에 나섰다. 지역 상인회는 회원들의 "
        "피해 사례를 모아 일괄 신청하기로 했다.", excluded="예외:지역일반"),
]
ZIP_GZ_JSONL = [
    {"id": "zip-g1", "date": "2022-10-28", "outlet": "서울신문", "title": "데이터센터 배터리 화재 막을 기준 만든다",
     "body": "정부가 데이터센터에서 쓰는 리튬이온 배터리의 화재를 막기 위한 설치 기준을 새로 만든다. 배터리실과 "
             "전기실을 분리하고 화재 감지 설비를 늘리는 방안이 검토되고 있다."},
]
ZIP_ZST_JSONL = [
    {"id": "zip-z1", "date": "2022-10-29", "outlet": "전자신문", "title": "클라우드 업계 “재해복구 수요 늘었다”",
     "body": "카카오 서비스 장애 이후 재해복구 서비스를 찾는 기업이 늘었다고 클라우드 업계가 전했다. 한 "
             "클라우드 업체는 이달 들어 이중화 상담 건수가 지난달의 세 배로 늘었다고 밝혔다."},
]
ZIP_NOTES = "이 압축 파일은 bodo의 테스트 자료다. 이 메모는 지원하지 않는 형식이라 읽지 않는다.\n"
# Members as written into the zip, deliberately not in name order (bodo reads them in name order).
ZIP_WRITE_ORDER = ["04-more.jsonl.gz", "02-bigkinds.xlsx", "03-notes.md", "01-news.jsonl",
                   "05-more.jsonl.zst"]

ZST_JSONL = [
    {"id": "zst-1", "date": "2022년 10월 30일", "outlet": "한국경제", "title": "카카오 장애 보름…이용자 이탈은 제한적",
     "body": "카카오 서비스 장애가 발생한 지 보름이 지났지만 카카오톡 이용자 이탈은 크지 않은 것으로 나타났다. "
             "모바일 앱 분석 업체에 따르면 하루 이용자 수는 장애 이전의 98% 수준을 회복했다."},
    {"id": "zst-2", "date": "2022-10-30", "outlet": "한국경제", "title": "[속보] 본문 없는 기사", "body": "  "},
    {"id": "zst-3", "date": "2022.10.31", "outlet": "동아일보", "title": "라인·텔레그램 반짝 특수 끝나",
     "body": "카카오톡 먹통 사태 직후 내려받기가 급증했던 라인과 텔레그램의 이용자 수가 다시 줄고 있다. 장애 "
             "당시 대체 메신저를 설치한 이용자 대부분이 카카오톡으로 돌아간 것으로 분석된다."},
]


# --------------------------------------------------------------------- writers
def deterministic_xlsx(wb, shared_strings=False):
    """The workbook's .xlsx bytes with fixed timestamps (openpyxl writes the current time).

    openpyxl 3.1 writes text as inline strings (`t="inlineStr"`), as BIGKinds' own streaming
    writer does; a file re-saved in Excel keeps text in xl/sharedStrings.xml instead
    (`t="s"`), which `shared_strings=True` imitates.
    """
    buf = io.BytesIO()
    wb.save(buf)
    return repack(buf.getvalue(), shared_strings)


INLINE = re.compile(
    rb'<c r="([A-Z]+[0-9]+)"( s="[0-9]+")? t="inlineStr"'
    rb'(?: />|><is><t(?: xml:space="preserve")?>(.*?)</t></is></c>)', re.S)
SST_TYPE = (b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml")
SST_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def repack(data, shared_strings=False):
    src = zipfile.ZipFile(io.BytesIO(data))
    parts = {info.filename: src.read(info.filename) for info in src.infolist()}
    core = parts["docProps/core.xml"]
    parts["docProps/core.xml"] = re.sub(
        rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
        lambda m: m.group(1) + FIXED_ISO.encode() + m.group(3), core)
    if shared_strings:
        table, count = [], 0

        def to_shared(m):
            nonlocal count
            text = m.group(3) or b""
            if text not in table:
                table.append(text)
            count += 1
            return b'<c r="%s"%s t="s"><v>%d</v></c>' % (
                m.group(1), m.group(2) or b"", table.index(text))

        for name in sorted(parts):
            if name.startswith("xl/worksheets/sheet"):
                parts[name] = INLINE.sub(to_shared, parts[name])
        parts["xl/sharedStrings.xml"] = (
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'count="%d" uniqueCount="%d">' % (count, len(table))
            + b"".join(b'<si><t xml:space="preserve">%s</t></si>' % t for t in table)
            + b"</sst>")
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="%s" /></Types>' % SST_TYPE)
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>",
            b'<Relationship Type="%s" Target="sharedStrings.xml" Id="rIdSst" /></Relationships>'
            % SST_REL)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zinfo(info.filename), parts.pop(info.filename))
        for name in sorted(parts):
            dst.writestr(zinfo(name), parts[name])
    return out.getvalue()


def zinfo(name):
    info = zipfile.ZipInfo(name, date_time=FIXED)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 3
    return info


def new_workbook(title="sheet"):
    wb = openpyxl.Workbook()
    wb.properties.creator = "BIGKinds"
    wb.properties.lastModifiedBy = None
    wb.properties.created = dt.datetime(*FIXED)
    wb.properties.modified = dt.datetime(*FIXED)
    ws = wb.active
    ws.title = title
    return wb, ws


def put(ws, row, col, value, key=None):
    """Writes one cell; text starting with `=` stays text, dates get a date format."""
    cell = ws.cell(row=row, column=col)
    cell.value = value
    if value == "":
        return cell  # a cell that exists and holds nothing (the old header's last column)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # a text cell that looks like a formula, as BIGKinds would write it
    if isinstance(value, dt.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def write_records(ws, header, records, first_row=2):
    for c, name in enumerate(header, start=1):
        put(ws, 1, c, name if name is not None else "")
    for r, record in enumerate(records, start=first_row):
        for c, key in enumerate(KEYS, start=1):
            value = record[key]
            if value == "":
                continue  # BIGKinds leaves empty cells out of the sheet
            put(ws, r, c, value)


def xlsx(records, header=HEADER, shared_strings=False):
    wb, ws = new_workbook()
    write_records(ws, header, records)
    return deterministic_xlsx(wb, shared_strings)


def edge_xlsx():
    wb, ws = new_workbook()
    for c, name in enumerate(HEADER, start=1):
        put(ws, 1, c, name)
    for r, cells in EDGE_ROWS.items():
        for c, key in enumerate(KEYS, start=1):
            if key in cells:
                if cells[key] == "":
                    ws.cell(row=r, column=c).value = ""  # row 6: present but empty
                else:
                    put(ws, r, c, cells[key])
    fill = PatternFill(start_color="FFFF00", end_color="FFFF00", fill_type="solid")
    for c in range(1, len(HEADER) + 1):
        ws.cell(row=EDGE_STYLED_EMPTY_ROW, column=c).fill = fill
    # A second worksheet with a 본문 column of its own, selected when the file was saved: bodo
    # reads the first worksheet, never this one.
    memo = wb.create_sheet("메모")
    for c, name in enumerate(["뉴스 식별자", "제목", "본문", "분석제외 여부"], start=1):
        memo.cell(row=1, column=c).value = name
    memo.cell(row=2, column=1).value = "memo-1"
    memo.cell(row=2, column=2).value = "분석 메모"
    memo.cell(row=2, column=3).value = "이 시트는 분석 대상이 아니다. 검색어: 카카오 먹통, 기간 2022-10-15~2022-10-24."
    wb.active = 1
    return deterministic_xlsx(wb)


def jsonl(records):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def zst(data):
    return zstandard.ZstdCompressor(level=19, write_checksum=True).compress(data)


def archive():
    members = {
        "01-news.jsonl": jsonl(ZIP_JSONL),
        "02-bigkinds.xlsx": xlsx(ZIP_XLSX_ROWS),
        "03-notes.md": ZIP_NOTES.encode("utf-8"),
        "04-more.jsonl.gz": gzip.compress(jsonl(ZIP_GZ_JSONL), compresslevel=9, mtime=0),
        "05-more.jsonl.zst": zst(jsonl(ZIP_ZST_JSONL)),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in ZIP_WRITE_ORDER:
            z.writestr(zinfo(name), members[name])
    return out.getvalue()


# --------------------------------------------------------------------- labels
def iso(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%Y-%m-%d")
    s = re.sub(r"\D", "", str(value))
    return f"{s[:4]}-{s[4:6]}-{s[6:8]}" if len(s) == 8 else ""


def body_of(record):
    return (record.get("body") or "").strip()


def label_rows(records, first_row=2):
    """Per row: the cells bodo must carry into articles.csv and what must become of the row."""
    rows = []
    bodies = {}
    for r, record in enumerate(records, start=first_row):
        excluded = record.get("excluded", "")
        body = body_of(record)
        label = {
            "row": r,
            "id": record["id"],
            "outlet": record.get("outlet", ""),
            "date": iso(record.get("date", "")),
            "date_kind": record.get("date_kind") or "text",
            "title": record.get("title", ""),
            "url": record.get("url", ""),
            "bigkinds_people": record.get("people", ""),
            "bigkinds_places": record.get("places", ""),
            "bigkinds_organisations": record.get("orgs", ""),
            "bigkinds_keywords": record.get("keywords", ""),
            "excluded": excluded,
        }
        # By default: excluded rows rejected, then empty bodies; a body identical to an earlier
        # article's is that article's duplicate (same date: the earlier row represents it).
        for keep in (False, True):
            key = "kept" if keep else "default"
            if excluded and not keep:
                label[key] = {"status": "rejected", "reason": f"BIGKinds 분석제외 여부: {excluded}"}
            elif not body:
                label[key] = {"status": "rejected", "reason": "empty body"}
            elif (keep, body) in bodies:
                label[key] = {"status": "duplicate", "duplicate_of": bodies[(keep, body)]}
            else:
                bodies[(keep, body)] = record["id"]
                label[key] = {"status": "analysed"}
        rows.append(label)
    return rows


def counts(rows, key):
    c = {"read": len(rows), "analysed": 0, "duplicate": 0, "rejected": 0}
    for row in rows:
        c[row[key]["status"]] += 1
    return c


def file_label(rows, description):
    return {
        "description": description,
        "rows": rows,
        "counts": counts(rows, "default"),
        "counts_keep_excluded": counts(rows, "kept"),
    }


def labels():
    kakao = label_rows(KAKAO)
    older = label_rows(OLDER)
    edge_records = []
    edge = []
    for r, cells in EDGE_ROWS.items():
        if all(v == "" for v in cells.values()):  # row 6
            continue
        record = {k: cells.get(k, "") for k in KEYS + ["date_kind"]}
        (label,) = label_rows([record], first_row=r)
        edge.append(label)
        edge_records.append(record)
    zipped_xlsx = label_rows(ZIP_XLSX_ROWS)
    return {
        "kakao-outage-bigkinds.xlsx": file_label(
            kakao, "standard 19-column export, October 2022 Kakao outage"),
        "older-header-bigkinds.xlsx": file_label(
            older, "older header spelling; rows repeat kakao rows 5, 6, 7 and 12"),
        "edge-cases-bigkinds.xlsx": dict(
            file_label(edge, "formula-like text, long body, partial/blank rows, second sheet"),
            long_body_chars=len(LONG_BODY),
            blank_rows=[5, 6],
            styled_empty_row=EDGE_STYLED_EMPTY_ROW,
        ),
        "bigkinds-archive.zip": {
            "description": "a zip of inputs; members in name order, 03-notes.md skipped",
            "members": [
                {"name": "01-news.jsonl", "ids": [r["id"] for r in ZIP_JSONL], "first": 1},
                {"name": "02-bigkinds.xlsx", "rows": zipped_xlsx},
                {"name": "03-notes.md", "skipped": True},
                {"name": "04-more.jsonl.gz", "ids": [r["id"] for r in ZIP_GZ_JSONL], "first": 1},
                {"name": "05-more.jsonl.zst", "ids": [r["id"] for r in ZIP_ZST_JSONL], "first": 1},
            ],
            "counts": {"read": 7, "analysed": 6, "duplicate": 0, "rejected": 1},
        },
        "news.jsonl.zst": {
            "description": "zstd-compressed JSONL; line 2 has a blank body",
            "ids": [r["id"] for r in ZST_JSONL],
            "dates": [iso(r["date"]) for r in ZST_JSONL],
            "rejected_lines": {"2": "empty body"},
            "counts": {"read": 3, "analysed": 2, "duplicate": 0, "rejected": 1},
        },
    }


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def main():
    write("kakao-outage-bigkinds.xlsx", xlsx(KAKAO))
    write("older-header-bigkinds.xlsx", xlsx(OLDER, OLD_HEADER, shared_strings=True))
    write("edge-cases-bigkinds.xlsx", edge_xlsx())
    write("bigkinds-archive.zip", archive())
    write("news.jsonl.zst", zst(jsonl(ZST_JSONL)))
    text = json.dumps(labels(), ensure_ascii=False, indent=1) + "\n"
    write("labels.json", text.encode("utf-8"))
    for name in sorted(os.listdir(HERE)):
        size = os.path.getsize(os.path.join(HERE, name))
        assert name.endswith((".py", ".md", ".json")) or size < 50_000, f"{name}: {size} bytes"


if __name__ == "__main__":
    main()
