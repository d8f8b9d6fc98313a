//! The serenity adapter: connects, registers the command registry, turns events into bot
//! requests and replies into Discord messages, with retries on the reply path.
//!
//! - [`run`]: the entry point for `serve` and for end-to-end tests (config in, shutdown signal
//!   in). I/O edges are injected: the REST base URL (`[discord] http_proxy`) and the shutdown
//!   future; signals are the caller's business (see `cli/serve.rs`).
//! - [`handler`]: the event handler, a few lines per event.
//! - [`convert`]: serenity ⇄ bot types; every message parses no mentions.
//! - [`send`]: retries within Discord's deadlines.

pub mod convert;
pub mod handler;
pub mod send;

use std::future::Future;
use std::sync::Arc;

use anyhow::Context as _;
use serenity::all::{ClientBuilder, GatewayIntents, Http, HttpBuilder};

use crate::bot::Bot;
use crate::config::{Config, DiscordConfig};

/// Guild events (for owners), guild messages (for @mentions) and DMs — nothing privileged:
/// Discord includes message content in DMs and in messages that mention the bot.
pub fn intents() -> GatewayIntents {
    GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::DIRECT_MESSAGES
}

/// The REST client: through `http_proxy` with serenity's rate limiter off (the proxy is the
/// rate limiter, and serenity only uses the proxy that way), else straight to Discord.
pub fn http(config: &DiscordConfig) -> Http {
    let builder =
        HttpBuilder::new(config.token.expose()).default_allowed_mentions(convert::no_mentions());
    match &config.http_proxy {
        Some(proxy) => builder.proxy(proxy).ratelimiter_disabled(true).build(),
        None => builder.build(),
    }
}

/// Loads the knowledge base named by `config`, connects, and serves until `shutdown`
/// completes (then closes the gateway gracefully). Errors: the knowledge base does not load,
/// or the client fails (e.g. the token is refused).
pub async fn run(config: Config, shutdown: impl Future<Output = ()> + Send) -> anyhow::Result<()> {
    // The load error already names the file and every problem (its I/O cause included).
    let bot = Bot::from_config(&config).map_err(|err| anyhow::anyhow!("{err}"))?;
    run_with(Arc::new(bot), &config.discord, shutdown).await
}

/// Like [`run`], with a bot built by the caller (who can keep a handle to it, e.g. to reload).
pub async fn run_with(
    bot: Arc<Bot>,
    config: &DiscordConfig,
    shutdown: impl Future<Output = ()> + Send,
) -> anyhow::Result<()> {
    let mut client = ClientBuilder::new_with_http(http(config), intents())
        .event_handler(handler::Handler::new(bot, config.dev_guild_id))
        .await
        .context("building the Discord client")?;
    let shards = Arc::clone(&client.shard_manager);
    let mut running = tokio::spawn(async move { client.start().await });
    tokio::select! {
        finished = &mut running => {
            finished.context("the Discord client task failed")?.context("Discord client")?;
            Ok(())
        }
        () = shutdown => {
            tracing::info!("shutting down");
            shards.shutdown_all().await;
            let _ = running.await;
            Ok(())
        }
    }
}
