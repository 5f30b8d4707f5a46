package runner

import (
	"context"
	"crypto/x509"
	"slices"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/readiness"
)

// ReadinessOptions configure the production-readiness check that ends a run.
type ReadinessOptions struct {
	// SellerURL is the URL to check; the koomock server's seller URL when empty.
	SellerURL string
	// RootCAs are the authorities trusted for the seller's certificate; the system's when nil.
	RootCAs *x509.CertPool
	// Production makes every problem a failure of the run; otherwise they are warnings, because a
	// seller on a laptop runs plain HTTP.
	Production bool
	// Budget is how long KooGallery waits for an answer; 5 s when zero.
	Budget time.Duration
}

// Readiness is the outcome of the readiness check.
type Readiness struct {
	URL        string
	Production bool
	Budget     time.Duration
	Findings   []readiness.Finding
	// Slowest are the run's slowest outbound exchanges, slowest first.
	Slowest []*koomock.Exchange
}

// Failed reports whether the check fails the run: only with Production, and only on a failed finding.
func (r *Readiness) Failed() bool {
	if r == nil || !r.Production {
		return false
	}
	return slices.ContainsFunc(r.Findings, func(f readiness.Finding) bool { return f.Outcome == koomock.Fail })
}

// slowestShown is how many of the slowest answers the report lists.
const slowestShown = 3

func checkReadiness(ctx context.Context, api *controlapi.Client, o ReadinessOptions, exchanges []*koomock.Exchange) *Readiness {
	r := &Readiness{URL: o.SellerURL, Production: o.Production, Budget: o.Budget}
	if r.Budget == 0 {
		r.Budget = 5 * time.Second
	}
	if r.URL == "" {
		s, err := api.Settings(ctx)
		if err != nil || s.SellerURL == "" {
			r.Findings = []readiness.Finding{readiness.NoSellerURL()}
			return r
		}
		r.URL = s.SellerURL
	}
	r.Findings = readiness.Check(ctx, r.URL, readiness.Config{RootCAs: o.RootCAs})
	for _, e := range exchanges {
		if e.Direction == koomock.Outbound && !slices.Contains(r.Slowest, e) {
			r.Slowest = append(r.Slowest, e)
		}
	}
	slices.SortStableFunc(r.Slowest, func(a, b *koomock.Exchange) int { return int(b.Duration - a.Duration) })
	if len(r.Slowest) > slowestShown {
		r.Slowest = r.Slowest[:slowestShown]
	}
	if len(r.Slowest) > 0 {
		r.Findings = append(r.Findings, readiness.Slowest(r.Slowest[0].Duration, string(r.Slowest[0].Activity), r.Budget))
	}
	if !o.Production {
		// Without --production, problems are warnings: a seller on a laptop runs plain HTTP.
		for i, f := range r.Findings {
			if f.Outcome == koomock.Fail {
				r.Findings[i].Outcome = koomock.Warn
			}
		}
	}
	return r
}
