# ownercheck: a static binary on a distroless base (no shell, non-root).
#   docker build -t ownercheck .
#   docker run -p 8080:8080 ownercheck            # sandbox mode (no Stripe key)
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/ownercheck ./cmd/ownercheck

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/ownercheck /ownercheck
# Inside a container the service must listen on all interfaces.
ENV OWNERCHECK_ADDR=0.0.0.0:8080
EXPOSE 8080 9090
USER nonroot:nonroot
ENTRYPOINT ["/ownercheck"]
CMD ["serve"]
