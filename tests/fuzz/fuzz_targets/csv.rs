//! CSV and TSV: the same bytes saved as `.csv` and as `.tsv`, each read by bodo's ingest and
//! checked by `bodo_fuzz::check_ingest` (one reader, two delimiters: a seed of either kind
//! exercises both).
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

static DIR: LazyLock<tempfile::TempDir> = LazyLock::new(bodo_fuzz::scratch_dir);

fuzz_target!(|bytes: &[u8]| {
    bodo_fuzz::check_ingest(DIR.path(), "input.csv", bytes);
    bodo_fuzz::check_ingest(DIR.path(), "input.tsv", bytes);
});
