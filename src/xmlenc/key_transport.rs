//! Key transport: the service provider's RSA private key unwraps the
//! content-encryption key of an EncryptedKey.

use openssl::pkey::{PKey, Private};
use openssl::pkey_ctx::PkeyCtx;
use openssl::rsa::Padding;

use super::algorithm::KeyTransport;
use crate::codes::Code;
use crate::dsig::DigestAlgorithm;
use crate::report::Finding;

/// The service provider's RSA private key, for decryption only.
///
/// Its `Debug` form shows the key size, never the key; errors about it
/// never quote it.
#[derive(Clone)]
pub struct DecryptionKey {
    key: PKey<Private>,
}

impl std::fmt::Debug for DecryptionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DecryptionKey")
            .field("rsa_bits", &self.bits())
            .finish()
    }
}

/// Why a decryption key was not loaded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The PEM is protected by a passphrase.
    #[error(
        "the decryption key PEM is encrypted with a passphrase; write an unencrypted copy for this tool (openssl pkey -in KEY -out KEY.plain)"
    )]
    Encrypted,
    /// Not a PEM private key we can read.
    #[error(
        "the decryption key is not a readable PEM private key (PKCS#8 \"PRIVATE KEY\" or traditional \"RSA PRIVATE KEY\")"
    )]
    Unreadable,
    /// A private key of another type.
    #[error("the decryption key is not an RSA key; XML Encryption key transport uses RSA")]
    NotRsa,
}

impl KeyError {
    /// The finding code (`xmlenc.no_key`: no usable decryption key).
    pub fn code(&self) -> Code {
        Code::XmlencNoKey
    }

    /// The error as a finding.
    pub fn to_finding(&self) -> Finding {
        Finding::new(self.code(), self.to_string())
    }
}

impl DecryptionKey {
    /// Reads an RSA private key from PEM (PKCS#8 or traditional
    /// `RSA PRIVATE KEY`). Encrypted PEM is refused (there is no prompt).
    pub fn from_pem(pem: &[u8]) -> Result<DecryptionKey, KeyError> {
        let text = String::from_utf8_lossy(pem);
        if text.contains("ENCRYPTED") {
            return Err(KeyError::Encrypted);
        }
        // A callback that supplies no passphrase: never a terminal prompt.
        let key = PKey::private_key_from_pem_callback(pem, |_| Ok(0))
            .map_err(|_| KeyError::Unreadable)?;
        if key.rsa().is_err() {
            return Err(KeyError::NotRsa);
        }
        Ok(DecryptionKey { key })
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> u32 {
        self.key.bits()
    }

    /// The modulus size in bytes: the length of every RSA ciphertext.
    fn modulus_len(&self) -> usize {
        self.key.size()
    }
}

/// The outcome of a key transport: always a key of the length the content
/// algorithm needs, so that content decryption runs whatever happened.
pub(crate) struct Unwrapped {
    /// The content key, or random bytes when the unwrap failed.
    pub(crate) key: Vec<u8>,
    /// Why the unwrap failed (operator-facing), if it did.
    pub(crate) failure: Option<String>,
}

/// Unwraps the content key with implicit rejection: when the RSA padding
/// (OAEP or PKCS#1 v1.5) does not check out, a random key of the expected
/// length stands in and content decryption still runs, so that neither
/// the result nor the time taken tells a padding failure from a wrong
/// content key (Bleichenbacher, Manger). `Err` only for what is public:
/// a CipherValue whose length is not the key's modulus, or no randomness.
pub(crate) fn unwrap(
    key: &DecryptionKey,
    transport: &KeyTransport,
    cipher: &[u8],
    key_len: usize,
) -> Result<Unwrapped, String> {
    if cipher.len() != key.modulus_len() {
        return Err(format!(
            "the EncryptedKey's CipherValue is {} bytes but the decryption key's modulus is {} bytes: it was encrypted for another key",
            cipher.len(),
            key.modulus_len()
        ));
    }
    let mut random = vec![0u8; key_len];
    openssl::rand::rand_bytes(&mut random)
        .map_err(|_| "the random number generator failed".to_string())?;
    let failure = match rsa_decrypt(key, transport, cipher) {
        Ok(k) if k.len() == key_len => {
            return Ok(Unwrapped {
                key: k,
                failure: None,
            });
        }
        Ok(k) => format!(
            "the unwrapped key is {} bytes; the content algorithm needs {key_len}",
            k.len()
        ),
        Err(()) => format!(
            "the {} unwrap failed: wrong key, wrong OAEP parameters, or a changed EncryptedKey",
            transport.name()
        ),
    };
    Ok(Unwrapped {
        key: random,
        failure: Some(failure),
    })
}

fn rsa_decrypt(
    key: &DecryptionKey,
    transport: &KeyTransport,
    cipher: &[u8],
) -> Result<Vec<u8>, ()> {
    let mut ctx = PkeyCtx::new(&key.key).map_err(drop)?;
    ctx.decrypt_init().map_err(drop)?;
    match transport {
        KeyTransport::RsaOaep {
            digest,
            mgf1,
            label,
        } => {
            ctx.set_rsa_padding(Padding::PKCS1_OAEP).map_err(drop)?;
            ctx.set_rsa_oaep_md(md(*digest)).map_err(drop)?;
            ctx.set_rsa_mgf1_md(md(*mgf1)).map_err(drop)?;
            if !label.is_empty() {
                ctx.set_rsa_oaep_label(label).map_err(drop)?;
            }
        }
        KeyTransport::Rsa15 => ctx.set_rsa_padding(Padding::PKCS1).map_err(drop)?,
    }
    let mut out = Vec::new();
    ctx.decrypt_to_vec(cipher, &mut out).map_err(drop)?;
    Ok(out)
}

/// The OpenSSL digest of an allowed digest algorithm.
fn md(digest: DigestAlgorithm) -> &'static openssl::md::MdRef {
    use openssl::md::Md;
    match digest {
        DigestAlgorithm::Sha1 => Md::sha1(),
        DigestAlgorithm::Sha256 => Md::sha256(),
        DigestAlgorithm::Sha384 => Md::sha384(),
        DigestAlgorithm::Sha512 => Md::sha512(),
    }
}
