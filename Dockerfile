# Aviary API (+ dashboard once built) — one image, run with docker-compose.yml.
FROM node:20-bookworm-slim AS deps
# better-sqlite3 compiles from source: no prebuilt binary is fetched at install time.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/* \
    && npm install -g pnpm@10.34.8
WORKDIR /app
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml turbo.json tsconfig.base.json ./
COPY apps ./apps
COPY packages ./packages
RUN pnpm install --frozen-lockfile

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    AVIARY_HOST=0.0.0.0 \
    AVIARY_PORT=8080 \
    AVIARY_DB=/var/lib/aviary/aviary.db
WORKDIR /app
COPY --from=deps /app ./
RUN mkdir -p /var/lib/aviary && chown node:node /var/lib/aviary
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "apps/api/src/server.ts"]
