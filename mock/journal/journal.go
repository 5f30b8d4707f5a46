// Package journal is koomock's one journal: every exchange, in either direction (a callback koomock
// sent, a call the seller made), is written through it, and each is durable before its caller goes
// on. An inbound call is answered only after its entry is committed, so a seller never sees an answer
// the journal does not hold, even if koomock is killed the next instant.
//
// Writes are grouped: one writer goroutine takes every exchange queued while it wrote the previous
// group and hands them to the store together, so concurrent requests share one append, and no request
// waits for a timer. The store (store.RecordExchanges) appends the group to its journal log in one
// write, which survives the death of the process, and indexes it in SQLite in the background; a power
// loss may take the last seconds (see docs/architecture.md).
package journal

import (
	"context"
	"errors"
	"log/slog"
	"sync"

	"github.com/koomock/koomock"
)

// Store is where the journal commits exchanges. *store.DB implements it.
type Store interface {
	RecordExchanges(ctx context.Context, list []*koomock.Exchange) error
}

// ErrClosed is returned by Record after Close.
var ErrClosed = errors.New("journal closed")

// maxBatch caps how many exchanges one group hands to the store.
const maxBatch = 256

// queueSize is how many exchanges may wait for the writer before Record blocks.
const queueSize = 4096

// Journal commits exchanges in groups and tells live subscribers about each once it is stored.
type Journal struct {
	store   Store
	publish func(*koomock.Exchange)
	logger  *slog.Logger

	queue chan pending
	done  chan struct{}
	// mu guards closed: senders hold it shared while sending, Close exclusively while closing the
	// queue, so nothing is ever sent on a closed queue.
	mu     sync.RWMutex
	closed bool
}

// pending is an exchange waiting for its commit; committed receives the outcome.
type pending struct {
	e         *koomock.Exchange
	committed chan error
}

// New starts the journal's writer. publish, when set, is called with each exchange after it is
// committed (and has its ID); logger may be nil.
func New(s Store, logger *slog.Logger, publish func(*koomock.Exchange)) *Journal {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	j := &Journal{store: s, publish: publish, logger: logger, queue: make(chan pending, queueSize), done: make(chan struct{})}
	go j.loop()
	return j
}

// Record commits an exchange, setting its ID, and returns once it is durable (or could not be
// written). ctx only bounds the wait for room in the queue: once queued, the exchange is committed
// whatever happens to the caller, and Record waits for that.
func (j *Journal) Record(ctx context.Context, e *koomock.Exchange) error {
	p := pending{e: e, committed: make(chan error, 1)}
	if err := j.send(ctx, p); err != nil {
		return err
	}
	return <-p.committed
}

func (j *Journal) send(ctx context.Context, p pending) error {
	j.mu.RLock()
	defer j.mu.RUnlock()
	if j.closed {
		return ErrClosed
	}
	select {
	case j.queue <- p:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close commits what is queued and stops the writer.
func (j *Journal) Close() {
	j.mu.Lock()
	if !j.closed {
		j.closed = true
		close(j.queue)
	}
	j.mu.Unlock()
	<-j.done
}

func (j *Journal) loop() {
	defer close(j.done)
	batch := make([]pending, 0, maxBatch)
	for {
		p, ok := <-j.queue
		if !ok {
			return
		}
		batch = append(batch[:0], p)
		// Group commit: everything that queued up while the last group was written goes into this
		// one. Under no load an exchange is written alone, at once.
	drain:
		for len(batch) < maxBatch {
			select {
			case p, ok := <-j.queue:
				if !ok {
					break drain
				}
				batch = append(batch, p)
			default:
				break drain
			}
		}
		j.commit(batch)
	}
}

func (j *Journal) commit(batch []pending) {
	list := make([]*koomock.Exchange, len(batch))
	for i, p := range batch {
		list[i] = p.e
	}
	err := j.store.RecordExchanges(context.Background(), list)
	if err != nil {
		j.logger.Error("journal: commit exchanges", "count", len(list), "err", err)
	}
	for _, p := range batch {
		if err == nil && j.publish != nil {
			j.publish(p.e)
		}
		p.committed <- err
	}
}
