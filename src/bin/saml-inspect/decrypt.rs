//! `--decrypt-key` and the encryption opt-ins, shared by `decode`,
//! `inspect` and `verify`.

use std::path::PathBuf;

use saml_inspect::xmlenc::{DecryptPolicy, DecryptionKey};

/// Decryption of EncryptedAssertion (the service provider's key).
#[derive(clap::Args, Clone, Debug, Default)]
pub struct DecryptArgs {
    /// The service provider's RSA private key (PEM: PKCS#8 or traditional
    /// RSA, unencrypted) to decrypt an EncryptedAssertion locally. It is
    /// never printed. The decrypted assertion must still be signed.
    #[arg(long = "decrypt-key", value_name = "PEM")]
    pub key: Option<PathBuf>,
    /// Accept RSA-1_5 key transport (weak: Bleichenbacher; reported as a warning).
    #[arg(long = "allow-rsa1_5")]
    pub allow_rsa1_5: bool,
    /// Accept AES-CBC content encryption (weak: no integrity; reported as a warning).
    #[arg(long = "allow-cbc")]
    pub allow_cbc: bool,
}

impl DecryptArgs {
    /// The algorithm policy the flags ask for.
    pub fn policy(&self) -> DecryptPolicy {
        DecryptPolicy {
            allow_rsa1_5: self.allow_rsa1_5,
            allow_cbc: self.allow_cbc,
            ..Default::default()
        }
    }

    /// The key, when --decrypt-key was given. Errors name the file, never
    /// its content.
    pub fn key(&self) -> Result<Option<DecryptionKey>, String> {
        let Some(path) = &self.key else {
            return Ok(None);
        };
        // A private key is a few kilobytes; refuse anything far larger.
        let pem = crate::input::read_input(path, 1 << 20)?;
        DecryptionKey::from_pem(&pem)
            .map(Some)
            .map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// At most this many encrypted elements are decrypted by `decode`.
const MAX_ELEMENTS: usize = 16;

/// `decode --decrypt-key`: every encrypted element of the message
/// (EncryptedAssertion, EncryptedID, EncryptedAttribute), decrypted. Text:
/// the plaintext XML on stdout (one element per line), notes and failures
/// (with the operator detail: this is the key owner's own terminal) on
/// stderr. Nothing is verified here.
pub fn print_decrypted(
    decoded: &saml_inspect::decode::Decoded,
    key: &DecryptionKey,
    policy: &DecryptPolicy,
    format: crate::render::Format,
) -> crate::Outcome {
    use saml_inspect::xmlenc;
    let doc = match saml_inspect::xml::parse_bytes(&decoded.xml, &Default::default()) {
        Ok(d) => d,
        Err(e) => return crate::fail(format, e.to_finding()),
    };
    let mut findings = vec![decoded.binding_finding()];
    let mut plaintexts = Vec::new();
    let wrappers: Vec<_> = doc
        .tree()
        .descendants()
        .filter(|n| xmlenc::is_encrypted_element(*n))
        .take(MAX_ELEMENTS)
        .collect();
    if wrappers.is_empty() && format == crate::render::Format::Text {
        eprintln!(
            "saml-inspect: the message carries no encrypted element (EncryptedAssertion, EncryptedID, EncryptedAttribute): nothing to decrypt"
        );
    }
    for wrapper in wrappers {
        match xmlenc::decrypt(wrapper, key, policy) {
            Ok(d) => {
                findings.extend(d.findings.iter().cloned());
                plaintexts.push(d);
            }
            Err(e) => findings.push(e.to_operator_finding()),
        }
    }
    let failed = findings
        .iter()
        .any(|f| f.severity == saml_inspect::Severity::Error);
    match format {
        crate::render::Format::Json => crate::render::emit_json(&serde_json::json!({
            "binding": decoded.binding,
            "relay_state": decoded.relay_state,
            "decrypted": plaintexts.iter().map(|d| serde_json::json!({
                "element": d.element,
                "key_transport": d.key_transport.name(),
                "content": d.content.name(),
                "xml": d.plaintext,
            })).collect::<Vec<_>>(),
            "findings": findings,
        })),
        crate::render::Format::Text => {
            for f in &findings {
                eprintln!("saml-inspect: {} [{}]", f.message, f.code);
            }
            let mut out = String::new();
            for d in &plaintexts {
                out.push_str(&d.plaintext);
                out.push('\n');
            }
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(out.as_bytes());
            let _ = stdout.flush();
        }
    }
    if failed {
        crate::Outcome::Invalid
    } else {
        crate::Outcome::Ok
    }
}
