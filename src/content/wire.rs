//! The bytes of one file's parse in the cache of parsed files
//! (`parsed_cache`): a news item or publication as `Loader::load_file`
//! made it (its digest too: no rebuild hashes it again), with its
//! positions, its links to other content files and the names of its kept
//! keys, and for a publication, how its PDF was found;
//! not its path, which the entry holds. Binary,
//! numbers and lengths as LEB128 varints: 110,000 of these are read by
//! every build, and a reader that meets anything else returns `None`.

use std::os::unix::ffi::OsStringExt as _;
use std::path::PathBuf;

use jiff::Timestamp;

use super::item::{Item, Pdf, Publication, PublicationKind, Section};
use super::link::Link;
use crate::archive::cache::FileKey;
use crate::diagnostic::Pos;

/// How a publication's PDF was found: its `file` as written, followed
/// through real folders only (no link on the way) to a regular file in
/// `state`. A kept parse is taken only while that is still so
/// (`Loader::same_pdf`).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PdfSeen {
    pub file: String,
    pub state: FileKey,
}

/// A parse the cache keeps: the item, whether it is a draft, where its id,
/// slug and date are written, the keys kept for templates, and how a
/// publication's PDF was found.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Parse {
    pub item: Box<Item>,
    pub draft: bool,
    pub poses: [Pos; 3],
    pub links: Vec<Link>,
    pub kept: Vec<String>,
    pub pdf: Option<PdfSeen>,
}

/// A parse to encode, borrowed from where the load keeps it.
#[derive(Clone, Copy)]
pub(super) struct Borrowed<'a> {
    pub item: &'a Item,
    pub draft: bool,
    pub poses: [Pos; 3],
    pub links: &'a [Link],
    pub kept: &'a [String],
    pub pdf: Option<&'a PdfSeen>,
}

/// Appends `parse` to `out`. Only parses with no assets are kept, and
/// publications only with how their PDF was found: assets are not
/// written.
pub(super) fn encode(parse: Borrowed<'_>, out: &mut Vec<u8>) {
    let item = parse.item;
    debug_assert!(item.assets.is_empty() && item.publication.is_some() == parse.pdf.is_some());
    out.push(match item.section {
        Section::News => 0,
        Section::Publications => 1,
    });
    out.push(u8::from(parse.draft));
    for pos in &parse.poses {
        number(out, pos.line as u64);
        number(out, pos.column as u64);
    }
    text(out, &item.section_name);
    out.extend_from_slice(&item.digest);
    for field in [&item.slug, &item.id, &item.url, &item.title] {
        text(out, field);
    }
    optional(out, item.summary.as_deref());
    time(out, item.date);
    match item.updated {
        Some(updated) => {
            out.push(1);
            time(out, updated);
        }
        None => out.push(0),
    }
    for list in [&item.tags[..], &item.categories, &item.authors, &item.aliases, parse.kept] {
        number(out, list.len() as u64);
        for entry in list {
            text(out, entry);
        }
    }
    number(out, parse.links.len() as u64);
    for link in parse.links {
        number(out, link.pos.line as u64);
        number(out, link.pos.column as u64);
        text(out, &link.link);
        bytes(out, link.target.as_os_str().as_encoded_bytes());
    }
    let extra =
        if item.extra.is_empty() { String::new() } else { serde_json::Value::from(item.extra.clone()).to_string() };
    text(out, &extra);
    match (&item.publication, parse.pdf) {
        (Some(publication), Some(seen)) => {
            out.push(1);
            publication_fields(out, publication, seen);
        }
        _ => out.push(0),
    }
}

fn publication_fields(out: &mut Vec<u8>, publication: &Publication, seen: &PdfSeen) {
    let Publication { kind, edition, language, pdf } = publication;
    text(out, kind.name());
    optional(out, edition.as_deref());
    optional(out, language.as_deref());
    // Its state is the one `seen` keeps.
    let Pdf { source, file_name, size, url, out_path, state: _ } = pdf;
    bytes(out, source.as_os_str().as_encoded_bytes());
    text(out, file_name);
    number(out, *size);
    text(out, url);
    number(out, out_path.len() as u64);
    for segment in out_path {
        text(out, segment);
    }
    text(out, &seen.file);
    let FileKey { size, mtime_ns, ino, dev } = seen.state;
    for n in [size, mtime_ns as u64, ino, dev] {
        number(out, n);
    }
}

