//! Fixed-width ASCII decoder on hostile bytes; the first byte picks the width (0..=21, invalid
//! ones included). Never panics; accepted input re-encodes to the same bytes.
#![no_main]
netorder_fuzz::install_capped_allocator!();

use libfuzzer_sys::fuzz_target;
use netorder::{ErrorKind, IntEncoding};

fuzz_target!(|data: &[u8]| {
    let Some((&param, bytes)) = data.split_first() else {
        return;
    };
    let width = param % 22;
    let e = IntEncoding::AsciiFixed { width };
    match e.decode(bytes) {
        Ok((v, n)) => {
            assert_eq!(n, usize::from(width));
            let mut out = Vec::new();
            assert_eq!(e.encode(v, &mut out).unwrap(), n);
            assert_eq!(&out[..], &bytes[..n]);
        }
        Err(err) => match err.kind() {
            ErrorKind::InvalidWidth { .. } => assert!(width == 0 || width > 20),
            ErrorKind::Incomplete {
                needed, available, ..
            } => {
                assert_eq!(*needed, usize::from(width));
                assert!(*available < *needed);
                assert!(bytes.iter().all(u8::is_ascii_digit));
            }
            ErrorKind::InvalidByte { offset, .. } => assert!(!bytes[*offset].is_ascii_digit()),
            ErrorKind::Overflow { .. } => assert_eq!(width, 20),
            other => panic!("unexpected error {other:?}"),
        },
    }
});
