//! Layer 4a: framing without I/O. (STUB)
