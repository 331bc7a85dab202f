//! Ingest: input paths → a numbered stream of [`Record`]s (articles or rejections).
//!
//! Takes: the paths given on the command line (files, directories, zip archives, `-` for stdin)
//! and [`IngestOptions`] (forced format / encoding, BIGKinds exclusions).
//! Gives: [`resolve`], which lists and fingerprints every input up front ([`Inputs`]), and
//! [`scan`], which streams every record of every input, in order, to a sink.
//! Guarantees:
//! - Errors that stop a run happen in [`resolve`] (missing or unreadable paths, directories with
//!   no inputs) or when a file cannot be opened; everything else is a [`Rejection`] with a
//!   reason, so every record is either read or accounted for — never silently dropped. A file
//!   that is empty, binary, UTF-16, an unreadable workbook, archive or archive member, or whose
//!   compressed stream is corrupt yields one rejection (source = the path; the records read
//!   before a corruption are kept).
//! - [`scan`] is deterministic: two calls on the same [`Inputs`] give identical records, so the
//!   pipeline can make two passes. `index` counts every record (rejections included) from 0
//!   across all inputs in order.
//! - Streaming: JSONL and CSV are read record by record, from plain, gzip or zstd files or from
//!   zip members without extracting them; a workbook row by row; only a page (small by nature),
//!   and a workbook inside an archive or compressed file (which needs seeking), are read whole.
//!
//! Inputs inside a zip archive are named `archive.zip/member` (their sources
//! `archive.zip/member:LINE`) and fingerprinted by their uncompressed bytes.
//!
//! Derived ids: a record without a non-empty id of its own gets `{stem}-{n:06}`, where `stem` is
//! the file name without `.gz`/`.zst` and its extension (`stdin` for `-`) and `n` the 1-based record
//! number within the file (rejected records count, so ids do not shift when a line is fixed).
//! When two inputs share a stem, later ones become `stem~2`, `stem~3`, … so derived ids stay
//! unique within a run.
//!
//! One file per format: `page.rs` (saved portal search results), `jsonl.rs`, `csv.rs` (CSV and
//! TSV), `xlsx.rs` (BIGKinds exports and other workbooks), `parquet.rs`; `fields.rs` holds what they share
//! (field aliases, article building), `decode.rs` compression and encodings, `archive.rs` zip
//! archives, [`date`] Korean dates.

mod archive;
mod csv;
pub mod date;
mod decode;
mod fields;
mod jsonl;
mod page;
mod parquet;
mod xlsx;

use std::collections::HashSet;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use encoding_rs::{Encoding, EUC_KR, UTF_8};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::record::{Article, Record, Rejection};

pub use decode::Compression;
use decode::Content;
pub use fields::EXCLUDED_REASON;
use fields::{Fields, RecordPlace};
pub use parquet::ROWS_PER_READ as PARQUET_ROWS_PER_READ;

/// An input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// A saved portal search-result page (text).
    Page,
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated with a header row.
    Csv,
    /// Tab-separated with a header row.
    Tsv,
    /// An Excel workbook (`.xlsx`), such as a BIGKinds export: the first worksheet, header row
    /// first.
    Xlsx,
    /// An Apache Parquet file (`.parquet`): one record per row, columns named as CSV headers.
    Parquet,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Page => "page",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Xlsx => "xlsx",
            Format::Parquet => "parquet",
        }
    }

    /// The format an extension implies (`.gz`/`.zst` already stripped), if any.
    fn from_extension(ext: &str) -> Option<Format> {
        match ext.to_ascii_lowercase().as_str() {
            "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
            "csv" => Some(Format::Csv),
            "tsv" => Some(Format::Tsv),
            "txt" => Some(Format::Page),
            "xlsx" => Some(Format::Xlsx),
            "parquet" | "pq" => Some(Format::Parquet),
            _ => None,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "page" | "txt" => Ok(Format::Page),
            "jsonl" | "ndjson" => Ok(Format::Jsonl),
            "csv" => Ok(Format::Csv),
            "tsv" => Ok(Format::Tsv),
            "xlsx" => Ok(Format::Xlsx),
            "parquet" => Ok(Format::Parquet),
            _ => Err(Error::Config(format!(
                "unknown format {s:?}; valid formats: page (or txt), jsonl (or ndjson), csv, tsv, \
                 xlsx, parquet"
            ))),
        }
    }
}

