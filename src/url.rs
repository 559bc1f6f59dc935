//! Absolute URLs: the site's checked base URL, percent-encoding of path
//! segments and their decoding (each done once, here), RFC 3986
//! resolution of the relative links found in bodies, and the encoding that
//! makes what an editor wrote there a URI. Hand-written
//! because the `url` crate would pull in IDNA tables for the few operations
//! we need.

use std::borrow::Cow;
use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Everything but RFC 3986 "unreserved" is encoded in a path segment, so a
/// slug or file name with spaces, `%`, `#`, `?` or non-ASCII letters yields a
/// plain URI that every feed reader parses the same way.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes one path segment.
pub fn encode_segment(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

/// RFC 3986 §6.2.2.1 and §6.2.2.2: the encodings of unreserved characters
/// decoded (`%2E` is `.`, `%7E` is `~`), the hex digits of the others in
/// upper case. A URL means what its normal form means: resolution must see
/// `%2e%2e` as the `..` it is (as browsers do), or a later decoding would
/// make a dot segment of it that resolution never removed.
pub fn normalize(url: &str) -> Cow<'_, str> {
    if !url.contains('%') {
        return Cow::Borrowed(url);
    }
    let bytes = url.as_bytes();
    let mut out = String::with_capacity(url.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|&b| (b as char).to_digit(16));
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push_str(&url[copied..i]);
                let byte = (high * 16 + low) as u8;
                if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
                    out.push(byte as char);
                } else {
                    out.push_str(&format!("%{byte:02X}"));
                }
                i += 3;
                copied = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&url[copied..]);
    Cow::Owned(out)
}

/// The part of a URI a character stands in, which decides what it may be
/// as written (RFC 3986 §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Authority,
    Path,
    Query,
    Fragment,
}

/// Whether RFC 3986 lets `b` stand unencoded in `part`: unreserved,
/// sub-delims, `:` and `@` everywhere (pchar), `/` past the authority, `?`
/// in a query or fragment, and the brackets of an IP literal in the
/// authority. `^`, `` ` ``, `{`, `|`, `}`, `\`, `"`, `<`, `>`, space,
/// controls and non-ASCII bytes are allowed nowhere.
fn allowed(b: u8, part: Part) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(b, b'-' | b'.' | b'_' | b'~')
        || matches!(b, b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=')
        || matches!(b, b':' | b'@')
        || match part {
            Part::Authority => matches!(b, b'[' | b']'),
            Part::Path => b == b'/',
            Part::Query | Part::Fragment => matches!(b, b'/' | b'?'),
        }
}

/// `url` (a URI reference) with every byte RFC 3986 does not allow where it
/// stands percent-encoded: a `%` not followed by two hex digits becomes
/// `%25`, a `#` in the fragment `%23`, a space `%20`, `^` `%5E`, non-ASCII
/// its UTF-8 bytes; what is already encoded and the delimiters stay as
/// written, so encoding twice changes nothing.
pub fn encode(url: &str) -> Cow<'_, str> {
    let bytes = url.as_bytes();
    let hex = |at: usize| bytes.get(at).is_some_and(u8::is_ascii_hexdigit);
    let mut at = if has_scheme(url) { url.find(':').map_or(0, |c| c + 1) } else { 0 };
    let mut part = Part::Path;
    if url[at..].starts_with("//") {
        part = Part::Authority;
        at += 2;
    }
    let mut out: Option<String> = None;
    for (i, &b) in bytes.iter().enumerate().skip(at) {
        let keep = match b {
            b'/' if part == Part::Authority => {
                part = Part::Path;
                true
            }
            b'?' if matches!(part, Part::Authority | Part::Path) => {
                part = Part::Query;
                true
            }
            b'#' if part != Part::Fragment => {
                part = Part::Fragment;
                true
            }
            b'%' => hex(i + 1) && hex(i + 2),
            b => allowed(b, part),
        };
        match (&mut out, keep) {
            (Some(out), true) => out.push(b as char),
            (Some(out), false) => out.push_str(&format!("%{b:02X}")),
            (None, true) => {}
            (None, false) => {
                let mut started = String::with_capacity(url.len() + 8);
                started.push_str(&url[..i]);
                started.push_str(&format!("%{b:02X}"));
                out = Some(started);
            }
        }
    }
    // Only ASCII is pushed once a change starts: every byte of a multi-byte
    // character is encoded, so `b as char` never splits one.
    out.map_or(Cow::Borrowed(url), Cow::Owned)
}

