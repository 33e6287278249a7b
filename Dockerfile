# syntax=docker/dockerfile:1
#
# Multi-stage build of the two binaries of the cargo workspace, built once:
#
#   docker build --target api    -t gym-waitlist-api    .
#   docker build --target worker -t gym-waitlist-worker .
#
# (docker-compose.yml builds both targets from this file.) Needs BuildKit (the default builder
# of Docker >= 23 and of `docker compose build`) for the cache mounts and COPY --chmod.
#
# - build: rust:<RUST_VERSION>-bookworm, `cargo build --release --locked` of the `api` and
#   `worker` packages. No protoc is needed (temporalio-common's `vendored-protox` feature) and
#   the Swagger UI assets are vendored (utoipa-swagger-ui `vendored`), so the build only
#   downloads crates. The cargo registry and target directory are BuildKit cache mounts, so a
#   rebuild after a code change recompiles only the workspace crates.
# - runtime: debian:bookworm-slim (same glibc as the builder) with ca-certificates (HTTPS to
#   api.weixin.qq.com) and curl (container health checks: the api's GET /healthz, the
#   worker's /metrics). Each target copies only its binary and runs as the unprivileged
#   user `app` (uid/gid 10001).
#
# - console: node:<NODE_VERSION>-bookworm-slim builds the staff console (Vue + Vite, lockfile
#   committed) into static files; the api image serves them under /console.
#
# Time zones come from chrono-tz (compiled in), so no tzdata is needed; migrations are
# embedded in the api binary (sqlx::migrate!), so nothing else is copied.

ARG RUST_VERSION=1.95
ARG DEBIAN_SUITE=bookworm
ARG NODE_VERSION=20

# The staff console (console/): `npm ci && npm run build` → static files the api serves under
# /console (CONSOLE_DIR).
FROM node:${NODE_VERSION}-${DEBIAN_SUITE}-slim AS console
WORKDIR /console
COPY console/package.json console/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY console/ ./
RUN npm run build

FROM rust:${RUST_VERSION}-${DEBIAN_SUITE} AS build
WORKDIR /src
# The whole workspace (see .dockerignore): every member's manifest is needed to load the
# workspace, `migrations/` is embedded by sqlx::migrate! and
# `workflows/search-attributes.txt` by include_str!.
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p api -p worker --bins \
    && mkdir -p /out \
    && cp target/release/api target/release/worker /out/

FROM debian:${DEBIAN_SUITE}-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /nonexistent --no-create-home \
        --shell /usr/sbin/nologin app
ENV RUST_LOG=info \
    LOG_FORMAT=json

# `api`: serves on API_ADDR and applies the migrations at start; `api migrate` only migrates.
FROM runtime AS api
COPY --from=build --chmod=0755 /out/api /usr/local/bin/api
COPY --from=console /console/dist /usr/share/gym-waitlist/console
USER app:app
ENV API_ADDR=0.0.0.0:8080 \
    CONSOLE_DIR=/usr/share/gym-waitlist/console
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/api"]
CMD ["serve"]

# `worker`: polls TEMPORAL_TASK_QUEUE, Prometheus metrics on WORKER_METRICS_ADDR (/metrics),
# drains in-flight tasks on SIGTERM (give it >= 35 s: stop_grace_period in compose).
FROM runtime AS worker
COPY --from=build --chmod=0755 /out/worker /usr/local/bin/worker
USER app:app
ENV WORKER_METRICS_ADDR=0.0.0.0:9464
EXPOSE 9464
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/worker"]