/// How to read inputs; `None` means "detect per input".
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// `--format`: applies to every input.
    pub format: Option<Format>,
    /// `--encoding`: applies to every input without a byte-order mark.
    pub encoding: Option<&'static Encoding>,
    /// `--keep-bigkinds-excluded`: read records BIGKinds marks `분석제외 여부` as articles
    /// instead of rejecting them.
    pub keep_excluded: bool,
}

/// Parses an `--encoding` value: `utf-8`, `cp949` or `euc-kr` (and their other names such as
/// `utf8`, `ms949`, `windows-949`, `ks_c_5601-1987`). CP949 and EUC-KR are the same decoder in
/// encoding_rs (windows-949, a superset of EUC-KR).
pub fn parse_encoding(name: &str) -> Result<&'static Encoding> {
    let label = name.trim();
    // Windows names for the same code page, which the WHATWG label list lacks.
    if ["cp949", "ms949", "uhc"]
        .iter()
        .any(|n| label.eq_ignore_ascii_case(n))
    {
        return Ok(EUC_KR);
    }
    match Encoding::for_label(label.as_bytes()) {
        Some(enc) if enc == UTF_8 || enc == EUC_KR => Ok(enc),
        _ => Err(Error::Config(format!(
            "unsupported encoding {name:?}; supported: utf-8, cp949 (also called euc-kr)"
        ))),
    }
}

/// One resolved input file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InputFile {
    /// As the user sees it: the path as given or as found in a directory walk, or `-` for stdin.
    pub path: String,
    /// The file actually read (stdin is spooled to a temporary file; for an archive member,
    /// the archive).
    #[serde(skip)]
    pub read_from: PathBuf,
    /// For a member of the zip archive `read_from`, its index there.
    #[serde(skip)]
    pub member: Option<usize>,
    /// Size on disk (compressed for gzip and zstd; uncompressed for an archive member).
    pub bytes: u64,
    /// SHA-256 of those bytes, lower-case hex.
    pub sha256: String,
    /// Detected, or forced by [`IngestOptions::format`].
    pub format: Format,
    pub compression: Compression,
    /// Why the input cannot be read at all (an archive that is not a zip, an encrypted member):
    /// [`scan`] rejects it as a whole with this reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<String>,
}

/// The inputs of a run. Owns the stdin spool so that [`scan`] can read stdin twice.
#[derive(Debug)]
pub struct Inputs {
    pub files: Vec<InputFile>,
    /// Kept alive (and deleted on drop) for the `read_from` of the `-` input.
    spool: Option<tempfile::NamedTempFile>,
}

impl Inputs {
    /// Whether standard input is among the inputs.
    pub fn reads_stdin(&self) -> bool {
        self.spool.is_some()
    }
}

/// The longest record bodo reads, in bytes (64 MiB, after gunzip): a JSONL line, a line of a
/// page, a CSV row. A longer one is rejected (`record longer than 64 MiB`) without being held in
/// memory, so a file without newlines, or a CSV quote left open, cannot exhaust memory: ingest
/// holds at most this much of a record. Real articles are a few kB; a 10 MB one is still read.
pub const MAX_RECORD_BYTES: usize = 64 * 1024 * 1024;

/// The start of the rejection reason for a record over [`MAX_RECORD_BYTES`].
pub(crate) fn record_too_long() -> String {
    format!(
        "record longer than {} MiB (the maximum record size)",
        MAX_RECORD_BYTES / (1024 * 1024)
    )
}

