//! `dossier serve`: a changed article shows up in a fetched page within two seconds; a broken
//! template keeps the previous site served and reports the error; the reload script is only
//! on the wire, never in the built files; one edit is one rebuild (the build's own reads of
//! the input start none); the server answers only GET and HEAD from this machine's own names,
//! refuses oversized headers, keeps its threads few however many idle connections are open,
//! and reports a busy port before building.

mod common;
use common::*;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    addr: String,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(input: &std::path::Path, output: &std::path::Path) -> Server {
    let mut child = dossier().args(["serve", "--port", "0", "--input"]).arg(input).arg("--output").arg(output).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    // "serving SITE at http://127.0.0.1:PORT/ (Ctrl-C to stop)"
    let addr = line.split("http://").nth(1).and_then(|r| r.split('/').next()).unwrap_or_else(|| panic!("no address in {line:?}")).to_string();
    let stderr = Arc::new(Mutex::new(String::new()));
    let (mut pipe, sink) = (child.stderr.take().unwrap(), stderr.clone());
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = pipe.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    Server { child, addr, stderr }
}

/// A plain HTTP/1.0 GET: (status, body).
fn get(addr: &str, path: &str) -> (u16, String) {
    let (status, _, body) = send(addr, format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").as_bytes());
    (status, body)
}

/// Sends `request` as it is and reads the reply to its end: (status, head, body).
fn send(addr: &str, request: &[u8]) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    // A server that keeps the connection open fails the test instead of hanging it.
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    // The server may close as soon as it has refused the head: what it answered still counts.
    let _ = s.write_all(request);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.split(' ').nth(1).unwrap_or_else(|| panic!("no status in {text:?}")).parse().unwrap();
    let (head, body) = text.split_once("\r\n\r\n").map(|(h, b)| (h.to_string(), b.to_string())).unwrap_or((text.clone(), String::new()));
    (status, head, body)
}

/// The number of the last good build, from the status the open pages poll.
fn build_number(addr: &str) -> u64 {
    let status: serde_json::Value = serde_json::from_str(&get(addr, "/__dossier/status").1).unwrap();
    status["build"].as_u64().unwrap()
}

fn wait_for(what: &str, limit: Duration, mut ok: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    while !ok() {
        assert!(start.elapsed() < limit, "{what}: not within {limit:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
    start.elapsed()
}

#[test]
fn an_edited_article_is_served_within_two_seconds() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, output) = (tmp.path().join("in"), tmp.path().join("site"));
    copy_seeds(&input);
    let server = start(&input, &output);
    let page = "/articles/001-ba1013068994706c.html";
    let (status, body) = get(&server.addr, page);
    assert_eq!(status, 200);
    assert!(body.contains("<script src=\"/__dossier/reload.js\"></script>"), "served pages reload");
    assert!(!std::fs::read_to_string(output.join(&page[1..])).unwrap().contains("__dossier"), "built pages do not");
    assert_eq!(get(&server.addr, "/../Cargo.toml").0, 404);

    let file = input.join("001_ba1013068994706c.txt");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("\nThe negotiators met again in Zanzibarville on the same day.\n");
    std::fs::write(&file, text).unwrap();
    let took = wait_for("the edit is served", Duration::from_secs(2), || get(&server.addr, page).1.contains("Zanzibarville"));
    eprintln!("edit served after {took:?}");
}