/// Whether `text` holds a `%` that is not followed by two hex digits:
/// no encoding, and not clearly a `%` meant as itself either.
pub fn has_bad_percent(text: &str) -> bool {
    let bytes = text.as_bytes();
    let hex = |at: usize| bytes.get(at).is_some_and(u8::is_ascii_hexdigit);
    bytes.iter().enumerate().any(|(i, &b)| b == b'%' && !(hex(i + 1) && hex(i + 2)))
}

/// Why `uri` is not an absolute URI by RFC 3986's grammar, in words for
/// an editor: `None` when it is one.
pub fn invalid_uri(uri: &str) -> Option<String> {
    if !is_absolute_uri(uri) {
        return Some("is not an absolute URI (a scheme such as https: or tag:, then the rest)".to_owned());
    }
    let encoded = encode(uri);
    if encoded != uri {
        let differs = uri.bytes().zip(encoded.bytes()).position(|(a, b)| a != b).unwrap_or(uri.len());
        // An encoded `%` is `%25`: its own `%` matches, its `2` differs.
        let at = if encoded.as_bytes()[differs] == b'%' { differs } else { differs - 1 };
        let c = uri[at..].chars().next().unwrap_or_default();
        return Some(match c {
            '%' => "has a `%` not followed by two hex digits (a `%` itself is written %25)".to_owned(),
            '#' => "has a second `#` (one in the fragment is written %23)".to_owned(),
            c => {
                let written = encode(&uri[at..at + c.len_utf8()]).into_owned();
                format!("holds {c:?}, which a URI cannot hold as written (percent-encoded: {written})")
            }
        });
    }
    let rest = &uri[uri.find(':').map_or(0, |c| c + 1)..];
    let authority = match rest.strip_prefix("//") {
        Some(rest) => &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())],
        None => return None,
    };
    let (userinfo, host_port) = authority.rsplit_once('@').unwrap_or(("", authority));
    if userinfo.contains(['[', ']']) {
        return Some(format!("has `[` or `]` outside an IP literal host in {authority:?}"));
    }
    let (host, port) = match host_port.strip_prefix('[') {
        Some(literal) => {
            let Some((ip, after)) = literal.split_once(']') else {
                return Some(format!("has an IP literal host without its closing `]` in {authority:?}"));
            };
            let future = ip.strip_prefix(['v', 'V']).and_then(|v| v.split_once('.')).is_some_and(|(version, rest)| {
                !version.is_empty() && version.bytes().all(|b| b.is_ascii_hexdigit()) && !rest.is_empty()
            });
            if !future && ip.parse::<std::net::Ipv6Addr>().is_err() {
                return Some(format!("has [{ip}] as its host, which is no IPv6 address"));
            }
            match after.strip_prefix(':') {
                Some(port) => ("", port),
                None if after.is_empty() => ("", ""),
                None => return Some(format!("has {after:?} after its IP literal host")),
            }
        }
        None => host_port.split_once(':').unwrap_or((host_port, "")),
    };
    if host.contains(['[', ']']) {
        return Some(format!("has `[` or `]` outside an IP literal host in {authority:?}"));
    }
    if !port.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!("has an invalid port {port:?}"));
    }
    None
}

/// Why a path segment, once decoded, cannot name a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undecodable {
    NotUtf8,
    /// `%2F`: one segment of the URL, two of a path.
    Separator,
    Control(char),
}

impl fmt::Display for Undecodable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Undecodable::NotUtf8 => write!(f, "it decodes to bytes that are not UTF-8"),
            Undecodable::Separator => write!(f, "a segment of it decodes to a `/` (`%2F`)"),
            Undecodable::Control(c) => write!(f, "it decodes to the control character {c:?}"),
        }
    }
}

