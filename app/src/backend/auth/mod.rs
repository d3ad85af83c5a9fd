//! Credentials: password hashing (argon2id, off the async threads, bounded),
//! the common-password list, session tokens, TOTP codes and recovery codes.
//! No SQL here; `services::accounts` puts these together with `db`.

use crate::backend::error::BackendError;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;

/// At most this many hashes run at once (each takes 19 MiB and tens of
/// milliseconds of a core), so a burst of sign-ins cannot exhaust memory or
/// starve other requests.
fn hashing_permits() -> Arc<Semaphore> {
    static PERMITS: OnceLock<Arc<Semaphore>> = OnceLock::new();
    PERMITS
        .get_or_init(|| {
            let n = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
            Arc::new(Semaphore::new(n))
        })
        .clone()
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, BackendError> {
    let _permit = hashing_permits().acquire_owned().await.map_err(BackendError::unexpected)?;
    tokio::task::spawn_blocking(f).await.map_err(BackendError::unexpected)
}

/// Hashes a password with argon2id and the crate's defaults (m=19 MiB, t=2,
/// p=1, as ASVS recommends) and a random salt.
pub async fn hash_password(password: String) -> Result<String, BackendError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(BackendError::unexpected)?;
    blocking(move || {
        let salt = SaltString::encode_b64(&salt).map_err(BackendError::unexpected)?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(BackendError::unexpected)
    })
    .await?
}

/// Checks a password against a stored hash. With no hash (unknown user) it
/// still spends the same work on a dummy hash, so timing does not tell
/// which usernames exist.
pub async fn verify_password(password: String, stored: Option<String>) -> Result<bool, BackendError> {
    let known = stored.is_some();
    let stored = match stored {
        Some(s) => s,
        None => dummy_hash().await?,
    };
    let ok = blocking(move || {
        PasswordHash::new(&stored).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
    })
    .await?;
    Ok(ok && known)
}

async fn dummy_hash() -> Result<String, BackendError> {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY.get_or_try_init(|| hash_password("not a real password, only spends time".into())).await.cloned()
}

/// Whether the password is on the shipped list of common passwords
/// (compared case-insensitively).
pub fn is_common_password(password: &str) -> bool {
    static LIST: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let list = LIST.get_or_init(|| include_str!("common-passwords.txt").lines().collect());
    list.contains(password.to_lowercase().as_str())
}

/// `n` bytes from the operating system's CSPRNG, as lowercase hex.
pub fn random_hex(n: usize) -> Result<String, BackendError> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(BackendError::unexpected)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// A new session token: 256 random bits (ASVS asks for at least 128).
pub fn new_session_token() -> Result<String, BackendError> {
    random_hex(32)
}

pub fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data).iter().map(|b| format!("{b:02x}")).collect()
}

/// TOTP as authenticator apps expect it: SHA-1, 6 digits, 30-second steps.
pub mod totp {
    use crate::backend::error::BackendError;
    use totp_rs::{Algorithm, Secret, TOTP};

    pub const STEP_SECONDS: u64 = 30;

    /// A new 160-bit secret, base32-encoded as apps expect.
    pub fn new_secret() -> Result<String, BackendError> {
        let mut bytes = vec![0u8; 20];
        getrandom::fill(&mut bytes).map_err(BackendError::unexpected)?;
        Ok(Secret::Raw(bytes).to_encoded().to_string())
    }

    fn totp(secret_b32: &str) -> Result<TOTP, BackendError> {
        let bytes = Secret::Encoded(secret_b32.to_owned()).to_bytes().map_err(BackendError::unexpected)?;
        Ok(TOTP::new_unchecked(Algorithm::SHA1, 6, 1, STEP_SECONDS, bytes))
    }

    /// The code for `unix_time` (for tests and the CLI's own checks).
    pub fn code_at(secret_b32: &str, unix_time: u64) -> Result<String, BackendError> {
        Ok(totp(secret_b32)?.generate(unix_time))
    }

