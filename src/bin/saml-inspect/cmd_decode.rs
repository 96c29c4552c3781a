//! `decode`: the XML a SAML binding carried, byte-for-byte.

use std::path::Path;

use saml_inspect::decode::{DecodeLimits, decode};
use saml_inspect::xmlenc::{DecryptPolicy, DecryptionKey};

use crate::render::{self, Format};
use crate::{Outcome, fail, fail_io, input};

/// `decryption`: with --decrypt-key, the encrypted elements are printed
/// decrypted instead of the XML.
pub fn run(
    path: &Path,
    decryption: Option<(DecryptionKey, DecryptPolicy)>,
    format: Format,
) -> Outcome {
    let limits = DecodeLimits::default();
    let bytes = match input::read_input(path, limits.max_input) {
        Ok(b) => b,
        Err(e) => return fail_io(format, e),
    };
    let decoded = match decode(&bytes, &limits) {
        Ok(d) => d,
        Err(e) => return fail(format, e.to_finding()),
    };
    if let Some((key, policy)) = decryption {
        return crate::decrypt::print_decrypted(&decoded, &key, &policy, format);
    }
    match format {
        Format::Text => {
            // stdout carries exactly the XML so it can be piped; the rest goes to stderr.
            render::eprint_line(&format!(
                "saml-inspect: {}",
                decoded.binding_finding().message
            ));
            if let Some(rs) = &decoded.relay_state {
                render::eprint_line(&format!("RelayState: {rs}"));
            }
            render::emit_bytes(&decoded.xml);
        }
        Format::Json => render::emit_json(&serde_json::json!({
            "binding": decoded.binding,
            "form": decoded.form,
            "parameter": decoded.parameter,
            "relay_state": decoded.relay_state,
            "sig_alg": decoded.sig_alg,
            "xml": String::from_utf8_lossy(&decoded.xml),
            "findings": [decoded.binding_finding()],
        })),
    }
    Outcome::Ok
}
