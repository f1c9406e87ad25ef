# An image that runs ikemu: `docker build -t ikemu .`, then
#   docker run --rm -v ikemu-lab:/lab ikemu ikeadm get stats
#   docker run --rm -v ikemu-lab:/lab -p 500:500/udp ikemu serve ...
# The entrypoint is ikemu itself, so the first argument is a native
# command (serve, host, daemon...) or a vendor tool name (ikeadm, ike...).
# The vendor names are also linked at their vendor paths. Token logins
# keep PINs only in memory: add --tmpfs /run/ikemu for them.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -o /out/ikemu ./cmd/ikemu

FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends softhsm2 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/ikemu /usr/bin/ikemu
RUN mkdir -p /usr/lib/inet \
 && for link in /usr/sbin/ikeadm /usr/lib/inet/in.iked /usr/sbin/ike /usr/sbin/ikedb \
      /usr/bin/startsrc /usr/bin/stopsrc /usr/bin/lssrc; do ln -s /usr/bin/ikemu "$link"; done \
 && mkdir -p /lab && chmod 0700 /lab
ENV IKEMU_LAB=/lab
VOLUME /lab
ENTRYPOINT ["/usr/bin/ikemu"]
CMD ["--help"]
