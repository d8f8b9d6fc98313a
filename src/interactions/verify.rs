//! Checking that a request really comes from Discord: `X-Signature-Ed25519` is an ed25519
//! signature, by the application's key, of `X-Signature-Timestamp` followed by the raw body.
//!
//! A request signed more than [`MAX_SKEW`] away from now is refused too: the signature covers
//! the timestamp, so a captured request cannot be replayed with a fresh one.

use ed25519_dalek::{Signature, VerifyingKey};

/// How far a request's timestamp may be from this machine's clock, either way. Discord sends
/// within a second; the margin is for clock drift, not for network delay.
pub const MAX_SKEW_SECS: u64 = 5 * 60;
/// [`MAX_SKEW_SECS`] as a duration.
pub const MAX_SKEW: std::time::Duration = std::time::Duration::from_secs(MAX_SKEW_SECS);

/// Why a request was refused (every one is answered 401, with this as the body).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("missing header X-Signature-Ed25519")]
    MissingSignature,
    #[error("missing header X-Signature-Timestamp")]
    MissingTimestamp,
    #[error("X-Signature-Ed25519 is not 128 hex digits")]
    MalformedSignature,
    #[error("X-Signature-Timestamp is not a Unix time in seconds")]
    MalformedTimestamp,
    #[error("X-Signature-Timestamp is {skew_secs} s from now (at most {MAX_SKEW_SECS} s allowed)")]
    Stale { skew_secs: u64 },
    #[error("invalid request signature")]
    BadSignature,
}

/// Checks one request: headers as received (`None` when absent), the raw body, and the
/// current Unix time in seconds (injected, so tests can be stale on purpose).
pub fn verify(
    key: &VerifyingKey,
    signature: Option<&str>,
    timestamp: Option<&str>,
    body: &[u8],
    now_unix: u64,
) -> Result<(), Rejection> {
    let signature = signature.ok_or(Rejection::MissingSignature)?;
    let timestamp = timestamp.ok_or(Rejection::MissingTimestamp)?;
    let bytes: [u8; 64] = crate::config::decode_hex(signature.trim())
        .and_then(|b| b.try_into().ok())
        .ok_or(Rejection::MalformedSignature)?;
    let signature = Signature::from_bytes(&bytes);
    let at: u64 = timestamp
        .trim()
        .parse()
        .map_err(|_| Rejection::MalformedTimestamp)?;
    let skew_secs = at.abs_diff(now_unix);
    if skew_secs > MAX_SKEW_SECS {
        return Err(Rejection::Stale { skew_secs });
    }
    let mut message = Vec::with_capacity(timestamp.len() + body.len());
    message.extend_from_slice(timestamp.as_bytes());
    message.extend_from_slice(body);
    // Strict: no small-order keys or non-canonical signatures, which a forger could exploit
    // and Discord never produces.
    key.verify_strict(&message, &signature)
        .map_err(|_| Rejection::BadSignature)
}

/// The current Unix time in seconds (0 if the clock is before 1970).
pub fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    const NOW: u64 = 1_800_000_000;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn signed(key: &SigningKey, timestamp: &str, body: &[u8]) -> String {
        let mut message = timestamp.as_bytes().to_vec();
        message.extend_from_slice(body);
        hex(&key.sign(&message).to_bytes())
    }

    #[test]
    fn a_signature_over_timestamp_and_body_is_accepted_and_any_change_refused() {
        let key = SigningKey::from_bytes(&[1; 32]);
        let public = key.verifying_key();
        let ts = NOW.to_string();
        let body = br#"{"type":1}"#;
        let sig = signed(&key, &ts, body);
        assert_eq!(verify(&public, Some(&sig), Some(&ts), body, NOW), Ok(()));
        // Another body, another timestamp, another key: refused.
        let other_body = br#"{"type":2}"#;
        assert_eq!(
            verify(&public, Some(&sig), Some(&ts), other_body, NOW),
            Err(Rejection::BadSignature)
        );
        let later = (NOW + 1).to_string();
        assert_eq!(
            verify(&public, Some(&sig), Some(&later), body, NOW),
            Err(Rejection::BadSignature)
        );
        let stranger = SigningKey::from_bytes(&[2; 32]);
        let forged = signed(&stranger, &ts, body);
        assert_eq!(
            verify(&public, Some(&forged), Some(&ts), body, NOW),
            Err(Rejection::BadSignature)
        );
    }

    #[test]
    fn a_timestamp_more_than_five_minutes_off_either_way_is_stale() {
        let key = SigningKey::from_bytes(&[1; 32]);
        let public = key.verifying_key();
        let body = b"{}";
        for (at, ok) in [
            (NOW - MAX_SKEW_SECS, true),
            (NOW + MAX_SKEW_SECS, true),
            (NOW - MAX_SKEW_SECS - 1, false),
            (NOW + MAX_SKEW_SECS + 1, false),
        ] {
            let ts = at.to_string();
            let result = verify(
                &public,
                Some(&signed(&key, &ts, body)),
                Some(&ts),
                body,
                NOW,
            );
            if ok {
                assert_eq!(result, Ok(()), "{at}");
            } else {
                assert_eq!(
                    result,
                    Err(Rejection::Stale {
                        skew_secs: MAX_SKEW_SECS + 1
                    }),
                    "{at}"
                );
            }
        }
    }

    #[test]
    fn missing_or_malformed_headers_are_named() {
        let public = SigningKey::from_bytes(&[1; 32]).verifying_key();
        let ts = NOW.to_string();
        let sig = "ab".repeat(64);
        assert_eq!(
            verify(&public, None, Some(&ts), b"", NOW),
            Err(Rejection::MissingSignature)
        );
        assert_eq!(
            verify(&public, Some(&sig), None, b"", NOW),
            Err(Rejection::MissingTimestamp)
        );
        assert_eq!(
            verify(&public, Some("abcd"), Some(&ts), b"", NOW),
            Err(Rejection::MalformedSignature)
        );
        assert_eq!(
            verify(&public, Some(&sig), Some("yesterday"), b"", NOW),
            Err(Rejection::MalformedTimestamp)
        );
    }
}
