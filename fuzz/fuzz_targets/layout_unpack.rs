//! `Layout::unpack` on arbitrary bytes for an arbitrary format: no panic, the byte count
//! checked before anything else, and unpack then pack gives the bytes back except padding,
//! `?` (any nonzero byte is true) and `p` (a length past the field is clamped), NaNs
//! (packing makes them canonical, as CPython does), and the padding bits of a bit group
//! (zero when packed; a bit field, `?` included, keeps exactly its bits).
//!
//! Input: one byte N, then N bytes of format (lossy UTF-8), then the record bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use netorder::{ErrorKind, Layout, Value};

netorder_fuzz::install_capped_allocator!();

fn normalized(layout: &Layout, bytes: &[u8]) -> Vec<u8> {
    let mut out = vec![0; bytes.len()];
    let big = layout.endian() == netorder::Endian::Big;
    let read = |b: &[u8]| {
        b.iter().enumerate().fold(0u64, |v, (i, _)| {
            v << 8 | u64::from(if big { b[i] } else { b[b.len() - 1 - i] })
        })
    };
    let write = |dst: &mut [u8], v: u64| {
        let n = dst.len();
        for i in 0..n {
            dst[if big { i } else { n - 1 - i }] = (v >> (8 * (n - 1 - i))) as u8;
        }
    };
    for f in layout.fields() {
        let src = &bytes[f.offset..f.offset + f.size];
        let dst = &mut out[f.offset..f.offset + f.size];
        if let Some(b) = f.bits {
            // A bit field keeps its own bits of the group (most significant first) and
            // nothing else: padding bits pack as zeros, and a one-bit `?` is its bit.
            for bit in b.start..b.start + b.width {
                let (at, mask) = ((bit / 8) as usize, 0x80u8 >> (bit % 8));
                dst[at] |= src[at] & mask;
            }
            continue;
        }
        dst.copy_from_slice(src);
        match f.code {
            '?' => dst[0] = u8::from(src[0] != 0),
            'p' if f.size > 0 => {
                let n = usize::from(src[0]).min(f.size - 1);
                dst[0] = n as u8;
                dst[1 + n..].fill(0);
            }
            'e' => {
                let h = read(src) as u16;
                if h & 0x7c00 == 0x7c00 && h & 0x3ff != 0 {
                    write(dst, u64::from((h & 0x8000) | 0x7e00));
                }
            }
            'f' => {
                let x = read(src) as u32;
                if f32::from_bits(x).is_nan() {
                    write(dst, u64::from(x | 0x0040_0000));
                }
            }
            _ => {}
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&n, rest)) = data.split_first() else {
        return;
    };
    let n = usize::from(n).min(rest.len());
    let (fmt, bytes) = rest.split_at(n);
    let Ok(layout) = Layout::parse(&String::from_utf8_lossy(fmt)) else {
        return;
    };

    // The input as given: either exactly one record, or an error with the counts.
    match layout.unpack(bytes) {
        Ok(values) => assert_eq!(values.len(), layout.value_count()),
        Err(e) => match *e.kind() {
            ErrorKind::Incomplete {
                offset: 0,
                needed,
                available,
            } => {
                assert!(needed == layout.size() && available == bytes.len() && available < needed)
            }
            ErrorKind::TrailingBytes { offset, remaining } => {
                assert!(offset == layout.size() && offset + remaining == bytes.len())
            }
            ref other => panic!("unpack failed with {other:?}"),
        },
    }

    // One record from the front of the bytes, when there are enough.
    let Some(record) = bytes.get(..layout.size()) else {
        return;
    };
    let values = layout
        .unpack(record)
        .expect("bytes of the right size unpack");
    let packed = layout.pack(&values).expect("unpacked values pack");
    assert_eq!(packed, normalized(&layout, record));
    // The text forms read back to values that pack the same (NaN signs aside).
    let text: Vec<String> = values.iter().map(Value::to_string).collect();
    let again = layout
        .values_from_text(&text)
        .expect("printed values parse");
    for (a, b) in again.iter().zip(&values) {
        match (a, b) {
            (Value::Float(x), Value::Float(y)) => {
                assert!(x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()))
            }
            _ => assert_eq!(a, b),
        }
    }
});
