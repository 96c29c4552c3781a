//! Pseudonyms for personal values, so a report can be pasted into a ticket.
//!
//! A [`Redactor`] replaces, in any text or JSON value it is given:
//!
//! - e-mail addresses by `user-N@example.invalid`;
//! - GUIDs (tenant, object, application and Connect instance IDs) by `guid-N`;
//! - 12-digit AWS account numbers, also inside ARNs, by `account-N`;
//! - IAM Identity Center instance IDs (base64 of `ACCOUNT_ins-…` in the
//!   portal URLs) by `idc-N`;
//! - values it learned are personal — NameIDs, RoleSessionNames and
//!   SourceIdentity (`user-N`), display, given and family names (`name-N`) —
//!   wherever they appear, whole words only;
//! - certificates (base64 DER or PEM) by their SHA-1 thumbprint.
//!
//! Pseudonyms are stable within one redactor: the same value always gets the
//! same pseudonym, so a report still shows which values are equal. The
//! redactor learns personal values from SAML XML ([`Redactor::learn_xml`],
//! [`Redactor::learn_input`]) and from JSON reports
//! ([`Redactor::redact_json`] learns from personal keys before rewriting).

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::report::Finding;

/// What kind of value a pseudonym stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    Email,
    User,
    Name,
    Guid,
    Account,
    IdcInstance,
}

impl Kind {
    fn render(self, n: usize) -> String {
        match self {
            Kind::Email => format!("user-{n}@example.invalid"),
            Kind::User => format!("user-{n}"),
            Kind::Name => format!("name-{n}"),
            Kind::Guid => format!("guid-{n}"),
            Kind::Account => format!("account-{n}"),
            Kind::IdcInstance => format!("idc-{n}"),
        }
    }

    /// Counters are shared by kinds that name the same thing (a user).
    fn counter(self) -> Kind {
        match self {
            Kind::Email => Kind::User,
            k => k,
        }
    }
}

/// Replaces personal values by stable pseudonyms. See the module documentation.
#[derive(Debug, Default)]
pub struct Redactor {
    pseudonyms: HashMap<(Kind, String), String>,
    counters: HashMap<Kind, usize>,
    /// Learned values, longest first.
    known: Vec<(String, Kind)>,
}

/// The shortest learned value that is replaced (shorter ones are too likely
/// to match unrelated words).
const MIN_KNOWN_LEN: usize = 3;

impl Redactor {
    /// A redactor that has learned nothing yet.
    pub fn new() -> Self {
        Redactor::default()
    }

    fn pseudonym(&mut self, kind: Kind, value: &str) -> String {
        let key = match kind {
            Kind::Email | Kind::Guid => value.to_ascii_lowercase(),
            _ => value.to_string(),
        };
        if let Some(p) = self.pseudonyms.get(&(kind, key.clone())) {
            return p.clone();
        }
        let n = self.counters.entry(kind.counter()).or_insert(0);
        *n += 1;
        let p = kind.render(*n);
        self.pseudonyms.insert((kind, key), p.clone());
        p
    }

    /// Records `value` as personal; the patterns catch e-mail addresses,
    /// GUIDs and account numbers anyway, so only other values are kept.
    fn learn_value(&mut self, value: &str, kind: Kind) {
        let v = value.trim();
        if v.chars().count() < MIN_KNOWN_LEN || v.contains('@') || is_guid(v) || is_account(v) {
            return;
        }
        if self.known.iter().any(|(k, _)| k == v) {
            return;
        }
        self.known.push((v.to_string(), kind));
        self.known.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
    }

    /// Learns the personal values of any input a command reads: the SAML
    /// message a binding carries, or an XML document. Unreadable input
    /// teaches nothing (the patterns still apply).
    pub fn learn_input(&mut self, bytes: &[u8]) {
        let limits = crate::decode::DecodeLimits::default();
        if let Ok(decoded) = crate::decode::decode(bytes, &limits)
            && let Ok(text) = std::str::from_utf8(&decoded.xml)
        {
            self.learn_xml(text);
        }
    }

