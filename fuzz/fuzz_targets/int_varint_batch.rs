//! Batch varints on hostile bytes: `decode_batch` (the best path and every path this CPU runs)
//! gives exactly what `varint::decode` gives value after value: the same values, the same
//! count and bytes consumed, the same first error (kind and offset), nothing written past the
//! values before an error; never a panic. What it decodes, `encode_batch` writes back byte for
//! byte. The first two bytes choose the room in `out`: 0 to one more than the bytes left (so
//! both a full `out` and the end of the input are reached).
#![no_main]
netorder_fuzz::install_capped_allocator!();

use libfuzzer_sys::fuzz_target;
use netorder::__private::VarintPath;
use netorder::int::varint;

const UNWRITTEN: u64 = 0xA5A5_A5A5_A5A5_A5A5;

fn scalar(bytes: &[u8], out: &mut [u64]) -> netorder::Result<(usize, usize)> {
    let (mut n, mut pos) = (0, 0);
    while n < out.len() {
        match varint::decode(&bytes[pos..]) {
            Ok((v, len)) => {
                out[n] = v;
                n += 1;
                pos += len;
            }
            Err(e) if e.is_incomplete() => break,
            Err(e) => return Err(e.offset_by(pos)),
        }
    }
    Ok((n, pos))
}

fuzz_target!(|data: &[u8]| {
    let [a, b, bytes @ ..] = data else {
        return;
    };
    let cap = usize::from(u16::from_le_bytes([*a, *b])) % (bytes.len() + 2);
    let mut want_out = vec![UNWRITTEN; cap];
    let want = scalar(bytes, &mut want_out);

    let mut out = vec![UNWRITTEN; cap];
    assert_eq!(varint::decode_batch(bytes, &mut out), want);
    assert_eq!(out, want_out);
    for path in VarintPath::ALL {
        out.fill(UNWRITTEN);
        if let Some(got) = netorder::__private::decode_batch_on(path, bytes, &mut out) {
            assert_eq!(got, want, "{path:?}");
            assert_eq!(out, want_out, "{path:?}");
        }
    }

    if let Ok((n, used)) = want {
        assert!(used <= bytes.len() && n <= cap);
        // A cut-off varint is all that can be left, and only when `out` had room.
        if n < cap {
            assert!(bytes.len() - used < varint::MAX_LEN);
            assert!(varint::decode(&bytes[used..]).unwrap_err().is_incomplete());
        }
        let mut again = Vec::new();
        assert_eq!(varint::encode_batch(&out[..n], &mut again), used);
        assert_eq!(again, bytes[..used]);
        for path in VarintPath::ALL {
            let mut again = vec![0xEE];
            if let Some(written) = netorder::__private::encode_batch_on(path, &out[..n], &mut again)
            {
                assert_eq!(written, used);
                assert_eq!(again[1..], bytes[..used], "{path:?}");
            }
        }
    } else if let Err(e) = &want {
        assert!(!e.is_incomplete());
        assert!(e.offset().is_some_and(|at| at < bytes.len()));
    }
});
