//! The font every chart is drawn with. Takes the NanumGothic compiled into the binary, or a
//! TTF/OTF/TTC file given with `--font`; gives a [`Font`] that the renderer registers with plotters
//! under a private family key, and the `font-family` stack written into the SVGs.
//!
//! Guarantees: a PNG never depends on the fonts of the machine it is drawn on (plotters' `ttf`
//! feature, which looks fonts up on the system, is off, so the registered font is the only one);
//! a user font is checked before use — readable, parseable, with Hangul glyphs — and a bad one is
//! an error naming the path, not boxes in the charts; two fonts never overwrite each other, as each
//! is registered under a key made from its own bytes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Mutex;

use ab_glyph::{Font as _, FontArc, FontRef};

use crate::charts::error::ChartError;

/// NanumGothic Regular (OFL-1.1, see `assets/fonts/README.md`).
static EMBEDDED: &[u8] = include_bytes!("../../assets/fonts/NanumGothic-Regular.ttf");

/// The plotters family key of the embedded font.
const EMBEDDED_KEY: &str = "bodo-nanumgothic";

/// SVG text is drawn by the viewer's fonts, not ours: after the chart's own font, the Korean fonts
/// that ship with Windows (Malgun Gothic, also under its Korean name), macOS (Apple SD Gothic Neo)
/// and most Linux desktops (Nanum, Noto CJK), then the generic family.
const SVG_FALLBACKS: [&str; 5] = [
    "NanumGothic",
    "Malgun Gothic",
    "맑은 고딕",
    "Apple SD Gothic Neo",
    "Noto Sans KR",
];

/// Syllables a font must have to be usable for Korean labels.
const HANGUL_SAMPLE: &str = "가한글뉴스";

/// User fonts loaded in this process, by key. plotters keeps a `&'static [u8]` of each font it
/// draws with, so a user font's bytes are leaked once, here, and reused if it is loaded again.
static LOADED: Mutex<BTreeMap<String, &'static [u8]>> = Mutex::new(BTreeMap::new());

/// Keys registered with plotters in this process.
static REGISTERED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// A parsed font: its bytes, the ab_glyph face used to check glyphs, its family name for the SVGs
/// and the key plotters knows it by.
#[derive(Clone)]
pub struct Font {
    bytes: &'static [u8],
    face: FontArc,
    key: String,
    family: String,
}

impl std::fmt::Debug for Font {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Font")
            .field("family", &self.family)
            .field("key", &self.key)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

impl Font {
    /// The embedded NanumGothic Regular.
    pub fn embedded() -> Font {
        // The bytes are compiled in and checked by a test, so this cannot fail in a built binary.
        let face = FontRef::try_from_slice(EMBEDDED).expect("embedded NanumGothic parses");
        Font {
            bytes: EMBEDDED,
            face: FontArc::new(face),
            key: EMBEDDED_KEY.to_string(),
            family: family_name(EMBEDDED).unwrap_or_else(|| "NanumGothic".to_string()),
        }
    }

    /// A user font (`--font PATH`): TrueType, OpenType or a collection (its first face). Errors
    /// name the path and say why: unreadable, not a font, or without Hangul glyphs.
    pub fn from_file(path: &Path) -> Result<Font, ChartError> {
        let bytes = std::fs::read(path).map_err(|source| ChartError::FontRead {
            path: path.to_path_buf(),
            source,
        })?;
        let invalid = |reason: String| ChartError::FontInvalid {
            path: path.to_path_buf(),
            reason,
        };
        // Parse before anything is leaked, so a bad file costs nothing.
        let face = FontRef::try_from_slice(&bytes)
            .map_err(|_| invalid("not a TrueType/OpenType font".to_string()))?;
        if let Some(c) = HANGUL_SAMPLE.chars().find(|&c| face.glyph_id(c).0 == 0) {
            return Err(invalid(format!(
                "it has no Hangul glyphs (no '{c}'): Korean labels would be drawn as boxes"
            )));
        }
        let family = family_name(&bytes)
            .or_else(|| Some(path.file_stem()?.to_string_lossy().into_owned()))
            .unwrap_or_default();
        let key = format!("bodo-font-{:016x}-{}", fnv1a(&bytes), bytes.len());
        let bytes: &'static [u8] = {
            let mut loaded = LOADED.lock().unwrap_or_else(|e| e.into_inner());
            loaded
                .entry(key.clone())
                .or_insert_with(|| Box::leak(bytes.into_boxed_slice()))
        };
        let face = FontRef::try_from_slice(bytes)
            .map_err(|_| invalid("not a TrueType/OpenType font".to_string()))?;
        Ok(Font {
            bytes,
            face: FontArc::new(face),
            key,
            family,
        })
    }

