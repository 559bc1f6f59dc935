//! A deterministic corpus for the benchmarks (BENCHMARKS.md, `scripts/bench.sh`).
//!
//! ```sh
//! cargo run --release --example corpus -- --news 10000 --publications 100 \
//!     --pdf-size 1024 --seed 1 --feeds full --out /tmp/pressroom-bench/w1-10k
//! ```
//!
//! writes, under `--out`:
//!
//! - `content/`: a content store that `pressroom` reads: `site.toml`, `news/`
//!   (TOML front matter between `+++` lines: title, date, summary, tags; a
//!   Markdown body of about 300 words with a heading, emphasis and links),
//!   `publications/` (front matter with `file = "pdf/….pdf"`, and the PDFs
//!   under `publications/pdf/`, each starting with `%PDF-` and padded to
//!   exactly `--pdf-size` bytes, written in 64 KiB blocks) and a few `pages/`;
//! - `feeds/`: a copy of the repository's `feeds/`, as shipped (`--feeds
//!   default`) or with the news feed's limit raised to include every item,
//!   RSS and Atom only (`--feeds full`);
//! - `hugo/`: a Hugo (0.111) site over the same news files (hard links in
//!   `hugo/content/news/`), whose home page has an RSS and an Atom output with
//!   the full content of every news item, plus Hugo's own sitemap;
//! - `corpus.txt`: the arguments it was made with (written last, so a corpus
//!   interrupted half way is not mistaken for a finished one).
//!
//! The same arguments give the same bytes. Only std is used; the numbers
//! come from a xorshift64* generator seeded by `--seed`.

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: corpus --out DIR [--news N] [--publications M] [--pdf-size BYTES] [--seed S] \
[--feeds full|default] [--feeds-src DIR] [--no-hugo]";

struct Args {
    out: PathBuf,
    news: usize,
    publications: usize,
    pdf_size: u64,
    seed: u64,
    full_feeds: bool,
    feeds_src: PathBuf,
    hugo: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        out: PathBuf::new(),
        news: 1000,
        publications: 10,
        pdf_size: 1024,
        seed: 1,
        full_feeds: false,
        feeds_src: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/feeds")),
        hugo: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--no-hugo" {
            args.hugo = false;
            continue;
        }
        if flag == "-h" || flag == "--help" {
            return Err(String::new());
        }
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = |v: &str| v.replace('_', "").parse::<u64>().map_err(|_| format!("{flag}: {v:?} is not a number"));
        match flag.as_str() {
            "--out" => args.out = PathBuf::from(value),
            "--news" => args.news = number(&value)? as usize,
            "--publications" => args.publications = number(&value)? as usize,
            "--pdf-size" => args.pdf_size = number(&value)?,
            "--seed" => args.seed = number(&value)?,
            "--feeds-src" => args.feeds_src = PathBuf::from(value),
            "--feeds" => {
                args.full_feeds = match value.as_str() {
                    "full" => true,
                    "default" => false,
                    _ => return Err(format!("--feeds: {value:?} is neither full nor default")),
                }
            }
            _ => return Err(format!("unknown argument {flag:?}")),
        }
    }
    if args.out.as_os_str().is_empty() {
        return Err("--out is required".into());
    }
    if args.pdf_size < MIN_PDF {
        return Err(format!("--pdf-size must be at least {MIN_PDF} bytes"));
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("corpus: {message}");
            }
            eprintln!("{USAGE}");
            return if message.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) };
        }
    };
    match generate(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("corpus: {e}");
            ExitCode::FAILURE
        }
    }
}

