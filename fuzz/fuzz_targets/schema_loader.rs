#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    marketing_apis_codegen::fuzzing::generate_from_bytes(data);
});