/// Extensions picked up in directories and zip archives (optionally followed by `.gz` or
/// `.zst`), besides `.zip` archives themselves. Explicit file arguments are read whatever their
/// name.
pub const INPUT_EXTENSIONS: &[&str] = &[
    "txt", "jsonl", "ndjson", "json", "csv", "tsv", "xlsx", "parquet",
];

/// Expands `paths` into the list of inputs, fingerprinting each (size, SHA-256) and detecting
/// its format and compression.
///
/// Files are taken as given, in command-line order. Directories are walked recursively, skipping
/// names that start with `.`, following symlinks but never into a directory already visited
/// (so symlink loops end) nor to a file already found (so a linked file is read once), and their
/// files — those with an [`INPUT_EXTENSIONS`] extension, optionally plus `.gz` or `.zst`, and
/// `.zip` archives — are sorted by path. A zip archive (by name, or by content for a name that
/// says nothing) becomes its input members, in name order. A symlink that cannot be followed
/// (dangling, or a cycle of links) is an error naming it: it may be a dump on a disk that is not
/// mounted. `-` spools stdin to a temporary file; it may be given once.
///
/// Errors: a path that does not exist or cannot be read ([`Error::Io`]), a directory without
/// input files, `-` twice, or no paths at all ([`Error::Input`] / [`Error::Config`]). An archive
/// that cannot be read is not an error but an input [`scan`] rejects.
pub fn resolve(paths: &[PathBuf], opts: &IngestOptions) -> Result<Inputs> {
    if paths.is_empty() {
        return Err(Error::Config(
            "no inputs: give files, directories, or - for standard input".into(),
        ));
    }
    let mut files = Vec::new();
    let mut spool = None;
    for path in paths {
        if path.as_os_str() == "-" {
            if spool.is_some() {
                return Err(Error::Input {
                    path: path.clone(),
                    message: "standard input (-) given more than once".into(),
                });
            }
            let tmp = spool_stdin()?;
            add_file("-".into(), tmp.path(), None, opts, &mut files)?;
            spool = Some(tmp);
            continue;
        }
        let meta = fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if !meta.is_dir() {
            add_file(
                path.display().to_string(),
                path,
                Some(path),
                opts,
                &mut files,
            )?;
            continue;
        }
        let mut found = Vec::new();
        walk(path, &mut HashSet::new(), &mut found)?;
        if found.is_empty() {
            return Err(Error::Input {
                path: path.clone(),
                message: format!(
                    "directory has no input files (looked for .{} and .zip, optionally \
                     compressed as .gz or .zst)",
                    INPUT_EXTENSIONS.join(", .")
                ),
            });
        }
        found.sort();
        for file in found {
            add_file(
                file.display().to_string(),
                &file,
                Some(&file),
                opts,
                &mut files,
            )?;
        }
    }
    Ok(Inputs { files, spool })
}

fn spool_stdin() -> Result<tempfile::NamedTempFile> {
    let stdin_err = |e| Error::io("-", e);
    let mut tmp = tempfile::NamedTempFile::new().map_err(stdin_err)?;
    io::copy(&mut io::stdin().lock(), &mut tmp).map_err(stdin_err)?;
    Ok(tmp)
}

