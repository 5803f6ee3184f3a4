//! Rust, C and Python on the same records: for each layout (every struct code, odd widths and
//! repeat counts, little-endian and `=`, the protocol headers with bit fields and enums, nested
//! derived records), 10 000 random records go around every way, byte for byte, and the three
//! refuse the same bad bytes (same reason, offset and value) and the same bad values.
//!
//! The records: Rust packs them (`Layout::pack`); the C driver decodes Rust's bytes and
//! encodes what it decoded, and encodes the values itself; Python decodes C's bytes and
//! encodes what it decoded, and encodes the values itself; C decodes Python's; Rust decodes
//! everyone's (`Layout::unpack_strict`), and a derived record's `fixed::from_bytes` and
//! `fixed::to_vec` agree. One process per language per batch, not per record.

use crate::harness::{self, Built, Verdict, hex, rust_decode, rust_encode, tokens, unhex};
use netorder::record::{FixedRecord, fixed};
use netorder::{Layout, Value};
use netorder_support::headers::{Dns, IcmpEcho, Ipv4, SpacePacket, Tcp, Udp};

/// Records per layout that go around every way.
const RECORDS: usize = 10_000;
/// Bad byte strings and bad value lists per layout.
const BAD: usize = 1_500;

/// splitmix64: a small, seeded, reproducible generator.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// The range of an integer code of `size` bytes.
fn int_range(code: char, size: usize) -> (i128, i128) {
    let bits = 8 * size as u32;
    if code.is_ascii_lowercase() {
        (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
    } else {
        (0, (1i128 << bits) - 1)
    }
}

/// A random integer in `lo..=hi`, often one of the edges.
fn int_in(rng: &mut Rng, lo: i128, hi: i128) -> i128 {
    match rng.below(8) {
        0 => lo,
        1 => hi,
        2 => lo.max(0).min(hi),
        _ => {
            let span = (hi - lo) as u128 + 1;
            let r = (u128::from(rng.next()) << 64 | u128::from(rng.next())) % span;
            lo + r as i128
        }
    }
}

/// A random value of each field, in the form unpacking gives it back (canonical).
pub fn random_values(layout: &Layout, rng: &mut Rng) -> Vec<Value> {
    let half = Layout::parse("!e").unwrap();
    layout
        .fields()
        .map(|f| {
            if let Some(bits) = f.bits {
                return match (f.code, bits.variants) {
                    ('?', _) => Value::Bool(rng.below(2) == 1),
                    (_, Some(variants)) => Value::Int(i128::from(
                        variants[rng.below(variants.len() as u64) as usize].1,
                    )),
                    _ => Value::Int(int_in(rng, 0, (1i128 << bits.width) - 1)),
                };
            }
            match f.code {
                '?' => Value::Bool(rng.below(2) == 1),
                'e' => half.unpack(&rng.bytes(2)).unwrap().remove(0),
                'f' => {
                    let mut b = rng.next() as u32;
                    if rng.below(16) == 0 {
                        b |= 0x7F80_0000; // infinities and NaNs, often
                    }
                    let x = f32::from_bits(b);
                    let x = if x.is_nan() {
                        f32::from_bits(b | 0x0040_0000) // quiet: C, Rust and Python agree
                    } else {
                        x
                    };
                    Value::Float(f64::from(x))
                }
                'd' => {
                    let mut b = rng.next();
                    if rng.below(16) == 0 {
                        b |= 0x7FF0_0000_0000_0000;
                    }
                    Value::Float(f64::from_bits(b))
                }
                'c' => Value::Bytes(rng.bytes(1)),
                's' => Value::Bytes(rng.bytes(f.size)),
                'p' => {
                    let room = f.size.saturating_sub(1).min(255);
                    let len = rng.below(room as u64 + 1) as usize;
                    Value::Bytes(rng.bytes(len))
                }
                code => {
                    let (lo, hi) = int_range(code, f.size);
                    Value::Int(int_in(rng, lo, hi))
                }
            }
        })
        .collect()
}

/// One field's value made bad (or odd) in a random way.
fn bad_value(layout: &Layout, values: &mut [Value], rng: &mut Rng) {
    let fields: Vec<_> = layout.fields().collect();
    let f = fields[rng.below(fields.len() as u64) as usize];
    let v = &mut values[f.index];
    *v = if let Some(bits) = f.bits {
        let max = (1i128 << bits.width) - 1;
        match (rng.below(4), bits.variants) {
            (0, _) => Value::Int(max + 1),
            (1, _) => Value::Int(-1),
            (2, _) => Value::Float(1.0),
            (_, Some(variants)) => {
                // Not a variant, when there is one such value.
                let mut n = int_in(rng, 0, max);
                for _ in 0..64 {
                    if !variants.iter().any(|(_, x)| i128::from(*x) == n) {
                        break;
                    }
                    n = int_in(rng, 0, max);
                }
                Value::Int(n)
            }
            (_, None) if f.code == '?' => Value::Int(2),
            (_, None) => Value::Bytes(vec![1]),
        }
    } else {
        match (f.code, rng.below(3)) {
            ('?', 0) => Value::Int(2),
            ('?', 1) => Value::Bytes(vec![]),
            ('?', _) => Value::Float(f64::NAN),
            ('e', 0) => Value::Float(65520.0),
            ('e', 1) => Value::Float(65519.99), // rounds to 65504: fits
            ('e', _) => Value::Int(-70000),
            ('f', 0) => Value::Float(3.5e38),
            ('f', 1) => Value::Float(3.4028235677973366e38), // rounds to f32::MAX: fits
            ('f', _) => Value::Bytes(vec![0]),
            ('d', 0) => Value::Bytes(vec![1, 2]),
            ('d', _) => Value::Int(-(1 << 60)),
            ('c', 0) => Value::Bytes(vec![1, 2]),
            ('c', 1) => Value::Int(65),
            ('c', _) => Value::Bytes(vec![]),
            ('s' | 'p', 0) => {
                let extra = rng.below(300) as usize;
                Value::Bytes(rng.bytes(f.size + 1 + extra))
            }
            ('s' | 'p', 1) => Value::Int(0),
            ('s' | 'p', _) => Value::Bool(true),
            (code, k) => {
                let (lo, hi) = int_range(code, f.size);
                match k {
                    0 => Value::Int(hi + 1 + i128::from(rng.below(3))),
                    1 => Value::Int(lo - 1),
                    _ => Value::Float(0.0),
                }
            }
        }
    };
}

/// A record's bytes made bad (or left good) in a random way.
fn bad_bytes(good: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = good.to_vec();
    match rng.below(10) {
        0 => b.truncate(rng.below(b.len() as u64) as usize),
        1 => {
            let n = 1 + rng.below(3) as usize;
            b.extend(rng.bytes(n));
        }
        _ if b.is_empty() => b.push(0),
        k => {
            for _ in 0..1 + k % 3 {
                let i = rng.below(b.len() as u64) as usize;
                b[i] = match rng.below(4) {
                    0 => 2,
                    1 => 0xFF,
                    2 => b[i] ^ (1 << rng.below(8)),
                    _ => rng.next() as u8,
                };
            }
        }
    }
    b
}

/// The derive path of a record type, when the layout comes from one: decode then encode.
type Derived = fn(&[u8]) -> Result<Vec<u8>, netorder::Error>;

fn derived<T: FixedRecord>(bytes: &[u8]) -> Result<Vec<u8>, netorder::Error> {
    let t: T = fixed::from_bytes(bytes)?;
    fixed::to_vec(&t)
}

/// Everything about one layout: the round trips and the refusals.
pub fn check_layout(name: &str, layout: &Layout, derive: Option<Derived>, seed: u64) {
    let built: Built = harness::build(layout, name);
    let mut rng = Rng::new(seed);
    let records: Vec<Vec<Value>> = (0..RECORDS)
        .map(|_| random_values(layout, &mut rng))
        .collect();
    let bytes: Vec<Vec<u8>> = records
        .iter()
        .map(|v| {
            layout
                .pack(v)
                .unwrap_or_else(|e| panic!("{name}: pack {v:?}: {e}"))
        })
        .collect();
    for (v, b) in records.iter().zip(&bytes) {
        assert_eq!(
            tokens(&layout.unpack_strict(b).unwrap()),
            tokens(v),
            "{name}: Rust round trip"
        );
        if let Some(derive) = derive {
            assert_eq!(&derive(b).unwrap(), b, "{name}: the derive path");
        }
    }
    // The expected answers, once.
    let hexes: Vec<String> = bytes.iter().map(|b| hex(b)).collect();
    let toks: Vec<String> = records.iter().map(|v| tokens(v)).collect();
    let expect_r: Vec<String> = (0..RECORDS)
        .map(|i| match toks[i].as_str() {
            "" => format!("ok = {}", hexes[i]),
            t => format!("ok {t} = {}", hexes[i]),
        })
        .collect();
    let expect_e: Vec<String> = hexes.iter().map(|h| format!("ok {h}")).collect();
    let bytes_of = |line: &str| line.rsplit(' ').next().unwrap_or("").to_owned();

    // 1. C decodes Rust's bytes and encodes what it decoded; C encodes the values itself.
    let mut cmds: Vec<String> = hexes.iter().map(|h| format!("R {h}")).collect();
    cmds.extend(toks.iter().map(|t| format!("E {t}")));
    let c1 = built.c(&cmds);
    for i in 0..RECORDS {
        assert_eq!(
            c1[i], expect_r[i],
            "{name}: C decodes and re-encodes Rust's record {i}"
        );
        assert_eq!(
            c1[RECORDS + i],
            expect_e[i],
            "{name}: C encodes record {i} ({})",
            toks[i]
        );
    }
    // 2. Python decodes what C encoded from the values (the same bytes as C re-encoded: step
    // 1 checked both) and encodes what it decoded; Python encodes the values itself.
    let mut cmds: Vec<String> = (0..RECORDS)
        .map(|i| format!("R {}", bytes_of(&c1[RECORDS + i])))
        .collect();
    cmds.extend(toks.iter().map(|t| format!("E {t}")));
    let py = built.python(&cmds);
    for i in 0..RECORDS {
        assert_eq!(
            py[i], expect_r[i],
            "{name}: Python decodes and re-encodes C's record {i}"
        );
        assert_eq!(
            py[RECORDS + i],
            expect_e[i],
            "{name}: Python encodes record {i} ({})",
            toks[i]
        );
    }
    // 3. C decodes what Python encoded; Rust decodes what C re-encoded from that.
    let cmds: Vec<String> = (0..RECORDS)
        .map(|i| format!("R {}", bytes_of(&py[RECORDS + i])))
        .collect();
    let c2 = built.c(&cmds);
    for i in 0..RECORDS {
        assert_eq!(c2[i], expect_r[i], "{name}: C decodes Python's record {i}");
        let theirs = unhex(&bytes_of(&c2[i]));
        assert_eq!(
            tokens(&layout.unpack_strict(&theirs).unwrap()),
            toks[i],
            "{name}: Rust decodes C's record {i}"
        );
    }

    // 4. Bad bytes: the three decoders give the same verdict (reason, offset, value index),
    // and so does the derive path (the same decision).
    let inputs: Vec<Vec<u8>> = (0..BAD)
        .map(|i| bad_bytes(&bytes[i % RECORDS], &mut rng))
        .collect();
    let cmds: Vec<String> = inputs.iter().map(|b| format!("D {}", hex(b))).collect();
    let (c, py) = (built.c(&cmds), built.python(&cmds));
    let mut refused = 0;
    for (i, input) in inputs.iter().enumerate() {
        let ours = rust_decode(layout, input);
        assert_eq!(c[i], ours, "{name}: C decodes {}", hex(input));
        assert_eq!(py[i], ours, "{name}: Python decodes {}", hex(input));
        if let Some(derive) = derive {
            let strict = layout.unpack_strict(input);
            let theirs = derive(input);
            assert_eq!(
                theirs.is_ok(),
                strict.is_ok(),
                "{name}: the derive path on {}",
                hex(input)
            );
            if let (Err(a), Err(b)) = (&theirs, &strict) {
                assert_eq!(
                    harness::reason(a),
                    harness::reason(b),
                    "{name}: {}",
                    hex(input)
                );
                assert_eq!(a.offset(), b.offset(), "{name}: offset of {}", hex(input));
            }
        }
        refused += usize::from(ours.starts_with("err"));
    }
    assert!(refused > 0, "{name}: no bad input was refused");

    // 5. Bad values: Rust and Python refuse the same ones for the same reason and value; C
    // too where its types can hold the values (and at Python's offset).
    let mut lists: Vec<Vec<Value>> = (0..BAD)
        .map(|i| {
            let mut v = records[i % RECORDS].clone();
            if !v.is_empty() {
                bad_value(layout, &mut v, &mut rng);
            }
            v
        })
        .collect();
    // The wrong number of values.
    let mut short = records[0].clone();
    short.pop();
    let mut long = records[0].clone();
    long.push(Value::Int(0));
    lists.push(short);
    lists.push(long);
    let cmds: Vec<String> = lists.iter().map(|v| format!("E {}", tokens(v))).collect();
    let (c, py) = (built.c(&cmds), built.python(&cmds));
    let (mut compared_c, mut refusals) = (0, 0);
    for (i, values) in lists.iter().enumerate() {
        let ours = rust_encode(layout, values);
        let p = Verdict::parse(&py[i]);
        assert!(
            ours.agrees(&p),
            "{name}: Python packs {}: {p:?}, Rust {ours:?}",
            tokens(values)
        );
        let theirs = Verdict::parse(&c[i]);
        if theirs != Verdict::Unrepresentable && values.len() == layout.value_count() {
            assert!(
                ours.agrees(&theirs),
                "{name}: C encodes {}: {theirs:?}, Rust {ours:?}",
                tokens(values)
            );
            if let (Verdict::Err { offset: a, .. }, Verdict::Err { offset: b, .. }) = (&theirs, &p)
            {
                assert_eq!(
                    a,
                    b,
                    "{name}: C's and Python's offsets for {}",
                    tokens(values)
                );
            }
            compared_c += 1;
        }
        refusals += usize::from(matches!(ours, Verdict::Err { .. }));
    }
    assert!(refusals > 0, "{name}: no bad value was refused");
    // C's types cannot hold most bad values (300 in a uint8_t); those it can are compared.
    eprintln!(
        "{name}: {refusals} of {} value lists refused, {compared_c} C verdicts compared",
        lists.len()
    );
}

/// Every struct code a standard-size format can hold, each once, network order.
#[test]
fn every_code_network_order() {
    check_layout(
        "codes_be",
        &Layout::parse("!x c b B ? h H i I l L q Q e f d 5s 7p").unwrap(),
        None,
        1,
    );
}

/// Repeat counts (and zero counts) of every code, little-endian.
#[test]
fn repeat_counts_little_endian() {
    check_layout(
        "counts_le",
        &Layout::parse("<3c 2b 3B 2? 3h 2H 3i I 2l L 2q Q 3e 2f 3d 0s 1s 2p 1p 0p 3x 0x 0h")
            .unwrap(),
        None,
        2,
    );
}

/// `=`: standard sizes in this machine's order (written explicitly by the generators).
#[test]
fn native_order_standard_sizes() {
    check_layout(
        "native_eq",
        &Layout::parse("=?hHiIqQefd2s").unwrap(),
        None,
        3,
    );
}

/// Odd widths: bit groups of 3, 5, 6, 7 and 16 bytes, 64-bit fields in groups, padding
/// bits, long Pascal strings.
#[test]
fn odd_widths() {
    check_layout(
        "odd",
        &Layout::parse(
            "!{a:3 b:? c:20} {d:40} {7x f:41} B {g:56} {h:64 i:63 j:?} 300p {3x k:? 4x} 2x \
             {5x w:64 v:64 u:64 3x}",
        )
        .unwrap(),
        None,
        4,
    );
}

/// IPv4 from its format, with the reserved flag as padding bits.
#[test]
fn ipv4_format() {
    check_layout(
        "ipv4",
        &Layout::parse(
            "!{version:4 ihl:4} tos:B total_length:H identification:H \
             {1x df:? mf:? fragment_offset:13} ttl:B protocol:B checksum:H source:4s \
             destination:4s",
        )
        .unwrap(),
        None,
        5,
    );
}

#[test]
fn ipv4_derived() {
    check_layout(
        "ipv4_hdr",
        &Layout::of_fixed::<Ipv4>().unwrap(),
        Some(derived::<Ipv4>),
        6,
    );
}

#[test]
fn udp_and_icmp_derived() {
    check_layout(
        "udp",
        &Layout::of_fixed::<Udp>().unwrap(),
        Some(derived::<Udp>),
        7,
    );
    check_layout(
        "icmp_echo",
        &Layout::of_fixed::<IcmpEcho>().unwrap(),
        Some(derived::<IcmpEcho>),
        8,
    );
}

#[test]
fn tcp_derived() {
    check_layout(
        "tcp",
        &Layout::of_fixed::<Tcp>().unwrap(),
        Some(derived::<Tcp>),
        9,
    );
}

/// DNS: a 4-bit enum with gaps (opcode 3 is refused everywhere).
#[test]
fn dns_derived() {
    check_layout(
        "dns",
        &Layout::of_fixed::<Dns>().unwrap(),
        Some(derived::<Dns>),
        10,
    );
}

#[test]
fn ccsds_derived() {
    check_layout(
        "space_packet",
        &Layout::of_fixed::<SpacePacket>().unwrap(),
        Some(derived::<SpacePacket>),
        11,
    );
}

/// A record inside a record, arrays of records and of bools: paths become names
/// (`header.apid` is `header_apid`).
#[derive(netorder::record::FixedRecord, Debug, Clone, Copy, PartialEq)]
struct Framed {
    sync: u16,
    header: SpacePacket,
    dns: Dns,
    ports: [Udp; 2],
    flags: [bool; 3],
    tail: (i8, [u8; 3], f32, f64),
}

#[test]
fn nested_derived() {
    let layout = Layout::of_fixed::<Framed>().unwrap();
    check_layout("framed", &layout, Some(derived::<Framed>), 12);
}
