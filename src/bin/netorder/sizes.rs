//! `netorder sizes [FILE]` (STUB)
use crate::CliResult;

/// Arguments of `netorder sizes`.
#[derive(clap::Args)]
pub struct Args {
    /// File with one integer per line (default: stdin).
    pub file: Option<std::path::PathBuf>,
}

pub fn run(_args: Args) -> CliResult {
    Err(crate::CliError::Runtime("sizes: not yet implemented".into()))
}
