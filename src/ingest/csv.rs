//! CSV and TSV with a header row (BIGKinds exports, spreadsheet saves, pandas dumps).
//!
//! Takes: a reader over the decompressed, BOM-less input, the delimiter (`,` or tab) and the
//! input's decoder.
//! Gives: one record per data row, through [`FileOut::record`] (article building is shared with
//! JSONL, see [`super::fields`]); `source` is `path:LINE` of the row's first line, so a quoted
//! multi-line body points at where its row starts.
//! Guarantees:
//! - Streaming: rows are read one at a time as raw bytes (`ByteRecord`) and only the columns
//!   that feed a field are decoded, so a bad byte in an unused column does not reject the row,
//!   and CP949 works without a transcoding layer (its trail bytes never equal `,` `\t` `"`).
//! - Every data row is a record: a row with a different number of fields than the header is
//!   rejected (`expected N fields, found M`); when no column is a body column, every row is
//!   rejected with `no body column (looked for: …)` so the counts still reconcile with the file.
//! - Lines are counted here ([`LineIndex`]), not taken from csv's `Position::line`: after a
//!   CRLF row, csv starts the next record at the `\n` it has not consumed yet, so its line is
//!   one too small for every row of a CRLF file (which is what Excel on Windows writes).
//! - Quoting is RFC 4180 for TSV too: exporters (Excel, pandas) quote TSV fields that contain
//!   tabs, newlines or quotes, and reading those as literal text would corrupt them.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::{self, Read};

use csv::{ByteRecord, ReaderBuilder};

use crate::error::Result;

use super::decode::{TextDecoder, BUF_LEN};
use super::fields::{self, Field, Fields};
use super::{record_too_long, FileOut, MAX_RECORD_BYTES};

/// Reads every data row of `reader` as a record.
pub(crate) fn read(
    reader: impl Read,
    delimiter: u8,
    dec: TextDecoder,
    out: &mut FileOut,
) -> Result<()> {
    let mut rdr = ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        // Ragged rows are checked here, so they become rejections instead of stopping the file.
        .flexible(true)
        .buffer_capacity(BUF_LEN)
        .from_reader(LineIndex::new(reader));
    let header = match rdr.byte_headers() {
        Ok(header) => header.clone(),
        Err(err) => return fail(out, 0, err),
    };
    // Column names only choose columns, so lossy decoding is fine here.
    let names: Vec<Cow<str>> = header.iter().map(|h| dec.decode_lossy(h)).collect();
    let columns = fields::map_columns(names.iter().map(|n| n.as_ref()));
    let missing_body = format!(
        "no body column (looked for: {})",
        fields::aliases(Field::Body)
    );

    let mut row = ByteRecord::new();
    let mut lines_done = 1; // the header
    let header_end = rdr.position().byte();
    rdr.get_mut().record_done(header_end);
    loop {
        match rdr.read_byte_record(&mut row) {
            Ok(true) => {}
            Ok(false) => return Ok(()),
            Err(err) => return fail(out, lines_done, err),
        }
        let line = match row.position() {
            Some(pos) => rdr.get_mut().line_at(pos.byte()),
            None => lines_done + 1,
        };
        let end = rdr.position().byte();
        rdr.get_mut().record_done(end);
        lines_done = rdr.get_mut().line_at(end) - 1;
        let parsed = if row.len() != header.len() {
            Err(format!(
                "expected {} fields, found {}",
                header.len(),
                row.len()
            ))
        } else {
            row_fields(&row, &columns, &names, dec)
        };
        out.record(line, parsed, &missing_body)?;
    }
}

/// Decodes the columns of `row` that feed a field.
fn row_fields(
    row: &ByteRecord,
    columns: &[Option<Field>],
    names: &[Cow<str>],
    dec: TextDecoder,
) -> std::result::Result<Fields, String> {
    let mut fields = Fields::default();
    for (i, (bytes, column)) in row.iter().zip(columns).enumerate() {
        let Some(field) = column else { continue };
        let text = dec
            .decode(bytes)
            .map_err(|reason| format!("{reason} of column {:?}", names[i]))?;
        fields.set_first(*field, text.into_owned());
    }
    Ok(fields)
}

/// Counts the lines of the bytes csv reads, so that a record's byte offset gives its line.
/// Holds only the newline offsets read ahead of the last query (at most csv's buffer).
///
/// Also caps the record size: csv holds a whole row in memory, so a row that has not ended after
/// [`MAX_RECORD_BYTES`] (a 100 MB line, or a quote left open that swallows the rest of the file)
/// ends the read with a [`RecordTooLong`] error instead of growing without bound.
struct LineIndex<R> {
    inner: R,
    /// Bytes read so far.
    offset: u64,
    /// Offsets of newlines not yet passed by a query, in order.
    newlines: VecDeque<u64>,
    /// Newlines before the last query.
    passed: u64,
    /// Where the row being read starts (the end of the last row csv returned).
    record_start: u64,
}

/// The row being read is longer than [`MAX_RECORD_BYTES`].
#[derive(Debug)]
struct RecordTooLong;

impl std::fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("record too long")
    }
}

impl std::error::Error for RecordTooLong {}

impl<R: Read> LineIndex<R> {
    fn new(inner: R) -> Self {
        LineIndex {
            inner,
            offset: 0,
            newlines: VecDeque::new(),
            passed: 0,
            record_start: 0,
        }
    }

    /// csv returned a row ending at byte `end`: the next row starts there.
    fn record_done(&mut self, end: u64) {
        self.record_start = end;
    }

    /// The 1-based line of the record csv says starts at `byte`. csv's record start is where
    /// the previous record's terminator ended, which for CRLF is the `\n` itself (and for a
    /// blank line before the record, that line's `\n`), so a newline *at* `byte` is counted as
    /// passed. Queries must not go backwards.
    fn line_at(&mut self, byte: u64) -> u64 {
        while self.newlines.front().is_some_and(|&nl| nl <= byte) {
            self.newlines.pop_front();
            self.passed += 1;
        }
        self.passed + 1
    }
}

impl<R: Read> Read for LineIndex<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // csv asks for more bytes only once it has used all it holds, so everything read since
        // `record_start` belongs to the row it is still reading.
        if self.offset - self.record_start > MAX_RECORD_BYTES as u64 {
            return Err(io::Error::new(io::ErrorKind::InvalidData, RecordTooLong));
        }
        let n = self.inner.read(buf)?;
        for (i, b) in buf[..n].iter().enumerate() {
            if *b == b'\n' {
                self.newlines.push_back(self.offset + i as u64);
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// Reading stopped: I/O errors (a corrupt gzip stream) end the file with one rejection. With
/// byte records and `flexible`, csv reports no other error kind while reading; should one
/// appear, it is reported the same way rather than risk looping on it.
///
/// A row over [`MAX_RECORD_BYTES`] is rejected as the record at the line after the last complete
/// row; csv cannot resume inside a row (it may be an open quote), so the rejection says the rest
/// of the file was not read.
fn fail(out: &mut FileOut, lines_done: u64, err: csv::Error) -> Result<()> {
    let err = match err.into_kind() {
        csv::ErrorKind::Io(err) => err,
        other => io::Error::other(format!("{other:?}")),
    };
    if err.get_ref().is_some_and(|e| e.is::<RecordTooLong>()) {
        let reason = format!(
            "{}; the rest of the file was not read (a quote left open?)",
            record_too_long()
        );
        return out.record(lines_done + 1, Err(reason), "");
    }
    out.read_failed(lines_done, err)
}
