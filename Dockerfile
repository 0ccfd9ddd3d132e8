# syntax=docker/dockerfile:1
# OpenArky server image: `docker build -t openarky .` (see README "Deployment").

# Production dependencies of the server alone: the dashboard's (React, Mantine) are compiled into
# its dist, and the other workspaces' never run in the image.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/contract/package.json packages/contract/
COPY packages/server/package.json packages/server/
COPY packages/sdk/package.json packages/sdk/
COPY packages/admin/package.json packages/admin/
RUN npm ci --omit=dev --workspace @openarky/server --ignore-scripts --no-audit --no-fund \
  && npm rebuild better-sqlite3 sharp

# Build stage: full install (dev dependencies build the bundles).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/contract/package.json packages/contract/
COPY packages/server/package.json packages/server/
COPY packages/sdk/package.json packages/sdk/
COPY packages/admin/package.json packages/admin/
RUN npm ci --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3 sharp esbuild
COPY . .
# The server bundle, then the SDK (the dashboard's only HTTP client) and the dashboard served at /admin.
RUN node packages/server/scripts/build.js \
  && npm run build -w @openarky/sdk && npm run build -w @openarky/admin

# Runtime stage: compiled server and production dependencies only, run as the unprivileged `node` user.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=8000 HOST=0.0.0.0 DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/packages/server/package.json packages/server/
COPY --from=build /app/packages/server/bin packages/server/bin
COPY --from=build /app/packages/server/dist packages/server/dist
COPY --from=build /app/packages/admin/dist packages/admin/dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--enable-source-maps", "packages/server/dist/main.js"]
