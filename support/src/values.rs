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

/// How many values [`shuffled_values`] and [`digit_count_values`] make: one pass of the
/// integer benches (issue 16).
pub const PASS: usize = 32_768;

/// splitmix64: a deterministic stream of well-mixed `u64`s.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Fisher-Yates with [`splitmix`], so no branch predictor can learn the order.
fn shuffle(values: &mut [u64], state: &mut u64) {
    for i in (1..values.len()).rev() {
        let j = (splitmix(state) % (i as u64 + 1)) as usize;
        values.swap(i, j);
    }
}

/// Issue 16's mix, [`PASS`] values: one third below 128, one third below 2^32, one third
/// anywhere in `u64` (each uniform in its range), shuffled. Varint lengths 1, mostly 5, and
/// mostly 9 or 10; digit counts 1 to 3, mostly 10, mostly 19 or 20.
pub fn shuffled_values() -> Vec<u64> {
    let mut state = 0x5EED_0016;
    let mut values: Vec<u64> = (0..PASS)
        .map(|i| {
            let x = splitmix(&mut state);
            match i % 3 {
                0 => x % 128,
                1 => x >> 32,
                _ => x,
            }
        })
        .collect();
    shuffle(&mut values, &mut state);
    values
}

/// [`PASS`] values whose decimal digit counts are spread evenly over 1..=20 (each uniform
/// among the values of its count), shuffled.
pub fn digit_count_values() -> Vec<u64> {
    let mut state = 0xD1_6175;
    let mut values: Vec<u64> = (0..PASS)
        .map(|i| {
            let digits = (i % 20) as u32 + 1;
            let low = if digits == 1 {
                0
            } else {
                10u64.pow(digits - 1)
            };
            let high = if digits == 20 {
                u64::MAX
            } else {
                10u64.pow(digits) - 1
            };
            low + splitmix(&mut state) % (high - low + 1).max(1)
        })
        .collect();
    shuffle(&mut values, &mut state);
    values
}

/// `count` passes of [`shuffled_values`]' values, each in its own shuffled order (the first is
/// `shuffled_values()` itself). Benches take one pass an iteration, in turn: repeating one
/// fixed order for seconds lets a large branch predictor learn it (on a Zen 4, integer-encoding's
/// varint loop decoded one fixed order at 2.35 ns a value and 16 orders at 7.43).
pub fn shuffled_passes(count: usize) -> Vec<Vec<u64>> {
    passes(shuffled_values(), count)
}

/// `count` passes of [`digit_count_values`]' values, each in its own shuffled order.
pub fn digit_count_passes(count: usize) -> Vec<Vec<u64>> {
    passes(digit_count_values(), count)
}

fn passes(first: Vec<u64>, count: usize) -> Vec<Vec<u64>> {
    let mut state = 0x0D0E_5EED;
    let mut all = vec![first];
    while all.len() < count {
        let mut next = all[0].clone();
        shuffle(&mut next, &mut state);
        all.push(next);
    }
    all.truncate(count);
    all
}
