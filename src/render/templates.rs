//! The templates: the built-in ones (`templates/`, compiled in by `build.rs`) with the archive's
//! own over them, set up in Tera with Dossier's escaping and filters, and the key of each
//! template that a page's inputs include.

use anyhow::{Context as _, Result};
use std::collections::BTreeMap;
use std::path::Path;

use super::escape::escape_html;
use super::jsonld;

/// Loads the built-in templates, then the archive's own `templates/` over them, file by file.
/// Also returns the key of each template: a page's inputs include the key of its template,
/// so an edit to one template renders again only the pages that use it.
pub fn templates(input: &Path) -> Result<(tera::Tera, TemplateKeys)> {
    let mut tera = tera::Tera::new();
    tera.set_escape_fn(escape_html);
    tera.register_filter("json_script", jsonld::json_script);
    tera.register_filter("decimal", decimal);
    let mut sources: Vec<(String, String)> = crate::embedded::TEMPLATES
        .iter()
        .map(|(name, bytes)| (name.to_string(), String::from_utf8_lossy(bytes).into_owned()))
        .collect();
    let own = input.join("templates");
    if own.is_dir() {
        for entry in walkdir::WalkDir::new(&own).sort_by_file_name().into_iter().flatten() {
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(&own).unwrap().to_string_lossy().replace('\\', "/");
                let text = std::fs::read_to_string(entry.path()).with_context(|| format!("{}: cannot read template", entry.path().display()))?;
                sources.retain(|(n, _)| *n != rel);
                sources.push((rel, text));
            }
        }
    }
    sources.sort();
    let keys = TemplateKeys::new(&sources);
    tera.add_raw_templates(sources).map_err(|e| anyhow::anyhow!("templates: {}", tera_error(&e)))?;
    Ok((tera, keys))
}

/// The key of each template: a hash of its source and of every template it may draw on (those
/// it extends or includes, transitively, and those that define components, which are global
/// in Tera 2). A template that names another in a way not read here (not a string literal)
/// gets the key of all the templates together.
pub struct TemplateKeys {
    all: crate::cache::Key,
    by_name: BTreeMap<String, crate::cache::Key>,
}

impl TemplateKeys {
    fn new(sources: &[(String, String)]) -> TemplateKeys {
        let hash = |names: &mut dyn Iterator<Item = &(String, String)>| {
            let mut h = crate::cache::Hasher::new("templates");
            for (name, text) in names {
                h.part(name.as_bytes()).part(text.as_bytes());
            }
            h.finish()
        };
        let all = hash(&mut sources.iter());
        let refs: BTreeMap<&str, Option<Vec<String>>> = sources.iter().map(|(n, t)| (n.as_str(), template_refs(t))).collect();
        let global: Vec<&str> = sources.iter().filter(|(_, t)| defines_components(t)).map(|(n, _)| n.as_str()).collect();
        let by_name = sources
            .iter()
            .filter_map(|(name, _)| {
                // The template, what it reaches, and the component files, in name order.
                let mut used = std::collections::BTreeSet::new();
                let mut todo: Vec<&str> = global.iter().copied().chain([name.as_str()]).collect();
                while let Some(t) = todo.pop() {
                    if !used.insert(t) {
                        continue;
                    }
                    match refs.get(t) {
                        Some(Some(names)) => todo.extend(names.iter().map(String::as_str)),
                        // Read in a way not followed here, or a template that does not exist
                        // (Tera reports it when rendering): the key of all templates.
                        _ => return None,
                    }
                }
                Some((name.clone(), hash(&mut sources.iter().filter(|(n, _)| used.contains(n.as_str())))))
            })
            .collect();
        TemplateKeys { all, by_name }
    }

    /// The key of template `name`.
    pub fn of(&self, name: &str) -> &crate::cache::Key {
        self.by_name.get(name).unwrap_or(&self.all)
    }
}

