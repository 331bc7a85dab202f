//! Opening inputs: gzip and zstd, byte-order marks, binary detection and text encodings.
//!
//! Takes: a byte stream (a file, or a member of a zip archive), its [`Compression`] and an
//! optional forced encoding.
//! Gives: [`open`], a buffered reader over the decompressed bytes with the head already sniffed
//! ([`Opened`]), and a [`TextDecoder`] that turns one record's bytes into text.
//! Guarantees:
//! - Nothing is replaced: a record whose bytes do not decode is reported (with the byte offset)
//!   so the caller rejects that record alone; interior text is never altered.
//! - Sniffing looks only at the first [`HEAD_LEN`] bytes (after decompression), which are then
//!   replayed, so scanning reads a file once, in a stream.
//! - An I/O error inside the head (a compressed stream truncated in its first 64 KiB) is not lost:
//!   it is replayed after the head bytes, exactly where it happened.
//!
//! Encoding decision, in order: a UTF-8 BOM (stripped) or UTF-16 BOM (unsupported) wins, as in
//! `encoding_rs::Encoding::decode`; then a forced encoding; then a head that is valid UTF-8
//! (allowing a character cut by the 64 KiB boundary, and a few stray bad sequences among many
//! good ones, see [`mostly_utf8`]) is UTF-8; otherwise chardetng decides,
//! and only its EUC-KR guess (= CP949 in encoding_rs) is taken: every other guess means "not
//! Korean legacy text", and UTF-8 with per-record rejections loses less than a wrong decoder.
//! CP949 is safe to split on ASCII bytes: its trail bytes are ≥ 0x41, so `\n`, `\t`, `,` and `"`
//! never occur inside a character.

use std::borrow::Cow;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use encoding_rs::{Encoding, EUC_KR, UTF_8};
use flate2::bufread::MultiGzDecoder;

/// How much of the (decompressed) input is sniffed for BOM, binary content, encoding and format.
pub const HEAD_LEN: usize = 64 * 1024;
/// NUL bytes within this prefix, with other control bytes or many of them, mark a binary file
/// (see [`looks_binary`]).
const BINARY_PROBE_LEN: usize = 8 * 1024;
/// Buffer size for every reader layer: large enough that syscalls and inflate calls are cheap.
pub const BUF_LEN: usize = 64 * 1024;

/// How an input's bytes are compressed. Only whole-stream compressions are here; a zip archive
/// holds several inputs and is listed member by member (see `super::archive`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

/// Magic numbers: gzip (RFC 1952) and a zstd frame (RFC 8878).
const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];
/// Bytes of a file [`Compression::detect`] looks at.
pub const MAGIC_LEN: usize = 4;

impl Compression {
    /// The compression a file name's last extension says (`.gz`, `.zst`), if any.
    pub fn from_name(path: &Path) -> Option<Compression> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "gz" => Some(Compression::Gzip),
            "zst" => Some(Compression::Zstd),
            _ => None,
        }
    }

    /// The compression of a file named `path` (`None` for stdin) whose first bytes are `first`:
    /// the name decides, then the magic number, so a gzip saved without `.gz` still opens.
    pub fn detect(path: Option<&Path>, first: &[u8]) -> Compression {
        if let Some(by_name) = path.and_then(Compression::from_name) {
            return by_name;
        }
        if first.starts_with(GZIP_MAGIC) {
            Compression::Gzip
        } else if first.starts_with(ZSTD_MAGIC) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    /// How a broken stream of this compression is described in a rejection.
    pub fn broken_stream(self) -> &'static str {
        match self {
            Compression::None => "read error",
            Compression::Gzip => "corrupt gzip stream",
            Compression::Zstd => "corrupt zstd stream",
        }
    }

    /// `raw` decompressed. Multi-member gzip and multi-frame zstd files (what `cat a.gz b.gz`
    /// and `zstd` on concatenated input make) are read to the end, not to the first member.
    pub fn decompress<'a>(self, raw: impl BufRead + 'a) -> io::Result<Box<dyn BufRead + 'a>> {
        Ok(match self {
            Compression::None => Box::new(raw),
            Compression::Gzip => {
                Box::new(BufReader::with_capacity(BUF_LEN, MultiGzDecoder::new(raw)))
            }
            Compression::Zstd => Box::new(BufReader::with_capacity(
                BUF_LEN,
                zstd::stream::read::Decoder::with_buffer(raw)?,
            )),
        })
    }
}

