//! The HTTP side of `dossier serve`: one thread accepts connections and waits, with poll(2),
//! for each to send something; a fixed pool of workers reads the request head (parsed by
//! `httparse`) and answers. An idle connection costs a file descriptor, never a thread, and is
//! closed after `IDLE`; a slow one holds a worker for `HEAD_TIME` at most. Every response
//! closes its connection, so no worker waits on a kept-alive one.

use std::collections::VecDeque;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// Workers answering requests (the pages poll, and a page loads a few files at once).
const WORKERS: usize = 6;
/// Connections accepted but silent; past this many the oldest is closed.
const MAX_WAITING: usize = 512;
/// How long an accepted connection may stay silent.
const IDLE: Duration = Duration::from_secs(30);
/// How long a connection that has begun may take to send its whole request head.
const HEAD_TIME: Duration = Duration::from_secs(10);
/// The largest request head (request line and headers), in bytes; larger ones get 431.
pub const MAX_HEAD: usize = 16 * 1024;
/// The most header lines read; more get 431 too.
const MAX_HEADERS: usize = 64;

/// What the server needs from a request: GET and HEAD carry nothing else it reads.
pub struct Request {
    pub method: String,
    /// The request target as sent: a path with its query, percent-encoded.
    pub target: String,
    pub host: Option<String>,
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response { status, headers: vec![("Content-Type", content_type.to_string()), ("Cache-Control", "no-store".to_string())], body }
    }

    /// A short plain-text answer: the status's own words and a line saying why.
    pub fn text(status: u16, why: &str) -> Response {
        Response::new(status, "text/plain; charset=utf-8", format!("{} {}\n{why}\n", status, reason(status)).into_bytes())
    }

    pub fn with_header(mut self, name: &'static str, value: &str) -> Response {
        self.headers.push((name, value.to_string()));
        self
    }
}

/// Serves forever: this thread accepts and waits for data, `WORKERS` threads answer through
/// `handler`.
pub fn run(listener: TcpListener, handler: impl Fn(&Request) -> Response + Send + Sync + 'static) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let (tx, rx) = mpsc::channel::<TcpStream>();
    let (rx, handler) = (Arc::new(Mutex::new(rx)), Arc::new(handler));
    for _ in 0..WORKERS {
        let (rx, handler) = (rx.clone(), handler.clone());
        std::thread::spawn(move || {
            loop {
                // The lock is held only while waiting for the next connection.
                let next = rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                let Ok(stream) = next else { return };
                answer(stream, &*handler);
            }
        });
    }
    let mut waiting: VecDeque<(TcpStream, Instant)> = VecDeque::new();
    loop {
        let (listener_ready, ready) = wait_readable(&listener, &waiting)?;
        let now = Instant::now();
        let mut still = VecDeque::with_capacity(waiting.len());
        for ((stream, since), ready) in waiting.drain(..).zip(ready) {
            if ready {
                let _ = tx.send(stream);
            } else if now.duration_since(since) < IDLE {
                still.push_back((stream, since));
            }
        }
        waiting = still;
        if listener_ready {
            accept_all(&listener, &mut waiting);
        }
    }
}

/// Waits (a second at most, so that idle connections are timed out) until the listener or
/// some waiting connections are readable: whether the listener is, and each connection.
fn wait_readable(listener: &TcpListener, waiting: &VecDeque<(TcpStream, Instant)>) -> std::io::Result<(bool, Vec<bool>)> {
    use rustix::event::{poll, PollFd, PollFlags, Timespec};
    let mut fds: Vec<PollFd> = Vec::with_capacity(waiting.len() + 1);
    fds.push(PollFd::new(listener, PollFlags::IN));
    fds.extend(waiting.iter().map(|(s, _)| PollFd::new(s, PollFlags::IN)));
    match poll(&mut fds, Some(&Timespec { tv_sec: 1, tv_nsec: 0 })) {
        Ok(_) => {}
        Err(rustix::io::Errno::INTR) => return Ok((false, vec![false; waiting.len()])),
        Err(e) => return Err(e.into()),
    }
    // Readable, closed by the peer or failed: a worker finds out which by reading.
    let ready: Vec<bool> = fds.iter().map(|f| !f.revents().is_empty()).collect();
    Ok((ready[0], ready[1..].to_vec()))
}

/// Accepts every pending connection into `waiting`, closing the oldest past `MAX_WAITING`.
fn accept_all(listener: &TcpListener, waiting: &mut VecDeque<(TcpStream, Instant)>) {
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                // Accepted sockets do not inherit the listener's non-blocking mode on Linux,
                // but other systems differ: the workers read with timeouts.
                let _ = stream.set_nonblocking(false);
                waiting.push_back((stream, Instant::now()));
                if waiting.len() > MAX_WAITING {
                    waiting.pop_front();
                }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => return,
            Err(e) if e.kind() == ErrorKind::Interrupted || e.kind() == ErrorKind::ConnectionAborted => {}
            Err(_) => {
                // Out of file descriptors, most likely: free one, or the listener stays
                // readable and the loop spins.
                if waiting.pop_front().is_none() {
                    std::thread::sleep(Duration::from_millis(50));
                }
                return;
            }
        }
    }
}

