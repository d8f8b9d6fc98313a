//! `[metrics]`: where `/metrics` and `/healthz` are served, if anywhere.

use serde::Deserialize;

use super::ConfigError;

/// `[metrics]`: where to serve `/metrics` and `/healthz`; `None` (the default) serves nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetricsConfig {
    pub listen: Option<std::net::SocketAddr>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMetrics {
    pub(super) listen: Option<String>,
}

pub(super) fn parse(
    raw: RawMetrics,
    bad: &impl Fn(&'static str, String) -> ConfigError,
) -> Result<MetricsConfig, ConfigError> {
    let listen = match raw.listen.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(text.parse().map_err(|_| {
            bad(
                "metrics.listen",
                format!("\"{text}\" is not an address and port, e.g. \"127.0.0.1:9187\""),
            )
        })?),
    };
    Ok(MetricsConfig { listen })
}
