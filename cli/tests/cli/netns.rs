//! The record exchange across a veth pair between two network namespaces, with packet loss,
//! delay and reordering from `tc netem` where the kernel has it: `netorder serve` in one
//! namespace, several `netorder send` clients in the other; every record arrives exactly once.
//!
//! Needs root, `ip` and network-namespace support. Where they are missing the test prints why
//! and passes as skipped; where `netem` is missing it says so and runs the exchange without
//! impairment. Only addresses inside the namespaces it creates are used (10.203.0.0/30), and a
//! guard deletes the namespaces (and with them the veth pair) even when the test fails.

use netorder_support as common;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CLIENTS: u32 = 4;
const RECORDS: u32 = 5_000;
const PATIENCE: Duration = Duration::from_secs(60);

fn run(args: &[&str]) -> Result<String, String> {
    let out = Command::new(args[0])
        .args(&args[1..])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{}: {e}", args.join(" ")))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Deletes the veth pair and the namespaces when dropped (errors ignored: some may not exist).
struct Namespaces {
    names: Vec<String>,
    link: Option<String>,
}

impl Drop for Namespaces {
    fn drop(&mut self) {
        if let Some(link) = &self.link {
            let _ = run(&["ip", "link", "del", link]);
        }
        for ns in &self.names {
            let _ = run(&["ip", "netns", "del", ns]);
        }
    }
}

/// Two namespaces joined by a veth pair, 10.203.0.1 (server side) and 10.203.0.2.
fn setup(tag: &str) -> Result<(Namespaces, String, String), String> {
    let (a, b) = (format!("nohs{tag}"), format!("nohc{tag}"));
    let (va, vb) = (format!("vh{tag}a"), format!("vh{tag}b"));
    let mut guard = Namespaces {
        names: Vec::new(),
        link: None,
    };
    run(&["ip", "netns", "add", &a])?;
    guard.names.push(a.clone());
    run(&["ip", "netns", "add", &b])?;
    guard.names.push(b.clone());
    run(&[
        "ip", "link", "add", &va, "type", "veth", "peer", "name", &vb,
    ])?;
    guard.link = Some(va.clone()); // until it moves into a namespace
    run(&["ip", "link", "set", &va, "netns", &a])?;
    run(&["ip", "link", "set", &vb, "netns", &b])?;
    guard.link = None; // deleted with the namespaces from now on
    for (ns, dev, ip) in [(&a, &va, "10.203.0.1/30"), (&b, &vb, "10.203.0.2/30")] {
        run(&["ip", "-n", ns, "addr", "add", ip, "dev", dev])?;
        run(&["ip", "-n", ns, "link", "set", dev, "up"])?;
        run(&["ip", "-n", ns, "link", "set", "lo", "up"])?;
    }
    Ok((guard, va, vb))
}

#[test]
fn records_cross_a_veth_pair_between_namespaces() {
    if run(&["id", "-u"]).map(|s| s.trim() == "0") != Ok(true) {
        println!("SKIPPED: not root (network namespaces need root)");
        return;
    }
    let tag = format!("{}", std::process::id() % 100_000);
    let (guard, va, vb) = match setup(&tag) {
        Ok(x) => x,
        Err(why) => {
            println!("SKIPPED: cannot create namespaces and a veth pair: {why}");
            return;
        }
    };
    let (ns_server, ns_client) = (guard.names[0].clone(), guard.names[1].clone());

    // Impairment on both ends: netem where the kernel has it; otherwise a token bucket with a
    // tiny queue (tbf), which drops packets (real loss, retransmitted by TCP) and delays them
    // in its queue, but cannot reorder.
    let mut impairment = "netem: delay 5ms ±2ms, loss 2%, reorder 10%";
    for (ns, dev) in [(&ns_server, &va), (&ns_client, &vb)] {
        let netem = run(&[
            "tc", "-n", ns, "qdisc", "replace", "dev", dev, "root", "netem", "delay", "5ms", "2ms",
            "loss", "2%", "reorder", "10%", "50%",
        ]);
        if let Err(why) = netem {
            println!("netem unavailable: {why}");
            impairment = "tbf: 4 Mbit/s, 4000-byte queue (loss and queueing delay, no reordering)";
            if let Err(why) = run(&[
                "tc", "-n", ns, "qdisc", "replace", "dev", dev, "root", "tbf", "rate", "4mbit",
                "burst", "4000", "limit", "4000",
            ]) {
                println!("tbf unavailable too, running without impairment: {why}");
                impairment = "none";
            }
        }
    }
    println!("impairment: {impairment}");

    let exe = env!("CARGO_BIN_EXE_netorder");
    let mut server = Command::new("ip")
        .args(["netns", "exec", &ns_server, exe, "serve"])
        .args([
            "--listen",
            "10.203.0.1:0",
            "--format",
            "!II",
            "--framing",
            "u16",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = server.stderr.take().unwrap();
    let stdout = server.stdout.take().unwrap();
    let _server = common::KillOnDrop(server);
    let erx = common::line_channel(stderr, 10_000);
    let orx = common::line_channel(stdout, 1_000_000);
    let first = erx.recv_timeout(PATIENCE).expect("the server starts");
    let addr = first
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{first}"))
        .to_string();

    let started = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let mut child = Command::new("ip")
                .args(["netns", "exec", &ns_client, exe, "send", &addr])
                .args(["--format", "!II", "--framing", "u16"])
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let mut stdin = child.stdin.take().unwrap();
            let lines: String = (0..RECORDS).map(|i| format!("{c} {i}\n")).collect();
            std::thread::spawn(move || {
                let _ = stdin.write_all(lines.as_bytes());
            });
            child
        })
        .collect();
    for mut child in clients {
        let deadline = Instant::now() + PATIENCE;
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("a client did not finish within {PATIENCE:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut err = String::new();
        let _ = std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err);
        assert!(status.success(), "client failed: {err}");
    }

    let mut got = Vec::new();
    let want_total = (CLIENTS * RECORDS) as usize;
    while got.len() < want_total {
        match orx.recv_timeout(PATIENCE) {
            Ok(line) => got.push(line),
            Err(_) => break,
        }
    }
    // Nothing more arrives.
    assert!(orx.recv_timeout(Duration::from_millis(200)).is_err());
    let errors: Vec<String> = erx.try_iter().collect();
    assert!(errors.is_empty(), "server reported: {errors:?}");
    got.sort();
    let mut want: Vec<String> = (0..CLIENTS)
        .flat_map(|c| (0..RECORDS).map(move |i| format!("{c} {i}")))
        .collect();
    want.sort();
    assert_eq!(got.len(), want.len());
    assert!(got == want, "records lost, duplicated or invented");
    println!(
        "netns: {want_total} records from {CLIENTS} clients across veth ({impairment}) in {:.2?}",
        started.elapsed()
    );
    for (ns, dev) in [(&ns_server, &va), (&ns_client, &vb)] {
        if let Ok(stats) = run(&["tc", "-s", "-n", ns, "qdisc", "show", "dev", dev]) {
            let line = stats.lines().find(|l| l.contains("dropped")).unwrap_or("");
            println!("{ns} {dev}: {}", line.trim());
        }
    }
    drop(guard);
}
