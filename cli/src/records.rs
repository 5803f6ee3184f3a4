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
    /// A Python struct format string, or netorder's extension of it (named fields, bit
    /// groups: see 'netorder diagram --help').
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
    /// A Python struct format string, or netorder's extension of it (named fields, bit
    /// groups: see 'netorder diagram --help').
    pub format: String,
    /// Read hex instead of raw bytes (whitespace and `0x` prefixes ignored).
    #[arg(long)]
    pub hex: bool,
}

/// Arguments of `netorder explain`.
#[derive(clap::Args)]
pub struct ExplainArgs {
    /// A Python struct format string, or netorder's extension of it (named fields, bit
    /// groups: see 'netorder diagram --help').
    pub format: String,
    /// Read hex instead of raw bytes (whitespace and `0x` prefixes ignored).
    #[arg(long)]
    pub hex: bool,
}

/// Arguments of `netorder diagram`.
#[derive(clap::Args)]
pub struct DiagramArgs {
    /// A Python struct format string, or netorder's extension (named fields, bit groups):
    /// '!{version:4 ihl:4} tos:B length:H'.
    pub format: String,
}

/// `netorder diagram FMT`: the RFC-style box diagram of the layout.
pub fn diagram(a: DiagramArgs) -> CliResult {
    let layout = layout(&a.format)?;
    write_result(io::stdout().lock().write_all(layout.diagram().as_bytes()))
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
    #[inline(always)]
    fn is_space(b: u8) -> bool {
        (b == b' ') | (b.wrapping_sub(b'\t') <= b'\r' - b'\t')
    }

    /// How many words there are: the bytes that start one (not a space, and first or after a
    /// space), counted in a branch-free pass over byte pairs that the compiler vectorizes.
    fn count_words(&self) -> usize {
        let bytes = self.0.as_bytes();
        let Some(&first) = bytes.first() else {
            return 0;
        };
        let (before, after) = (&bytes[..bytes.len() - 1], &bytes[1..]);
        let mut starts = usize::from(!Self::is_space(first));
        // Byte-wide sums over at most 255 pairs, so that they vectorize without overflow.
        for at in (0..before.len()).step_by(255) {
            let end = before.len().min(at + 255);
            let sum = before[at..end]
                .iter()
                .zip(&after[at..end])
                .fold(0u8, |n, (&a, &b)| {
                    n + u8::from(Self::is_space(a) & !Self::is_space(b))
                });
            starts += usize::from(sum);
        }
        starts
    }
}

impl<'a> Iterator for AsciiWords<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.0.as_bytes();
        let start = find(bytes, 0, false)?;
        let end = find(bytes, start, true).unwrap_or(bytes.len());
        // ASCII text (checked by the caller): every byte index is a char boundary.
        let word = &self.0[start..end];
        self.0 = &self.0[end..];
        Some(word)
    }
}

/// Bit 7 of each byte of `w` (8 ASCII bytes) set where the byte is a space as
/// [`AsciiWords::is_space`] says: `0x20`, or `0x09..=0x0D`. ASCII bytes are below `0x80`, so
/// none of the byte-wise sums below carries into the next byte.
#[inline(always)]
fn space_mask(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // `t` is zero exactly where the byte is 0x20; adding 0x7F sets bit 7 where it is not.
    let blank = !((w ^ (0x20 * ONES)) + 0x7F * ONES);
    // Bit 7 of `b + 0x77` is set where b >= 9, of `b + 0x72` where b >= 14.
    let control = (w + 0x77 * ONES) & !(w + 0x72 * ONES);
    (blank | control) & HIGH
}

/// The first index at or after `from` whose byte is a space (`space`) or not one (`!space`),
/// eight bytes at a time while eight are left.
#[inline(always)]
fn find(bytes: &[u8], from: usize, space: bool) -> Option<usize> {
    let mut at = from;
    while let Some(chunk) = bytes.get(at..).and_then(<[u8]>::first_chunk::<8>) {
        let spaces = space_mask(u64::from_le_bytes(*chunk));
        let hits = if space {
            spaces
        } else {
            !spaces & 0x8080_8080_8080_8080
        };
        if hits != 0 {
            return Some(at + (hits.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    (at..bytes.len()).find(|&i| AsciiWords::is_space(bytes[i]) == space)
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
                "record {record}: {e} ({count} value{} not a multiple of {n})",
                if count == 1 { " is" } else { "s are" }
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

/// The whole records of `layout` in `input`, and the error for bytes that do not fill the
/// last one (naming the expected and received counts): the caller prints the whole records
/// first, then fails with it.
fn records<'a>(
    layout: &Layout,
    input: &'a [u8],
) -> CliResult<(std::slice::ChunksExact<'a, u8>, Option<CliError>)> {
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
        return Ok(([].chunks_exact(1), None));
    }
    let whole = input.len() / size;
    let rest = input.len() % size;
    let tail = (rest != 0).then(|| {
        let e = Error::new(ErrorKind::Truncated {
            expected: size,
            received: rest,
        });
        CliError::Runtime(format!("record {}: {e}", whole + 1))
    });
    Ok((input.chunks_exact(size), tail))
}

/// `netorder unpack FMT`: bytes on stdin, one line of values per record.
pub fn unpack(a: UnpackArgs) -> CliResult {
    let layout = layout(&a.format)?;
    let input = read_input(a.hex)?;
    let (chunks, tail) = records(&layout, &input)?;
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
    write_result(out.flush())?;
    tail.map_or(Ok(()), Err)
}

/// `netorder explain FMT`: bytes on stdin, an annotated hexdump (one line per field; a
/// header line before each record when there are several).
pub fn explain(a: ExplainArgs) -> CliResult {
    let layout = layout(&a.format)?;
    let input = read_input(a.hex)?;
    let (chunks, tail) = records(&layout, &input)?;
    let count = chunks.len() + usize::from(tail.is_some());
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
    write_result(out.write_all(text.as_bytes()).and_then(|()| out.flush()))?;
    tail.map_or(Ok(()), Err)
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

#[cfg(test)]
mod tests {
    use super::AsciiWords;

    /// The byte splitter and its word count agree with `split_whitespace` on ASCII text full
    /// of spaces, every control byte and runs longer than eight bytes.
    #[test]
    fn ascii_words_match_split_whitespace() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for round in 0..20_000 {
            let len = (next() % 40) as usize;
            let text: String = (0..len)
                .map(|_| {
                    let r = next();
                    match r % 4 {
                        0 => b" \t\n\x0b\x0c\r"[(r >> 8) as usize % 6],
                        1 => (r >> 8) as u8 % 0x80, // any ASCII byte, controls included
                        _ => b'a' + (r >> 8) as u8 % 26,
                    }
                })
                .map(char::from)
                .collect();
            let expected: Vec<&str> = text.split_whitespace().collect();
            let words = AsciiWords(&text);
            assert_eq!(
                words.count_words(),
                expected.len(),
                "round {round}: {text:?}"
            );
            assert_eq!(
                words.collect::<Vec<_>>(),
                expected,
                "round {round}: {text:?}"
            );
        }
        // Every ASCII byte alone, then inside a long word.
        for b in 0u8..0x80 {
            let alone = char::from(b).to_string();
            let long = format!("abcdefghij{alone}klmnopqrstuvwxyz");
            for text in [alone, long] {
                let expected: Vec<&str> = text.split_whitespace().collect();
                let words = AsciiWords(&text);
                assert_eq!(words.count_words(), expected.len(), "{text:?}");
                assert_eq!(words.collect::<Vec<_>>(), expected, "{text:?}");
            }
        }
    }
}
