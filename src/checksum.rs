//! Checksums over bytes: the Internet checksum of IPv4, UDP, TCP and ICMP headers (RFC 1071),
//! with the incremental update of RFC 1624 for a header rewritten in place.
//!
//! The Internet checksum is the ones' complement of the ones' complement sum of the data taken
//! as big-endian 16-bit words (an odd last byte is padded with a zero). A receiver sums the
//! header *with* its checksum field and gets `0xFFFF` when nothing changed, so
//! [`internet_checksum`] of a valid header is `0`.
//!
//! ```
//! use netorder::checksum::{internet_checksum, update_internet_checksum};
//!
//! // An IPv4 header (RFC 791) with its checksum field (bytes 10..12) zeroed.
//! let mut header = [
//!     0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00,
//!     0x01, 0xc0, 0xa8, 0x00, 0xc7,
//! ];
//! let sum = internet_checksum(&header);
//! assert_eq!(sum, 0xb861);
//! header[10..12].copy_from_slice(&sum.to_be_bytes());
//! assert_eq!(internet_checksum(&header), 0); // a valid header sums to zero
//!
//! // Decrement the TTL (byte 8, the high byte of the word at 8) and patch the checksum
//! // without summing the header again (RFC 1624, eqn. 3).
//! let old_word = u16::from_be_bytes([header[8], header[9]]);
//! header[8] -= 1;
//! let new_word = u16::from_be_bytes([header[8], header[9]]);
//! let patched = update_internet_checksum(sum, old_word, new_word);
//! header[10..12].copy_from_slice(&patched.to_be_bytes());
//! assert_eq!(internet_checksum(&header), 0);
//!
//! // A flipped bit shows.
//! header[15] ^= 0x10;
//! assert_ne!(internet_checksum(&header), 0);
//! ```

/// The Internet checksum (RFC 1071) of `bytes`: the ones' complement of the ones' complement
/// sum of its big-endian 16-bit words, an odd last byte padded with zero. Write it into a
/// header whose checksum field is zero; a header that carries a correct checksum gives `0`.
///
/// ```
/// use netorder::checksum::internet_checksum;
///
/// // RFC 1071 section 3's example words 0001 f203 f4f5 f6f7: sum ddf2, checksum 220d.
/// assert_eq!(internet_checksum(&[0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]), 0x220d);
/// // An odd length is padded with a zero byte.
/// assert_eq!(internet_checksum(&[0xab]), !0xab00);
/// // Nothing, or only zeros, sums to zero: the checksum is 0xFFFF, never 0 (a 0 would mean
/// // "valid" to a receiver that sums the checksum in).
/// assert_eq!(internet_checksum(&[]), 0xffff);
/// assert_ne!(internet_checksum(&[0, 0]), 0);
/// ```
#[inline]
pub fn internet_checksum(bytes: &[u8]) -> u16 {
    let mut sum = InternetChecksum::new();
    sum.add(bytes);
    sum.finish()
}

/// The new checksum of a header whose 16-bit word `old_word` became `new_word`, from its old
/// checksum, without summing the header again: RFC 1624's equation 3,
/// `HC' = ~(~HC + ~m + m')`, which (unlike RFC 1141's) never gives `0xFFFF` for a header whose
/// sum is not zero. Words are the values of the big-endian 16-bit words at the same even offset.
///
/// ```
/// use netorder::checksum::{internet_checksum, update_internet_checksum};
///
/// let mut data = [0x12, 0x34, 0x56, 0x78];
/// let sum = internet_checksum(&data);
/// data[2..4].copy_from_slice(&0xffffu16.to_be_bytes());
/// assert_eq!(update_internet_checksum(sum, 0x5678, 0xffff), internet_checksum(&data));
/// // A word that did not change leaves the checksum as it was.
/// assert_eq!(update_internet_checksum(sum, 0x1234, 0x1234), sum);
/// ```
#[inline]
pub fn update_internet_checksum(checksum: u16, old_word: u16, new_word: u16) -> u16 {
    let sum = u32::from(!checksum) + u32::from(!old_word) + u32::from(new_word);
    !fold(u64::from(sum))
}