fn generate(args: &Args) -> io::Result<()> {
    fs::create_dir_all(&args.out)?;
    let stamp = args.out.join("corpus.txt");
    let _ = fs::remove_file(&stamp);
    for dir in ["content", "feeds", "hugo"] {
        let path = args.out.join(dir);
        if path.exists() {
            fs::remove_dir_all(&path)?;
        }
    }
    let content = args.out.join("content");
    for dir in ["news", "publications/pdf", "pages"] {
        fs::create_dir_all(content.join(dir))?;
    }
    fs::write(content.join("site.toml"), SITE_TOML)?;
    for (slug, title) in PAGES {
        fs::write(
            content.join("pages").join(format!("{slug}.md")),
            format!(
                "+++\ntitle = \"{title}\"\n+++\n\nThis page of the agency's site is about {}.\n",
                title.to_lowercase()
            ),
        )?;
    }

    let news_names = write_news(args, &content.join("news"))?;
    write_publications(args, &content.join("publications"))?;
    write_feeds(args, &args.out.join("feeds"))?;
    if args.hugo {
        write_hugo(&args.out.join("hugo"), &content.join("news"), &news_names)?;
    }
    fs::write(
        &stamp,
        format!(
            "news={} publications={} pdf_size={} seed={} feeds={} hugo={}\n",
            args.news,
            args.publications,
            args.pdf_size,
            args.seed,
            if args.full_feeds { "full" } else { "default" },
            args.hugo
        ),
    )?;
    Ok(())
}

/// xorshift64* (Vigna): small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        // splitmix64 of the pair, so nearby seeds give unrelated streams.
        let mut z = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ stream.wrapping_add(0xD1B5_4A32_D192_ED03);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Rng(if z == 0 { 0x2545_F491_4F6C_DD1D } else { z })
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 32) as usize * n) >> 32
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
}

/// Seconds since the Unix epoch to (year, month, day, hour, minute, second), UTC
/// (Howard Hinnant's civil_from_days).
fn civil(secs: u64) -> (u64, u64, u64, u64, u64, u64) {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year as u64, month as u64, day as u64, rem / 3600, rem % 3600 / 60, rem % 60)
}

/// 2000-01-01T00:00:00Z and 2025-01-01T00:00:00Z: every item lies between,
/// so none is scheduled for later whenever the benchmark runs.
const FIRST: u64 = 946_684_800;
const LAST: u64 = 1_735_689_600;

/// The date of item `i` of `n`: evenly spread, jittered inside its slot.
fn date_of(i: usize, n: usize, rng: &mut Rng) -> u64 {
    let slot = (LAST - FIRST) / n.max(1) as u64;
    FIRST + slot * i as u64 + rng.next() % slot.max(1)
}

fn capitalise(word: &str) -> String {
    let mut c = word.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

fn words(rng: &mut Rng, n: usize) -> Vec<&'static str> {
    (0..n).map(|_| rng.pick(WORDS)).collect()
}

/// A sentence of `n` words, capitalised, with a full stop.
fn sentence(rng: &mut Rng, n: usize) -> String {
    let mut s = capitalise(&words(rng, n).join(" "));
    s.push('.');
    s
}

/// A paragraph of about `n` words with, at chosen places, *emphasis*,
/// **strong emphasis** and a link.
fn paragraph(rng: &mut Rng, n: usize, link: Option<(&str, &str)>) -> String {
    let mut out = String::new();
    let mut written = 0;
    while written < n {
        let len = 8 + rng.below(10);
        let mut ws = words(rng, len);
        match rng.below(4) {
            0 => ws[len / 2] = "*international*",
            1 => ws[len / 3] = "**exploration**",
            _ => {}
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&capitalise(&ws.join(" ")));
        out.push('.');
        written += len;
    }
    if let Some((text, href)) = link {
        let _ = write!(out, " Read more about [{text}]({href}).");
    }
    out
}

