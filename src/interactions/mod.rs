//! The HTTP interactions endpoint (`serve --interactions`): Discord POSTs each slash command,
//! autocomplete and button press to `POST /interactions`, signed with the application's key,
//! and takes the answer from the HTTP response. No gateway connection: any number of replicas
//! behind a load balancer answer alike, since the knowledge file is their only state.
//!
//! The same path as the gateway's, from the bot's point of view: the body deserializes into
//! serenity's [`Interaction`] (Discord sends the same JSON both ways), [`convert`] turns it
//! into a bot [`crate::bot::Request`], the bot's handlers answer (rate limits included), and
//! [`convert`] renders the reply. Only the delivery differs:
//!
//! - PING (type 1) → `{"type":1}`;
//! - a reply ready within [`send::DEFER_AFTER`] → the response itself (type 4, 7 or 8);
//! - otherwise, and always for commands marked `slow` in the registry (the gateway path
//!   defers those too), a deferral (type 5 or 6) now and the reply as an edit of `@original`
//!   through the REST client (`[discord] http_proxy`), after the deferral has reached Discord.
//!
//! Refused: a bad, missing or stale signature (401, see [`verify`]), a body over
//! [`MAX_BODY_BYTES`] (413), a body that is not an interaction (400).
//!
//! Invokers are as the gateway sees them, except that guild owners are not known (the
//! gateway learns them from GUILD_CREATE): admins are the users and roles in `[admin]`.

pub mod verify;

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use ed25519_dalek::VerifyingKey;
use serenity::all::{
    ApplicationId, CommandInteraction, ComponentInteraction, CreateInteractionResponse,
    EditInteractionResponse, Http, Interaction,
};
use serenity::http::HttpError;
use tokio::net::TcpListener;
use tokio::time::Instant;

use crate::bot::{Bot, Delivery, Input, Reply, Request};
use crate::discord::{convert, send};
use crate::ops;

/// The path Discord is told to POST to (Developer Portal → Interactions Endpoint URL).
pub const PATH: &str = "/interactions";
/// Largest request body read. An interaction is a few KB (a command with its options and the
/// invoking member; a button press with the message it is on: at most 10 embeds of 6,000
/// characters); 64 KiB leaves room for that and refuses anything meant to exhaust memory.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// An `@original` edit sent before Discord has processed our deferral is refused as an
/// unknown message: it is retried this many times, waiting [`EDIT_TOO_EARLY_WAIT`] (doubling).
pub const EDIT_TOO_EARLY_RETRIES: u32 = 5;
pub const EDIT_TOO_EARLY_WAIT: Duration = Duration::from_millis(50);

/// Discord's "Unknown Webhook", "Unknown Message" and "Unknown interaction".
const UNKNOWN_CODES: [isize; 3] = [10015, 10008, 10062];

/// What the endpoint needs: the bot, the key requests are signed with, a REST client for
/// deferred replies, and a clock (Unix seconds; injected so tests can send stale requests).
pub struct Endpoint {
    bot: Arc<Bot>,
    key: VerifyingKey,
    http: Arc<Http>,
    clock: fn() -> u64,
    /// Interaction id → when it arrived (Unix seconds), for as long as a signature of it
    /// could still be accepted.
    seen: std::sync::Mutex<HashMap<u64, u64>>,
}

/// Ids remembered before the expired ones are swept out.
const SEEN_SWEEP_AT: usize = 10_000;

impl Endpoint {
    pub fn new(bot: Arc<Bot>, key: VerifyingKey, http: Http) -> Endpoint {
        Endpoint {
            bot,
            key,
            http: Arc::new(http),
            clock: verify::now_unix,
            seen: Default::default(),
        }
    }

    /// Whether interaction `id` arrives for the first time within the signature window
    /// (a timestamp is accepted up to [`verify::MAX_SKEW_SECS`] either side of now, so an id
    /// is remembered for twice that).
    fn first_time(&self, id: u64) -> bool {
        let now = (self.clock)();
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() >= SEEN_SWEEP_AT {
            seen.retain(|_, at| now.saturating_sub(*at) <= 2 * verify::MAX_SKEW_SECS);
        }
        match seen.entry(id) {
            std::collections::hash_map::Entry::Occupied(_) => false,
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(now);
                true
            }
        }
    }

    /// The same endpoint with another clock.
    pub fn with_clock(mut self, clock: fn() -> u64) -> Endpoint {
        self.clock = clock;
        self
    }

    /// The bot it answers with.
    pub fn bot(&self) -> &Arc<Bot> {
        &self.bot
    }
}

