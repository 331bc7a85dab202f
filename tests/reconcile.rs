//! Counts always reconcile, whatever the mix of inputs: proptest builds a small directory of
//! files in every format bodo reads — JSONL with good, malformed, empty-body, body-less,
//! non-object, badly encoded, blank and repeated lines; CSV and TSV with ragged, empty-body and
//! multi-line rows (LF or CRLF); a saved search page with chrome, bodiless blocks and dates; a
//! gzipped JSONL file, sometimes truncated; an empty file; a binary file; and files bodo must skip
//! — then runs the real `bodo run DIR -o OUT -q` and checks its tables against what the generator
//! wrote, counted here and not read back from bodo:
//!
//! - the records read, in input order, with their `source` (`path:line`, or the path for a whole
//!   file) and whether each is rejected: `articles.csv` row for row; so `read`, `rejected` and
//!   `analysed + duplicate` in `manifest.json` are the generator's numbers;
//! - `read = analysed + duplicate + rejected`, and the status column of `articles.csv` counts the
//!   same; `rejected.csv` has one row per rejection, with a source and a reason; identical
//!   articles give at least their number less one duplicates; the exit status is 1 exactly when
//!   something was rejected;
//! - every `mentions.csv` row belongs to an analysed article and its `(field, start, end)` slices
//!   that article's normalised text (printed by `bodo normalise`) to its `surface`.
//!
//! Each case runs the binary twice and loads the dictionary, so there are few cases.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use proptest::prelude::*;

mod common;

use common::{bodo, column, counts, read_csv};

/// Titles and sentences with people, organisations, places and dates, so that runs find
/// mentions whose offsets can be checked.
const TITLES: [&str; 6] = [
    "카카오 먹통 사태 장기화",
    "과기정통부, 데이터센터 점검 나선다",
    "김범수 의장 국감 증인 채택",
    "판교 화재 원인 조사 착수",
    "소상공인 피해 보상 요구 잇따라",
    "네이버도 일부 서비스 장애",
];
const SENTENCES: [&str; 8] = [
    "카카오는 지난 15일 오후 3시 33분께 판교 데이터센터 화재로 서비스가 멈췄다고 밝혔다.",
    "과학기술정보통신부는 부가통신사업자의 재난 대비 의무를 강화하겠다고 설명했다.",
    "김범수 카카오 의장은 국회 과방위 국정감사에 증인으로 출석한다.",
    "경기 성남시 분당구의 SK C&C 데이터센터에서 배터리 화재가 시작된 것으로 조사됐다.",
    "서울시는 택시 호출 중단으로 불편을 겪은 시민들의 민원을 집계했다.",
    "소상공인연합회는 결제와 예약이 멈춘 시간만큼 피해를 보상해 달라고 요구했다.",
    "윤석열 대통령은 17일 국무회의에서 재발 방지 대책을 주문했다.",
    "네이버는 일부 서비스가 한때 지연됐으나 빠르게 복구됐다고 전했다.",
];

/// An article: a title and the sentences of its body.
#[derive(Debug, Clone)]
struct Text {
    title: usize,
    sentences: Vec<usize>,
}

impl Text {
    fn title(&self) -> &'static str {
        TITLES[self.title]
    }

    fn body(&self, separator: &str) -> String {
        let sentences: Vec<&str> = self.sentences.iter().map(|&s| SENTENCES[s]).collect();
        sentences.join(separator)
    }
}

fn text() -> impl Strategy<Value = Text> {
    (
        0..TITLES.len(),
        prop::collection::vec(0..SENTENCES.len(), 1..4),
    )
        .prop_map(|(title, sentences)| Text { title, sentences })
}

/// A date value as inputs write them, valid or not.
fn date() -> impl Strategy<Value = Option<&'static str>> {
    prop::sample::select(vec![
        None,
        Some("2022-10-17"),
        Some("2022.10.16 14:03"),
        Some("2022년 10월 15일"),
        Some("20221018"),
        Some("2022-02-30"),
        Some("지난주"),
    ])
}

