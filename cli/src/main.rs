//! `netorder`: the command-line tool, a thin shell over the library.
//!
//! Exit status: 0 on success, 1 on a runtime error (bad bytes, a value out of range, a broken
//! peer), 2 on a usage error (unknown command or flag, a bad format string). Every error is one
//! line on stderr; a usage error adds a second line pointing to `--help`.

mod codegen;
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
#[command(name = "netorder", version, about, long_about = None, after_help = MAIN_EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Bytes each integer encoding needs for a list of integers, and which one wins.
    #[command(after_help = SIZES_EXAMPLES)]
    Sizes(sizes::Args),
    /// The size of a Python struct format, as struct.calcsize prints it.
    #[command(after_help = CALCSIZE_EXAMPLES)]
    Calcsize(records::CalcsizeArgs),
    /// Values (arguments, or whitespace-separated on stdin) to packed bytes on stdout.
    #[command(after_help = PACK_EXAMPLES)]
    Pack(records::PackArgs),
    /// Packed bytes on stdin to one line of values per record.
    #[command(after_help = UNPACK_EXAMPLES)]
    Unpack(records::UnpackArgs),
    /// Packed bytes on stdin to an annotated hexdump, one line per field.
    #[command(after_help = EXPLAIN_EXAMPLES)]
    Explain(records::ExplainArgs),
    /// The RFC-style box diagram of a format (32 bits per row).
    #[command(after_help = DIAGRAM_EXAMPLES)]
    Diagram(records::DiagramArgs),
    /// A C header or a Python module that packs and unpacks a format's records.
    #[command(after_help = codegen::EXAMPLES)]
    Gen(codegen::Args),
    /// Listen for records and print each one as it arrives.
    #[command(after_help = SERVE_EXAMPLES)]
    Serve(net::ServeArgs),
    /// Send records (lines of values on stdin) to a server.
    #[command(after_help = SEND_EXAMPLES)]
    Send(net::SendArgs),
    /// A completion script for SHELL on stdout.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions {
        /// bash | elvish | fish | powershell | zsh
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
}

// Each command's `--help` ends with an "Examples:" block. A `$ ` line is a command and the
// lines under it are its exact output; cli/tests/cli/cli_help.rs runs every command shown with
// its output, except those of `serve` and `send` (they need each other).

const MAIN_EXAMPLES: &str = "\
Examples:
  $ netorder        # the demo: a loopback server and client, every framing and encoding
  $ netorder pack '!hI?' -7 70000 true --hex
  fff90001117001
  $ netorder pack '!HI8s' 80 4096 hello | netorder unpack '!HI8s'
  80 4096 0x68656c6c6f000000

Run 'netorder COMMAND --help' for a command's options and examples.";

const SIZES_EXAMPLES: &str = "\
Examples:
  $ printf '1\\n300\\n-5\\n' | netorder sizes | tail -n 1
  winner: zigzag varint, 4 bytes
  $ seq 1 1000 | netorder sizes | grep -e varint -e winner
  varint (LEB128)                  1873         1.87
  zigzag varint                    1937         1.94
  winner: varint (LEB128), 1873 bytes
  $ netorder sizes ports.txt        # one integer per line";

const CALCSIZE_EXAMPLES: &str = "\
Examples:
  $ netorder calcsize '!HIQd?4s'
  27
  $ netorder calcsize '@bq'
  16
  $ netorder calcsize '!5s3H'
  11";

const PACK_EXAMPLES: &str = "\
Examples:
  $ netorder pack '!HI' 80 4096 --hex
  005000001000
  $ echo '1 2 3 4' | netorder pack '!HH' --hex
  00010002
  00030004
  $ netorder pack '!h' 70000
  netorder: field `0 ('h')`: value 70000 out of range -32768..=32767";

const UNPACK_EXAMPLES: &str = "\
Examples:
  $ echo fff90001117001 | netorder unpack '!hI?' --hex
  -7 70000 true
  $ netorder pack '!HH' 1 2 3 4 | netorder unpack '!HH'
  1 2
  3 4
  $ netorder pack '!f' 3.1415 | netorder unpack '!f'
  3.1414999961853027";