/// The templates a template's source names in `extends`, `include` and `import` tags, or None
/// when a tag names one by something other than string literals (a variable).
fn template_refs(source: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for tag in source.split("{%").skip(1) {
        let tag = tag.split("%}").next().unwrap_or("");
        let body = tag.trim_start_matches(['-', ' ', '\t', '\n', '\r']);
        let Some(rest) = ["extends", "include", "import"].iter().find_map(|k| body.strip_prefix(k)) else { continue };
        let literals = string_literals(rest);
        if literals.is_empty() {
            return None;
        }
        out.extend(literals);
    }
    Some(out)
}

/// The contents of the '…' and "…" literals of a tag, in order.
fn string_literals(tag: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = tag;
    while let Some(i) = rest.find(['"', '\'']) {
        let quote = rest[i..].chars().next().unwrap_or('"');
        let after = &rest[i + 1..];
        let Some(j) = after.find(quote) else { break };
        out.push(after[..j].to_string());
        rest = &after[j + 1..];
    }
    out
}

/// Whether a template defines components (or macros): those are global, so every page may use them.
fn defines_components(source: &str) -> bool {
    source.split("{%").skip(1).any(|tag| {
        let body = tag.trim_start_matches(['-', ' ', '\t', '\n', '\r']);
        body.starts_with("component") || body.starts_with("macro")
    })
}

/// `{{ x | decimal }}`: a number as CSS, SVG and URLs want it, "80" rather than Tera's "80.0"
/// for a whole float; anything else as it is.
fn decimal(value: &tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    match (value.kind(), value.as_f64()) {
        (tera::value::ValueKind::F64, Some(f)) => tera::Value::from(f.to_string()),
        _ => value.clone(),
    }
}

/// Tera nests the real cause; show the whole chain on one line.
pub fn tera_error(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(sources: &[(&str, &str)]) -> TemplateKeys {
        let owned: Vec<(String, String)> = sources.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
        TemplateKeys::new(&owned)
    }

    #[test]
    fn a_template_is_keyed_on_what_it_extends_includes_and_the_component_files() {
        let base = [
            ("base.html", "<html>{% block content %}{% endblock %}</html>"),
            ("article.html", "{% extends \"base.html\" %}{% block content %}{% include 'segment.html' %}{% endblock %}"),
            ("timeline.html", "{%- extends \"base.html\" -%}{% block content %}t{% endblock %}"),
            ("segment.html", "<mark>{{ s }}</mark>"),
            ("macros.html", "{%- component m.x(a) -%}{{ a }}{%- endcomponent m.x -%}"),
        ];
        let before = keys(&base);
        let mut edited = base;
        edited[3].1 = "<mark class=\"new\">{{ s }}</mark>";
        let after = keys(&edited);
        assert_ne!(before.of("article.html"), after.of("article.html"), "an included template's edit reaches the pages that include it");
        assert_eq!(before.of("timeline.html"), after.of("timeline.html"), "and no other");
        edited[4].1 = "{%- component m.x(a) -%}[{{ a }}]{%- endcomponent m.x -%}";
        assert_ne!(after.of("timeline.html"), keys(&edited).of("timeline.html"), "components are global: every page may use them");
        edited[0].1 = "<html lang=\"en\">{% block content %}{% endblock %}</html>";
        assert_ne!(keys(&edited).of("timeline.html"), after.of("timeline.html"));
    }

    #[test]
    fn a_template_named_by_a_variable_or_missing_takes_the_key_of_all() {
        let sources = [("a.html", "{% include name %}"), ("b.html", "{% include \"gone.html\" %}"), ("c.html", "c")];
        let k = keys(&sources);
        assert_eq!(k.of("a.html"), &k.all);
        assert_eq!(k.of("b.html"), &k.all);
        assert_ne!(k.of("c.html"), &k.all);
        assert_eq!(template_refs("{% include [\"x.html\", 'y.html'] ignore missing %}{%- import \"m.html\" as m -%}"), Some(vec!["x.html".to_string(), "y.html".to_string(), "m.html".to_string()]));
    }
}