#[derive(Debug, Clone)]
enum JsonLine {
    /// An article, with an id of its own or not.
    Good(Text, bool, Option<&'static str>),
    /// The `n`th good line of the file again, byte for byte (a good line when there is none).
    Repeat(usize, Text),
    /// Cut off in the middle.
    Malformed(Text),
    EmptyBody(Text),
    NoBody(Text),
    /// A JSON value that is not an object.
    NotObject,
    /// A body with an invalid UTF-8 sequence among enough Hangul that the file stays UTF-8.
    BadBytes,
    /// Whitespace only: not a record.
    Blank,
}

fn json_line() -> impl Strategy<Value = JsonLine> {
    prop_oneof![
        4 => (text(), any::<bool>(), date()).prop_map(|(t, id, d)| JsonLine::Good(t, id, d)),
        2 => (0usize..4, text()).prop_map(|(n, t)| JsonLine::Repeat(n, t)),
        1 => text().prop_map(JsonLine::Malformed),
        1 => text().prop_map(JsonLine::EmptyBody),
        1 => text().prop_map(JsonLine::NoBody),
        1 => Just(JsonLine::NotObject),
        1 => Just(JsonLine::BadBytes),
        1 => Just(JsonLine::Blank),
    ]
}

#[derive(Debug, Clone)]
enum CsvRow {
    Good(Text, bool, Option<&'static str>),
    /// The body quoted over two lines, with quotes and delimiters inside.
    MultiLine(Text),
    /// Fewer or more fields than the header.
    Ragged(Text, bool),
    EmptyBody(Text),
}

fn csv_row() -> impl Strategy<Value = CsvRow> {
    prop_oneof![
        3 => (text(), any::<bool>(), date()).prop_map(|(t, id, d)| CsvRow::Good(t, id, d)),
        1 => text().prop_map(CsvRow::MultiLine),
        1 => (text(), any::<bool>()).prop_map(|(t, more)| CsvRow::Ragged(t, more)),
        1 => text().prop_map(CsvRow::EmptyBody),
    ]
}

#[derive(Debug, Clone)]
struct PageBlock {
    text: Text,
    /// The title repeated under the bullet, as portals do.
    repeat_title: bool,
    /// A date line first in the body.
    dated: bool,
    /// No body: only the (repeated) title.
    bodiless: bool,
}

fn page_block() -> impl Strategy<Value = PageBlock> {
    (
        text(),
        any::<bool>(),
        any::<bool>(),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(text, repeat_title, dated, bodiless)| PageBlock {
            text,
            repeat_title,
            dated,
            bodiless,
        })
}

#[derive(Debug, Clone)]
enum Input {
    Jsonl(Vec<JsonLine>),
    /// JSONL, gzipped, cut to this fraction (in thousandths) of its compressed size when below
    /// 1000.
    Gzip(Vec<JsonLine>, u32),
    Csv {
        rows: Vec<CsvRow>,
        korean_header: bool,
        tsv: bool,
        crlf: bool,
    },
    Page(Vec<PageBlock>),
    Empty,
    Binary,
}

fn input() -> impl Strategy<Value = Input> {
    prop_oneof![
        3 => prop::collection::vec(json_line(), 0..8).prop_map(Input::Jsonl),
        1 => (
            prop::collection::vec(json_line(), 1..8),
            prop_oneof![Just(1000u32), 0u32..1000],
        )
            .prop_map(|(lines, cut)| Input::Gzip(lines, cut)),
        2 => (
            prop::collection::vec(csv_row(), 0..6),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(rows, korean_header, tsv, crlf)| Input::Csv {
                rows,
                korean_header,
                tsv,
                crlf,
            }),
        2 => prop::collection::vec(page_block(), 0..4).prop_map(Input::Page),
        1 => Just(Input::Empty),
        1 => Just(Input::Binary),
    ]
}

/// What the generator expects bodo to make of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Expected {
    /// `path:line`, or the path for a rejection of a whole file.
    source: String,
    rejected: bool,
    /// For articles: title and body as written, to count exact copies.
    text: Option<(String, String)>,
}

/// Builds the file contents and the records they hold, line by line.
struct Writer {
    path: String,
    bytes: Vec<u8>,
    line: u64,
    expected: Vec<Expected>,
    /// Byte offset where each expected record's line ends (for gzip truncation).
    ends: Vec<usize>,
}

impl Writer {
    fn new(path: &Path) -> Writer {
        Writer {
            path: path.display().to_string(),
            bytes: Vec::new(),
            line: 1,
            expected: Vec::new(),
            ends: Vec::new(),
        }
    }

