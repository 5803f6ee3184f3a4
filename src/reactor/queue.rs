//! The write queue of a connection: reply bytes waiting for the socket to take them.

use super::KEEP_QUEUE_CAPACITY;
use crate::error::Result;
use crate::prelude::*;
use crate::transport::{io_error_with_counts, write_zero};
use std::io::{self, Write};

/// Bytes waiting to be written: `buf[sent..]`.
#[derive(Debug, Default)]
pub(super) struct WriteQueue {
    pub(super) buf: Vec<u8>,
    sent: usize,
}

impl WriteQueue {
    /// Bytes queued and not yet written.
    pub(super) fn len(&self) -> usize {
        self.buf.len() - self.sent
    }

    /// Drops the bytes already sent when they are at least half the buffer (amortised O(1)).
    pub(super) fn compact(&mut self) {
        if self.sent > 0 && self.sent >= self.buf.len() / 2 {
            self.buf.drain(..self.sent);
            self.sent = 0;
        }
    }

    /// Writes until the queue is empty (`Ok(true)`) or the socket would block (`Ok(false)`).
    /// `progress` is set when any byte went out.
    pub(super) fn flush_to<W: Write>(&mut self, w: &mut W, progress: &mut bool) -> Result<bool> {
        while self.sent < self.buf.len() {
            match w.write(&self.buf[self.sent..]) {
                Ok(0) => return Err(write_zero(self.sent, self.buf.len())),
                Ok(n) => {
                    self.sent += n;
                    *progress = true;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(false),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    return Err(io_error_with_counts(e, "sent", self.sent, self.buf.len()));
                }
            }
        }
        self.buf.clear();
        self.sent = 0;
        if self.buf.capacity() > KEEP_QUEUE_CAPACITY {
            self.buf = Vec::new();
        }
        Ok(true)
    }
}
