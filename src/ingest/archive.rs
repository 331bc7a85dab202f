//! Zip archives of inputs: listing their members and opening one for reading.
//!
//! Takes: the path of a `.zip` file.
//! Gives: [`members`], the archive's input members (by the same extension rules as a directory
//! walk) in name order, each with its size, SHA-256 and first bytes; [`Archive`], which opens
//! members one after another without re-reading the central directory.
//! Guarantees:
//! - Members are streamed from the archive, never extracted to disk.
//! - Names are shown as the user's unzip tool shows them: zip tools on Korean Windows store names
//!   in CP949 without the UTF-8 flag, which read as CP437 would be mojibake; a name that is
//!   valid UTF-8 is taken as UTF-8, else as CP949, else as the zip crate decodes it.
//! - Directories, hidden names (a component starting with `.`) and macOS resource forks
//!   (`__MACOSX/`) are not inputs. A member that cannot be read (encrypted, unsupported
//!   compression, corrupt) still appears, so that scanning rejects it by name.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use encoding_rs::EUC_KR;
use zip::ZipArchive;

use super::decode::BUF_LEN;

/// One input inside an archive.
#[derive(Debug, Clone)]
pub struct Member {
    /// Position in the archive's central directory (what [`Archive::open`] takes).
    pub index: usize,
    /// The member's name, decoded as described in the module docs.
    pub name: String,
    /// Uncompressed size.
    pub bytes: u64,
    /// SHA-256 of the uncompressed member, or why it could not be read.
    pub digest: Result<(String, Vec<u8>), String>,
}

/// The input members of the archive at `path`, in name order; `is_input` decides by name.
/// Errors (as text) when the archive itself cannot be read: not a zip, or a corrupt directory.
pub fn members(
    path: &Path,
    is_input: impl Fn(&Path) -> bool,
) -> io::Result<Result<Vec<Member>, String>> {
    let mut archive = match ZipArchive::new(BufReader::with_capacity(BUF_LEN, File::open(path)?)) {
        Ok(archive) => archive,
        Err(err) => return Ok(Err(format!("not a readable zip archive: {err}"))),
    };
    let mut found = Vec::new();
    for index in 0..archive.len() {
        // Encrypted or unsupported members still have a name in the directory.
        let listed_name = archive
            .name_for_index(index)
            .unwrap_or_default()
            .to_string();
        let mut member = match archive.by_index(index) {
            Ok(member) => member,
            Err(err) => {
                let name = listed_name;
                if is_input(Path::new(&name)) && !skipped(&name) {
                    found.push(Member {
                        index,
                        name,
                        bytes: 0,
                        digest: Err(format!("cannot read zip member: {err}")),
                    });
                }
                continue;
            }
        };
        let name = display_name(member.name_raw(), member.name());
        if member.is_dir() || skipped(&name) || !is_input(Path::new(&name)) {
            continue;
        }
        let bytes = member.size();
        let digest = super::digest(&mut member)
            .map(|(_, sha256, first)| (sha256, first))
            .map_err(|err| format!("cannot read zip member: {err}"));
        found.push(Member {
            index,
            name,
            bytes,
            digest,
        });
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Ok(found))
}

/// Hidden files and macOS metadata are not inputs, as in a directory walk.
fn skipped(name: &str) -> bool {
    name.split('/')
        .any(|part| part.starts_with('.') || part == "__MACOSX")
}

/// See the module docs.
fn display_name(raw: &[u8], as_decoded: &str) -> String {
    if let Ok(name) = std::str::from_utf8(raw) {
        return name.to_string();
    }
    match EUC_KR.decode_without_bom_handling_and_without_replacement(raw) {
        Some(name) => name.into_owned(),
        None => as_decoded.to_string(),
    }
}

/// An open archive whose members are read one after another: the central directory is read once
/// however many members are scanned.
pub struct Archive {
    path: std::path::PathBuf,
    zip: ZipArchive<BufReader<File>>,
}

impl Archive {
    /// Opens the archive at `path`, or returns `cached` when it is already that archive.
    pub fn reuse(cached: Option<Archive>, path: &Path) -> io::Result<Archive> {
        if let Some(archive) = cached.filter(|a| a.path == path) {
            return Ok(archive);
        }
        let file = BufReader::with_capacity(BUF_LEN, File::open(path)?);
        let zip = ZipArchive::new(file).map_err(io::Error::other)?;
        Ok(Archive {
            path: path.to_path_buf(),
            zip,
        })
    }

    /// A reader over member `index`, uncompressed.
    pub fn open(&mut self, index: usize) -> Result<impl Read + '_, String> {
        self.zip
            .by_index(index)
            .map_err(|err| format!("cannot read zip member: {err}"))
    }
}
