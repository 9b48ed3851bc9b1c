package webhooks

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v79/webhook"

	"github.com/ownercheck/ownercheck/internal/apperr"
	"github.com/ownercheck/ownercheck/internal/cache"
)

// eventWith is event with fields overridden (nil deletes).
func eventWith(over map[string]any) []byte {
	var m map[string]any
	_ = json.Unmarshal(event("evt_1", RefreshedOwnership, APIVersion, "fca_1"), &m)
	for k, v := range over {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, _ := json.Marshal(m)
	return b
}

// signedBy is a Stripe-Signature with one v1 signature per secret, as
// Stripe sends while a secret rolls.
func signedBy(payload []byte, at time.Time, secrets ...string) string {
	h := fmt.Sprintf("t=%d", at.Unix())
	for _, s := range secrets {
		h += ",v1=" + hex.EncodeToString(webhook.ComputeSignature(at, payload, s))
	}
	return h
}

func wantParam(t *testing.T, err error, param string) {
	t.Helper()
	if e, ok := apperr.As(err); !ok || e.Kind != apperr.KindInvalid || e.Param != param {
		t.Fatalf("err = %v, want a 400 naming %q", err, param)
	}
}

// Issue 9 item 6: a correctly signed event stamped an hour (or ten years)
// in the future was applied.
func TestFutureTimestampsAreRefused(t *testing.T) {
	now := time.Now()
	p := event("evt_1", RefreshedOwnership, APIVersion, "fca_1")
	for _, ahead := range []time.Duration{time.Hour, 10 * 365 * 24 * time.Hour, DefaultFutureSkew + 5*time.Second} {
		inv := &recording{}
		s := &Service{Secret: secret, Snapshots: inv}
		_, err := s.Handle(context.Background(), p, sign(p, secret, now.Add(ahead)))
		wantParam(t, err, "Stripe-Signature")
		if len(inv.calls) != 0 {
			t.Errorf("%s ahead: applied", ahead)
		}
	}
	s := &Service{Secret: secret, Snapshots: &recording{}}
	if _, err := s.Handle(context.Background(), p, sign(p, secret, now.Add(30*time.Second))); err != nil {
		t.Errorf("30s of clock skew is tolerated: %v", err)
	}
}

// Issue 9 item 6: an event with an empty id was applied, and every later
// empty-id event was then a "duplicate".
func TestEventIDsAreChecked(t *testing.T) {
	for _, id := range []any{"", "evt_", "evt_1 2", "cus_1", "evt_" + string(make([]byte, 300)), nil, 42} {
		inv := &recording{}
		s := &Service{Secret: secret, Snapshots: inv, Dedupe: cache.NewMemory()}
		p := eventWith(map[string]any{"id": id})
		_, err := s.Handle(context.Background(), p, sign(p, secret, time.Now()))
		if id == 42 {
			if err == nil {
				t.Errorf("id 42 accepted")
			}
			continue
		}
		wantParam(t, err, "id")
		if len(inv.calls) != 0 {
			t.Errorf("id %q: applied", id)
		}
	}
}

func TestLivemodeMustMatchTheKey(t *testing.T) {
	for _, keyLive := range []bool{false, true} {
		inv := &recording{}
		s := &Service{Secret: secret, Livemode: keyLive, Snapshots: inv}
		p := eventWith(map[string]any{"livemode": !keyLive})
		_, err := s.Handle(context.Background(), p, sign(p, secret, time.Now()))
		wantParam(t, err, "livemode")
		p = eventWith(map[string]any{"livemode": keyLive, "id": "evt_2"})
		if _, err := s.Handle(context.Background(), p, sign(p, secret, time.Now())); err != nil {
			t.Errorf("livemode %v with a key of that mode: %v", keyLive, err)
		}
		if len(inv.calls) != 1 {
			t.Errorf("applied %v", inv.calls)
		}
	}
}

// Stripe signs with the old and the new secret while one rolls; both are
// configured for that time.
func TestTwoSecretsWhileRolling(t *testing.T) {
	const oldS, newS = "whsec_old_0123456789abcdef", "whsec_new_0123456789abcdef"
	now := time.Now()
	p := event("evt_1", RefreshedOwnership, APIVersion, "fca_1")
	s := &Service{Secrets: []string{oldS, newS}, Snapshots: &recording{}}
	for name, sig := range map[string]string{
		"old only":            signedBy(p, now, oldS),
		"new only":            signedBy(p, now, newS),
		"both (Stripe's way)": signedBy(p, now, oldS, newS),
		"unknown then new":    signedBy(p, now, "whsec_x", newS),
	} {
		if _, err := s.verify(p, sig); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	_, err := s.verify(p, signedBy(p, now, "whsec_neither"))
	wantParam(t, err, "Stripe-Signature")
	_, err = s.verify(p, signedBy(p, now.Add(-time.Hour), newS))
	wantParam(t, err, "Stripe-Signature")
	if _, err := (&Service{Snapshots: &recording{}}).verify(p, signedBy(p, now, "")); apperr.KindOf(err) != apperr.KindUnavailable {
		t.Errorf("no secret at all: %v", err)
	}
}

// Events of any API version are accepted, but data.object is read in full
// only for the pinned one.
func TestFullObjectOnlyForThePinnedVersion(t *testing.T) {
	s := &Service{Secret: secret}
	for version, full := range map[string]bool{APIVersion: true, "2023-10-16": false, "2024-09-30.acacia": false, "2025-03-31.basil": false} {
		p := event("evt_1", RefreshedOwnership, version, "fca_1")
		v, err := s.verify(p, sign(p, secret, time.Now()))
		if err != nil || v.FullObject != full || v.Account != "fca_1" || v.Event.ID != "evt_1" {
			t.Errorf("%s: %+v %v", version, v, err)
		}
	}
	p := event("evt_1", "customer.created", APIVersion, "cus_1")
	if v, err := s.verify(p, sign(p, secret, time.Now())); err != nil || v.Account != "" {
		t.Errorf("a non-account event: %+v %v", v, err)
	}
	p = event("evt_1", Disconnected, APIVersion, "fca_1/../x")
	_, err := s.verify(p, sign(p, secret, time.Now()))
	wantParam(t, err, "data.object.id")
}