/// Decodes one record's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextDecoder {
    encoding: &'static Encoding,
}

impl TextDecoder {
    pub fn new(encoding: &'static Encoding) -> Self {
        TextDecoder { encoding }
    }

    /// The text of `bytes`, or a reason naming the byte offset of the first bad sequence:
    /// `invalid UTF-8 at byte 12` / `undecodable bytes for CP949 at byte 12`. Callers append
    /// where the bytes came from (` of the record`).
    pub fn decode<'a>(self, bytes: &'a [u8]) -> Result<Cow<'a, str>, String> {
        if self.encoding == UTF_8 {
            return std::str::from_utf8(bytes)
                .map(Cow::Borrowed)
                .map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()));
        }
        if let Some(text) = self
            .encoding
            .decode_without_bom_handling_and_without_replacement(bytes)
        {
            return Ok(text);
        }
        Err(format!(
            "undecodable bytes for {} at byte {}",
            encoding_label(self.encoding),
            first_malformed(self.encoding, bytes)
        ))
    }

    /// Lossy decoding, for sniffing and for column names only (never for article text).
    pub fn decode_lossy(self, bytes: &[u8]) -> Cow<'_, str> {
        self.encoding.decode_without_bom_handling(bytes).0
    }
}

/// The name users know an encoding by: encoding_rs calls windows-949 "EUC-KR".
pub fn encoding_label(encoding: &'static Encoding) -> &'static str {
    if encoding == EUC_KR {
        "CP949"
    } else {
        encoding.name()
    }
}

/// Offset of the first malformed sequence; only called once fast decoding has failed.
fn first_malformed(encoding: &'static Encoding, bytes: &[u8]) -> usize {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len().saturating_mul(3)),
    );
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        encoding_rs::DecoderResult::Malformed(bad, after) => {
            read.saturating_sub(usize::from(bad) + usize::from(after))
        }
        _ => read,
    }
}

/// What the head of an input says about the whole input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// Text in this encoding; the BOM (if any) has been skipped.
    Text(TextDecoder),
    /// No bytes at all (after gunzip).
    Empty,
    /// NUL bytes near the start, with other control bytes or many of them.
    Binary,
    /// A UTF-16 byte-order mark.
    Utf16,
}

impl Content {
    /// Why a non-text input is rejected as a whole.
    pub fn rejection(self) -> Option<&'static str> {
        match self {
            Content::Text(_) => None,
            Content::Empty => Some("empty file"),
            Content::Binary => Some("binary file (NUL bytes), not a supported format"),
            Content::Utf16 => Some("UTF-16 is not supported; re-save as UTF-8"),
        }
    }
}

/// Sniffs `head` (the first bytes of the decompressed input). Returns the content kind and the
/// length of the BOM to skip.
pub fn sniff(head: &[u8], forced: Option<&'static Encoding>) -> (Content, usize) {
    if head.is_empty() {
        return (Content::Empty, 0);
    }
    match Encoding::for_bom(head) {
        Some((enc, bom)) if enc == UTF_8 => {
            let rest = &head[bom..];
            if rest.is_empty() {
                return (Content::Empty, bom);
            }
            if looks_binary(rest) {
                return (Content::Binary, bom);
            }
            return (Content::Text(TextDecoder::new(UTF_8)), bom);
        }
        Some(_) => return (Content::Utf16, 0),
        None => {}
    }
    if looks_binary(head) {
        return (Content::Binary, 0);
    }
    let encoding = forced.unwrap_or_else(|| guess_encoding(head));
    (Content::Text(TextDecoder::new(encoding)), 0)
}