    /// The time step `code` is valid for (one step of clock drift either
    /// way), if it is later than `last_used_step`: a code works only once.
    pub fn accept(
        secret_b32: &str,
        code: &str,
        unix_time: u64,
        last_used_step: i64,
    ) -> Result<Option<i64>, BackendError> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
            return Ok(None);
        }
        let t = totp(secret_b32)?;
        let now_step = (unix_time / STEP_SECONDS) as i64;
        for step in [now_step - 1, now_step, now_step + 1] {
            if step <= last_used_step || step < 0 {
                continue;
            }
            let expected = t.generate(step as u64 * STEP_SECONDS);
            if constant_time_eq(expected.as_bytes(), code.as_bytes()) {
                return Ok(Some(step));
            }
        }
        Ok(None)
    }

    fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    /// The `otpauth://` URI an authenticator app scans.
    pub fn uri(secret_b32: &str, username: &str) -> String {
        let label = crate::domain::url_encode(username);
        format!(
            "otpauth://totp/Firebreak:{label}?secret={secret_b32}&issuer=Firebreak&algorithm=SHA1&digits=6&period=30"
        )
    }

    /// The URI as an SVG QR code (no scripts, safe to inline).
    pub fn qr_svg(uri: &str) -> Result<String, BackendError> {
        let code = qrcode::QrCode::new(uri.as_bytes()).map_err(BackendError::unexpected)?;
        Ok(code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(200, 200)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build())
    }
}

/// Ten single-use recovery codes like `k7d2m-q9xw4`, drawn from an alphabet
/// without look-alike characters (about 50 bits each).
pub fn new_recovery_codes() -> Result<Vec<String>, BackendError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    (0..10)
        .map(|_| {
            let mut bytes = [0u8; 10];
            getrandom::fill(&mut bytes).map_err(BackendError::unexpected)?;
            let chars: String = bytes.iter().map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect();
            Ok(format!("{}-{}", &chars[..5], &chars[5..]))
        })
        .collect()
}

/// Recovery codes are compared by hash, ignoring case, spaces and dashes.
pub fn recovery_code_hash(code: &str) -> String {
    let canonical: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_lowercase();
    sha256_hex(canonical.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let hash = hash_password("correct horse battery".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_password("correct horse battery".into(), Some(hash.clone())).await.unwrap());
        assert!(!verify_password("wrong horse battery".into(), Some(hash)).await.unwrap());
        assert!(!verify_password("anything".into(), None).await.unwrap());
    }

    #[test]
    fn common_passwords_are_known() {
        assert!(is_common_password("password1"));
        assert!(is_common_password("Password1"));
        assert!(is_common_password("qwertyuiop"));
        assert!(!is_common_password("violet staple engine harbour"));
    }

    #[test]
    fn a_totp_code_works_once_and_only_near_its_time() {
        let secret = totp::new_secret().unwrap();
        let t = 1_800_000_000;
        let code = totp::code_at(&secret, t).unwrap();
        let step = totp::accept(&secret, &code, t, 0).unwrap().expect("accepted");
        assert_eq!(totp::accept(&secret, &code, t, step).unwrap(), None, "reused");
        assert!(totp::accept(&secret, &code, t + 25, 0).unwrap().is_some(), "one step of drift");
        assert_eq!(totp::accept(&secret, &code, t + 300, 0).unwrap(), None, "too late");
        assert_eq!(totp::accept(&secret, "12345", t, 0).unwrap(), None);
    }

    #[test]
    fn recovery_codes_are_distinct_and_compare_loosely() {
        let codes = new_recovery_codes().unwrap();
        assert_eq!(codes.len(), 10);
        let unique: HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), 10);
        assert_eq!(recovery_code_hash(&codes[0]), recovery_code_hash(&codes[0].to_uppercase().replace('-', " ")));
    }
}
