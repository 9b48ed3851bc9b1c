package app

import (
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ownercheck/ownercheck/internal/config"
	"github.com/ownercheck/ownercheck/internal/shadow"
	"github.com/ownercheck/ownercheck/internal/verdict"
)

// shadowWiring holds the shadow rules, nil when none are configured.
type shadowWiring struct{ rules *shadow.Rules }

// newShadow loads OWNERCHECK_SHADOW_RULES_DIR. A broken directory does not
// stop the service: the live rules serve, readyz (with a key) and
// /admin/shadow report the error, a reload may fix it.
func newShadow(cfg config.Config, log *slog.Logger, reg prometheus.Registerer) shadowWiring {
	if cfg.ShadowRulesDir == "" {
		return shadowWiring{}
	}
	return shadowWiring{rules: shadow.New(cfg.ShadowRulesDir, log.With("component", "shadow"), reg)}
}

// verdictShadow is the verdict service's view (a nil interface, not a nil
// pointer, when there are no shadow rules).
func (w shadowWiring) verdictShadow() verdict.ShadowRules {
	if w.rules == nil {
		return nil
	}
	return w.rules
}
