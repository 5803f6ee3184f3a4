//! # A fixed-length-record logger
//!
//! The lesson: when every record has the same length, a file (or a stream) needs no
//! delimiters and no index. Record `i` starts at byte `i * size`, the count of records is the
//! file length divided by the size, and a reader takes exactly `size` bytes at a time. The one
//! thing to watch: a writer that died mid-append leaves a torn last record, fewer than `size`
//! bytes. A careful reader reports it (where, and how many bytes of how many) instead of
//! reading garbage or quietly dropping it.
//!
//! The log lives in a fresh directory under the system temp dir and is removed at the end.
//!
//! ```sh
//! cargo run --example record_logger
//! ```

use netorder::transport::recv_exact;
use netorder::{ErrorKind, Layout, from_bytes, record_size, to_slice};
use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::io::{BufReader, Write};
use std::path::Path;

/// One log entry: 8 + 1 + 2 + 24 = 35 bytes on the wire, whatever its content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Entry {
    /// Unix time in milliseconds.
    time_ms: u64,
    /// 0 = debug ... 4 = error.
    level: u8,
    /// What happened, as a number.
    code: u16,
    /// Where, as text padded with zero bytes (fixed length: a `[u8; 24]`, not a `String`).
    source: [u8; 24],
}

impl Entry {
    fn new(time_ms: u64, level: u8, code: u16, source: &str) -> Entry {
        let mut padded = [0u8; 24];
        let n = source.len().min(padded.len());
        padded[..n].copy_from_slice(&source.as_bytes()[..n]);
        Entry {
            time_ms,
            level,
            code,
            source: padded,
        }
    }

    fn source(&self) -> &str {
        let end = self.source.iter().position(|&b| b == 0).unwrap_or(24);
        std::str::from_utf8(&self.source[..end]).unwrap_or("?")
    }
}

/// Appends entries to the log, each exactly `record_size::<Entry>()` bytes.
fn append(path: &Path, entries: &[Entry]) -> Result<(), Box<dyn std::error::Error>> {
    let size = record_size::<Entry>()?;
    let mut file = OpenOptions::new().create(true).append(true).open(path)?;
    let mut buf = vec![0u8; size * entries.len()];
    for (entry, slot) in entries.iter().zip(buf.chunks_exact_mut(size)) {
        let written = to_slice(entry, slot)?;
        assert_eq!(written, size); // a fixed-size type: every value is this long
    }
    file.write_all(&buf)?;
    Ok(())
}

/// What a reader finds in the log: the whole entries, and a torn last one if a writer died
/// mid-append.
struct LogContents {
    entries: Vec<Entry>,
    /// Where the torn entry starts, and the error that says how much of it is there.
    torn: Option<(usize, netorder::Error)>,
}

/// Reads the log back, exactly `record_size::<Entry>()` bytes at a time.
fn read_log(path: &Path) -> Result<LogContents, Box<dyn std::error::Error>> {
    let size = record_size::<Entry>()?;
    let mut file = BufReader::new(File::open(path)?);
    let mut record = vec![0u8; size];
    let mut entries = Vec::new();
    let torn = loop {
        match recv_exact(&mut file, &mut record) {
            Ok(true) => entries.push(from_bytes::<Entry>(&record)?),
            Ok(false) => break None, // the end, at a record boundary
            Err(e) if matches!(e.kind(), ErrorKind::Truncated { .. }) => {
                break Some((entries.len() * size, e));
            }
            Err(e) => return Err(e.into()), // an I/O error: not a torn entry
        }
    };
    Ok(LogContents { entries, torn })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let size = record_size::<Entry>()?;
    println!(
        "an entry is {size} bytes (struct format {})",
        Layout::of::<Entry>()?.struct_format()
    );

    let dir = std::env::temp_dir().join(format!("netorder-record-logger-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir); // left over from an interrupted run
    fs::create_dir_all(&dir)?;
    let path = dir.join("events.log");
    let result = run(&path, size);
    fs::remove_dir_all(&dir)?;
    result
}

fn run(path: &Path, size: usize) -> Result<(), Box<dyn std::error::Error>> {
    let t0 = 1_700_000_000_000u64;
    let first = [
        Entry::new(t0, 1, 100, "startup"),
        Entry::new(t0 + 5, 0, 200, "config loaded"),
        Entry::new(t0 + 17, 2, 301, "disk 91% full"),
    ];
    let second = [
        Entry::new(t0 + 1_000, 1, 110, "client connected"),
        Entry::new(t0 + 1_250, 4, 500, "a source longer than 24 bytes is cut"),
    ];
    append(path, &first)?;
    append(path, &second)?; // a second writer session appends after the first
    let len = fs::metadata(path)?.len() as usize;
    println!(
        "{} entries appended: the file is {len} bytes = {} x {size}",
        first.len() + second.len(),
        len / size
    );
    assert_eq!(len, 5 * size);

    // Random access needs no index: entry 3 starts at byte 3 * size.
    let bytes = fs::read(path)?;
    let third: Entry = from_bytes(&bytes[3 * size..4 * size])?;
    println!(
        "entry 3 at byte {}: {:?} {}",
        3 * size,
        third.source(),
        third.code
    );
    assert_eq!(third, second[0]);

    let LogContents { entries, torn } = read_log(path)?;
    assert_eq!(entries.len(), 5);
    assert!(torn.is_none());
    for e in &entries {
        println!(
            "  t={} level={} code={} {}",
            e.time_ms,
            e.level,
            e.code,
            e.source()
        );
    }

    // A writer dies mid-append: 10 of the 35 bytes of an entry reach the file.
    let mut torn_record = vec![0u8; size];
    to_slice(
        &Entry::new(t0 + 2_000, 3, 404, "never finished"),
        &mut torn_record,
    )?;
    OpenOptions::new()
        .append(true)
        .open(path)?
        .write_all(&torn_record[..10])?;

    let LogContents { entries, torn } = read_log(path)?;
    assert_eq!(
        entries,
        [&first[..], &second[..]].concat(),
        "the whole entries are all there"
    );
    let (offset, err) = torn.expect("the torn entry is reported");
    assert_eq!(offset, 5 * size);
    assert_eq!(
        err.kind(),
        &ErrorKind::Truncated {
            expected: size,
            received: 10
        }
    );
    println!("torn last entry at byte {offset}: {err}; not read as an entry");

    // The same bytes given to the record decoder directly: incomplete, not invalid.
    let err = from_bytes::<Entry>(&fs::read(path)?[offset..]).unwrap_err();
    assert!(err.is_incomplete());
    println!("from_bytes on those 10 bytes: {err}");
    println!("ok");
    Ok(())
}
