# syntax=docker/dockerfile:1
# Multi-stage build of the cyberbridge bot: compile in the Rust image, run in a slim Debian
# with only the binary, the knowledge base and the eval set. See deploy/compose.yaml.

FROM rust:1.88-slim-bookworm AS build
WORKDIR /src
# Manifests first, so the dependency layer is rebuilt only when they change.
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY benches ./benches
COPY examples ./examples
RUN cargo build --release --locked --bin cyberbridge

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin cyberbridge
WORKDIR /app
COPY --from=build /src/target/release/cyberbridge /usr/local/bin/cyberbridge
# The same layout as the repository, so config.example.toml's relative paths work unchanged
# (knowledge.toml, tests/eval/tune.toml, data/*.log beside the config file).
COPY knowledge.toml config.example.toml ./
COPY tests/eval/tune.toml ./tests/eval/tune.toml
RUN install -d -o cyberbridge -g cyberbridge /app/data
USER cyberbridge
# [metrics] listen = "0.0.0.0:9187" in the config to use it.
EXPOSE 9187
STOPSIGNAL SIGTERM
ENTRYPOINT ["cyberbridge"]
CMD ["serve", "--config", "/app/config.toml"]
