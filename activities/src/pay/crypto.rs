//! WeChat Pay v3 cryptography on `ring`: SHA256-with-RSA (PKCS#1 v1.5) signatures over the
//! `\n`-joined message lines, and AEAD_AES_256_GCM for notice resources. Keys come as PEM:
//! the merchant key as PKCS#8 `PRIVATE KEY`, WeChat Pay's public key as SPKI `PUBLIC KEY`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{
    RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256, RsaKeyPair, UnparsedPublicKey,
};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("not a PEM block labelled {0}")]
    Pem(&'static str),
    #[error("not an RSA key ({0})")]
    Key(String),
    #[error("the APIv3 key must be 32 bytes")]
    Apiv3Key,
    #[error("base64: {0}")]
    Base64(String),
    #[error(
        "the resource does not decrypt (wrong key, nonce, associated data or a tampered ciphertext)"
    )]
    Decrypt,
    #[error("signing failed")]
    Sign,
}

/// The message WeChat signs: every part followed by `\n`.
pub fn message(parts: &[&str]) -> String {
    let mut out = String::new();
    for p in parts {
        out.push_str(p);
        out.push('\n');
    }
    out
}

/// The DER inside a PEM block with this label.
pub fn pem_der(pem: &str, label: &'static str) -> Result<Vec<u8>, CryptoError> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = pem.find(&begin).ok_or(CryptoError::Pem(label))? + begin.len();
    let stop = pem[start..].find(&end).ok_or(CryptoError::Pem(label))? + start;
    let body: String = pem[start..stop]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    B64.decode(body)
        .map_err(|e| CryptoError::Base64(e.to_string()))
}

/// One DER element at the start of `der`: (tag, contents, rest).
fn der_element(der: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = der.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// `SubjectPublicKeyInfo` (SPKI) → the PKCS#1 `RSAPublicKey` that `ring` verifies with.
fn spki_rsa_public_key(der: &[u8]) -> Result<Vec<u8>, CryptoError> {
    const RSA_OID: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    let bad = || CryptoError::Key("not an RSA SubjectPublicKeyInfo".into());
    let (0x30, spki, _) = der_element(der).ok_or_else(bad)? else {
        return Err(bad());
    };
    let (0x30, algorithm, rest) = der_element(spki).ok_or_else(bad)? else {
        return Err(bad());
    };
    let (0x06, oid, _) = der_element(algorithm).ok_or_else(bad)? else {
        return Err(bad());
    };
    if oid != RSA_OID {
        return Err(bad());
    }
    let (0x03, bits, _) = der_element(rest).ok_or_else(bad)? else {
        return Err(bad());
    };
    match bits.split_first() {
        Some((0, key)) => Ok(key.to_vec()),
        _ => Err(bad()),
    }
}

/// Signs with an RSA private key (the merchant's; the fake WeChat Pay's platform key).
pub struct Signer {
    key: RsaKeyPair,
    rng: SystemRandom,
}

impl Signer {
    /// From a PKCS#8 `PRIVATE KEY` PEM (the `apiclient_key.pem` WeChat issues).
    pub fn from_pem(pem: &str) -> Result<Self, CryptoError> {
        let der = pem_der(pem, "PRIVATE KEY")?;
        let key = RsaKeyPair::from_pkcs8(&der).map_err(|e| CryptoError::Key(e.to_string()))?;
        Ok(Self {
            key,
            rng: SystemRandom::new(),
        })
    }

    /// base64(SHA256-with-RSA(message)).
    pub fn sign(&self, message: &str) -> Result<String, CryptoError> {
        let mut sig = vec![0u8; self.key.public().modulus_len()];
        self.key
            .sign(&RSA_PKCS1_SHA256, &self.rng, message.as_bytes(), &mut sig)
            .map_err(|_| CryptoError::Sign)?;
        Ok(B64.encode(sig))
    }
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer([private key])")
    }
}

/// Verifies with an RSA public key (WeChat Pay's; in the fake, the merchant's).
#[derive(Debug, Clone)]
pub struct Verifier {
    pkcs1: Vec<u8>,
}

impl Verifier {
    /// From an SPKI `PUBLIC KEY` PEM (the WeChat Pay public key file, `pub_key.pem`).
    pub fn from_pem(pem: &str) -> Result<Self, CryptoError> {
        let der = pem_der(pem, "PUBLIC KEY")?;
        Ok(Self {
            pkcs1: spki_rsa_public_key(&der)?,
        })
    }

    /// True when `signature_b64` is a valid signature of `message`.
    pub fn verify(&self, message: &str, signature_b64: &str) -> bool {
        let Ok(sig) = B64.decode(signature_b64.trim()) else {
            return false;
        };
        UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &self.pkcs1)
            .verify(message.as_bytes(), &sig)
            .is_ok()
    }
}

/// The 32-byte APIv3 key (notice resources are encrypted with it).
#[derive(Clone)]
pub struct Apiv3Key([u8; 32]);

