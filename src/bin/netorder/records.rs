//! `netorder calcsize|pack|unpack|explain`: Python `struct` formats on the command line, and the
//! value text forms shared with `serve` and `send`.

use crate::{CliError, CliResult};
use netorder::{Error, ErrorKind, Layout, Value};
use std::io::{self, BufWriter, Read, Write};

/// Arguments of `netorder calcsize`.
#[derive(clap::Args)]
pub struct CalcsizeArgs {
    /// A Python struct format string, e.g. '!HIQd?4s'.
    pub format: String,
}

/// Arguments of `netorder pack`.
#[derive(clap::Args)]
pub struct PackArgs {
    /// A Python struct format string.
    pub format: String,
    /// Values; whitespace-separated on stdin when none are given. Several records when their
    /// count is a multiple of the fields. Anything after the format is a value (-7, -1e-05,
    /// -inf, -text), except flags: --hex may come anywhere, and any other --word is refused
    /// as an unknown flag (give such a value on stdin).
    #[arg(allow_hyphen_values = true)]
    pub values: Vec<String>,
    /// Write hex (one line per record) instead of raw bytes.
    #[arg(long)]
    pub hex: bool,
}

/// Arguments of `netorder unpack`.
#[derive(clap::Args)]
pub struct UnpackArgs {
    /// A Python struct format string.
    pub format: String,
    /// Read hex instead of raw bytes (whitespace and `0x` prefixes ignored).
    #[arg(long)]
    pub hex: bool,
}

/// Arguments of `netorder explain`.
#[derive(clap::Args)]
pub struct ExplainArgs {
    /// A Python struct format string.
    pub format: String,
    /// Read hex instead of raw bytes (whitespace and `0x` prefixes ignored).
    #[arg(long)]
    pub hex: bool,
}

/// A format string, or a usage error (exit 2) naming it.
fn layout(format: &str) -> CliResult<Layout> {
    Layout::parse(format).map_err(|e| CliError::Usage(format!("format {format:?}: {e}")))
}

/// A write error: a closed stdout (`| head`) ends the command quietly, anything else is a
/// runtime error.
fn write_result(result: io::Result<()>) -> CliResult {
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(CliError::from),
    }
}

/// An error in record `index` (1-based), naming the record only when there are several.
fn in_record(e: Error, index: usize, records: usize) -> CliError {
    if records > 1 {
        CliError::Runtime(format!("record {index}: {e}"))
    } else {
        CliError::Runtime(e.to_string())
    }
}

/// `netorder calcsize FMT`: the size, as `struct.calcsize` prints it.
pub fn calcsize(a: CalcsizeArgs) -> CliResult {
    let layout = layout(&a.format)?;
    write_result(writeln!(io::stdout().lock(), "{}", layout.size()))
}

/// `netorder pack FMT [VALUE...]`: one or more records from the values (arguments, or
/// whitespace-separated on stdin), raw bytes or `--hex` lines on stdout.
pub fn pack(a: PackArgs) -> CliResult {
    let layout = layout(&a.format)?;
    let mut stdin_text = String::new();
    // With hyphen values allowed, a `--hex` after the first value arrives as a value.
    let hex = a.hex || a.values.iter().any(|v| v == "--hex");
    // Any other `--word` is a mistyped flag, not a value: say so (exit 2) rather than pack it.
    if let Some(flag) = a.values.iter().find(|v| {
        v.len() > 2 && v.starts_with("--") && v.as_bytes()[2].is_ascii_alphabetic() && *v != "--hex"
    }) {
        return Err(CliError::Usage(format!(
            "unexpected argument '{flag}' (a value that starts with '--' can be given on stdin)"
        )));
    }
    let values: Vec<&str> = a
        .values
        .iter()
        .map(String::as_str)
        .filter(|v| *v != "--hex")
        .collect();
    let tokens: Vec<&str> = if values.is_empty() {
        io::stdin().lock().read_to_string(&mut stdin_text)?;
        stdin_text.split_whitespace().collect()
    } else {
        values
    };
    let per_record = layout.value_count();
    let records = match per_record {
        // A format without values (`4x`) packs one record, from no values.
        0 if tokens.is_empty() => 1,
        0 => {
            return Err(CliError::Runtime(
                Error::new(ErrorKind::ValueCount {
                    expected: 0,
                    received: tokens.len(),
                })
                .to_string(),
            ));
        }
        n if tokens.len() % n != 0 => {
            // Refused before anything is written.
            let e = Error::new(ErrorKind::ValueCount {
                expected: n,
                received: tokens.len() % n,
            });
            let record = tokens.len() / n + 1;
            return Err(CliError::Runtime(format!(
                "record {record}: {e} ({} values are not a multiple of {n})",
                tokens.len()
            )));
        }
        n => tokens.len() / n,
    };
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut values = Vec::with_capacity(per_record);
    let mut bytes = Vec::with_capacity(layout.size().min(Layout::MAX_PACKED_SIZE));
    let mut hex_line = String::new();
    for index in 0..records {
        let chunk = &tokens[index * per_record..(index + 1) * per_record];
        values.clear();
        bytes.clear();
        layout
            .values_from_text_into(chunk, &mut values)
            .and_then(|()| layout.pack_into(&values, &mut bytes))
            .map_err(|e| in_record(e, index + 1, records))?;
        let written = if hex {
            hex_line.clear();
            for b in &bytes {
                use std::fmt::Write as _;
                let _ = write!(hex_line, "{b:02x}");
            }
            hex_line.push('\n');
            out.write_all(hex_line.as_bytes())
        } else {
            out.write_all(&bytes)
        };
        write_result(written)?;
    }
    write_result(out.flush())
}