/// `visited` holds the canonical paths of the directories walked and the files found, so that
/// neither is taken twice through a symlink (a loop, or `latest.jsonl -> 2022-10-17.jsonl`,
/// whose records would otherwise be read twice and counted as copies of themselves). Entries are
/// walked in sorted order, so which path reaches a file first does not depend on the file system.
fn walk(dir: &Path, visited: &mut HashSet<PathBuf>, found: &mut Vec<PathBuf>) -> Result<()> {
    let canonical = fs::canonicalize(dir).map_err(|e| Error::io(dir, e))?;
    if !visited.insert(canonical) {
        return Ok(());
    }
    let mut paths = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        if !entry.file_name().to_string_lossy().starts_with('.') {
            paths.push(entry.path());
        }
    }
    paths.sort();
    for path in paths {
        // `fs::metadata` follows symlinks: a linked directory is walked (once), a linked file read
        // (once).
        let meta = fs::metadata(&path).map_err(|e| Error::io(&path, e))?;
        if meta.is_dir() {
            walk(&path, visited, found)?;
        } else if meta.is_file() && (is_input_name(&path) || is_zip_name(&path)) {
            let canonical = fs::canonicalize(&path).map_err(|e| Error::io(&path, e))?;
            if visited.insert(canonical) {
                found.push(path);
            }
        }
    }
    Ok(())
}

/// The extension of `path` once a `.gz` or `.zst` is stripped.
fn inner_extension(path: &Path) -> Option<String> {
    let path = if Compression::from_name(path).is_some() {
        Path::new(path.file_stem()?)
    } else {
        path
    };
    Some(path.extension()?.to_string_lossy().to_ascii_lowercase())
}

fn is_input_name(path: &Path) -> bool {
    inner_extension(path).is_some_and(|ext| INPUT_EXTENSIONS.contains(&ext.as_str()))
}

fn is_zip_name(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("zip"))
}

/// The first bytes of every zip archive, `.xlsx` workbooks included.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const PARQUET_MAGIC: &[u8] = b"PAR1";

/// Adds the input at `read_from` (shown as `path`; `named` gives extension hints, `None` for
/// stdin): one file, or the members of a zip archive.
fn add_file(
    path: String,
    read_from: &Path,
    named: Option<&Path>,
    opts: &IngestOptions,
    files: &mut Vec<InputFile>,
) -> Result<()> {
    let (bytes, sha256, first) = fingerprint(read_from).map_err(|e| Error::io(&path, e))?;
    let named_format = named
        .and_then(inner_extension)
        .and_then(|ext| Format::from_extension(&ext));
    let archive = match opts.format {
        Some(_) => false,
        None if named.is_some_and(is_zip_name) => true,
        // A workbook is a zip too: only a name that says nothing is looked inside.
        None => named_format.is_none() && first.starts_with(ZIP_MAGIC) && !is_workbook(read_from),
    };
    if archive {
        let archive = InputFile {
            path,
            read_from: read_from.to_path_buf(),
            member: None,
            bytes,
            sha256,
            format: Format::Page,
            compression: Compression::None,
            unreadable: None,
        };
        return add_members(archive, opts, files);
    }
    let compression = Compression::detect(named, &first);
    let format = match opts.format.or(named_format) {
        Some(format) => format,
        None if first.starts_with(ZIP_MAGIC) => Format::Xlsx,
        None if first.starts_with(PARQUET_MAGIC) => Format::Parquet,
        None => sniff_file_format(&path, read_from, compression, opts)?,
    };
    files.push(InputFile {
        path,
        read_from: read_from.to_path_buf(),
        member: None,
        bytes,
        sha256,
        format,
        compression,
        unreadable: None,
    });
    Ok(())
}

/// Whether the zip at `path` is an Excel workbook.
fn is_workbook(path: &Path) -> bool {
    let looks_for = |name: &Path| name == Path::new("xl/workbook.xml");
    matches!(archive::members(path, looks_for), Ok(Ok(found)) if !found.is_empty())
}

