# syntax=docker/dockerfile:1
# Argus Monitor's container image: built from this checkout, run as a non-root user on a read-only root file system.
#
#   docker build -t argus-monitor .
#   docker run -d --name argus --network=host --pid=host --read-only --tmpfs /tmp \
#     -v /:/host:ro,rslave -v argus-state:/var/lib/argus argus-monitor
#
# --network=host and --pid=host show the host's interfaces and processes; / at /host (read-only, rslave so that
# mounts made later appear) shows its mounts, memory and sensors (host.rootfs in contrib/docker/config.yaml).
# Without them Argus reports the container itself, within its cgroup limits ("scope": "container").

ARG NODE_VERSION=22

# Build: compile TypeScript and the native SQLite module, then install the packed package as a user would.
FROM node:${NODE_VERSION}-bookworm-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
# No lifecycle scripts yet: `prepare` (husky, build) needs the sources copied below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# The package as release.yml publishes it: staged without the clone's scripts (scripts/package.mjs).
RUN npm run build \
  && node scripts/package.mjs \
  && npm pack ./build/package --pack-destination /tmp \
  && npm install --global --prefix /opt/argus --omit=optional --no-audit --no-fund /tmp/argus-monitor-*.tgz

# Run: Node and the installed package only; no compiler, no npm cache, no sources.
FROM node:${NODE_VERSION}-bookworm-slim
RUN groupadd --system --gid 10001 argus \
  && useradd --system --uid 10001 --gid argus --home-dir /var/lib/argus --shell /usr/sbin/nologin argus \
  && install -d -o argus -g argus -m 0750 /var/lib/argus
COPY --from=build /opt/argus /opt/argus
COPY contrib/docker/config.yaml /etc/argus/config.yaml
# Every place Argus writes is under the state volume; /tmp (a tmpfs with --read-only) holds its runtime dir.
ENV PATH=/opt/argus/bin:$PATH \
  HOME=/var/lib/argus \
  XDG_STATE_HOME=/var/lib/argus/state \
  XDG_DATA_HOME=/var/lib/argus/data \
  XDG_CACHE_HOME=/var/lib/argus/cache \
  NO_COLOR=1
VOLUME ["/var/lib/argus"]
USER argus:argus
EXPOSE 19100
HEALTHCHECK --interval=30s --timeout=5s CMD ["node", "-e", "fetch('http://127.0.0.1:19100/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["argus"]
CMD ["agent"]
