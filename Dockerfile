# koomock's container image: KooGallery on the seller's laptop and in CI.
#
#   docker build -t koomock .
#       The full build: compiles koomock in a Go image (CGO off), then copies it into an empty image.
#       Needs a registry to pull the Go image.
#
#   make docker-build
#       The registry-free build of the same image: koomock is compiled on the host (CGO off) into a
#       folder that becomes the build context, and the "prebuilt" stage copies it from there. Used by
#       the tests and CI, where nothing can be pulled.
#
# The stages "prebuilt" and "runtime" must stay identical but for where their files come from
# (koomocktc's TestDockerfileStagesAgree checks it). "prebuilt" comes first so that the classic builder,
# which builds every stage up to its --target, never reaches the stage that pulls the Go image.
#
# The image: one static binary on an empty base, run as 65532:65532 (no /etc/passwd: koomock looks up
# no users), the SQLite file in the volume /data, CA roots compiled into the binary (used only when
# SSL_CERT_FILE names no bundle), /tmp for SQLite's temporary files, and a HEALTHCHECK that needs no
# shell. KOOMOCK_PUBLIC_URL assumes -p 8080:8080; set it to the URL your seller reaches koomock by.

ARG GO_IMAGE=golang:1.26.8-bookworm

# ---- the registry-free path: the context holds koomock (built with CGO_ENABLED=0), data/ and tmp/
FROM scratch AS prebuilt
COPY koomock /usr/local/bin/koomock
COPY --chown=65532:65532 data /data
COPY --chown=65532:65532 tmp /tmp
USER 65532:65532
ENV PATH=/usr/local/bin \
    TMPDIR=/tmp \
    KOOMOCK_ADDR=0.0.0.0:8080 \
    KOOMOCK_PUBLIC_URL=http://localhost:8080 \
    KOOMOCK_DB=/data/koomock.db
EXPOSE 8080
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 CMD ["koomock", "healthcheck"]
ENTRYPOINT ["koomock"]
CMD ["serve"]

# ---- the full build
FROM ${GO_IMAGE} AS build
ARG VERSION=dev
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/koomock ./cmd/koomock \
 && mkdir -p /out/data /out/tmp

# ---- the image users build: the same as "prebuilt", its files from the build stage
FROM scratch AS runtime
COPY --from=build /out/koomock /usr/local/bin/koomock
COPY --from=build --chown=65532:65532 /out/data /data
COPY --from=build --chown=65532:65532 /out/tmp /tmp
USER 65532:65532
ENV PATH=/usr/local/bin \
    TMPDIR=/tmp \
    KOOMOCK_ADDR=0.0.0.0:8080 \
    KOOMOCK_PUBLIC_URL=http://localhost:8080 \
    KOOMOCK_DB=/data/koomock.db
EXPOSE 8080
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 CMD ["koomock", "healthcheck"]
ENTRYPOINT ["koomock"]
CMD ["serve"]
