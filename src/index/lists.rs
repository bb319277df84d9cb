//! Lists of articles a page at a time: the archive's list, newest first, and the articles of
//! an entity's page (`ArticleList`), with their year sections and pagers.

use serde_json::json;

use super::article::ArticleSummary;

/// Articles per page of the article list (`articles/index.html`, `articles/page/2.html`, …).
pub const ARTICLE_PAGE: usize = 500;

/// The article list's year sections, in list order: `{ id, label, start, count }` with `id`
/// the section's anchor ("y2017", "year-unknown", "undated") and `start` its first position in
/// the list. The list is ordered by date (`Indexes::order`), so each year is one run.
pub fn year_groups<'a>(published: impl Iterator<Item = Option<&'a str>>) -> Vec<serde_json::Value> {
    let mut runs: Vec<(String, String, usize, usize)> = Vec::new();
    for (i, p) in published.enumerate() {
        let (id, label) = match p {
            None => ("undated".to_string(), "Undated".to_string()),
            Some(p) if p.starts_with("XXXX") => ("year-unknown".to_string(), "Year unknown".to_string()),
            Some(p) => {
                let y = p.split('-').next().unwrap_or(p);
                (format!("y{y}"), y.to_string())
            }
        };
        match runs.last_mut() {
            Some(run) if run.0 == id => run.3 += 1,
            _ => runs.push((id, label, i, 1)),
        }
    }
    runs.into_iter().map(|(id, label, start, count)| serde_json::json!({ "id": id, "label": label, "start": start, "count": count })).collect()
}

/// Where section `id` of the article list ("year-unknown", "undated") begins: the address of
/// the page that opens it, with the section's anchor; `None` when the list has no such section.
/// A large archive's dates index links there rather than listing those articles itself.
pub fn section_url(order: &[usize], summaries: &[ArticleSummary], id: &str) -> Option<String> {
    let groups = year_groups(order.iter().map(|i| summaries[*i].published()));
    let start = groups.iter().find(|g| g["id"] == id)?["start"].as_u64()? as usize;
    Some(format!("{}#{id}", article_list_url(start / ARTICLE_PAGE)))
}

/// The article list, newest first, a page of `size` at a time: page `p` (from 0) shows the
/// articles at list positions `p * size ..`, so the facets script can tell every article's page.
pub struct ArticleList<'a> {
    order: &'a [usize],
    summaries: &'a [ArticleSummary],
    size: usize,
    /// None for the archive's list; for an entity's articles, the address of its page, where
    /// the first page stays (every link to the entity keeps working) and beside which the
    /// others go (`entity_page_url`).
    entity_url: Option<&'a str>,
}

/// The address of page `p` of the article list. Later pages go in a folder of their own, where
/// no article's page can be (article ids have no '/').
pub fn article_list_url(p: usize) -> String {
    if p == 0 { "articles/index.html".to_string() } else { format!("articles/page/{}.html", p + 1) }
}

/// The address of page `p` of an entity's page whose first page is at `url`
/// (`people/sergei-lavrov.html`): `people/sergei-lavrov/page/2.html`, … A folder of the
/// entity's own, as the article list's later pages are: a name beside it (`sergei-lavrov-2`)
/// could be another entity's, as slugs of one name are told apart that way; and no entity's
/// page can be in a folder, as slugs have no '/'.
pub fn entity_page_url(url: &str, p: usize) -> String {
    if p == 0 { url.to_string() } else { format!("{}/page/{}.html", url.strip_suffix(".html").unwrap_or(url), p + 1) }
}

/// How many numbered links the pager of an entity's pages shows at most around the current
/// page on each side (with the first and the last page always): a pager naming all of an
/// entity's pages would grow with the archive on each of them (500 pages of 500 links).
pub const ENTITY_PAGER_REACH: usize = 3;