/// Adds the input members of the zip `archive`, or the archive itself as one unreadable input
/// when it cannot be listed or holds no inputs.
fn add_members(archive: InputFile, opts: &IngestOptions, files: &mut Vec<InputFile>) -> Result<()> {
    let (path, read_from) = (archive.path.as_str(), archive.read_from.as_path());
    let is_member_input = |name: &Path| is_input_name(name) || is_zip_name(name);
    let listed = archive::members(read_from, is_member_input).map_err(|e| Error::io(path, e))?;
    let members = match listed {
        Ok(members) if members.is_empty() => Err(format!(
            "zip archive has no input files (looked for .{}, optionally compressed as .gz or \
             .zst)",
            INPUT_EXTENSIONS.join(", .")
        )),
        other => other,
    };
    let members = match members {
        Ok(members) => members,
        Err(reason) => {
            files.push(InputFile {
                unreadable: Some(reason),
                ..archive
            });
            return Ok(());
        }
    };
    for member in members {
        let name = Path::new(&member.name);
        let (sha256, first, mut unreadable) = match member.digest {
            Ok((sha256, first)) => (sha256, first, None),
            Err(reason) => (String::new(), Vec::new(), Some(reason)),
        };
        if is_zip_name(name) {
            unreadable = Some("a zip archive inside a zip archive is not read; extract it".into());
        }
        let format = opts
            .format
            .or_else(|| inner_extension(name).and_then(|ext| Format::from_extension(&ext)))
            .unwrap_or(Format::Page);
        files.push(InputFile {
            path: format!("{path}/{}", member.name),
            read_from: read_from.to_path_buf(),
            member: Some(member.index),
            bytes: member.bytes,
            sha256,
            format,
            compression: Compression::detect(Some(name), &first),
            unreadable,
        });
    }
    Ok(())
}

/// The format of a file whose name says nothing, from its decoded head.
fn sniff_file_format(
    path: &str,
    read_from: &Path,
    compression: Compression,
    opts: &IngestOptions,
) -> Result<Format> {
    let file = File::open(read_from).map_err(|e| Error::io(path, e))?;
    let opened = decode::open(file, compression, opts.encoding).map_err(|e| Error::io(path, e))?;
    Ok(match opened.content {
        Content::Text(dec) => sniff_format(&dec.decode_lossy(opened.reader.head())),
        // Rejected as a whole by `scan`; the format does not matter.
        _ => Format::Page,
    })
}

/// Size, SHA-256 (hex) and first bytes of a file, in one streaming pass.
fn fingerprint(path: &Path) -> io::Result<(u64, String, Vec<u8>)> {
    digest(&mut File::open(path)?)
}

/// Size, SHA-256 (hex) and first [`decode::MAGIC_LEN`] bytes of a stream, in one pass.
fn digest(file: &mut impl Read) -> io::Result<(u64, String, Vec<u8>)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0; decode::BUF_LEN];
    let mut first = Vec::with_capacity(decode::MAGIC_LEN);
    let mut total = 0u64;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if first.len() < decode::MAGIC_LEN {
            let take = (decode::MAGIC_LEN - first.len()).min(n);
            first.extend_from_slice(&buf[..take]);
        }
        hasher.update(&buf[..n]);
        total += n as u64;
    }
    Ok((total, hex(&hasher.finalize()), first))
}

/// Lower-case hex, as `sha256sum` prints digests.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Format of an input whose name says nothing, from its decoded head.
fn sniff_format(head: &str) -> Format {
    if head.trim_start().starts_with('{') {
        return Format::Jsonl;
    }
    if head.lines().any(|line| line.starts_with("  • ")) {
        return Format::Page;
    }
    match head.lines().next() {
        Some(first) if first.contains('\t') => Format::Tsv,
        Some(first) if first.contains(',') => Format::Csv,
        _ => Format::Page,
    }
}

/// Every record of `data`, an input held in memory (an upload, an object-store blob, a Spark
/// binary file), read as the file `name` would be: its format from `name`'s extension or the
/// content (or [`IngestOptions::format`]), compression and zip archives as for files, sources
/// `name:line`. The bytes are spooled to a temporary file, as stdin is.
pub fn read_bytes(
    name: &str,
    data: &[u8],
    opts: &IngestOptions,
) -> Result<(Vec<Article>, Vec<Rejection>)> {
    let file_name = Path::new(name).file_name().unwrap_or(name.as_ref());
    let dir = tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let spool = dir.path().join(file_name);
    fs::write(&spool, data).map_err(|e| Error::io(&spool, e))?;
    let mut inputs = resolve(std::slice::from_ref(&spool), opts)?;
    let shown = spool.display().to_string();
    for file in &mut inputs.files {
        file.path = file.path.replacen(&shown, name, 1);
    }
    collect(&inputs, opts)
}

