// Package feed tells live subscribers about journal entries as they are recorded, and serves them as
// server-sent events: the control API's GET /_mock/events and the console's live journal both use it.
//
// Delivery semantics, chosen deliberately:
//   - Publish never blocks. Each subscriber has its own buffer; a subscriber whose buffer is full is
//     dropped (its channel closed) rather than slowing down the notifier that records exchanges.
//   - A dropped or reconnecting event-stream client loses nothing: every event carries the exchange
//     ID, and a client that comes back with Last-Event-ID is first sent what it missed, from the
//     store, then the live feed.
//   - Close closes every subscription, so that open streams end and a server can shut down.
package feed

import (
	"sync"

	"github.com/koomock/koomock"
)

// DefaultBuffer is how many exchanges a subscriber may fall behind before it is dropped.
const DefaultBuffer = 64

// Broadcaster fans journal entries out to subscribers. The zero value is ready to use.
type Broadcaster struct {
	mu     sync.Mutex
	subs   map[*Subscription]struct{}
	closed bool
}

// Subscription receives exchanges on C until it is cancelled, dropped for falling behind, or the
// broadcaster is closed; then C is closed.
type Subscription struct {
	// C delivers exchanges in the order they were published.
	C <-chan koomock.Exchange
	c chan koomock.Exchange
	b *Broadcaster
}

// Subscribe returns a subscription buffering up to buffer exchanges (DefaultBuffer when buffer < 1).
// After Close, the subscription's channel is already closed.
func (b *Broadcaster) Subscribe(buffer int) *Subscription {
	if buffer < 1 {
		buffer = DefaultBuffer
	}
	c := make(chan koomock.Exchange, buffer)
	s := &Subscription{C: c, c: c, b: b}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		close(c)
		return s
	}
	if b.subs == nil {
		b.subs = map[*Subscription]struct{}{}
	}
	b.subs[s] = struct{}{}
	return s
}

// Cancel ends the subscription and closes its channel. It is safe to call more than once.
func (s *Subscription) Cancel() {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	if _, ok := s.b.subs[s]; ok {
		delete(s.b.subs, s)
		close(s.c)
	}
}

// Publish hands e to every subscriber without waiting: a subscriber whose buffer is full is dropped.
func (b *Broadcaster) Publish(e koomock.Exchange) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		select {
		case s.c <- e:
		default:
			delete(b.subs, s)
			close(s.c)
		}
	}
}

// Close ends every subscription, and every later one at once.
func (b *Broadcaster) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for s := range b.subs {
		close(s.c)
	}
	b.subs = nil
}