/// Reads all of stdin: raw bytes, or hex digits (`--hex`) with whitespace and `0x` prefixes
/// ignored.
fn read_input(hex: bool) -> CliResult<Vec<u8>> {
    let mut raw = Vec::new();
    io::stdin().lock().read_to_end(&mut raw)?;
    if !hex {
        return Ok(raw);
    }
    let mut bytes = Vec::with_capacity(raw.len() / 2);
    let mut high: Option<u8> = None;
    let mut i = 0;
    while i < raw.len() {
        let c = raw[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        // `0x` at the start of a token.
        let token_start = i == 0 || raw[i - 1].is_ascii_whitespace();
        if token_start && c == b'0' && matches!(raw.get(i + 1), Some(b'x' | b'X')) && high.is_none()
        {
            i += 2;
            continue;
        }
        let nibble = (c as char).to_digit(16).ok_or_else(|| {
            CliError::Runtime(format!("invalid hex input: {:?} at byte {i}", c as char))
        })? as u8;
        match high.take() {
            None => high = Some(nibble),
            Some(h) => bytes.push(h << 4 | nibble),
        }
        i += 1;
    }
    if high.is_some() {
        return Err(CliError::Runtime(
            "invalid hex input: an odd number of hex digits".into(),
        ));
    }
    Ok(bytes)
}

/// Splits `input` into whole records of `layout`, or the error for bytes that do not fill the
/// last one (naming the expected and received counts).
fn records<'a>(layout: &Layout, input: &'a [u8]) -> CliResult<std::slice::ChunksExact<'a, u8>> {
    let size = layout.size();
    if size == 0 {
        if !input.is_empty() {
            let e = Error::new(ErrorKind::TrailingBytes {
                offset: 0,
                remaining: input.len(),
            });
            return Err(CliError::Runtime(format!("a record of 0 bytes: {e}")));
        }
        // One empty record. (chunks_exact needs a nonzero size; the caller special-cases 0.)
        return Ok([].chunks_exact(1));
    }
    let whole = input.len() / size;
    let rest = input.len() % size;
    if rest != 0 {
        let e = Error::new(ErrorKind::Truncated {
            expected: size,
            received: rest,
        });
        return Err(CliError::Runtime(format!("record {}: {e}", whole + 1)));
    }
    Ok(input.chunks_exact(size))
}

/// `netorder unpack FMT`: bytes on stdin, one line of values per record.
pub fn unpack(a: UnpackArgs) -> CliResult {
    let layout = layout(&a.format)?;
    let input = read_input(a.hex)?;
    let chunks = records(&layout, &input)?;
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut values = Vec::with_capacity(layout.value_count());
    let mut line = |record: &[u8], out: &mut BufWriter<io::StdoutLock<'_>>| -> CliResult {
        values.clear();
        layout.unpack_into(record, &mut values)?;
        write_result(write_values(out, &values).and_then(|()| out.write_all(b"\n")))
    };
    if layout.size() == 0 {
        line(&[], &mut out)?;
    }
    for record in chunks {
        line(record, &mut out)?;
    }
    write_result(out.flush())
}

/// `netorder explain FMT`: bytes on stdin, an annotated hexdump (one line per field; a
/// header line before each record when there are several).
pub fn explain(a: ExplainArgs) -> CliResult {
    let layout = layout(&a.format)?;
    let input = read_input(a.hex)?;
    let chunks = records(&layout, &input)?;
    let count = chunks.len();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut text = String::new();
    if layout.size() == 0 {
        layout.explain_at(&[], 0, &mut text)?;
    }
    for (index, record) in chunks.enumerate() {
        let base = index * layout.size();
        if count > 1 {
            use std::fmt::Write as _;
            let _ = writeln!(
                text,
                "record {} (bytes {}..{})",
                index + 1,
                base,
                base + record.len()
            );
        }
        layout.explain_at(record, base, &mut text)?;
        write_result(out.write_all(text.as_bytes()))?;
        text.clear();
    }
    write_result(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

/// Writes one record's values as `unpack` prints them: fields separated by one space.
pub fn write_values(out: &mut impl Write, values: &[Value]) -> io::Result<()> {
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.write_all(b" ")?;
        }
        write!(out, "{v}")?;
    }
    Ok(())
}