/// Every record of `paths` in memory, as the articles and the rejections (for small inputs:
/// notebooks, seeds, tests, tools); big dumps are streamed by [`scan`].
pub fn read(paths: &[PathBuf], opts: &IngestOptions) -> Result<(Vec<Article>, Vec<Rejection>)> {
    collect(&resolve(paths, opts)?, opts)
}

/// Every record of resolved inputs, in memory.
fn collect(inputs: &Inputs, opts: &IngestOptions) -> Result<(Vec<Article>, Vec<Rejection>)> {
    let (mut articles, mut rejections) = (Vec::new(), Vec::new());
    scan(inputs, opts, &mut |record| {
        match record {
            Record::Article(a) => articles.push(a),
            Record::Rejected(r) => rejections.push(r),
        }
        Ok(())
    })?;
    Ok((articles, rejections))
}

/// Streams every record of every input, in order, to `sink`; see the module docs for the
/// guarantees. A sink error aborts the scan and is returned; so is a file that cannot be opened.
pub fn scan(
    inputs: &Inputs,
    opts: &IngestOptions,
    sink: &mut dyn FnMut(Record) -> Result<()>,
) -> Result<()> {
    let mut emitter = Emitter {
        sink,
        next_index: 0,
    };
    let mut stems = HashSet::new();
    // Members of one archive come one after another: its directory is read once for all of them.
    let mut zip: Option<archive::Archive> = None;
    for file in &inputs.files {
        let stem = unique_stem(&file.path, &mut stems);
        let mut out = FileOut {
            emitter: &mut emitter,
            path: &file.path,
            stem: &stem,
            compression: file.compression,
            keep_excluded: opts.keep_excluded,
            records: 0,
        };
        if let Some(reason) = &file.unreadable {
            out.reject_file(reason)?;
            continue;
        }
        let format = opts.format.unwrap_or(file.format);
        if format == Format::Parquet {
            // Parquet compresses its own columns and is read by seeking (footer first).
            if file.member.is_some() || file.compression != Compression::None {
                out.reject_file(
                    "a Parquet file inside an archive or compressed file; give the .parquet \
                     itself (its columns are compressed already)",
                )?;
            } else {
                parquet::read(&file.read_from, &mut out)?;
            }
            continue;
        }
        let raw: Box<dyn Read + '_> = match file.member {
            None if format == Format::Xlsx && file.compression == Compression::None => {
                // A workbook on disk is read in place: calamine seeks in it.
                let book = File::open(&file.read_from).map_err(|e| Error::io(&file.path, e))?;
                xlsx::read(BufReader::with_capacity(decode::BUF_LEN, book), &mut out)?;
                continue;
            }
            None => Box::new(File::open(&file.read_from).map_err(|e| Error::io(&file.path, e))?),
            Some(index) => {
                let archive = archive::Archive::reuse(zip.take(), &file.read_from)
                    .map_err(|e| Error::io(&file.read_from, e))?;
                match zip.insert(archive).open(index) {
                    Ok(member) => Box::new(member),
                    Err(reason) => {
                        out.reject_file(&reason)?;
                        continue;
                    }
                }
            }
        };
        if format == Format::Xlsx {
            read_workbook_in_memory(raw, &mut out)?;
            continue;
        }
        let opened = decode::open(raw, file.compression, opts.encoding)
            .map_err(|e| Error::io(&file.path, e))?;
        let mut reader = opened.reader;
        let dec = match opened.content {
            Content::Text(dec) => dec,
            // An empty head may be a compressed stream broken before its first byte: say so.
            Content::Empty => {
                match reader.take_pending_error() {
                    Some(err) => out.read_failed(0, err)?,
                    None => out.reject_file("empty file")?,
                }
                continue;
            }
            other => {
                out.reject_file(other.rejection().expect("not text"))?;
                continue;
            }
        };
        match format {
            Format::Page => page::read(reader, dec, &mut out)?,
            Format::Jsonl => jsonl::read(reader, dec, &mut out)?,
            Format::Csv => csv::read(reader, b',', dec, &mut out)?,
            Format::Tsv => csv::read(reader, b'\t', dec, &mut out)?,
            Format::Xlsx | Format::Parquet => unreachable!("read above"),
        }
    }
    Ok(())
}