impl Apiv3Key {
    pub fn new(text: &str) -> Result<Self, CryptoError> {
        let bytes: [u8; 32] = text
            .trim()
            .as_bytes()
            .try_into()
            .map_err(|_| CryptoError::Apiv3Key)?;
        Ok(Self(bytes))
    }

    fn key(&self) -> LessSafeKey {
        LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &self.0).expect("32-byte key"))
    }

    /// Decrypts a notice `resource` (`ciphertext` is base64 of ciphertext ‖ 16-byte tag).
    pub fn decrypt(
        &self,
        nonce: &str,
        associated_data: &str,
        ciphertext_b64: &str,
    ) -> Result<Vec<u8>, CryptoError> {
        let nonce =
            Nonce::try_assume_unique_for_key(nonce.as_bytes()).map_err(|_| CryptoError::Decrypt)?;
        let mut data = B64
            .decode(ciphertext_b64)
            .map_err(|e| CryptoError::Base64(e.to_string()))?;
        let plain = self
            .key()
            .open_in_place(nonce, Aad::from(associated_data.as_bytes()), &mut data)
            .map_err(|_| CryptoError::Decrypt)?;
        Ok(plain.to_vec())
    }

    /// Encrypts like WeChat does (for the fake): base64(ciphertext ‖ tag).
    pub fn encrypt(
        &self,
        nonce: &str,
        associated_data: &str,
        plain: &[u8],
    ) -> Result<String, CryptoError> {
        let nonce =
            Nonce::try_assume_unique_for_key(nonce.as_bytes()).map_err(|_| CryptoError::Decrypt)?;
        let mut data = plain.to_vec();
        self.key()
            .seal_in_place_append_tag(nonce, Aad::from(associated_data.as_bytes()), &mut data)
            .map_err(|_| CryptoError::Decrypt)?;
        Ok(B64.encode(data))
    }
}

impl std::fmt::Debug for Apiv3Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Apiv3Key([redacted])")
    }
}

/// A random string of `n` letters and digits (request nonces, `nonceStr`).
pub fn nonce(n: usize) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut bytes = vec![0u8; n];
    SystemRandom::new()
        .fill(&mut bytes)
        .expect("system randomness");
    bytes
        .into_iter()
        .map(|b| char::from(CHARS[usize::from(b) % CHARS.len()]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    mod keys {
        include!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/wechatpay/keys.rs"
        ));
    }

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(keys::dir(env!("CARGO_MANIFEST_DIR")).join(name)).expect(name)
    }

    #[test]
    fn a_signature_verifies_with_the_matching_public_key_only() {
        let merchant = Signer::from_pem(&fixture("TEST_ONLY_merchant_private_key.pem")).unwrap();
        let ours = Verifier::from_pem(&fixture("TEST_ONLY_merchant_public_key.pem")).unwrap();
        let theirs = Verifier::from_pem(&fixture("TEST_ONLY_platform_public_key.pem")).unwrap();
        let msg = message(&[
            "POST",
            "/v3/pay/transactions/jsapi",
            "1700000000",
            "NONCE",
            "{}",
        ]);
        assert_eq!(
            msg,
            "POST\n/v3/pay/transactions/jsapi\n1700000000\nNONCE\n{}\n"
        );
        let sig = merchant.sign(&msg).unwrap();
        assert!(ours.verify(&msg, &sig));
        assert!(
            !ours.verify(&msg.replace("{}", "{ }"), &sig),
            "tampered body"
        );
        assert!(!theirs.verify(&msg, &sig), "another key");
        assert!(!ours.verify(&msg, "not base64!"));
    }

    #[test]
    fn resources_decrypt_only_with_the_right_key_nonce_and_data() {
        let key = Apiv3Key::new(&fixture("TEST_ONLY_apiv3_key.txt")).unwrap();
        let sealed = key
            .encrypt("0123456789ab", "transaction", b"{\"a\":1}")
            .unwrap();
        assert_eq!(
            key.decrypt("0123456789ab", "transaction", &sealed).unwrap(),
            b"{\"a\":1}"
        );
        assert_eq!(
            key.decrypt("0123456789ab", "refund", &sealed),
            Err(CryptoError::Decrypt)
        );
        assert_eq!(
            key.decrypt("ba9876543210", "transaction", &sealed),
            Err(CryptoError::Decrypt)
        );
        let other = Apiv3Key::new("0123456789abcdef0123456789abcdef").unwrap();
        assert_eq!(
            other.decrypt("0123456789ab", "transaction", &sealed),
            Err(CryptoError::Decrypt)
        );
        assert!(Apiv3Key::new("short").is_err());
    }

    #[test]
    fn keys_in_the_wrong_format_are_named() {
        assert_eq!(
            Verifier::from_pem("-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----")
                .unwrap_err(),
            CryptoError::Pem("PUBLIC KEY")
        );
        assert!(Signer::from_pem(&fixture("TEST_ONLY_merchant_public_key.pem")).is_err());
        assert_eq!(nonce(32).len(), 32);
    }
}
