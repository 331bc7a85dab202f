//! JSON Lines: one JSON object per line.
//!
//! Takes: a buffered reader over the decompressed, BOM-less input and the input's decoder.
//! Gives: one record per non-blank line, through [`FileOut::record`] (so article building is
//! shared with CSV, see [`super::fields`]).
//! Guarantees: the input is read one line at a time and each line decoded on its own, so a line
//! with bad bytes, malformed JSON, a non-object value, or more than
//! [`MAX_RECORD_BYTES`](super::MAX_RECORD_BYTES) bytes (not held in memory) is rejected alone
//! (with the line in `source` and in the reason) and the lines after it are still read. Blank
//! lines are not records. Keys are matched with the shared alias table in document order; the
//! first key that feeds a field wins, and `null` counts as absent (so a later alias may still fill
//! the field). Strings are taken as they are and numbers as their decimal text (ids often are
//! numbers); booleans as `true`/`false`; an array or object where text is expected rejects the
//! record.

use std::fmt;
use std::io::BufRead;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

use crate::error::Result;

use super::decode::{read_line_capped, TextDecoder};
use super::fields::{self, Field, Fields};
use super::{record_too_long, FileOut, MAX_RECORD_BYTES};

/// Reads every line of `reader` as a record.
pub(crate) fn read(mut reader: impl BufRead, dec: TextDecoder, out: &mut FileOut) -> Result<()> {
    let missing_body = format!(
        "no body field (looked for: {})",
        fields::aliases(Field::Body)
    );
    let mut buf = Vec::with_capacity(8 * 1024);
    let mut line = 0u64;
    loop {
        // Capped: a line without an end (a 100 MB line, a binary blob) must not be held whole.
        let len = match read_line_capped(&mut reader, &mut buf, MAX_RECORD_BYTES) {
            Ok(None) => return Ok(()),
            Ok(Some(len)) => {
                line += 1;
                len
            }
            // Bytes of the broken line are dropped: the rejection accounts for the rest.
            Err(err) => return out.read_failed(line, err),
        };
        if len > MAX_RECORD_BYTES as u64 {
            let reason = format!("{}: {len} bytes", record_too_long());
            out.record(line, Err(reason), &missing_body)?;
            // Do not keep a 64 MiB buffer for the ordinary lines that follow.
            buf = Vec::with_capacity(8 * 1024);
            continue;
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        out.record(line, parse_line(&buf, dec, line), &missing_body)?;
    }
}

/// The fields of one line, or why it is rejected. `line` is only used in messages.
fn parse_line(bytes: &[u8], dec: TextDecoder, line: u64) -> std::result::Result<Fields, String> {
    let text = dec
        .decode(bytes)
        .map_err(|reason| format!("{reason} of the record"))?;
    let malformed = |e: serde_json::Error| {
        // serde_json counts lines within the record (always 1); say the file's line instead.
        let message = e.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m);
        format!(
            "malformed JSON: {message} at line {line} column {}",
            e.column()
        )
    };
    if !text.trim_start().starts_with('{') {
        let value: Value = serde_json::from_str(&text).map_err(malformed)?;
        return Err(format!("JSON line is {}, not an object", kind(&value)));
    }
    let parsed: JsonFields = serde_json::from_str(&text).map_err(malformed)?;
    match parsed.problem {
        Some(problem) => Err(problem),
        None => Ok(parsed.fields),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The known fields of a JSON object, read in document order; unknown keys are skipped without
/// being built (`IgnoredAny`), which keeps wide records cheap.
struct JsonFields {
    fields: Fields,
    /// The first reason to reject the record found while reading it.
    problem: Option<String>,
}

impl<'de> de::Deserialize<'de> for JsonFields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        deserializer.deserialize_map(JsonFieldsVisitor)
    }
}

struct JsonFieldsVisitor;

impl<'de> Visitor<'de> for JsonFieldsVisitor {
    type Value = JsonFields;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<JsonFields, A::Error> {
        let mut out = JsonFields {
            fields: Fields::default(),
            problem: None,
        };
        while let Some(key) = map.next_key::<String>()? {
            let Some(field) = fields::field_for(&key).filter(|f| !out.fields.has(*f)) else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            match map.next_value::<Value>()? {
                Value::Null => {}
                Value::String(s) => out.fields.set_first(field, s),
                Value::Number(n) => out.fields.set_first(field, n.to_string()),
                Value::Bool(b) => out.fields.set_first(field, b.to_string()),
                other => {
                    out.problem.get_or_insert_with(|| {
                        format!(
                            "key {key:?} is {}, expected a string or a number",
                            kind(&other)
                        )
                    });
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> std::result::Result<Fields, String> {
        parse_line(line.as_bytes(), TextDecoder::new(encoding_rs::UTF_8), 5)
    }

    #[test]
    fn korean_keys_numbers_and_first_key_wins() {
        let f = parse(
            r#"{"뉴스 식별자": 1100101, "제목": "t", "본문": "b", "content": "c", "x": [1]}"#,
        )
        .unwrap();
        assert_eq!(f.id.as_deref(), Some("1100101"));
        assert_eq!(f.title.as_deref(), Some("t"));
        assert_eq!(f.body.as_deref(), Some("b"));
    }

    #[test]
    fn null_is_absent_so_a_later_alias_fills_it() {
        let f = parse(r#"{"body": null, "text": "본문"}"#).unwrap();
        assert_eq!(f.body.as_deref(), Some("본문"));
    }

    #[test]
    fn rejections() {
        let err = parse(r#"{"body": "x""#).unwrap_err();
        assert!(err.starts_with("malformed JSON: "), "{err}");
        assert!(err.contains("at line 5 column"), "{err}");
        assert_eq!(
            parse("[1, 2]").unwrap_err(),
            "JSON line is an array, not an object"
        );
        assert_eq!(
            parse(r#"{"body": ["a", "b"]}"#).unwrap_err(),
            r#"key "body" is an array, expected a string or a number"#
        );
    }
}
