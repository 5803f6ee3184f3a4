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
    if !values.is_empty() {
        return pack_tokens(&layout, values.len(), values.into_iter(), hex);
    }
    io::stdin().lock().read_to_string(&mut stdin_text)?;
    // Pure ASCII (the usual case) is split by bytes; anything else by `split_whitespace`,
    // whose Unicode whitespace the byte splitter would not see. Both count first: a count
    // that is not a multiple of the fields is refused before anything is written, without
    // keeping a slice per token.
    if stdin_text.is_ascii() {
        let words = AsciiWords(&stdin_text);
        pack_tokens(&layout, words.count_words(), words, hex)
    } else {
        let words = || stdin_text.split_whitespace();
        pack_tokens(&layout, words().count(), words(), hex)
    }
}

/// The words of ASCII text, split at the ASCII characters `char::is_whitespace` accepts
/// (space, `\t`, `\n`, vertical tab, form feed, `\r`): `str::split_whitespace` for ASCII,
/// without decoding UTF-8.
struct AsciiWords<'a>(&'a str);

impl AsciiWords<'_> {
    fn is_space(b: u8) -> bool {
        b == b' ' || (b'\t'..=b'\r').contains(&b)
    }

    /// How many words there are (a byte count of word starts, no slicing).
    fn count_words(&self) -> usize {
        let mut after_space = true;
        let mut count = 0;
        for &b in self.0.as_bytes() {
            let space = Self::is_space(b);
            count += usize::from(after_space && !space);
            after_space = space;
        }
        count
    }
}

impl<'a> Iterator for AsciiWords<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.0.as_bytes();
        let start = bytes.iter().position(|&b| !Self::is_space(b))?;
        let len = bytes[start..]
            .iter()
            .position(|&b| Self::is_space(b))
            .unwrap_or(bytes.len() - start);
        // ASCII text (checked by the caller): every byte index is a char boundary.
        let (word, rest) = self.0[start..].split_at(len);
        self.0 = rest;
        Some(word)
    }
}

/// Packs `count` tokens (whole records of `layout`) to stdout.
fn pack_tokens<'a>(
    layout: &Layout,
    count: usize,
    mut tokens: impl Iterator<Item = &'a str>,
    hex: bool,
) -> CliResult {
    let per_record = layout.value_count();
    let records = match per_record {
        // A format without values (`4x`) packs one record, from no values.
        0 if count == 0 => 1,
        0 => {
            return Err(CliError::Runtime(
                Error::new(ErrorKind::ValueCount {
                    expected: 0,
                    received: count,
                })
                .to_string(),
            ));
        }
        n if count % n != 0 => {
            // Refused before anything is written.
            let e = Error::new(ErrorKind::ValueCount {
                expected: n,
                received: count % n,
            });
            let record = count / n + 1;
            return Err(CliError::Runtime(format!(
                "record {record}: {e} ({count} values are not a multiple of {n})"
            )));
        }
        n => count / n,
    };
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut chunk: Vec<&str> = Vec::with_capacity(per_record);
    let mut values = Vec::with_capacity(per_record);
    let mut bytes = Vec::with_capacity(layout.size().min(Layout::MAX_PACKED_SIZE));
    let mut hex_line = Vec::new();
    for index in 0..records {
        chunk.clear();
        chunk.extend(tokens.by_ref().take(per_record));
        values.clear();
        bytes.clear();
        layout
            .values_from_text_into(&chunk, &mut values)
            .and_then(|()| layout.pack_into(&values, &mut bytes))
            .map_err(|e| in_record(e, index + 1, records))?;
        let written = if hex {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            hex_line.clear();
            for b in &bytes {
                hex_line.extend([HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xF)]]);
            }
            hex_line.push(b'\n');
            out.write_all(&hex_line)
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
    /// The whole line as one `Display`: one formatting call per record, not one per value.
    struct Line<'a>(&'a [Value]);
    impl std::fmt::Display for Line<'_> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            for (i, v) in self.0.iter().enumerate() {
                if i > 0 {
                    f.write_str(" ")?;
                }
                std::fmt::Display::fmt(v, f)?;
            }
            Ok(())
        }
    }
    write!(out, "{}", Line(values))
}
