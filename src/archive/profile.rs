//! `archive/bagit-profile.json`: a BagIt Profile (BagIt Profiles
//! Specification 1.3.0) stating exactly what pressroom's bags hold, so an
//! archive can check a bundle against a published rule rather than against
//! this program: BagIt 1.0; SHA-256 and SHA-512 manifests and tag manifests,
//! no others; the bag-info fields every bag carries; no `fetch.txt`; and a
//! ZIP serialization. Every `bag-info.txt` names the profile's URL in
//! `BagIt-Profile-Identifier`, character for character as validators
//! compare it.

use serde_json::json;

use crate::content::Site;
use crate::media_type;

/// Where the profile is published, and the identifier every bag names.
pub fn url(site: &Site) -> String {
    site.base_url.join(&["archive", "bagit-profile.json"], false)
}

/// The bag-info.txt fields every bag holds (`bundle.rs` writes them).
const REQUIRED_INFO: [&str; 7] = [
    "Source-Organization",
    "External-Description",
    "External-Identifier",
    "Bagging-Date",
    "Payload-Oxum",
    "Bag-Size",
    "BagIt-Profile-Identifier",
];

pub fn json(site: &Site) -> Vec<u8> {
    let mut info = serde_json::Map::new();
    for field in REQUIRED_INFO {
        info.insert(field.into(), json!({ "required": true, "repeatable": false }));
    }
    info.insert(
        "Source-Organization".into(),
        json!({ "required": true, "repeatable": false, "values": [site.publisher] }),
    );
    info.insert("Bag-Group-Identifier".into(), json!({ "required": false, "repeatable": false }));
    let profile = json!({
        "BagIt-Profile-Info": {
            "BagIt-Profile-Identifier": url(site),
            "BagIt-Profile-Version": "1.3.0",
            "Source-Organization": site.publisher,
            "External-Description": format!(
                "The archive bundles of {}: one BagIt bag per ZIP, the publications' PDFs with a metadata \
                 index (data/index.json, data/index.csv, data/index.html) and RO-Crate metadata \
                 (data/ro-crate-metadata.json).",
                site.title
            ),
            "Contact-Name": site.publisher,
            "Version": "1"
        },
        "Bag-Info": info,
        "Manifests-Required": ["sha256", "sha512"],
        "Manifests-Allowed": ["sha256", "sha512"],
        "Tag-Manifests-Required": ["sha256", "sha512"],
        "Tag-Manifests-Allowed": ["sha256", "sha512"],
        "Tag-Files-Required": [],
        "Allow-Fetch.txt": false,
        "Serialization": "required",
        "Accept-Serialization": [media_type::ZIP],
        "Accept-BagIt-Version": ["1.0"]
    });
    let mut bytes = serde_json::to_vec_pretty(&profile).expect("plain data serialises");
    bytes.push(b'\n');
    bytes
}
