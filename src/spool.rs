//! Spool: pass 1's normalised texts, kept on disk for dedup's verification and for analysis.
//!
//! Takes every readable article's [`Normalised`] text in run order (position 0, 1, …); gives
//! them back in the same order, only those asked for, in batches, as often as asked.
//! Verification needs the text of most articles a second time and analysis every story's a
//! third; reading it back is a sequential read of what the page cache usually still holds, where
//! parsing and normalising the inputs again was as costly as the first pass (a third of the
//! morphology stage at a million articles).
//!
//! Guarantees: what is read is byte for byte what was written; the file is an unnamed temporary
//! file in the system's temp directory (about the size of the articles' text), gone when the
//! spool is dropped; errors name that directory.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use crate::error::{Error, Result};
use crate::record::Normalised;

/// Normalised texts written in run order.
pub struct Spool {
    writer: BufWriter<File>,
    written: usize,
}

fn spool_error(error: std::io::Error) -> Error {
    Error::io(std::env::temp_dir().join("(normalised texts)"), error)
}

impl Spool {
    pub fn create() -> Result<Self> {
        let file = tempfile::tempfile().map_err(spool_error)?;
        Ok(Spool {
            writer: BufWriter::with_capacity(1 << 20, file),
            written: 0,
        })
    }

    /// Appends the text of the next position.
    pub fn push(&mut self, text: &Normalised) -> Result<()> {
        let w = &mut self.writer;
        let len = |s: &str| (s.len() as u64).to_le_bytes();
        w.write_all(&len(&text.title))
            .and_then(|()| w.write_all(text.title.as_bytes()))
            .and_then(|()| w.write_all(&len(&text.body)))
            .and_then(|()| w.write_all(text.body.as_bytes()))
            .and_then(|()| w.write_all(&(text.boilerplate_chars as u64).to_le_bytes()))
            .map_err(spool_error)?;
        self.written += 1;
        Ok(())
    }

    /// Positions written.
    pub fn len(&self) -> usize {
        self.written
    }

    pub fn is_empty(&self) -> bool {
        self.written == 0
    }

    /// Reads the texts back in order, handing those `wanted` says to `each` in batches of at
    /// most `batch` (position, text). Call it after the last [`push`](Self::push); each call
    /// reads from the first position again.
    pub fn for_each(
        &mut self,
        wanted: impl Fn(usize) -> bool,
        batch: usize,
        mut each: impl FnMut(Vec<(usize, Normalised)>) -> Result<()>,
    ) -> Result<()> {
        self.writer.flush().map_err(spool_error)?;
        let file = self.writer.get_mut();
        file.seek(SeekFrom::Start(0)).map_err(spool_error)?;
        let mut reader = BufReader::with_capacity(1 << 20, &*file);
        let mut texts = Vec::with_capacity(batch);
        for position in 0..self.written {
            let keep = wanted(position);
            let title = read_string(&mut reader, keep)?;
            let body = read_string(&mut reader, keep)?;
            let boilerplate_chars = read_u64(&mut reader)? as usize;
            if keep {
                texts.push((
                    position,
                    Normalised {
                        title,
                        body,
                        boilerplate_chars,
                    },
                ));
                if texts.len() >= batch {
                    crate::interrupt::check()?;
                    each(std::mem::replace(&mut texts, Vec::with_capacity(batch)))?;
                }
            }
        }
        if !texts.is_empty() {
            each(texts)?;
        }
        Ok(())
    }
}

fn read_u64(reader: &mut impl Read) -> Result<u64> {
    let mut bytes = [0u8; 8];
    reader.read_exact(&mut bytes).map_err(spool_error)?;
    Ok(u64::from_le_bytes(bytes))
}

/// The next string, or an empty one (its bytes skipped) when it is not `wanted`.
fn read_string(reader: &mut BufReader<&File>, wanted: bool) -> Result<String> {
    let len = read_u64(reader)? as usize;
    if !wanted {
        reader.seek_relative(len as i64).map_err(spool_error)?;
        return Ok(String::new());
    }
    let mut bytes = vec![0u8; len];
    reader.read_exact(&mut bytes).map_err(spool_error)?;
    String::from_utf8(bytes)
        .map_err(|e| spool_error(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_what_was_written_in_batches() {
        let texts: Vec<Normalised> = (0..10)
            .map(|i| Normalised {
                title: format!("제목 {i}"),
                body: "본문 ".repeat(i) + "끝",
                boilerplate_chars: i * 3,
            })
            .collect();
        let mut spool = Spool::create().unwrap();
        for t in &texts {
            spool.push(t).unwrap();
        }
        assert_eq!(spool.len(), 10);
        let mut got = Vec::new();
        let mut batches = 0;
        spool
            .for_each(
                |p| p % 3 != 1,
                2,
                |batch| {
                    batches += 1;
                    got.extend(batch);
                    Ok(())
                },
            )
            .unwrap();
        let expected: Vec<(usize, Normalised)> = texts
            .into_iter()
            .enumerate()
            .filter(|(p, _)| p % 3 != 1)
            .collect();
        assert_eq!(got, expected);
        assert_eq!(batches, 4);
    }
}
