package journal_test

import (
	"context"
	"sync"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/mock/journal"
	"github.com/koomock/koomock/store"
)

// countingStore counts the transactions the journal commits in.
type countingStore struct {
	*store.DB
	mu  sync.Mutex
	txs int
}

func (c *countingStore) RecordExchanges(ctx context.Context, list []*koomock.Exchange) error {
	c.mu.Lock()
	c.txs++
	c.mu.Unlock()
	return c.DB.RecordExchanges(ctx, list)
}

// TestRecordIsDurableAndGroupCommitted: Record returns once the exchange is readable from the store,
// with its ID, and concurrent records share transactions.
func TestRecordIsDurableAndGroupCommitted(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, store.Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cs := &countingStore{DB: db}
	var published sync.Map
	j := journal.New(cs, nil, func(e *koomock.Exchange) { published.Store(e.ID, true) })
	const n = 2000
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := &koomock.Exchange{Direction: koomock.Inbound, Activity: "heartbeat", OrderID: string(rune('a' + i%26))}
			if err := j.Record(ctx, e); err != nil {
				t.Error(err)
				return
			}
			if e.ID == 0 {
				t.Error("no ID after Record")
				return
			}
			if _, ok := published.Load(e.ID); !ok {
				t.Errorf("exchange %d returned before it was published", e.ID)
			}
			if _, err := db.Exchange(ctx, e.ID); err != nil {
				t.Errorf("exchange %d not in the store after Record: %v", e.ID, err)
			}
		}()
	}
	wg.Wait()
	j.Close()
	if cs.txs >= n {
		t.Errorf("%d records took %d transactions: no group commit", n, cs.txs)
	}
	if err := j.Record(ctx, &koomock.Exchange{}); err != journal.ErrClosed {
		t.Errorf("Record after Close = %v", err)
	}
}