    /// Learns NameIDs and the values of personal attributes from SAML XML.
    pub fn learn_xml(&mut self, xml: &str) {
        let Ok(doc) = crate::xml::parse(xml.trim_start_matches('\u{feff}'), &Default::default())
        else {
            return;
        };
        for node in doc.tree().descendants().filter(|n| n.is_element()) {
            match node.tag_name().name() {
                "NameID" => {
                    if let Some(t) = node.text() {
                        self.learn_value(t, Kind::User);
                    }
                }
                "Attribute" => {
                    let name = node
                        .attribute("Name")
                        .or_else(|| node.attribute("FriendlyName"))
                        .unwrap_or("");
                    if let Some(kind) = personal_key(name) {
                        for v in node.children().filter(|c| c.has_tag_name("AttributeValue")) {
                            if let Some(t) = v.text() {
                                self.learn_value(t, kind);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Replaces every personal value in `text`.
    pub fn redact_text(&mut self, text: &str) -> String {
        let text = self.replace_certificates(text);
        let text = self.replace_known(&text);
        let text = self.replace_emails(&text);
        let text = self.replace_idc_instances(&text);
        let text = self.replace_guids(&text);
        self.replace_accounts(&text)
    }

    /// Redacts a finding's message and compared values.
    pub fn redact_finding(&mut self, finding: &Finding) -> Finding {
        let mut f = finding.clone();
        f.message = self.redact_text(&f.message);
        f.expected = f.expected.map(|e| self.redact_text(&e));
        f.found = f.found.map(|g| self.redact_text(&g));
        f
    }

    /// Learns from personal keys of `value` (e.g. `name_id`, attribute
    /// names), then redacts every string and key in it.
    pub fn redact_json(&mut self, value: &mut serde_json::Value) {
        self.learn_json(value, None);
        self.rewrite_json(value);
    }

    fn learn_json(&mut self, value: &serde_json::Value, kind: Option<Kind>) {
        use serde_json::Value;
        match value {
            Value::String(s) => {
                if let Some(k) = kind {
                    self.learn_value(s, k);
                }
            }
            Value::Array(a) => a.iter().for_each(|v| self.learn_json(v, kind)),
            Value::Object(o) => {
                for (k, v) in o {
                    self.learn_json(v, personal_key(k).or(kind.filter(|_| v.is_array())));
                }
            }
            _ => {}
        }
    }

    fn rewrite_json(&mut self, value: &mut serde_json::Value) {
        use serde_json::Value;
        match value {
            Value::String(s) => *s = self.redact_text(s),
            Value::Array(a) => a.iter_mut().for_each(|v| self.rewrite_json(v)),
            Value::Object(o) => {
                let old = std::mem::take(o);
                for (k, mut v) in old {
                    self.rewrite_json(&mut v);
                    o.insert(self.redact_text(&k), v);
                }
            }
            _ => {}
        }
    }

    fn replace_known(&mut self, text: &str) -> String {
        if self.known.is_empty() {
            return text.to_string();
        }
        let known = self.known.clone();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        'scan: while i < text.len() {
            let rest = &text[i..];
            let prev_ok = text[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            if prev_ok {
                for (value, kind) in &known {
                    if rest.starts_with(value.as_str())
                        && rest[value.len()..]
                            .chars()
                            .next()
                            .is_none_or(|c| !c.is_alphanumeric())
                    {
                        out.push_str(&self.pseudonym(*kind, value));
                        i += value.len();
                        continue 'scan;
                    }
                }
            }
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
        out
    }

    fn replace_emails(&mut self, text: &str) -> String {
        let local = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
        let domain = |c: char| c.is_ascii_alphanumeric() || ".-".contains(c);
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (at, _) in text.match_indices('@') {
            if at < last {
                continue;
            }
            let start = text[..at]
                .char_indices()
                .rev()
                .take_while(|&(_, c)| local(c))
                .last()
                .map_or(at, |(i, _)| i);
            let end = at
                + 1
                + text[at + 1..]
                    .char_indices()
                    .find(|&(_, c)| !domain(c))
                    .map_or(text.len() - at - 1, |(i, _)| i);
            let host = text[at + 1..end].trim_end_matches(['.', '-']);
            let end = at + 1 + host.len();
            let tld_ok = host.rsplit_once('.').is_some_and(|(_, tld)| {
                tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())
            });
            if start == at || !tld_ok || host.eq_ignore_ascii_case("example.invalid") {
                continue;
            }
            out.push_str(&text[last..start]);
            let p = self.pseudonym(Kind::Email, &text[start..end]);
            out.push_str(&p);
            last = end;
        }
        out.push_str(&text[last..]);
        out
    }

    fn replace_guids(&mut self, text: &str) -> String {
        self.replace_tokens(text, 36, is_guid, Kind::Guid)
    }

    fn replace_accounts(&mut self, text: &str) -> String {
        self.replace_tokens(text, 12, is_account, Kind::Account)
    }

    /// Replaces every `len`-byte ASCII token that `matches` and is not part
    /// of a longer alphanumeric word.
    fn replace_tokens(
        &mut self,
        text: &str,
        len: usize,
        matches: fn(&str) -> bool,
        kind: Kind,
    ) -> String {
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        let mut i = 0;
        while i + len <= bytes.len() {
            let bounded = (i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
                && bytes
                    .get(i + len)
                    .is_none_or(|b| !b.is_ascii_alphanumeric());
            if bounded && text.is_char_boundary(i) && text.is_char_boundary(i + len) {
                let candidate = &text[i..i + len];
                if matches(candidate) {
                    out.push_str(&text[last..i]);
                    out.push_str(&self.pseudonym(kind, candidate));
                    i += len;
                    last = i;
                    continue;
                }
            }
            i += 1;
        }
        out.push_str(&text[last..]);
        out
    }

    /// IAM Identity Center portal URLs end in base64 of `ACCOUNT_ins-ID`.
    fn replace_idc_instances(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        let b64 = |c: u8| c.is_ascii_alphanumeric() || c == b'+' || c == b'/' || c == b'=';
        let bytes = text.as_bytes();
        let mut i = 0;
        while i + 44 <= bytes.len() {
            let start_ok = i == 0 || !b64(bytes[i - 1]) || bytes[i - 1] == b'/';
            let end_ok = bytes.get(i + 44).is_none_or(|&b| !b64(b) || b == b'/');
            if start_ok && end_ok && bytes[i..i + 44].iter().all(|&b| b64(b)) {
                let token = &text[i..i + 44];
                if STANDARD
                    .decode(token)
                    .ok()
                    .and_then(|d| String::from_utf8(d).ok())
                    .is_some_and(|d| is_idc_instance(&d))
                {
                    out.push_str(&text[last..i]);
                    out.push_str(&self.pseudonym(Kind::IdcInstance, token));
                    i += 44;
                    last = i;
                    continue;
                }
            }
            i += 1;
        }
        out.push_str(&text[last..]);
        out
    }

    /// Base64 runs (line breaks allowed) that decode to an X.509 certificate
    /// become `[certificate SHA-1 …]`; PEM armour around them is dropped.
    fn replace_certificates(&mut self, text: &str) -> String {
        const MIN_CERT_B64: usize = 300;
        let bytes = text.as_bytes();
        let b64 = |c: u8| c.is_ascii_alphanumeric() || c == b'+' || c == b'/' || c == b'=';
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        let mut i = 0;
        while i < bytes.len() {
            if !b64(bytes[i]) {
                i += 1;
                continue;
            }
            let mut end = i;
            while end < bytes.len()
                && (b64(bytes[end]) || bytes[end] == b'\n' || bytes[end] == b'\r')
            {
                end += 1;
            }
            let run = text[i..end].trim_end();
            let compact: String = run.chars().filter(|c| !c.is_whitespace()).collect();
            if compact.len() >= MIN_CERT_B64
                && let Some(thumb) = certificate_thumbprint(&compact)
            {
                let mut start = i;
                let mut stop = i + run.len();
                if text[..start]
                    .trim_end()
                    .ends_with("-----BEGIN CERTIFICATE-----")
                {
                    start = text[..start].trim_end().len() - "-----BEGIN CERTIFICATE-----".len();
                }
                let after = text[stop..].trim_start();
                if after.starts_with("-----END CERTIFICATE-----") {
                    stop = text.len() - after.len() + "-----END CERTIFICATE-----".len();
                }
                out.push_str(&text[last..start.max(last)]);
                out.push_str(&format!("[certificate SHA-1 {thumb}]"));
                last = stop;
                i = stop;
                continue;
            }
            i = end.max(i + 1);
        }
        out.push_str(&text[last..]);
        out
    }
}

/// The SHA-1 thumbprint when `b64` is a DER X.509 certificate.
fn certificate_thumbprint(b64: &str) -> Option<String> {
    let der = STANDARD.decode(b64).ok()?;
    x509_parser::parse_x509_certificate(&der).ok()?;
    let digest = openssl::sha::sha1(&der);
    Some(
        digest
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(":"),
    )
}

/// The pseudonym kind for values under a personal key or attribute name.
fn personal_key(key: &str) -> Option<Kind> {
    let k = key.to_ascii_lowercase();
    const NAMES: &[&str] = &[
        "displayname",
        "givenname",
        "surname",
        "commonname",
        "urn:oid:2.5.4.3",
        "urn:oid:2.5.4.42",
        "urn:oid:2.5.4.4",
        "urn:oid:2.16.840.1.113730.3.1.241",
    ];
    const USERS: &[&str] = &[
        "name_id",
        "nameid",
        "session_name",
        "source_identity",
        "rolesessionname",
        "sourceidentity",
        "emailaddress",
        "upn",
        "/name",
        "urn:oid:0.9.2342.19200300.100.1.3",
        "urn:oid:0.9.2342.19200300.100.1.1",
        "user_name",
        "username",
    ];
    let last = k.rsplit('/').next().unwrap_or(&k);
    if NAMES.iter().any(|n| k.ends_with(n) || last == *n) {
        Some(Kind::Name)
    } else if USERS.iter().any(|u| k.ends_with(u) || last == *u) || k.contains("principaltag:") {
        Some(Kind::User)
    } else {
        None
    }
}

fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn is_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_idc_instance(s: &str) -> bool {
    s.len() == 33 && is_account(&s[..12]) && s[12..].starts_with("_ins-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_get_stable_typed_pseudonyms() {
        let mut r = Redactor::new();
        let out = r.redact_text(
            "arn:aws:iam::123456789012:role/x for Alice@Contoso.com in https://sts.windows.net/8256aa56-5196-41e1-afa0-a52d35c98bf9/ and alice@contoso.com, 123456789012",
        );
        assert_eq!(
            out,
            "arn:aws:iam::account-1:role/x for user-1@example.invalid in https://sts.windows.net/guid-1/ and user-1@example.invalid, account-1"
        );
        // Longer digit runs and hex words are not accounts or GUIDs.
        assert_eq!(
            r.redact_text("20261101120000 A1234567890123"),
            "20261101120000 A1234567890123"
        );
    }

    #[test]
    fn learned_values_are_replaced_as_whole_words() {
        let mut r = Redactor::new();
        r.learn_xml(r#"<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion"><Subject><NameID>jdoe</NameID></Subject><AttributeStatement><Attribute Name="http://schemas.microsoft.com/identity/claims/displayname"><AttributeValue>Jane Doe</AttributeValue></Attribute></AttributeStatement></Assertion>"#);
        assert_eq!(
            r.redact_text("user jdoe (Jane Doe) not jdoes"),
            "user user-1 (name-1) not jdoes"
        );
    }

    #[test]
    fn idc_instance_ids_are_replaced() {
        let mut r = Redactor::new();
        let out = r.redact_text("https://portal.sso.eu-central-1.amazonaws.com/saml/assertion/MTExMTIyMjIzMzMzX2lucy0wMTIzNDU2Nzg5YWJjZGVm");
        assert_eq!(
            out,
            "https://portal.sso.eu-central-1.amazonaws.com/saml/assertion/idc-1"
        );
    }
}
