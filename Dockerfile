# Parley: one instance (the server and the built web app). Used by docker-compose.yml, where
# three of them share PostgreSQL, Redis and S3 (MinIO) behind nginx. Not built on the machine
# this was written on (no Docker daemon there): see docs/deploy.md.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 and argon2 may build from source.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.base.json ./
COPY packages/protocol/package.json packages/protocol/
COPY backend/package.json backend/
COPY frontend/package.json frontend/
COPY e2e/package.json e2e/
COPY bench/package.json bench/
RUN npm ci --no-audit --no-fund
COPY packages/protocol packages/protocol
COPY backend backend
COPY frontend frontend
RUN npx tsc -b packages/protocol backend \
  && NODE_ENV=production npm run build --workspace @parley/frontend \
  && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    HTTP_PORT=3000 \
    WS_PORT=8080 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/packages/protocol/package.json packages/protocol/
COPY --from=build /app/packages/protocol/dist packages/protocol/dist
COPY --from=build /app/backend/package.json backend/
COPY --from=build /app/backend/dist backend/dist
COPY --from=build /app/frontend/dist frontend/dist
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.HTTP_PORT+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM drains: stop accepting, finish or hand back in-flight work, close sockets with 1001.
STOPSIGNAL SIGTERM
CMD ["node", "backend/dist/main.js"]
