//! ASCII decoders (unsigned and signed) on hostile bytes; the first byte is the terminator
//! (digits included, which must be refused). Never panics; accepted input is canonical
//! (re-encodes to the same bytes) and agrees with `str::parse`.
#![no_main]
netorder_fuzz::install_capped_allocator!();

use libfuzzer_sys::fuzz_target;
use netorder::int::ascii;
use netorder::{ErrorKind, IntEncoding};

fuzz_target!(|data: &[u8]| {
    let Some((&terminator, bytes)) = data.split_first() else {
        return;
    };
    let e = IntEncoding::Ascii { terminator };
    match e.decode(bytes) {
        Ok((v, n)) => {
            assert!(!terminator.is_ascii_digit());
            assert!(n >= 2 && n <= bytes.len() && n <= ascii::MAX_DIGITS + 1);
            assert_eq!(bytes[n - 1], terminator);
            let text = std::str::from_utf8(&bytes[..n - 1]).unwrap();
            assert_eq!(text.parse::<u64>().unwrap(), v);
            let mut out = Vec::new();
            e.encode(v, &mut out).unwrap();
            assert_eq!(&out[..], &bytes[..n]);
            for k in 0..n {
                assert!(e.decode(&bytes[..k]).unwrap_err().is_incomplete());
            }
        }
        Err(err) => {
            if terminator.is_ascii_digit() {
                assert!(matches!(err.kind(), ErrorKind::Unsupported { .. }));
            }
        }
    }
    if let Ok((v, n)) = ascii::decode_i64(bytes, terminator) {
        let text = std::str::from_utf8(&bytes[..n - 1]).unwrap();
        assert_eq!(text.parse::<i64>().unwrap(), v);
        let mut out = [0u8; ascii::MAX_DIGITS + 2];
        let len = ascii::encode_i64(v, terminator, &mut out).unwrap();
        assert_eq!(&out[..len], &bytes[..n]);
    }
});
