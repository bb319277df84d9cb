//! `dossier serve`: build, serve the site on 127.0.0.1, rebuild when the input changes, and
//! reload open pages.
//!
//! The reload script is added to HTML responses as they are served, never written into the
//! site, so a served page and a built page differ only on the wire. A failed rebuild leaves the
//! previous site in place (the build only swaps a complete site in), so the server goes on
//! serving it; the error is printed and shown over the open pages until a build succeeds.

use anyhow::{Context as _, Result};
use std::path::{Component, Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use crate::config::Config;
use crate::pipeline::{self, Options};

/// What the pages poll: the number of the last good build and the last error, if the newest
/// build failed.
#[derive(Default)]
struct State {
    build: u64,
    error: Option<String>,
}

const RELOAD_JS: &str = include_str!("serve_reload.js");

/// Runs until killed. The settings file and `entities.toml` are watched too.
pub fn serve(config: Config, port: u16, quiet: bool) -> Result<()> {
    let state = Arc::new(Mutex::new(State::default()));
    rebuild(&config, &state, quiet);

    let server = tiny_http::Server::http(("127.0.0.1", port)).map_err(|e| anyhow::anyhow!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let addr = server.server_addr().to_ip().context("the server has an IP address")?;
    // The address goes to stdout (scripts and tests read it); everything else to stderr.
    println!("serving {} at http://{addr}/ (Ctrl-C to stop)", config.output.display());

    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(event) = res {
            let _ = tx.send(event);
        }
    })?;
    use notify::Watcher as _;
    watcher.watch(&config.input, notify::RecursiveMode::Recursive).with_context(|| format!("{}: cannot watch", config.input.display()))?;
    for extra in config.file.iter().chain(std::iter::once(&config.entities)) {
        if extra.exists() && !extra.starts_with(&config.input) {
            watcher.watch(extra, notify::RecursiveMode::NonRecursive).with_context(|| format!("{}: cannot watch", extra.display()))?;
        }
    }

    {
        let (config, state) = (config.clone(), state.clone());
        std::thread::spawn(move || {
            let _watcher = watcher;
            while let Ok(event) = rx.recv() {
                if !event.paths.iter().any(|p| relevant(p, &config.input, &config.output)) {
                    continue;
                }
                // Editors write in bursts (temporary file, rename, metadata): wait for quiet.
                while rx.recv_timeout(Duration::from_millis(150)).is_ok() {}
                rebuild(&config, &state, quiet);
            }
        });
    }

    for request in server.incoming_requests() {
        let response = respond(&request, &config.output, &state);
        let _ = request.respond(response);
    }
    Ok(())
}

/// Changes inside the output, its staging folders or hidden files under the input (editor
/// swap files, .git) do not start a build.
fn relevant(path: &Path, input: &Path, output: &Path) -> bool {
    if path.starts_with(output) {
        return false;
    }
    let inner = path.strip_prefix(input).unwrap_or(path);
    !inner.components().any(|c| matches!(c, Component::Normal(n) if n.to_string_lossy().starts_with('.')))
}

fn rebuild(config: &Config, state: &Mutex<State>, quiet: bool) {
    let result = pipeline::build(config, &Options { quiet: true });
    let mut s = state.lock().unwrap();
    match result {
        Ok(report) => {
            s.build += 1;
            // A file that failed to read is reported, but the rest of the archive is the site.
            s.error = (!report.failed.is_empty()).then(|| report.failed.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"));
            if let Some(e) = &s.error {
                eprintln!("built with errors:\n{e}");
            } else if !quiet {
                eprintln!("built {} articles, {} entities, {} files", report.articles, report.entities, report.pages);
            }
        }
        Err(e) => {
            let msg = format!("{e:#}");
            eprintln!("error: {msg}\n(still serving the previous site)");
            s.error = Some(msg);
        }
    }
}

fn respond(request: &tiny_http::Request, root: &Path, state: &Mutex<State>) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let header = |k: &str, v: &str| tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).expect("valid header");
    let reply = |status: u16, kind: &str, body: Vec<u8>| tiny_http::Response::from_data(body).with_status_code(status).with_header(header("Content-Type", kind)).with_header(header("Cache-Control", "no-store"));
    let path = request.url().split(['?', '#']).next().unwrap_or("/");
    match path {
        "/__dossier/status" => {
            let s = state.lock().unwrap();
            let body = serde_json::json!({ "build": s.build, "error": s.error }).to_string();
            return reply(200, "application/json", body.into_bytes());
        }
        "/__dossier/reload.js" => return reply(200, "text/javascript; charset=utf-8", RELOAD_JS.as_bytes().to_vec()),
        _ => {}
    }
    let Some(file) = resolve(root, path) else { return reply(404, "text/plain; charset=utf-8", b"not found".to_vec()) };
    match std::fs::read(&file) {
        Ok(mut bytes) => {
            let kind = content_type(&file);
            if kind.starts_with("text/html") {
                bytes = with_reload_script(bytes);
            }
            reply(200, kind, bytes)
        }
        Err(_) => reply(404, "text/plain; charset=utf-8", b"not found".to_vec()),
    }
}

/// The file under `root` for a URL path; `..` and anything outside the root are refused.
fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    let mut file = root.to_path_buf();
    for part in decoded.split('/').filter(|p| !p.is_empty()) {
        if part == ".." || part == "." || part.contains('\\') || part.contains('\0') {
            return None;
        }
        file.push(part);
    }
    if decoded.ends_with('/') || file.is_dir() {
        file.push("index.html");
    }
    Some(file)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "jsonld" => "application/ld+json",
        "xml" => "application/xml",
        "txt" | "toml" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

fn with_reload_script(html: Vec<u8>) -> Vec<u8> {
    const TAG: &[u8] = b"<script src=\"/__dossier/reload.js\"></script>\n";
    match html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")) {
        Some(at) => [&html[..at], TAG, &html[at..]].concat(),
        None => [html.as_slice(), TAG].concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_site() {
        let root = Path::new("/srv/site");
        assert_eq!(resolve(root, "/articles/a%20b.html"), Some(PathBuf::from("/srv/site/articles/a b.html")));
        assert_eq!(resolve(root, "/../etc/passwd"), None);
        assert_eq!(resolve(root, "/articles/%2e%2e/%2e%2e/x"), None);
        assert_eq!(resolve(root, "/"), Some(PathBuf::from("/srv/site/index.html")));
    }

    #[test]
    fn the_reload_script_goes_before_the_body_ends() {
        let html = with_reload_script(b"<html><body><p>x</p></body></html>".to_vec());
        assert_eq!(String::from_utf8(html).unwrap(), "<html><body><p>x</p><script src=\"/__dossier/reload.js\"></script>\n</body></html>");
    }

    #[test]
    fn output_and_hidden_files_do_not_trigger_builds() {
        let (input, out) = (Path::new("/tmp/.tmp1/seeds"), Path::new("/tmp/.tmp1/site"));
        assert!(relevant(Path::new("/tmp/.tmp1/seeds/x.txt"), input, out), "a hidden folder above the input is fine");
        assert!(!relevant(Path::new("/tmp/.tmp1/site/index.html"), input, out));
        assert!(!relevant(Path::new("/tmp/.tmp1/seeds/.x.txt.swp"), input, out));
        assert!(relevant(Path::new("/tmp/dossier.toml"), input, out), "the config file, outside the input");
    }
}
