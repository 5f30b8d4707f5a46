package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/koomock/koomock"
)

// Exchange returns the journal entry with the given ID.
func (s *DB) Exchange(ctx context.Context, id int64) (koomock.Exchange, error) {
	var e koomock.Exchange
	if err := s.getJSON(ctx, &e, `SELECT data FROM exchanges WHERE id = ?`, id); err != nil {
		return e, fmt.Errorf("exchange %d: %w", id, err)
	}
	return e, nil
}

// Exchanges returns the matching journal entries, newest first.
func (s *DB) Exchanges(ctx context.Context, f koomock.ExchangeFilter) ([]koomock.Exchange, error) {
	query, args := exchangesQuery(f)
	return listJSON[koomock.Exchange](ctx, s, query, args...)
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
	query := "SELECT data FROM exchanges"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY id DESC LIMIT ?"
	return query, append(args, limit)
}

// RecordExchanges appends several exchanges to the journal in one transaction, setting their IDs. The
// ID is part of the stored record, so it is taken before the insert: writes are serialised on the one
// connection, and the next ID follows the table's AUTOINCREMENT sequence, so one prepared insert per
// exchange suffices (this is the journal's hot path: every call a seller makes lands here).
func (s *DB) RecordExchanges(ctx context.Context, list []*koomock.Exchange) error {
	insert, err := s.prepare(ctx, &s.insertExchange, `INSERT INTO exchanges
		(id, started_ms, direction, activity, order_id, instance_id, tenant_id, failed, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("record %d exchanges: %w", len(list), err)
	}
	lastID, err := s.prepare(ctx, &s.lastExchangeID, `SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'exchanges'), 0)`)
	if err != nil {
		return fmt.Errorf("record %d exchanges: %w", len(list), err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var last int64
		if err := tx.StmtContext(ctx, lastID).QueryRowContext(ctx).Scan(&last); err != nil {
			return err
		}
		stmt := tx.StmtContext(ctx, insert)
		defer stmt.Close()
		for _, e := range list {
			last++
			e.ID = last
			failed := 0
			if e.Failed() {
				failed = 1
			}
			if _, err := stmt.ExecContext(ctx, e.ID, e.StartedAt.UnixMilli(), e.Direction, e.Activity, e.OrderID, e.InstanceID, e.TenantID, failed, mustJSON(e)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		for _, e := range list {
			e.ID = 0
		}
		return fmt.Errorf("record %d exchanges: %w", len(list), err)
	}
	return nil
}
