//! The checks the fuzz targets (`fuzz_targets/*.rs`) and the stable proptest harness
//! (`tests/fuzz_harness.rs`, which includes this file with `#[path]`) run on every input, so the
//! two never disagree about what bodo promises.
//!
//! Takes: the bytes of one input file and the name to save them under (the extension picks the
//! format), or a title and body to normalise. Gives: the records or the normalised text, after
//! asserting — a failed assertion is a panic, which libFuzzer reports as a crash and proptest
//! shrinks — what `bodo::ingest` and `bodo::normalise` document:
//!
//! - ingest: [`resolve`] and [`scan`] succeed on any bytes (a bad record is a rejection, never an
//!   error or a panic); `index` counts the records 0..n; every rejection has a reason and a
//!   source naming the file (`path`, `path:PLACE`, or `path/MEMBER[:PLACE]` in an archive; a
//!   number is a line the text has); every article has a trimmed, non-empty body, a trimmed title,
//!   an id and a source with a place, and the articles of one input come in line order; dates
//!   are valid ISO dates or kept trimmed; an empty file is one rejection; and scanning twice gives
//!   the same records (the pipeline makes two passes);
//! - normalise: the output is NFC, has no full-width ASCII, ideographic spaces or zero-width
//!   characters, no whitespace or control characters but single spaces inside lines and single
//!   line breaks between trimmed lines (none in the title); the body is empty only when its input
//!   was blank, every line of it is text of the cleaned input, `boilerplate_chars` counts what was
//!   removed; and normalising again changes nothing.
//!
//! Articles read by the ingest checks are also normalised and checked, as `bodo run` does.
//!
//! It also builds what the container targets feed bodo: [`zip_archive`] and [`damage`].
//!
//! This file depends only on bodo, `tempfile`, `unicode-normalization` and `zip` (bodo's own
//! dependencies), so the stable harness can include it without new dev-dependencies.

use std::io::Write;
use std::path::{Path, PathBuf};

use bodo::ingest::{resolve, scan, IngestOptions};
use bodo::normalise::{clean, normalise_text};
use bodo::record::{Article, ArticleDate, Normalised, Record, Rejection};
use unicode_normalization::is_nfc;

/// A directory for the input files, in memory (`/dev/shm`) when the system has one: the fuzz
/// targets write a file per execution.
pub fn scratch_dir() -> tempfile::TempDir {
    let mut builder = tempfile::Builder::new();
    builder.prefix("bodo-fuzz-");
    let shm = Path::new("/dev/shm");
    let in_memory = shm.is_dir().then(|| builder.tempdir_in(shm).ok()).flatten();
    in_memory.unwrap_or_else(|| builder.tempdir().expect("a scratch directory"))
}

/// Saves `bytes` as `dir/name`, reads it with bodo's ingest (format from the extension of
/// `name`), asserts the ingest invariants (see the module docs) and returns the records. The file
/// is removed afterwards.
pub fn check_ingest(dir: &Path, name: &str, bytes: &[u8]) -> Vec<Record> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write the input");
    let records = ingest(&path);
    let again = ingest(&path);
    std::fs::remove_file(&path).expect("remove the input");
    assert_eq!(records, again, "scanning twice gives the same records");

    let shown = path.display().to_string();
    // Lines a text input has; `None` for containers whose places are not lines of these bytes.
    let lines = is_plain_text(name).then(|| bytes.iter().filter(|&&b| b == b'\n').count() + 1);
    for (i, record) in records.iter().enumerate() {
        assert_eq!(record.index(), i, "indices count the records 0..n");
    }
    if bytes.is_empty() {
        assert!(
            matches!(&records[..], [Record::Rejected(r)] if r.source == shown),
            "an empty file is one rejection naming it: {records:?}"
        );
    }
    // The input (the file, or an archive member) and line of the last article.
    let mut last: Option<(&str, usize)> = None;
    for record in &records {
        match record {
            Record::Rejected(r) => check_rejection(r, &shown, lines),
            Record::Article(a) => {
                if let Some(line) = check_article(a, &shown, lines) {
                    let input = a.source.rsplit_once(':').map_or("", |(input, _)| input);
                    if let Some((last_input, last_line)) = last.filter(|(i, _)| *i == input) {
                        assert!(
                            line >= last_line,
                            "articles come in line order: {} after {last_input}:{last_line}",
                            a.source
                        );
                    }
                    last = Some((input, line));
                }
                check_normalise(&a.title, &a.body);
            }
        }
    }
    records
}

