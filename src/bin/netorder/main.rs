//! `netorder`: the command-line tool, a thin shell over the library.
//!
//! Exit status: 0 on success, 1 on a runtime error (bad bytes, a value out of range, a broken
//! peer), 2 on a usage error (unknown command or flag, a bad format string). Every error is one
//! line on stderr.

mod net;
mod records;
mod sizes;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Put data on the wire and take it off again, exactly.
///
/// With no command, runs the demo: a loopback server and client exchanging records in each
/// framing and encoding.
#[derive(Parser)]
#[command(name = "netorder", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Bytes each integer encoding needs for a list of integers, and which one wins.
    Sizes(sizes::Args),
    /// The size of a Python struct format, as struct.calcsize prints it.
    Calcsize(records::CalcsizeArgs),
    /// Values (arguments, or whitespace-separated on stdin) to packed bytes on stdout.
    Pack(records::PackArgs),
    /// Packed bytes on stdin to one line of values per record.
    Unpack(records::UnpackArgs),
    /// Packed bytes on stdin to an annotated hexdump, one line per field.
    Explain(records::ExplainArgs),
    /// Listen for records and print each one as it arrives.
    Serve(net::ServeArgs),
    /// Send records (lines of values on stdin) to a server.
    Send(net::SendArgs),
}

/// An error the CLI reports: one line on stderr, and an exit status.
#[derive(Debug)]
pub enum CliError {
    /// Bad invocation (unknown flag, bad format string): exit 2.
    Usage(String),
    /// Bad data or a broken peer: exit 1.
    Runtime(String),
}

impl From<netorder::Error> for CliError {
    fn from(e: netorder::Error) -> Self {
        CliError::Runtime(e.to_string())
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Runtime(e.to_string())
    }
}

/// The CLI's result type.
pub type CliResult<T = ()> = Result<T, CliError>;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let result = match cli.command {
        None => net::demo(),
        Some(Command::Sizes(a)) => sizes::run(a),
        Some(Command::Calcsize(a)) => records::calcsize(a),
        Some(Command::Pack(a)) => records::pack(a),
        Some(Command::Unpack(a)) => records::unpack(a),
        Some(Command::Explain(a)) => records::explain(a),
        Some(Command::Serve(a)) => net::serve(a),
        Some(Command::Send(a)) => net::send(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Usage(msg)) => {
            eprintln!("netorder: {msg}");
            eprintln!("Try 'netorder --help' for more information.");
            ExitCode::from(2)
        }
        Err(CliError::Runtime(msg)) => {
            // A closed stdout (`netorder pack ... | head -c1`) is not worth a message.
            eprintln!("netorder: {msg}");
            ExitCode::from(1)
        }
    }
}

/// Prints clap's help or version as usual; any other parse error becomes one line plus a
/// pointer to `--help`, exit status 2.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            }
        }
        _ => {
            let text = e.render().to_string();
            // clap's first paragraph, on one line ("... not provided: <FORMAT>").
            let first: Vec<&str> = text
                .lines()
                .map(str::trim)
                .skip_while(|l| l.is_empty())
                .take_while(|l| !l.is_empty())
                .collect();
            let first = first.join(" ");
            let first = first.strip_prefix("error: ").unwrap_or(&first);
            eprintln!("netorder: {first}");
            eprintln!("Try 'netorder --help' for more information.");
            ExitCode::from(2)
        }
    }
}
