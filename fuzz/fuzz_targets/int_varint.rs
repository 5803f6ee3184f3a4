//! Varint decoder on hostile bytes: never panics, consumes within the input, and accepts only
//! the canonical encoding (re-encoding gives back exactly the bytes consumed). Every proper
//! prefix of an accepted input is incomplete.
#![no_main]
netorder_fuzz::install_capped_allocator!();

use libfuzzer_sys::fuzz_target;
use netorder::IntEncoding;
use netorder::int::varint;

fuzz_target!(|data: &[u8]| {
    match varint::decode(data) {
        Ok((v, n)) => {
            assert!(n >= 1 && n <= data.len() && n <= varint::MAX_LEN);
            let mut buf = [0u8; varint::MAX_LEN];
            let len = varint::encode(v, &mut buf).unwrap();
            assert_eq!(&buf[..len], &data[..n], "non-canonical varint accepted");
            assert_eq!(varint::encoded_len(v), n);
            for k in 0..n {
                assert!(varint::decode(&data[..k]).unwrap_err().is_incomplete());
            }
            assert_eq!(IntEncoding::Varint.decode(data).unwrap(), (v, n));
        }
        Err(e) => {
            assert_eq!(e.offset(), Some(0));
            assert_eq!(IntEncoding::Varint.decode(data).unwrap_err(), e);
        }
    }
});
