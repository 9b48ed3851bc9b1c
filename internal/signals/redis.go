package signals

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ownercheck/ownercheck/internal/match"
)

// Redis counts with HyperLogLogs, shared by every process on the Redis.
type Redis struct{ c redis.Cmdable }

// NewRedis counts on c.
func NewRedis(c redis.Cmdable) *Redis { return &Redis{c: c} }

// Observe adds and counts every observation in one round trip (a pipeline
// of PFADD, EXPIRE and PFCOUNT).
func (r *Redis) Observe(ctx context.Context, obs []Observation, now time.Time) ([]match.Signals, error) {
	d := day(now)
	pipe := r.c.Pipeline()
	counts := make([][4]*redis.IntCmd, len(obs))
	for i, o := range obs {
		ak, ik := dayKey(o.AccountKey, d), dayKey(o.IdentityKey, d)
		pipe.PFAdd(ctx, ak, o.Identity)
		pipe.Expire(ctx, ak, keep)
		pipe.PFAdd(ctx, ik, o.Account)
		pipe.Expire(ctx, ik, keep)
		counts[i] = [4]*redis.IntCmd{
			pipe.PFCount(ctx, ak), pipe.PFCount(ctx, windowKeys(o.AccountKey, d)...),
			pipe.PFCount(ctx, ik), pipe.PFCount(ctx, windowKeys(o.IdentityKey, d)...),
		}
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("counting reuse signals: %w", err)
	}
	out := make([]match.Signals, len(obs))
	for i, c := range counts {
		out[i] = match.Signals{
			IdentitiesPerAccount1d: int(c[0].Val()), IdentitiesPerAccount30d: int(c[1].Val()),
			AccountsPerIdentity1d: int(c[2].Val()), AccountsPerIdentity30d: int(c[3].Val()),
			Available: true,
		}
	}
	return out, nil
}
