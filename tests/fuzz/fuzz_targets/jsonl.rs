//! JSON Lines: any bytes saved as `.jsonl`, read by bodo's ingest, checked by
//! `bodo_fuzz::check_ingest`.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

static DIR: LazyLock<tempfile::TempDir> = LazyLock::new(bodo_fuzz::scratch_dir);

fuzz_target!(|bytes: &[u8]| {
    bodo_fuzz::check_ingest(DIR.path(), "input.jsonl", bytes);
});
