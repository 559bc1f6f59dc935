//! Archive documents taken over from the previous output (issue 20): a
//! closed year's document, like a yearly bundle, depends only on its items
//! and on what shapes them, so a rebuild that finds the same inputs takes
//! the previous file over unread instead of rendering it again.
//!
//! Each archive document's **fingerprint** is the SHA-256 of everything its
//! bytes are made of (`fingerprint`): this pressroom build (`engine`), the
//! site (site.toml's bytes and the site as loaded), the feed's definition
//! (its file's bytes and the definition as loaded, with the title a
//! section's page gave it), the item template's text, the document's place
//! in the history (its period and the neighbours it links), and each of its
//! items' print in order (`proved`: the source file's path and SHA-256, the
//! item as loaded — URL, dates, assets… — and the URLs its links lead to).
//!
//! The cache beside the output (`.<out>.pressroom-cache/documents.json`,
//! next to the archive's `cache.json`) keeps, per document, the fingerprint
//! it was written from, its size and SHA-256, and the inode, size and
//! modification time of the file in the output. A document is taken over
//! (`Staging::reuse`: hard-linked, so the plan and the staging folder's
//! expectations check it like any file) only when all of these hold: same
//! fingerprint; the previous output's record names the same size and
//! SHA-256; the file there is that very file (inode, size, time). A file
//! changed since it was written (a new modification time) is rendered
//! again, as a bundle is; like `make`, this trusts the file system's times.
//!
//! The cache is only an accelerator: missing, damaged (it carries its own
//! SHA-256) or written by another pressroom build, it is ignored and every
//! document is rendered, with the same bytes out. It is saved after a
//! successful commit only.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::archive::cache::{self, FileKey};
use crate::archive::digest::hex;
use crate::content::{ItemKey, Store};
use crate::error::{IoContext, Result};
use crate::feed_def::FeedDef;
use crate::fingerprint::{debug_part, part};
use crate::output::{Staging, Target, WrittenFile};
use crate::plan::Plan;
use crate::proved::ItemShape;
use crate::render::feed::Paging;

const FILE: &str = "documents.json";
const MAGIC: &str = "pressroom-documents 2";

/// A document as the last successful build left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Document {
    fingerprint: String,
    /// Its size and hash, as the record has them.
    written: WrittenFile,
    file: FileKey,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Body {
    /// The pressroom build that wrote it (`proved::ItemShape::engine`), hex.
    engine: String,
    /// By path in the output.
    documents: BTreeMap<String, Document>,
}

/// The documents of the last build (`load`) and those of this one, to keep
/// for the next (`written`, `save`).
pub struct Reuse {
    dir: PathBuf,
    engine: [u8; 32],
    old: Body,
    /// This build's documents: path, fingerprint, what was staged there.
    new: Vec<(String, String, WrittenFile)>,
    /// How many documents were taken over.
    taken: usize,
    /// Each archive document of the plan, by feed and period (their places
    /// in the plan): its fingerprint, and whether the previous output holds
    /// it as written from that fingerprint (in every format).
    docs: HashMap<(usize, usize), (String, bool)>,
}

impl Reuse {
    /// The cache of the output `target`, or an empty one.
    pub fn load(target: &Target, shape: &ItemShape) -> Reuse {
        Reuse::load_from(&target.cache_dir(), *shape.engine())
    }