    /// The font file's bytes (the report embeds a subset of them).
    pub fn bytes(&self) -> &[u8] {
        self.bytes
    }

    /// The glyph id of `c`; 0 when the font has none.
    pub fn glyph_id(&self, c: char) -> u16 {
        self.face.glyph_id(c).0
    }

    /// Whether every char of `text` has a glyph (a non-zero glyph id) in this font.
    pub fn covers(&self, text: &str) -> bool {
        text.chars().all(|c| self.face.glyph_id(c).0 != 0)
    }

    /// The font's family name as its name table gives it (e.g. `NanumGothic`).
    pub fn family(&self) -> &str {
        &self.family
    }

    /// The parsed face, for drawing glyphs.
    pub(crate) fn face(&self) -> &FontArc {
        &self.face
    }

    /// The family key plotters draws this font under; [`Font::register`] must have run.
    pub(crate) fn key(&self) -> &str {
        &self.key
    }

    /// Registers the font with plotters under [`Font::key`], once per process and key.
    pub(crate) fn register(&self) -> Result<(), ChartError> {
        let mut registered = REGISTERED.lock().unwrap_or_else(|e| e.into_inner());
        if registered.contains(&self.key) {
            return Ok(());
        }
        plotters::style::register_font(&self.key, plotters::style::FontStyle::Normal, self.bytes)
            .map_err(|_| ChartError::FontRegister {
            family: self.family.clone(),
        })?;
        registered.insert(self.key.clone());
        Ok(())
    }

    /// The CSS `font-family` value for the SVGs: this font, then the Korean system fonts.
    pub(crate) fn svg_family_stack(&self) -> String {
        let mut names: Vec<&str> = Vec::new();
        if !self.family.is_empty() {
            names.push(&self.family);
        }
        names.extend(SVG_FALLBACKS.iter().filter(|&&n| n != self.family));
        let mut stack: Vec<String> = names
            .into_iter()
            .map(|n| {
                // The stack goes inside a double-quoted XML attribute with single-quoted names.
                let clean: String = n
                    .chars()
                    .filter(|c| !matches!(c, '\'' | '"' | '<' | '>' | '&' | '\\'))
                    .collect();
                format!("'{clean}'")
            })
            .collect();
        stack.push("sans-serif".to_string());
        stack.join(", ")
    }
}

/// The family name from the font's name table: the typographic family (name id 16) if present,
/// else the family (id 1); English (US) entries first, as the SVG stack is read by any viewer.
fn family_name(bytes: &[u8]) -> Option<String> {
    let face = ttf_parser::Face::parse(bytes, 0).ok()?;
    let names: Vec<_> = face.names().into_iter().collect();
    let pick = |id: u16, english: bool| {
        names
            .iter()
            .filter(|n| n.name_id == id && (!english || n.language_id == 0x0409))
            .find_map(|n| n.to_string())
            .filter(|s| !s.trim().is_empty())
    };
    use ttf_parser::name_id::{FAMILY, TYPOGRAPHIC_FAMILY};
    pick(TYPOGRAPHIC_FAMILY, true)
        .or_else(|| pick(FAMILY, true))
        .or_else(|| pick(TYPOGRAPHIC_FAMILY, false))
        .or_else(|| pick(FAMILY, false))
}

/// FNV-1a over the font bytes: a stable key, so the same file loaded twice is one registration.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
