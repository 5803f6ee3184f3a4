//! Layer 4b: blocking sockets. (STUB)
