//! Hostile inputs, end to end: each test builds one kind of bad dump in its own temporary
//! directory (big ones are generated here, never committed), runs the real `bodo` binary on it
//! and checks that bodo
//! - does not panic, crash or hang (exit status 0, 1 or 2; no "panicked" on stderr; a deadline),
//! - says what is wrong: a rejection naming the file and the line, or an error naming the file,
//! - still reads everything else (the good articles beside the bad input are analysed),
//! - accounts for every record (`read == analysed + duplicate + rejected` in `manifest.json`).
//!
//! Timings and peak memory are printed (`cargo test --release --test hostile -- --nocapture`).

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

mod common;

use common::{bodo, column, counts, manifest, read_csv, repo};

/// A run that takes longer than this is a hang.
const DEADLINE: Duration = Duration::from_secs(900);
const MIB: usize = 1024 * 1024;

/// Held by the tests that time runs or feed 100 MB, so they do not run at the same time (the
/// test harness runs tests in parallel, and the machine may have only two cores).
static HEAVY: Mutex<()> = Mutex::new(());

fn heavy() -> MutexGuard<'static, ()> {
    HEAVY
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Three distinct, well-formed articles (ids `good-1` … `good-3`).
fn good_jsonl() -> String {
    fs::read_to_string(repo("tests/data/hostile/good.jsonl")).unwrap()
}

const GOOD_IDS: [&str; 3] = ["good-1", "good-2", "good-3"];

/// What a run of the binary left behind.
struct Run {
    code: i32,
    stderr: String,
    out: PathBuf,
    seconds: f64,
    /// Peak resident memory of the bodo process in MiB (Linux only).
    peak_mib: Option<u64>,
}

/// Runs `bodo run --no-charts ARGS --out DIR/out`, with stdout and stderr in files (so nothing
/// blocks on a pipe), polling its peak memory and enforcing [`DEADLINE`]. Asserts that it did
/// not panic or die of a signal (a stack overflow aborts).
fn run(args: &[&Path], dir: &Path) -> Run {
    run_with(args, &[], dir)
}

