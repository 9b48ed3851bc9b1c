package match

import (
	"crypto/sha256"
	"encoding/hex"
)

// AlgorithmVersion names the scoring code. It is folded into every
// verdict's digest (and so into every cache key), so a deploy that
// changes how owners are scored stops serving verdicts the old code
// computed. Change it whenever evaluation output changes for the same
// rule files: TestAlgorithmGolden fails until it is changed, and
// `go test ./internal/match -run TestAlgorithmGolden -update` refreshes the
// golden afterwards.
const AlgorithmVersion = "2026-12-02.7"

// VerdictDigest combines the rule files' digest with an algorithm
// version: what identifies how a verdict was computed.
func VerdictDigest(rulesDigest, algorithm string) string {
	h := sha256.New()
	h.Write([]byte(rulesDigest))
	h.Write([]byte{0})
	h.Write([]byte(algorithm))
	return "sha256:" + hex.EncodeToString(h.Sum(nil))[:16]
}