fn write_news(args: &Args, dir: &Path) -> io::Result<Vec<String>> {
    let mut names: Vec<String> = Vec::with_capacity(args.news);
    let mut text = String::with_capacity(4096);
    for i in 0..args.news {
        let mut rng = Rng::new(args.seed, i as u64);
        let (y, mo, d, h, mi, s) = civil(date_of(i, args.news, &mut rng));
        let n = 4 + rng.below(5);
        let title_words = words(&mut rng, n);
        let title = capitalise(&title_words.join(" "));
        let slug = format!("{}-{i}", title_words[..3].join("-"));
        let name = format!("{y:04}-{mo:02}-{d:02}-{slug}.md");
        let mut tags: Vec<&str> = (0..1 + rng.below(4)).map(|_| rng.pick(TAGS)).collect();
        tags.sort_unstable();
        tags.dedup();
        let n = 18 + rng.below(10);
        let summary = sentence(&mut rng, n);
        text.clear();
        let _ = write!(
            text,
            "+++\ntitle = \"{title}\"\ndate = {y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z\nsummary = \"{}\"\ntags = [{}]\n+++\n\n",
            summary,
            tags.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(", "),
        );
        text.push_str(&paragraph(&mut rng, 70, None));
        let n = 3 + rng.below(3);
        let _ = write!(text, "\n\n## {}\n\n", capitalise(&words(&mut rng, n).join(" ")));
        // One item in ten links to the story before it, as a content link
        // (`other.md`, rewritten to its URL); the others to a site path.
        let link = match names.last() {
            Some(previous) if rng.below(10) == 0 => previous.clone(),
            _ => format!("/missions/{}/", rng.pick(WORDS)),
        };
        text.push_str(&paragraph(&mut rng, 110, Some(("the mission", &link))));
        text.push_str("\n\n");
        text.push_str(&paragraph(&mut rng, 100, Some(("the agency", "https://www.agency.example/about/"))));
        text.push('\n');
        fs::write(dir.join(&name), &text)?;
        names.push(name);
    }
    Ok(names)
}

fn write_publications(args: &Args, dir: &Path) -> io::Result<()> {
    let mut block = vec![0u8; 64 * 1024];
    for i in 0..args.publications {
        let mut rng = Rng::new(args.seed ^ 0x5055_424C, i as u64);
        let (y, mo, d, ..) = civil(date_of(i, args.publications, &mut rng));
        let n = 3 + rng.below(5);
        let title_words = words(&mut rng, n);
        let title = capitalise(&title_words.join(" "));
        let slug = format!("{}-{i}", title_words[..3].join("-"));
        let kind = rng.pick(KINDS);
        let text = format!(
            "+++\ntitle = \"{title}\"\ndate = {y:04}-{mo:02}-{d:02}\nsummary = \"{}\"\ntags = [\"{}\"]\nkind = \"{kind}\"\nlanguage = \"en\"\nfile = \"pdf/{slug}.pdf\"\n+++\n\n{}\n",
            sentence(&mut rng, 12),
            rng.pick(TAGS),
            paragraph(&mut rng, 60, None),
        );
        fs::write(dir.join(format!("{y:04}-{mo:02}-{d:02}-{slug}.md")), text)?;
        write_pdf(&dir.join("pdf").join(format!("{slug}.pdf")), &title, args.pdf_size, &mut rng, &mut block)?;
    }
    Ok(())
}

const MIN_PDF: u64 = 64;

