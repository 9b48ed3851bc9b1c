// Package session starts ownership-only Financial Connections sessions for
// the onboarding front end (POST /v1/sessions).
package session

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"

	"github.com/ownercheck/ownercheck/internal/apperr"
	"github.com/ownercheck/ownercheck/internal/caller"
	"github.com/ownercheck/ownercheck/internal/fc"
	"github.com/ownercheck/ownercheck/internal/identity"
	"github.com/ownercheck/ownercheck/internal/strictjson"
)

// Service creates sessions through the Stripe layer.
type Service struct {
	FC             fc.Client
	PublishableKey string
}

// Request is the body of POST /v1/sessions. Customer is either a Stripe
// customer id ("cus_…") or {"email","name"} for a new customer.
type Request struct {
	Customer  json.RawMessage    `json:"customer"`
	ReturnURL string             `json:"return_url,omitempty"`
	Identity  *identity.Identity `json:"identity,omitempty"`
}

// NewCustomer is the object form of Request.Customer.
type NewCustomer struct {
	Email string `json:"email"`
	Name  string `json:"name"`
}

// Created is the answer: what the front end needs to run Stripe's flow.
type Created struct {
	Session        string `json:"session"`
	ClientSecret   string `json:"client_secret"`
	PublishableKey string `json:"publishable_key"`
	Livemode       bool   `json:"livemode"`
	Customer       string `json:"customer"`
}

// Create validates the request, finds or creates the customer and creates
// the session. idempotencyKey (the client's Idempotency-Key) is passed on to
// Stripe, namespaced by the caller in ctx (caller.ID), so a retried request
// never creates a second session and two callers never share one.
func (s *Service) Create(ctx context.Context, req Request, idempotencyKey string) (*Created, error) {
	if req.Identity != nil {
		if err := req.Identity.Validate("identity"); err != nil {
			return nil, err
		}
	}
	if req.ReturnURL != "" {
		if u, err := url.Parse(req.ReturnURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, apperr.Invalid("return_url", "return_url must be an absolute http(s) URL")
		}
	}
	customer, err := s.customer(ctx, req.Customer, idempotencyKey)
	if err != nil {
		return nil, err
	}
	p := fc.CreateSessionParams{Customer: customer, ReturnURL: req.ReturnURL,
		IdempotencyKey: StripeIdempotencyKey(caller.ID(ctx), idempotencyKey, "session")}
	sess, err := s.FC.CreateSession(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("creating session for %s: %w", customer, err)
	}
	return &Created{Session: sess.ID, ClientSecret: sess.ClientSecret, PublishableKey: s.PublishableKey, Livemode: sess.Livemode, Customer: customer}, nil
}

func (s *Service) customer(ctx context.Context, raw json.RawMessage, idempotencyKey string) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", apperr.Invalid("customer", `customer is required: a Stripe customer id or {"email","name"}`)
	}
	if raw[0] == '"' {
		var id string
		if err := json.Unmarshal(raw, &id); err != nil {
			return "", apperr.Invalid("customer", `customer must be a Stripe customer id ("cus_…")`)
		}
		if err := fc.CheckID("customer", "", fc.PrefixCustomer, id); err != nil {
			return "", err
		}
		if err := s.FC.CheckCustomer(ctx, id); err != nil {
			if errors.Is(err, fc.ErrNotFound) {
				return "", apperr.Invalid("customer", "no such customer").WithCause(err)
			}
			return "", fmt.Errorf("checking customer %s: %w", id, err)
		}
		return id, nil
	}
	var nc NewCustomer
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&nc); err != nil {
		return "", apperr.Invalid("customer", `customer must be a Stripe customer id or an object {"email","name"}`)
	}
	if err := strictjson.Check(raw, &nc, "customer"); err != nil {
		return "", err
	}
	probe := identity.Identity{Type: identity.Individual, Name: "x", Email: nc.Email}
	if nc.Email == "" {
		return "", apperr.Invalid("customer.email", "customer.email is required for a new customer")
	}
	if err := probe.Validate(""); err != nil {
		return "", apperr.Invalid("customer.email", "customer.email is not a valid address")
	}
	if len(nc.Name) > 200 {
		return "", apperr.Invalid("customer.name", "customer.name is longer than 200 bytes")
	}
	p := fc.CreateCustomerParams{Email: nc.Email, Name: nc.Name,
		IdempotencyKey: StripeIdempotencyKey(caller.ID(ctx), idempotencyKey, "customer")}
	id, err := s.FC.CreateCustomer(ctx, p)
	if err != nil {
		return "", fmt.Errorf("creating customer: %w", err)
	}
	return id, nil
}

// StripeIdempotencyKey is the Idempotency-Key sent to Stripe for a
// client's key: Stripe's keys are per Stripe account, which every caller of
// ownercheck shares, so the same client key from two API keys must not
// name the same request (the second caller would get the first one's
// session and client_secret). The caller's id and the client's key are
// hashed together (bounded length, nothing of either echoed to Stripe);
// purpose tells the customer and the session of one request apart. No
// client key means no Stripe key.
func StripeIdempotencyKey(callerID, clientKey, purpose string) string {
	if clientKey == "" {
		return ""
	}
	h := sha256.New()
	h.Write([]byte(callerID))
	h.Write([]byte{0})
	h.Write([]byte(clientKey))
	return "oc1_" + hex.EncodeToString(h.Sum(nil)) + ":" + purpose
}
