//! Zip archives, structure-aware: the fuzzer chooses members (a name with an extension bodo
//! reads, a compressed one, a nested archive or one it skips; stored or deflated; any bytes),
//! `bodo_fuzz::zip_archive` writes a real archive, which may then be damaged (cut, or a byte
//! flipped), and bodo reads it, checked by `bodo_fuzz::check_ingest`.
#![no_main]

use std::sync::LazyLock;

use arbitrary::Arbitrary;
use bodo_fuzz::{ZipMember, MEMBER_EXTENSIONS};
use libfuzzer_sys::fuzz_target;

static DIR: LazyLock<tempfile::TempDir> = LazyLock::new(bodo_fuzz::scratch_dir);

#[derive(Arbitrary, Debug)]
struct Member {
    /// The name before the extension (may hold `/`, or start with `.`).
    stem: String,
    extension: u8,
    deflate: bool,
    bytes: Vec<u8>,
}

#[derive(Arbitrary, Debug)]
struct Archive {
    members: Vec<Member>,
    /// `(at, xor)`: see `bodo_fuzz::damage`.
    damage: Option<(u16, u8)>,
}

fuzz_target!(|archive: Archive| {
    let members: Vec<ZipMember> = archive
        .members
        .into_iter()
        .map(|m| ZipMember {
            name: format!(
                "{}.{}",
                m.stem,
                MEMBER_EXTENSIONS[m.extension as usize % MEMBER_EXTENSIONS.len()]
            ),
            bytes: m.bytes,
            deflate: m.deflate,
        })
        .collect();
    let mut bytes = bodo_fuzz::zip_archive(&members);
    if let Some((at, xor)) = archive.damage {
        bodo_fuzz::damage(&mut bytes, usize::from(at), xor);
    }
    bodo_fuzz::check_ingest(DIR.path(), "input.zip", &bytes);
});
