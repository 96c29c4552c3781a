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
