//! `netorder calcsize|pack|unpack|explain` (STUB)
use crate::{CliError, CliResult};

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
    /// Values; whitespace-separated on stdin when none are given.
    #[arg(allow_negative_numbers = true)]
    pub values: Vec<String>,
    /// Write hex instead of raw bytes.
    #[arg(long)]
    pub hex: bool,
}

/// Arguments of `netorder unpack`.
#[derive(clap::Args)]
pub struct UnpackArgs {
    /// A Python struct format string.
    pub format: String,
    /// Read hex instead of raw bytes.
    #[arg(long)]
    pub hex: bool,
}

/// Arguments of `netorder explain`.
#[derive(clap::Args)]
pub struct ExplainArgs {
    /// A Python struct format string.
    pub format: String,
    /// Read hex instead of raw bytes.
    #[arg(long)]
    pub hex: bool,
}

fn todo() -> CliResult {
    Err(CliError::Runtime("not yet implemented".into()))
}
pub fn calcsize(_a: CalcsizeArgs) -> CliResult { todo() }
pub fn pack(_a: PackArgs) -> CliResult { todo() }
pub fn unpack(_a: UnpackArgs) -> CliResult { todo() }
pub fn explain(_a: ExplainArgs) -> CliResult { todo() }

/// Formats one record's values as `unpack` prints them: fields separated by one space.
/// (Shared by `unpack` and `serve`.)
pub fn format_values(_values: &[netorder::Value]) -> String {
    todo!()
}

/// Parses one record's values from text tokens for `layout` (the forms `unpack` prints, and
/// plain text for byte strings). (Shared by `pack` and `send`.)
pub fn parse_values(_layout: &netorder::Layout, _tokens: &[&str]) -> CliResult<Vec<netorder::Value>> {
    todo()?;
    unreachable!()
}