/// The Internet checksum of data that arrives in pieces: [`add`](InternetChecksum::add) each
/// piece (of any length: a piece that ends on an odd byte is continued by the next), then
/// [`finish`](InternetChecksum::finish). The result is [`internet_checksum`] of the pieces
/// joined.
///
/// ```
/// use netorder::checksum::{InternetChecksum, internet_checksum};
///
/// let data = b"pseudo-header, then the segment";
/// let mut sum = InternetChecksum::new();
/// sum.add(&data[..7]); // an odd split
/// sum.add(&data[7..]);
/// assert_eq!(sum.finish(), internet_checksum(data));
/// // Pieces that do not join up to the data give another checksum.
/// let mut other = InternetChecksum::new();
/// other.add(&data[1..]);
/// assert_ne!(other.finish(), internet_checksum(data));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InternetChecksum {
    /// The ones' complement sum so far, of big-endian words, not yet folded to 16 bits.
    sum: u64,
    /// The first byte of a word whose second byte has not arrived yet.
    pending: Option<u8>,
}

impl InternetChecksum {
    /// An empty sum.
    ///
    /// ```
    /// use netorder::checksum::InternetChecksum;
    /// assert_eq!(InternetChecksum::new().finish(), 0xffff);
    /// ```
    pub const fn new() -> Self {
        InternetChecksum {
            sum: 0,
            pending: None,
        }
    }

    /// Adds the next bytes of the data.
    ///
    /// ```
    /// use netorder::checksum::InternetChecksum;
    /// let mut sum = InternetChecksum::new();
    /// sum.add(&[0x00, 0x01]);
    /// sum.add(&[0xf2]);
    /// sum.add(&[0x03]);
    /// assert_eq!(sum.finish(), !0xf204);
    /// ```
    #[inline]
    pub fn add(&mut self, mut bytes: &[u8]) {
        if let Some(first) = self.pending.take() {
            match bytes.split_first() {
                Some((second, rest)) => {
                    self.sum = add_carry(self.sum, u64::from(u16::from_be_bytes([first, *second])));
                    bytes = rest;
                }
                None => {
                    self.pending = Some(first);
                    return;
                }
            }
        }
        self.sum = add_carry(self.sum, u64::from(sum_words(bytes)));
        if bytes.len() % 2 == 1 {
            self.pending = Some(bytes[bytes.len() - 1]);
        }
    }

    /// The checksum of everything added: the ones' complement of the folded sum, an odd last
    /// byte padded with zero.
    ///
    /// ```
    /// use netorder::checksum::InternetChecksum;
    /// let mut sum = InternetChecksum::new();
    /// sum.add(&[0xff, 0xff]);
    /// assert_eq!(sum.finish(), 0); // a sum of 0xFFFF: the data carried its own checksum
    /// ```
    #[inline]
    pub fn finish(&self) -> u16 {
        let mut sum = self.sum;
        if let Some(last) = self.pending {
            sum = add_carry(sum, u64::from(last) << 8);
        }
        !fold(sum)
    }
}

/// `a + b` in ones' complement: the carry out of bit 63 wraps around (2^64 ≡ 1 mod 0xFFFF).
#[inline(always)]
fn add_carry(a: u64, b: u64) -> u64 {
    let (s, carry) = a.overflowing_add(b);
    s + u64::from(carry)
}

/// Folds a ones' complement sum to 16 bits.
#[inline(always)]
fn fold(mut sum: u64) -> u16 {
    sum = (sum & 0xffff_ffff) + (sum >> 32);
    sum = (sum & 0xffff_ffff) + (sum >> 32);
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    sum as u16
}