fn run_with(args: &[&Path], options: &[&str], dir: &Path) -> Run {
    let out = dir.join("out");
    let stderr_path = dir.join("stderr.txt");
    let start = Instant::now();
    let mut child = bodo()
        .arg("run")
        .arg("--no-charts")
        .args(options)
        .args(args)
        .arg("--out")
        .arg(&out)
        .stdin(Stdio::null())
        .stdout(File::create(dir.join("stdout.txt")).unwrap())
        .stderr(File::create(&stderr_path).unwrap())
        .spawn()
        .expect("bodo starts");
    let status_path = PathBuf::from(format!("/proc/{}/status", child.id()));
    let mut peak_kib = None;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        // VmHWM is the process's own high-water mark, so the last reading before exit is the peak.
        if let Some(kib) = fs::read_to_string(&status_path).ok().and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        }) {
            peak_kib = Some(kib);
        }
        if start.elapsed() > DEADLINE {
            child.kill().unwrap();
            panic!("bodo run {args:?} hangs: still running after {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let seconds = start.elapsed().as_secs_f64();
    let stderr = fs::read_to_string(&stderr_path).unwrap_or_default();
    let code = status
        .code()
        .unwrap_or_else(|| panic!("bodo died of a signal ({status:?}): {stderr}"));
    assert!(
        matches!(code, 0..=2),
        "exit status {code} (expected 0, 1 or 2): {stderr}"
    );
    assert!(!stderr.contains("panicked"), "bodo panicked: {stderr}");
    Run {
        code,
        stderr,
        out,
        seconds,
        peak_mib: peak_kib.map(|k| k / 1024),
    }
}

/// `articles.csv` as article_id → (source, status, title, chars).
struct Articles(HashMap<String, [String; 4]>);

impl Articles {
    fn read(out: &Path) -> Articles {
        let (h, rows) = read_csv(&out.join("articles.csv"));
        let ids = column(&h, &rows, "article_id");
        let sources = column(&h, &rows, "source");
        let statuses = column(&h, &rows, "status");
        let titles = column(&h, &rows, "title");
        let chars = column(&h, &rows, "chars");
        let mut map = HashMap::new();
        for i in 0..rows.len() {
            map.insert(
                ids[i].to_string(),
                [sources[i], statuses[i], titles[i], chars[i]].map(String::from),
            );
        }
        Articles(map)
    }

    fn get(&self, id: &str) -> &[String; 4] {
        self.0
            .get(id)
            .unwrap_or_else(|| panic!("no article {id} in articles.csv"))
    }

    fn status(&self, id: &str) -> &str {
        &self.get(id)[1]
    }

    fn assert_analysed(&self, ids: &[&str]) {
        for id in ids {
            assert_eq!(self.status(id), "analysed", "{id}: {:?}", self.get(id));
        }
    }
}

/// `rejected.csv` as (source, reason) rows.
fn rejections(out: &Path) -> Vec<(String, String)> {
    let (_, rows) = read_csv(&out.join("rejected.csv"));
    rows.into_iter()
        .map(|r| (r[0].clone(), r[2].clone()))
        .collect()
}

/// Asserts a rejection whose source is `file` (`path` or `path:line`) and whose reason has
/// `words`; returns the reason.
fn assert_rejected(out: &Path, file: &Path, line: Option<u64>, words: &str) -> String {
    let source = match line {
        Some(line) => format!("{}:{line}", file.display()),
        None => file.display().to_string(),
    };
    let all = rejections(out);
    all.iter()
        .find(|(s, r)| *s == source && r.contains(words))
        .map(|(_, r)| r.clone())
        .unwrap_or_else(|| panic!("no rejection of {source} mentioning {words:?} in {all:#?}"))
}

/// A JSONL line for a distinct article `n` of a generated batch.
fn generated_article(prefix: &str, n: usize) -> String {
    const WHO: [&str; 7] = [
        "카카오",
        "네이버",
        "정부",
        "국회",
        "소방당국",
        "이용자",
        "상인",
    ];
    const WHAT: [&str; 6] = [
        "서비스 복구 상황을 점검했다",
        "피해 보상 기준을 발표했다",
        "데이터센터 이중화 계획을 밝혔다",
        "재발 방지 대책을 요구했다",
        "화재 원인 조사 결과를 기다린다",
        "장애 대응 훈련을 강화하기로 했다",
    ];
    let body: Vec<String> = (0..4)
        .map(|k| {
            format!(
                "{} {}번째 보도에서 {}은 {}일 {}.",
                WHO[(n + k) % WHO.len()],
                n * 7 + k,
                WHO[(n * 3 + k) % WHO.len()],
                (n + k) % 28 + 1,
                WHAT[(n * 5 + k) % WHAT.len()]
            )
        })
        .collect();
    serde_json::json!({
        "id": format!("{prefix}-{n}"),
        "title": format!("{} 관련 기사 {n}", WHO[n % WHO.len()]),
        "body": body.join(" "),
    })
    .to_string()
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(path, bytes).unwrap();
}

// 1. A 10 MB article among normal ones.

/// A JSONL line whose body is about `bytes` of repeated Korean sentences.
fn huge_article_line(bytes: usize) -> String {
    const SENTENCES: [&str; 4] = [
        "카카오 먹통 사태로 전국의 이용자들이 주말 내내 큰 불편을 겪었다. ",
        "판교 데이터센터 화재는 배터리실에서 시작된 것으로 조사됐다. ",
        "과학기술정보통신부는 부가통신사업자의 재난 대비 의무를 강화하겠다고 밝혔다. ",
        "소상공인들은 결제와 예약이 멈춘 시간만큼 피해를 보상해 달라고 요구했다. ",
    ];
    let mut body = String::with_capacity(bytes + 200);
    let mut i = 0;
    while body.len() < bytes {
        body.push_str(SENTENCES[i % SENTENCES.len()]);
        i += 1;
    }
    serde_json::json!({"id": "huge", "title": "거대한 기사", "body": body}).to_string()
}

#[test]
fn ten_megabyte_article_is_analysed_in_linear_time() {
    // The same run on the good articles alone, then with a 1 MB and a 10 MB article: the time
    // the big article adds must grow about linearly (×10), not quadratically (×100). Each run is
    // done twice and the faster kept, as the two cores are shared.
    let _heavy = heavy();
    let mut added = Vec::new();
    let timed = |name: &str, extra: Option<usize>| -> (f64, Option<u64>) {
        let mut best = (f64::MAX, None);
        for attempt in 0..2 {
            let dir = tempfile::tempdir().unwrap();
            let input = dir.path().join(format!("{name}.jsonl"));
            let mut text = good_jsonl();
            if let Some(bytes) = extra {
                text.push_str(&huge_article_line(bytes));
                text.push('\n');
            }
            write(&input, &text);
            let run = run(&[&input], dir.path());
            assert_eq!(run.code, 0, "{}", run.stderr);
            let c = counts(&run.out);
            let articles = Articles::read(&run.out);
            articles.assert_analysed(&GOOD_IDS);
            if let Some(bytes) = extra {
                assert_eq!(c["read"], 4);
                assert_eq!(c["rejected"], 0);
                articles.assert_analysed(&["huge"]);
                let chars: usize = articles.get("huge")[3].parse().unwrap();
                assert!(
                    chars > bytes / 3,
                    "the whole body is analysed: {chars} chars"
                );
            }
            println!(
                "case 1: {name} run {attempt}: {:.2} s, peak {:?} MiB",
                run.seconds, run.peak_mib
            );
            if run.seconds < best.0 {
                best = (run.seconds, run.peak_mib);
            }
        }
        best
    };
    let (base, _) = timed("good-only", None);
    for (name, bytes) in [("one-mb", MIB), ("ten-mb", 10 * MIB)] {
        let (seconds, peak) = timed(name, Some(bytes));
        // A floor, so that noise in a short difference cannot make the ratio explode.
        added.push((seconds - base).max(0.3));
        println!(
            "case 1: {name} article: {seconds:.2} s ({:.2} s over the good articles alone, \
             {base:.2} s), peak {peak:?} MiB",
            seconds - base
        );
    }
    let ratio = added[1] / added[0];
    println!("case 1: 10 MB / 1 MB added time: {ratio:.1}× (linear ≈ 10×, quadratic ≈ 100×)");
    assert!(
        ratio < 30.0,
        "a 10 MB article costs {ratio:.1}× a 1 MB one: worse than linear"
    );
}

// 2. A 100 MB line without a newline.

const HUNDRED_MB: usize = 100 * MIB;
/// Generous: bodo's own footprint (dictionary, buffers) plus at most one capped record.
const BOUNDED_PEAK_MIB: u64 = 400;

/// Writes `head`, then `fill` repeated to about `HUNDRED_MB` bytes, with no final newline.
fn write_long_line(path: &Path, head: &str, fill: &str) {
    let mut w = BufWriter::new(File::create(path).unwrap());
    w.write_all(head.as_bytes()).unwrap();
    let chunk = fill.repeat(MIB / fill.len());
    let mut written = 0;
    while written < HUNDRED_MB {
        w.write_all(chunk.as_bytes()).unwrap();
        written += chunk.len();
    }
    w.flush().unwrap();
}

fn assert_bounded(run: &Run, case: &str) {
    println!(
        "case 2: {case}: {:.2} s, peak {:?} MiB, exit {}",
        run.seconds, run.peak_mib, run.code
    );
    if let Some(peak) = run.peak_mib {
        assert!(
            peak < BOUNDED_PEAK_MIB,
            "{case}: peak memory {peak} MiB for a 100 MB line"
        );
    }
}

#[test]
fn hundred_megabyte_jsonl_line_is_rejected_with_bounded_memory() {
    let _heavy = heavy();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("long.jsonl");
    write_long_line(
        &input,
        &format!("{}{{\"id\": \"long\", \"body\": \"", good_jsonl()),
        "가나다라마바사",
    );
    let run = run(&[&input], dir.path());
    assert_bounded(&run, "jsonl");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let reason = assert_rejected(&run.out, &input, Some(4), "record longer than");
    println!("case 2: jsonl: {reason}");
    Articles::read(&run.out).assert_analysed(&GOOD_IDS);
    let c = counts(&run.out);
    assert_eq!((c["read"], c["rejected"]), (4, 1));
}

#[test]
fn hundred_megabyte_page_line_is_rejected_with_bounded_memory() {
    let _heavy = heavy();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.txt");
    write_long_line(
        &page,
        "검색결과\n  • 카카오 서비스 복구\n\n    카카오 서비스 복구\n\n    카카오가 먹통 사흘 만에 \
         주요 서비스를 복구했다고 밝혔다.\n  • 끝없는 기사\n\n    ",
        "끝없는 문장이 이어진다 ",
    );
    let good = dir.path().join("good.jsonl");
    write(&good, good_jsonl());
    let run = run(&[&page, &good], dir.path());
    assert_bounded(&run, "page");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let reason = assert_rejected(&run.out, &page, Some(9), "record longer than");
    println!("case 2: page: {reason}");
    let articles = Articles::read(&run.out);
    articles.assert_analysed(&GOOD_IDS);
    articles.assert_analysed(&["page-000001"]);
    let c = counts(&run.out);
    assert_eq!(c["analysed"], 4, "{c:?}");
}

#[test]
fn hundred_megabyte_csv_field_is_rejected_with_bounded_memory() {
    let _heavy = heavy();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("long.csv");
    write_long_line(
        &input,
        "id,title,body\nc-1,첫 기사,카카오가 서비스를 복구했다고 밝혔다.\nc-2,끝없는 기사,",
        "끝없는 문장이 이어진다 ",
    );
    let good = dir.path().join("good.jsonl");
    write(&good, good_jsonl());
    let run = run(&[&input, &good], dir.path());
    assert_bounded(&run, "csv");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let reason = assert_rejected(&run.out, &input, Some(3), "record longer than");
    println!("case 2: csv: {reason}");
    let articles = Articles::read(&run.out);
    articles.assert_analysed(&GOOD_IDS);
    articles.assert_analysed(&["c-1"]);
    counts(&run.out);
}

// 3. Deeply nested JSON.

#[test]
fn deeply_nested_json_is_rejected_without_stack_overflow() {
    const DEPTH: usize = 100_000;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("nested.jsonl");
    let mut text = good_jsonl();
    // Line 4: 100,000 `[` and nothing else.
    text.push_str(&"[".repeat(DEPTH));
    text.push('\n');
    // Line 5: an object whose body opens 100,000 arrays.
    text.push_str(&format!(
        "{{\"id\": \"deep-body\", \"body\": {}\n",
        "[".repeat(DEPTH)
    ));
    // Line 6: 100,000 nested objects, balanced, under the body key.
    text.push_str(&format!(
        "{{\"id\": \"deep-objects\", \"body\": {}1{}}}\n",
        "{\"a\": ".repeat(DEPTH),
        "}".repeat(DEPTH)
    ));
    // Line 7: valid JSON nested 100,000 deep under a key bodo does not read: skipped, and the
    // record is an article.
    text.push_str(&format!(
        "{{\"id\": \"deep-ignored\", \"extra\": {}{}, \"title\": \"깊은 부록\", \"body\": \
         \"부록이 깊게 중첩된 기사도 본문은 읽힌다.\"}}\n",
        "[".repeat(DEPTH),
        "]".repeat(DEPTH)
    ));
    write(&input, &text);
    let run = run(&[&input], dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    for line in [4, 5, 6] {
        let reason = assert_rejected(&run.out, &input, Some(line), "recursion limit");
        println!("case 3: line {line}: {reason}");
    }
    let articles = Articles::read(&run.out);
    articles.assert_analysed(&GOOD_IDS);
    articles.assert_analysed(&["deep-ignored"]);
    let c = counts(&run.out);
    assert_eq!((c["read"], c["rejected"]), (7, 3));
}

// 4. NUL bytes.

#[test]
fn nul_bytes_in_jsonl_strings() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("nul.jsonl");
    let mut bytes = good_jsonl().into_bytes();
    // Line 4: an escaped NUL is valid JSON: the article is read (the NUL becomes a space).
    bytes.extend_from_slice(
        "{\"id\": \"nul-escaped\", \"title\": \"널\\u0000문자\", \"body\": \"본문 가운데 \\u0000 널 \
         문자가 있는 기사다.\"}\n"
            .as_bytes(),
    );
    // Line 5: a raw NUL byte inside a string is not JSON (a control character).
    bytes.extend_from_slice("{\"id\": \"nul-raw\", \"body\": \"본문 가운데 ".as_bytes());
    bytes.push(0);
    bytes.extend_from_slice(" 널 바이트\"}\n".as_bytes());
    bytes.extend_from_slice(generated_article("after", 1).as_bytes());
    bytes.push(b'\n');
    write(&input, &bytes);
    let run = run(&[&input], dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let reason = assert_rejected(&run.out, &input, Some(5), "control character");
    println!("case 4: raw NUL in JSONL: {reason}");
    let articles = Articles::read(&run.out);
    articles.assert_analysed(&GOOD_IDS);
    articles.assert_analysed(&["nul-escaped", "after-1"]);
    assert!(
        !articles.get("nul-escaped")[2].contains('\0'),
        "no NUL in articles.csv"
    );
    let c = counts(&run.out);
    assert_eq!((c["read"], c["rejected"]), (6, 1));
}

#[test]
fn raw_nul_bytes_in_a_page() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.txt");
    let mut bytes = "검색결과\n  • 카카오 서비스 복구\n\n    카카오 서비스 복구\n\n    카카오가 먹통 \
                     사흘 만에 주요 서비스를 복구했다고 밝혔다.\n  • 널 바이트 기사\n\n    널 바이트 \
                     기사\n\n    본문 가운데"
        .as_bytes()
        .to_vec();
    bytes.push(0);
    bytes.extend_from_slice(
        "널 바이트가 끼어 있어도 기사는 읽힌다.\n  • 네이버 장애 훈련\n\n    네이버는 장애 대응 \
         훈련을 강화하기로 했다.\n위로\n"
            .as_bytes(),
    );
    write(&page, &bytes);
    let good = dir.path().join("good.jsonl");
    write(&good, good_jsonl());
    let run = run(&[&page, &good], dir.path());
    println!("case 4: page with a NUL: exit {}", run.code);
    let articles = Articles::read(&run.out);
    articles.assert_analysed(&GOOD_IDS);
    // The article with the NUL is read (or rejected with a reason), and its neighbours are read.
    articles.assert_analysed(&["page-000001", "page-000003"]);
    match articles.status("page-000002") {
        "analysed" => assert!(!articles.get("page-000002")[2].contains('\0')),
        _ => {
            assert_rejected(&run.out, &page, Some(7), "NUL");
        }
    }
    let c = counts(&run.out);
    assert_eq!(c["read"], 6, "{c:?}");
}

// 5. Mixed encodings in one directory.

#[test]
fn mixed_encodings_in_one_directory() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write(&input.join("a.jsonl"), good_jsonl());
    let cp949 = "id,title,body,date,outlet\n\
                 cp-1,판교 데이터센터 화재 원인 조사,소방당국은 판교 데이터센터 지하 배터리실에서 \
                 시작된 불의 원인을 조사하고 있다고 밝혔다.,2022-10-16,경향신문\n\
                 cp-2,\"카카오, 서비스 이중화 투자 확대\",카카오는 데이터센터 이중화에 수천억 원을 \
                 투자하겠다고 발표했다.,2022-10-19,매일경제\n";
    let (encoded, _, lossy) = encoding_rs::EUC_KR.encode(cp949);
    assert!(!lossy);
    write(&input.join("b.csv"), &encoded);
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(
        "id,제목,본문\nbom-1,방송통신위원회 재발 방지 대책 발표,방송통신위원회는 대형 \
         부가통신사업자의 서비스 장애를 막기 위한 재발 방지 대책을 내놓았다.\n"
            .as_bytes(),
    );
    write(&input.join("c.csv"), &bom);
    let run = run(&[&input], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let articles = Articles::read(&run.out);
    articles.assert_analysed(&GOOD_IDS);
    for (id, title) in [
        ("good-2", "과방위, 김범수 의장 증인 채택 논의"),
        ("cp-1", "판교 데이터센터 화재 원인 조사"),
        ("cp-2", "카카오, 서비스 이중화 투자 확대"),
        ("bom-1", "방송통신위원회 재발 방지 대책 발표"),
    ] {
        assert_eq!(articles.status(id), "analysed");
        assert_eq!(articles.get(id)[2], title, "{id}'s title round-trips");
    }
    let c = counts(&run.out);
    assert_eq!((c["read"], c["rejected"]), (6, 0));
}

// 6. A truncated gzip.

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

#[test]
fn truncated_gzip_keeps_the_records_before_the_cut_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write(&input.join("good.jsonl"), good_jsonl());
    // Cut in half: a stream of 3000 articles (well past the 64 KiB sniffed head).
    let big: String = (0..3000)
        .map(|n| generated_article("half", n) + "\n")
        .collect();
    let full = gzip(big.as_bytes());
    write(&input.join("half.jsonl.gz"), &full[..full.len() / 2]);
    // Cut inside the sniffed head, and a stream missing only its 8-byte trailer (CRC, size).
    // (Ids differ between the files: articles.csv is looked up by id.)
    let small = |prefix: &str| {
        let text: String = (0..40)
            .map(|n| generated_article(prefix, n) + "\n")
            .collect();
        gzip(text.as_bytes())
    };
    let full = small("head");
    write(&input.join("head.jsonl.gz"), &full[..full.len() / 2]);
    let full = small("trailer");
    write(&input.join("trailer.jsonl.gz"), &full[..full.len() - 8]);

    let run = run(&[&input], dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let articles = Articles::read(&run.out);
    articles.assert_analysed(&GOOD_IDS);
    for (name, total) in [
        ("half.jsonl.gz", 3000),
        ("head.jsonl.gz", 40),
        ("trailer.jsonl.gz", 40),
    ] {
        let file = input.join(name);
        let reason = assert_rejected(&run.out, &file, None, "corrupt gzip stream after line");
        let lines: usize = reason
            .split("after line ")
            .nth(1)
            .and_then(|r| r.split(':').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no line in {reason:?}"));
        // Every line before the cut is a record of this file, numbered 1.., and not rejected.
        let read: Vec<&[String; 4]> = articles
            .0
            .values()
            .filter(|a| a[0].starts_with(&format!("{}:", file.display())))
            .collect();
        assert_eq!(read.len(), lines, "{name}: {reason}");
        assert!(read.iter().all(|a| a[1] != "rejected"), "{name}");
        assert!(lines > 0 || name == "head.jsonl.gz", "{name}: {reason}");
        if name == "trailer.jsonl.gz" {
            assert_eq!(
                lines, total,
                "all the data is there, only the trailer is cut"
            );
        } else {
            assert!(lines < total);
        }
        println!("case 6: {name}: {lines} of {total} records read; rejected: {reason}");
    }
    counts(&run.out);
}

// 7. Symlink loops.

#[cfg(unix)]
#[test]
fn symlink_loop_in_an_input_directory() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write(&input.join("a.jsonl"), good_jsonl());
    write(
        &input.join("sub/b.jsonl"),
        generated_article("sub", 1) + "\n",
    );
    symlink("..", input.join("sub/up")).unwrap(); // a loop back to in/
    symlink(".", input.join("self")).unwrap(); // a loop onto itself
    symlink("../sub", input.join("sub/again")).unwrap(); // sub/ inside itself
    symlink("a.jsonl", input.join("twin.jsonl")).unwrap(); // the same file under a second name

    let run = run(&[&input], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let m = manifest(&run.out);
    let paths: Vec<&str> = m["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    println!("case 7: inputs read: {paths:?}");
    let a = input.join("a.jsonl");
    let b = input.join("sub/b.jsonl");
    assert_eq!(
        paths,
        [a.to_str().unwrap(), b.to_str().unwrap()],
        "each real file once, by its own path"
    );
    let articles = Articles::read(&run.out);
    articles.assert_analysed(&GOOD_IDS);
    articles.assert_analysed(&["sub-1"]);
    let c = counts(&run.out);
    assert_eq!((c["read"], c["duplicate"]), (4, 0));
}

#[cfg(unix)]
#[test]
fn symlink_cycle_between_files_is_a_clear_error() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write(&input.join("a.jsonl"), good_jsonl());
    symlink("y.jsonl", input.join("x.jsonl")).unwrap();
    symlink("x.jsonl", input.join("y.jsonl")).unwrap();
    let run = run(&[&input], dir.path());
    println!(
        "case 7: x.jsonl -> y.jsonl -> x.jsonl: exit {}: {}",
        run.code,
        run.stderr.trim()
    );
    // Such a link has no content, but bodo cannot tell it from a dangling link to a dump on a
    // disk that is not mounted, so it stops up front naming the link rather than skip it.
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&input.join("x.jsonl").display().to_string()),
        "{}",
        run.stderr
    );
    assert!(!run.out.join("articles.csv").exists());
}

