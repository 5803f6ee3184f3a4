//! The error type of the encoder and decoder: the crate's [`Error`] itself, which implements
//! serde's error traits here.
//!
//! A serde `Result<T, E>` is returned from every field visit. With `alloc` the [`Error`] is
//! one pointer (its parts are boxed), so `Result<u16, Error>` is two registers and
//! `Result<(), Error>` one, which is most of the difference between a serde decoder and
//! hand-written code. Without `alloc` the [`Error`] is held inline.
//!
//! Being the public error type (not a newtype around it), the `Result<T, Error>` a type's
//! `Deserialize` impl returns is the one [`from_bytes`](super::from_bytes) returns: the impl
//! writes the decoded value straight into the caller's result, with no conversion between
//! two result types that would copy it (and, for a record whose fields were just stored one
//! by one, reload them with wide loads that stall on store forwarding).

use crate::error::{Error, ErrorKind};
#[cfg(feature = "alloc")]
use crate::prelude::*;
use core::fmt;

/// The crate's [`Error`], for serde.
pub(crate) type Fail = Error;

/// The internal `Result`.
pub(crate) type Res<T> = core::result::Result<T, Fail>;

/// An error found while encoding or decoding: with `diagnose`, the error itself (`kind`, built
/// only here; the field path is added on the way out); without, a placeholder that says only
/// that the value failed, for an encode or decode that is run again with `diagnose` on to find
/// out what failed and where (`record::decode_exact`).
///
/// A first pass without diagnosis has no error to build at any of its checks: they all branch
/// to one call of [`failed`], the hot path keeps no offsets or sizes alive for an error
/// message, and the code of a record's `Deserialize` impl shrinks to its loads and checks.
#[inline(always)]
pub(crate) fn fail(diagnose: bool, kind: impl FnOnce() -> ErrorKind) -> Error {
    if diagnose {
        Error::new(kind())
    } else {
        failed()
    }
}

/// The placeholder of a pass without diagnosis ([`fail`]); never returned to a caller.
#[cold]
#[inline(never)]
pub(crate) fn failed() -> Error {
    Error::new(ErrorKind::Unsupported {
        what: "(a first pass that failed, to be run again with diagnosis)",
    })
}

/// A custom error from a `Serialize` impl (through
/// [`serde::ser::Error::custom`]): [`ErrorKind::Message`] with its text, or
/// [`ErrorKind::Unsupported`] without `alloc`.
///
/// ```
/// use serde::ser::Error as _;
/// let e = netorder::Error::custom("no such port");
/// assert_eq!(e.kind(), &netorder::ErrorKind::Message("no such port".into()));
/// // A record that fails to serialize itself: its message comes back from `to_vec`.
/// struct Refuses;
/// impl serde::Serialize for Refuses {
///     fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
///         Err(S::Error::custom("not today"))
///     }
/// }
/// let err = netorder::to_vec(&Refuses).unwrap_err();
/// assert_eq!(err.kind(), &netorder::ErrorKind::Message("not today".into()));
/// ```
impl serde::ser::Error for Error {
    #[cold]
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::new(custom(msg))
    }
}

/// A custom error from a `Deserialize` impl (through
/// [`serde::de::Error::custom`] and its helpers): [`ErrorKind::Message`] with its text, or
/// [`ErrorKind::Unsupported`] without `alloc`.
///
/// ```
/// use serde::Deserialize;
/// // A port that must not be 0: the impl's own error, with the field it was in.
/// #[derive(Debug)]
/// struct Port(u16);
/// impl<'de> Deserialize<'de> for Port {
///     fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
///         match u16::deserialize(d)? {
///             0 => Err(serde::de::Error::custom("port 0")),
///             p => Ok(Port(p)),
///         }
///     }
/// }
/// #[derive(Deserialize, Debug)]
/// struct Peer { port: Port }
/// assert_eq!(netorder::from_bytes::<Peer>(&[0, 80])?.port.0, 80);
/// let err = netorder::from_bytes::<Peer>(&[0, 0]).unwrap_err();
/// assert_eq!(err.kind(), &netorder::ErrorKind::Message("port 0".into()));
/// assert_eq!(err.field(), Some("port"));
/// # Ok::<(), netorder::Error>(())
/// ```
impl serde::de::Error for Error {
    #[cold]
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::new(custom(msg))
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