/// The publication and how its PDF was found, as `publication_fields` wrote them.
fn publication(r: &mut Reader<'_>) -> Option<(Publication, PdfSeen)> {
    let kind = PublicationKind::parse(&r.text()?)?;
    let [edition, language] = [r.optional()?, r.optional()?];
    let source = PathBuf::from(std::ffi::OsString::from_vec(r.bytes()?.to_vec()));
    let file_name = r.text()?;
    let size = r.number()?;
    let url = r.text()?;
    let out_path = (0..r.count()?).map(|_| r.text()).collect::<Option<_>>()?;
    let file = r.text()?;
    let [size_now, mtime_ns, ino, dev] = [r.number()?, r.number()?, r.number()?, r.number()?];
    let state = FileKey { size: size_now, mtime_ns: mtime_ns as i64, ino, dev };
    let pdf = Pdf { source, file_name, size, url, out_path, state: Some(state) };
    Some((Publication { kind, edition, language, pdf }, PdfSeen { file, state }))
}

/// The parse `encode` wrote as `input`, if it is one, of the file at `source`.
pub(super) fn decode(source: PathBuf, input: &[u8]) -> Option<Parse> {
    let mut r = Reader(input);
    let section = match r.byte()? {
        0 => Section::News,
        1 => Section::Publications,
        _ => return None,
    };
    let draft = match r.byte()? {
        0 => false,
        1 => true,
        _ => return None,
    };
    let mut poses = [Pos::FILE; 3];
    for pos in &mut poses {
        *pos = Pos { line: r.number()? as usize, column: r.number()? as usize };
    }
    let section_name = r.text()?;
    let digest = r.take(32)?.try_into().ok()?;
    let [slug, id, url, title] = [r.text()?, r.text()?, r.text()?, r.text()?];
    let summary = r.optional()?;
    let date = r.time()?;
    let updated = match r.byte()? {
        0 => None,
        1 => Some(r.time()?),
        _ => return None,
    };
    let mut lists: [Vec<String>; 5] = Default::default();
    for list in &mut lists {
        *list = (0..r.count()?).map(|_| r.text()).collect::<Option<_>>()?;
    }
    let [tags, categories, authors, aliases, kept] = lists;
    let links = (0..r.count()?)
        .map(|_| {
            let pos = Pos { line: r.number()? as usize, column: r.number()? as usize };
            let link = r.text()?;
            let target = PathBuf::from(std::ffi::OsString::from_vec(r.bytes()?.to_vec()));
            Some(Link { pos, link, target })
        })
        .collect::<Option<_>>()?;
    let extra = match r.text()? {
        extra if extra.is_empty() => serde_json::Map::new(),
        extra => match serde_json::from_str(&extra).ok()? {
            serde_json::Value::Object(map) => map,
            _ => return None,
        },
    };
    let (publication, pdf) = match r.byte()? {
        0 => (None, None),
        1 => publication(&mut r).map(|(p, seen)| (Some(Box::new(p)), Some(seen)))?,
        _ => return None,
    };
    let item = Item {
        section,
        section_name,
        source,
        slug,
        id,
        url,
        title,
        summary,
        date,
        updated,
        tags,
        categories,
        authors,
        aliases,
        extra,
        publication,
        assets: Vec::new(),
        digest,
    };
    r.0.is_empty().then(|| Parse { item: Box::new(item), draft, poses, links, kept, pdf })
}

/// `n` as a LEB128 varint: seven bits a byte, low first.
fn number(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn bytes(out: &mut Vec<u8>, b: &[u8]) {
    number(out, b.len() as u64);
    out.extend_from_slice(b);
}

fn text(out: &mut Vec<u8>, s: &str) {
    bytes(out, s.as_bytes());
}

fn optional(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => {
            out.push(1);
            text(out, s);
        }
        None => out.push(0),
    }
}

fn time(out: &mut Vec<u8>, t: Timestamp) {
    // Zigzag: dates before 1970 small too.
    let second = t.as_second();
    number(out, ((second << 1) ^ (second >> 63)) as u64);
    number(out, (u64::from(t.subsec_nanosecond().unsigned_abs()) << 1) | u64::from(t.subsec_nanosecond() < 0));
}

