//! `netorder sizes [FILE]`: "ASCII or binary? Decisions, decisions", answered with numbers.
//!
//! Reads integers one per line (blank lines skipped, surrounding whitespace trimmed), in
//! `i64::MIN..=u64::MAX`, and prints the total bytes each integer encoding needs for the whole
//! list, and which one wins. The computation is [`compare`], which the demo reuses.
//!
//! Negative values use signed semantics: when the list holds any negative value every fixed
//! width is two's complement (so each value must fit the signed range of the width: a reader
//! cannot tell `255` from `-1` in one byte otherwise), varint writes the `i64` bit pattern as
//! protobuf's `int64` does (10 bytes for every negative), zigzag maps the `i64`, ASCII writes
//! a `-`, and fixed-width ASCII (unsigned) does not fit.

use crate::{CliError, CliResult};
use netorder::int::{ascii, ascii_fixed};
use netorder::{Endian, IntEncoding};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;

/// Arguments of `netorder sizes`.
#[derive(clap::Args)]
pub struct Args {
    /// File with one integer per line (default: stdin).
    pub file: Option<PathBuf>,
}

/// The total bytes one encoding needs for a whole list of values.
#[derive(Debug, Clone, PartialEq)]
pub struct SizeRow {
    /// What the encoding is, for people (`fixed 2 (u16)`, `varint (LEB128)`).
    pub name: String,
    /// Total bytes for the list, `None` when some value does not fit.
    pub total: Option<u64>,
    /// The first value that does not fit, when one does not.
    pub misfit: Option<i128>,
}

/// The byte counts of every encoding for one list of integers.
#[derive(Debug, Clone, PartialEq)]
pub struct SizeReport {
    /// How many values the list has.
    pub count: usize,
    /// Whether the list holds a negative value (fixed widths are then two's complement).
    pub signed: bool,
    /// One row per encoding, in a fixed order: fixed 1, 2, 4, 8; varint; zigzag; ASCII with a
    /// newline; ASCII fixed at the widest value.
    pub rows: Vec<SizeRow>,
}

impl SizeReport {
    /// The encoding with the fewest total bytes among those every value fits; on a tie the
    /// earlier row wins (the simpler encoding). `None` for an empty list.
    pub fn winner(&self) -> Option<&SizeRow> {
        if self.count == 0 {
            return None;
        }
        self.rows
            .iter()
            .filter(|r| r.total.is_some())
            .min_by_key(|r| r.total)
    }

    /// The table `netorder sizes` prints.
    pub fn render(&self) -> String {
        let mut s = format!(
            "{} value{}{}\n",
            self.count,
            if self.count == 1 { "" } else { "s" },
            if self.signed {
                " (with negatives: signed fixed widths)"
            } else {
                ""
            }
        );
        s += &format!(
            "{:<24} {:>12} {:>12}\n",
            "encoding", "total bytes", "bytes/value"
        );
        for row in &self.rows {
            match (row.total, row.misfit) {
                (Some(total), _) => {
                    let per = if self.count == 0 {
                        0.0
                    } else {
                        total as f64 / self.count as f64
                    };
                    s += &format!("{:<24} {:>12} {:>12.2}\n", row.name, total, per);
                }
                (None, Some(v)) => {
                    s += &format!("{:<24} {:>12}  ({v} does not fit)\n", row.name, "-")
                }
                (None, None) => s += &format!("{:<24} {:>12}\n", row.name, "-"),
            }
        }
        match self.winner() {
            Some(w) => {
                let total = w.total.unwrap_or(0);
                let unit = if total == 1 { "byte" } else { "bytes" };
                s += &format!("winner: {}, {total} {unit}\n", w.name)
            }
            None => s += "winner: none (no values)\n",
        }
        s
    }
}