// 8. Ragged CSV rows.

#[test]
fn ragged_csv_rows_are_rejected_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("ragged.csv");
    write(
        &input,
        "id,title,body\n\
         r-1,첫 기사,\"카카오가 서비스를 복구했다고\n밝혔다.\"\n\
         r-2,짧은 줄\n\
         r-3,긴 줄,본문이 있다,남는 칸\n\
         r-4,넷째 기사,네이버도 장애 대응 훈련을 강화하기로 했다.\n\
         r-5\n\
         r-6,여섯째 기사,정부는 데이터센터 재난 관리 기준을 손보기로 했다.\n",
    );
    let run = run(&[&input], dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    for (line, found) in [(4, 2), (5, 4), (7, 1)] {
        let reason = assert_rejected(
            &run.out,
            &input,
            Some(line),
            &format!("expected 3 fields, found {found}"),
        );
        println!("case 8: line {line}: {reason}");
    }
    let articles = Articles::read(&run.out);
    articles.assert_analysed(&["r-1", "r-4", "r-6"]);
    assert!(articles.get("r-4")[0].ends_with("ragged.csv:6"));
    let c = counts(&run.out);
    assert_eq!((c["read"], c["rejected"]), (6, 3));
}

// 9. Invalid UTF-8 inside a UTF-8 JSONL file.

