//! Where the record decoder's bytes come from: a borrowed slice (zero copy, decoded a first
//! time without diagnosis) or an `io::Read` asked for exactly the bytes of the record.

use super::config::Flavor;
use super::de::Deserializer;
use super::depth::Depth;
use super::fail::{Fail as Error, Res as Result, fail};
use super::wire;
use crate::error::ErrorKind;
#[cfg(feature = "std")]
use std::vec::Vec;

/// Bytes handed out by [`Input::take`]: borrowed from the input for the whole decode, or from a
/// scratch buffer until the next call.
pub(crate) enum Taken<'de, 's> {
    Borrowed(&'de [u8]),
    #[cfg_attr(not(feature = "std"), allow(dead_code))] // only an `io::Read` input has scratch
    Scratch(&'s [u8]),
}

/// Where a decoder's bytes come from.
pub(crate) trait Input<'de> {
    /// Bytes consumed so far.
    fn pos(&self) -> usize;
    /// Whether errors are built in full (kind, offset, field path) where they are found, or are
    /// placeholders (see [`fail`]): a slice is decoded a first time without diagnosis and, if
    /// that fails, a second time with it (`record::decode_exact`); a reader cannot be read
    /// twice and always diagnoses.
    fn diagnose(&self) -> bool;
    /// Fills `buf` exactly, or fails without consuming anything useful.
    fn read_into(&mut self, buf: &mut [u8]) -> Result<()>;
    /// `n` bytes (already checked against the length limit).
    fn take<'s>(&'s mut self, n: usize) -> Result<Taken<'de, 's>>;
    /// The LEB128 form of an integer of `bits` bits (not yet checked against its type); errors
    /// at offsets from where it starts.
    fn varint(&mut self, bits: u32) -> Result<u128>;
    /// At most how many more bytes there can be (to cap pre-allocation).
    fn remaining_hint(&self) -> usize;
    /// Runs `visit` on `de` with its nesting level set to `depth`, and puts the level back
    /// after a success (an error ends the decode).
    ///
    /// A slice input runs `visit` on a copy of the whole decoder, a local value, and copies its
    /// cursor back after a success: a derived `Deserialize` impl that is not inlined into its
    /// caller then keeps the cursor in registers from field to field, instead of storing it
    /// through the caller's `&mut` after every field, and checks each field against the bytes
    /// left at a constant offset from where the struct started. A reader runs in place.
    fn nest<F: Flavor, R>(
        de: &mut Deserializer<Self, F>,
        depth: Depth,
        visit: impl FnOnce(&mut Deserializer<Self, F>) -> Result<R>,
    ) -> Result<R>
    where
        Self: Sized;
}

/// A borrowed slice; `DIAGNOSE` says whether errors are built in full ([`Input::diagnose`]).
///
/// The choice is part of the type, not a flag: the first pass's code (one instance of each
/// `Deserialize` impl) has no error-building code at all, and its decoder is no bigger to copy
/// (see [`Input::nest`]).
#[derive(Clone, Copy)]
pub(crate) struct SliceInput<'de, const DIAGNOSE: bool> {
    /// The part not read yet.
    rest: &'de [u8],
    len: usize,
}

impl<'de> SliceInput<'de, false> {
    /// The first pass over `bytes`: errors are placeholders.
    pub(crate) fn new(bytes: &'de [u8]) -> Self {
        SliceInput {
            rest: bytes,
            len: bytes.len(),
        }
    }
}

impl<'de> SliceInput<'de, true> {
    /// The second pass, after a first one failed: errors in full.
    pub(crate) fn diagnosing(bytes: &'de [u8]) -> Self {
        SliceInput {
            rest: bytes,
            len: bytes.len(),
        }
    }
}

impl<const DIAGNOSE: bool> SliceInput<'_, DIAGNOSE> {
    /// Bytes consumed so far.
    #[inline(always)]
    pub(crate) fn consumed(&self) -> usize {
        self.len - self.rest.len()
    }

    /// Whether every byte is consumed.
    #[inline(always)]
    pub(crate) fn at_end(&self) -> bool {
        self.rest.is_empty()
    }
}

/// Out of input: `needed` bytes at `offset`, `available` there.
#[inline(always)]
pub(super) fn incomplete(diagnose: bool, offset: usize, needed: usize, available: usize) -> Error {
    fail(diagnose, || ErrorKind::Incomplete {
        offset,
        needed,
        available,
    })
}

