package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// SaveClock stores the clock's mode and virtual time.
func (s *DB) SaveClock(ctx context.Context, virtual bool, at time.Time) error {
	_, err := s.sql.ExecContext(ctx, `INSERT INTO clock_state (id, virtual, at) VALUES (1, ?, ?)
		ON CONFLICT (id) DO UPDATE SET virtual = excluded.virtual, at = excluded.at`, virtual, at.UTC().Format(time.RFC3339Nano))
	if err != nil {
		return fmt.Errorf("save the clock: %w", err)
	}
	return nil
}

// LoadClock returns the saved clock state; ok is false when none was saved.
func (s *DB) LoadClock(ctx context.Context) (virtual bool, at time.Time, ok bool, err error) {
	var raw string
	err = s.sql.QueryRowContext(ctx, `SELECT virtual, at FROM clock_state WHERE id = 1`).Scan(&virtual, &raw)
	if errors.Is(err, sql.ErrNoRows) {
		return false, time.Time{}, false, nil
	}
	if err != nil {
		return false, time.Time{}, false, fmt.Errorf("load the clock: %w", err)
	}
	at, err = time.Parse(time.RFC3339Nano, raw)
	if err != nil {
		return false, time.Time{}, false, fmt.Errorf("load the clock: %w", err)
	}
	return virtual, at, true, nil
}
