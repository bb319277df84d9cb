//! `dossier serve`: a changed article shows up in a fetched page within two seconds; a broken
//! template keeps the previous site served and reports the error; the reload script is only
//! on the wire, never in the built files.

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
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.split(' ').nth(1).unwrap().parse().unwrap();
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
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
    assert!(server.stderr.lock().unwrap().contains("article.html"), "and in the terminal");
    assert_eq!(get(&server.addr, page), (200, before.clone()), "the previous site is still served");
    assert_eq!(status()["build"].as_u64().unwrap(), first);

    std::fs::remove_file(input.join("templates/article.html")).unwrap();
    wait_for("a good build follows the fix", Duration::from_secs(3), || status()["build"].as_u64().unwrap() > first && status()["error"].is_null());
}
