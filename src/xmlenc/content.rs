//! Content decryption: AES-GCM (authenticated), and AES-CBC by opt-in.
//!
//! Layouts (XML Encryption 1.1 §5.2): GCM is a 12-byte IV, the ciphertext,
//! and a 16-byte tag; CBC is a 16-byte IV and the ciphertext, padded as
//! ISO 10126 (only the last byte, the pad length, is meaningful and checked).

use openssl::symm::{Cipher, Crypter, Mode, decrypt_aead};

use super::algorithm::ContentAlgorithm;

const GCM_IV: usize = 12;
const GCM_TAG: usize = 16;
const AES_BLOCK: usize = 16;

/// Decrypts `data` with `key`. `Err` carries the operator-facing reason; the
/// caller turns every failure into the one generic error.
pub(crate) fn decrypt(
    algorithm: ContentAlgorithm,
    key: &[u8],
    data: &[u8],
) -> Result<Vec<u8>, String> {
    if key.len() != algorithm.key_len() {
        return Err(format!(
            "the content key is {} bytes; {} needs {}",
            key.len(),
            algorithm.name(),
            algorithm.key_len()
        ));
    }
    match algorithm {
        ContentAlgorithm::AesGcm(n) => {
            if data.len() < GCM_IV + GCM_TAG {
                return Err(format!(
                    "the ciphertext is {} bytes, shorter than a GCM IV and tag",
                    data.len()
                ));
            }
            let cipher = match n {
                16 => Cipher::aes_128_gcm(),
                24 => Cipher::aes_192_gcm(),
                _ => Cipher::aes_256_gcm(),
            };
            let (iv, rest) = data.split_at(GCM_IV);
            let (body, tag) = rest.split_at(rest.len() - GCM_TAG);
            decrypt_aead(cipher, key, Some(iv), &[], body, tag).map_err(|_| {
                "the AES-GCM tag does not verify: wrong key, or the IV, ciphertext or tag was changed"
                    .to_string()
            })
        }
        ContentAlgorithm::AesCbc(n) => {
            if data.len() < 2 * AES_BLOCK || data.len() % AES_BLOCK != 0 {
                return Err(format!(
                    "the CBC ciphertext is {} bytes, not an IV and whole blocks",
                    data.len()
                ));
            }
            let cipher = match n {
                16 => Cipher::aes_128_cbc(),
                24 => Cipher::aes_192_cbc(),
                _ => Cipher::aes_256_cbc(),
            };
            let (iv, body) = data.split_at(AES_BLOCK);
            let fail = |_| "AES-CBC decryption failed".to_string();
            let mut crypter = Crypter::new(cipher, Mode::Decrypt, key, Some(iv)).map_err(fail)?;
            crypter.pad(false);
            let mut out = vec![0u8; body.len() + AES_BLOCK];
            let mut len = crypter.update(body, &mut out).map_err(fail)?;
            len += crypter.finalize(&mut out[len..]).map_err(fail)?;
            out.truncate(len);
            let pad = usize::from(out.last().copied().unwrap_or(0));
            if pad == 0 || pad > AES_BLOCK || pad > out.len() {
                return Err(
                    "the CBC padding is invalid: wrong key, or the ciphertext was changed".into(),
                );
            }
            out.truncate(out.len() - pad);
            Ok(out)
        }
    }
}
