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
			opts := startMockB(b)
			opts.Output, opts.Concurrency, opts.Seed = io.Discard, c.concurrency, 1
			for b.Loop() {
				res, err := runner.Run(context.Background(), opts)
				if err != nil || res.Status != runner.ExitPassed {
					b.Fatalf("status %v, %v", res, err)
				}
			}
		})
	}
}
