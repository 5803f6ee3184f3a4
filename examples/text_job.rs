//! The job `netorder pack` / `netorder unpack` do, written as a small program on the public
//! library API with a `BufWriter`: the fair "library speed" that `benches/cli.sh` compares the
//! command-line tool with.
//!
//! ```text
//! text_job pack FMT   < values.txt > records.bin   # whitespace-separated values to records
//! text_job unpack FMT < records.bin > values.txt  # records to one line of values each
//! text_job binary FMT < records.bin               # pure binary: pack_into and unpack_into of
//!                                                 # values built beforehand, timed inside
//! text_job                                        # a self-check on three built-in records
//! ```

use netorder::{Layout, Value};
use std::io::{self, BufWriter, Read, Write};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 1 {
        return self_check();
    }
    let [_, mode, format] = &args[..] else {
        return Err("usage: text_job [pack|unpack|binary FMT]".into());
    };
    let layout = Layout::parse(format)?;
    let mut input = Vec::new();
    io::stdin().lock().read_to_end(&mut input)?;
    let mut out = BufWriter::new(io::stdout().lock());
    match mode.as_str() {
        "pack" => {
            let text = std::str::from_utf8(&input)?;
            let tokens: Vec<&str> = text.split_whitespace().collect();
            let (mut values, mut bytes) = (Vec::new(), Vec::new());
            for record in tokens.chunks(layout.value_count()) {
                values.clear();
                bytes.clear();
                layout.values_from_text_into(record, &mut values)?;
                layout.pack_into(&values, &mut bytes)?;
                out.write_all(&bytes)?;
            }
        }
        "unpack" => {
            let mut values = Vec::new();
            for record in input.chunks_exact(layout.size()) {
                values.clear();
                layout.unpack_into(record, &mut values)?;
                for (i, v) in values.iter().enumerate() {
                    let sep = if i == 0 { "" } else { " " };
                    write!(out, "{sep}{v}")?;
                }
                out.write_all(b"\n")?;
            }
        }
        "binary" => {
            // Unpack every record into one reused vector (as `unpack` does), then pack
            // values built beforehand.
            let start = Instant::now();
            let mut values = Vec::with_capacity(layout.value_count());
            for record in input.chunks_exact(layout.size()) {
                values.clear();
                layout.unpack_into(record, &mut values)?;
            }
            let unpack = start.elapsed();
            let all: Vec<Vec<Value>> = input
                .chunks_exact(layout.size())
                .map(|record| layout.unpack(record))
                .collect::<Result<_, _>>()?;
            let start = Instant::now();
            let mut bytes = Vec::with_capacity(input.len());
            for values in &all {
                layout.pack_into(values, &mut bytes)?;
            }
            let pack = start.elapsed();
            assert_eq!(bytes, input);
            writeln!(
                out,
                "pack {} unpack {}",
                pack.as_secs_f64(),
                unpack.as_secs_f64()
            )?;
        }
        _ => return Err(format!("unknown mode {mode:?}").into()),
    }
    out.flush()?;
    Ok(())
}

/// Without arguments: the text job both ways on three built-in records, checked.
fn self_check() -> Result<(), Box<dyn std::error::Error>> {
    let text = "80 3000000000 18446744073709551615 -0.5 true 0x0a0b0c0d\n\
                443 1 0 1e+16 false 0x00000000\n\
                65535 4294967295 7 3.1415 true 0xffffffff\n";
    let layout = Layout::parse("!HIQd?4s")?;
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let (mut values, mut bytes) = (Vec::new(), Vec::new());
    for record in tokens.chunks(layout.value_count()) {
        values.clear();
        layout.values_from_text_into(record, &mut values)?;
        layout.pack_into(&values, &mut bytes)?;
    }
    let mut back = Vec::new();
    for record in bytes.chunks_exact(layout.size()) {
        values.clear();
        layout.unpack_into(record, &mut values)?;
        for (i, v) in values.iter().enumerate() {
            let sep = if i == 0 { "" } else { " " };
            write!(back, "{sep}{v}")?;
        }
        back.push(b'\n');
    }
    assert_eq!(String::from_utf8(back)?, text);
    println!(
        "ok: 3 records of {} bytes packed from text and unpacked to the same text",
        layout.size()
    );
    Ok(())
}