#[test]
fn invalid_utf8_in_the_middle_of_a_utf8_jsonl() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("dump.jsonl");
    let bad_line = |id: &str| {
        let mut line = format!("{{\"id\": \"{id}\", \"body\": \"깨진 ").into_bytes();
        line.extend_from_slice(b"\xFF\xFE\xC3");
        line.extend_from_slice(" 바이트\"}\n".as_bytes());
        line
    };
    let mut bytes = good_jsonl().into_bytes();
    bytes.extend(bad_line("bad-head")); // line 4, inside the sniffed head
    for n in 0..1000 {
        bytes.extend_from_slice(generated_article("mid", n).as_bytes());
        bytes.push(b'\n');
    }
    assert!(bytes.len() > 64 * 1024);
    bytes.extend(bad_line("bad-tail")); // line 1005, past the head
    bytes.extend_from_slice((generated_article("last", 1) + "\n").as_bytes());
    write(&input, &bytes);
    let run = run(&[&input], dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    for line in [4, 1005] {
        let reason = assert_rejected(&run.out, &input, Some(line), "invalid UTF-8 at byte");
        println!("case 9: line {line}: {reason}");
    }
    let articles = Articles::read(&run.out);
    articles.assert_analysed(&GOOD_IDS);
    assert_ne!(articles.status("last-1"), "rejected");
    assert_ne!(articles.status("mid-999"), "rejected");
    let c = counts(&run.out);
    assert_eq!((c["read"], c["rejected"]), (1006, 2));
}

