//! Sending with retries, since with a REST proxy serenity's own rate limiter is off and a 429
//! or 5xx comes straight back to us.
//!
//! - 429: the request was not applied; retry. Serenity cannot decode Discord's 429 body (it
//!   lacks `code`) and drops the headers, so `retry_after` is unknown here: back off 250 ms,
//!   doubling.
//! - 5xx and transport errors: retry with a short backoff (100 ms, doubling), three retries.
//!   They may have been applied, so each retry must be idempotent: an interaction callback is
//!   (a second one is rejected with 40060 "already acknowledged", which we read as success),
//!   an `@original` edit is, and a channel message carries a nonce with `enforce_nonce`.
//! - Anything else (400, 403, 404): give up at once.
//!
//! Every retry stays within a deadline: an interaction must be acknowledged within 3 s of its
//! creation, so its callback is retried until [`CALLBACK_DEADLINE`] after receipt; if the reply
//! is only ready after [`DEFER_AFTER`], the bot defers and edits `@original` (15 minutes).

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

use serenity::all::{
    ChannelId, CreateInteractionResponse, CreateMessage, EditInteractionResponse, Http,
    InteractionId,
};
use serenity::http::HttpError;

use super::convert;

/// Last moment (after receiving an interaction) to start a callback attempt: Discord's limit
/// is 3 s, and the request itself takes time.
pub const CALLBACK_DEADLINE: Duration = Duration::from_millis(2_700);
/// A reply ready later than this is delivered by deferring and then editing.
pub const DEFER_AFTER: Duration = Duration::from_millis(2_000);
/// Budget for edits of `@original` and for channel messages.
pub const FOLLOW_UP_BUDGET: Duration = Duration::from_secs(60);
/// First wait after a 429 (doubling).
pub const RATE_LIMIT_BACKOFF: Duration = Duration::from_millis(250);
/// First wait after a 5xx or transport error (doubling).
pub const SERVER_ERROR_BACKOFF: Duration = Duration::from_millis(100);
/// Retries after 5xx or transport errors.
pub const SERVER_ERROR_RETRIES: u32 = 3;

/// Discord's "Interaction has already been acknowledged."
const ALREADY_ACKNOWLEDGED: isize = 40060;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    RateLimited,
    Transient,
    Permanent,
}

fn classify_error(err: &serenity::Error) -> Failure {
    match err {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => {
            let status = r.status_code.as_u16();
            if status == 429 {
                Failure::RateLimited
            } else if status >= 500 {
                Failure::Transient
            } else {
                Failure::Permanent
            }
        }
        serenity::Error::Http(HttpError::Request(_)) => Failure::Transient,
        _ => Failure::Permanent,
    }
}

fn already_acknowledged(err: &serenity::Error) -> bool {
    matches!(err, serenity::Error::Http(HttpError::UnsuccessfulRequest(r))
        if r.error.code == ALREADY_ACKNOWLEDGED)
}

/// `status <code>` or the error's text, for logs.
pub fn describe(err: &serenity::Error) -> String {
    match err {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => {
            format!("status {}: {}", r.status_code.as_u16(), r.error.message)
        }
        other => other.to_string(),
    }
}

/// Runs `attempt` until it succeeds, fails for good, or the next try would start after
/// `deadline`. Only for idempotent requests (see the module docs).
pub async fn retry<T, F, Fut>(deadline: Instant, attempt: F) -> Result<T, serenity::Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, serenity::Error>>,
{
    with_retries(deadline, attempt).await.0
}

/// [`retry`], also returning the number of attempts.
async fn with_retries<T, F, Fut>(deadline: Instant, attempt: F) -> (Result<T, serenity::Error>, u32)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, serenity::Error>>,
{
    retry_loop(deadline, classify_error, attempt).await
}

/// The loop itself, generic over the error so it can be tested without serenity's errors
/// (whose types cannot be built outside serenity).
async fn retry_loop<T, E, F, Fut>(
    deadline: Instant,
    classify: impl Fn(&E) -> Failure,
    mut attempt: F,
) -> (Result<T, E>, u32)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let mut rate_wait = RATE_LIMIT_BACKOFF;
    let mut server_wait = SERVER_ERROR_BACKOFF;
    let mut server_retries = 0;
    let mut attempts = 0;
    loop {
        attempts += 1;
        let err = match attempt().await {
            Ok(value) => return (Ok(value), attempts),
            Err(err) => err,
        };
        let wait = match classify(&err) {
            Failure::RateLimited => {
                let wait = rate_wait;
                rate_wait *= 2;
                wait
            }
            Failure::Transient if server_retries < SERVER_ERROR_RETRIES => {
                server_retries += 1;
                let wait = server_wait;
                server_wait *= 2;
                wait
            }
            Failure::Transient | Failure::Permanent => return (Err(err), attempts),
        };
        if Instant::now() + wait > deadline {
            return (Err(err), attempts);
        }
        tracing::debug!(
            wait_ms = wait.as_millis() as u64,
            "retrying a failed request"
        );
        tokio::time::sleep(wait).await;
    }
}

/// An interaction callback (initial response), retried until `deadline`.
pub async fn callback(
    http: &Http,
    id: InteractionId,
    token: &str,
    response: &CreateInteractionResponse,
    deadline: Instant,
) -> Result<(), serenity::Error> {
    let (result, attempts) = with_retries(deadline, || {
        http.create_interaction_response(id, token, response, Vec::new())
    })
    .await;
    match result {
        // An earlier attempt did arrive (its answer was lost): the reply is there once.
        Err(err) if attempts > 1 && already_acknowledged(&err) => Ok(()),
        other => other,
    }
}

