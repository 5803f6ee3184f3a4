//! Helpers shared by the integration tests that run `netorder` as a child process.

use std::io::{BufRead, BufReader, Read};
use std::sync::mpsc::{Receiver, channel};

/// The lines of a child's pipe, read on a thread: at most `max_lines`, stopping at the first
/// read error or when the receiver is dropped.
#[allow(dead_code)] // each test file compiles its own copy of this module; not all use this
pub fn line_channel(pipe: impl Read + Send + 'static, max_lines: usize) -> Receiver<String> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe)
            .lines()
            .take(max_lines)
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// A child process that is killed and reaped when this guard is dropped, so a failing test
/// never leaves a server running.
#[allow(dead_code)] // each test file compiles its own copy of this module; not all use this
pub struct KillOnDrop(pub std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
