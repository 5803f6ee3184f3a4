//! Cross-checks against independent implementations: prost and integer-encoding (varint,
//! zigzag) byte for byte, itoa (ASCII digits), and `str::parse` (which ASCII strings are
//! accepted, and as what).

use netorder_support as common;

use integer_encoding::VarInt;
use netorder::IntEncoding;
use netorder::int::{ascii, varint, zigzag};
use proptest::prelude::*;

fn any_width_u64() -> impl Strategy<Value = u64> {
    prop_oneof![
        (any::<u64>(), 0u32..64).prop_map(|(v, s)| v >> s),
        Just(0u64),
        Just(u64::MAX),
        (1u32..64).prop_map(|k| 1u64 << k),
        (1u32..64).prop_map(|k| (1u64 << k) - 1),
    ]
}

fn netorder_varint(v: u64) -> Vec<u8> {
    let mut buf = [0u8; varint::MAX_LEN];
    let n = varint::encode(v, &mut buf).unwrap();
    buf[..n].to_vec()
}

/// Canonical digits (no sign, no leading zero), what `ascii::decode` accepts.
fn canonical_unsigned(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn varint_matches_prost(v in any_width_u64()) {
        let mut theirs = Vec::new();
        prost::encoding::encode_varint(v, &mut theirs);
        let ours = netorder_varint(v);
        prop_assert_eq!(&ours, &theirs);
        prop_assert_eq!(varint::encoded_len(v), prost::encoding::encoded_len_varint(v));
        let mut slice = &theirs[..];
        prop_assert_eq!(prost::encoding::decode_varint(&mut slice).unwrap(), v);
        prop_assert_eq!(varint::decode(&theirs).unwrap(), (v, theirs.len()));
    }

    /// The encoder against prost and integer-encoding at once, whatever the buffer held
    /// (the byte-loop reference is in `tests/int_fast.rs`).
    #[test]
    fn varint_encode_matches_both_peers(v in any_width_u64(), fill in any::<u8>()) {
        let mut buf = [fill; varint::MAX_LEN];
        let n = varint::encode(v, &mut buf).unwrap();
        let mut theirs = Vec::new();
        prost::encoding::encode_varint(v, &mut theirs);
        prop_assert_eq!(&buf[..n], &theirs[..]);
        prop_assert_eq!(&buf[..n], &v.encode_var_vec()[..]);
    }

    #[test]
    fn varint_matches_integer_encoding(v in any_width_u64()) {
        let theirs = v.encode_var_vec();
        prop_assert_eq!(netorder_varint(v), theirs.clone());
        prop_assert_eq!(v.required_space(), varint::encoded_len(v));
        prop_assert_eq!(u64::decode_var(&theirs), Some((v, theirs.len())));
    }

    /// integer-encoding's i64 varint is zigzag (protobuf's sint64).
    #[test]
    fn zigzag_matches_integer_encoding(n in any_width_u64().prop_map(|v| v as i64)) {
        let theirs = n.encode_var_vec();
        let mut buf = [0u8; varint::MAX_LEN];
        let len = zigzag::encode(n, &mut buf).unwrap();
        prop_assert_eq!(&buf[..len], &theirs[..]);
        let mut out = Vec::new();
        IntEncoding::ZigZag.encode(n as u64, &mut out).unwrap();
        prop_assert_eq!(out, theirs);
    }

    /// On arbitrary bytes: whatever netorder accepts, prost accepts as the same value and
    /// length (prost is more lenient: it takes overlong forms netorder refuses).
    #[test]
    fn varint_accepts_a_subset_of_prost(bytes in proptest::collection::vec(any::<u8>(), 0..12)) {
        if let Ok((v, n)) = varint::decode(&bytes) {
            let mut slice = &bytes[..];
            prop_assert_eq!(prost::encoding::decode_varint(&mut slice).unwrap(), v);
            prop_assert_eq!(bytes.len() - slice.len(), n);
            prop_assert_eq!(u64::decode_var(&bytes), Some((v, n)));
        }
    }

    #[test]
    fn ascii_digits_match_itoa(v in any_width_u64()) {
        let (buf, k) = ascii::digits_array(v);
        let mut theirs = itoa::Buffer::new();
        prop_assert_eq!(&buf[..k], theirs.format(v).as_bytes());
        let mut out = Vec::new();
        IntEncoding::Ascii { terminator: b'\n' }.encode(v, &mut out).unwrap();
        prop_assert_eq!(&out[..out.len() - 1], theirs.format(v).as_bytes());
        let mut slice = [0u8; ascii::MAX_DIGITS + 1];
        let len = ascii::encode(v, b'\n', &mut slice).unwrap();
        prop_assert_eq!(&slice[..len], &out[..]);
    }

    #[test]
    fn ascii_signed_matches_itoa(n in any_width_u64().prop_map(|v| v as i64)) {
        let mut out = [0u8; ascii::MAX_DIGITS + 2];
        let len = ascii::encode_i64(n, b'\n', &mut out).unwrap();
        let mut theirs = itoa::Buffer::new();
        prop_assert_eq!(&out[..len - 1], theirs.format(n).as_bytes());
    }

    /// For ASCII-ish strings: netorder accepts exactly the strings `str::parse::<u64>` accepts
    /// that are canonical (no `+`, no leading zero), with the same value; and refuses with
    /// `Overflow` what parse refuses as too large (canonical digits only).
    #[test]
    fn ascii_agrees_with_str_parse(s in "[-+ 0-9a]{0,3}[0-9]{0,22}") {
        let mut input = s.clone().into_bytes();
        input.push(b'\n');
        let ours = ascii::decode(&input, b'\n');
        let theirs = s.parse::<u64>();
        match (&ours, &theirs) {
            (Ok((v, n)), Ok(p)) => {
                prop_assert_eq!(v, p);
                prop_assert_eq!(*n, input.len());
                prop_assert!(canonical_unsigned(&s));
            }
            (Ok(_), Err(_)) => prop_assert!(false, "netorder accepted {:?}, parse refused", s),
            (Err(_), Ok(_)) => prop_assert!(!canonical_unsigned(&s), "netorder refused canonical {:?}", s),
            (Err(e), Err(pe)) => {
                if canonical_unsigned(&s) {
                    prop_assert_eq!(pe.kind(), &std::num::IntErrorKind::PosOverflow);
                    prop_assert_eq!(e.kind(), &netorder::ErrorKind::Overflow { offset: 0, bits: 64 });
                }
            }
        }
    }

    /// The signed form against `str::parse::<i64>`: accepted exactly when parse accepts and
    /// the text is canonical (no `+`, no `-0`, no leading zero).
    #[test]
    fn ascii_signed_agrees_with_str_parse(s in "-?[-+0-9]{0,2}[0-9]{0,21}") {
        let mut input = s.clone().into_bytes();
        input.push(b' ');
        let ours = ascii::decode_i64(&input, b' ');
        let magnitude = s.strip_prefix('-').unwrap_or(&s);
        let canonical = canonical_unsigned(magnitude) && s != "-0";
        match (ours, s.parse::<i64>()) {
            (Ok((v, n)), Ok(p)) => {
                prop_assert_eq!(v, p);
                prop_assert_eq!(n, input.len());
                prop_assert!(canonical);
            }
            (Ok(_), Err(_)) => prop_assert!(false, "netorder accepted {:?}", s),
            (Err(_), Ok(_)) => prop_assert!(!canonical, "netorder refused canonical {:?}", s),
            (Err(e), Err(_)) => {
                if canonical {
                    prop_assert_eq!(e.kind(), &netorder::ErrorKind::Overflow { offset: 0, bits: 64 });
                }
            }
        }
    }
}

