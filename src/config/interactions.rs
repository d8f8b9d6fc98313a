//! `[interactions]`: the HTTP interactions endpoint (`serve --interactions`): where it listens
//! and the application's public key.

use serde::Deserialize;

/// `[interactions]`: the HTTP interactions endpoint (`serve --interactions`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InteractionsConfig {
    /// Where `POST /interactions` is served (default [`DEFAULT_INTERACTIONS_LISTEN`]).
    pub listen: std::net::SocketAddr,
    /// The application's public key (Developer Portal → General Information), which signs
    /// every request Discord sends; `None` when not configured (then `--interactions` refuses
    /// to start).
    pub public_key: Option<ed25519_dalek::VerifyingKey>,
}

/// Where the interactions endpoint listens when `[interactions] listen` is not set.
/// Loopback: a reverse proxy in front (or the deploy files' explicit `0.0.0.0`) decides what
/// the outside reaches, so a bare `serve --interactions` exposes nothing by accident.
pub const DEFAULT_INTERACTIONS_LISTEN: &str = "127.0.0.1:8080";

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawInteractions {
    pub(super) listen: Option<String>,
    pub(super) public_key: Option<String>,
}

/// Validates `[interactions]`: an address to listen on, and the public key as 64 hex digits
/// that decode to a valid ed25519 point (a mistyped key would otherwise refuse every request,
/// Discord's PING included, with nothing in the log to say why).
pub(super) fn parse(raw: RawInteractions) -> Result<InteractionsConfig, (&'static str, String)> {
    let listen_text = raw
        .listen
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(DEFAULT_INTERACTIONS_LISTEN);
    let listen = listen_text.parse().map_err(|_| {
        (
            "interactions.listen",
            format!("\"{listen_text}\" is not an address and port, e.g. \"0.0.0.0:8080\""),
        )
    })?;
    let public_key = match raw.public_key.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(public_key(text).map_err(|why| ("interactions.public_key", why))?),
    };
    Ok(InteractionsConfig { listen, public_key })
}

/// An ed25519 public key written as 64 hex digits (as the Developer Portal shows it).
pub fn public_key(text: &str) -> Result<ed25519_dalek::VerifyingKey, String> {
    let hint = "expected the application's public key from the Developer Portal (General \
                Information): 64 hex digits";
    let bytes = decode_hex(text).ok_or_else(|| format!("not hex: {hint}"))?;
    let bytes: [u8; 32] = bytes
        .try_into()
        .map_err(|b: Vec<u8>| format!("{} hex digits: {hint}", b.len() * 2))?;
    ed25519_dalek::VerifyingKey::from_bytes(&bytes)
        .map_err(|_| format!("64 hex digits, but not a valid ed25519 public key: {hint}"))
}

/// Hex digits to bytes; `None` for an odd length or a non-hex character.
pub fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    if digits.len() % 2 == 1 {
        return None;
    }
    digits
        .chunks(2)
        .map(|pair| {
            let high = char::from(pair[0]).to_digit(16)?;
            let low = char::from(pair[1]).to_digit(16)?;
            u8::try_from(high * 16 + low).ok()
        })
        .collect()
}
