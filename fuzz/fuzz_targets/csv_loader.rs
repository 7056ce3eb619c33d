//! Any bytes as a CSV file (first byte picks the encoding option): decode, parse, validate.
#![no_main]

use libfuzzer_sys::fuzz_target;
use litmon::data::{Input, ReadOptions, TextEncoding};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let encoding = match first % 3 {
        0 => TextEncoding::Auto,
        1 => TextEncoding::Utf8,
        _ => TextEncoding::Gb18030,
    };
    let opts = ReadOptions {
        encoding,
        sheet: None,
    };
    if let Ok(input) = Input::from_bytes("fuzz.csv", rest, &opts) {
        common::exercise(input);
    }
});