/// `POST /interactions`, with the body limit.
pub fn router(endpoint: Arc<Endpoint>) -> Router {
    Router::new()
        .route(PATH, post(interactions))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(endpoint)
}

/// Most connections served at once; more wait in the kernel's backlog, holding no file
/// descriptor of ours. Discord opens a handful; a client holding a thousand half-sent
/// requests used to take every descriptor, and with them `/healthz` and SIGHUP's reload.
pub const MAX_CONNECTIONS: usize = 256;
/// A request head (or, on a kept-alive connection, the next one) must arrive within this.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// A request body must arrive within this (Discord sends a few KB at once).
pub const BODY_TIMEOUT: Duration = Duration::from_secs(5);
/// A connection is closed after this, however busy: nothing holds a place for long.
pub const CONNECTION_LIFETIME: Duration = Duration::from_secs(60);
/// How long requests in flight may finish after shutdown.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Serves `listener` until `shutdown` completes; then stops accepting, lets requests in
/// flight finish (within a grace period), and returns. Every connection is bounded: at most
/// [`MAX_CONNECTIONS`] at once, [`HEADER_TIMEOUT`] for each request head, [`BODY_TIMEOUT`]
/// for each body, [`CONNECTION_LIFETIME`] in all.
pub async fn serve(
    listener: TcpListener,
    endpoint: Arc<Endpoint>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(endpoint);
    let places = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let (closing, closed) = tokio::sync::watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let place = tokio::select! {
            place = Arc::clone(&places).acquire_owned() => place,
            () = &mut shutdown => break,
        };
        let Ok(place) = place else { break };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(err) => {
                // Out of descriptors and the like: back off a little, keep serving.
                tracing::warn!(error = %err, "cannot accept a connection");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        // Reap finished connections so the set stays as small as what is open.
        while connections.try_join_next().is_some() {}
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let mut closed = closed.clone();
        connections.spawn(async move {
            let _place = place;
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT);
            let connection = http.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => return,
                _ = closed.changed() => {}
                () = tokio::time::sleep(CONNECTION_LIFETIME) => {}
            }
            connection.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(SHUTDOWN_GRACE, connection).await;
        });
    }
    drop(listener);
    let _ = closing.send(true);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE * 2, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    Ok(())
}

/// Guild → owner: unknown over HTTP (see the module docs).
fn no_owners() -> HashMap<u64, u64> {
    HashMap::new()
}

async fn interactions(
    State(endpoint): State<Arc<Endpoint>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let received = Instant::now();
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        // Refused before a byte of it is read: waiting for 2^63 bytes held the connection.
        return too_large();
    }
    let body = match tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, MAX_BODY_BYTES))
        .await
    {
        Ok(Ok(body)) => body,
        Ok(Err(_)) => return too_large(),
        Err(_) => {
            return (
                StatusCode::REQUEST_TIMEOUT,
                [(header::CONNECTION, "close")],
                "the request body did not arrive in time",
            )
                .into_response()
        }
    };
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Err(why) = verify::verify(
        &endpoint.key,
        header("x-signature-ed25519"),
        header("x-signature-timestamp"),
        &body,
        (endpoint.clock)(),
    ) {
        // Debug, not info: anyone can send these, and Discord itself sends some on purpose
        // (it checks that an endpoint refuses bad signatures).
        tracing::debug!(reason = %why, "interaction refused");
        return (StatusCode::UNAUTHORIZED, why.to_string()).into_response();
    }
    let interaction: Interaction = match serde_json::from_slice(&body) {
        Ok(interaction) => interaction,
        Err(err) => {
            tracing::warn!(error = %err, "a signed request is not an interaction");
            return (
                StatusCode::BAD_REQUEST,
                format!("not an interaction: {err}"),
            )
                .into_response();
        }
    };
    // A PING has no effect to repeat; Discord's own checks may send the same one again.
    let ping = matches!(interaction, Interaction::Ping(_));
    if !ping && !endpoint.first_time(interaction.id().get()) {
        // A signed request replayed within the signature's time window (a replayed
        // `/reload force:true` ran twice): Discord sends each interaction once.
        tracing::warn!(
            interaction = interaction.id().get(),
            "interaction replayed; refused"
        );
        return (
            StatusCode::CONFLICT,
            "this interaction was already received",
        )
            .into_response();
    }
    let response = match interaction {
        // serenity's `Pong` serializes with `"data": null`; Discord documents `{"type":1}`.
        Interaction::Ping(_) => return json_response(PONG.to_vec()),
        Interaction::Command(cmd) => endpoint.command(cmd, received).await,
        Interaction::Component(press) => endpoint.component(press, received).await,
        Interaction::Autocomplete(ac) => endpoint.autocomplete(&ac, received).await,
        other => {
            return (
                StatusCode::BAD_REQUEST,
                format!("unsupported interaction type {:?}", other.kind()),
            )
                .into_response()
        }
    };
    match serde_json::to_vec(&response) {
        Ok(json) => json_response(json),
        Err(err) => {
            tracing::error!(error = %err, "cannot serialize a response");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn too_large() -> Response {
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        [(header::CONNECTION, "close")],
        format!("a request body may hold at most {MAX_BODY_BYTES} bytes"),
    )
        .into_response()
}

/// The answer to a PING.
const PONG: &[u8] = br#"{"type":1}"#;

fn json_response(json: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], json).into_response()
}

