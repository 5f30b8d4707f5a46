package runner_test

import (
	"context"
	"io"
	"testing"

	"github.com/koomock/koomock/runner"
)

// BenchmarkSuite measures the wall time of the whole embedded suite against the reference seller,
// through an in-process koomock, serially and with two scenarios at once.
func BenchmarkSuite(b *testing.B) {
	for _, c := range []struct {
		name        string
		concurrency int
	}{{"serial", 1}, {"concurrent", 2}} {
		b.Run(c.name, func(b *testing.B) {
			m := startMockB(b)
			for b.Loop() {
				res, err := runner.Run(context.Background(), runner.Options{MockURL: m, Output: io.Discard, Concurrency: c.concurrency, Seed: 1, Profile: referenceProfile})
				if err != nil || res.Status != runner.ExitPassed {
					b.Fatalf("status %v, %v", res, err)
				}
			}
		})
	}
}