    /// Appends `text` (whose record starts on the current line), advancing the line count.
    fn push(&mut self, text: &[u8], record: Option<(bool, Option<(String, String)>)>) {
        let start_line = self.line;
        self.bytes.extend_from_slice(text);
        self.line += text.iter().filter(|&&b| b == b'\n').count() as u64;
        if let Some((rejected, text)) = record {
            self.expected.push(Expected {
                source: format!("{}:{start_line}", self.path),
                rejected,
                text,
            });
            self.ends.push(self.bytes.len());
        }
    }

    fn reject_file(&mut self) {
        self.expected.push(Expected {
            source: self.path.clone(),
            rejected: true,
            text: None,
        });
    }
}

fn article(title: &str, body: &str) -> Option<(bool, Option<(String, String)>)> {
    Some((false, Some((title.to_string(), body.to_string()))))
}

const REJECTED: Option<(bool, Option<(String, String)>)> = Some((true, None));

/// Ids are unique across the directory (a counter), so a repeated id means a repeated line.
fn next_id(counter: &mut u32) -> String {
    *counter += 1;
    format!("gen-{counter}")
}

fn write_jsonl(w: &mut Writer, lines: &[JsonLine], ids: &mut u32) {
    let mut good: Vec<(String, String, String)> = Vec::new();
    for line in lines {
        let good_line = |t: &Text, id: bool, date: Option<&str>, ids: &mut u32| {
            let mut object = serde_json::Map::new();
            if id {
                object.insert("id".into(), next_id(ids).into());
            }
            // Both spellings bodo reads: English and BIGKinds' Korean keys.
            let (tk, bk) = if t.title % 2 == 0 {
                ("title", "body")
            } else {
                ("제목", "본문")
            };
            object.insert(tk.into(), t.title().into());
            let body = t.body(" ");
            object.insert(bk.into(), body.clone().into());
            if let Some(date) = date {
                object.insert("date".into(), date.into());
            }
            let json = serde_json::Value::Object(object).to_string();
            (json, t.title().to_string(), body)
        };
        match line {
            JsonLine::Good(t, id, date) => {
                let (json, title, body) = good_line(t, *id, *date, ids);
                w.push(format!("{json}\n").as_bytes(), article(&title, &body));
                good.push((json, title, body));
            }
            JsonLine::Repeat(n, t) => {
                if good.is_empty() {
                    good.push(good_line(t, false, None, ids));
                }
                let (json, title, body) = good[n % good.len()].clone();
                w.push(format!("{json}\n").as_bytes(), article(&title, &body));
            }
            JsonLine::Malformed(t) => {
                let json = serde_json::json!({"title": t.title(), "body": t.body(" ")}).to_string();
                let cut: String = json.chars().take(json.chars().count() / 2).collect();
                w.push(format!("{cut}\n").as_bytes(), REJECTED);
            }
            JsonLine::EmptyBody(t) => {
                let json = serde_json::json!({"title": t.title(), "body": " \t "}).to_string();
                w.push(format!("{json}\n").as_bytes(), REJECTED);
            }
            JsonLine::NoBody(t) => {
                let json = serde_json::json!({"title": t.title(), "tags": ["카카오"]});
                w.push(format!("{json}\n").as_bytes(), REJECTED);
            }
            JsonLine::NotObject => w.push("[\"카카오\", \"먹통\"]\n".as_bytes(), REJECTED),
            JsonLine::BadBytes => {
                let mut line = r#"{"title": "깨진 바이트", "body": "잘못된 "#.as_bytes().to_vec();
                line.extend_from_slice(b"\xC3\x28");
                line.extend_from_slice(
                    " 바이트가 섞인 본문입니다 카카오 먹통 사태\"}\n".as_bytes(),
                );
                w.push(&line, REJECTED);
            }
            JsonLine::Blank => w.push(b"  \n", None),
        }
    }
}

/// A CSV field, quoted when it must be (RFC 4180, which bodo also reads TSV as).
fn field(value: &str, delimiter: char) -> String {
    if value.contains([delimiter, '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

fn write_csv(
    w: &mut Writer,
    rows: &[CsvRow],
    korean_header: bool,
    tsv: bool,
    crlf: bool,
    ids: &mut u32,
) {
    let d = if tsv { '\t' } else { ',' };
    let eol = if crlf { "\r\n" } else { "\n" };
    let header: [&str; 4] = if korean_header {
        ["뉴스 식별자", "제목", "본문", "일자"]
    } else {
        ["id", "title", "body", "date"]
    };
    w.push(
        format!("{}{eol}", header.join(&d.to_string())).as_bytes(),
        None,
    );
    for row in rows {
        let mut id = |own: bool| if own { next_id(ids) } else { String::new() };
        let (fields, record) = match row {
            CsvRow::Good(t, own, date) => {
                let body = t.body(" ");
                let fields = vec![
                    id(*own),
                    t.title().to_string(),
                    body.clone(),
                    date.unwrap_or("").to_string(),
                ];
                (fields, article(t.title(), &body))
            }
            CsvRow::MultiLine(t) => {
                let body = format!("{}\n\"인용\"{d} 이어지는 문단.", t.body(" "));
                let fields = vec![
                    id(false),
                    t.title().to_string(),
                    body.clone(),
                    String::new(),
                ];
                (fields, article(t.title(), &body))
            }
            CsvRow::Ragged(t, more) => {
                let mut fields = vec![id(true), t.title().to_string(), t.body(" ")];
                if *more {
                    fields.extend(["2022-10-17".to_string(), "남는 칸".to_string()]);
                }
                (fields, REJECTED)
            }
            CsvRow::EmptyBody(t) => {
                let fields = vec![id(true), t.title().to_string(), "  ".into(), String::new()];
                (fields, REJECTED)
            }
        };
        let line: Vec<String> = fields.iter().map(|f| field(f, d)).collect();
        w.push(
            format!("{}{eol}", line.join(&d.to_string())).as_bytes(),
            record,
        );
    }
}

/// The head of a real saved search page: a search box, recent searches (bullets followed by
/// text, which are chrome) and the result counter.
const PAGE_CHROME: &str = "찾아보고 싶은 뉴스가 있다면, 검색\n검색\n최근검색어\n  • 네이버\n    \
                           2026-02-18\n    검색기록 지우기\n  • 강진\n    2026-02-18\n    검색기록 \
                           지우기\n저장된 검색어가 없습니다.\n11,463\n";

fn write_page(w: &mut Writer, blocks: &[PageBlock]) {
    w.push(PAGE_CHROME.as_bytes(), None);
    for block in blocks {
        let title = block.text.title();
        let mut text = format!("  • {title}\n\n");
        if block.repeat_title || block.bodiless {
            text.push_str(&format!("    {title}\n\n"));
        }
        let record = if block.bodiless {
            REJECTED
        } else {
            if block.dated {
                text.push_str("    2022.10.17 14:03\n");
            }
            for &s in &block.text.sentences {
                text.push_str(&format!("    {}\n", SENTENCES[s]));
            }
            article(title, &block.text.body("\n"))
        };
        w.push(text.as_bytes(), record);
    }
    w.push("위로\n".as_bytes(), None);
    if blocks.is_empty() {
        w.reject_file();
    }
}

/// Gzips `w`'s bytes and cuts the stream at `cut`/1000 of its length; the records expected are
/// those whose line is complete in what a gzip decoder gets out of the cut stream (decoded here),
/// then one rejection of the file for the corrupt stream.
fn gzip(w: &mut Writer, cut: u32) {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&w.bytes).unwrap();
    let mut gz = encoder.finish().unwrap();
    if cut < 1000 {
        gz.truncate(gz.len() * cut as usize / 1000);
        let mut decoded = Vec::new();
        let result = flate2::read::MultiGzDecoder::new(&gz[..]).read_to_end(&mut decoded);
        // Cut to nothing, the file is empty: also one rejection of the file.
        assert!(
            result.is_err() || gz.is_empty(),
            "a cut gzip stream is corrupt"
        );
        let complete = w.ends.iter().filter(|&&end| end <= decoded.len()).count();
        w.expected.truncate(complete);
        w.reject_file();
    }
    w.bytes = gz;
}

/// Writes the inputs into `dir` (plus files bodo must skip) and returns, in bodo's input order,
/// the records they hold.
fn write_inputs(dir: &Path, inputs: &[Input]) -> Vec<Expected> {
    let mut files: Vec<(PathBuf, Vec<Expected>)> = Vec::new();
    let mut ids = 0u32;
    for (i, input) in inputs.iter().enumerate() {
        let name = match input {
            Input::Jsonl(_) => format!("f{i}.jsonl"),
            Input::Gzip(..) => format!("f{i}.jsonl.gz"),
            Input::Csv { tsv: false, .. } => format!("f{i}.csv"),
            Input::Csv { tsv: true, .. } => format!("f{i}.tsv"),
            Input::Page(_) => format!("f{i}.txt"),
            Input::Empty => format!("f{i}-empty.jsonl"),
            Input::Binary => format!("f{i}-binary.csv"),
        };
        let path = dir.join(name);
        let mut w = Writer::new(&path);
        match input {
            Input::Jsonl(lines) => write_jsonl(&mut w, lines, &mut ids),
            Input::Gzip(lines, cut) => {
                write_jsonl(&mut w, lines, &mut ids);
                gzip(&mut w, *cut);
            }
            Input::Csv {
                rows,
                korean_header,
                tsv,
                crlf,
            } => write_csv(&mut w, rows, *korean_header, *tsv, *crlf, &mut ids),
            Input::Page(blocks) => write_page(&mut w, blocks),
            Input::Empty => w.reject_file(),
            Input::Binary => {
                w.bytes = (0u8..=255).cycle().take(600).collect();
                w.reject_file();
            }
        }
        if w.bytes.is_empty() && w.expected.is_empty() {
            w.reject_file(); // an empty file (a JSONL file of no lines)
        }
        std::fs::write(&path, &w.bytes).unwrap();
        files.push((path, w.expected));
    }
    // Not inputs: another extension, and a hidden file.
    std::fs::write(dir.join("notes.md"), "# 메모\n").unwrap();
    std::fs::write(dir.join(".hidden.jsonl"), "{\"body\": \"숨은 기사\"}\n").unwrap();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files.into_iter().flat_map(|(_, e)| e).collect()
}

/// Identical articles (title and body as written) are one story: at least `n - 1` of `n` copies
/// are duplicates.
fn least_duplicates(expected: &[Expected]) -> u64 {
    let mut copies: HashMap<&(String, String), u64> = HashMap::new();
    for text in expected.iter().filter_map(|e| e.text.as_ref()) {
        *copies.entry(text).or_default() += 1;
    }
    copies.values().map(|n| n - 1).sum()
}

/// `bodo normalise DIR`: article id → (title, body) as bodo analyses them.
fn normalised(dir: &Path) -> HashMap<String, (String, String)> {
    let output = bodo().arg("normalise").arg(dir).output().unwrap();
    assert!(
        output.status.success(),
        "bodo normalise: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut texts = HashMap::new();
    for line in String::from_utf8(output.stdout).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = v["article_id"].as_str().unwrap().to_string();
        let text = (
            v["title"].as_str().unwrap().to_string(),
            v["body"].as_str().unwrap().to_string(),
        );
        // Ids repeat only on repeated lines, which are the same article.
        if let Some(previous) = texts.insert(id.clone(), text.clone()) {
            assert_eq!(previous, text, "two articles share the id {id}");
        }
    }
    texts
}

fn check_run(inputs: &[Input]) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("in");
    std::fs::create_dir(&data).unwrap();
    let expected = write_inputs(&data, inputs);
    let out = dir.path().join("out");
    let output = bodo()
        .arg("run")
        .arg(&data)
        .arg("-o")
        .arg(&out)
        .arg("-q")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");

    let want_rejected = expected.iter().filter(|e| e.rejected).count() as u64;
    let want_articles = expected.len() as u64 - want_rejected;
    let want_code = if want_rejected > 0 { 1 } else { 0 };
    assert_eq!(
        output.status.code(),
        Some(want_code),
        "exit status: {stderr}"
    );

    // The manifest reconciles (`counts` asserts it) and has the generator's numbers.
    let c = counts(&out);
    assert_eq!(c["read"], expected.len() as u64, "records read");
    assert_eq!(c["rejected"], want_rejected, "records rejected");
    assert_eq!(c["analysed"] + c["duplicate"], want_articles, "articles");
    assert!(
        c["duplicate"] >= least_duplicates(&expected),
        "identical articles are duplicates: {c:?}"
    );

    // articles.csv: one row per record, in input order, with the right source and status.
    let (h, articles) = read_csv(&out.join("articles.csv"));
    let sources = column(&h, &articles, "source");
    let statuses = column(&h, &articles, "status");
    let article_ids = column(&h, &articles, "article_id");
    let got: Vec<(&str, bool)> = sources
        .iter()
        .zip(&statuses)
        .map(|(s, st)| (*s, *st == "rejected"))
        .collect();
    let want: Vec<(&str, bool)> = expected
        .iter()
        .map(|e| (e.source.as_str(), e.rejected))
        .collect();
    assert_eq!(got, want, "articles.csv rows: (source, rejected)");
    for (status, n) in [
        ("analysed", c["analysed"]),
        ("duplicate", c["duplicate"]),
        ("rejected", c["rejected"]),
    ] {
        let rows_with = statuses.iter().filter(|s| **s == status).count() as u64;
        assert_eq!(rows_with, n, "articles.csv rows with status {status}");
    }

    // rejected.csv: one row per rejection, in order, each with a source and a reason.
    let (h, rows) = read_csv(&out.join("rejected.csv"));
    let reasons = column(&h, &rows, "reason");
    assert!(reasons.iter().all(|r| !r.trim().is_empty()), "{reasons:?}");
    let rejected_sources: Vec<&str> = expected
        .iter()
        .filter(|e| e.rejected)
        .map(|e| e.source.as_str())
        .collect();
    assert_eq!(column(&h, &rows, "source"), rejected_sources);

    // mentions.csv: each mention belongs to an analysed article and slices its normalised text.
    let analysed: Vec<&str> = article_ids
        .iter()
        .zip(&statuses)
        .filter(|(_, s)| **s == "analysed")
        .map(|(id, _)| *id)
        .collect();
    let texts = normalised(&data);
    let (h, rows) = read_csv(&out.join("mentions.csv"));
    let ids = column(&h, &rows, "article_id");
    let fields = column(&h, &rows, "field");
    let starts = column(&h, &rows, "start");
    let ends = column(&h, &rows, "end");
    let surfaces = column(&h, &rows, "surface");
    for i in 0..rows.len() {
        assert!(
            analysed.contains(&ids[i]),
            "mention of {}, which is not analysed",
            ids[i]
        );
        let (title, body) = texts
            .get(ids[i])
            .unwrap_or_else(|| panic!("bodo normalise has no article {}", ids[i]));
        let text = match fields[i] {
            "title" => title,
            "body" => body,
            other => panic!("mention field {other:?}"),
        };
        let (start, end): (usize, usize) = (starts[i].parse().unwrap(), ends[i].parse().unwrap());
        assert!(start < end && end <= text.chars().count(), "{:?}", rows[i]);
        let slice: String = text.chars().skip(start).take(end - start).collect();
        assert_eq!(slice, surfaces[i], "mention {:?} slices its text", rows[i]);
    }
}

proptest! {
    // Each case runs `bodo run` (loading the dictionary) and `bodo normalise`; shrinking a
    // failure reruns them, so it is bounded too.
    #![proptest_config(ProptestConfig { cases: 16, max_shrink_iters: 64, ..ProptestConfig::default() })]

    #[test]
    fn counts_reconcile_with_what_was_written(inputs in prop::collection::vec(input(), 1..6)) {
        check_run(&inputs);
    }
}
