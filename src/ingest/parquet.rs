//! Parquet: one record per row, columns named as in JSONL and CSV.
//!
//! Takes: a Parquet file on disk (its own column compression is read; a `.parquet.gz` or an
//! archive member is not, see [`super::scan`]).
//! Gives: one record per row through [`FileOut::record`], numbered by row (1-based: a record's
//! source is `file.parquet:ROW`), so article building, ids and dates are JSONL's and CSV's.
//! Guarantees: only the columns that feed a field are read, [`ROWS_PER_READ`] rows at a time (a
//! dump of millions of rows is never held whole); a null cell is an absent field, as `null` is
//! in JSONL (a null body is an empty one); text, integer, date, timestamp and other columns
//! polars can cast to text are read as their text (a date as `YYYY-MM-DD`, a timestamp as
//! `YYYY-MM-DD HH:MM:SS…`); a file polars cannot read, or a field column with no text form (a
//! list, a struct), is one rejection naming it (rows before it in the file are kept).

use std::fs::File;

use polars::prelude::*;

use crate::error::Result;

use super::fields::{self, Field, Fields};
use super::FileOut;

/// Rows read and turned into records at a time.
pub const ROWS_PER_READ: usize = 16_384;

/// Reads every row of the Parquet file at `path` as a record.
pub(crate) fn read(path: &std::path::Path, out: &mut FileOut) -> Result<()> {
    let open = || File::open(path).map(ParquetReader::new);
    let mut reader = match open() {
        Ok(reader) => reader,
        Err(e) => return out.reject_file(&format!("cannot open the Parquet file: {e}")),
    };
    let (names, rows, metadata) = match reader.schema().and_then(|schema| {
        let names: Vec<String> = schema.iter_names().map(|n| n.to_string()).collect();
        Ok((names, reader.num_rows()?, reader.get_metadata()?.clone()))
    }) {
        Ok(found) => found,
        Err(e) => return out.reject_file(&format!("not a readable Parquet file: {e}")),
    };
    let columns: Vec<(String, Field)> = names
        .iter()
        .zip(fields::map_columns(names.iter().map(String::as_str)))
        .filter_map(|(name, field)| Some((name.clone(), field?)))
        .collect();
    let missing_body = format!(
        "no body column (looked for: {})",
        fields::aliases(Field::Body)
    );
    if columns.is_empty() {
        // Every row would be rejected for the same reason: say it once per row, as CSV does.
        for row in 1..=rows as u64 {
            out.record(row, Ok(Fields::default()), &missing_body)?;
        }
        return Ok(());
    }
    let wanted: Vec<String> = columns.iter().map(|(name, _)| name.clone()).collect();
    let has_body = columns.iter().any(|(_, field)| *field == Field::Body);
    let mut start = 0;
    while start < rows {
        let len = ROWS_PER_READ.min(rows - start);
        // Each slice reads its row groups through a new reader; the footer is parsed once.
        let frame = open()
            .map_err(polars::error::PolarsError::from)
            .and_then(|mut r| {
                r.set_metadata(metadata.clone());
                r.with_columns(Some(wanted.clone()))
                    .with_slice(Some((start, len)))
                    .finish()
            });
        let texts = match frame
            .map_err(|e| e.to_string())
            .and_then(|f| text_columns(&f, &columns))
        {
            Ok(texts) => texts,
            Err(reason) => {
                return out.reject_file(&format!(
                    "Parquet rows {}–{}: {reason}",
                    start + 1,
                    start + len
                ))
            }
        };
        for i in 0..len {
            let mut fields = Fields::default();
            for (column, (_, field)) in texts.iter().zip(&columns) {
                if let Some(value) = column.get(i) {
                    fields.set_first(*field, value.to_string());
                }
            }
            if has_body && fields.body.is_none() {
                // The column is there and this row's cell is null: an empty body, not a missing
                // column.
                fields.body = Some(String::new());
            }
            out.record((start + i + 1) as u64, Ok(fields), &missing_body)?;
        }
        start += len;
    }
    Ok(())
}

/// The field columns of `frame` as text, in `columns`' order.
fn text_columns(
    frame: &DataFrame,
    columns: &[(String, Field)],
) -> std::result::Result<Vec<StringChunked>, String> {
    columns
        .iter()
        .map(|(name, _)| {
            let column = frame.column(name).map_err(|e| e.to_string())?;
            let text = column
                .as_materialized_series()
                .cast(&DataType::String)
                .map_err(|_| {
                    format!(
                        "column {name:?} is {}, which has no text form; write it as text",
                        column.dtype()
                    )
                })?;
            text.str().cloned().map_err(|e| e.to_string())
        })
        .collect()
}
