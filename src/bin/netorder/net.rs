//! `netorder serve|send` and the demo (STUB)
use crate::{CliError, CliResult};

/// Arguments of `netorder serve`.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on, e.g. 127.0.0.1:0.
    #[arg(long)]
    pub listen: String,
    /// A Python struct format string for each record.
    #[arg(long)]
    pub format: String,
    /// fixed | u16 | u32 | varint
    #[arg(long, default_value = "fixed")]
    pub framing: String,
    /// Send every record back to its sender.
    #[arg(long)]
    pub echo: bool,
}

/// Arguments of `netorder send`.
#[derive(clap::Args)]
pub struct SendArgs {
    /// Address of the server, e.g. 127.0.0.1:9000.
    pub addr: String,
    /// A Python struct format string for each record.
    #[arg(long)]
    pub format: String,
    /// fixed | u16 | u32 | varint
    #[arg(long, default_value = "fixed")]
    pub framing: String,
    /// Wait for each record's echo and print it.
    #[arg(long)]
    pub echo: bool,
}

pub fn serve(_a: ServeArgs) -> CliResult {
    Err(CliError::Runtime("not yet implemented".into()))
}
pub fn send(_a: SendArgs) -> CliResult {
    Err(CliError::Runtime("not yet implemented".into()))
}
pub fn demo() -> CliResult {
    Err(CliError::Runtime("not yet implemented".into()))
}
