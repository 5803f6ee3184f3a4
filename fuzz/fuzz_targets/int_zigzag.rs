//! ZigZag decoder on hostile bytes: never panics; what it accepts re-encodes to the same bytes;
//! the signed and `IntEncoding` views agree.
#![no_main]
netorder_fuzz::install_capped_allocator!();

use libfuzzer_sys::fuzz_target;
use netorder::IntEncoding;
use netorder::int::{varint, zigzag};

fuzz_target!(|data: &[u8]| {
    match zigzag::decode(data) {
        Ok((v, n)) => {
            assert!(n >= 1 && n <= data.len());
            let mut buf = [0u8; varint::MAX_LEN];
            let len = zigzag::encode(v, &mut buf).unwrap();
            assert_eq!(&buf[..len], &data[..n], "non-canonical zigzag accepted");
            assert_eq!(zigzag::decode_i64(zigzag::encode_i64(v)), v);
            assert_eq!(IntEncoding::ZigZag.decode(data).unwrap(), (v as u64, n));
        }
        Err(e) => assert_eq!(IntEncoding::ZigZag.decode(data).unwrap_err(), e),
    }
});
