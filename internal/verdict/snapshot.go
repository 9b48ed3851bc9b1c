package verdict

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/ownercheck/ownercheck/internal/cache"
	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/match"
)

// snapshot is what the cache knows of an account: its state as last read
// from Stripe or received in a webhook. It holds no owner data and no
// Stripe id: the customer and the ownership are HMAC tags, compared with
// tags of the ids in hand.
type snapshot struct {
	Status      string   `json:"status"`
	Permissions []string `json:"permissions,omitempty"`
	HolderType  string   `json:"holder_type,omitempty"`
	HolderTag   string   `json:"holder,omitempty"`    // HMAC of account_holder.customer
	Ownership   string   `json:"ownership,omitempty"` // HMAC of the ownership id; "" = no ownership data
	Refresh     string   `json:"refresh,omitempty"`   // ownership_refresh.status; "" = never refreshed
	// LastAttempted and NextAt are ownership_refresh's last_attempted_at
	// and next_refresh_available_at (Unix seconds, 0 = none).
	LastAttempted int64 `json:"last_attempted_at,omitempty"`
	NextAt        int64 `json:"next_refresh_available_at,omitempty"`
	// Observed is when this state was true (Unix ms): the second Stripe
	// answered the read in (its Date; else the read's start by this
	// host's clock), or the end of the second the event was created in.
	Observed int64 `json:"observed_ms"`
	// Stale marks a state that could not be read (MarkStale): it orders
	// the states around it but is never used.
	Stale bool `json:"stale,omitempty"`
}

// refreshRank orders refresh states of one attempt: a finished refresh is
// newer than the same attempt seen pending.
func refreshRank(status string) int64 {
	switch status {
	case "":
		return 0
	case fc.RefreshPending:
		return 1
	}
	return 2
}

// version orders snapshots of one account, newest last: a later refresh
// attempt (Stripe's clock), then a finished over a pending state of the
// same attempt, then disconnection (final: a disconnected account cannot
// be refreshed or reconnected), then the time the state was observed.
// The Redis script compares it in the same step as the write.
func (sn *snapshot) version() []int64 {
	var disc int64
	if sn.Status == fc.AccountDisconnected {
		disc = 1
	}
	return []int64{sn.LastAttempted, refreshRank(sn.Refresh), disc, sn.Observed}
}

// verdictTag is the part of the snapshot a verdict was computed from: a
// cached verdict with another tag was computed from other owner data.
func (sn *snapshot) verdictTag() string {
	return sn.Ownership + ":" + strconv.FormatInt(sn.LastAttempted, 10)
}

func (sn *snapshot) has(permission string) bool { return slices.Contains(sn.Permissions, permission) }

func (sn *snapshot) lastAttempted() time.Time { return unixOrZero(sn.LastAttempted) }
func (sn *snapshot) nextAt() time.Time        { return unixOrZero(sn.NextAt) }

