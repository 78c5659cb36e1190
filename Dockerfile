# Aviary: the API serving the built dashboard. Every byte comes from Debian's archive and the
# npm registry. Behind a TLS-intercepting proxy, pass its CA (see the README):
#   podman build --volume "$CA:/run/extra-ca.pem:ro" --build-arg NODE_EXTRA_CA_CERTS=/run/extra-ca.pem .
FROM debian:trixie-slim AS toolchain
ARG NODE_EXTRA_CA_CERTS
ENV NODE_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS} \
    COREPACK_ENABLE_DOWNLOAD_PROMPT=0 \
    npm_config_nodedir=/usr
# better-sqlite3 compiles from source (no prebuilt binary is fetched), hence python3, make, g++,
# and Node's headers from libnode-dev (node-gyp would download them otherwise).
# pnpm comes through Debian's corepack, pinned as in package.json's packageManager.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       nodejs libnode-dev node-corepack ca-certificates python3 make g++ \
    && rm -rf /var/lib/apt/lists/* \
    && corepack enable pnpm \
    && corepack prepare pnpm@10.34.8 --activate
WORKDIR /app
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY packages/contracts/package.json packages/contracts/
COPY packages/core/package.json packages/core/
COPY packages/db/package.json packages/db/
COPY packages/kube/package.json packages/kube/
COPY packages/prometheus/package.json packages/prometheus/
COPY packages/sandbox/package.json packages/sandbox/
COPY bench/package.json bench/
COPY e2e/package.json e2e/

# What the server needs at run time, and nothing else: the API's production dependencies.
FROM toolchain AS runtime-deps
RUN --mount=type=cache,id=aviary-pnpm-store,target=/root/.local/share/pnpm/store \
    pnpm install --frozen-lockfile --prod --filter @aviary/api... \
    && rm -rf apps/web bench e2e packages/sandbox

# pnpm links every workspace package into its virtual store; the sandbox's link goes too.
FROM runtime-deps AS runtime
RUN rm -rf node_modules/.pnpm/node_modules/@aviary/sandbox

# Everything else, to compile the packages and build the dashboard.
# On top of the runtime dependencies, so better-sqlite3 is compiled once.
FROM runtime-deps AS build
COPY apps/web/package.json apps/web/
COPY packages/sandbox/package.json packages/sandbox/
COPY bench/package.json bench/
COPY e2e/package.json e2e/
RUN --mount=type=cache,id=aviary-pnpm-store,target=/root/.local/share/pnpm/store \
    pnpm install --frozen-lockfile --config.confirmModulesPurge=false --filter @aviary/api... --filter @aviary/web...
COPY tsconfig.base.json tsconfig.build.json turbo.json ./
COPY apps/api apps/api
COPY apps/web apps/web
COPY packages packages
RUN pnpm --filter @aviary/web build \
    && cd apps/api && pnpm exec tsc -b tsconfig.build.json

FROM debian:trixie-slim
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/aviary --shell /usr/sbin/nologin aviary \
    && mkdir -p /var/lib/aviary && chown aviary:aviary /var/lib/aviary
WORKDIR /app
COPY --from=runtime /app ./
COPY --from=build /app/apps/api/dist apps/api/dist
COPY --from=build /app/apps/web/dist apps/web/dist
COPY --from=build /app/packages/contracts/dist packages/contracts/dist
COPY --from=build /app/packages/core/dist packages/core/dist
COPY --from=build /app/packages/db/dist packages/db/dist
COPY --from=build /app/packages/db/drizzle packages/db/drizzle
COPY --from=build /app/packages/kube/dist packages/kube/dist
COPY --from=build /app/packages/prometheus/dist packages/prometheus/dist
ENV NODE_ENV=production \
    NODE_OPTIONS=--conditions=aviary-dist \
    AVIARY_HOST=0.0.0.0 \
    AVIARY_PORT=8080 \
    AVIARY_DB=/var/lib/aviary/aviary.db \
    AVIARY_WEB_ROOT=/app/apps/web/dist
USER 10001:10001
VOLUME /var/lib/aviary
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.AVIARY_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--enable-source-maps", "apps/api/dist/server.js"]
