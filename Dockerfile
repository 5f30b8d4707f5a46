# koomock's container image: KooGallery on the seller's laptop and in CI.
#
#   docker build -t koomock .
#       Compiles koomock in a Go image (CGO off), then copies it into an empty image. Needs a registry
#       to pull the Go image.
#
#   make docker-build
#       The registry-free build of the same image, from Dockerfile.prebuilt: koomock is compiled on the
#       host (CGO off) into a folder that becomes the build context. Used by the tests and CI, where
#       nothing can be pulled.
#
# Two files, because the classic builder (docker build without BuildKit) builds every stage before
# its target whether the target needs it or not: one file would make each build need the other's
# inputs. The final stage here and Dockerfile.prebuilt must stay identical but for where their files
# come from; koomocktc's TestDockerfilesAgree checks it.
#
# The image: one static binary on an empty base, run as 65532:65532 (no /etc/passwd: koomock looks up
# no users), the SQLite file in the volume /data, CA roots compiled into the binary (used only when
# SSL_CERT_FILE names no bundle), /tmp for SQLite's temporary files, and a HEALTHCHECK that needs no
# shell. KOOMOCK_PUBLIC_URL assumes -p 8080:8080; set it to the URL your seller reaches koomock by.
# HTTPS is off until KOOMOCK_TLS_ADDR=0.0.0.0:8443 (EXPOSE 8443); its local CA is kept in the volume
# too (KOOMOCK_TLS_DIR=/data/tls), so a CA trusted once survives the container.
# The Go image is pinned by version; pin it by digest where you build releases.

ARG GO_IMAGE=golang:1.26.8-bookworm

FROM ${GO_IMAGE} AS build
ARG VERSION=dev
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -tags nodeploy -ldflags "-s -w -X main.version=${VERSION}" -o /out/koomock ./cmd/koomock \
 && mkdir -p /out/data /out/tmp

# ---- the image: the same as Dockerfile.prebuilt, its files from the build stage
FROM scratch AS runtime
COPY --from=build /out/koomock /usr/local/bin/koomock
COPY --from=build --chown=65532:65532 /out/data /data
COPY --from=build --chown=65532:65532 /out/tmp /tmp
USER 65532:65532
ENV PATH=/usr/local/bin \
    TMPDIR=/tmp \
    KOOMOCK_ADDR=0.0.0.0:8080 \
    KOOMOCK_PUBLIC_URL=http://localhost:8080 \
    KOOMOCK_DB=/data/koomock.db \
    KOOMOCK_TLS_DIR=/data/tls
EXPOSE 8080 8443
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 CMD ["koomock", "healthcheck"]
ENTRYPOINT ["koomock"]
CMD ["serve"]
