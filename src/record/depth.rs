//! Nesting depth, counted one way for the encoder and the decoder, so that both agree on what
//! is too deep: a record the encoder writes under a `Config`, the decoder reads back under it.

use super::fail::{Fail as Error, Res as Result};
use crate::error::ErrorKind;

/// The current nesting level.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Depth(usize);

impl Depth {
    /// One more level, allowed `slack` levels past `max`. Sequences and maps take a slack of 1,
    /// and strings and byte strings are checked with the same bound ([`Depth::check_leaf`]): a
    /// `&[u8]` is written as a sequence of `u8` but read back as bytes. `offset` is where the
    /// value starts, for the error.
    ///
    /// The level is a value: the encoder hands the deeper level to what it visits and keeps
    /// its own, so it has nothing to undo on the way out. (The decoder keeps its level in
    /// memory and calls [`Depth::leave`]: handed down as a value, it ran fewer instructions
    /// but, through serde's array impl, measured slower; see the git log.)
    #[inline(always)]
    pub(crate) fn enter_past(self, max: usize, slack: usize, offset: usize) -> Result<Depth> {
        if self.0 >= max.saturating_add(slack) {
            return Err(depth_limit(offset, max));
        }
        Ok(Depth(self.0 + 1))
    }

    /// A string or byte string: as deep as a sequence may be.
    #[inline(always)]
    pub(crate) fn check_leaf(self, max: usize, offset: usize) -> Result<()> {
        if self.0 > max {
            return Err(depth_limit(offset, max));
        }
        Ok(())
    }

    /// Back out of one level (the decoder).
    #[inline(always)]
    pub(crate) fn leave(&mut self) {
        self.0 -= 1;
    }
}

#[cold]
fn depth_limit(offset: usize, limit: usize) -> Error {
    Error::new(ErrorKind::DepthLimit { offset, limit })
}