/// The largest workbook read into memory: one inside an archive or compressed file, which
/// calamine cannot seek in where it lies. A BIGKinds export is a few MB.
const MAX_WORKBOOK_IN_MEMORY: u64 = 4 * MAX_RECORD_BYTES as u64;

/// Reads a workbook that cannot be sought in where it lies (see [`MAX_WORKBOOK_IN_MEMORY`]).
fn read_workbook_in_memory(raw: impl Read, out: &mut FileOut) -> Result<()> {
    let reader = match out
        .compression
        .decompress(BufReader::with_capacity(decode::BUF_LEN, raw))
    {
        Ok(reader) => reader,
        Err(err) => return out.read_failed(0, err),
    };
    let mut book = Vec::new();
    if let Err(err) = reader
        .take(MAX_WORKBOOK_IN_MEMORY + 1)
        .read_to_end(&mut book)
    {
        return out.read_failed(0, err);
    }
    if book.len() as u64 > MAX_WORKBOOK_IN_MEMORY {
        return out.reject_file(&format!(
            "workbook over {} MiB inside an archive or compressed file; extract it and give \
             the .xlsx itself",
            MAX_WORKBOOK_IN_MEMORY >> 20
        ));
    }
    xlsx::read(Cursor::new(book), out)
}

/// The stem derived ids are built from, made unique among the inputs seen so far.
fn unique_stem(path: &str, used: &mut HashSet<String>) -> String {
    let stem = if path == "-" {
        "stdin".to_string()
    } else {
        let path = Path::new(path);
        let path = if Compression::from_name(path).is_some() {
            Path::new(path.file_stem().unwrap_or_default())
        } else {
            path
        };
        path.file_stem()
            .map_or_else(|| "input".to_string(), |s| s.to_string_lossy().into_owned())
    };
    let mut candidate = stem.clone();
    let mut n = 1;
    while !used.insert(candidate.clone()) {
        n += 1;
        candidate = format!("{stem}~{n}");
    }
    candidate
}

/// Numbers the records of a run and hands them to the sink.
struct Emitter<'s> {
    sink: &'s mut dyn FnMut(Record) -> Result<()>,
    next_index: usize,
}

impl Emitter<'_> {
    fn emit(&mut self, build: impl FnOnce(usize) -> Record) -> Result<()> {
        let record = build(self.next_index);
        self.next_index += 1;
        (self.sink)(record)
    }
}

/// What a format reader writes to: numbers records within the file and run, builds sources and
/// derived ids.
pub(crate) struct FileOut<'a, 's> {
    emitter: &'a mut Emitter<'s>,
    path: &'a str,
    stem: &'a str,
    compression: Compression,
    keep_excluded: bool,
    /// Records of this file so far (articles and record rejections, not file rejections).
    records: usize,
}

