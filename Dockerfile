# EdgeProxy container image (default target) and the Cloud Connect simulator image (target "simulator").
#
#   docker build -t edgeproxy .                                  # the proxy
#   docker build --target simulator -t edgeproxy-simulator .     # the lab's node stand-in
#
# Run time (docs/operations.md, "Running it in a container"): non-root uid 10001, read-only root filesystem, no shell
# or curl needed, env files mounted read-only at /etc/edgeproxy/env and certificates at /etc/edgeproxy/ssl.
# The image holds no certificate, key or env file: everything secret is mounted.

# ---------------------------------------------------------------------------------------------------
# Build: restore from the project files first, so a source change does not download packages again.
# ---------------------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS source
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY src/EdgeProxy/EdgeProxy.csproj src/EdgeProxy/
COPY src/CloudConnectSimulator/CloudConnectSimulator.csproj src/CloudConnectSimulator/

FROM source AS publish-edgeproxy
RUN dotnet restore src/EdgeProxy/EdgeProxy.csproj
COPY src/EdgeProxy/ src/EdgeProxy/
RUN dotnet publish src/EdgeProxy/EdgeProxy.csproj -c Release --no-restore --disable-build-servers -o /out

FROM source AS publish-simulator
RUN dotnet restore src/CloudConnectSimulator/CloudConnectSimulator.csproj
COPY src/CloudConnectSimulator/ src/CloudConnectSimulator/
RUN dotnet publish src/CloudConnectSimulator/CloudConnectSimulator.csproj -c Release --no-restore --disable-build-servers -o /out

# ---------------------------------------------------------------------------------------------------
# Simulator: lab and DMZ testing only (it is not a Cloud Connect node).
# ---------------------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS simulator
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
ARG SOURCE=unknown
ARG LICENSES=NOASSERTION
LABEL org.opencontainers.image.title="CloudConnectSimulator" \
      org.opencontainers.image.description="Cisco Cloud Connect node stand-in for EdgeProxy labs and tests; not for production" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="${LICENSES}"
# Cleared: the base image asks Kestrel for port 8080, which the simulator does not use.
ENV ASPNETCORE_HTTP_PORTS=
RUN groupadd --gid 10001 edgeproxy \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin --no-log-init edgeproxy
WORKDIR /app
# COPY leaves the files owned by root: the simulator's user can read them but not change them.
COPY --from=publish-simulator /out/ /app/
USER 10001:10001
EXPOSE 8445
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/CloudConnectSimulator"]
CMD ["--help"]

# ---------------------------------------------------------------------------------------------------
# EdgeProxy (the default target, so it must stay the last stage).
# ---------------------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS edgeproxy
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
ARG SOURCE=unknown
ARG LICENSES=NOASSERTION
LABEL org.opencontainers.image.title="EdgeProxy" \
      org.opencontainers.image.description="Reverse proxy for the DMZ edge of Cisco CCE Cloud Connect (Webex Connect / Webex Engage)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="${LICENSES}"
# EdgeProxy listens only where its env files say; the base image's port 8080 request is cleared.
ENV ASPNETCORE_HTTP_PORTS=
# With one CPU the runtime waits ten times longer (1 s of quiet) before optimising hot code: under
# steady load that took about a minute at a third of full speed (bench/README.md). 0 optimises at once.
ENV DOTNET_TC_CallCountingDelayMs=0
# A thread-pool thread that runs out of work spins before it sleeps; on EdgeProxy's one core that spinning takes the
# core from the I/O thread (3-5 context switches per request at a fixed 1,000 req/s, bench/README.md). 0 sleeps at once.
ENV DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0
# OpenSSL enforces EdgeProxy's TLS policy (ECDHE + AEAD only) itself, so .NET can cache one TLS context
# per certificate instead of building one per handshake (see TlsCipherPolicy, bench/README.md).
ENV OPENSSL_CONF=/app/openssl-edgeproxy.cnf
# A fixed uid/gid, so file ownership on the host and Kubernetes' runAsUser can rely on it (--no-log-init:
# no sparse lastlog entry for a high uid). The mount points exist in the image, so a read-only root
# filesystem needs nothing created at start.
RUN groupadd --gid 10001 edgeproxy \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin --no-log-init edgeproxy \
 && mkdir -p /etc/edgeproxy/env /etc/edgeproxy/ssl
WORKDIR /app
# COPY leaves the files owned by root (0644, the apphost 0755): uid 10001 can run them, never change them.
COPY --from=publish-edgeproxy /out/ /app/
USER 10001:10001
# 443: NGX_PRXY_CLOUDCONNECT_PORT (Cisco's default; binding it as non-root needs the network namespace's
# net.ipv4.ip_unprivileged_port_start at or below 443, see docs/operations.md). 10001: NGX_PRXY_STATUS_PORT, internal.
EXPOSE 443 10001
STOPSIGNAL SIGTERM
# The proxy's own binary probes its status listener; it reads the same env files only for that address.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["/app/EdgeProxy", "health", "--env-dir", "/etc/edgeproxy/env"]
ENTRYPOINT ["/app/EdgeProxy"]
CMD ["serve", "--env-dir", "/etc/edgeproxy/env"]
