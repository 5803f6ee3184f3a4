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
            // Fields are in order, inside the record (checked on a bounded prefix). The bit
            // fields of a group share its bytes (`offset` and `size` are the group's), in order
            // of their bits, inside them.
            let (mut end, mut group, mut bit_end) = (0, None, 0);
            for (i, f) in layout.fields().take(10_000).enumerate() {
                assert_eq!(f.index, i);
                assert!(f.offset + f.size <= layout.size(), "{f:?}");
                match f.bits {
                    Some(bits) if group == Some(f.offset) => {
                        assert!(bits.start >= bit_end, "{f:?}");
                        bit_end = bits.start + bits.width;
                    }
                    Some(bits) => {
                        assert!(f.offset >= end, "{f:?}");
                        (group, bit_end) = (Some(f.offset), bits.start + bits.width);
                    }
                    None => {
                        assert!(f.offset >= end, "{f:?}");
                        group = None;
                    }
                }
                if f.bits.is_some() {
                    assert!(bit_end as usize <= 8 * f.size, "{f:?}");
                }
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
