#!/usr/bin/env python3
"""Writes the fixtures of tests/ingest.rs. Run from this directory: `python3 generate.py`.

The bytes are committed; this script documents how they were made (CP949 via
`.encode('cp949')`, gzip via the gzip module with mtime=0 so reruns give identical bytes).
"""
import gzip
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))


def write(path, data):
    path = os.path.join(HERE, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)


def gz(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


def j(obj):
    return json.dumps(obj, ensure_ascii=False)


# JSONL with a UTF-8 BOM, BIGKinds-style Korean keys, a numeric id, English aliases.
articles = [
    j({"뉴스 식별자": 1100101, "일자": "20221017", "언론사": "서울신문", "제목": "카톡 불통이 강제 소환한 ‘디지털 디톡스’",
       "본문": "  “주말에 업무 관련 연락을 안 봐도 되니 오히려 좋던데요.”  ", "URL": "https://www.seoul.co.kr/news/1", "통합 분류1": "IT_과학"}),
    j({"id": "", "headline": "‘카카오 먹통’ 악용한 사이버 공격 ‘주의보’", "content": "과학기술정보통신부는 17일 해킹 메일 주의를 당부했다.",
       "published_at": "2022-10-17T14:03:22+09:00", "press": "한겨레", "link": "https://example.com/2"}),
    "",
    j({"article_id": "n-3", "title": "국감 증인 채택", "text": "국회 과방위는 김범수 의장을 증인으로 채택했다.\n둘째 문단.",
       "date": "2022년 10월 17일 (월) 오후 2:03", "media": "연합뉴스", "tags": ["카카오", "국감"]}),
]
write("jsonl/articles.jsonl", "\ufeff" + "\n".join(articles) + "\n")

# JSONL without BOM where most lines are bad in some way; line numbers matter to the test.
broken = (
    j({"id": "b1", "title": "정상 기사", "body": "첫 기사 본문."}).encode() + b"\n"                      # 1 ok
    + b'{"id": "b2", "title": "\xea\xb9\xa8\xec\xa7\x84 \xec\xa4\x84", "body": "\xeb\x81\x9d\n'      # 2 malformed
    + j({"id": "b3", "title": "빈 본문", "body": "   "}).encode() + b"\n"                               # 3 empty body
    + b"   \r\n"                                                                                    # 4 blank
    + b'["not", "an", "object"]\n'                                                                  # 5 not an object
    + b'{"id": "b6", "body": "\xec\x9e\x98\xeb\xaa\xbb \xff\xfe \xeb\xb0\x94\xec\x9d\xb4\xed\x8a\xb8"}\n'  # 6 bad UTF-8
    + j({"id": 7, "title": "날짜 오류", "body": "둘째 정상 기사.", "date": "2022-02-30"}).encode() + b"\r\n"  # 7 ok
    + j({"id": "b8", "title": "본문 키 없음"}).encode() + b"\n"                                       # 8 no body
)
write("jsonl/broken.jsonl", broken)

# gzip of a JSONL, and a truncated gzip of a longer one.
write("gz/articles.jsonl.gz", gz(b"\n".join(a.encode() for a in articles if a) + b"\n"))
long_lines = [
    j({"id": f"g{i}", "title": f"기사 {i}", "body": f"{i}번째 기사 본문: 카카오 데이터센터 화재 {i * 7919 % 10007} 건 " * 3})
    for i in range(1, 3001)
]
full = gz(("\n".join(long_lines) + "\n").encode())
write("gz/truncated.jsonl.gz", full[: len(full) // 2])

# BIGKinds-style CSV: Korean headers, a quoted multi-line body, a ragged row, an empty body.
bigkinds = (
    "뉴스 식별자,일자,언론사,기고자,제목,통합 분류1,본문,URL\n"
    '01100101.20221017001,20221017,서울신문,김기자,카톡 불통이 강제 소환한 ‘디지털 디톡스’,IT_과학,"""주말에 업무 관련 연락을 안 봐도 되니 오히려 좋던데요.""\n'
    '텔레그램을 설치하라는 연락이 왔다.",https://www.seoul.co.kr/news/1\n'
    "01100101.20221017002,2022-10-17,서울신문,이기자,[사설] 온 나라 주말을 ‘먹통’ 만든 카카오 서버 화재,사회,그제 오후부터 어제 새벽까지 카카오 서비스가 끊겼다.,https://www.seoul.co.kr/news/2\n"
    "01100101.20221017003,20221017,서울신문\n"
    ",20221018,서울신문,박기자,빈 본문,사회,  ,\n"
)
write("csv/bigkinds.csv", bigkinds)

# The same kind of export saved by Excel on Korean Windows: CP949, CRLF.
cp949 = (
    "뉴스 식별자,일자,언론사,제목,본문\r\n"
    "1,2022.10.17,서울신문,카카오 먹통,“판교 데이터센터 화재로 카카오톡이 멈췄다.”\r\n"
    '2,2022. 10. 18.,한겨레,복구 지연,"카카오는 서비스 대부분을 복구했다고 밝혔다.\r\n일부 기능은 여전히 불안정하다."\r\n'
)
write("csv/cp949.csv", cp949.encode("cp949"))

# No body column: every row must be rejected, not silently skipped.
write("csv/no-body.csv", "id,title,summary\n1,제목 하나,요약\n2,제목 둘,요약\n")

# TSV with English headers.
write(
    "tsv/news.tsv",
    "id\ttitle\tbody\tdate\toutlet\turl\n"
    "t1\t카카오 먹통\t판교 데이터센터 화재.\t2022/10/17 09:00\t서울신문\thttps://example.com/t1\n"
    "t2\t복구 완료\t서비스 대부분 복구.\t2022-10-18\t한겨레\t\n",
)

# Whole-file rejections.
write("bad/empty.jsonl", b"")
write("bad/binary.jsonl", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
write("bad/utf16.txt", b"\xff\xfe" + "  • 제목\n\n    본문\n".encode("utf-16-le"))

# A small page: chrome bullets, a block with a title but no body, and a normal block.
write(
    "page/small.txt",
    "검색\n최근검색어\n  • 카카오\n    2026-02-18\n    검색기록 지우기\n12\n"
    "  • 제목만 있는 기사\n\n    제목만 있는 기사\n"
    "  • 본문 있는 기사\n\n    본문 있는 기사\n\n    첫 줄.\n\n    둘째 줄.\n위로",
)

# A directory: sorted order, recursion, hidden files and directories skipped, other extensions
# ignored, two inputs with the same stem.
d = os.path.join(HERE, "dir")
shutil.rmtree(d, ignore_errors=True)
write("dir/news.jsonl", j({"title": "루트 기사", "body": "dir/news.jsonl 의 기사"}) + "\n")
write("dir/a/news.csv", "title,body\n하위 기사,dir/a/news.csv 의 기사\n")
write("dir/a/b/page.txt", "  • 깊은 기사\n\n    dir/a/b/page.txt 의 기사\n")
write("dir/.hidden.jsonl", j({"title": "숨은 파일", "body": "읽으면 안 됨"}) + "\n")
write("dir/.hidden/x.jsonl", j({"title": "숨은 디렉터리", "body": "읽으면 안 됨"}) + "\n")
write("dir/notes.md", "# not an input\n")
write("dir/a/z.tsv.gz", gz("title\tbody\n압축 기사\tdir/a/z.tsv.gz 의 기사\n".encode()))
