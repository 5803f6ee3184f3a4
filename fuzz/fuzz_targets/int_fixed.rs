//! Fixed-width decoder on hostile bytes and parameters: the first byte picks the width
//! (0..=9, invalid ones included) and the byte order. Never panics; accepted values re-encode
//! to the same bytes; short input is incomplete with the exact counts.
#![no_main]
netorder_fuzz::install_capped_allocator!();

use libfuzzer_sys::fuzz_target;
use netorder::{Endian, ErrorKind, IntEncoding};

fuzz_target!(|data: &[u8]| {
    let Some((&param, bytes)) = data.split_first() else {
        return;
    };
    let width = param % 10;
    let endian = if param & 0x80 != 0 {
        Endian::Little
    } else {
        Endian::Big
    };
    let e = IntEncoding::Fixed { width, endian };
    match e.decode(bytes) {
        Ok((v, n)) => {
            assert_eq!(n, usize::from(width));
            let mut out = Vec::new();
            assert_eq!(e.encode(v, &mut out).unwrap(), n);
            assert_eq!(&out[..], &bytes[..n]);
        }
        Err(err) => match err.kind() {
            ErrorKind::InvalidWidth { .. } => assert!(width == 0 || width > 8),
            ErrorKind::Incomplete {
                offset: 0,
                needed,
                available,
            } => {
                assert_eq!(*needed, usize::from(width));
                assert_eq!(*available, bytes.len());
            }
            other => panic!("unexpected error {other:?}"),
        },
    }
});
