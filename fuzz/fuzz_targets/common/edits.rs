//! What the structure-aware targets (`verify`, `validate`) share: the
//! signed fixtures with their certificates, and the edits the fuzzer's bytes
//! describe (replace, insert, delete, copy a range elsewhere, insert a
//! well-formed token, flip a byte).

pub const RSA_CERT: &[u8] = include_bytes!("../../../testdata/fixtures/rsa2048.cert.pem");
pub const EC_CERT: &[u8] = include_bytes!("../../../testdata/fixtures/ecp256.cert.pem");

/// The signed fixtures and the certificate that signed each.
pub const FIXTURES: [(&[u8], &[u8]); 4] = [
    (
        include_bytes!("../../../testdata/fixtures/assertion-rsa2048.xml"),
        RSA_CERT,
    ),
    (
        include_bytes!("../../../testdata/fixtures/response-rsa2048.xml"),
        RSA_CERT,
    ),
    (
        include_bytes!("../../../testdata/fixtures/both-rsa2048.xml"),
        RSA_CERT,
    ),
    (
        include_bytes!("../../../testdata/fixtures/both-ecp256.xml"),
        EC_CERT,
    ),
];

/// Tokens that keep a document well-formed when inserted between tags or
/// inside text, so edits reach the signature checks instead of the parser.
const TOKENS: [&[u8]; 12] = [
    b" ",
    b"\n",
    b"\r\n",
    b"<!--x-->",
    b"<?pi x?>",
    b"&#x20;",
    b"&amp;",
    b"<x/>",
    b"<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_evil\"/>",
    b" ID=\"_dup\"",
    b"xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" ",
    b"<![CDATA[x]]>",
];

/// At most this many edits per input: enough to combine a few, few enough
/// that most inputs stay close to a verifying document.
const MAX_EDITS: usize = 8;

/// Reads a position scaled to `len` from two bytes, so edits reach the
/// whole document whatever its size.
fn position(hi: u8, lo: u8, len: usize) -> usize {
    (usize::from(u16::from_be_bytes([hi, lo])) * (len + 1)) >> 16
}

/// Applies the edits `data` describes to `doc`. Each edit is
/// `[kind, pos_hi, pos_lo, n, ...]`; payloads come from the input.
pub fn apply_edits(doc: &mut Vec<u8>, mut data: &[u8]) {
    for _ in 0..MAX_EDITS {
        let [kind, hi, lo, n, rest @ ..] = data else {
            return;
        };
        data = rest;
        let at = position(*hi, *lo, doc.len());
        let n = usize::from(*n);
        match kind % 6 {
            // Replace up to n bytes at `at` with the next n input bytes.
            0 => {
                let take = n.min(data.len());
                let (payload, rest) = data.split_at(take);
                data = rest;
                let end = (at + take).min(doc.len());
                doc.splice(at..end, payload.iter().copied());
            }
            // Insert the next n input bytes at `at`.
            1 => {
                let take = n.min(data.len());
                let (payload, rest) = data.split_at(take);
                data = rest;
                doc.splice(at..at, payload.iter().copied());
            }
            // Delete n bytes at `at`.
            2 => {
                let end = (at + n).min(doc.len());
                doc.drain(at..end);
            }
            // Copy n*16 bytes from `at` to a second position (wrapping,
            // duplicating elements: the shape of signature wrapping).
            3 => {
                let [hi2, lo2, rest @ ..] = data else { return };
                data = rest;
                let end = (at + n * 16).min(doc.len());
                let copied = doc.get(at..end).map(<[u8]>::to_vec).unwrap_or_default();
                let to = position(*hi2, *lo2, doc.len());
                doc.splice(to..to, copied);
            }
            // Insert a well-formedness-friendly token.
            4 => {
                let token = TOKENS[n % TOKENS.len()];
                doc.splice(at..at, token.iter().copied());
            }
            // Flip one byte's low bits: a near-miss character.
            _ => {
                if let Some(b) = doc.get_mut(at) {
                    *b ^= (n as u8 & 0x07).max(1);
                }
            }
        }
    }
}
