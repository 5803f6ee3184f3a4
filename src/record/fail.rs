//! The error type used inside the encoder and decoder: the crate's [`Error`], boxed.
//!
//! A serde `Result<T, E>` is returned from every field visit; with the 80-byte [`Error`]
//! inline each of those returns goes through memory. Boxed, `Result<u16, Fail>` is two
//! registers and `Result<(), Fail>` one, which is most of the difference between a serde
//! decoder and hand-written code. The public functions unbox at the boundary. Without `alloc`
//! there is no box: the [`Error`] is held inline.

use crate::error::{Error, ErrorKind};
#[cfg(feature = "alloc")]
use crate::prelude::*;
use core::fmt;

/// The crate's [`Error`], boxed (inline without `alloc`).
pub(crate) struct Fail(Held);

/// How [`Fail`] holds its [`Error`]: boxed...
#[cfg(feature = "alloc")]
type Held = Box<Error>;
/// ...or, without an allocator, inline.
#[cfg(not(feature = "alloc"))]
type Held = Inline;

/// An [`Error`] held inline, with the `Box` operations [`Fail`] uses without `alloc`.
#[cfg(not(feature = "alloc"))]
struct Inline(Error);

#[cfg(not(feature = "alloc"))]
impl Inline {
    #[inline(always)]
    fn new(e: Error) -> Self {
        Inline(e)
    }
}

#[cfg(not(feature = "alloc"))]
impl core::ops::Deref for Inline {
    type Target = Error;
    fn deref(&self) -> &Error {
        &self.0
    }
}

/// The internal `Result`.
pub(crate) type Res<T> = core::result::Result<T, Fail>;

impl Fail {
    #[cold]
    #[inline(never)]
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Fail(Held::new(Error::new(kind)))
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
    pub(crate) fn with_field(mut self, field: impl Into<Box<str>>) -> Self {
        let e = core::mem::replace(
            &mut *self.0,
            Error::new(ErrorKind::Unsupported { what: "" }),
        );
        *self.0 = e.with_field(field);
        self
    }

    pub(crate) fn into_error(self) -> Error {
        #[cfg(feature = "alloc")]
        return *self.0;
        #[cfg(not(feature = "alloc"))]
        self.0.0
    }
}

impl From<Error> for Fail {
    #[cold]
    fn from(e: Error) -> Self {
        Fail(Held::new(e))
    }
}

#[cfg(feature = "std")]
impl From<std::io::Error> for Fail {
    #[cold]
    fn from(e: std::io::Error) -> Self {
        Fail(Held::new(e.into()))
    }
}

impl fmt::Debug for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
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