/// The `/`-separated segments of `path` (no query or fragment), each
/// percent-decoded: the one decoding of a URL's path into names. A segment
/// that would hold a `/` or a control character is refused, so that the
/// segments are the URL's segments; a dot segment is left to the caller,
/// which has resolved it away on the normalised URL or refuses it.
pub fn decode_segments(path: &str) -> Result<Vec<String>, Undecodable> {
    path.split('/')
        .map(|segment| {
            let decoded = percent_decode_str(segment).decode_utf8().map_err(|_| Undecodable::NotUtf8)?;
            if decoded.contains('/') {
                return Err(Undecodable::Separator);
            }
            match decoded.chars().find(|c| c.is_control()) {
                Some(c) => Err(Undecodable::Control(c)),
                None => Ok(decoded.into_owned()),
            }
        })
        .collect()
}

/// The site's base URL: absolute http(s), no query or fragment, stored with a
/// trailing slash so that joining a relative path is a concatenation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    url: String,
    host_start: usize,
    host_end: usize,
}

impl BaseUrl {
    /// Checks `raw`; the error says what is wrong in words an editor understands.
    pub fn parse(raw: &str) -> Result<BaseUrl, String> {
        let (scheme, rest) =
            raw.split_once("://").ok_or_else(|| format!("{raw:?} is not an absolute URL (expected https://host/…)"))?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(format!("{raw:?} must use http or https, not {scheme:?}"));
        }
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        if !rest[..authority_end].is_ascii() {
            let host = rest[..authority_end].rsplit_once('@').map_or(&rest[..authority_end], |(_, h)| h);
            let host = host.split(':').next().unwrap_or(host);
            let ascii = idna_form(host)
                .map(|ascii| format!(" ({host} is {ascii}, each label lower case and punycode-encoded)"))
                .unwrap_or_default();
            return Err(format!(
                "{raw:?} has a host name that is not ASCII: write its IDNA form, xn-- labels{ascii}; \
                 percent-encoding is for the path"
            ));
        }
        if let Some(bad) = rest.chars().find(|c| c.is_whitespace() || c.is_control() || !c.is_ascii()) {
            return Err(format!("{raw:?} contains {bad:?}: write it percent-encoded"));
        }
        if rest.contains(['?', '#']) {
            return Err(format!("{raw:?} must not have a query or fragment"));
        }
        if let Some(why) = invalid_uri(raw) {
            return Err(format!("{raw:?} {why}"));
        }
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        if host_port.starts_with('[') {
            return Err(format!(
                "{raw:?} has an IP address literal as its host, which is not supported: the ids are tag: URIs \
                 (RFC 4151), whose authority is a domain name; use the site's domain name"
            ));
        }
        let host = match host_port.rsplit_once(':') {
            Some((h, port)) => {
                if !port.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(format!("{raw:?} has an invalid port {port:?}"));
                }
                h
            }
            None => host_port,
        };
        // The root's dot of a fully qualified name (`example.org.`) is the
        // same host, but no part of a DNS name as the tag: ids take it
        // (RFC 4151 §2.1): it is left out of `host`.
        let name = host.strip_suffix('.').unwrap_or(host);
        if name.is_empty() {
            return Err(format!("{raw:?} has no valid host name"));
        }
        if let Some(label) = name.split('.').find(|label| !is_dns_label(label)) {
            return Err(format!(
                "{raw:?} has {label:?} in its host name, which is no DNS label (letters, digits and `-`, \
                 neither first nor last, 63 at most): the ids' tag: URIs (RFC 4151) are made from the host"
            ));
        }
        if name.len() > 253 {
            return Err(format!("{raw:?} has a host name longer than a DNS name's 253 characters"));
        }
        let mut url = format!("{scheme}://{}{path}", authority.to_ascii_lowercase());
        if !url.ends_with('/') {
            url.push('/');
        }
        let host_start = scheme.len() + 3 + (authority.len() - host_port.len());
        Ok(BaseUrl { host_start, host_end: host_start + name.len(), url })
    }

    /// The URL, ending in `/`.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// The host name, lower case, without port nor the root's dot: the
    /// tagging authority of ids.
    pub fn host(&self) -> &str {
        &self.url[self.host_start..self.host_end]
    }

    /// `base` + a path of segments that are encoded here; a trailing `/` is
    /// kept when `dir` is true.
    pub fn join(&self, segments: &[&str], dir: bool) -> String {
        let mut url = self.url.clone();
        for (i, segment) in segments.iter().enumerate() {
            if i > 0 {
                url.push('/');
            }
            url.push_str(&encode_segment(segment));
        }
        if dir && !segments.is_empty() {
            url.push('/');
        }
        url
    }
}

