//! Excel workbooks (`.xlsx`): BIGKinds news exports and spreadsheets saved by analysts.
//!
//! Takes: a seekable reader over the workbook (a file, or a member of a zip archive read into
//! memory).
//! Gives: one record per row of the first worksheet after its header row, through
//! [`FileOut::record`], so field aliases, BIGKinds' own columns and its `분석제외 여부` rule are
//! the ones CSV and JSONL use (see [`super::fields`]); `source` is `path:ROW`, the row number
//! Excel shows (the header is usually row 1, so the first article is `:2`).
//! Guarantees:
//! - Streaming: cells are read in sheet order with calamine's cell reader, one row held at a time
//!   (the workbook's shared-string table, where Excel keeps the text, is loaded whole: a
//!   BIGKinds export holds at most 20,000 truncated articles).
//! - The header is the first row with a non-empty cell; later rows with no non-empty cell are
//!   not records (Excel users do not see them as rows). Cells in columns without a recognised
//!   header are ignored.
//! - Typed cells become the text a user sees: whole numbers without `.0` (an `일자` typed as the
//!   number 20221016 is the date it looks like), dates as `YYYY-MM-DD[ HH:MM:SS]`, errors as
//!   `#DIV/0!` and the like.
//! - A workbook that cannot be opened, or a sheet whose XML breaks midway, is one rejection
//!   naming the file (and the last row read); rows read before the break are kept.

use std::io::{Read, Seek};

use calamine::{Cell, DataRef, ExcelDateTime, Reader, Xlsx};

use crate::error::Result;

use super::fields::{self, Field, Fields};
use super::{record_too_long, FileOut, MAX_RECORD_BYTES};

/// Reads every data row of the first worksheet of `workbook` as a record.
pub(crate) fn read(workbook: impl Read + Seek, out: &mut FileOut) -> Result<()> {
    let mut book: Xlsx<_> = match Xlsx::new(workbook) {
        Ok(book) => book,
        Err(err) => return out.reject_file(&format!("not a readable xlsx workbook: {err}")),
    };
    let Some(sheet) = book.sheet_names().into_iter().next() else {
        return out.reject_file("xlsx workbook has no worksheet");
    };
    let mut cells = match book.worksheet_cells_reader(&sheet) {
        Ok(cells) => cells,
        Err(err) => return out.reject_file(&format!("cannot read worksheet {sheet:?}: {err}")),
    };
    let mut rows = Rows::default();
    loop {
        match cells.next_cell() {
            Ok(Some(cell)) => {
                if let Some(row) = rows.push(&cell) {
                    rows.emit(row, out)?;
                }
            }
            Ok(None) => break,
            Err(err) => {
                // The row being assembled may be cut: it goes into the one rejection.
                let after = rows.last_emitted;
                return out.reject_file(&format!(
                    "xlsx read error after row {after} of worksheet {sheet:?}: {err}"
                ));
            }
        }
    }
    if let Some(row) = rows.current.take() {
        rows.emit(row, out)?;
    }
    Ok(())
}

/// One worksheet row: its Excel row number and its non-empty cells (column, text).
#[derive(Debug, Default)]
struct Row {
    number: u32,
    cells: Vec<(usize, String)>,
    bytes: usize,
}

/// Rows assembled from the cell stream, and the header once seen.
#[derive(Default)]
struct Rows {
    current: Option<Row>,
    header: Option<Header>,
    /// The Excel row number of the last row emitted (0 before any).
    last_emitted: u32,
}

struct Header {
    columns: Vec<Option<Field>>,
    missing_body: String,
}

impl Rows {
    /// Adds a cell; returns the previous row when this cell starts a new one.
    fn push(&mut self, cell: &Cell<DataRef<'_>>) -> Option<Row> {
        let text = cell_text(cell.get_value());
        if text.trim().is_empty() {
            return None;
        }
        let (row, column) = cell.get_position();
        let number = row.saturating_add(1);
        let finished = match &self.current {
            Some(current) if current.number == number => None,
            _ => self.current.replace(Row {
                number,
                ..Row::default()
            }),
        };
        let current = self.current.as_mut().expect("just set");
        current.bytes += text.len();
        // Past the cap the row is rejected whole; its cells need not be kept.
        if current.bytes <= MAX_RECORD_BYTES {
            current.cells.push((column as usize, text));
        }
        finished
    }

    /// The first row is the header; every later row is a record.
    fn emit(&mut self, row: Row, out: &mut FileOut) -> Result<()> {
        self.last_emitted = row.number;
        let Some(header) = &self.header else {
            let width = row.cells.iter().map(|(c, _)| c + 1).max().unwrap_or(0);
            let mut names = vec![""; width];
            for (column, text) in &row.cells {
                names[*column] = text.as_str();
            }
            self.header = Some(Header {
                columns: fields::map_columns(names),
                missing_body: format!(
                    "no body column (looked for: {})",
                    fields::aliases(Field::Body)
                ),
            });
            return Ok(());
        };
        let parsed = if row.bytes > MAX_RECORD_BYTES {
            Err(record_too_long())
        } else {
            let mut fields = Fields::default();
            for (column, text) in row.cells {
                if let Some(Some(field)) = header.columns.get(column) {
                    fields.set_first(*field, text);
                }
            }
            // An empty cell is an empty value, as an empty CSV field is (`empty body`, not
            // `no body column`); the reader never sees empty cells.
            for field in header.columns.iter().flatten() {
                fields.set_first(*field, String::new());
            }
            Ok(fields)
        };
        out.record(u64::from(row.number), parsed, &header.missing_body)
    }
}

/// The text a user sees in a cell.
fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(dt) => datetime_text(dt),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

/// Whole numbers as integers (Excel stores every number as a float: `20221016` would otherwise
/// read `20221016.0` and stop being a date), huge ones in exponent form as Excel shows them,
/// others as Rust prints them.
fn number_text(f: f64) -> String {
    if f.is_finite() && f.abs() >= 1e15 {
        format!("{f:e}")
    } else if f.fract() == 0.0 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// Excel serial dates within Excel's own range (years 1900–9999); anything else is shown as the
/// number it is, since calamine's conversion assumes that range.
fn datetime_text(dt: &ExcelDateTime) -> String {
    let serial = dt.as_f64();
    if !dt.is_datetime() || !(0.0..2_958_466.0).contains(&serial) {
        return number_text(serial);
    }
    let (y, m, d, h, min, s, _) = dt.to_ymd_hms_milli();
    if (h, min, s) == (0, 0, 0) {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

    #[test]
    fn numbers_read_as_shown() {
        assert_eq!(number_text(20221016.0), "20221016");
        assert_eq!(number_text(-3.0), "-3");
        assert_eq!(number_text(0.5), "0.5");
        assert_eq!(number_text(f64::NAN), "NaN");
        assert_eq!(number_text(1e300), "1e300");
    }

    #[test]
    fn excel_dates_become_iso() {
        let date = |v| ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false);
        // 44850 is 2022-10-16 in Excel's 1900 system.
        assert_eq!(datetime_text(&date(44850.0)), "2022-10-16");
        assert_eq!(datetime_text(&date(44850.5)), "2022-10-16 12:00:00");
        assert_eq!(datetime_text(&date(-1.0)), "-1");
        assert_eq!(datetime_text(&date(f64::INFINITY)), "inf");
        let in_1904 = ExcelDateTime::new(43388.0, ExcelDateTimeType::DateTime, true);
        assert_eq!(datetime_text(&in_1904), "2022-10-16");
    }
}