impl FileOut<'_, '_> {
    /// Emits the record starting at `line`: an article built from `parsed`, or a rejection when
    /// `parsed` is an error. `missing_body` is the reason when no body field was present.
    pub(crate) fn record(
        &mut self,
        line: u64,
        parsed: std::result::Result<Fields, String>,
        missing_body: &str,
    ) -> Result<()> {
        self.records += 1;
        let source = format!("{}:{line}", self.path);
        match parsed {
            Ok(fields) => {
                let derived_id = format!("{}-{:06}", self.stem, self.records);
                self.emitter.emit(|index| {
                    let place = RecordPlace {
                        index,
                        source: &source,
                        derived_id: &derived_id,
                    };
                    fields.into_record(place, missing_body, self.keep_excluded)
                })
            }
            Err(reason) => self.emitter.emit(|index| {
                Record::Rejected(Rejection {
                    index,
                    source,
                    article_id: None,
                    reason,
                })
            }),
        }
    }

    /// One rejection for the whole file (source = the path): empty, binary, no records found.
    pub(crate) fn reject_file(&mut self, reason: &str) -> Result<()> {
        let source = self.path.to_string();
        self.emitter.emit(|index| {
            Record::Rejected(Rejection {
                index,
                source,
                article_id: None,
                reason: reason.to_string(),
            })
        })
    }

    /// Reading stopped with `err` after `line` lines: what was read is kept, the rest of the
    /// file is one rejection.
    pub(crate) fn read_failed(&mut self, line: u64, err: io::Error) -> Result<()> {
        let what = self.compression.broken_stream();
        self.reject_file(&format!("{what} after line {line}: {err}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names() {
        assert_eq!("page".parse::<Format>().unwrap(), Format::Page);
        assert_eq!("TXT".parse::<Format>().unwrap(), Format::Page);
        assert_eq!("ndjson".parse::<Format>().unwrap(), Format::Jsonl);
        assert_eq!("tsv".parse::<Format>().unwrap(), Format::Tsv);
        let err = "xml".parse::<Format>().unwrap_err().to_string();
        assert!(err.contains("page") && err.contains("jsonl") && err.contains("csv"));
    }

    #[test]
    fn encoding_names() {
        assert_eq!(parse_encoding("utf-8").unwrap(), UTF_8);
        assert_eq!(parse_encoding("UTF8").unwrap(), UTF_8);
        assert_eq!(parse_encoding("cp949").unwrap(), EUC_KR);
        assert_eq!(parse_encoding("euc-kr").unwrap(), EUC_KR);
        let err = parse_encoding("latin1").unwrap_err().to_string();
        assert!(err.contains("cp949"), "{err}");
    }

    #[test]
    fn format_sniffing() {
        assert_eq!(sniff_format("\n  {\"a\": 1}"), Format::Jsonl);
        assert_eq!(sniff_format("검색\n  • 제목\n\n    본문"), Format::Page);
        assert_eq!(sniff_format("id\ttitle\tbody\n1\ta\tb"), Format::Tsv);
        assert_eq!(sniff_format("id,title,body\n"), Format::Csv);
        assert_eq!(sniff_format("그냥 글"), Format::Page);
    }

    #[test]
    fn stems_are_unique() {
        let mut used = HashSet::new();
        assert_eq!(unique_stem("a/news.jsonl.gz", &mut used), "news");
        assert_eq!(unique_stem("b/news.csv", &mut used), "news~2");
        assert_eq!(unique_stem("c/news.txt", &mut used), "news~3");
        assert_eq!(unique_stem("d.zip/news.jsonl.zst", &mut used), "news~4");
        assert_eq!(unique_stem("-", &mut used), "stdin");
    }

    #[test]
    fn input_names() {
        assert!(is_input_name(Path::new("d/x.JSONL")));
        assert!(is_input_name(Path::new("d/x.csv.gz")));
        assert!(is_input_name(Path::new("d/x.jsonl.zst")));
        assert!(is_input_name(Path::new("d/NewsResult_20221015.xlsx")));
        assert!(is_zip_name(Path::new("d/x.ZIP")));
        assert!(!is_input_name(Path::new("d/x.gz")));
        assert!(!is_input_name(Path::new("d/x.md")));
    }
}