#[test]
fn a_broken_template_keeps_the_old_site_and_reports_the_error() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, output) = (tmp.path().join("in"), tmp.path().join("site"));
    copy_seeds(&input);
    let server = start(&input, &output);
    let page = "/articles/001-ba1013068994706c.html";
    let before = get(&server.addr, page).1;
    let status = || serde_json::from_str::<serde_json::Value>(&get(&server.addr, "/__dossier/status").1).unwrap();
    let first = status()["build"].as_u64().unwrap();

    std::fs::create_dir_all(input.join("templates")).unwrap();
    std::fs::write(input.join("templates/article.html"), "{% extends \"base.html\" %}{% block content %}{% if %}{% endblock content %}").unwrap();
    wait_for("the error is reported", Duration::from_secs(3), || status()["error"].is_string());
    let error = status()["error"].as_str().unwrap().to_string();
    assert!(error.contains("article.html"), "{error}");
    // Printed before the status changes, but read from the server's pipe by another thread
    // here: on a slow machine the status can be seen first.
    wait_for("and in the terminal", Duration::from_secs(2), || server.stderr.lock().unwrap().contains("article.html"));
    assert_eq!(get(&server.addr, page), (200, before.clone()), "the previous site is still served");
    assert_eq!(status()["build"].as_u64().unwrap(), first);

    std::fs::remove_file(input.join("templates/article.html")).unwrap();
    wait_for("a good build follows the fix", Duration::from_secs(3), || status()["build"].as_u64().unwrap() > first && status()["error"].is_null());
}

/// The build reads every article; those reads (and the watcher's own walk of the subfolders)
/// are not changes. Before the fix, articles in a subfolder kept the server rebuilding about
/// six times a second from the start.
#[test]
fn articles_in_a_subfolder_are_rebuilt_once_per_edit() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, output) = (tmp.path().join("in"), tmp.path().join("site"));
    copy_seeds(&input.join("desk"));
    let server = start(&input, &output);
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(build_number(&server.addr), 1, "no rebuild without an edit");

    let file = input.join("desk/001_ba1013068994706c.txt");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("\nThe negotiators met again in Zanzibarville on the same day.\n");
    std::fs::write(&file, text).unwrap();
    wait_for("the edit is built", Duration::from_secs(10), || build_number(&server.addr) >= 2);
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(build_number(&server.addr), 2, "one edit, one rebuild; stderr:\n{}", server.stderr.lock().unwrap());
    assert_eq!(server.stderr.lock().unwrap().matches("built ").count(), 2, "the first build and the edit's");
}

/// A page on another site that points its own name at 127.0.0.1 (DNS rebinding) sends its
/// own name as the Host: it must not read the archive.
#[test]
fn only_this_machines_names_are_served() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, output) = (tmp.path().join("in"), tmp.path().join("site"));
    copy_seeds(&input);
    let server = start(&input, &output);
    let port = server.addr.rsplit(':').next().unwrap();
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}"), format!("[::1]:{port}"), format!("LocalHost:{port}")] {
        assert_eq!(send(&server.addr, format!("GET / HTTP/1.1\r\nConnection: close\r\nHost: {host}\r\n\r\n").as_bytes()).0, 200, "{host}");
    }
    let other_port = if port == "8000" { "8001" } else { "8000" };
    for host in [format!("evil.example:{port}"), "evil.example".to_string(), format!("localhost:{other_port}"), format!("127.0.0.1.evil.example:{port}"), "localhost".to_string()] {
        let (status, _, body) = send(&server.addr, format!("GET / HTTP/1.1\r\nConnection: close\r\nHost: {host}\r\n\r\n").as_bytes());
        assert_eq!(status, 403, "{host}");
        assert!(!body.contains("site-header"), "{host}: no page of the archive");
    }
    assert_eq!(send(&server.addr, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n").0, 400, "no Host at all");
}

#[test]
fn only_get_and_head_are_answered() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, output) = (tmp.path().join("in"), tmp.path().join("site"));
    copy_seeds(&input);
    let server = start(&input, &output);
    let addr = &server.addr;
    for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"] {
        let (status, head, _) = send(addr, format!("{method} /index.html HTTP/1.1\r\nConnection: close\r\nHost: {addr}\r\nContent-Length: 0\r\n\r\n").as_bytes());
        assert_eq!(status, 405, "{method}");
        assert!(head.to_ascii_lowercase().contains("\r\nallow: get, head"), "{method}: {head}");
    }
    let (status, head, body) = send(addr, format!("HEAD /index.html HTTP/1.1\r\nConnection: close\r\nHost: {addr}\r\n\r\n").as_bytes());
    assert_eq!(status, 200);
    assert!(body.is_empty(), "HEAD has no body: {body:?}");
    let length = get(addr, "/index.html").1.len();
    assert!(head.to_ascii_lowercase().contains(&format!("\r\ncontent-length: {length}")), "HEAD gives GET's length {length}: {head}");
}

