package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/koomock/koomock"
)

// Exchange returns the journal entry with the given ID.
func (s *DB) Exchange(ctx context.Context, id int64) (koomock.Exchange, error) {
	if m := s.journal.mem; m != nil {
		if err := ctx.Err(); err != nil { // as a query would
			return koomock.Exchange{}, fmt.Errorf("exchange %d: %w", id, err)
		}
		place, ok := m.get(id)
		if !ok {
			return koomock.Exchange{}, fmt.Errorf("exchange %d: %w", id, ErrNotFound)
		}
		list, err := s.readMemExchanges([]memEntry{place})
		if err != nil {
			return koomock.Exchange{}, err
		}
		return list[0], nil
	}
	if err := s.journal.wait(ctx); err != nil {
		return koomock.Exchange{}, fmt.Errorf("exchange %d: %w", id, err)
	}
	rows, err := s.sql.QueryContext(ctx, `SELECT id, data, log_off, log_len FROM exchanges WHERE id = ?`, id)
	if err != nil {
		return koomock.Exchange{}, fmt.Errorf("exchange %d: %w", id, err)
	}
	list, err := s.scanExchanges(rows)
	if err == nil && len(list) == 0 {
		err = ErrNotFound
	}
	if err != nil {
		return koomock.Exchange{}, fmt.Errorf("exchange %d: %w", id, err)
	}
	return list[0], nil
}

// Exchanges returns the matching journal entries, newest first.
func (s *DB) Exchanges(ctx context.Context, f koomock.ExchangeFilter) ([]koomock.Exchange, error) {
	if m := s.journal.mem; m != nil {
		if err := ctx.Err(); err != nil { // as a query would
			return nil, err
		}
		return s.readMemExchanges(m.find(f))
	}
	if err := s.journal.wait(ctx); err != nil {
		return nil, err
	}
	query, args := exchangesQuery(f)
	rows, err := s.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return s.scanExchanges(rows)
}

// exchangesQuery builds the journal query for a filter, its last argument the limit.
func exchangesQuery(f koomock.ExchangeFilter) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		where = append(where, cond)
		args = append(args, v)
	}
	if f.Direction != "" {
		add("direction = ?", f.Direction)
	}
	if f.Activity != "" {
		add("activity = ?", f.Activity)
	}
	if f.OrderID != "" {
		// "<> ''" lets SQLite use the partial index (migration 0500).
		add("order_id = ? AND order_id <> ''", f.OrderID)
	}
	if f.InstanceID != "" {
		add("instance_id = ? AND instance_id <> ''", f.InstanceID)
	}
	if f.TenantID != "" {
		add("tenant_id = ? AND tenant_id <> ''", f.TenantID)
	}
	if f.FailedOnly {
		add("failed = ?", 1)
	}
	if f.BeforeID > 0 {
		add("id < ?", f.BeforeID)
	}
	if f.AfterID > 0 {
		add("id > ?", f.AfterID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	query := "SELECT id, data, log_off, log_len FROM exchanges"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY id DESC LIMIT ?"
	return query, append(args, limit)
}

// RecordExchanges appends several exchanges to the journal, setting their IDs, and returns once they
// are durable against the death of the process: written to the journal log (a file database) or
// queued in memory, and readable by every later read (see journal_log.go).
func (s *DB) RecordExchanges(_ context.Context, list []*koomock.Exchange) error {
	if err := s.journal.append(list); err != nil {
		return fmt.Errorf("record %d exchanges: %w", len(list), err)
	}
	return nil
}

// readMemExchanges reads the exchanges at places in a memory journal.
func (s *DB) readMemExchanges(places []memEntry) ([]koomock.Exchange, error) {
	var out []koomock.Exchange
	for _, p := range places {
		data, err := s.journal.read(p.off, int64(p.n))
		if err != nil {
			return nil, fmt.Errorf("exchange %d: %w", p.id, err)
		}
		var e koomock.Exchange
		if err := json.Unmarshal(data, &e); err != nil {
			return nil, err
		}
		e.ID = p.id
		out = append(out, e)
	}
	return out, nil
}

// scanExchanges reads rows of (id, data, log_off, log_len) into exchanges: the JSON from the row, or
// from the journal log where the row names a record there; the ID from its column.
func (s *DB) scanExchanges(rows *sql.Rows) ([]koomock.Exchange, error) {
	defer rows.Close()
	var out []koomock.Exchange
	for rows.Next() {
		var id, off, n int64
		var data []byte
		if err := rows.Scan(&id, &data, &off, &n); err != nil {
			return nil, err
		}
		if n > 0 {
			var err error
			if data, err = s.journal.read(off, n); err != nil {
				return nil, fmt.Errorf("exchange %d: %w", id, err)
			}
		}
		var e koomock.Exchange
		if err := json.Unmarshal(data, &e); err != nil {
			return nil, err
		}
		e.ID = id
		out = append(out, e)
	}
	return out, rows.Err()
}
