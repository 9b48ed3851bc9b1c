package cache

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"
)

// go-redis's messages come out as JSON log lines, not plain text.
func TestRedisLoggerWritesJSON(t *testing.T) {
	var buf bytes.Buffer
	l := redisLogger{slog.New(slog.NewJSONHandler(&buf, nil)).With("component", "go-redis")}
	// A message of the shape go-redis prints when a pooled dial fails.
	l.Printf(context.Background(), "redis: connection pool: failed to dial after %d attempts: %v", 1, "refused")
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("not a JSON log line: %q", buf.String())
	}
	if line["level"] != "WARN" || line["component"] != "go-redis" || line["msg"] != "redis: connection pool: failed to dial after 1 attempts: refused" {
		t.Fatalf("log line = %v", line)
	}
}