const EXPLAIN_EXAMPLES: &str = "\
Examples:
  $ netorder pack '!HI8s' 80 4096 hello | netorder explain '!HI8s'
       0  00 50                    field 0 'H'  80
       2  00 00 10 00              field 1 'I'  4096
       6  68 65 6c 6c 6f 00 00 00  field 2 's'  0x68656c6c6f000000
  $ echo 0050 | netorder explain '!H' --hex
       0  00 50  field 0 'H'  80";

const DIAGRAM_EXAMPLES: &str = "\
Formats: a Python struct format, or netorder's extension of it: a name before a field
(`ttl:B`, `addr:4s`) and, after '!' or '>', bit groups in braces that fill whole bytes, most
significant bit first: `{version:4 ihl:4}` (N-bit unsigned fields), `name:?` (a one-bit
bool), `Nx` (N bits of padding). pack, unpack and explain take the same formats.

Examples:
  $ netorder diagram '!{version:3 type:1 sec:? apid:11} {flags:2 count:14} length:H'
   0                   1                   2                   3
   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
  |versi|t|s|         apid        |fla|           count           |
  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
  |             length            |
  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
  $ netorder diagram '!{3x df:? mf:? offset:11} ttl:B'
   0                   1                   2
   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3
  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
  |     |d|m|        offset       |      ttl      |
  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
  $ echo 1873c0190004 | netorder unpack '!{version:3 type:1 sec:? apid:11} {flags:2 count:14} length:H' --hex
  0 1 true 115 3 25 4
  $ netorder pack '!{a:4 b:4}' 1 16
  netorder: field `1 (b:4)`: value 16 out of range for 4 bits (0..=15)";

const SERVE_EXAMPLES: &str = "\
Examples (each runs until stopped; try 'netorder send' from another shell):
  $ netorder serve --listen 127.0.0.1:9000 --format '!HI' --echo
  $ netorder serve --listen 127.0.0.1:0 --format '!Iq' --framing u24le   # 3-byte little-endian length
  $ netorder serve --listen 127.0.0.1:0 --format '!Iq' --framing 'u16,adjust=-2+crc32c'   # length counts itself; CRC-32C after
  $ netorder serve --listen '[::1]:9000' --format '!5s' --framing crlf --idle-timeout 5   # text lines";

const SEND_EXAMPLES: &str = "\
Examples (against 'netorder serve --listen 127.0.0.1:9000 --format !HI --echo'):
  $ printf '80 4096\\n443 8192\\n' | netorder send 127.0.0.1:9000 --format '!HI' --echo
  80 4096
  443 8192
  $ echo '1 2' | netorder send 127.0.0.1:9000 --format '!HI'     # no --echo: prints nothing
  $ echo '1 2' | netorder send 127.0.0.1:9001 --format '!HI' --framing u32   # a 'serve --framing u32'
  $ echo '1 2' | netorder send 127.0.0.1:9002 --format '!HI' --framing 'u24le,adjust=-3+crc32'";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  $ netorder completions bash > ~/.local/share/bash-completion/completions/netorder
  $ netorder completions zsh > ~/.zfunc/_netorder
  $ netorder completions fish > ~/.config/fish/completions/netorder.fish";

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
        Some(Command::Diagram(a)) => records::diagram(a),
        Some(Command::Gen(a)) => codegen::run(a),
        Some(Command::Serve(a)) => net::serve(a),
        Some(Command::Send(a)) => net::send(a),
        Some(Command::Completions { shell }) => completions(shell),
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

/// `netorder completions SHELL`: the completion script, written at once (a closed stdout
/// ends the command quietly, as for `pack`).
fn completions(shell: clap_complete::Shell) -> CliResult {
    use clap::CommandFactory;
    use std::io::Write;
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "netorder", &mut script);
    match std::io::stdout().lock().write_all(&script) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
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
