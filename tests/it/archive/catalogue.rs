//! A store's own catalogue template.

use super::*;

#[test]
fn a_store_may_override_the_catalogue_template() {
    let site = Store::shipped();
    fs::write(
        site.path("feeds/templates/index.html"),
        "<h1>{{ site.title }}</h1>{% for p in publications %}<p>{{ p.title }} {{ p.sha256 }}</p>{% endfor %}\n",
    )
    .unwrap();
    let archive = site.build_archive("public", Some(EPOCH));
    let html = zip_text(&archive.join(format!("{PREFIX}-2021.zip")), "data/index.html");
    assert!(
        html.starts_with("<h1>International Space Exploration Coordination Group</h1><p>ISECG Annual Report 2020 ")
    );
    assert!(verify(&archive.join(format!("{PREFIX}-2021.zip"))).status.success());

    fs::write(site.path("feeds/templates/index.html"), "{% for p in publications %}").unwrap();
    let out = pressroom()
        .current_dir(site.root())
        .args(["build", "--out", "public"])
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a broken template is a configuration error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("index.html"));
}