/// `PATCH @original`, retried within [`FOLLOW_UP_BUDGET`].
pub async fn edit_original(
    http: &Http,
    token: &str,
    edit: &EditInteractionResponse,
) -> Result<(), serenity::Error> {
    let deadline = Instant::now() + FOLLOW_UP_BUDGET;
    with_retries(deadline, || {
        http.edit_original_interaction_response(token, edit, Vec::new())
    })
    .await
    .0
    .map(|_| ())
}

/// Delivers a finished reply to an interaction received at `received`: directly if there is
/// still time, else by deferring and editing. Failures are logged with the interaction id.
pub async fn interaction_reply(
    http: &Http,
    id: InteractionId,
    token: &str,
    reply: &convert::InteractionReply,
    received: Instant,
) {
    let deadline = received + CALLBACK_DEADLINE;
    let result = if received.elapsed() < DEFER_AFTER {
        callback(http, id, token, &reply.response, deadline).await
    } else {
        deferred_reply(http, id, token, reply, received).await
    };
    match result {
        Ok(()) => crate::ops::reply_latency(received.elapsed()),
        Err(err) => {
            crate::ops::reply_error();
            tracing::warn!(interaction = id.get(), error = %describe(&err), "reply failed");
        }
    }
}

/// When a reply still in the making is deferred: early enough that the deferral reaches
/// Discord inside its 3 s even after a wait in the work queue and a retry.
pub const DEFER_AT: Duration = Duration::from_millis(1_500);

/// Delivers the reply `work` makes to an interaction received at `received`: as the response
/// if it is ready by [`DEFER_AT`]; otherwise `provisional` (a deferral, chosen before the
/// reply is known) is sent at [`DEFER_AT`], while it still can be, and the reply edits
/// `@original` once it is ready. Deciding only after the work was done lost every
/// interaction whose work ended past the deadline.
pub async fn reply_in_time(
    http: &Http,
    id: InteractionId,
    token: &str,
    received: Instant,
    provisional: &CreateInteractionResponse,
    work: impl Future<Output = crate::bot::Reply>,
) {
    tokio::pin!(work);
    let in_time = tokio::select! {
        reply = &mut work => Some(reply),
        () = tokio::time::sleep_until(received + DEFER_AT) => None,
    };
    if let Some(reply) = in_time {
        let reply = convert::interaction_reply(&reply);
        return interaction_reply(http, id, token, &reply, received).await;
    }
    if let Err(err) = callback(http, id, token, provisional, received + CALLBACK_DEADLINE).await {
        crate::ops::reply_error();
        tracing::warn!(interaction = id.get(), error = %describe(&err), "cannot defer");
        return;
    }
    let reply = work.await;
    match edit_original(http, token, &convert::edit(&reply)).await {
        Ok(()) => crate::ops::reply_latency(received.elapsed()),
        Err(err) => {
            crate::ops::reply_error();
            tracing::warn!(interaction = id.get(), error = %describe(&err), "reply failed");
        }
    }
}

/// Defers (ephemeral as the reply will be), then edits `@original` with the reply.
pub async fn deferred_reply(
    http: &Http,
    id: InteractionId,
    token: &str,
    reply: &convert::InteractionReply,
    received: Instant,
) -> Result<(), serenity::Error> {
    callback(
        http,
        id,
        token,
        &reply.deferral,
        received + CALLBACK_DEADLINE,
    )
    .await?;
    edit_original(http, token, &reply.edit).await
}

/// A message in a channel, retried within [`FOLLOW_UP_BUDGET`].
pub async fn channel_message(
    http: &Http,
    channel: ChannelId,
    message: &CreateMessage,
) -> Result<(), serenity::Error> {
    let deadline = Instant::now() + FOLLOW_UP_BUDGET;
    with_retries(deadline, || http.send_message(channel, Vec::new(), message))
        .await
        .0
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// Errors as bare HTTP statuses, classified like serenity's.
    fn by_status(status: &u16) -> Failure {
        match status {
            429 => Failure::RateLimited,
            500.. => Failure::Transient,
            _ => Failure::Permanent,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn rate_limits_and_server_errors_are_retried_then_succeed() {
        let calls = AtomicU32::new(0);
        let started = Instant::now();
        let (result, attempts) = retry_loop(started + Duration::from_secs(5), by_status, || {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            async move {
                match n {
                    0 => Err(429),
                    1 => Err(502),
                    _ => Ok(n),
                }
            }
        })
        .await;
        assert_eq!(result, Ok(2));
        assert_eq!(attempts, 3);
        assert_eq!(started.elapsed(), RATE_LIMIT_BACKOFF + SERVER_ERROR_BACKOFF);
    }

    #[tokio::test(start_paused = true)]
    async fn rate_limit_backoff_doubles_until_the_deadline() {
        let started = Instant::now();
        let (result, attempts) = retry_loop(started + CALLBACK_DEADLINE, by_status, || async {
            Err::<(), _>(429)
        })
        .await;
        assert_eq!(result, Err(429));
        // 250 + 500 + 1000 ms fit in 2.7 s; the next 2 s would not.
        assert_eq!(attempts, 4);
        assert!(started.elapsed() <= CALLBACK_DEADLINE);
    }

    #[tokio::test(start_paused = true)]
    async fn client_errors_are_not_retried_and_server_errors_only_three_times() {
        let deadline = Instant::now() + Duration::from_secs(60);
        let (result, attempts) =
            retry_loop(deadline, by_status, || async { Err::<(), _>(400) }).await;
        assert_eq!((result, attempts), (Err(400), 1));
        let (_, attempts) = retry_loop(deadline, by_status, || async { Err::<(), _>(503) }).await;
        assert_eq!(attempts, 1 + SERVER_ERROR_RETRIES);
    }
}