fn row(name: String, values: &[i128], len: impl Fn(i128) -> Option<usize>) -> SizeRow {
    let mut total: u64 = 0;
    for &v in values {
        match len(v) {
            Some(n) => total = total.saturating_add(n as u64),
            None => {
                return SizeRow {
                    name,
                    total: None,
                    misfit: Some(v),
                };
            }
        }
    }
    SizeRow {
        name,
        total: Some(total),
        misfit: None,
    }
}

/// Counts the bytes every encoding needs for `values` (each in `i64::MIN..=u64::MAX`; a value
/// outside fits nothing).
pub fn compare(values: &[i128]) -> SizeReport {
    let signed = values.iter().any(|&v| v < 0);
    let as_u64 = |v: i128| u64::try_from(v).ok();
    let as_i64 = |v: i128| i64::try_from(v).ok();
    let mut rows = Vec::new();
    for width in [1u8, 2, 4, 8] {
        let bits = 8 * u32::from(width);
        let name = format!("fixed {width} ({}{bits})", if signed { 'i' } else { 'u' });
        let enc = IntEncoding::Fixed {
            width,
            endian: Endian::Big,
        };
        rows.push(row(name, values, |v| {
            if signed {
                let half = 1i128 << (bits - 1);
                (-half..half).contains(&v).then_some(usize::from(width))
            } else {
                enc.encoded_len(as_u64(v)?)
            }
        }));
    }
    rows.push(row("varint (LEB128)".into(), values, |v| match as_u64(v) {
        Some(u) => IntEncoding::Varint.encoded_len(u),
        // Protobuf's int64: the varint of the two's-complement bit pattern.
        None => IntEncoding::Varint.encoded_len(as_i64(v)? as u64),
    }));
    rows.push(row("zigzag varint".into(), values, |v| {
        IntEncoding::ZigZag.encoded_len(as_i64(v)? as u64)
    }));
    let newline = IntEncoding::Ascii { terminator: b'\n' };
    rows.push(row("ascii + newline".into(), values, |v| match as_u64(v) {
        Some(u) => newline.encoded_len(u),
        None => Some(ascii::encoded_len_i64(as_i64(v)?)),
    }));
    let widest = values
        .iter()
        .filter_map(|&v| as_u64(v))
        .map(ascii::digits)
        .max()
        .unwrap_or(1)
        .min(usize::from(ascii_fixed::MAX_WIDTH)) as u8;
    let fixed_ascii = IntEncoding::AsciiFixed { width: widest };
    rows.push(row(
        format!(
            "ascii fixed {widest} digit{}",
            if widest == 1 { "" } else { "s" }
        ),
        values,
        |v| fixed_ascii.encoded_len(as_u64(v)?),
    ));
    SizeReport {
        count: values.len(),
        signed,
        rows,
    }
}

/// Longest line accepted (an integer has at most 20 digits and a sign; the rest is slack for
/// surrounding whitespace).
const MAX_LINE: usize = 4096;

fn show(text: &str) -> String {
    if text.chars().count() > 40 {
        format!("{}...", text.chars().take(40).collect::<String>())
    } else {
        text.to_string()
    }
}

/// Reads one integer per line; blank lines are skipped, whitespace around a value trimmed.
fn read_values(input: impl Read) -> CliResult<Vec<i128>> {
    let mut reader = BufReader::new(input);
    let mut values = Vec::new();
    let mut line = Vec::new();
    for number in 1usize.. {
        line.clear();
        let n = (&mut reader)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut line)?;
        if n == 0 {
            break;
        }
        if line.len() > MAX_LINE {
            return Err(CliError::Runtime(format!(
                "line {number}: longer than {MAX_LINE} bytes"
            )));
        }
        let text = std::str::from_utf8(&line)
            .map_err(|_| CliError::Runtime(format!("line {number}: not UTF-8 text")))?
            .trim();
        if text.is_empty() {
            continue;
        }
        let value = match text.parse::<i128>() {
            Ok(v) => v,
            Err(e)
                if matches!(
                    e.kind(),
                    std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow
                ) =>
            {
                i128::MAX
            }
            Err(_) => {
                return Err(CliError::Runtime(format!(
                    "line {number}: `{}` is not an integer",
                    show(text)
                )));
            }
        };
        if !(i128::from(i64::MIN)..=i128::from(u64::MAX)).contains(&value) {
            return Err(CliError::Runtime(format!(
                "line {number}: `{}` is out of range ({}..={})",
                show(text),
                i64::MIN,
                u64::MAX
            )));
        }
        values.push(value);
    }
    Ok(values)
}