#[test]
fn prost_and_netorder_disagree_only_on_overlong() {
    // prost takes the overlong `80 00` as 0; netorder refuses it.
    let mut slice: &[u8] = &[0x80, 0x00];
    assert_eq!(prost::encoding::decode_varint(&mut slice).unwrap(), 0);
    assert_eq!(
        varint::decode(&[0x80, 0x00]).unwrap_err().into_kind(),
        netorder::ErrorKind::Overlong { offset: 0, len: 2 }
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Fixed widths 1..=8 (odd ones included) against byteorder's `write_uint`/`read_uint`.
    #[test]
    fn fixed_matches_byteorder(v in any_width_u64(), width in 1u8..=8) {
        use byteorder::{BigEndian, ByteOrder, LittleEndian};
        let w = usize::from(width);
        let fits = w == 8 || v < 1u64 << (8 * w);
        for (endian, big) in [(netorder::Endian::Big, true), (netorder::Endian::Little, false)] {
            let e = IntEncoding::Fixed { width, endian };
            let mut ours = Vec::new();
            match e.encode(v, &mut ours) {
                Ok(n) => {
                    prop_assert!(fits);
                    let mut theirs = [0u8; 8];
                    if big {
                        BigEndian::write_uint(&mut theirs, v, w);
                        prop_assert_eq!(BigEndian::read_uint(&ours, w), v);
                    } else {
                        LittleEndian::write_uint(&mut theirs, v, w);
                        prop_assert_eq!(LittleEndian::read_uint(&ours, w), v);
                    }
                    prop_assert_eq!(&ours[..], &theirs[..n]);
                }
                Err(_) => prop_assert!(!fits),
            }
        }
    }
}

/// Fixed widths against Python's `int.to_bytes` (every width, both orders) and `struct.pack`
/// (`!B !H !I !Q` and `<` forms), ASCII digits against Python's `str(int)`.
#[test]
fn fixed_and_ascii_match_python() {
    let mut values: Vec<u64> = vec![0, 1, 127, 128, 255, 256, 65_535, 65_536, 1 << 24, u64::MAX];
    for k in 0..64 {
        values.push(1u64 << k);
        values.push((1u64 << k) - 1);
        values.push(0x0123_4567_89AB_CDEFu64 >> k);
    }
    let script = r#"
import struct, sys
codes = {1: 'B', 2: 'H', 4: 'I', 8: 'Q'}
for line in sys.stdin:
    v = int(line)
    out = [str(v)]
    for w in range(1, 9):
        for order, sym in (('big', '!'), ('little', '<')):
            if v < 1 << (8 * w):
                b = v.to_bytes(w, order)
                if w in codes:
                    assert struct.pack(sym + codes[w], v) == b
                out.append(b.hex())
            else:
                out.append('-')
    print(' '.join(out))
"#;
    let input: String = values.iter().map(|v| format!("{v}\n")).collect();
    let lines = common::python_lines(&["-c", script], &input);
    assert_eq!(lines.len(), values.len());
    for (&v, line) in values.iter().zip(lines) {
        let mut fields = line.split(' ');
        let mut digits = Vec::new();
        IntEncoding::Ascii { terminator: b'\n' }
            .encode(v, &mut digits)
            .unwrap();
        assert_eq!(
            fields.next().unwrap().as_bytes(),
            &digits[..digits.len() - 1]
        );
        for width in 1..=8u8 {
            for endian in [netorder::Endian::Big, netorder::Endian::Little] {
                let want = fields.next().unwrap();
                let mut ours = Vec::new();
                let got = match (IntEncoding::Fixed { width, endian }).encode(v, &mut ours) {
                    Ok(_) => ours.iter().map(|b| format!("{b:02x}")).collect::<String>(),
                    Err(_) => "-".to_string(),
                };
                assert_eq!(got, want, "{v} in {width} bytes {endian:?}");
            }
        }
    }
}

// ----- batch varints and ASCII streams against the peers (issue 16) --------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    /// `encode_batch` writes what prost and integer-encoding write value after value, and
    /// `decode_batch` reads their streams back.
    #[test]
    fn batch_matches_prost_and_integer_encoding(values in proptest::collection::vec(any_width_u64(), 0..400)) {
        let mut prost_bytes = Vec::new();
        let mut ie_bytes = Vec::new();
        for &v in &values {
            prost::encoding::encode_varint(v, &mut prost_bytes);
            ie_bytes.extend_from_slice(&v.encode_var_vec());
        }
        let mut ours = Vec::new();
        prop_assert_eq!(varint::encode_batch(&values, &mut ours), prost_bytes.len());
        prop_assert_eq!(&ours, &prost_bytes);
        prop_assert_eq!(&ours, &ie_bytes);
        let mut back = vec![0u64; values.len()];
        prop_assert_eq!(varint::decode_batch(&prost_bytes, &mut back).unwrap(), (values.len(), prost_bytes.len()));
        prop_assert_eq!(back, values);
    }

    /// On any bytes, every value `decode_batch` accepts is what prost decodes at that place
    /// (prost is more lenient: it takes the overlong forms netorder refuses).
    #[test]
    fn batch_accepts_a_subset_of_prost(bytes in proptest::collection::vec(prop_oneof![any::<u8>(), 0x80u8..=0xFF], 0..300)) {
        let mut out = vec![0u64; 300];
        // On an error the values before it were written: count them with the scalar decoder.
        let n = match varint::decode_batch(&bytes, &mut out) {
            Ok((n, _)) => n,
            Err(e) => {
                let at = e.offset().unwrap();
                let mut count = 0;
                let mut pos = 0;
                while pos < at {
                    pos += varint::decode(&bytes[pos..]).unwrap().1;
                    count += 1;
                }
                count
            }
        };
        let mut rest = &bytes[..];
        for &v in &out[..n] {
            prop_assert_eq!(prost::encoding::decode_varint(&mut rest).unwrap(), v);
        }
    }

    /// The ASCII decoder on a stream (values and terminators back to back, so it reads ahead)
    /// against `str::parse` of each value's digits, and the `Vec` writer against itoa.
    #[test]
    fn ascii_stream_matches_parse_and_itoa(values in proptest::collection::vec(any_width_u64(), 1..60), terminator in prop_oneof![Just(b'\n'), Just(b' '), Just(0u8)]) {
        let enc = IntEncoding::Ascii { terminator };
        let mut text = Vec::new();
        let mut itoa_text = Vec::new();
        let mut buf = itoa::Buffer::new();
        for &v in &values {
            enc.encode(v, &mut text).unwrap();
            itoa_text.extend_from_slice(buf.format(v).as_bytes());
            itoa_text.push(terminator);
        }
        prop_assert_eq!(&text, &itoa_text);
        let mut rest = &text[..];
        for &v in &values {
            let (got, n) = enc.decode(rest).unwrap();
            let digits = std::str::from_utf8(&rest[..n - 1]).unwrap();
            prop_assert_eq!(digits.parse::<u64>().unwrap(), got);
            prop_assert_eq!(got, v);
            rest = &rest[n..];
        }
        prop_assert!(rest.is_empty());
    }
}
