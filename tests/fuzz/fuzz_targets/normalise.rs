//! The normaliser: any text (invalid UTF-8 replaced), its first line as the title and the rest
//! as the body, checked by `bodo_fuzz::check_normalise`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    let (title, body) = bodo_fuzz::title_and_body(&text);
    bodo_fuzz::check_normalise(title, body);
});
