//! Layer 4c, the readiness loop (`netorder::reactor`, feature `reactor`): thousands of
//! connections, slow and bad peers, the connection bound and the non-blocking client
//! (`reactor`), the server policies against hostile peers of issue 15 (`peers`), the
//! regressions of the hostile-input review (`review_regressions`), and the framings of issue 17
//! through every endpoint (`every_framing`).

// `review_regressions` names the support crate `crate::common`.
#[cfg(feature = "reactor")]
use netorder_support as common;

#[cfg(all(feature = "crc32c", feature = "crc32"))]
mod every_framing;
mod peers;
mod reactor;
mod review_regressions;
