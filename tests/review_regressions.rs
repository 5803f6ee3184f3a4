//! Regression tests from the hostile-input review of the reactor, the tokio codecs and the
//! `bytes` records. Each test failed before its fix. Every loop is bounded in count and time;
//! sockets only on 127.0.0.1.

#[cfg(feature = "reactor")]
mod reactor {
    use netorder::frame::Framing;
    use netorder::reactor::{Event, Handler, ReactorServer, Reply};
    use std::io::Write;
    use std::net::{Shutdown, SocketAddr, TcpStream};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};

    const PATIENCE: Duration = Duration::from_secs(20);

    /// Counts frames and clean closes.
    #[derive(Clone, Default)]
    struct Count {
        frames: Arc<AtomicUsize>,
        closed: Arc<AtomicUsize>,
        failed: Arc<AtomicUsize>,
    }

    impl Handler for Count {
        fn frame(&mut self, _: &mut Reply<'_>, _: &[u8]) -> netorder::Result<()> {
            self.frames.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
        fn event(&mut self, _: SocketAddr, event: Event<'_>) {
            match event {
                Event::Connected => {}
                Event::Closed => {
                    self.closed.fetch_add(1, Ordering::SeqCst);
                }
                Event::Failed(_) => {
                    self.failed.fetch_add(1, Ordering::SeqCst);
                }
            }
        }
    }

    fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
        let start = Instant::now();
        while !cond() {
            assert!(start.elapsed() < PATIENCE, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// At the connection bound, a backlog of clients that each send one record and close
    /// used to be served by recursion (`remove` → `accept_all` → `add` → `serve` →
    /// `remove` → ...), one level per waiting client: a burst of short-lived clients
    /// overflowed the loop thread's stack and aborted the whole process.
    #[test]
    fn a_backlog_of_short_lived_clients_at_the_bound_does_not_overflow_the_stack() {
        const CLIENTS: usize = 3000;
        let count = Count::default();
        let server = ReactorServer::bind("127.0.0.1:0", Framing::U16)
            .unwrap()
            .max_connections(1)
            .spawn(count.clone())
            .unwrap();
        let addr = server.local_addr();
        let holder = TcpStream::connect_timeout(&addr, PATIENCE).unwrap();
        wait_until("the holder accepted", || server.active_connections() == 1);
        // Each waits in the backlog with its whole stream (a record, then its end) already
        // in the kernel.
        let clients: Vec<TcpStream> = (0..CLIENTS)
            .map(|_| {
                let mut s = TcpStream::connect_timeout(&addr, PATIENCE).unwrap();
                s.write_all(&[0, 2, b'h', b'i']).unwrap();
                s.shutdown(Shutdown::Write).unwrap();
                s
            })
            .collect();
        drop(holder);
        wait_until("every client served", || {
            count.closed.load(Ordering::SeqCst) == CLIENTS + 1
        });
        assert_eq!(count.frames.load(Ordering::SeqCst), CLIENTS);
        assert_eq!(count.failed.load(Ordering::SeqCst), 0);
        drop(clients);
        server.stop().unwrap();
    }
    /// A peer that sends faster than its frames are handled kept the loop reading from it
    /// (it read until the socket was empty, which never happened): every other peer on the
    /// loop, and the listener, starved. Reads per readiness event are now bounded and the
    /// connection is served again after the others.
    #[test]
    fn a_flooding_peer_does_not_starve_the_others() {
        use std::sync::atomic::AtomicBool;
        /// A handler slower than the flooder: 1 ms per 1024 frames.
        #[derive(Clone)]
        struct Slow(Count);
        impl Handler for Slow {
            fn frame(&mut self, reply: &mut Reply<'_>, frame: &[u8]) -> netorder::Result<()> {
                if self.0.frames.load(Ordering::SeqCst) % 1024 == 0 {
                    std::thread::sleep(Duration::from_millis(1));
                }
                self.0.frame(reply, frame)
            }
            fn event(&mut self, peer: SocketAddr, event: Event<'_>) {
                self.0.event(peer, event);
            }
        }
        let count = Count::default();
        // A large receive buffer (inherited by the accepted sockets), as a fast link's
        // autotuning gives: the flooder keeps it fuller than one read.
        let listener = socket2::Socket::new(
            socket2::Domain::IPV4,
            socket2::Type::STREAM,
            Some(socket2::Protocol::TCP),
        )
        .unwrap();
        listener.set_recv_buffer_size(4 << 20).unwrap();
        listener
            .bind(&"127.0.0.1:0".parse::<SocketAddr>().unwrap().into())
            .unwrap();
        listener.listen(16).unwrap();
        let server = ReactorServer::from_listener(listener.into(), Framing::Fixed(1))
            .spawn(Slow(count.clone()))
            .unwrap();
        let addr = server.local_addr();
        let stop = Arc::new(AtomicBool::new(false));
        let flooder = {
            let stop = Arc::clone(&stop);
            let mut s = TcpStream::connect_timeout(&addr, PATIENCE).unwrap();
            s.set_write_timeout(Some(Duration::from_millis(50))).unwrap();
            std::thread::spawn(move || {
                let chunk = vec![7u8; 64 << 10];
                let start = Instant::now();
                while !stop.load(Ordering::SeqCst) && start.elapsed() < PATIENCE {
                    let _ = s.write(&chunk);
                }
            })
        };
        wait_until("the flood under way", || {
            count.frames.load(Ordering::SeqCst) > 0
        });
        let before = Instant::now();
        let mut other = TcpStream::connect_timeout(&addr, PATIENCE).unwrap();
        other.write_all(b"x").unwrap();
        other.shutdown(Shutdown::Write).unwrap();
        let served = loop {
            if count.closed.load(Ordering::SeqCst) == 1 {
                break true;
            }
            if before.elapsed() > PATIENCE / 2 {
                break false;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        stop.store(true, Ordering::SeqCst);
        flooder.join().unwrap();
        assert!(served, "the other peer was not served while one peer flooded");
        drop(other);
        server.stop().unwrap();
    }
}