    /// Works out every archive document's fingerprint in `plan`, and which
    /// of them the previous output in `target` holds as this build would
    /// write them; `feeds_dir` holds the feeds' definitions, `prints` each
    /// item's (`proved::prints`), by its source.
    pub fn plan(
        &mut self,
        target: &Target,
        (shape, prints): (&ItemShape, &FxHashMap<ItemKey<'_>, [u8; 32]>),
        store: &Store,
        plan: &Plan<'_>,
        feeds_dir: &Path,
    ) -> Result<()> {
        let site = format!("{:?}", store.site);
        for (f, feed) in plan.feeds.iter().enumerate().filter(|(_, feed)| !feed.periods.is_empty()) {
            let def = feed.def;
            let def_file = feeds_dir.join(format!("{}.toml", def.name));
            let def_text = fs::read(&def_file).at(&def_file)?;
            for (i, period) in feed.periods.iter().enumerate() {
                let items: Vec<[u8; 32]> =
                    period.items.iter().map(|i| prints.get(&ItemKey(i)).copied().unwrap_or_default()).collect();
                let print = hex(&fingerprint(shape, &site, (def, &def_text), &feed.archive_paging(i), &items));
                let held = def
                    .formats
                    .iter()
                    .all(|&format| self.held(target, &def.document(format, Some(&period.name)).join("/"), &print));
                self.docs.insert((f, i), (print, held));
            }
        }
        Ok(())
    }

    /// The fingerprint of the `period`th archive document of the `feed`th
    /// feed of the plan (`plan`).
    pub fn fingerprint_of(&self, feed: usize, period: usize) -> Option<&str> {
        self.docs.get(&(feed, period)).map(|d| d.0.as_str())
    }

    /// Whether the previous output holds `rel` as written from
    /// `fingerprint`: the cache says so, the record names the size and
    /// hash it kept, and the file there is that very file (inode, size,
    /// modification time).
    fn held(&self, target: &Target, rel: &str, fingerprint: &str) -> bool {
        let Some(doc) = self.old.documents.get(rel).filter(|d| d.fingerprint == fingerprint) else {
            return false;
        };
        let recorded = target.record.entry(rel).is_some_and(|e| e.is_checked() && *e == doc.written);
        let same_file = target
            .previous(rel)
            .and_then(|p| fs::metadata(p).ok())
            .is_some_and(|m| FileKey::of(&m) == doc.file && m.len() == doc.written.size);
        recorded && same_file
    }

    fn load_from(dir: &Path, engine: [u8; 32]) -> Reuse {
        let old = read(&dir.join(FILE)).filter(|b| b.engine == hex(&engine)).unwrap_or_default();
        Reuse { dir: dir.to_owned(), engine, old, new: Vec::new(), taken: 0, docs: HashMap::new() }
    }

    /// Takes the previous output's `rel` into `staging` when it was written
    /// from `fingerprint` and is still what the record says was written
    /// there (checked again: `plan` was a while ago); true when it was taken.
    pub fn take(&mut self, staging: &Staging, rel: &str, fingerprint: &str) -> Result<bool> {
        if !self.held(staging.target(), rel, fingerprint) {
            return Ok(false);
        }
        let taken = staging.reuse(rel)?;
        self.taken += usize::from(taken);
        Ok(taken)
    }

    /// How many documents this build took over from the previous output.
    pub fn taken(&self) -> usize {
        self.taken
    }

    /// Notes the document staged at `rel` (written or taken over) as made
    /// from `fingerprint`, to be kept once the build is committed.
    pub fn written(&mut self, staging: &Staging, rel: &str, fingerprint: String) {
        if let Some(entry) = staging.noted(rel).filter(WrittenFile::is_checked) {
            self.new.push((rel.to_owned(), fingerprint, entry));
        }
    }

    /// Saves this build's documents as they now stand in `out`, after the
    /// commit. A failure only costs the next build its speed: not an error.
    pub fn save(self, out: &Path) {
        let _ = self.try_save(out);
    }

    fn try_save(self, out: &Path) -> io::Result<()> {
        let mut body = Body { engine: hex(&self.engine), documents: BTreeMap::new() };
        for (rel, fingerprint, entry) in self.new {
            let Ok(meta) = fs::symlink_metadata(out.join(&rel)) else { continue };
            if !meta.is_file() || meta.len() != entry.size {
                continue;
            }
            let doc = Document { fingerprint, file: FileKey::of(&meta), written: entry };
            body.documents.insert(rel, doc);
        }
        let json = serde_json::to_vec(&body).map_err(io::Error::other)?;
        cache::write_checked(&self.dir, FILE, MAGIC, &json)
    }
}

/// Everything the bytes of one archive document are made of (see the
/// module's comment): what shapes every document alike, the site as loaded
/// (`site`, formatted), the feed's definition, the document's place in the
/// history, and its items' prints (`proved`), in order.
fn fingerprint(
    shape: &ItemShape,
    site: &str,
    (def, def_text): (&FeedDef, &[u8]),
    paging: &Paging,
    items: &[[u8; 32]],
) -> [u8; 32] {
    let mut h = Sha256::new();
    part(&mut h, b"pressroom archive document 2");
    part(&mut h, shape.engine());
    part(&mut h, shape.site_text());
    part(&mut h, site.as_bytes());
    part(&mut h, def_text);
    debug_part(&mut h, def);
    part(&mut h, &shape.item_template());
    debug_part(&mut h, paging);
    part(&mut h, &(items.len() as u64).to_le_bytes());
    for item in items {
        h.update(item);
    }
    h.finalize().into()
}

/// The cache file's body, if it is whole.
fn read(path: &Path) -> Option<Body> {
    cache::read_checked(path, MAGIC)
}

/// The size and hash of a file, as the record has them (tests).
#[cfg(test)]
fn entry_of(path: &Path) -> WrittenFile {
    WrittenFile::of_bytes(&fs::read(path).unwrap())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store_templates::Templates;

    const SITE: &str = "base_url = \"https://example.org/\"\ndescription = \"d\"\nlanguage = \"en\"\n\
                        publisher = \"P\"\ncopyright = \"C\"\n";

    /// A store of three items over two years, with one feed of limit 1.
    /// Files a test has edited since are left as they are.
    fn fixture(root: &Path) -> (Store, Vec<FeedDef>, Templates) {
        let write = |path: PathBuf, text: String| {
            if !path.exists() {
                fs::write(path, text).unwrap();
            }
        };
        let content = root.join("content");
        fs::create_dir_all(content.join("news")).unwrap();
        write(content.join("site.toml"), format!("title = \"T\"\n{SITE}"));
        for (slug, date) in [("a", "2020-01-01"), ("b", "2020-06-01"), ("c", "2021-01-01")] {
            let text = format!("+++\ntitle = \"{slug}\"\ndate = {date}T00:00:00Z\n+++\nBody of {slug}.\n");
            write(content.join(format!("news/{slug}.md")), text);
        }
        let feeds = root.join("feeds");
        fs::create_dir_all(&feeds).unwrap();
        let def = "title = \"N\"\ndescription = \"d\"\nsection = \"news\"\nlimit = 1\nformats = [\"atom\"]\n";
        write(feeds.join("news.toml"), def.to_owned());
        let now = jiff::Timestamp::from_second(1_900_000_000).unwrap();
        let store = Store::load(&content, now).unwrap();
        let defs = FeedDef::load_all(&feeds, Some(crate::feed_def::Sections::of(&store))).unwrap();
        let templates = Templates::load(&feeds, std::time::Duration::from_secs(10)).unwrap();
        (store, defs, templates)
    }

    fn print(engine: &[u8], root: &Path, paging: &Paging) -> [u8; 32] {
        let (store, defs, templates) = fixture(root);
        let items: Vec<&crate::content::Item> = store.news.iter().map(Box::as_ref).filter(|i| i.slug != "c").collect();
        let shape = ItemShape::with_engine(Sha256::digest(engine).into(), &store, &templates);
        let prints = crate::proved::prints(&shape, &store, &items);
        let def_text = fs::read(root.join("feeds/news.toml")).unwrap();
        fingerprint(&shape, &format!("{:?}", store.site), (&defs[0], &def_text), paging, &prints)
    }

    #[test]
    fn the_fingerprint_follows_everything_that_shapes_the_document() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let paging = Paging::Archive { period: "2020".into(), prev: None, next: Some("2021".into()) };
        let first = print(b"v1", root, &paging);
        assert_eq!(print(b"v1", root, &paging), first, "deterministic");
        // An item of another year changes nothing.
        fs::write(root.join("content/news/c.md"), "+++\ntitle = \"c2\"\ndate = 2021-01-01T00:00:00Z\n+++\nNew.\n")
            .unwrap();
        assert_eq!(print(b"v1", root, &paging), first, "the open year's item is not this document's");
        assert_ne!(print(b"v2", root, &paging), first, "pressroom's version");
        let moved = Paging::Archive { period: "2020".into(), prev: Some("2019".into()), next: Some("2021".into()) };
        assert_ne!(print(b"v1", root, &moved), first, "the neighbours' links");
        let edits: [(&str, &str); 4] = [
            ("content/news/a.md", "+++\ntitle = \"a\"\ndate = 2020-01-01T00:00:00Z\n+++\nBody of a!\n"),
            ("feeds/templates/item.html", "<p>{{ content | safe }}</p>"),
            ("content/site.toml", &format!("title = \"T2\"\n{SITE}")),
            (
                "feeds/news.toml",
                "title = \"N2\"\ndescription = \"d\"\nsection = \"news\"\nlimit = 1\nformats = [\"atom\"]\n",
            ),
        ];
        let mut seen = vec![first];
        for (file, text) in edits {
            fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
            fs::write(root.join(file), text).unwrap();
            let now = print(b"v1", root, &paging);
            assert!(!seen.contains(&now), "{file}");
            seen.push(now);
        }
    }

    #[test]
    fn a_damaged_or_foreign_cache_is_ignored() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("cache");
        let file = tmp.path().join("doc.xml");
        fs::write(&file, b"<rss/>").unwrap();
        let mut reuse = Reuse::load_from(&dir, [1; 32]);
        let entry = entry_of(&file);
        reuse.new.push(("doc.xml".into(), "f".into(), entry));
        reuse.save(tmp.path());
        assert_eq!(Reuse::load_from(&dir, [1; 32]).old.documents.len(), 1);
        assert!(Reuse::load_from(&dir, [2; 32]).old.documents.is_empty(), "another build");
        let text = fs::read(dir.join(FILE)).unwrap();
        let mut flipped = text.clone();
        let last = flipped.len() - 2;
        flipped[last] ^= 1;
        for bad in [flipped, text[..text.len() / 2].to_vec(), Vec::new()] {
            fs::write(dir.join(FILE), bad).unwrap();
            assert!(Reuse::load_from(&dir, [1; 32]).old.documents.is_empty());
        }
    }
}
