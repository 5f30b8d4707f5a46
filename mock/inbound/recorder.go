package inbound

import (
	"context"
	"log/slog"
	"time"

	"github.com/koomock/koomock"
)

// Writer commits an exchange before it returns. *journal.Journal implements it.
type Writer interface {
	Record(ctx context.Context, e *koomock.Exchange) error
}

// Recorder records the calls a seller makes to koomock, through the journal: its Middleware answers a
// call only once the call's exchange is committed.
type Recorder struct {
	// Policy settles the verdicts handlers give the exchanges it records; set it before serving.
	Policy koomock.Policy

	journal Writer
	now     func() time.Time
	logger  *slog.Logger
}

// NewRecorder returns a recorder writing to j. now is koomock's clock (exchange start times).
func NewRecorder(j Writer, now func() time.Time, logger *slog.Logger) *Recorder {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Recorder{journal: j, now: now, logger: logger}
}

// Record commits an exchange, logging a failure: the call is still answered, since the seller's
// software must not stall because koomock's disk is full.
func (r *Recorder) Record(ctx context.Context, e *koomock.Exchange) {
	if err := r.journal.Record(context.WithoutCancel(ctx), e); err != nil {
		r.logger.Error("record inbound exchange", "activity", e.Activity, "err", err)
	}
}
