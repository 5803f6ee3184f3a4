//! A record as text: the annotated hexdump of `netorder explain`, and values parsed from the
//! command line's words (the inverse of [`Value`]'s `Display`).

use super::parse::Kind;
use super::{Layout, Value, bits, pack};
use crate::error::{Error, ErrorKind, Result};
use crate::order::Endian;
use crate::prelude::*;
use core::fmt::Write as _;

impl Layout {
    /// An annotated hexdump of one record: one line per field (padding included) with its
    /// offset, its bytes in hex, its index and code (and path), and its value as
    /// [`Value`]'s `Display` writes it. Fails like [`Layout::unpack`] on the wrong byte count.
    ///
    /// ```
    /// use netorder::{ErrorKind, Layout};
    ///
    /// let layout = Layout::parse("!Hxf")?;
    /// let text = layout.explain(&[0, 7, 0, 0x40, 0x49, 0x0e, 0x56])?;
    /// assert_eq!(text.lines().collect::<Vec<_>>(), [
    ///     "     0  00 07        field 0 'H'  7",
    ///     "     2  00           pad 'x'",
    ///     "     3  40 49 0e 56  field 1 'f'  3.1414999961853027",
    /// ]);
    /// assert!(matches!(layout.explain(&[0]).unwrap_err().kind(), ErrorKind::Incomplete { .. }));
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn explain(&self, bytes: &[u8]) -> Result<String> {
        let mut out = String::new();
        self.explain_at(bytes, 0, &mut out)?;
        Ok(out)
    }

    /// Like [`Layout::explain`], appending to `out` and adding `base` to every offset shown
    /// (for the n-th record of a stream).
    ///
    /// ```
    /// use netorder::Layout;
    /// let mut out = String::new();
    /// Layout::parse("!B")?.explain_at(&[9], 4, &mut out)?;
    /// assert_eq!(out, "     4  09  field 0 'B'  9\n");
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn explain_at(&self, bytes: &[u8], base: usize, out: &mut String) -> Result<()> {
        self.check_len(bytes)?;
        let big = self.endian == Endian::Big;
        // (offset, size, label, value) for every line, then align the columns.
        let mut lines: Vec<(usize, usize, String, Option<Value>)> = Vec::new();
        for item in &self.items {
            if let Some(spec) = &item.bits {
                let group = &bytes[item.offset..item.offset + item.size];
                let first = (spec.start / 8) as usize;
                let last = ((spec.start + spec.width - 1) / 8) as usize;
                let range = format!("bits {}-{}", spec.start, spec.start + spec.width - 1);
                let value = bits::unpack(item.kind, spec, group, item.offset)
                    .map_err(|e| e.with_field(self.label(item, item.first_value)))?;
                let label = match (&value, &item.name) {
                    (None, _) => format!("pad {range}"),
                    (Some(_), Some(name)) => format!("field {} {range} {name}", item.first_value),
                    (Some(_), None) => format!("field {} {range}", item.first_value),
                };
                lines.push((item.offset + first, last - first + 1, label, value));
                continue;
            }
            if item.kind == Kind::Pad {
                lines.push((item.offset, item.count, "pad 'x'".to_owned(), None));
                continue;
            }
            let size = item.size;
            for k in 0..item.value_count() {
                let at = item.offset + k * size;
                let value = pack::unpack_value(item.kind, big, &bytes[at..at + size]);
                let label = match &item.name {
                    Some(name) => format!(
                        "field {} '{}' {}",
                        item.first_value + k,
                        item.code as char,
                        name
                    ),
                    None => format!("field {} '{}'", item.first_value + k, item.code as char),
                };
                lines.push((at, size, label, Some(value)));
            }
        }
        let hex_width = lines
            .iter()
            .map(|l| (l.1 * 3).saturating_sub(1))
            .max()
            .unwrap_or(0);
        let label_width = lines.iter().map(|l| l.2.len()).max().unwrap_or(0);
        for (offset, size, label, value) in &lines {
            let _ = write!(out, "{:>6}  ", base.saturating_add(*offset));
            let mut hex_len = 0;
            for (i, b) in bytes[*offset..*offset + *size].iter().enumerate() {
                let _ = write!(out, "{}{b:02x}", if i == 0 { "" } else { " " });
                hex_len += if i == 0 { 2 } else { 3 };
            }
            let _ = write!(out, "{:pad$}  ", "", pad = hex_width - hex_len);
            match value {
                Some(v) => {
                    let _ = writeln!(out, "{label:<label_width$}  {v}");
                }
                None => {
                    out.push_str(label);
                    out.push('\n');
                }
            }
        }
        Ok(())
    }

    /// Values from their text forms (as [`Value`]'s `Display` writes them), one token per
    /// field: integers in decimal, `true`/`false`, floats (`1.5`, `1e-05`, `inf`, `nan`), byte
    /// strings as `0x` and hex or, for `c s p` fields, as plain text. A token is read by its
    /// form, so `1.5` for an integer field is a float (and [`Layout::pack`] refuses it, as
    /// Python does).
    ///
    /// ```
    /// use netorder::{ErrorKind, Layout, Value};
    ///
    /// let layout = Layout::parse("!h?d4s")?;
    /// let values = layout.values_from_text(&["-7", "true", "1e-05", "ab"])?;
    /// assert_eq!(values, [
    ///     Value::Int(-7), Value::Bool(true), Value::Float(1e-5), Value::Bytes(b"ab".to_vec()),
    /// ]);
    /// let err = layout.values_from_text(&["x", "true", "1", "ab"]).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::TypeMismatch { .. }));
    /// assert_eq!(err.field(), Some("0 ('h')"));
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn values_from_text<S: AsRef<str>>(&self, tokens: &[S]) -> Result<Vec<Value>> {
        let mut out = Vec::with_capacity(tokens.len().min(self.values));
        self.values_from_text_into(tokens, &mut out)?;
        Ok(out)
    }

    /// Like [`Layout::values_from_text`], appending to `out` (left as it was on error).
    ///
    /// ```
    /// use netorder::{ErrorKind, Layout, Value};
    /// let layout = Layout::parse("!c")?;
    /// let mut values = Vec::new();
    /// layout.values_from_text_into(&["0x41"], &mut values)?;
    /// assert_eq!(values, [Value::Bytes(b"A".to_vec())]);
    /// let err = layout.values_from_text_into(&["a", "b"], &mut values).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::ValueCount { expected: 1, received: 2 });
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn values_from_text_into<S: AsRef<str>>(
        &self,
        tokens: &[S],
        out: &mut Vec<Value>,
    ) -> Result<()> {
        if tokens.len() != self.values {
            return Err(Error::new(ErrorKind::ValueCount {
                expected: self.values,
                received: tokens.len(),
            }));
        }
        let start = out.len();
        for item in &self.items {
            for k in 0..item.value_count() {
                let index = item.first_value + k;
                let code = match (&item.bits, item.code) {
                    (Some(_), b'u') => 'Q',
                    (_, code) => code as char,
                };
                match Value::from_text(tokens[index].as_ref(), code) {
                    Ok(v) => out.push(v),
                    Err(e) => {
                        out.truncate(start);
                        return Err(e.with_field(self.label(item, index)));
                    }
                }
            }
        }
        Ok(())
    }
}