/// Why no request was read: a status to answer with, or nothing to answer (the peer left or
/// sent nothing in time).
enum Refused {
    Status(u16, &'static str),
    Gone,
}

/// Reads one request and answers it, then closes the connection.
fn answer(mut stream: TcpStream, handler: &dyn Fn(&Request) -> Response) {
    let (response, head_only, unread) = match read_request(&mut stream) {
        Ok((request, unread)) => {
            // A panic answers 500 and leaves the worker alive: the pool never grows back.
            let response = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler(&request))).unwrap_or_else(|_| Response::text(500, "The server failed on this request."));
            (response, request.method == "HEAD", unread)
        }
        Err(Refused::Status(status, why)) => (Response::text(status, why), false, true),
        Err(Refused::Gone) => return,
    };
    if write_response(&mut stream, &response, head_only).is_ok() && unread {
        drain(&mut stream);
    }
}

/// Reads the request head, at most `MAX_HEAD` bytes within `HEAD_TIME`; also says whether the
/// client sent more than the head (a body), which must be read before closing.
fn read_request(stream: &mut TcpStream) -> Result<(Request, bool), Refused> {
    let deadline = Instant::now() + HEAD_TIME;
    let mut buf = Vec::with_capacity(2048);
    let mut chunk = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Err(Refused::Gone);
        }
        let n = match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return Err(Refused::Gone),
            Ok(n) => n,
        };
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Request::new(&mut headers);
        match parsed.parse(&buf) {
            Ok(httparse::Status::Complete(len)) if len <= MAX_HEAD => {
                let has_body = parsed.headers.iter().any(|h| h.name.eq_ignore_ascii_case("content-length") || h.name.eq_ignore_ascii_case("transfer-encoding"));
                let host = parsed.headers.iter().find(|h| h.name.eq_ignore_ascii_case("host")).map(|h| String::from_utf8_lossy(h.value).into_owned());
                let request = Request { method: parsed.method.unwrap_or("").to_string(), target: parsed.path.unwrap_or("").to_string(), host };
                return Ok((request, has_body || buf.len() > len));
            }
            Ok(httparse::Status::Partial) if buf.len() < MAX_HEAD => {}
            Ok(_) | Err(httparse::Error::TooManyHeaders) => return Err(Refused::Status(431, "The request's headers are too large.")),
            Err(_) => return Err(Refused::Status(400, "The request could not be read as HTTP.")),
        }
    }
}

fn write_response(stream: &mut TcpStream, response: &Response, head_only: bool) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\nContent-Length: {}\r\nConnection: close\r\n", response.status, reason(response.status), response.body.len());
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

/// Reads what the client still sends (a body, the rest of an oversized head) before closing:
/// closing a socket with unread data resets the connection, and the client may lose the
/// answer. Bounded in bytes and time, so a client cannot hold the worker.
fn drain(stream: &mut TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + Duration::from_millis(500);
    let mut chunk = [0u8; 16 * 1024];
    let mut total = 0;
    while total < 1 << 20 {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => total += n,
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A server on a free port, and its address.
    fn server(handler: impl Fn(&Request) -> Response + Send + Sync + 'static) -> std::net::SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || run(listener, handler));
        addr
    }

    fn exchange(addr: std::net::SocketAddr, request: &[u8]) -> String {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s.write_all(request).unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn a_request_in_pieces_is_read_whole() {
        let addr = server(|r| Response::text(200, &format!("{} {} {:?}", r.method, r.target, r.host)));
        let mut s = TcpStream::connect(addr).unwrap();
        for piece in ["GET /a?b HT", "TP/1.1\r\nHo", "st: x:1\r\n", "\r\n"] {
            s.write_all(piece.as_bytes()).unwrap();
            std::thread::sleep(Duration::from_millis(20));
        }
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        assert!(out.starts_with("HTTP/1.1 200 OK\r\n") && out.ends_with("GET /a?b Some(\"x:1\")\n"), "{out}");
    }

    #[test]
    fn a_head_answer_has_the_length_but_no_body() {
        let addr = server(|_| Response::new(200, "text/plain", b"12345".to_vec()));
        let out = exchange(addr, b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(out.contains("Content-Length: 5\r\n") && out.ends_with("\r\n\r\n"), "{out}");
    }

    #[test]
    fn a_failing_handler_does_not_cost_a_worker() {
        let addr = server(|r| if r.target == "/fail" { panic!("a test panic") } else { Response::text(200, "fine") });
        for _ in 0..WORKERS + 1 {
            assert!(exchange(addr, b"GET /fail HTTP/1.1\r\nHost: x\r\n\r\n").starts_with("HTTP/1.1 500 "));
        }
        assert!(exchange(addr, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").starts_with("HTTP/1.1 200 "));
    }

    #[test]
    fn garbage_is_a_bad_request() {
        let addr = server(|_| Response::text(200, ""));
        assert!(exchange(addr, b"\x16\x03\x01 hello\r\n\r\n").starts_with("HTTP/1.1 400 "));
    }
}
