#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    marketing_apis::fuzzing::encode(data);
});