#[test]
fn an_oversized_header_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, output) = (tmp.path().join("in"), tmp.path().join("site"));
    copy_seeds(&input);
    let server = start(&input, &output);
    let big = "a".repeat(64 * 1024);
    let (status, _, _) = send(&server.addr, format!("GET / HTTP/1.1\r\nConnection: close\r\nHost: {}\r\nX-Filler: {big}\r\n\r\n", server.addr).as_bytes());
    assert_eq!(status, 431);
    let many: String = (0..500).map(|i| format!("X-Filler-{i}: a\r\n")).collect();
    assert_eq!(send(&server.addr, format!("GET / HTTP/1.1\r\nConnection: close\r\nHost: {}\r\n{many}\r\n", server.addr).as_bytes()).0, 431, "too many headers");
    assert_eq!(get(&server.addr, "/").0, 200, "and the server goes on");
}

#[test]
fn a_missing_page_is_a_page_of_the_site() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, output) = (tmp.path().join("in"), tmp.path().join("site"));
    copy_seeds(&input);
    let server = start(&input, &output);
    let (status, head, body) = send(&server.addr, format!("GET /articles/no-such-page.html HTTP/1.0\r\nHost: {}\r\n\r\n", server.addr).as_bytes());
    assert_eq!(status, 404);
    assert!(head.to_ascii_lowercase().contains("content-type: text/html"), "{head}");
    assert!(body.contains("href=\"/static/style.css\""), "the site's style: {body}");
    assert!(body.contains("href=\"/index.html\""), "a way home: {body}");
    assert!(body.contains("/articles/no-such-page.html"), "says what was asked for: {body}");
    assert!(body.contains("/__dossier/reload.js"), "reloads when the page may exist");
    let (status, _, body) = send(&server.addr, format!("GET /%3Cb%3Ebold.html HTTP/1.0\r\nHost: {}\r\n\r\n", server.addr).as_bytes());
    assert_eq!(status, 404);
    assert!(body.contains("/&lt;b&gt;bold.html") && !body.contains("<b>bold"), "the path asked for is text, not markup: {body}");
    assert!(!output.join("404.html").exists() && !std::fs::read_dir(&output).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().contains("404")), "served, not written into the site");
}

/// The threads of the server process, from /proc (Linux).
fn threads(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/task")).unwrap().count()
}

#[test]
fn idle_connections_do_not_take_a_thread_each() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, output) = (tmp.path().join("in"), tmp.path().join("site"));
    copy_seeds(&input);
    let server = start(&input, &output);
    assert_eq!(get(&server.addr, "/").0, 200);
    let before = threads(server.child.id());
    let idle: Vec<TcpStream> = (0..300).map(|_| TcpStream::connect(&server.addr).unwrap()).collect();
    // Connections are taken in order: once this one is answered, the idle ones were seen.
    assert_eq!(get(&server.addr, "/").0, 200, "a request is answered while 300 connections idle");
    let during = threads(server.child.id());
    assert!(during <= before + 2, "{before} threads before, {during} with 300 idle connections");
    drop(idle);
    assert_eq!(get(&server.addr, "/").0, 200);
}

#[test]
fn a_busy_port_is_reported_before_building() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, output) = (tmp.path().join("in"), tmp.path().join("site"));
    copy_seeds(&input);
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let o = dossier().args(["serve", "--port", &port.to_string(), "--input"]).arg(&input).arg("--output").arg(&output).output().unwrap();
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains(&format!("127.0.0.1:{port}")) && err.contains("in use"), "{err}");
    assert!(err.contains("--port"), "says how to choose another: {err}");
    assert!(!output.exists(), "nothing was built: {err}");
}
