//! The error type used inside the encoder and decoder: the crate's [`Error`] in a newtype that
//! implements serde's error traits.
//!
//! A serde `Result<T, E>` is returned from every field visit. With `alloc` the [`Error`] is
//! one pointer (its parts are boxed), so `Result<u16, Fail>` is two registers and
//! `Result<(), Fail>` one, which is most of the difference between a serde decoder and
//! hand-written code. Without `alloc` the [`Error`] is held inline.

use crate::error::{Error, ErrorKind};
#[cfg(feature = "alloc")]
use crate::prelude::*;
use core::fmt;

/// The crate's [`Error`], for serde.
pub(crate) struct Fail(Error);

/// The internal `Result`.
pub(crate) type Res<T> = core::result::Result<T, Fail>;

impl Fail {
    #[cold]
    #[inline(never)]
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Fail(Error::new(kind))
    }

    pub(crate) fn kind(&self) -> &ErrorKind {
        self.0.kind()
    }

    #[cfg(feature = "alloc")]
    pub(crate) fn field(&self) -> Option<&str> {
        self.0.field()
    }

    #[cfg(feature = "alloc")]
    #[cold]
    pub(crate) fn with_field(self, field: impl Into<Box<str>>) -> Self {
        Fail(self.0.with_field(field))
    }

    /// Shifts the error's offset by `base` (see [`Error::offset_by`]).
    #[cold]
    pub(crate) fn offset_by(self, base: usize) -> Self {
        Fail(self.0.offset_by(base))
    }

    pub(crate) fn into_error(self) -> Error {
        self.0
    }
}

impl From<Error> for Fail {
    #[cold]
    fn from(e: Error) -> Self {
        Fail(e)
    }
}

#[cfg(feature = "std")]
impl From<std::io::Error> for Fail {
    #[cold]
    fn from(e: std::io::Error) -> Self {
        Fail(e.into())
    }
}

impl fmt::Debug for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl core::error::Error for Fail {}

impl serde::ser::Error for Fail {
    #[cold]
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Fail::new(custom(msg))
    }
}

impl serde::de::Error for Fail {
    #[cold]
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Fail::new(custom(msg))
    }
}

/// The kind of a custom serde error: its message...
#[cfg(feature = "alloc")]
fn custom<T: fmt::Display>(msg: T) -> ErrorKind {
    ErrorKind::Message(msg.to_string().into_boxed_str())
}

/// ...which needs an allocator to be kept.
#[cfg(not(feature = "alloc"))]
fn custom<T: fmt::Display>(_msg: T) -> ErrorKind {
    ErrorKind::Unsupported {
        what: "a custom error from a Serialize or Deserialize impl (its message needs `alloc`)",
    }
}

impl From<Fail> for Error {
    #[inline]
    fn from(f: Fail) -> Self {
        f.into_error()
    }
}
