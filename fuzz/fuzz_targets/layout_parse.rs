//! `Layout::parse` on arbitrary text: no panic, no allocation in proportion to repeat counts
//! (`99999999999s` must cost nothing), and a canonical format that means the same thing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use netorder::{ErrorKind, Layout};

netorder_fuzz::install_capped_allocator!();

fuzz_target!(|data: &[u8]| {
    let fmt = String::from_utf8_lossy(data);
    match Layout::parse(&fmt) {
        Ok(layout) => {
            let canonical = layout.struct_format();
            assert!(
                canonical.len() <= 2 * fmt.len() + 64,
                "canonical form stays small"
            );
            let again = Layout::parse(&canonical).expect("the canonical format parses");
            assert_eq!(again.size(), layout.size());
            assert_eq!(again.value_count(), layout.value_count());
            assert_eq!(again.struct_format(), canonical);
            // Fields are in order, inside the record (checked on a bounded prefix).
            let mut end = 0;
            for (i, f) in layout.fields().take(10_000).enumerate() {
                assert_eq!(f.index, i);
                assert!(f.offset >= end && f.offset + f.size <= layout.size());
                end = f.offset + f.size;
            }
            // Small records: zeros unpack, and pack back to zeros (no `?`/`p` quirks on zeros).
            if layout.size() <= 1 << 16 {
                let zeros = vec![0u8; layout.size()];
                let values = layout
                    .unpack(&zeros)
                    .expect("any bytes of the right size unpack");
                assert_eq!(layout.pack(&values).expect("unpacked values pack"), zeros);
            }
        }
        Err(e) => match e.kind() {
            ErrorKind::BadFormat { position, .. } => assert!(*position <= fmt.len()),
            other => panic!("parse failed with {other:?}"),
        },
    }
});
