//! The open-file limit: the default connection cap of a
//! [`ReactorServer`](crate::reactor::ReactorServer) is derived from it, and both servers
//! report running out of descriptors with it. Public as `netorder::reactor::*` (it needs the
//! `reactor` feature's `rlimit`); here, below both servers, so the threaded one reaches it too.

use crate::error::Error;
use crate::prelude::*;
use std::io;

/// Descriptors kept back from the open-file limit when the connection cap is derived from it:
/// stdin, stdout and stderr, the listener, and per event loop its poll, its waker and its
/// clone of the listener (a few each), with room left for the files and sockets the rest of
/// the program opens.
pub const RESERVED_DESCRIPTORS: usize = 64;

/// The connection cap used where the open-file limit cannot be read (not Unix).
pub const FALLBACK_MAX_CONNECTIONS: usize = 10_000;

/// The most connections a derived cap allows, whatever the limit (a hard limit of "unlimited"
/// must not turn into a cap of 2^64).
pub const MAX_DERIVED_CONNECTIONS: usize = 1 << 20;

/// Raises the soft open-file limit (`RLIMIT_NOFILE`) to the hard limit where the system allows
/// it, and returns the soft limit in force afterwards; `None` where there is no such limit or
/// it cannot be read.
///
/// ```
/// if let Some(limit) = netorder::reactor::raise_open_file_limit() {
///     assert!(limit >= 3); // at least stdio
///     // Raising again changes nothing.
///     assert_eq!(netorder::reactor::raise_open_file_limit(), Some(limit));
/// }
/// ```
pub fn raise_open_file_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        // Where raising is refused, the limit stays as it was: read it again.
        rlimit::increase_nofile_limit(u64::MAX)
            .ok()
            .or_else(open_file_limit)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// The soft open-file limit in force (`RLIMIT_NOFILE`), without changing it; `None` where
/// there is no such limit or it cannot be read.
///
/// ```
/// let limit = netorder::reactor::open_file_limit();
/// # #[cfg(target_os = "linux")]
/// assert!(limit.is_some());
/// ```
pub fn open_file_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        rlimit::getrlimit(rlimit::Resource::NOFILE)
            .ok()
            .map(|(soft, _hard)| soft)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// The default connection cap of a [`ReactorServer`](crate::reactor::ReactorServer): the soft
/// open-file limit, after [`raise_open_file_limit`], less [`RESERVED_DESCRIPTORS`], at least
/// 1 and at most [`MAX_DERIVED_CONNECTIONS`]; [`FALLBACK_MAX_CONNECTIONS`] where the limit
/// cannot be read. Raises the soft limit as a side effect.
///
/// ```
/// use netorder::reactor::{RESERVED_DESCRIPTORS, default_max_connections, open_file_limit};
/// let cap = default_max_connections();
/// if let Some(limit) = open_file_limit() {
///     assert_eq!(cap as u64, limit.saturating_sub(RESERVED_DESCRIPTORS as u64).clamp(1, 1 << 20));
/// }
/// // Never zero, even under a tiny limit.
/// assert!(cap >= 1);
/// ```
pub fn default_max_connections() -> usize {
    match raise_open_file_limit() {
        Some(limit) => cap_for_limit(limit),
        None => FALLBACK_MAX_CONNECTIONS,
    }
}

/// The cap for an open-file limit of `limit` descriptors.
pub(crate) fn cap_for_limit(limit: u64) -> usize {
    let free = limit.saturating_sub(RESERVED_DESCRIPTORS as u64);
    usize::try_from(free)
        .unwrap_or(usize::MAX)
        .clamp(1, MAX_DERIVED_CONNECTIONS)
}

/// The error for running out of descriptors in `accept` (`e`), with the open-file limit and
/// the `open` connections: one line, what both servers report once per episode.
pub(crate) fn out_of_descriptors(e: io::Error, open: usize) -> Error {
    let limit = open_file_limit().map_or_else(|| "unknown".to_string(), |l| l.to_string());
    let message = format!(
        "accept failed: {e}; open-file limit {limit}, {open} connections open; new peers wait \
         in the listen backlog until descriptors free up"
    );
    Error::io(e, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_keeps_the_reserve_and_stays_in_bounds() {
        assert_eq!(cap_for_limit(0), 1);
        assert_eq!(cap_for_limit(64), 1);
        assert_eq!(cap_for_limit(65), 1);
        assert_eq!(cap_for_limit(66), 2);
        assert_eq!(cap_for_limit(1024), 960);
        assert_eq!(cap_for_limit(20_000), 19_936);
        assert_eq!(cap_for_limit(u64::MAX), MAX_DERIVED_CONNECTIONS);
    }
}
