//! A store that goes away midway, deterministically: a proxy in front of
//! moto that forwards requests until the first one a test names, and from
//! then on is gone (that request's connection dropped, every later
//! connection refused), while moto keeps the bucket for the test to read.
//! Timing cannot decide where the publish stops, only the request. Or a
//! store that stalls: the requests a test names wait, unanswered, until
//! the test releases them, so that it can act while they are in flight.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

type Matches = dyn Fn(&str, &str) -> bool + Send + Sync;

pub struct Proxy {
    pub port: u16,
    rules: Arc<Rules>,
}

struct Rules {
    stop_at: Box<Matches>,
    hold: Box<Matches>,
    stopped: AtomicBool,
    held: AtomicUsize,
    released: AtomicBool,
}

impl Proxy {
    /// Forwards to 127.0.0.1:`upstream` until a request with
    /// `stop_at(method, target)`.
    pub fn start(upstream: u16, stop_at: impl Fn(&str, &str) -> bool + Send + Sync + 'static) -> Proxy {
        Proxy::with(upstream, Box::new(stop_at), Box::new(|_, _| false))
    }

    /// Forwards to 127.0.0.1:`upstream`, each request with
    /// `hold(method, target)` only once `release` is called.
    pub fn holding(upstream: u16, hold: impl Fn(&str, &str) -> bool + Send + Sync + 'static) -> Proxy {
        Proxy::with(upstream, Box::new(|_, _| false), Box::new(hold))
    }

    fn with(upstream: u16, stop_at: Box<Matches>, hold: Box<Matches>) -> Proxy {
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let rules = Arc::new(Rules {
            stop_at,
            hold,
            stopped: AtomicBool::new(false),
            held: AtomicUsize::new(0),
            released: AtomicBool::new(false),
        });
        let shared = Arc::clone(&rules);
        thread::spawn(move || {
            for client in listener.incoming() {
                if shared.stopped.load(Ordering::SeqCst) {
                    // Dropping the listener: connections are refused from now on.
                    return;
                }
                let Ok(client) = client else { continue };
                let rules = Arc::clone(&shared);
                thread::spawn(move || forward(client, upstream, port, &rules));
            }
        });
        Proxy { port, rules }
    }

    pub fn stopped(&self) -> bool {
        self.rules.stopped.load(Ordering::SeqCst)
    }

    /// How many requests are waiting, or waited, for `release`.
    pub fn held(&self) -> usize {
        self.rules.held.load(Ordering::SeqCst)
    }

    /// Lets the held requests, and every later one, through.
    pub fn release(&self) {
        self.rules.released.store(true, Ordering::SeqCst);
    }
}

/// One request: moto answers each on a connection of its own and closes
/// it, so the answer is everything up to the end of the stream.
fn forward(client: TcpStream, upstream: u16, own_port: u16, rules: &Rules) {
    let mut reader = BufReader::new(client.try_clone().unwrap());
    let mut head = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let end = line == "\r\n";
        head.push(line);
        if end {
            break;
        }
    }
    let mut words = head[0].split(' ');
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    if rules.stopped.load(Ordering::SeqCst) || (rules.stop_at)(method, target) {
        rules.stopped.store(true, Ordering::SeqCst);
        let _ = client.shutdown(Shutdown::Both);
        // Wakes the accepting thread, which then drops the listener.
        let _ = TcpStream::connect(("127.0.0.1", own_port));
        return;
    }
    let length = head
        .iter()
        .find_map(|h| {
            h.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap())
        })
        .unwrap_or(0);
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    if (rules.hold)(method, target) {
        rules.held.fetch_add(1, Ordering::SeqCst);
        while !rules.released.load(Ordering::SeqCst) {
            thread::sleep(Duration::from_millis(10));
        }
    }
    // moto may be gone by now (a held request released as its test ends):
    // the client then sees its connection closed.
    let Ok(mut up) = TcpStream::connect(("127.0.0.1", upstream)) else { return };
    if up.write_all(head.concat().as_bytes()).and_then(|()| up.write_all(&body)).is_err() {
        return;
    }
    let mut answer = Vec::new();
    let _ = up.read_to_end(&mut answer);
    let mut client = client;
    let _ = client.write_all(&answer);
    let _ = client.shutdown(Shutdown::Both);
}
