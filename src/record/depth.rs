//! Nesting depth, counted one way for the encoder and the decoder, so that both agree on what
//! is too deep: a record the encoder writes under a `Config`, the decoder reads back under it.

use super::fail::{Res as Result, fail};
use crate::error::ErrorKind;

/// The current nesting level.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Depth(usize);

impl Depth {
    /// One more level, allowed `slack` levels past `max`. Sequences and maps take a slack of 1,
    /// and strings and byte strings are checked with the same bound ([`Depth::check_leaf`]): a
    /// `&[u8]` is written as a sequence of `u8` but read back as bytes. `offset` is where the
    /// value starts, for the error; without `diagnose`, the error is a placeholder (see
    /// [`fail`](super::fail::fail)).
    ///
    /// The level is a value: the encoder hands the deeper level to what it visits and keeps
    /// its own, and the decoder visits the nested value with a copy of itself at the deeper
    /// level (a reader sets the level and puts it back), so neither has anything to undo on
    /// the way out.
    #[inline(always)]
    pub(crate) fn enter_past(
        self,
        max: usize,
        slack: usize,
        offset: usize,
        diagnose: bool,
    ) -> Result<Depth> {
        if self.0 >= max.saturating_add(slack) {
            return Err(fail(diagnose, || ErrorKind::DepthLimit {
                offset,
                limit: max,
            }));
        }
        Ok(Depth(self.0 + 1))
    }

    /// A string or byte string: as deep as a sequence may be.
    #[inline(always)]
    pub(crate) fn check_leaf(self, max: usize, offset: usize, diagnose: bool) -> Result<()> {
        if self.0 > max {
            return Err(fail(diagnose, || ErrorKind::DepthLimit {
                offset,
                limit: max,
            }));
        }
        Ok(())
    }
}
