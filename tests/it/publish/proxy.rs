//! A store that goes away midway, deterministically: a proxy in front of
//! moto that forwards requests until the first one a test names, and from
//! then on is gone (that request's connection dropped, every later
//! connection refused), while moto keeps the bucket for the test to read.
//! Timing cannot decide where the publish stops, only the request.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

type StopAt = dyn Fn(&str, &str) -> bool + Send + Sync;

pub struct Proxy {
    pub port: u16,
    stopped: Arc<AtomicBool>,
}

impl Proxy {
    /// Forwards to 127.0.0.1:`upstream` until a request with
    /// `stop_at(method, target)`.
    pub fn start(upstream: u16, stop_at: impl Fn(&str, &str) -> bool + Send + Sync + 'static) -> Proxy {
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stopped = Arc::new(AtomicBool::new(false));
        let stop_at: Arc<StopAt> = Arc::new(stop_at);
        let flag = Arc::clone(&stopped);
        thread::spawn(move || {
            for client in listener.incoming() {
                if flag.load(Ordering::SeqCst) {
                    // Dropping the listener: connections are refused from now on.
                    return;
                }
                let Ok(client) = client else { continue };
                let (flag, stop_at) = (Arc::clone(&flag), Arc::clone(&stop_at));
                thread::spawn(move || forward(client, upstream, port, &flag, &*stop_at));
            }
        });
        Proxy { port, stopped }
    }

    pub fn stopped(&self) -> bool {
        self.stopped.load(Ordering::SeqCst)
    }
}

/// One request: moto answers each on a connection of its own and closes
/// it, so the answer is everything up to the end of the stream.
fn forward(client: TcpStream, upstream: u16, own_port: u16, stopped: &AtomicBool, stop_at: &StopAt) {
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
    if stopped.load(Ordering::SeqCst) || stop_at(method, target) {
        stopped.store(true, Ordering::SeqCst);
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
    let mut up = TcpStream::connect(("127.0.0.1", upstream)).unwrap();
    up.write_all(head.concat().as_bytes()).unwrap();
    up.write_all(&body).unwrap();
    let mut answer = Vec::new();
    let _ = up.read_to_end(&mut answer);
    let mut client = client;
    let _ = client.write_all(&answer);
    let _ = client.shutdown(Shutdown::Both);
}
