package store

import (
	"slices"
	"sync"

	"github.com/koomock/koomock"
)

// memIndex is the journal's index in a memory database, in place of the exchanges table: the store
// dies with the process, so there is nothing to make durable, and appending to a slice costs far less
// than an SQLite insert. It answers the same filters as exchangesQuery, newest first.
type memIndex struct {
	mu      sync.RWMutex
	entries []memEntry // in ID order
	names   []string   // every direction, activity, order, instance and tenant named, interned
	ids     map[string]uint32
}

// memEntry is one exchange in the memory index: no pointers, so the collector does not scan the index.
type memEntry struct {
	id, off                                      int64
	n                                            int32
	failed                                       bool
	direction, activity, order, instance, tenant uint32 // into names; 0 is ""
}

func newMemIndex() *memIndex { return &memIndex{names: []string{""}, ids: map[string]uint32{"": 0}} }

// intern returns the number of name, adding it; m.mu is held.
func (m *memIndex) intern(name string) uint32 {
	if i, ok := m.ids[name]; ok {
		return i
	}
	i := uint32(len(m.names))
	m.names = append(m.names, name)
	m.ids[name] = i
	return i
}

func (m *memIndex) add(rows []exchangeRow) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range rows {
		r := &rows[i]
		m.entries = append(m.entries, memEntry{id: r.id, off: r.off, n: int32(r.n), failed: r.failed != 0,
			direction: m.intern(r.direction), activity: m.intern(r.activity),
			order: m.intern(r.order), instance: m.intern(r.instance), tenant: m.intern(r.tenant)})
	}
}

// find returns the places of the exchanges matching f, newest first.
func (m *memIndex) find(f koomock.ExchangeFilter) []memEntry {
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	// A name never recorded matches nothing.
	var want [5]uint32
	for i, name := range [...]string{string(f.Direction), string(f.Activity), f.OrderID, f.InstanceID, f.TenantID} {
		if name == "" {
			continue
		}
		id, ok := m.ids[name]
		if !ok {
			return nil
		}
		want[i] = id
	}
	direction, activity, order, instance, tenant := want[0], want[1], want[2], want[3], want[4]
	// Entries are in ID order: start below BeforeID, stop at AfterID.
	end := len(m.entries)
	if f.BeforeID > 0 {
		end, _ = slices.BinarySearchFunc(m.entries, f.BeforeID, func(e memEntry, id int64) int { return cmpInt64(e.id, id) })
	}
	var out []memEntry
	for i := end - 1; i >= 0 && len(out) < limit; i-- {
		e := &m.entries[i]
		if f.AfterID > 0 && e.id <= f.AfterID {
			break
		}
		if direction != 0 && e.direction != direction || activity != 0 && e.activity != activity ||
			order != 0 && e.order != order || instance != 0 && e.instance != instance ||
			tenant != 0 && e.tenant != tenant || f.FailedOnly && !e.failed {
			continue
		}
		out = append(out, *e)
	}
	return out
}

// get returns the place of exchange id.
func (m *memIndex) get(id int64) (memEntry, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	i, ok := slices.BinarySearchFunc(m.entries, id, func(e memEntry, id int64) int { return cmpInt64(e.id, id) })
	if !ok {
		return memEntry{}, false
	}
	return m.entries[i], true
}

func (m *memIndex) reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries = nil
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
