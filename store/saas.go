package store

import (
	"context"
	"fmt"

	"github.com/koomock/koomock"
)

// Instances returns the newest instances first, at most limit of them.
func (s *DB) Instances(ctx context.Context, limit int) ([]koomock.Instance, error) {
	return listJSON[koomock.Instance](ctx, s, `SELECT data FROM instances ORDER BY rowid DESC LIMIT ?`, limit)
}

// AddUsage stores pushed usage records in one transaction. A record whose metering_sn is already
// stored is the same record pushed again: it is left as it was and reported in dup.
func (s *DB) AddUsage(ctx context.Context, records []koomock.UsageRecord) (dup []string, err error) {
	tx, err := s.sql.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("add usage: %w", err)
	}
	defer tx.Rollback()
	for _, r := range records {
		res, err := tx.ExecContext(ctx, `INSERT INTO usage_records (metering_sn, instance_id, data) VALUES (?, ?, ?)
			ON CONFLICT (metering_sn) DO NOTHING`, r.MeteringSN, r.InstanceID, mustJSON(r))
		if err != nil {
			return nil, fmt.Errorf("add usage %s: %w", r.MeteringSN, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			dup = append(dup, r.MeteringSN)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("add usage: %w", err)
	}
	return dup, nil
}

// Usage returns every usage record pushed for an instance, oldest first.
func (s *DB) Usage(ctx context.Context, instanceID string) ([]koomock.UsageRecord, error) {
	return listJSON[koomock.UsageRecord](ctx, s, `SELECT data FROM usage_records WHERE instance_id = ? ORDER BY rowid`, instanceID)
}