/// Whether the probe looks binary. NUL bytes alone are not enough: a text dump with a stray NUL
/// (scrapers leave them) must not lose every record of the file; its NULs are handled record by
/// record (JSON rejects a raw NUL in a string with the line; elsewhere it is a control character
/// normalisation turns into a space). Binary formats show more: other control bytes (images,
/// archives, spreadsheets) or NULs throughout (UTF-16 without a BOM).
fn looks_binary(bytes: &[u8]) -> bool {
    let probe = &bytes[..bytes.len().min(BINARY_PROBE_LEN)];
    let nuls = probe.iter().filter(|b| **b == 0).count();
    nuls > 0
        && (nuls * BINARY_NUL_RATIO > probe.len()
            || probe
                .iter()
                .any(|b| matches!(b, 0x01..=0x08 | 0x0E..=0x1A | 0x1C..=0x1F)))
}

/// NULs more frequent than one byte in this many mark a binary probe on their own.
const BINARY_NUL_RATIO: usize = 64;

fn guess_encoding(head: &[u8]) -> &'static Encoding {
    if mostly_utf8(head) {
        return UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(head, head.len() < HEAD_LEN);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    if guess == EUC_KR {
        EUC_KR
    } else {
        UTF_8
    }
}

/// Whether `head` is UTF-8, allowing a character cut by the sniff window and a few stray bad
/// sequences: at least [`UTF8_MAJORITY`] valid non-ASCII characters per invalid sequence. A UTF-8
/// dump with one corrupt record must stay UTF-8 (that record alone is rejected) rather than go
/// to chardetng, which, told UTF-8 is impossible, may well answer EUC-KR for Korean UTF-8 bytes.
/// CP949 Hangul is valid UTF-8 only by chance (lead C2–C8 with trail A1–BF, about one pair in
/// ten), so real CP949 text fails the ratio by a wide margin.
fn mostly_utf8(head: &[u8]) -> bool {
    let mut rest = head;
    let (mut valid_non_ascii, mut invalid) = (0usize, 0usize);
    loop {
        match std::str::from_utf8(rest) {
            Ok(text) => {
                valid_non_ascii += text.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(e) => {
                let (good, after) = rest.split_at(e.valid_up_to());
                valid_non_ascii += std::str::from_utf8(good)
                    .map_or(0, |t| t.chars().filter(|c| !c.is_ascii()).count());
                match e.error_len() {
                    // The head ends inside a character, cut by the sniff window.
                    None => break,
                    Some(len) => {
                        invalid += 1;
                        rest = &after[len..];
                    }
                }
            }
        }
    }
    invalid == 0 || valid_non_ascii >= UTF8_MAJORITY * invalid
}

/// See [`mostly_utf8`].
const UTF8_MAJORITY: usize = 10;

/// Reads the next line of `reader` into `buf` (cleared first) without its `\n` or `\r\n`,
/// keeping at most `max` bytes: the rest of a longer line is read and dropped, so memory stays
/// bounded however long the line ([`super::MAX_RECORD_BYTES`] for records).
/// Returns `None` at the end of input, else the line's full length (terminator excluded); a length
/// over `max` means `buf` holds only the line's start. On a read error, `buf` holds what was read.
pub fn read_line_capped(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<Option<u64>> {
    buf.clear();
    let mut len = 0u64;
    let mut any = false;
    let mut last = None;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        any = true;
        let (chunk, ends_line) = match available.iter().position(|b| *b == b'\n') {
            Some(i) => (&available[..i], true),
            None => (available, false),
        };
        // One byte more than `max`, for a `\r` that may turn out to end the line.
        let room = (max + 1).saturating_sub(buf.len()).min(chunk.len());
        buf.extend_from_slice(&chunk[..room]);
        len += chunk.len() as u64;
        last = chunk.last().copied().or(last);
        let used = chunk.len() + usize::from(ends_line);
        reader.consume(used);
        if ends_line {
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    if last == Some(b'\r') {
        // Stored only when the whole line was.
        if buf.len() as u64 == len {
            buf.pop();
        }
        len -= 1;
    }
    buf.truncate(max);
    Ok(Some(len))
}

/// An input opened for reading: decompressed, head sniffed, positioned after any BOM.
pub struct Opened<'a> {
    pub content: Content,
    pub reader: Replay<Box<dyn BufRead + 'a>>,
}

/// Opens `raw` (decompressing it), sniffs its head and returns a reader that replays the head
/// (minus the BOM) and then streams the rest.
/// Only opening can fail here; read errors are replayed to the format reader.
pub fn open<'a>(
    raw: impl Read + 'a,
    compression: Compression,
    forced: Option<&'static Encoding>,
) -> io::Result<Opened<'a>> {
    let mut inner = compression.decompress(BufReader::with_capacity(BUF_LEN, raw))?;
    let mut head = Vec::with_capacity(HEAD_LEN);
    // `read_to_end` keeps the bytes read before an error; the error is replayed after them.
    let err = (&mut inner)
        .take(HEAD_LEN as u64)
        .read_to_end(&mut head)
        .err();
    let (content, bom) = sniff(&head, forced);
    Ok(Opened {
        content,
        reader: Replay {
            head,
            pos: bom,
            err,
            inner,
        },
    })
}

