//! `dossier serve`: build, serve the site on 127.0.0.1, rebuild when the input changes, and
//! reload open pages.
//!
//! The reload script is added to HTML responses as they are served, never written into the
//! site, so a served page and a built page differ only on the wire. A failed rebuild leaves the
//! previous site in place (the build only swaps a complete site in), so the server goes on
//! serving it; the error is printed and shown over the open pages until a build succeeds.
//!
//! Only changes of the inputs start a build (not the build's own reads of them), and a burst
//! of changes starts one. The server (`http.rs`) answers GET and HEAD from a few worker
//! threads, and only to requests addressed to this machine's own names.

mod http;

use anyhow::{Context as _, Result};
use std::path::{Component, Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use crate::config::Config;
use crate::pipeline::{self, Options};
use http::{Request, Response};

/// What the pages poll: the number of the last good build and the last error, if the newest
/// build failed; and the templates of the last build that loaded them, for the 404 page.
#[derive(Default)]
struct State {
    build: u64,
    error: Option<String>,
    templates: Option<Arc<tera::Tera>>,
}

const RELOAD_JS: &str = include_str!("serve_reload.js");

/// How long the input must stay unchanged before a rebuild: editors write in bursts
/// (temporary file, rename, metadata).
const QUIET: Duration = Duration::from_millis(150);

/// Runs until killed. The settings file and `entities.toml` are watched too. The port is
/// taken before the first build, so a busy one is reported at once.
pub fn serve(config: Config, port: u16, quiet: bool) -> Result<()> {
    let listener = listen(port)?;
    let addr = listener.local_addr().context("the server has an address")?;
    let state = Arc::new(Mutex::new(State::default()));
    rebuild(&config, &state, quiet);
    // The address goes to stdout once the site is built (scripts and tests read it);
    // everything else to stderr.
    println!("serving {} at http://{addr}/ (Ctrl-C to stop)", config.output.display());

    let _watcher = watch(&config, &state, quiet)?;
    let site = Site { root: config.output.clone(), title: config.title.clone(), port: addr.port(), state };
    http::run(listener, move |request| site.respond(request)).context("serving")?;
    Ok(())
}

/// Binds 127.0.0.1:PORT, saying what to do when the port is taken.
fn listen(port: u16) -> Result<std::net::TcpListener> {
    std::net::TcpListener::bind(("127.0.0.1", port)).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => {
            anyhow::anyhow!("cannot listen on 127.0.0.1:{port}: the port is in use (another `dossier serve`?); choose another with --port N, or --port 0 for any free one")
        }
        _ => anyhow::anyhow!("cannot listen on 127.0.0.1:{port}: {e}"),
    })
}

/// Starts watching the inputs; each burst of changes is one rebuild, on a thread of its own.
/// The watcher stops when the returned value is dropped.
fn watch(config: &Config, state: &Arc<Mutex<State>>, quiet: bool) -> Result<notify::RecommendedWatcher> {
    use notify::Watcher as _;
    let inputs = Inputs::of(config)?;
    let (tx, rx) = mpsc::channel();
    let filter = inputs.clone();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| match res {
        Ok(event) if filter.is_change(&event) => {
            let _ = tx.send(());
        }
        Ok(_) => {}
        Err(e) => eprintln!("warning: watching for changes: {e}"),
    })?;
    watcher.watch(&inputs.input, notify::RecursiveMode::Recursive).with_context(|| format!("{}: cannot watch", config.input.display()))?;
    // A single file is watched through its folder: an editor that saves by renaming a new
    // file over the old one would end a watch on the file itself.
    for folder in inputs.folders_of_files() {
        watcher.watch(&folder, notify::RecursiveMode::NonRecursive).with_context(|| format!("{}: cannot watch", folder.display()))?;
    }
    let (config, state) = (config.clone(), state.clone());
    std::thread::spawn(move || {
        while rx.recv().is_ok() {
            while rx.recv_timeout(QUIET).is_ok() {}
            rebuild(&config, &state, quiet);
        }
    });
    Ok(watcher)
}

/// What `dossier serve` watches, as absolute paths (those notify reports): the input folder,
/// less the output and its sibling folders and hidden files; and single files (the settings,
/// `entities.toml` when it lives outside the input).
#[derive(Clone)]
struct Inputs {
    input: PathBuf,
    /// The output and the folders the build keeps beside it (staging, old site, cache, lock).
    outputs: Vec<PathBuf>,
    files: Vec<PathBuf>,
}

impl Inputs {
    fn of(config: &Config) -> Result<Inputs> {
        let input = config.input.canonicalize().with_context(|| format!("{}: cannot read the input folder", config.input.display()))?;
        let output = absolute(&config.output);
        let mut outputs = vec![output.clone()];
        for suffix in ["dossier-new", "dossier-old", "dossier-cache", "dossier-lock"] {
            outputs.push(absolute(&crate::paths::sibling(&config.output, suffix)?));
        }
        let files = config.file.iter().chain([&config.entities]).map(|f| absolute(f)).filter(|f| !f.starts_with(&input)).collect();
        Ok(Inputs { input, outputs, files })
    }

