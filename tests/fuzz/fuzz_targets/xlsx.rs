//! Excel workbooks, structure-aware: the fuzzer chooses sheets, a header (BIGKinds and other
//! column names, or any text) and rows of typed cells (any text, numbers, booleans, dates,
//! formulas, blanks); `rust_xlsxwriter` writes them into a real `.xlsx`, which may then be
//! damaged (cut, or a byte flipped), and bodo reads it, checked by `bodo_fuzz::check_ingest`.
//! Raw bytes would almost never get through the zip and XML layers to bodo's own code.
#![no_main]

use std::sync::LazyLock;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

static DIR: LazyLock<tempfile::TempDir> = LazyLock::new(bodo_fuzz::scratch_dir);

/// Column names bodo maps (BIGKinds export names first) and one it ignores.
const COLUMNS: [&str; 18] = [
    "뉴스 식별자",
    "일자",
    "언론사",
    "기고자",
    "제목",
    "통합 분류1",
    "인물",
    "위치",
    "기관",
    "키워드",
    "본문",
    "URL",
    "분석제외 여부",
    "id",
    "title",
    "body",
    "date",
    "outlet",
];

#[derive(Arbitrary, Debug)]
enum Header {
    Known(u8),
    Text(String),
}

#[derive(Arbitrary, Debug)]
enum Cell {
    Text(String),
    Number(f64),
    Bool(bool),
    /// An Excel serial date-time, shown with a date format.
    Date(u32),
    Formula(String),
    Blank,
    Empty,
}

#[derive(Arbitrary, Debug)]
struct Book {
    /// Sheets before the one with the data: bodo reads the first sheet only.
    sheets_before: Vec<Vec<Vec<Cell>>>,
    /// Empty rows above the header.
    header_row: u8,
    header: Vec<Header>,
    rows: Vec<Vec<Cell>>,
    /// `(at, xor)`: see `bodo_fuzz::damage`.
    damage: Option<(u16, u8)>,
}

fn write_cell(sheet: &mut Worksheet, row: u32, col: u16, cell: &Cell) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(s) => sheet.write_string(row, col, s.as_str())?,
        Cell::Number(n) => sheet.write_number(row, col, *n)?,
        Cell::Bool(b) => sheet.write_boolean(row, col, *b)?,
        Cell::Date(serial) => {
            let date = ExcelDateTime::from_serial_datetime(f64::from(*serial) / 1000.0)?;
            let format = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
            sheet.write_datetime_with_format(row, col, date, &format)?
        }
        Cell::Formula(f) => sheet.write_formula(row, col, f.as_str())?,
        Cell::Blank => sheet.write_blank(row, col, &Format::new())?,
        Cell::Empty => sheet,
    };
    Ok(())
}

fn write_rows(sheet: &mut Worksheet, first: u32, rows: &[Vec<Cell>]) -> Result<(), XlsxError> {
    for (r, cells) in rows.iter().enumerate() {
        for (c, cell) in cells.iter().enumerate() {
            write_cell(sheet, first + r as u32, c as u16, cell)?;
        }
    }
    Ok(())
}

/// The workbook's bytes, or `None` when rust_xlsxwriter refuses the content (a string over
/// Excel's 32,767 characters, a date out of range…): that is not an input bodo can meet.
fn build(book: &Book) -> Option<Vec<u8>> {
    let mut workbook = Workbook::new();
    for rows in &book.sheets_before {
        write_rows(workbook.add_worksheet(), 0, rows).ok()?;
    }
    let sheet = workbook.add_worksheet();
    let header_row = u32::from(book.header_row % 4);
    for (c, header) in book.header.iter().enumerate() {
        let name = match header {
            Header::Known(i) => COLUMNS[*i as usize % COLUMNS.len()],
            Header::Text(s) => s.as_str(),
        };
        sheet.write_string(header_row, c as u16, name).ok()?;
    }
    write_rows(sheet, header_row + 1, &book.rows).ok()?;
    workbook.save_to_buffer().ok()
}

fuzz_target!(|book: Book| {
    let Some(mut bytes) = build(&book) else {
        return;
    };
    if let Some((at, xor)) = book.damage {
        bodo_fuzz::damage(&mut bytes, usize::from(at), xor);
    }
    bodo_fuzz::check_ingest(DIR.path(), "input.xlsx", &bytes);
});