/// The ones' complement sum of the big-endian 16-bit words of `bytes` (an odd last byte left
/// out), folded to 16 bits. Eight bytes at a time: words are summed as native 64-bit loads
/// (the ones' complement sum does not depend on byte order, RFC 1071 section 2(B)) and the
/// 16-bit result is swapped to big-endian once at the end.
#[inline]
fn sum_words(bytes: &[u8]) -> u16 {
    let mut sum = 0u64;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_ne_bytes(chunk.try_into().expect("8-byte chunk"));
        sum = add_carry(sum, word);
    }
    let mut tail = chunks.remainder();
    // The rest, in native 16-bit words, so the one swap below applies to it too.
    while let [a, b, rest @ ..] = tail {
        sum = add_carry(sum, u64::from(u16::from_ne_bytes([*a, *b])));
        tail = rest;
    }
    let native = fold(sum);
    u16::from_be(native)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 1071 by the letter: big-endian words, 32-bit accumulator, end-around carry.
    fn reference(bytes: &[u8]) -> u16 {
        let mut sum: u32 = 0;
        let mut i = 0;
        while i + 1 < bytes.len() {
            sum += u32::from(u16::from_be_bytes([bytes[i], bytes[i + 1]]));
            sum = (sum & 0xffff) + (sum >> 16);
            i += 2;
        }
        if i < bytes.len() {
            sum += u32::from(bytes[i]) << 8;
            sum = (sum & 0xffff) + (sum >> 16);
        }
        !(sum as u16)
    }

    /// A reproducible stream of bytes (xorshift), no dependency needed.
    fn bytes(seed: u64, len: usize) -> std::vec::Vec<u8> {
        let mut x = seed | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    #[test]
    fn matches_the_reference_at_every_length_and_alignment() {
        for len in 0..200 {
            let data = bytes(len as u64 + 7, len + 3);
            for start in 0..3 {
                let d = &data[start..start + len];
                assert_eq!(
                    internet_checksum(d),
                    reference(d),
                    "len {len} start {start}"
                );
            }
        }
        // All ones, so that every addition carries.
        let ones = [0xffu8; 1001];
        for len in 0..ones.len() {
            assert_eq!(
                internet_checksum(&ones[..len]),
                reference(&ones[..len]),
                "{len}"
            );
        }
    }

    #[test]
    fn pieces_of_any_size_give_the_whole_checksum() {
        let data = bytes(99, 517);
        let whole = internet_checksum(&data);
        for cut in [1, 2, 3, 7, 8, 9, 64, 255] {
            let mut sum = InternetChecksum::new();
            for piece in data.chunks(cut) {
                sum.add(piece);
            }
            assert_eq!(sum.finish(), whole, "pieces of {cut}");
        }
        let mut sum = InternetChecksum::new();
        sum.add(&[]);
        sum.add(&data[..1]);
        sum.add(&[]);
        sum.add(&data[1..]);
        assert_eq!(sum.finish(), whole);
    }

    #[test]
    fn incremental_update_agrees_with_a_full_sum() {
        let mut data = bytes(5, 40);
        for round in 0..2000u32 {
            let sum = internet_checksum(&data);
            let at = ((round as usize * 6) % 40) & !1;
            let old = u16::from_be_bytes([data[at], data[at + 1]]);
            let new = match round % 4 {
                0 => 0,
                1 => 0xffff,
                _ => (round.wrapping_mul(2_654_435_761) >> 16) as u16,
            };
            data[at..at + 2].copy_from_slice(&new.to_be_bytes());
            assert_eq!(
                update_internet_checksum(sum, old, new),
                internet_checksum(&data),
                "round {round}"
            );
        }
    }

    #[test]
    fn every_single_bit_flip_is_detected() {
        let data = bytes(11, 64);
        let sum = internet_checksum(&data);
        for bit in 0..data.len() * 8 {
            let mut d = data.clone();
            d[bit / 8] ^= 1 << (bit % 8);
            assert_ne!(internet_checksum(&d), sum, "bit {bit}");
        }
    }
}