impl Endpoint {
    async fn command(
        &self,
        cmd: CommandInteraction,
        received: Instant,
    ) -> CreateInteractionResponse {
        let request = convert::command_request(&cmd, &no_owners());
        let slow = matches!(&request.input, Input::Command(command) if command.is_slow());
        if slow {
            // Like the gateway path: defer at once (ephemeral: slow commands are admin
            // tools), then work, then edit.
            let endpoint = self.detached();
            tokio::spawn(async move {
                let reply = endpoint.handle(request).await;
                endpoint
                    .edit_later(
                        cmd.application_id,
                        &cmd.token,
                        &convert::edit(&reply),
                        received,
                    )
                    .await;
            });
            return convert::deferral(Delivery::NewMessage, true);
        }
        // Most commands answer in public (see the gateway path).
        let provisional = convert::deferral(Delivery::NewMessage, false);
        self.reply_in_time(
            request,
            provisional,
            cmd.application_id,
            cmd.token,
            received,
        )
        .await
    }

    async fn component(
        &self,
        press: ComponentInteraction,
        received: Instant,
    ) -> CreateInteractionResponse {
        let request = convert::component_request(&press, &no_owners());
        let provisional = convert::deferral(Delivery::NewMessage, true);
        self.reply_in_time(
            request,
            provisional,
            press.application_id,
            press.token,
            received,
        )
        .await
    }

    /// The response to `request`: its reply if ready by [`send::DEFER_AT`], else
    /// `provisional` (a deferral) and the reply as an edit once it is ready — decided while
    /// the HTTP response can still reach Discord in time, not after the work is done.
    async fn reply_in_time(
        &self,
        request: Request,
        provisional: CreateInteractionResponse,
        application_id: ApplicationId,
        token: String,
        received: Instant,
    ) -> CreateInteractionResponse {
        let endpoint = self.detached();
        let mut work = tokio::spawn(async move { endpoint.handle(request).await });
        tokio::select! {
            done = &mut work => match done {
                Ok(reply) => self.deliver(&reply, application_id, token, received),
                Err(err) => {
                    tracing::error!(error = %err, "handler panicked");
                    provisional
                }
            },
            () = tokio::time::sleep_until(received + send::DEFER_AT) => {
                let endpoint = self.detached();
                tokio::spawn(async move {
                    let Ok(reply) = work.await else { return };
                    endpoint
                        .edit_later(application_id, &token, &convert::edit(&reply), received)
                        .await;
                });
                provisional
            }
        }
    }

    async fn autocomplete(
        &self,
        ac: &CommandInteraction,
        received: Instant,
    ) -> CreateInteractionResponse {
        let request = convert::autocomplete_request(ac);
        let bot = Arc::clone(&self.bot);
        // Suggestions cannot be deferred: none, if the turn in the work queue comes too late.
        let choices = self
            .bot
            .work()
            .run_before(received + crate::bot::work::AUTOCOMPLETE_WAIT, move || {
                bot.autocomplete(&request)
            })
            .await
            .unwrap_or_default();
        convert::autocomplete(&choices)
    }