/// Replays already-read head bytes, then a pending error from reading them, then the rest.
pub struct Replay<R> {
    head: Vec<u8>,
    pos: usize,
    err: Option<io::Error>,
    inner: R,
}

impl<R> Replay<R> {
    /// The sniffed head bytes not yet read (after the BOM, before any read).
    pub fn head(&self) -> &[u8] {
        &self.head[self.pos..]
    }

    /// The error that ended the head read, if any; it is then no longer replayed.
    pub fn take_pending_error(&mut self) -> Option<io::Error> {
        self.err.take()
    }
}

impl<R: BufRead> Read for Replay<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = {
            let available = self.fill_buf()?;
            let n = available.len().min(buf.len());
            buf[..n].copy_from_slice(&available[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Replay<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos < self.head.len() {
            return Ok(&self.head[self.pos..]);
        }
        if let Some(err) = self.err.take() {
            return Err(err);
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if self.pos < self.head.len() {
            self.pos += amt;
            if self.pos >= self.head.len() {
                // The head is done; free it rather than hold 64 KiB per open input.
                self.head = Vec::new();
                self.pos = 0;
            }
        } else {
            self.inner.consume(amt);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_is_skipped() {
        let (content, bom) = sniff(b"\xEF\xBB\xBF{\"a\":1}", None);
        assert_eq!(content, Content::Text(TextDecoder::new(UTF_8)));
        assert_eq!(bom, 3);
    }

    #[test]
    fn utf16_binary_and_empty() {
        assert_eq!(sniff(b"\xFF\xFEa\0", None).0, Content::Utf16);
        assert_eq!(sniff(b"abc\0def", None).0, Content::Binary);
        assert_eq!(sniff(b"", None).0, Content::Empty);
        assert_eq!(sniff(b"\xEF\xBB\xBF", None).0, Content::Empty);
    }

    #[test]
    fn cp949_is_detected_and_decoded() {
        let (bytes, _, _) = EUC_KR.encode("카카오 먹통 사태에 국회 과방위가 김범수 의장을 증인으로 불렀다. 서비스 장애가 길어지면서 이용자 불만이 커졌다.");
        let (content, _) = sniff(&bytes, None);
        assert_eq!(content, Content::Text(TextDecoder::new(EUC_KR)));
        let Content::Text(dec) = content else {
            unreachable!()
        };
        assert!(dec.decode(&bytes).unwrap().starts_with("카카오 먹통"));
    }

    #[test]
    fn truncated_utf8_at_the_window_edge_is_still_utf8() {
        let text = "가".repeat(HEAD_LEN / 3 + 1);
        let head = &text.as_bytes()[..HEAD_LEN];
        assert_eq!(guess_encoding(head), UTF_8);
    }

    #[test]
    fn utf8_with_a_stray_bad_byte_stays_utf8() {
        let mut bytes = "카카오 먹통 사태에 국회 과방위가 김범수 의장을 증인으로 불렀다.\n"
            .repeat(3)
            .into_bytes();
        bytes.extend_from_slice(b"{\"body\": \"\xff\"}\n");
        assert_eq!(guess_encoding(&bytes), UTF_8);
        let text = "카카오 먹통 사태에 국회 과방위가 김범수 의장을 증인으로 불렀다.\n".repeat(3);
        let (cp949, _, _) = EUC_KR.encode(&text);
        assert_eq!(guess_encoding(&cp949), EUC_KR);
    }

    #[test]
    fn decode_errors_name_the_offset() {
        let utf8 = TextDecoder::new(UTF_8);
        assert_eq!(
            utf8.decode(b"ab\xFFcd").unwrap_err(),
            "invalid UTF-8 at byte 2"
        );
        let cp949 = TextDecoder::new(EUC_KR);
        assert_eq!(
            cp949.decode(b"abc\x80\x41").unwrap_err(),
            "undecodable bytes for CP949 at byte 3"
        );
    }

    #[test]
    fn a_stray_nul_in_text_is_not_binary() {
        let mut text = "{\"body\": \"카카오 먹통\"}\n".repeat(10).into_bytes();
        text.insert(20, 0);
        assert!(!looks_binary(&text));
        assert_eq!(sniff(&text, None).0, Content::Text(TextDecoder::new(UTF_8)));
        // NULs throughout, or with other control bytes: binary.
        assert!(looks_binary(b"abc\0def"));
        assert!(looks_binary(
            "가나다라".repeat(100).replace('라', "\0").as_bytes()
        ));
        let mut png = text.clone();
        png.extend_from_slice(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
        assert!(looks_binary(&png));
    }

    #[test]
    fn capped_lines() {
        let read_all = |input: &[u8], max: usize| {
            let mut reader = io::BufReader::with_capacity(4, input);
            let mut buf = Vec::new();
            let mut lines = Vec::new();
            while let Some(len) = read_line_capped(&mut reader, &mut buf, max).unwrap() {
                lines.push((String::from_utf8(buf.clone()).unwrap(), len));
            }
            lines
        };
        let lines = read_all(b"abc\r\nabcde\nabcdef\r\n\nabcdefghij", 5);
        let expected = [
            ("abc", 3),
            ("abcde", 5),
            ("abcde", 6),
            ("", 0),
            ("abcde", 10),
        ];
        let expected: Vec<(String, u64)> =
            expected.iter().map(|(s, n)| (s.to_string(), *n)).collect();
        assert_eq!(lines, expected);
        assert_eq!(read_all(b"abcde\r", 5), [("abcde".to_string(), 5)]);
        assert!(read_all(b"", 5).is_empty());
    }

    #[test]
    fn replay_yields_head_then_error_then_nothing_lost() {
        let mut r = Replay {
            head: b"\xEF\xBB\xBFab".to_vec(),
            pos: 3,
            err: Some(io::Error::other("boom")),
            inner: io::Cursor::new(b"cd".to_vec()),
        };
        let mut out = Vec::new();
        let err = r.read_to_end(&mut out).unwrap_err();
        assert_eq!(out, b"ab");
        assert_eq!(err.to_string(), "boom");
        r.read_to_end(&mut out).unwrap();
        assert_eq!(out, b"abcd");
    }
}
