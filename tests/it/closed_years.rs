//! A closed year is done (issue 20, item 1): a rebuild takes the archive
//! documents whose inputs did not change over from the previous output
//! unread, and what it publishes is byte for byte what a cold build of the
//! same store publishes. Whatever shapes a year's documents (one of its
//! items, the item template, the site's title or base URL, another
//! pressroom binary) has them rendered again.

use std::fs;

use crate::harness::*;

/// The minimal fixture with 20 news items in each of 2020..=2024: five
/// yearly archive documents (2024, with the fixture's own items, is open),
/// each in three formats.
fn years_store() -> Store {
    let mut store = Store::fixture("minimal");
    for year in 2020..=2024 {
        for n in 0..20 {
            let (month, day) = (1 + n % 12, 1 + n % 28);
            let md = format!(
                "+++\ntitle = \"Item {year}-{n}\"\ndate = {year}-{month:02}-{day:02}\n+++\n\nBody of item {year}-{n}.\n"
            );
            store = store.write(&format!("news/{year}-n{n:02}.md"), md);
        }
    }
    store
}

/// How many archive documents the build says it took over.
fn taken_over(out: &Outcome) -> usize {
    let Some((before, _)) = out.stderr.split_once(" archive document(s) of the previous build taken over") else {
        return 0;
    };
    before.rsplit('(').next().unwrap().parse().unwrap()
}

/// A cold build of `store` as it stands now, into a fresh folder (no
/// previous output, no cache beside it).
fn cold(store: &Store, name: &str) -> Outcome {
    let out = store.build_into(&store.root().join(name)).ok();
    assert_eq!(taken_over(&out), 0, "{}", out.stderr);
    out
}

fn closed_documents() -> Vec<String> {
    let years = 2020..=2023;
    years.flat_map(|y| ["rss.xml", "atom.xml", "feed.json"].map(|f| format!("news/archive/{y}/{f}"))).collect()
}

#[test]
fn a_rebuild_takes_the_closed_years_over_and_publishes_what_a_cold_build_does() {
    let store = years_store();
    let first = store.build().ok();
    assert_eq!(taken_over(&first), 0, "nothing to take over from");
    assert!(first.path("news/archive/2020/atom.xml").is_file() && first.path("news/archive/2024/atom.xml").is_file());

    // One item of the open year changes: its year's documents and the
    // subscription feeds are rendered, the four closed years' are not.
    store.change("content/news/2024-n03.md", |t| t.replace("Body of item", "The edited body of item"));
    let rebuilt = store.build().ok();
    assert_eq!(taken_over(&rebuilt), closed_documents().len(), "{}", rebuilt.stderr);
    assert!(rebuilt.read("news/archive/2024/atom.xml").contains("The edited body of item 2024-3"));
    same_tree(&rebuilt, &cold(&store, "cold"));

    // Nothing changed: every archive document is taken over, open year too.
    let again = store.build().ok();
    assert_eq!(taken_over(&again), 15, "{}", again.stderr);
    same_tree(&again, &cold(&store, "cold-again"));
}

/// An edit of a file's text.
type Edit = dyn Fn(String) -> String;

#[test]
fn what_shapes_a_closed_year_renders_it_again() {
    let store = years_store();
    store.build().ok();
    let all = 15;

    // An item of 2021: that year's three documents, and no other.
    store.change("content/news/2021-n05.md", |t| t.replace("Body of item", "Another body of item"));
    let out = store.build().ok();
    assert_eq!(taken_over(&out), all - 3, "{}", out.stderr);
    assert!(out.read("news/archive/2021/rss.xml").contains("Another body of item 2021-5"));
    same_tree(&out, &cold(&store, "cold-item"));

    let changes: [(&str, &str, &Edit); 3] = [
        ("the item template", "feeds/templates/item.html", &|_| "<div>{{ content | safe }}</div>\n".to_owned()),
        ("the site's title", "content/site.toml", &|t| t.replace("Minimal Site", "Minimal Site, renamed")),
        ("the base URL", "content/site.toml", &|t| t.replace("https://example.org", "https://example.net")),
    ];
    for (what, file, edit) in changes {
        let path = store.path(file);
        if !path.exists() {
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, "{{ content | safe }}\n").unwrap();
        }
        store.change(file, edit);
        let out = store.build().ok();
        assert_eq!(taken_over(&out), 0, "{what}: {}", out.stderr);
        same_tree(&out, &cold(&store, &format!("cold-{}", what.replace(' ', "-").replace('\'', ""))));
        // And the build after that takes them all over again.
        assert_eq!(taken_over(&store.build().ok()), all, "{what}");
    }
}

#[test]
fn a_previous_document_touched_since_it_was_written_is_rendered_again() {
    let store = years_store();
    let first = store.build().ok();
    // The same bytes under a new modification time: pressroom cannot tell
    // unread that they are the same, so it renders the document.
    let doc = first.path("news/archive/2021/atom.xml");
    let file = fs::File::options().write(true).open(&doc).unwrap();
    file.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3600)).unwrap();
    let out = store.build().ok();
    assert_eq!(taken_over(&out), 14, "{}", out.stderr);
    same_tree(&out, &cold(&store, "cold"));

    // The cache gone: everything rendered, the same bytes out.
    let cache = store.root().join(".public.pressroom-cache");
    assert!(cache.join("documents.json").is_file());
    fs::remove_file(cache.join("documents.json")).unwrap();
    let out = store.build().ok();
    assert_eq!(taken_over(&out), 0);
    same_tree(&out, &cold(&store, "cold-2"));
}

#[test]
fn a_copy_of_the_same_pressroom_takes_the_documents_over() {
    // A copy of the binary, with its own inode and time, as a CI cache
    // restores it: the same build (its sources, dependencies and compiler:
    // `build.rs`), so the documents its twin wrote are taken over. Another
    // build, which a test cannot make, starts afresh: the fingerprint's
    // unit test changes the build's id.
    let store = years_store();
    let other = store.root().join("pressroom-copy");
    fs::copy(BIN, &other).unwrap();
    let run = |binary: &std::path::Path| {
        let output = pressroom_at(binary)
            .args(["build", "--content", "content", "--feeds", "feeds", "--out", "public"])
            .current_dir(store.root())
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stderr).contains("taken over")
    };
    assert!(!run(std::path::Path::new(BIN)), "nothing to take over yet");
    assert!(run(&other), "the copy takes over what the original wrote");
}