    /// The response for a finished reply: the reply itself while there is time, else a
    /// deferral now and an edit once it has been delivered (like `send::interaction_reply`).
    fn deliver(
        &self,
        reply: &Reply,
        application_id: ApplicationId,
        token: String,
        received: Instant,
    ) -> CreateInteractionResponse {
        let reply = convert::interaction_reply(reply);
        if received.elapsed() < send::DEFER_AFTER {
            ops::reply_latency(received.elapsed());
            return reply.response;
        }
        let endpoint = self.detached();
        let edit = reply.edit;
        tokio::spawn(async move {
            endpoint
                .edit_later(application_id, &token, &edit, received)
                .await;
        });
        reply.deferral
    }

    /// What a task that outlives the request needs.
    fn detached(&self) -> Detached {
        Detached {
            bot: Arc::clone(&self.bot),
            http: Arc::clone(&self.http),
        }
    }
}

/// The part of an [`Endpoint`] a deferred reply's task keeps.
struct Detached {
    bot: Arc<Bot>,
    http: Arc<Http>,
}

impl Detached {
    /// Runs the bot's (synchronous, CPU-bound) work on a blocking thread, like the gateway
    /// path; a panic becomes the same apology the gateway path sends.
    async fn handle(&self, request: Request) -> Reply {
        let bot = Arc::clone(&self.bot);
        let lang = request.invoker.lang;
        self.bot
            .work()
            .run(move || bot.handle(&request))
            .await
            .unwrap_or_else(|| crate::bot::render::internal_error(lang))
    }

    /// `PATCH @original`. The deferral travels in our HTTP response, which Discord may not
    /// have processed when the edit arrives: an "unknown message" answer is retried a few
    /// times before it counts as a failure.
    async fn edit_later(
        &self,
        application_id: ApplicationId,
        token: &str,
        edit: &EditInteractionResponse,
        received: Instant,
    ) {
        // Webhook routes are per application; the id comes with every interaction.
        self.http.set_application_id(application_id);
        let mut wait = EDIT_TOO_EARLY_WAIT;
        let mut retries = 0;
        loop {
            match send::edit_original(&self.http, token, edit).await {
                Ok(()) => {
                    ops::reply_latency(received.elapsed());
                    return;
                }
                Err(err) if too_early(&err) && retries < EDIT_TOO_EARLY_RETRIES => {
                    retries += 1;
                    tokio::time::sleep(wait).await;
                    wait *= 2;
                }
                Err(err) => {
                    ops::reply_error();
                    tracing::warn!(error = %send::describe(&err), "deferred reply failed");
                    return;
                }
            }
        }
    }
}

/// A 404 naming the webhook, message or interaction as unknown.
fn too_early(err: &serenity::Error) -> bool {
    matches!(err, serenity::Error::Http(HttpError::UnsuccessfulRequest(r))
        if r.status_code.as_u16() == 404 && UNKNOWN_CODES.contains(&r.error.code))
}

/// `[interactions] listen` could not be bound (a configuration error: exit 2).
#[derive(Debug, thiserror::Error)]
#[error("[interactions] listen: cannot listen on {addr}: {error}")]
pub struct ListenError {
    pub addr: std::net::SocketAddr,
    pub error: std::io::Error,
}

/// `--interactions` without `[interactions] public_key` (a configuration error: exit 2).
#[derive(Debug, thiserror::Error)]
#[error(
    "--interactions needs [interactions] public_key: the application's public key (Developer \
     Portal → General Information), 64 hex digits"
)]
pub struct NoPublicKey;

/// The entry point for `serve --interactions`: binds `[interactions] listen`, serves until
/// `shutdown`, and sends deferred replies through `[discord] http_proxy` (else Discord).
pub async fn run(
    bot: Arc<Bot>,
    config: &crate::config::Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let key = config.interactions.public_key.ok_or(NoPublicKey)?;
    let addr = config.interactions.listen;
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|error| ListenError { addr, error })?;
    let local = listener.local_addr().unwrap_or(addr);
    tracing::info!(
        "interactions on http://{local}{PATH} (no gateway connection in this mode: DMs and \
         @mentions need `serve` without --interactions)"
    );
    let endpoint = Endpoint::new(bot, key, crate::discord::http(&config.discord));
    serve(listener, Arc::new(endpoint), shutdown).await?;
    Ok(())
}
