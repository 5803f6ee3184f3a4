//! The "mesh" shape of rust_serialization_benchmark: triangles of four `f32` vectors (three
//! vertices and a normal), 48 bytes each on the wire, for the bulk record benches
//! (`record::fixed::write_slice`/`read_slice`) and their tests.

use netorder_derive::FixedRecord;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, FixedRecord, Clone, Copy, Debug, Default, PartialEq)]
pub struct Vector3 {
    pub x: f32,
    pub y: f32,
    pub z: f32,
}

#[derive(Serialize, Deserialize, FixedRecord, Clone, Copy, Debug, Default, PartialEq)]
pub struct Triangle {
    pub v0: Vector3,
    pub v1: Vector3,
    pub v2: Vector3,
    pub normal: Vector3,
}

/// Bytes of one triangle on the wire.
pub const TRIANGLE_SIZE: usize = 48;

/// The bench's mesh size: 4 096 triangles, 192 KiB on the wire (L2-resident).
pub const TRIANGLES: usize = 4096;

/// `n` triangles of varied, finite floats (a fixed pseudo-random sequence).
pub fn mesh(n: usize) -> Vec<Triangle> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 40) as f32 / 1024.0 - 8192.0
    };
    let mut vector = || Vector3 {
        x: next(),
        y: next(),
        z: next(),
    };
    (0..n)
        .map(|_| Triangle {
            v0: vector(),
            v1: vector(),
            v2: vector(),
            normal: vector(),
        })
        .collect()
}

/// The hand-written encoder of a mesh: `to_be_bytes` field by field, triangle after triangle.
#[inline]
pub fn hand_write(triangles: &[Triangle], out: &mut [u8]) {
    for (t, out) in triangles.iter().zip(out.chunks_exact_mut(TRIANGLE_SIZE)) {
        let floats = [
            t.v0.x, t.v0.y, t.v0.z, t.v1.x, t.v1.y, t.v1.z, t.v2.x, t.v2.y, t.v2.z, t.normal.x,
            t.normal.y, t.normal.z,
        ];
        for (f, out) in floats.iter().zip(out.chunks_exact_mut(4)) {
            out.copy_from_slice(&f.to_be_bytes());
        }
    }
}

/// The hand-written decoder of a mesh: `from_be_bytes` field by field.
#[inline]
pub fn hand_read(bytes: &[u8], out: &mut [Triangle]) {
    for (t, b) in out.iter_mut().zip(bytes.chunks_exact(TRIANGLE_SIZE)) {
        let b: &[u8; TRIANGLE_SIZE] = b.try_into().expect("chunks_exact");
        let f = |i: usize| f32::from_be_bytes([b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]]);
        let v = |i: usize| Vector3 {
            x: f(i),
            y: f(i + 1),
            z: f(i + 2),
        };
        *t = Triangle {
            v0: v(0),
            v1: v(3),
            v2: v(6),
            normal: v(9),
        };
    }
}