func unixOrZero(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

// snapshotOf turns an account as Stripe sent it into a snapshot.
func (s *Service) snapshotOf(a *fc.Account, observed time.Time) snapshot {
	sn := snapshot{Status: a.Status, Permissions: a.Permissions, HolderType: a.Holder.Type, Observed: observed.UnixMilli()}
	if a.Holder.Customer != "" {
		sn.HolderTag = s.tag("customer", a.Holder.Customer)
	}
	if a.OwnershipID != "" {
		sn.Ownership = s.tag("ownership", a.OwnershipID)
	}
	if r := a.Refresh; r != nil {
		sn.Refresh = r.Status
		if !r.LastAttemptedAt.IsZero() {
			sn.LastAttempted = r.LastAttemptedAt.Unix()
		}
		if !r.NextAvailableAt.IsZero() {
			sn.NextAt = r.NextAvailableAt.Unix()
		}
	}
	return sn
}

// tag is a short keyed hash of an id, for comparing ids the cache must not
// hold.
func (s *Service) tag(kind, id string) string { return s.keys.Key(kind, id)[len("oc:v1:"):][:32] }

func (s *Service) snapshotKey(accountID string) string { return s.keys.Key("snapshot", accountID) }

// RecordAccount stores an account's state as Stripe sent it (a webhook's
// data.object, observed when the event was created), unless a newer state
// is stored already.
func (s *Service) RecordAccount(ctx context.Context, a *fc.Account, observed time.Time) error {
	sn := s.snapshotOf(a, observed)
	if err := s.storeSnapshot(ctx, a.ID, sn.version(), sn, observed); err != nil {
		return fmt.Errorf("storing the snapshot of %s: %w", a.ID, err)
	}
	return nil
}

// storeSnapshot writes sn, observed then, as the account's snapshot at
// version, unless a newer state is stored, for what is left of its TTL. A state older than
// the TTL is not stored: Stripe retries a delivery for days, and stored
// once its newer snapshot had expired it would roll the account back.
func (s *Service) storeSnapshot(ctx context.Context, accountID string, version []int64, sn snapshot, observed time.Time) error {
	ttl := s.snapshotTTL(observed)
	if ttl <= 0 {
		return nil
	}
	b, err := json.Marshal(sn)
	if err != nil {
		return err
	}
	_, err = s.cfg.Cache.SetIfNewer(ctx, s.snapshotKey(accountID), version, b, ttl)
	return err
}

// snapshotTTL is what is left of SnapshotTTL for a state observed then: a
// snapshot is trusted for SnapshotTTL from when it was true, not from when
// it arrived (the worst-case staleness the README states).
func (s *Service) snapshotTTL(observed time.Time) time.Duration {
	return min(s.cfg.SnapshotTTL, s.cfg.SnapshotTTL-s.cfg.Now().Sub(observed))
}

// MarkStale stores a stale marker as the account's snapshot: an event
// said the account changed, as observed then, into a state this build
// cannot read. A verdict finds no usable snapshot in it and reads Stripe;
// unlike no snapshot at all, it is versioned, so an older state (a
// retried event) is not stored over it while a newer one (the next
// verdict's Stripe read, a later event) is. seen holds the fields that
// order states, when they could be read (nil: none could).
func (s *Service) MarkStale(ctx context.Context, accountID string, seen *fc.Account, observed time.Time) error {
	version := staleVersion(observed)
	if seen != nil {
		sn := s.snapshotOf(seen, observed)
		version = sn.version()
	}
	if err := s.storeSnapshot(ctx, accountID, version, snapshot{Stale: true, Observed: observed.UnixMilli()}, observed); err != nil {
		return fmt.Errorf("marking the snapshot of %s stale: %w", accountID, err)
	}
	return nil
}

// staleVersion is the version of a marker whose state's order is unknown:
// the newest a state observed then can have (its refresh attempt was at
// the latest in that second, finished, and the account disconnected). No
// older event is stored over it; a newer state is once it shows a later
// refresh attempt, else when the marker expires, and until then verdicts
// read Stripe: a cost, never a rollback.
func staleVersion(observed time.Time) []int64 {
	final := snapshot{Status: fc.AccountDisconnected, Refresh: fc.RefreshSucceeded, LastAttempted: observed.Unix(), Observed: observed.UnixMilli()}
	return final.version()
}

// record is RecordAccount for the verdict path: a failure only costs the
// next request a Stripe read. observed is this host's time before the
// read; Stripe's time of its answer (ServedAt) is used when known, since
// the snapshots it is ordered against come from events stamped by Stripe:
// by a replica clock running ahead, a read would replace the event of a
// change made just after it. The answer's second is all it gives, so an
// event created in the same second still wins (see webhooks' store).
func (s *Service) record(ctx context.Context, a *fc.Account, observed time.Time) snapshot {
	if !a.ServedAt.IsZero() {
		observed = a.ServedAt
	}
	sn := s.snapshotOf(a, observed)
	if err := s.storeSnapshot(ctx, a.ID, sn.version(), sn, observed); err != nil {
		s.cacheError("set_snapshot", a.ID, err)
	}
	return sn
}

// decodeSnapshot reads a stored snapshot; ok is false for none, a stale
// marker or garbage.
func decodeSnapshot(b []byte) (sn snapshot, ok bool) {
	if b == nil {
		return sn, false
	}
	_, val, ok := cache.ParseVersioned(b)
	if !ok || json.Unmarshal(val, &sn) != nil || sn.Status == "" || sn.Stale {
		return snapshot{}, false
	}
	return sn, true
}

// cachedVerdict is the value of a verdict key: the result, the snapshot
// tag and the signals it was computed from, and what it takes to decide
// again with other signals without the owners: the comparison (scores and
// facts) and the reuse subject (HMACs).
type cachedVerdict struct {
	Tag     string            `json:"snapshot"`
	Result  *match.Result     `json:"result"`
	Signals match.Signals     `json:"signals"`
	Eval    *match.Evaluation `json:"eval"`
	Subject subject           `json:"subject"`
	// Shadow is the shadow rules' comparison when they compare owners
	// differently from the live rules (other dictionaries or weights).
	Shadow *shadowComparison `json:"shadow,omitempty"`
}

func decodeVerdict(b []byte) (cv cachedVerdict, ok bool) {
	if json.Unmarshal(b, &cv) != nil || cv.Result == nil || cv.Eval == nil || cv.Subject.Owner == "" {
		return cachedVerdict{}, false
	}
	return cv, true
}
