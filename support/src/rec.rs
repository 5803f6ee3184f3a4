//! The 33-byte mixed record that `benches/record.rs` and `benches/callgrind.rs` measure, and
//! its hand-written encoder and decoder (the floor netorder is compared with). The record tests
//! and the `record_fixed` fuzz target check the derive against them.

// The derive crate directly, not `netorder::record::FixedRecord`: that re-export needs the
// library's `derive` feature, which this crate must not turn on (see Cargo.toml).
use netorder_derive::FixedRecord;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, FixedRecord, Clone, Copy, Debug, PartialEq)]
pub struct Rec {
    pub port: u16,
    pub seq: u32,
    pub id: u64,
    pub value: f64,
    pub up: bool,
    pub addr: [u8; 4],
    pub delta: i32,
    pub flags: u16,
}

pub const SIZE: usize = 33;

pub const REC: Rec = Rec {
    port: 8080,
    seq: 0xdead_beef,
    id: 0x0123_4567_89ab_cdef,
    value: 3.25,
    up: true,
    addr: [127, 0, 0, 1],
    delta: -42,
    flags: 0x8001,
};

/// `to_be_bytes` field by field into `out`; `None` if `out` is shorter than [`SIZE`].
///
/// `#[inline]`, as the same code in the caller's own crate would be: without it, a call from
/// another crate is a real call (the benches would measure a call and a copy of the result
/// through memory that no hand-written code has).
#[inline]
pub fn hand_encode_slice(r: &Rec, out: &mut [u8]) -> Option<usize> {
    let out: &mut [u8; SIZE] = out.get_mut(..SIZE)?.try_into().ok()?;
    out[0..2].copy_from_slice(&r.port.to_be_bytes());
    out[2..6].copy_from_slice(&r.seq.to_be_bytes());
    out[6..14].copy_from_slice(&r.id.to_be_bytes());
    out[14..22].copy_from_slice(&r.value.to_be_bytes());
    out[22] = r.up as u8;
    out[23..27].copy_from_slice(&r.addr);
    out[27..31].copy_from_slice(&r.delta.to_be_bytes());
    out[31..33].copy_from_slice(&r.flags.to_be_bytes());
    Some(SIZE)
}

/// `from_be_bytes` field by field; `None` for a wrong length or a bool byte above 1.
/// `#[inline]` for the same reason as [`hand_encode_slice`].
#[inline]
pub fn hand_decode(b: &[u8]) -> Option<Rec> {
    let b: &[u8; SIZE] = b.try_into().ok()?;
    let up = match b[22] {
        0 => false,
        1 => true,
        _ => return None,
    };
    Some(Rec {
        port: u16::from_be_bytes([b[0], b[1]]),
        seq: u32::from_be_bytes(b[2..6].try_into().ok()?),
        id: u64::from_be_bytes(b[6..14].try_into().ok()?),
        value: f64::from_be_bytes(b[14..22].try_into().ok()?),
        up,
        addr: b[23..27].try_into().ok()?,
        delta: i32::from_be_bytes(b[27..31].try_into().ok()?),
        flags: u16::from_be_bytes([b[31], b[32]]),
    })
}