/// Names the input in an I/O error ("reading /tmp: Is a directory"); bad lines already say
/// their line number.
fn in_source(e: CliError, source: &str) -> CliError {
    match e {
        CliError::Runtime(m) if !m.starts_with("line ") => {
            CliError::Runtime(format!("reading {source}: {m}"))
        }
        other => other,
    }
}

/// Runs `netorder sizes`.
pub fn run(args: Args) -> CliResult {
    let values = match &args.file {
        Some(path) => {
            let file = std::fs::File::open(path)
                .map_err(|e| CliError::Runtime(format!("cannot open {}: {e}", path.display())))?;
            read_values(file).map_err(|e| in_source(e, &path.display().to_string()))?
        }
        None => read_values(std::io::stdin().lock()).map_err(|e| in_source(e, "stdin"))?,
    };
    let report = compare(&values);
    let mut out = std::io::stdout().lock();
    out.write_all(report.render().as_bytes())?;
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn total(r: &SizeReport, prefix: &str) -> Option<u64> {
        r.rows
            .iter()
            .find(|row| row.name.starts_with(prefix))
            .unwrap()
            .total
    }

    #[test]
    fn unsigned_list() {
        let r = compare(&[0, 1, 127, 128, 300, 65535]);
        assert!(!r.signed);
        assert_eq!(total(&r, "fixed 1"), None);
        assert_eq!(total(&r, "fixed 2"), Some(12));
        assert_eq!(total(&r, "fixed 8"), Some(48));
        assert_eq!(total(&r, "varint"), Some(1 + 1 + 1 + 2 + 2 + 3));
        assert_eq!(total(&r, "zigzag"), Some(1 + 1 + 2 + 2 + 2 + 3));
        assert_eq!(total(&r, "ascii +"), Some(2 + 2 + 4 + 4 + 4 + 6));
        assert_eq!(total(&r, "ascii fixed 5"), Some(30));
        assert_eq!(r.winner().unwrap().name, "varint (LEB128)");
    }

    #[test]
    fn signed_list_uses_twos_complement_and_protobuf_int64() {
        let r = compare(&[-1, 127, -128]);
        assert!(r.signed);
        assert_eq!(total(&r, "fixed 1 (i8)"), Some(3));
        assert_eq!(total(&r, "varint"), Some(10 + 1 + 10));
        assert_eq!(total(&r, "zigzag"), Some(1 + 2 + 2));
        assert_eq!(total(&r, "ascii +"), Some(3 + 4 + 5));
        assert_eq!(total(&r, "ascii fixed"), None);
        assert_eq!(r.winner().unwrap().name, "fixed 1 (i8)");
        let r = compare(&[-1, 128]);
        assert_eq!(total(&r, "fixed 1 (i8)"), None);
        assert_eq!(r.rows[0].misfit, Some(128));
    }

    #[test]
    fn extremes_and_empty() {
        let r = compare(&[i128::from(u64::MAX)]);
        assert_eq!(total(&r, "zigzag"), None);
        assert_eq!(total(&r, "fixed 8"), Some(8));
        assert_eq!(total(&r, "ascii fixed 20"), Some(20));
        let r = compare(&[]);
        assert_eq!(r.winner(), None);
        assert!(r.render().contains("winner: none"));
    }
}