/// Every record of one file, or a panic if bodo returns an error for it.
fn ingest(path: &Path) -> Vec<Record> {
    let opts = IngestOptions::default();
    let inputs = resolve(&[PathBuf::from(path)], &opts)
        .unwrap_or_else(|e| panic!("resolve fails on a readable file: {e}"));
    // A zip archive is one input per member; anything else one input.
    assert!(
        !inputs.files.is_empty(),
        "a file is at least one input: {inputs:?}"
    );
    let mut records = Vec::new();
    scan(&inputs, &opts, &mut |r| {
        records.push(r);
        Ok(())
    })
    .unwrap_or_else(|e| panic!("scan fails instead of rejecting: {e}"));
    records
}

/// Whether `name` is read as text line by line (its sources are lines of the bytes on disk).
fn is_plain_text(name: &str) -> bool {
    let ext = name.rsplit('.').next().unwrap_or("");
    ["txt", "jsonl", "ndjson", "json", "csv", "tsv"].contains(&ext)
}

/// The place in a source (`path:PLACE`, or `path/MEMBER:PLACE` for a member of a zip archive),
/// or `None` for a whole file (`path`, `path/MEMBER`). Panics when the source names another
/// file. A place that is a number must be a line of the input when `lines` is known.
fn place<'s>(source: &'s str, path: &str, lines: Option<usize>) -> Option<&'s str> {
    let rest = source
        .strip_prefix(path)
        .unwrap_or_else(|| panic!("source {source:?} does not name the file {path:?}"));
    let place = match rest.strip_prefix('/') {
        // Member names are the fuzz targets' own, without `:`.
        Some(member) => {
            let (name, place) = member
                .split_once(':')
                .map_or((member, None), |(n, p)| (n, Some(p)));
            assert!(!name.is_empty(), "source {source:?} names no member");
            place?
        }
        None if rest.is_empty() => return None,
        None => rest
            .strip_prefix(':')
            .unwrap_or_else(|| panic!("source {source:?} does not name the file {path:?}")),
    };
    assert!(!place.is_empty(), "source {source:?} has an empty place");
    if let (Ok(line), Some(lines)) = (place.parse::<usize>(), lines) {
        assert!(
            (1..=lines).contains(&line),
            "source {source:?}: line {line} is not within the file's {lines} lines"
        );
    }
    Some(place)
}

fn check_rejection(r: &Rejection, path: &str, lines: Option<usize>) {
    assert!(
        !r.reason.trim().is_empty(),
        "rejection without a reason: {r:?}"
    );
    place(&r.source, path, lines);
    if let Some(id) = &r.article_id {
        assert!(!id.is_empty(), "rejection with an empty article id: {r:?}");
    }
}

/// Checks one article; returns its line when its source is `path:LINE`.
fn check_article(a: &Article, path: &str, lines: Option<usize>) -> Option<usize> {
    let place = place(&a.source, path, lines)
        .unwrap_or_else(|| panic!("article source {:?} has no place", a.source));
    assert!(!a.body.is_empty(), "article with an empty body: {a:?}");
    assert_eq!(a.body.trim(), a.body, "body is trimmed: {a:?}");
    assert_eq!(a.title.trim(), a.title, "title is trimmed: {a:?}");
    assert!(!a.article_id.is_empty(), "article without an id: {a:?}");
    for value in [&a.outlet, &a.url].into_iter().flatten() {
        assert!(
            !value.is_empty() && value.trim() == value,
            "outlet and url are trimmed and non-empty when present: {a:?}"
        );
    }
    match &a.date {
        ArticleDate::Missing => {}
        ArticleDate::Iso(d) => assert!(is_iso_date(d), "not an ISO date: {d:?}"),
        ArticleDate::Unparsed(d) => assert!(
            !d.is_empty() && d.trim() == d,
            "an unparsed date is kept trimmed: {d:?}"
        ),
    }
    place.parse().ok()
}

/// `YYYY-MM-DD` with a month 1–12 and a day 1–31 (the parser checks the calendar; this only
/// checks the shape it promises).
fn is_iso_date(d: &str) -> bool {
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) {
        return false;
    }
    if !digits(5..7) || !digits(8..10) {
        return false;
    }
    let month: u32 = d[5..7].parse().unwrap_or(0);
    let day: u32 = d[8..10].parse().unwrap_or(0);
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// Splits fuzz text into a title (the first line) and a body (the rest), so seeds read like
/// articles. Titles still meet line breaks: `\r` and U+2028 end lines in the normaliser.
pub fn title_and_body(text: &str) -> (&str, &str) {
    text.split_once('\n').unwrap_or((text, ""))
}

