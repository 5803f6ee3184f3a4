//! Helpers shared by the integration tests that run `netorder` as a child process.

use std::io::{BufRead, BufReader, Read};
use std::sync::mpsc::{Receiver, channel};

/// The lines of a child's pipe, read on a thread: at most `max_lines`, stopping at the first
/// read error or when the receiver is dropped.
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
