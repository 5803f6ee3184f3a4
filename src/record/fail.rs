//! The error type used inside the encoder and decoder: the crate's [`Error`], boxed.
//!
//! A serde `Result<T, E>` is returned from every field visit; with the 80-byte [`Error`]
//! inline each of those returns goes through memory. Boxed, `Result<u16, Fail>` is two
//! registers and `Result<(), Fail>` one, which is most of the difference between a serde
//! decoder and hand-written code. The public functions unbox at the boundary.

use crate::error::{Error, ErrorKind};
use std::fmt;

/// A boxed [`Error`].
pub(crate) struct Fail(Box<Error>);

/// The internal `Result`.
pub(crate) type Res<T> = std::result::Result<T, Fail>;

impl Fail {
    #[cold]
    #[inline(never)]
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Fail(Box::new(Error::new(kind)))
    }

    pub(crate) fn kind(&self) -> &ErrorKind {
        self.0.kind()
    }

    pub(crate) fn field(&self) -> Option<&str> {
        self.0.field()
    }

    #[cold]
    pub(crate) fn with_field(mut self, field: impl Into<Box<str>>) -> Self {
        let e = std::mem::replace(
            &mut *self.0,
            Error::new(ErrorKind::Unsupported { what: "" }),
        );
        *self.0 = e.with_field(field);
        self
    }

    pub(crate) fn into_error(self) -> Error {
        *self.0
    }
}

impl From<Error> for Fail {
    #[cold]
    fn from(e: Error) -> Self {
        Fail(Box::new(e))
    }
}

impl From<std::io::Error> for Fail {
    #[cold]
    fn from(e: std::io::Error) -> Self {
        Fail(Box::new(e.into()))
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

impl std::error::Error for Fail {}

impl serde::ser::Error for Fail {
    #[cold]
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Fail::new(ErrorKind::Message(msg.to_string().into_boxed_str()))
    }
}

impl serde::de::Error for Fail {
    #[cold]
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Fail::new(ErrorKind::Message(msg.to_string().into_boxed_str()))
    }
}

impl From<Fail> for Error {
    #[inline]
    fn from(f: Fail) -> Self {
        f.into_error()
    }
}
