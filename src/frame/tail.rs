//! The tail of a frame, after its payload: the delimiter and the checksum trailer, written in
//! place after a payload serialized into the output ([`put_tail`]), or kept beside a payload
//! sent from where it lies ([`Envelope`], for `Conn`'s large frames).

use super::{Framing, FramingKind};
use crate::error::{Error, ErrorKind, Result};

/// Writes the tail of a frame whose head and payload are `frame[..covered]`, with the
/// payload at `frame[payload]`: the delimiter (refused when the payload holds it) and the
/// checksum trailer, after `covered`. `frame` has room for them. Returns the tail's length.
#[inline]
pub(super) fn put_tail(
    framing: &Framing,
    frame: &mut [u8],
    payload: core::ops::Range<usize>,
    mut covered: usize,
) -> Result<usize> {
    let start = covered;
    if let FramingKind::Delimited(d) = framing.kind() {
        if let Some(at) = d.position_in(&frame[payload]) {
            return Err(Error::new(ErrorKind::DelimiterInPayload { offset: at }));
        }
        frame[covered..covered + d.len()].copy_from_slice(d.as_bytes());
        covered += d.len();
    }
    if let Some(checksum) = framing.checksum() {
        let trailer = checksum.trailer(&[&frame[..covered]]);
        frame[covered..covered + checksum.len()].copy_from_slice(&trailer[..checksum.len()]);
        covered += checksum.len();
    }
    Ok(covered - start)
}

/// What a framing puts around one payload that is sent from where it lies (`Conn` writes a
/// long payload straight from the caller's slice): the bytes before it, and the bytes after
/// it (a delimiter, a checksum trailer).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Envelope {
    head: [u8; 16],
    head_len: usize,
    tail: [u8; 12],
    tail_len: usize,
}

impl Envelope {
    /// The bytes before the payload.
    #[inline]
    pub(crate) fn head(&self) -> &[u8] {
        &self.head[..self.head_len]
    }

    /// The bytes after the payload.
    #[inline]
    pub(crate) fn tail(&self) -> &[u8] {
        &self.tail[..self.tail_len]
    }

    /// Bytes before and after the payload.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.head_len + self.tail_len
    }
}

/// The bytes `framing` puts around `payload`, once the framing has accepted it (errors as
/// [`write_header`]).
#[inline(always)]
pub(crate) fn envelope(framing: Framing, payload: &[u8]) -> Result<Envelope> {
    let prefix = framing.prefix(payload.len())?;
    let mut envelope = Envelope {
        head: prefix.bytes(),
        head_len: prefix.len(),
        tail: [0; 12],
        tail_len: 0,
    };
    if framing.tail_len() != 0 {
        envelope_tail(&framing, payload, &mut envelope)?;
    }
    Ok(envelope)
}

/// The tail of an [`Envelope`]: the delimiter (refused when the payload holds it) and the
/// checksum trailer over head, payload and delimiter.
#[inline(never)]
fn envelope_tail(framing: &Framing, payload: &[u8], envelope: &mut Envelope) -> Result<()> {
    let mut len = 0;
    if let FramingKind::Delimited(d) = framing.kind() {
        if let Some(at) = d.position_in(payload) {
            return Err(Error::new(ErrorKind::DelimiterInPayload { offset: at }));
        }
        envelope.tail[..d.len()].copy_from_slice(d.as_bytes());
        len = d.len();
    }
    if let Some(checksum) = framing.checksum() {
        let (head, delimiter) = (envelope.head(), &envelope.tail[..len]);
        let trailer = checksum.trailer(&[head, payload, delimiter]);
        envelope.tail[len..len + checksum.len()].copy_from_slice(&trailer[..checksum.len()]);
        len += checksum.len();
    }
    envelope.tail_len = len;
    Ok(())
}