/// `host` with each label that is not ASCII in its IDNA form, lower case
/// and punycode-encoded (RFC 3492) after `xn--`: what to write instead, in
/// a message. Without the IDNA tables, a label is taken as already mapped
/// (NFC, no character IDNA maps or refuses): right for the names people
/// type.
fn idna_form(host: &str) -> Option<String> {
    let labels: Option<Vec<String>> = host
        .split('.')
        .map(|label| {
            let label = label.to_lowercase();
            if label.is_ascii() { Some(label) } else { punycode(&label).map(|p| format!("xn--{p}")) }
        })
        .collect();
    labels.map(|labels| labels.join("."))
}

/// RFC 3492's encoding of `label` (6.3), without the `xn--` prefix; `None`
/// on an overflow, which no label of a DNS name reaches.
fn punycode(label: &str) -> Option<String> {
    const BASE: u32 = 36;
    const T_MIN: u32 = 1;
    const T_MAX: u32 = 26;
    let adapt = |delta: u32, points: u32, first: bool| {
        let mut delta = if first { delta / 700 } else { delta / 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - T_MIN) * T_MAX) / 2 {
            delta /= BASE - T_MIN;
            k += BASE;
        }
        k + (BASE - T_MIN + 1) * delta / (delta + 38)
    };
    let digit = |d: u32| char::from(if d < 26 { b'a' + d as u8 } else { b'0' + (d - 26) as u8 });
    let input: Vec<u32> = label.chars().map(u32::from).collect();
    let mut output: String = label.chars().filter(char::is_ascii).collect();
    let basic = output.len() as u32;
    if basic > 0 {
        output.push('-');
    }
    let (mut n, mut delta, mut bias, mut handled) = (128u32, 0u32, 72u32, basic);
    while (handled as usize) < input.len() {
        let m = input.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &input {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias { T_MIN } else { (k - bias).min(T_MAX) };
                    if q < t {
                        break;
                    }
                    output.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                output.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    Some(output)
}

/// A label of a DNS name as RFC 1123 §2.1 and RFC 4151's `DNScomp` have
/// it: letters, digits and `-`, starting and ending with a letter or digit,
/// at most 63 characters.
fn is_dns_label(label: &str) -> bool {
    let b = label.as_bytes();
    (1..=63).contains(&b.len())
        && b.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

/// True when `reference` carries its own scheme (`https:`, `mailto:`…).
fn has_scheme(reference: &str) -> bool {
    match reference.find(':') {
        Some(colon) => {
            let scheme = &reference[..colon];
            let mut bytes = scheme.bytes();
            bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
                && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.')
        }
        None => false,
    }
}

/// Resolves `reference` against the absolute URL `base` (RFC 3986 §5.2).
/// A reference with a scheme is returned as written; the URL made of a
/// relative one is `encode`d, since what an editor writes in a body (a
/// space, `^`, `100%`) is no URI as it stands.
pub fn resolve(base: &str, reference: &str) -> String {
    if has_scheme(reference) {
        return reference.to_owned();
    }
    let resolved = resolve_relative(base, reference);
    match encode(&resolved) {
        Cow::Borrowed(_) => resolved,
        Cow::Owned(encoded) => encoded,
    }
}

fn resolve_relative(base: &str, reference: &str) -> String {
    let reference = normalize(reference);
    let reference = reference.as_ref();
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let authority_end = base[scheme_end..].find('/').map_or(base.len(), |i| i + scheme_end);
    if let Some(rest) = reference.strip_prefix("//") {
        return format!("{}//{rest}", &base[..scheme_end - 2]);
    }
    let origin = &base[..authority_end];
    let base_path_and_query = &base[authority_end..];
    let base_no_fragment = base_path_and_query.split('#').next().unwrap_or("");
    let (base_path, base_query) = match base_no_fragment.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (base_no_fragment, None),
    };
    if reference.is_empty() {
        return format!("{origin}{base_no_fragment}");
    }
    if reference.starts_with('#') {
        let query = base_query.map(|q| format!("?{q}")).unwrap_or_default();
        return format!("{origin}{base_path}{query}{reference}");
    }
    if reference.starts_with('?') {
        return format!("{origin}{base_path}{reference}");
    }
    let (ref_path, ref_tail) = reference.split_at(reference.find(['?', '#']).unwrap_or(reference.len()));
    let merged = if ref_path.starts_with('/') {
        ref_path.to_owned()
    } else {
        let dir = &base_path[..base_path.rfind('/').map_or(0, |i| i + 1)];
        let dir = if dir.is_empty() { "/" } else { dir };
        format!("{dir}{ref_path}")
    };
    format!("{origin}{}{ref_tail}", remove_dot_segments(&merged))
}

/// RFC 3986 §5.2.4, on a path that starts with `/`.
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    for (i, segment) in segments.iter().enumerate() {
        match *segment {
            "." => {
                if i == last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}

/// An absolute URI (RFC 3986 §4.3: a scheme, `:`, something after it), as
/// pressroom takes for an item's `id`, whitespace and controls refused.
pub fn is_absolute_uri(id: &str) -> bool {
    let Some((scheme, rest)) = id.split_once(':') else { return false };
    let mut b = scheme.bytes();
    b.next().is_some_and(|c| c.is_ascii_alphabetic())
        && b.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
        && !rest.is_empty()
        && !id.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_is_checked_and_normalised() {
        let base = BaseUrl::parse("https://WWW.Example.org").unwrap();
        assert_eq!(base.as_str(), "https://www.example.org/");
        assert_eq!(base.host(), "www.example.org");
        let base = BaseUrl::parse("http://localhost:8080/site").unwrap();
        assert_eq!(base.as_str(), "http://localhost:8080/site/");
        assert_eq!(base.host(), "localhost");
        assert!(BaseUrl::parse("www.example.org").is_err());
        assert!(BaseUrl::parse("ftp://example.org/").is_err());
        assert!(BaseUrl::parse("https:///path").is_err());
        assert!(BaseUrl::parse("https://exa mple.org/").is_err());
        assert!(BaseUrl::parse("https://example.org/?q=1").is_err());
        // Its host is the tagging entity of the ids: a DNS name (RFC 4151 §2.1).
        let base = BaseUrl::parse("https://Example.org./news").unwrap();
        assert_eq!((base.as_str(), base.host()), ("https://example.org./news/", "example.org"));
        for host in ["-bad-.example", "a..b", "bad-.example", "a_b.example", &format!("{}.org", "x".repeat(64))] {
            let why = BaseUrl::parse(&format!("https://{host}/")).unwrap_err();
            assert!(why.contains("no DNS label") || why.contains("no valid host"), "{host}: {why}");
        }
        assert!(BaseUrl::parse("https://a-b.x1.example:443/").is_ok());
        // What to write instead of an IP literal or a name that is not ASCII.
        let why = BaseUrl::parse("http://[2001:db8::1]/").unwrap_err();
        assert!(why.contains("IP address literal") && why.contains("tag:"), "{why}");
        let why = BaseUrl::parse("https://bücher.example/").unwrap_err();
        assert!(why.contains("IDNA") && why.contains("bücher.example is xn--bcher-kva.example"), "{why}");
        let why = BaseUrl::parse("https://Bücher.example/café/").unwrap_err();
        assert!(why.contains("Bücher.example is xn--bcher-kva.example"), "{why}");
        assert!(BaseUrl::parse("https://example.org/café/").unwrap_err().contains("percent-encoded"));
        // Every URL is made from it: it must be a URI (RFC 3986) itself.
        assert!(BaseUrl::parse("https://example.org/a^b/").unwrap_err().contains("'^'"));
        assert!(BaseUrl::parse("https://example.org/%zz/").unwrap_err().contains("two hex digits"));
    }

    #[test]
    fn punycode_is_rfc_3492s() {
        // RFC 3492 §7.1's samples, and IDNA's test names.
        for (label, encoded) in [
            ("bücher", "bcher-kva"),
            ("münchen", "mnchen-3ya"),
            ("ليهمابتكلموشعربي؟", "egbpdaj6bu4bxfgehfvwxn"),
            ("他们为什么不说中文", "ihqwcrb4cv8a8dqg056pqjye"),
            ("почемужеонинеговорятпорусски", "b1abfaaepdrnnbgefbadotcwatmq2g4l"),
            ("3年b組金八先生", "3b-ww4c5e180e575a65lsy2b"),
            ("ñ", "ida"),
        ] {
            assert_eq!(punycode(label).as_deref(), Some(encoded), "{label}");
        }
        assert_eq!(idna_form("www.Bücher.example").as_deref(), Some("www.xn--bcher-kva.example"));
    }

    #[test]
    fn join_encodes_each_segment_once() {
        let base = BaseUrl::parse("https://example.org/").unwrap();
        assert_eq!(
            base.join(&["publications", "a b#?%é", "x.pdf"], false),
            "https://example.org/publications/a%20b%23%3F%25%C3%A9/x.pdf"
        );
        assert_eq!(base.join(&["news", "hello"], true), "https://example.org/news/hello/");
    }

    #[test]
    fn resolves_relative_references_like_rfc_3986() {
        let base = "http://a/b/c/d;p?q";
        // The normal examples of RFC 3986 §5.4.1.
        for (reference, expected) in [
            ("g:h", "g:h"),
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g"),
            ("?y", "http://a/b/c/d;p?y"),
            ("g?y", "http://a/b/c/g?y"),
            ("#s", "http://a/b/c/d;p?q#s"),
            ("g#s", "http://a/b/c/g#s"),
            ("", "http://a/b/c/d;p?q"),
            (".", "http://a/b/c/"),
            ("./", "http://a/b/c/"),
            ("..", "http://a/b/"),
            ("../", "http://a/b/"),
            ("../g", "http://a/b/g"),
            ("../..", "http://a/"),
            ("../../g", "http://a/g"),
            ("../../../g", "http://a/g"),
        ] {
            assert_eq!(resolve(base, reference), expected, "{reference}");
        }
    }

    #[test]
    fn normalisation_decodes_only_unreserved_characters() {
        // The examples of RFC 3986 §6.2.2.1 and §6.2.2.2.
        assert_eq!(normalize("%7Euser"), "~user");
        assert_eq!(normalize("%7euser"), "~user");
        assert_eq!(normalize("%41%42%63"), "ABc");
        assert_eq!(normalize("a%3ab"), "a%3Ab");
        // Dots are unreserved: `%2e%2e` is a dot segment like `..`.
        assert_eq!(normalize("%2e%2E/.%2e/%2E."), "../../..");
        // Reserved characters, `%` itself, controls and non-ASCII stay encoded.
        assert_eq!(normalize("a%2fb%25c%00%0a%c3%a9"), "a%2Fb%25c%00%0A%C3%A9");
        // Not an encoding: left as written.
        assert_eq!(normalize("100%"), "100%");
        assert_eq!(normalize("%zz%4"), "%zz%4");
        assert_eq!(normalize("é%2E"), "é.");
        assert!(matches!(normalize("no/escape"), Cow::Borrowed(_)));
    }

    #[test]
    fn resolution_sees_encoded_dots_as_dots() {
        let page = "https://example.org/news/a/";
        assert_eq!(resolve(page, "%2e%2e/%2E%2e/content/site.toml"), "https://example.org/content/site.toml");
        assert_eq!(resolve(page, "%2e/x.png"), "https://example.org/news/a/x.png");
        assert_eq!(resolve(page, ".%2e/%7Ex.png"), "https://example.org/news/~x.png");
        // A name with encoded dots in it is not a dot segment.
        assert_eq!(resolve(page, "%2e%2e%2e.png"), "https://example.org/news/a/....png");
        // An encoded `/` is not a separator: no segment is removed for it.
        assert_eq!(resolve(page, "..%2f..%2fx.png"), "https://example.org/news/a/..%2F..%2Fx.png");
    }

    #[test]
    fn encoding_leaves_only_what_rfc_3986_allows_where_it_stands() {
        for (url, expected) in [
            ("https://e.org/a^b.html", "https://e.org/a%5Eb.html"),
            ("https://e.org/x/?a=^b#f^g#h", "https://e.org/x/?a=%5Eb#f%5Eg%23h"),
            ("https://e.org/a`b{c}|d\\e\"f<g>h[i]", "https://e.org/a%60b%7Bc%7D%7Cd%5Ce%22f%3Cg%3Eh%5Bi%5D"),
            ("https://e.org/c%zz/100%/%4", "https://e.org/c%25zz/100%25/%254"),
            ("https://e.org/pic one/café.png", "https://e.org/pic%20one/caf%C3%A9.png"),
            ("https://e.org/?q=a/b?c&d=;:@!$'()*+,=~", "https://e.org/?q=a/b?c&d=;:@!$'()*+,=~"),
            ("http://u:p@[2001:db8::1]:8080/a%20b#s?/", "http://u:p@[2001:db8::1]:8080/a%20b#s?/"),
            ("mailto:a b@e.org", "mailto:a%20b@e.org"),
        ] {
            assert_eq!(encode(url), expected, "{url}");
            assert_eq!(encode(expected), expected, "{expected}");
            assert_eq!(invalid_uri(expected), None, "{expected}");
        }
        assert!(matches!(encode("https://e.org/a%2Fb?x#y"), Cow::Borrowed(_)));
    }

    #[test]
    fn an_invalid_uri_is_told_why() {
        let why = |uri: &str| invalid_uri(uri).unwrap_or_default();
        assert!(why("https://other.example/%zz").contains("`%` not followed by two hex digits"));
        assert!(why("https://e.org/100%").contains("`%` not followed"));
        assert!(why("https://e.org/a#b#c").contains("second `#`"));
        assert!(why("https://e.org/a^b").contains("'^'") && why("https://e.org/a^b").contains("%5E"));
        assert!(why("https://bücher.example/").contains("%C3%BC"));
        assert!(why("https://e.org:8o/").contains("port"));
        assert!(why("http://[2001:db8::g]/").contains("no IPv6 address"));
        assert!(why("http://[::1/").contains("closing"));
        assert!(why("http://a[b]/").contains("IP literal"));
        assert!(why("/relative").contains("absolute"));
        for uri in ["tag:example.org,2021-12-02:news/x", "urn:uuid:1e4b", "http://[v1.x]/", "https://e.org"] {
            assert_eq!(invalid_uri(uri), None, "{uri}");
        }
    }

    #[test]
    fn decoding_yields_names_without_separators_or_controls() {
        assert_eq!(decode_segments("a%20b/caf%C3%A9/x.png").unwrap(), ["a b", "café", "x.png"]);
        assert_eq!(decode_segments("a//b").unwrap(), ["a", "", "b"]);
        assert_eq!(decode_segments("a%2Fb"), Err(Undecodable::Separator));
        assert_eq!(decode_segments("a%2fb"), Err(Undecodable::Separator));
        assert_eq!(decode_segments("a%00b"), Err(Undecodable::Control('\0')));
        assert_eq!(decode_segments("x/a%0Ab"), Err(Undecodable::Control('\n')));
        assert_eq!(decode_segments("a\u{1}b"), Err(Undecodable::Control('\u{1}')));
        assert_eq!(decode_segments("%C2%85"), Err(Undecodable::Control('\u{85}')));
        assert_eq!(decode_segments("%FF.png"), Err(Undecodable::NotUtf8));
    }
}
