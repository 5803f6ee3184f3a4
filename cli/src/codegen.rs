//! `netorder gen c|python FMT`: a C header or a Python module for a record, on stdout.

use crate::{CliError, CliResult};
use netorder::Layout;
use std::io::{self, Write};

/// The language to generate.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum Lang {
    /// A self-contained C11 header.
    C,
    /// A Python 3.11 module (standard library only).
    Python,
}

/// Arguments of `netorder gen`.
#[derive(clap::Args)]
pub struct Args {
    /// c | python
    #[arg(value_name = "LANG")]
    pub lang: Lang,
    /// A struct format with standard sizes ('!', '>', '<' or '='), or netorder's extension
    /// of it (named fields, bit groups: see 'netorder diagram --help').
    pub format: String,
    /// The record's name: a letter, then letters, digits and '_' (the names below are made
    /// from it).
    #[arg(long, default_value = "record")]
    pub name: String,
}

/// What `netorder gen --help` shows after the options.
pub const EXAMPLES: &str = "\
Names, for --name ipv4 (the default name is record: record_t, Record...):
  C       IPV4_SIZE, ipv4_t (struct ipv4: one member per field), ipv4_encode(rec, out,
          out_len, err) and ipv4_decode(rec, in, in_len, err) returning NETORDER_OK or a
          NETORDER_ERR_ code with err->offset, err->index and err->field, IPV4_OFFSET_<MEMBER>,
          IPV4_<MEMBER>_<VARIANT> for enums, IPV4_FIELDS(X); the shared netorder_* helpers.
  Python  SIZE, FORMAT, FIELDS, pack(*values) -> bytes, unpack(data) -> tuple, the dataclass
          Ipv4 (.to_bytes(), Ipv4.from_bytes(data)), Error (a ValueError with .reason,
          .field, .index, .offset).
Unnamed fields are f0, f1... (by value index). Both decoders are strict (exact length, bools 0
or 1, enum values, zero padding); both encoders refuse what 'netorder pack' refuses. Native
formats ('@' or no prefix) are refused: their layout is the machine's.

Examples:
  $ netorder gen c '!{version:4 ihl:4} ttl:B checksum:H' --name ipv4 | grep -e '^#define IPV4_[SO]' -e '^typedef struct ipv4' -e '^static inline int ipv4'
  #define IPV4_SIZE 4
  #define IPV4_OFFSET_VERSION 0
  #define IPV4_OFFSET_IHL 0
  #define IPV4_OFFSET_TTL 1
  #define IPV4_OFFSET_CHECKSUM 2
  typedef struct ipv4 {
  static inline int ipv4_encode(const ipv4_t *rec, uint8_t *out, size_t out_len,
  static inline int ipv4_decode(ipv4_t *rec, const uint8_t *in, size_t in_len,
  $ netorder gen python '!{version:4 ihl:4} ttl:B checksum:H' --name ipv4 | grep -e '^[A-Z]* =' -e '^def [a-z]' -e '^class [A-Z]'
  SIZE = 4
  FORMAT = '!{version:4 ihl:4} ttl:B checksum:H'
  FIELDS = ('version', 'ihl', 'ttl', 'checksum')
  class Error(ValueError):
  def pack(*values):
  def unpack(data):
  class Ipv4:
  $ netorder gen c '!HI' --name pair > pair.h && gcc -std=c11 -Wall -Wextra -Werror -c -x c pair.h
  $ netorder gen python 'HI'
  netorder: cannot generate Python for format \"HI\": not supported: native formats ('@' or no prefix: the machine's sizes and alignment); use '!', '>', '<' or '='
  Try 'netorder --help' for more information.";

/// `netorder gen LANG FMT`: the source on stdout.
pub fn run(a: Args) -> CliResult {
    let layout = Layout::parse(&a.format)
        .map_err(|e| CliError::Usage(format!("format {:?}: {e}", a.format)))?;
    let source = match a.lang {
        Lang::C => layout.gen_c(&a.name),
        Lang::Python => layout.gen_python(&a.name),
    }
    .map_err(|e| {
        let lang = match a.lang {
            Lang::C => "C",
            Lang::Python => "Python",
        };
        CliError::Usage(format!(
            "cannot generate {lang} for format {:?}: {e}",
            a.format
        ))
    })?;
    match io::stdout().lock().write_all(source.as_bytes()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}