impl<'a> ArticleList<'a> {
    pub fn new(order: &'a [usize], summaries: &'a [ArticleSummary], size: usize) -> ArticleList<'a> {
        ArticleList { order, summaries, size: size.max(1), entity_url: None }
    }

    /// The articles `arts` of an entity (in list order) on the pages of its page at `url`.
    pub fn of_entity(arts: &'a [usize], summaries: &'a [ArticleSummary], size: usize, url: &'a str) -> ArticleList<'a> {
        ArticleList { order: arts, summaries, size: size.max(1), entity_url: Some(url) }
    }

    /// The address of page `p`.
    pub fn url(&self, p: usize) -> String {
        match self.entity_url {
            None => article_list_url(p),
            Some(url) => entity_page_url(url, p),
        }
    }

    /// The articles on page `p`, in list order.
    pub fn page(&self, p: usize) -> &'a [usize] {
        self.on_page(p)
    }

    /// At least one page, so that an empty archive still has its (empty) list.
    pub fn page_count(&self) -> usize {
        self.order.len().div_ceil(self.size).max(1)
    }

    fn on_page(&self, p: usize) -> &'a [usize] {
        let start = (p * self.size).min(self.order.len());
        &self.order[start..(start + self.size).min(self.order.len())]
    }

    /// "Articles", then "Articles, page 2 of 9".
    pub fn page_title(&self, p: usize) -> String {
        if self.page_count() == 1 { "Articles".to_string() } else { format!("Articles, page {} of {}", p + 1, self.page_count()) }
    }

    /// A page as the pager shows it: number, address, and the dates of its first and last articles.
    fn page_link(&self, p: usize) -> serde_json::Value {
        let list = self.on_page(p);
        let date = |i: Option<&usize>| i.map_or(String::new(), |i| self.summaries[*i].published_display().to_string());
        let (first, last) = (date(list.first()), date(list.last()));
        let label = if first == last { first } else { format!("{first} – {last}") };
        json!({ "number": p + 1, "url": self.url(p), "label": label })
    }

    /// What page `p` shows besides its cards: the archive's total, where the page starts in
    /// the whole list, its year sections (`year_groups`, positions within the page), whether
    /// the list ends with articles without a full date, and the pager over every page.
    pub fn frame(&self, p: usize) -> serde_json::Value {
        let undated_last = self.order.last().is_some_and(|i| self.summaries[*i].published().is_none_or(|d| d.starts_with('X')));
        let count = self.page_count();
        json!({
            "total": self.order.len(),
            "first": p * self.size,
            "page_size": self.size,
            "undated_last": undated_last,
            "groups": year_groups(self.on_page(p).iter().map(|i| self.summaries[*i].published())),
            "pager": self.pager(p, (0..count).collect()),
        })
    }

    /// The pager of page `p`: its number and dates (`label`), the page count, the previous and next pages, and
    /// the pages `shown` (every one on the archive's list, whose facets count matches on each)
    /// as links, with `{ gap: true }` where numbers are left out; no links for a single page.
    fn pager(&self, p: usize, shown: Vec<usize>) -> serde_json::Value {
        let count = self.page_count();
        let mut pages = Vec::new();
        for (k, &q) in shown.iter().enumerate() {
            if k > 0 && q > shown[k - 1] + 1 {
                pages.push(json!({ "gap": true }));
            }
            pages.push(self.page_link(q));
        }
        json!({
            "number": p + 1,
            "count": count,
            "label": self.page_link(p)["label"],
            "prev": p.checked_sub(1).map(|q| self.page_link(q)),
            "next": (p + 1 < count).then(|| self.page_link(p + 1)),
            "pages": if count > 1 { pages } else { Vec::new() },
        })
    }

    /// What page `p` of an entity's articles shows besides them: their total, where the page
    /// starts among them, the page size, and the pager (the first and last pages and
    /// `ENTITY_PAGER_REACH` on each side of this one).
    pub fn entity_frame(&self, p: usize) -> serde_json::Value {
        let last = self.page_count() - 1;
        // A gap of one page shows that page instead ("1 2 3", not "1 … 3").
        let lo = match p.saturating_sub(ENTITY_PAGER_REACH) {
            lo if lo <= 2 => 0,
            lo => lo,
        };
        let hi = match (p + ENTITY_PAGER_REACH).min(last) {
            hi if hi + 2 >= last => last,
            hi => hi,
        };
        let mut shown: Vec<usize> = std::iter::once(0).chain(lo..=hi).chain(std::iter::once(last)).collect();
        shown.dedup();
        json!({
            "total": self.order.len(),
            "first": p * self.size,
            "page_size": self.size,
            "pager": self.pager(p, shown),
        })
    }

    /// A key for page `p`: its frame and `article_keys` (each article with its summary) of the
    /// articles it lists, in order.
    pub fn page_key(&self, p: usize, frame: &serde_json::Value, article_keys: &[crate::cache::Key]) -> crate::cache::Key {
        let mut h = crate::cache::Hasher::new("article list page");
        for i in self.on_page(p) {
            h.part(&article_keys[*i]);
        }
        h.json(frame)
    }

    /// Page `p`'s context (`docs/template-context.md`): the frame's fields and its articles.
    pub fn page_context(&self, p: usize, frame: serde_json::Value) -> tera::Context {
        let mut ctx = tera::Context::from_serialize(&frame).expect("a frame is an object");
        ctx.insert("articles", &self.on_page(p).iter().map(|i| &self.summaries[*i]).collect::<Vec<_>>());
        ctx
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::article::{Counts, SummaryView};

    fn summary(n: usize) -> ArticleSummary {
        ArticleSummary::new(SummaryView {
            id: &format!("a{n}"),
            url: &format!("articles/a{n}.html"),
            title: &format!("Article {n}"),
            title_derived: false,
            published: Some(&format!("2016-03-{:02}", 30 - n)),
            published_display: &format!("{} March 2016", 30 - n),
            place: None,
            agency: None,
            snippet: "",
            counts: Counts::default(),
        })
    }

    /// The numbers an entity page's pager shows, 0 for a gap.
    fn numbers(frame: &serde_json::Value) -> Vec<u64> {
        frame["pager"]["pages"].as_array().unwrap().iter().map(|q| q["number"].as_u64().unwrap_or(0)).collect()
    }

    /// An entity's first page stays at its address and the others go in a folder of its own;
    /// each lists its share of the articles, and the pager names the first and last pages and
    /// three either side of the current one (a gap of one page shown as that page).
    #[test]
    fn entity_pages_split_the_articles_and_name_nearby_pages() {
        assert_eq!(entity_page_url("people/sergei-lavrov.html", 0), "people/sergei-lavrov.html");
        assert_eq!(entity_page_url("people/sergei-lavrov.html", 1), "people/sergei-lavrov/page/2.html");
        let summaries: Vec<ArticleSummary> = (0..25).map(summary).collect();
        let arts: Vec<usize> = (0..23).collect();
        let list = ArticleList::of_entity(&arts, &summaries, 2, "people/x.html");
        assert_eq!(list.page_count(), 12);
        let listed: Vec<usize> = (0..12).flat_map(|p| list.page(p).to_vec()).collect();
        assert_eq!(listed, arts, "every article once, in order");
        assert_eq!(list.page(11), &[22]);
        let first = list.entity_frame(0);
        assert_eq!(numbers(&first), [1, 2, 3, 4, 0, 12]);
        assert_eq!(first["pager"]["prev"], serde_json::Value::Null);
        assert_eq!(first["pager"]["next"]["url"], "people/x/page/2.html");
        assert_eq!(first["pager"]["label"], "30 March 2016 – 29 March 2016");
        assert_eq!((first["total"].as_u64(), first["first"].as_u64()), (Some(23), Some(0)));
        assert_eq!(numbers(&list.entity_frame(4)), [1, 2, 3, 4, 5, 6, 7, 8, 0, 12], "page 5: 2..8, 1 filling the gap");
        assert_eq!(numbers(&list.entity_frame(6)), [1, 0, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        let last = list.entity_frame(11);
        assert_eq!(numbers(&last), [1, 0, 9, 10, 11, 12]);
        assert_eq!(last["pager"]["next"], serde_json::Value::Null);
        assert_eq!(last["pager"]["prev"]["url"], "people/x/page/11.html");
        let one = ArticleList::of_entity(&arts[..2], &summaries, 2, "people/x.html");
        assert_eq!((one.page_count(), numbers(&one.entity_frame(0)).len()), (1, 0), "one page: no pager");
    }
}
