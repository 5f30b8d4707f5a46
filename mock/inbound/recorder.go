package inbound

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/koomock/koomock"
)

// Journal stores exchanges in batches. *store.DB implements it.
type Journal interface {
	RecordExchanges(ctx context.Context, list []*koomock.Exchange) error
}

// batchSize caps how many exchanges one transaction writes.
const batchSize = 256

// lingerFor is how long the writer waits for more exchanges before writing a batch nobody flushes.
const lingerFor = 5 * time.Millisecond

// queueSize is how many exchanges may wait to be written before recording blocks the request.
const queueSize = 4096

// ErrClosed is returned by Flush after Close.
var ErrClosed = errors.New("inbound recorder closed")

// Recorder writes inbound exchanges to the journal in the background.
type Recorder struct {
	// Policy settles the verdicts handlers give the exchanges it records; set it before serving.
	Policy koomock.Policy

	journal Journal
	now     func() time.Time
	logger  *slog.Logger
	// publish, when set, is called with each exchange after it is written (and has its ID).
	publish func(*koomock.Exchange)

	queue chan item
	done  chan struct{}
	// mu guards closed: senders hold it shared while sending, Close exclusively while closing the
	// queue, so nothing is ever sent on a closed queue.
	mu     sync.RWMutex
	closed bool
}

// item is either an exchange to write or a flush marker.
type item struct {
	e     *koomock.Exchange
	flush chan struct{}
}

// NewRecorder starts a recorder writing to j. now is koomock's clock (exchange start times); publish
// may be nil.
func NewRecorder(j Journal, now func() time.Time, logger *slog.Logger, publish func(*koomock.Exchange)) *Recorder {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	r := &Recorder{
		journal: j, now: now, logger: logger, publish: publish,
		queue: make(chan item, queueSize), done: make(chan struct{}),
	}
	go r.loop()
	return r
}

// Record queues an exchange for writing.
func (r *Recorder) Record(e *koomock.Exchange) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.closed {
		r.logger.Warn("inbound exchange dropped: recorder closed", "activity", e.Activity)
		return
	}
	r.queue <- item{e: e}
}

// Flush waits until every exchange recorded before the call is in the journal.
func (r *Recorder) Flush(ctx context.Context) error {
	marker := make(chan struct{})
	if err := r.send(ctx, item{flush: marker}); err != nil {
		return err
	}
	select {
	case <-marker:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (r *Recorder) send(ctx context.Context, it item) error {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.closed {
		return ErrClosed
	}
	select {
	case r.queue <- it:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close writes what is queued and stops the recorder.
func (r *Recorder) Close() {
	r.mu.Lock()
	if !r.closed {
		r.closed = true
		close(r.queue)
	}
	r.mu.Unlock()
	<-r.done
}

func (r *Recorder) loop() {
	defer close(r.done)
	var batch []*koomock.Exchange
	var markers []chan struct{}
	window := time.NewTimer(time.Hour)
	window.Stop()
	for {
		it, ok := <-r.queue
		if !ok {
			return
		}
		r.add(it, &batch, &markers)
		// Collect for a short window after the first exchange, so that under load one transaction
		// carries many exchanges instead of one: a small batch costs mostly its transaction. No request
		// waits for the journal; a Flush (the control API reading it) ends the window at once.
		window.Reset(lingerFor)
	collect:
		for len(batch) < batchSize && len(markers) == 0 {
			select {
			case it, ok = <-r.queue:
				if !ok {
					window.Stop()
					r.write(batch, markers)
					return
				}
				r.add(it, &batch, &markers)
			case <-window.C:
				break collect
			}
		}
		window.Stop()
		r.write(batch, markers)
		batch, markers = batch[:0], markers[:0]
	}
}

func (r *Recorder) add(it item, batch *[]*koomock.Exchange, markers *[]chan struct{}) {
	if it.flush != nil {
		*markers = append(*markers, it.flush)
		return
	}
	*batch = append(*batch, it.e)
}

func (r *Recorder) write(batch []*koomock.Exchange, markers []chan struct{}) {
	if len(batch) > 0 {
		if err := r.journal.RecordExchanges(context.Background(), batch); err != nil {
			r.logger.Error("record inbound exchanges", "count", len(batch), "err", err)
		} else if r.publish != nil {
			for _, e := range batch {
				r.publish(e)
			}
		}
	}
	for _, m := range markers {
		close(m)
	}
}