    /// The folders holding the single files, those that exist, once each.
    fn folders_of_files(&self) -> Vec<PathBuf> {
        let mut folders: Vec<PathBuf> = self.files.iter().filter_map(|f| f.parent()).filter(|d| d.is_dir()).map(Path::to_path_buf).collect();
        folders.sort();
        folders.dedup();
        folders
    }

    /// Whether an event changes what the build reads. Reads (the build's own opens of every
    /// article, the watcher's walk of new folders) and metadata alone (permissions, times) do
    /// not; a watcher that lost events (`need_rescan`) may have missed a change.
    fn is_change(&self, event: &notify::Event) -> bool {
        use notify::event::{EventKind, ModifyKind};
        let changes = match event.kind {
            EventKind::Create(_) | EventKind::Remove(_) => true,
            EventKind::Modify(ModifyKind::Metadata(_)) => false,
            EventKind::Modify(_) => true,
            EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
        };
        event.need_rescan() || (changes && event.paths.iter().any(|p| self.relevant(p)))
    }

    /// Whether a changed path is one the build reads: under the input but not the output's,
    /// and not hidden there (editor swap files, .git); or one of the single files.
    fn relevant(&self, path: &Path) -> bool {
        if self.files.iter().any(|f| f == path) {
            return true;
        }
        let Ok(inner) = path.strip_prefix(&self.input) else { return false };
        !self.outputs.iter().any(|o| path.starts_with(o)) && !inner.components().any(|c| matches!(c, Component::Normal(n) if n.to_string_lossy().starts_with('.')))
    }
}

/// `path` made absolute through its nearest existing ancestor, canonicalised (notify reports
/// canonical paths of the folders it watches); what does not exist yet is appended as written.
fn absolute(path: &Path) -> PathBuf {
    let path = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(path) };
    let mut rest = Vec::new();
    let mut base = path.as_path();
    loop {
        if let Ok(real) = base.canonicalize() {
            return rest.iter().rev().fold(real, |p, part| p.join(part));
        }
        match (base.parent(), base.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                base = parent;
            }
            _ => return path,
        }
    }
}