// 12. Broken archives, compressed files and workbooks (issue 7's new formats).

/// A zip archive of (name, bytes) members, stored uncompressed unless `deflate`.
fn zip_of(members: &[(&str, &[u8])], deflate: bool) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let method = if deflate {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    };
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, bytes) in members {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn truncated_zstd_keeps_the_records_before_the_cut_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write(&input.join("good.jsonl"), good_jsonl());
    let text: String = (0..3000)
        .map(|n| generated_article("zst", n) + "\n")
        .collect();
    let full = zstd::encode_all(text.as_bytes(), 3).unwrap();
    let file = input.join("half.jsonl.zst");
    write(&file, &full[..full.len() / 2]);

    let run = run(&[&input], dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let articles = Articles::read(&run.out);
    articles.assert_analysed(&GOOD_IDS);
    let reason = assert_rejected(&run.out, &file, None, "corrupt zstd stream after line");
    let kept = articles
        .0
        .values()
        .filter(|a| a[0].starts_with(&format!("{}:", file.display())))
        .count();
    assert!(kept > 0 && kept < 3000, "{kept} records kept: {reason}");
    println!("case 12: truncated zstd: {kept} of 3000 records read; rejected: {reason}");
    counts(&run.out);
}

#[test]
fn broken_archives_and_workbooks_are_rejected_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write(&input.join("good.jsonl"), good_jsonl());
    let second: String = (0..3)
        .map(|n| generated_article("zipped", n) + "\n")
        .collect();
    let archive = zip_of(
        &[
            ("__MACOSX/._a.jsonl", b"\x00\x05\x16\x07 resource fork"),
            ("a.jsonl", second.as_bytes()),
            ("inner.zip", &zip_of(&[("x.jsonl", b"{}")], false)),
            ("notes.md", b"# not an input"),
            ("fake.xlsx", b"this is not a workbook"),
        ],
        true,
    );
    write(&input.join("b-archive.zip"), &archive);
    // An archive cut in half has no central directory: nothing can be listed.
    write(&input.join("c-cut.zip"), &archive[..archive.len() / 2]);
    write(
        &input.join("d-garbage.xlsx"),
        b"PK\x03\x04 and then nothing a zip needs",
    );
    write(
        &input.join("e-empty.zip"),
        zip_of(&[("notes.md", b"x")], false),
    );

    let run = run(&[&input], dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let articles = Articles::read(&run.out);
    articles.assert_analysed(&GOOD_IDS);
    articles.assert_analysed(&["zipped-0", "zipped-1", "zipped-2"]);
    let zip = input.join("b-archive.zip");
    assert_eq!(
        articles.get("zipped-0")[0],
        format!("{}/a.jsonl:1", zip.display())
    );
    assert_rejected(
        &run.out,
        &zip.join("inner.zip"),
        None,
        "inside a zip archive",
    );
    assert_rejected(
        &run.out,
        &zip.join("fake.xlsx"),
        None,
        "not a readable xlsx",
    );
    assert_rejected(
        &run.out,
        &input.join("c-cut.zip"),
        None,
        "not a readable zip",
    );
    assert_rejected(
        &run.out,
        &input.join("d-garbage.xlsx"),
        None,
        "not a readable xlsx",
    );
    assert_rejected(&run.out, &input.join("e-empty.zip"), None, "no input files");
    let all = rejections(&run.out);
    assert_eq!(all.len(), 5, "{all:#?}");
    assert!(
        !all.iter()
            .any(|(s, _)| s.contains("MACOSX") || s.contains("notes.md")),
        "{all:#?}"
    );
    counts(&run.out);
}