/// What is left to read.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (taken, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(taken)
    }

    fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn number(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            n |= u64::from(byte & 0x7f).checked_shl(shift)?;
            if byte & 0x80 == 0 {
                // One way only to write a number: no trailing zero byte.
                return (byte != 0 || shift == 0).then_some(n);
            }
        }
        None
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = usize::try_from(self.number()?).ok()?;
        self.take(n)
    }

    /// How many entries follow: each takes a byte at least, so a count
    /// past the input is a lie.
    fn count(&mut self) -> Option<usize> {
        usize::try_from(self.number()?).ok().filter(|&n| n <= self.0.len())
    }

    fn text(&mut self) -> Option<String> {
        String::from_utf8(self.bytes()?.to_vec()).ok()
    }

    /// What `optional` wrote: `Some(None)` for none.
    fn optional(&mut self) -> Option<Option<String>> {
        match self.byte()? {
            0 => Some(None),
            1 => Some(Some(self.text()?)),
            _ => None,
        }
    }

    fn time(&mut self) -> Option<Timestamp> {
        let zigzag = self.number()?;
        let second = (zigzag >> 1) as i64 ^ -((zigzag & 1) as i64);
        let nanos = self.number()?;
        let magnitude = i32::try_from(nanos >> 1).ok()?;
        Timestamp::new(second, if nanos & 1 == 1 { -magnitude } else { magnitude }).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse() -> Parse {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal/content");
        let store = super::super::Store::load(&root, Timestamp::from_second(1_900_000_000).unwrap()).unwrap();
        let mut item = store.news[0].clone();
        item.summary = Some("A summary, «quoted».".into());
        item.updated = Some(Timestamp::new(1_700_000_000, 5).unwrap());
        item.tags = vec!["a".into(), "b".into()];
        item.aliases = vec!["/old/".into()];
        item.extra.insert("weight".into(), serde_json::json!({"n": 1.5, "list": [1, "x", null]}));
        let link = Link { pos: Pos::new(9, 3), link: "../b.md".into(), target: "content/news/b.md".into() };
        let poses = [Pos::new(1, 2), Pos::new(3, 4), Pos::FILE];
        Parse { item, draft: true, poses, links: vec![link], kept: vec!["weight".into()], pdf: None }
    }

    /// A publication's parse, its PDF found through a folder of its own.
    fn publication() -> Parse {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal/content");
        let store = super::super::Store::load(&root, Timestamp::from_second(1_900_000_000).unwrap()).unwrap();
        let mut item = store.publications[0].clone();
        let publication = item.publication.as_mut().unwrap();
        publication.edition = Some("2nd".into());
        publication.language = Some("fr-CA".into());
        let file = format!("pdf/{}", publication.pdf.file_name);
        // A time before 1970 and numbers past 32 bits.
        let state = FileKey { size: 1 << 40, mtime_ns: -5, ino: u64::MAX, dev: 64_770 };
        publication.pdf.state = Some(state);
        let poses = [Pos::FILE; 3];
        Parse { item, draft: false, poses, links: Vec::new(), kept: Vec::new(), pdf: Some(PdfSeen { file, state }) }
    }

    fn borrowed(parse: &Parse) -> Borrowed<'_> {
        let Parse { item, draft, poses, links, kept, pdf } = parse;
        Borrowed { item, draft: *draft, poses: *poses, links, kept, pdf: pdf.as_ref() }
    }

    #[test]
    fn a_parse_round_trips() {
        for parse in [parse(), publication()] {
            let mut out = Vec::new();
            encode(borrowed(&parse), &mut out);
            let decoded = decode(parse.item.source.clone(), &out).expect("decoded");
            assert_eq!(decoded, parse);
        }
    }

    #[test]
    fn anything_but_a_whole_parse_is_refused() {
        let mut out = Vec::new();
        let parse = publication();
        encode(borrowed(&parse), &mut out);
        let decode = |bytes: &[u8]| decode(parse.item.source.clone(), bytes);
        for cut in 0..out.len() {
            assert_eq!(decode(&out[..cut]), None, "cut at {cut}");
        }
        assert_eq!(decode(&[out.as_slice(), b"x"].concat()), None, "trailing bytes");
        let mut bad = out.clone();
        bad[0] = 7;
        assert_eq!(decode(&bad), None, "another section kind");
    }

    #[test]
    fn numbers_and_times_round_trip() {
        for n in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            let mut out = Vec::new();
            number(&mut out, n);
            assert_eq!(Reader(&out).number(), Some(n));
        }
        // A number written with a needless last byte is not one.
        assert_eq!(Reader(&[0x81, 0x00]).number(), None);
        for t in [Timestamp::MIN, Timestamp::new(-1, -5).unwrap(), Timestamp::UNIX_EPOCH, Timestamp::MAX] {
            let mut out = Vec::new();
            time(&mut out, t);
            assert_eq!(Reader(&out).time(), Some(t));
        }
    }
}
