# syntax=docker/dockerfile:1
# manifest-sync daemon. Build: docker build -t manifest-sync .
# Run:   docker run -e DATABASE_URL=postgres://... -v /path/to/repo:/repo:ro -p 8080:8080 manifest-sync --repo /repo

# --- build: bundle (esbuild, scripts/build.mjs), then pack exactly what npm would publish ---------------------------------
# The same steps as test/integration/cli/package.test.ts: build, `npm pack`, install the packed
# file globally, run the `manifest-sync` binary.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` (the build) needs the sources, copied below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY README.md ./
COPY scripts ./scripts
COPY src ./src
COPY bin ./bin
COPY migrations ./migrations
COPY manifests ./manifests
RUN npm run build \
  && npm pack --ignore-scripts --pack-destination /tmp \
  && mv /tmp/manifest-sync-*.tgz /tmp/manifest-sync.tgz

# --- runtime: Node LTS slim with git, non-root ----------------------------------------------
FROM node:22-bookworm-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends git ca-certificates tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    MANIFEST_SYNC_DATA_DIR=/data
COPY --from=build /tmp/manifest-sync.tgz /tmp/manifest-sync.tgz
RUN npm install -g --omit=dev --no-audit --no-fund /tmp/manifest-sync.tgz \
  && rm /tmp/manifest-sync.tgz
WORKDIR /data
# The node image ships an unprivileged `node` user (uid 1000); the data directory is its own.
RUN mkdir -p /data && chown node:node /data \
  # A repository mounted from the host belongs to another uid: let git read it anyway.
  && git config --system safe.directory '*'
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--", "manifest-sync", "daemon", "--http-port", "8080", "--host", "0.0.0.0"]
