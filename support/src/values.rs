//! The mixed `u64` inputs of the integer benches (`benches/int.rs`) and their instruction
//! counts (`benches/callgrind.rs`).

/// How many values [`mixed_values`] makes.
pub const N: usize = 1024;

/// Deterministic mixed values: xorshift64, then shifted right by 0..64 bits, so bit lengths
/// spread evenly over 1..=64 (every varint length and every digit count appears).
pub fn mixed_values() -> Vec<u64> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..N)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x >> (i % 64)
        })
        .collect()
}
