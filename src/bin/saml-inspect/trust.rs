//! Loading the certificates a command is told to trust.

use std::path::PathBuf;

use saml_inspect::dsig::TrustedKeys;

/// Reads every `--cert` file (PEM with one or more certificates, DER, or
/// bare base64) into one set of trusted keys.
pub fn load_certificates(paths: &[PathBuf]) -> Result<TrustedKeys, String> {
    let mut trust = TrustedKeys::new();
    for path in paths {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let keys = TrustedKeys::from_certificate_bytes(&bytes)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        trust.extend(keys);
    }
    Ok(trust)
}

/// Reads the signing keys of every `--idp-metadata` file: the identity
/// provider's signing (and unspecified-use) certificates, all of them during
/// a rollover, with the entityID of each file (the issuer a response from
/// that identity provider must name). The metadata's own signature is not
/// required here; the `metadata` command reports on it.
pub fn load_metadata(paths: &[PathBuf]) -> Result<(TrustedKeys, Vec<String>), String> {
    use saml_inspect::metadata::{Metadata, MetadataOptions};
    let mut trust = TrustedKeys::new();
    let mut entity_ids = Vec::new();
    for path in paths {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let metadata = Metadata::from_bytes(
            &bytes,
            &MetadataOptions::at(std::time::SystemTime::now().into()),
        )
        .map_err(|e| format!("{}: {e}", path.display()))?;
        let keys = metadata.signing_keys();
        if keys.is_empty() {
            return Err(format!(
                "{}: the metadata lists no signing certificate",
                path.display()
            ));
        }
        trust.extend(keys);
        entity_ids.push(metadata.entity_id);
    }
    Ok((trust, entity_ids))
}
