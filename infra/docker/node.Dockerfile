# The Node image: API, canvas worker and sandbox worker (one image, the role is chosen by the
# command and FLOWSTEER_WORKER_ROLES). Build from the repository root:
#   docker build -f infra/docker/node.Dockerfile -t registry.example.com/flowsteer/node:<tag> .
# Not built by infra/validate.sh (no container builder here): infra/docker/build-steps.sh runs these
# steps as a script in a clean folder. The chart expects this layout:
# /app with node_modules, tsx, the sources and /app/dist/workflow-bundle.js.
FROM node:22-bookworm-slim
# bubblewrap + Debian's python3 and the DS-1000 libraries for the code sandbox (libs/sandbox/setup.sh).
RUN apt-get update \
 && apt-get install -y --no-install-recommends bubblewrap python3 python3-numpy python3-pandas \
      python3-scipy python3-sklearn python3-matplotlib util-linux ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc* ./
COPY apps/cli/package.json apps/cli/package.json
RUN npm ci --omit=optional && npm cache clean --force
COPY . .
# Pre-built workflow bundle (FLOWSTEER_WORKFLOW_BUNDLE): workers start fast and every pod of one
# tag runs byte-identical workflow code (the build id of worker versioning is the image tag).
RUN node_modules/.bin/tsx apps/worker/src/build-bundle.ts /app/dist/workflow-bundle.js
USER 10001:10001
ENV NODE_ENV=production
CMD ["node_modules/.bin/tsx", "apps/worker/src/main.ts"]