/// Normalises `title` and `body`, asserts the normaliser's guarantees (see the module docs) and
/// returns the result.
pub fn check_normalise(title: &str, body: &str) -> Normalised {
    let out = normalise_text(title, body);
    check_clean_text(&out.title, "title");
    check_clean_text(&out.body, "body");
    assert!(
        !out.title.contains('\n'),
        "title keeps no line break: {out:?}"
    );

    let cleaned = clean(body);
    assert_eq!(
        out.body.is_empty(),
        cleaned.is_empty(),
        "only a blank body normalises to nothing: {body:?} → {out:?}"
    );
    for line in out.body.lines() {
        assert!(
            cleaned.contains(line),
            "line {line:?} of the normalised body is not text of the input {cleaned:?}"
        );
    }
    assert_eq!(
        out.boilerplate_chars,
        cleaned.chars().count() - out.body.chars().count(),
        "boilerplate_chars counts the characters removed from {cleaned:?}"
    );

    let again = normalise_text(&out.title, &out.body);
    assert_eq!(
        (&again.title, &again.body, again.boilerplate_chars),
        (&out.title, &out.body, 0),
        "normalising twice changes nothing; input {title:?} / {body:?}"
    );
    out
}

/// What every normalised field is: NFC, folded, no zero-width characters, whitespace collapsed.
fn check_clean_text(text: &str, field: &str) {
    assert!(is_nfc(text), "{field} is not NFC: {text:?}");
    for c in text.chars() {
        assert!(
            !matches!(c, '\u{FF01}'..='\u{FF5E}' | '\u{3000}'),
            "{field} keeps full-width {c:?}: {text:?}"
        );
        assert!(
            !matches!(
                c,
                '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
            ),
            "{field} keeps zero-width {c:?}: {text:?}"
        );
        assert!(
            c == ' ' || c == '\n' || !(c.is_whitespace() || c.is_control()),
            "{field} keeps whitespace or control {c:?}: {text:?}"
        );
    }
    for line in text.split('\n') {
        assert!(
            !line.is_empty() || text.is_empty(),
            "{field} has an empty line: {text:?}"
        );
        assert_eq!(line.trim(), line, "{field} has an untrimmed line: {text:?}");
        assert!(
            !line.contains("  "),
            "{field} has a run of spaces: {text:?}"
        );
    }
}

/// One member of a zip archive to build.
#[derive(Debug, Clone)]
pub struct ZipMember {
    /// Its name in the archive (`:` is taken out: sources put one after the member name).
    pub name: String,
    pub bytes: Vec<u8>,
    /// Deflated, else stored.
    pub deflate: bool,
}

/// The extensions zip members get: every input kind bodo reads in an archive, compressed ones,
/// a nested archive (rejected) and a name bodo skips.
pub const MEMBER_EXTENSIONS: [&str; 10] = [
    "jsonl", "csv", "tsv", "txt", "xlsx", "json", "jsonl.gz", "csv.zst", "zip", "md",
];

/// A zip archive of `members`, in order; a member whose name was already used is left out (zip
/// names are unique).
pub fn zip_archive(members: &[ZipMember]) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    use zip::CompressionMethod;

    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut names = std::collections::HashSet::new();
    for member in members {
        let name = member.name.replace(':', "");
        if !names.insert(name.clone()) {
            continue;
        }
        let method = if member.deflate {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        };
        let options = SimpleFileOptions::default().compression_method(method);
        zip.start_file(name, options).expect("start a zip member");
        zip.write_all(&member.bytes).expect("write a zip member");
    }
    zip.finish().expect("finish the zip archive").into_inner()
}

/// Damages a built file the way a broken download or disk does: cut at `at` when `xor` is 0,
/// else flips the bits `xor` of the byte at `at` (both modulo the length).
pub fn damage(bytes: &mut Vec<u8>, at: usize, xor: u8) {
    if bytes.is_empty() {
        return;
    }
    let at = at % bytes.len();
    match xor {
        0 => bytes.truncate(at),
        x => bytes[at] ^= x,
    }
}