/// A PDF of exactly `size` bytes: a header, a comment holding the title, then
/// pseudo-random filler written block by block, then `%%EOF`. Readers only
/// see the header; the benchmark only needs the bytes.
fn write_pdf(path: &Path, title: &str, size: u64, rng: &mut Rng, block: &mut [u8]) -> io::Result<()> {
    let mut head = format!("%PDF-1.4\n%\u{e2}\u{e3}\u{cf}\u{d3}\n% {title}\n").into_bytes();
    let tail = b"\n%%EOF\n";
    head.truncate((size - tail.len() as u64) as usize);
    let mut out = File::create(path)?;
    out.write_all(&head)?;
    let mut left = size - head.len() as u64 - tail.len() as u64;
    while left > 0 {
        let n = left.min(block.len() as u64) as usize;
        for chunk in block[..n].chunks_mut(8) {
            let bytes = rng.next().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        out.write_all(&block[..n])?;
        left -= n as u64;
    }
    out.write_all(tail)?;
    Ok(())
}

fn write_feeds(args: &Args, dir: &Path) -> io::Result<()> {
    copy_dir(&args.feeds_src, dir)?;
    if args.full_feeds {
        fs::write(
            dir.join("news.toml"),
            format!(
                "# Every news item ({} of them), full content, RSS and Atom: the benchmark's workload 1.\n\
                 title = \"Agency News\"\n\
                 description = \"Every news item of the agency.\"\n\
                 section = \"news\"\n\
                 limit = {}\n\
                 formats = [\"rss\", \"atom\"]\n",
                args.news,
                args.news.max(1)
            ),
        )?;
    }
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    let mut entries: Vec<_> = fs::read_dir(from)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn write_hugo(dir: &Path, news: &Path, names: &[String]) -> io::Result<()> {
    let content = dir.join("content").join("news");
    let layouts = dir.join("layouts");
    fs::create_dir_all(&content)?;
    fs::create_dir_all(&layouts)?;
    fs::write(dir.join("config.toml"), HUGO_CONFIG)?;
    fs::write(layouts.join("index.xml"), HUGO_RSS)?;
    fs::write(layouts.join("index.atom.xml"), HUGO_ATOM)?;
    // The very same files pressroom reads (hard links; a copy where the
    // file system cannot link).
    for name in names {
        let (from, to) = (news.join(name), content.join(name));
        if fs::hard_link(&from, &to).is_err() {
            fs::copy(&from, &to)?;
        }
    }
    Ok(())
}

const SITE_TOML: &str = r#"title = "Agency Newsroom"
base_url = "https://www.agency.example"
description = "News and publications of a space agency: a generated corpus for pressroom's benchmarks."
language = "en"
publisher = "The Agency"
copyright = "Copyright 2025 The Agency. All rights reserved."
timezone = "UTC"
"#;

const PAGES: &[(&str, &str)] =
    &[("about", "About the agency"), ("contact", "Contact"), ("faq", "Frequently asked questions"), ("press", "Press")];

const KINDS: &[&str] = &["report", "roadmap", "white-paper", "supplement", "terms-of-reference", "other"];

const TAGS: &[&str] = &[
    "moon",
    "mars",
    "iss",
    "launch",
    "science",
    "earth-observation",
    "climate",
    "astronauts",
    "robotics",
    "propulsion",
    "telescope",
    "asteroids",
    "budget",
    "partnership",
    "industry",
    "education",
    "satellites",
    "navigation",
    "deep-space",
    "heliophysics",
    "gateway",
    "rovers",
    "sample-return",
    "cubesats",
];

const WORDS: &[&str] = &[
    "agency",
    "mission",
    "orbit",
    "lunar",
    "surface",
    "crew",
    "launch",
    "vehicle",
    "spacecraft",
    "module",
    "science",
    "data",
    "instrument",
    "payload",
    "station",
    "partner",
    "programme",
    "technology",
    "exploration",
    "research",
    "system",
    "ground",
    "segment",
    "team",
    "engineers",
    "review",
    "design",
    "test",
    "campaign",
    "international",
    "cooperation",
    "roadmap",
    "architecture",
    "habitat",
    "power",
    "thermal",
    "radiation",
    "sample",
    "return",
    "rover",
    "lander",
    "descent",
    "ascent",
    "propellant",
    "engine",
    "thrust",
    "telemetry",
    "antenna",
    "communication",
    "network",
    "relay",
    "navigation",
    "timing",
    "precision",
    "landing",
    "site",
    "crater",
    "pole",
    "water",
    "ice",
    "volatile",
    "resource",
    "utilisation",
    "regolith",
    "dust",
    "environment",
    "health",
    "human",
    "robotic",
    "precursor",
    "demonstration",
    "flight",
    "qualification",
    "milestone",
    "schedule",
    "budget",
    "council",
    "ministers",
    "industry",
    "contract",
    "supplier",
    "european",
    "global",
    "strategy",
    "coordination",
    "group",
    "members",
    "meeting",
    "workshop",
    "conference",
    "students",
    "public",
    "engagement",
    "outreach",
    "education",
    "heritage",
    "archive",
    "publication",
    "report",
    "study",
    "analysis",
    "results",
    "findings",
    "observations",
    "telescope",
    "galaxy",
    "star",
    "planet",
    "asteroid",
    "comet",
    "magnetic",
    "field",
    "solar",
    "wind",
    "climate",
    "earth",
    "ocean",
    "atmosphere",
    "measurement",
    "calibration",
    "validation",
    "software",
    "hardware",
    "integration",
    "assembly",
    "launcher",
    "fairing",
    "separation",
    "deployment",
    "commissioning",
    "operations",
    "control",
    "centre",
    "experiment",
    "microgravity",
    "biology",
    "materials",
    "physics",
    "capsule",
    "docking",
    "berthing",
    "airlock",
    "spacewalk",
    "suit",
    "gateway",
    "logistics",
    "cargo",
    "supply",
    "the",
    "of",
    "and",
    "to",
    "in",
    "for",
    "with",
    "on",
    "by",
    "from",
    "new",
    "first",
    "next",
    "long",
    "term",
    "future",
    "early",
    "major",
    "key",
    "joint",
    "successful",
    "planned",
];

const HUGO_CONFIG: &str = r#"# Hugo (0.111) side of pressroom's benchmark, workload 1: RSS and Atom on the
# home page with the full content of every news item, and Hugo's sitemap.
baseURL = "https://www.agency.example/"
title = "Agency News"
languageCode = "en"
disableKinds = ["taxonomy", "term", "404", "robotsTXT"]
# Every item in every feed (rssLimit is the 0.111 name; -1 = no limit).
rssLimit = -1
enableRobotsTXT = false

[outputs]
home = ["RSS", "Atom"]
section = ["HTML"]
page = ["HTML"]

[mediaTypes."application/atom+xml"]
suffixes = ["xml"]

[outputFormats.Atom]
mediaType = "application/atom+xml"
baseName = "atom"
isPlainText = false
rel = "alternate"
"#;

const HUGO_RSS: &str = r#"{{- printf "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>" | safeHTML }}
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>{{ .Site.Title }}</title>
    <link>{{ .Permalink }}</link>
    <description>Every news item of the agency.</description>
    <language>{{ .Site.LanguageCode }}</language>
    <lastBuildDate>{{ .Lastmod.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</lastBuildDate>
    {{- with .OutputFormats.Get "RSS" }}
    {{ printf "<atom:link href=%q rel=\"self\" type=%q />" .Permalink .MediaType | safeHTML }}
    {{- end }}
    {{- range where .Site.RegularPages "Section" "news" }}
    <item>
      <title>{{ .Title }}</title>
      <link>{{ .Permalink }}</link>
      <pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate>
      <guid isPermaLink="false">{{ .Permalink }}</guid>
      <description>{{ .Summary | html }}</description>
      {{- range .Params.tags }}
      <category>{{ . }}</category>
      {{- end }}
      <content:encoded>{{ .Content | html }}</content:encoded>
    </item>
    {{- end }}
  </channel>
</rss>
"#;

const HUGO_ATOM: &str = r#"{{- printf "<?xml version=\"1.0\" encoding=\"utf-8\"?>" | safeHTML }}
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{{ .Site.LanguageCode }}">
  <title>{{ .Site.Title }}</title>
  <subtitle>Every news item of the agency.</subtitle>
  <id>{{ .Permalink }}</id>
  <updated>{{ .Lastmod.Format "2006-01-02T15:04:05Z07:00" | safeHTML }}</updated>
  <link rel="alternate" type="text/html" href="{{ .Permalink }}"/>
  {{- with .OutputFormats.Get "Atom" }}
  <link rel="self" type="application/atom+xml" href="{{ .Permalink }}"/>
  {{- end }}
  <author><name>The Agency</name></author>
  <generator>Hugo</generator>
  {{- range where .Site.RegularPages "Section" "news" }}
  <entry>
    <title type="text">{{ .Title }}</title>
    <id>{{ .Permalink }}</id>
    <link rel="alternate" type="text/html" href="{{ .Permalink }}"/>
    <published>{{ .Date.Format "2006-01-02T15:04:05Z07:00" | safeHTML }}</published>
    <updated>{{ .Lastmod.Format "2006-01-02T15:04:05Z07:00" | safeHTML }}</updated>
    <summary type="text">{{ .Summary | plainify }}</summary>
    {{- range .Params.tags }}
    <category term="{{ . }}"/>
    {{- end }}
    <content type="html" xml:base="{{ .Permalink }}">{{ .Content | html }}</content>
  </entry>
  {{- end }}
</feed>
"#;
