//! Layer 4c, the readiness loop (`netorder::reactor`, feature `reactor`): thousands of
//! connections, slow and bad peers, the connection bound and the non-blocking client
//! (`reactor`), the server policies against hostile peers of issue 15 (`peers`), and the
//! regressions of the hostile-input review (`review_regressions`).

// `review_regressions` names the support crate `crate::common`.
#[cfg(feature = "reactor")]
use netorder_support as common;

mod peers;
mod reactor;
mod review_regressions;