fn rebuild(config: &Config, state: &Mutex<State>, quiet: bool) {
    let result = pipeline::build(config, &Options { quiet: true, serving: true });
    // The archive's own templates may have changed too; a broken set keeps the last good one.
    let templates = crate::render::templates(&config.input).ok().map(|(t, _)| Arc::new(t));
    let mut s = state.lock().unwrap();
    if templates.is_some() {
        s.templates = templates;
    }
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

/// What the workers answer from: the built site and the state of the builds.
struct Site {
    root: PathBuf,
    title: String,
    port: u16,
    state: Arc<Mutex<State>>,
}

impl Site {
    /// Checks who asks and how, then answers from the site or the server's own paths.
    fn respond(&self, request: &Request) -> Response {
        let Some(host) = request.host.as_deref() else { return Response::text(400, "The request has no Host header.") };
        if !local_host(host, self.port) {
            // A page on another site whose name now points here (DNS rebinding) must not read
            // the archive.
            return Response::text(403, &format!("This server answers to localhost:{0} and 127.0.0.1:{0} only.", self.port));
        }
        if request.method != "GET" && request.method != "HEAD" {
            return Response::text(405, "Only GET and HEAD are answered.").with_header("Allow", "GET, HEAD");
        }
        let path = request.target.split(['?', '#']).next().unwrap_or("/");
        match path {
            "/__dossier/status" => {
                let s = self.state.lock().unwrap();
                let body = serde_json::json!({ "build": s.build, "error": s.error }).to_string();
                return Response::new(200, "application/json", body.into_bytes());
            }
            "/__dossier/reload.js" => return Response::new(200, "text/javascript; charset=utf-8", RELOAD_JS.as_bytes().to_vec()),
            _ => {}
        }
        let file = resolve(&self.root, path).filter(|f| f.is_file());
        match file.map(|f| std::fs::read(&f).map(|bytes| (f, bytes))) {
            Some(Ok((file, mut bytes))) => {
                let kind = content_type(&file);
                if kind.starts_with("text/html") {
                    bytes = with_reload_script(bytes);
                }
                Response::new(200, kind, bytes)
            }
            _ => self.not_found(path),
        }
    }

    /// The 404 page: `404.html` from the archive's templates (or the built-in one) in the
    /// site's frame, so it has the site's style and a way home; plain text if it cannot be made.
    fn not_found(&self, path: &str) -> Response {
        let templates = self.state.lock().unwrap().templates.clone();
        let missing = percent_decode(path).unwrap_or_else(|| path.to_string());
        let mut ctx = tera::Context::new();
        ctx.insert("root", "/");
        ctx.insert("site", &serde_json::json!({ "title": self.title, "base_url": null }));
        ctx.insert("page", &serde_json::json!({ "title": "Page not found", "section": "not-found", "path": path.trim_start_matches('/') }));
        ctx.insert("missing", &missing);
        match templates.map(|t| t.render("404.html", &ctx)) {
            Some(Ok(html)) => Response::new(404, "text/html; charset=utf-8", with_reload_script(html.into_bytes())),
            Some(Err(e)) => Response::text(404, &format!("This archive has no page at {missing}. (404.html: {})", crate::render::tera_error(&e))),
            None => Response::text(404, &format!("This archive has no page at {missing}.")),
        }
    }
}

/// Whether a Host header names this server: localhost, 127.0.0.1 or [::1], with its port
/// (which a browser leaves out only for port 80).
fn local_host(host: &str, port: u16) -> bool {
    let host = host.trim().to_ascii_lowercase();
    let (name, given) = match host.rsplit_once(':') {
        Some((name, p)) if !p.contains(']') => (name, p.parse::<u16>().ok()),
        _ => (host.as_str(), Some(80)),
    };
    matches!(name, "localhost" | "127.0.0.1" | "[::1]") && given == Some(port)
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

    fn inputs() -> Inputs {
        let out = PathBuf::from("/w/site");
        Inputs {
            input: PathBuf::from("/w"),
            outputs: vec![out, "/w/.site.dossier-new".into(), "/w/.site.dossier-old".into(), "/w/.site.dossier-cache".into(), "/w/.site.dossier-lock".into()],
            files: vec!["/etc/dossier.toml".into()],
        }
    }

    fn event(kind: notify::EventKind, path: &str) -> notify::Event {
        notify::Event::new(kind).add_path(path.into())
    }

    #[test]
    fn only_changes_of_the_inputs_start_a_build() {
        use notify::event::{AccessKind, AccessMode, CreateKind, DataChange, EventKind, MetadataKind, ModifyKind, RemoveKind, RenameMode};
        let w = inputs();
        let edit = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        assert!(w.is_change(&event(edit, "/w/desk/a.txt")));
        assert!(w.is_change(&event(EventKind::Create(CreateKind::File), "/w/b.md")));
        assert!(w.is_change(&event(EventKind::Remove(RemoveKind::File), "/w/desk/a.txt")));
        assert!(w.is_change(&event(EventKind::Modify(ModifyKind::Name(RenameMode::To)), "/w/desk/a.txt")));
        assert!(w.is_change(&event(edit, "/etc/dossier.toml")), "the settings, outside the input");
        assert!(!w.is_change(&event(edit, "/etc/passwd")), "but not its neighbours");
        assert!(!w.is_change(&event(EventKind::Access(AccessKind::Open(AccessMode::Any)), "/w/desk/a.txt")), "the build reading");
        assert!(!w.is_change(&event(EventKind::Access(AccessKind::Close(AccessMode::Read)), "/w/desk")), "the watcher walking");
        assert!(!w.is_change(&event(EventKind::Modify(ModifyKind::Metadata(MetadataKind::Any)), "/w/desk/a.txt")), "metadata alone");
        for beside in ["/w/site/index.html", "/w/.site.dossier-new/x.html", "/w/.site.dossier-cache/pages", "/w/.site.dossier-lock", "/w/.site.dossier-old/a"] {
            assert!(!w.is_change(&event(edit, beside)), "{beside}");
        }
        assert!(!w.is_change(&event(edit, "/w/desk/.a.txt.swp")), "hidden files");
        assert!(!w.is_change(&event(EventKind::Other, "/w/desk/a.txt")));
        assert!(w.is_change(&notify::Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan)), "lost events may hide a change");
    }

    #[test]
    fn a_hidden_folder_above_the_input_is_fine() {
        let w = Inputs { input: PathBuf::from("/tmp/.tmp1/seeds"), outputs: vec!["/tmp/.tmp1/site".into()], files: vec![] };
        assert!(w.relevant(Path::new("/tmp/.tmp1/seeds/x.txt")));
    }

    #[test]
    fn only_this_machines_names_with_the_port() {
        for ok in ["localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST:8000"] {
            assert!(local_host(ok, 8000), "{ok}");
        }
        for bad in ["localhost:8001", "localhost", "evil.example:8000", "localhost.evil.example:8000", "[::1]", "127.0.0.2:8000", ""] {
            assert!(!local_host(bad, 8000), "{bad}");
        }
        assert!(local_host("localhost", 80) && local_host("[::1]", 80), "port 80 may go unsaid");
    }

    #[test]
    fn relative_paths_are_made_absolute_through_what_exists() {
        let tmp = std::env::temp_dir().canonicalize().unwrap();
        assert_eq!(absolute(&tmp.join("no-such-dossier-dir/site")), tmp.join("no-such-dossier-dir/site"));
        assert!(absolute(Path::new("site")).is_absolute());
    }
}