impl<'de, const DIAGNOSE: bool> Input<'de> for SliceInput<'de, DIAGNOSE> {
    #[inline(always)]
    fn pos(&self) -> usize {
        self.consumed()
    }
    #[inline(always)]
    fn diagnose(&self) -> bool {
        DIAGNOSE
    }
    #[inline(always)]
    fn read_into(&mut self, buf: &mut [u8]) -> Result<()> {
        if buf.len() > self.rest.len() {
            let (pos, left) = (self.consumed(), self.rest.len());
            return Err(incomplete(DIAGNOSE, pos, buf.len(), left));
        }
        let (head, tail) = self.rest.split_at(buf.len());
        buf.copy_from_slice(head);
        self.rest = tail;
        Ok(())
    }
    #[inline]
    fn take<'s>(&'s mut self, n: usize) -> Result<Taken<'de, 's>> {
        if n > self.rest.len() {
            let (pos, left) = (self.consumed(), self.rest.len());
            return Err(incomplete(DIAGNOSE, pos, n, left));
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(Taken::Borrowed(head))
    }
    #[inline]
    fn varint(&mut self, bits: u32) -> Result<u128> {
        let (v, n) = wire::varint_decode(self.rest, bits)?;
        self.rest = self.rest.get(n..).unwrap_or_default();
        Ok(v)
    }
    #[inline(always)]
    fn remaining_hint(&self) -> usize {
        self.rest.len()
    }
    #[inline(always)]
    fn nest<F: Flavor, R>(
        de: &mut Deserializer<Self, F>,
        depth: Depth,
        visit: impl FnOnce(&mut Deserializer<Self, F>) -> Result<R>,
    ) -> Result<R> {
        let mut local = Deserializer { depth, ..*de };
        let value = visit(&mut local)?;
        de.input = local.input;
        Ok(value)
    }
}

#[cfg(feature = "std")]
/// An `io::Read`, read exactly as far as the record goes. The end of the stream inside the
/// record is [`ErrorKind::Truncated`].
pub(crate) struct ReaderInput<R> {
    reader: R,
    pos: usize,
    scratch: Vec<u8>,
}

#[cfg(feature = "std")]
impl<R: std::io::Read> ReaderInput<R> {
    pub(crate) fn new(reader: R) -> Self {
        ReaderInput {
            reader,
            pos: 0,
            scratch: Vec::new(),
        }
    }
}

/// Reads until `buf` is full or the stream ends; returns the bytes read.
#[cfg(feature = "std")]
pub(crate) fn read_full(reader: &mut impl std::io::Read, buf: &mut [u8]) -> Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match reader.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(got)
}

#[cfg(feature = "std")]
impl<'de, R: std::io::Read> Input<'de> for ReaderInput<R> {
    fn pos(&self) -> usize {
        self.pos
    }
    fn diagnose(&self) -> bool {
        true
    }
    fn read_into(&mut self, buf: &mut [u8]) -> Result<()> {
        let got = read_full(&mut self.reader, buf)?;
        self.pos += got;
        if got < buf.len() {
            return Err(Error::new(ErrorKind::Truncated {
                expected: self.pos - got + buf.len(),
                received: self.pos,
            }));
        }
        Ok(())
    }
    fn take<'s>(&'s mut self, n: usize) -> Result<Taken<'de, 's>> {
        use std::io::Read;
        self.scratch.clear();
        // `read_to_end` grows the buffer with the data that actually arrives, so a length
        // prefix that lies costs nothing until the bytes are there.
        let got = (&mut self.reader)
            .take(n as u64)
            .read_to_end(&mut self.scratch)?;
        self.pos += got;
        if got < n {
            return Err(Error::new(ErrorKind::Truncated {
                expected: self.pos - got + n,
                received: self.pos,
            }));
        }
        Ok(Taken::Scratch(&self.scratch))
    }
    fn varint(&mut self, bits: u32) -> Result<u128> {
        // Byte by byte up to the last one (no high bit): the bytes after it are not the
        // record's. The end of the stream is `Truncated`, as everywhere in a reader.
        let max = wire::max_varint_len(bits);
        let mut buf = [0u8; wire::MAX_VARINT];
        let mut n = 0;
        while n < max {
            self.read_into(&mut buf[n..n + 1])?;
            n += 1;
            if buf[n - 1] < 0x80 {
                break;
            }
        }
        let (v, _) = wire::varint_decode(&buf[..n], bits)?;
        Ok(v)
    }
    fn remaining_hint(&self) -> usize {
        4096
    }
    fn nest<F: Flavor, T>(
        de: &mut Deserializer<Self, F>,
        depth: Depth,
        visit: impl FnOnce(&mut Deserializer<Self, F>) -> Result<T>,
    ) -> Result<T> {
        let outer = core::mem::replace(&mut de.depth, depth);
        let value = visit(de)?;
        de.depth = outer;
        Ok(value)
    }
}
