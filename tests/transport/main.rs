//! Layer 4b, blocking sockets: fault-injecting readers and writers, TCP and Unix sockets and
//! the threaded server on raw frames (`transport`), typed records through `Conn`
//! (`transport_typed`), faulty peers (`faults`), and 50 clients with bad peers mixed in
//! (`load`). Real sockets on 127.0.0.1 only; every wait is bounded.

mod faults;
mod load;
mod transport;
mod transport_typed;
