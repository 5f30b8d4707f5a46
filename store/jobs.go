package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Job is a piece of scheduled work.
type Job struct {
	ID   int64  `json:"id"`
	Kind string `json:"kind"`
	// Key, when set, is unique: scheduling a job with the same key replaces the pending one.
	Key     string          `json:"key,omitempty"`
	DueAt   time.Time       `json:"dueAt"`
	Payload json.RawMessage `json:"payload,omitempty"`
	// Attempt counts the runs of a retried piece of work (1 for the first).
	Attempt   int       `json:"attempt"`
	CreatedAt time.Time `json:"createdAt"`
	// Version changes whenever the job is replaced.
	Version int64 `json:"version"`
}

// PutJob stores a job, replacing the pending job with the same key, and returns it with its ID and
// version.
func (s *DB) PutJob(ctx context.Context, j Job) (Job, error) {
	var key any
	if j.Key != "" {
		key = j.Key
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		row := tx.QueryRowContext(ctx, `INSERT INTO jobs (kind, job_key, due_ms, data) VALUES (?, ?, ?, '')
			ON CONFLICT (job_key) DO UPDATE SET kind = excluded.kind, due_ms = excluded.due_ms, version = version + 1
			RETURNING id, version`, j.Kind, key, j.DueAt.UnixMilli())
		if err := row.Scan(&j.ID, &j.Version); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE jobs SET data = ? WHERE id = ?`, mustJSON(j), j.ID)
		return err
	})
	if err != nil {
		return j, fmt.Errorf("put job %s %q: %w", j.Kind, j.Key, err)
	}
	return j, nil
}

// NextJob returns the job due first.
func (s *DB) NextJob(ctx context.Context) (Job, error) {
	var j Job
	err := s.getJSON(ctx, &j, `SELECT data FROM jobs ORDER BY due_ms, id LIMIT 1`)
	if errors.Is(err, ErrNotFound) {
		return j, ErrNotFound
	}
	return j, err
}

// FinishJob deletes a job that ran, unless it was replaced meanwhile (its version moved on).
func (s *DB) FinishJob(ctx context.Context, j Job) error {
	_, err := s.sql.ExecContext(ctx, `DELETE FROM jobs WHERE id = ? AND version = ?`, j.ID, j.Version)
	if err != nil {
		return fmt.Errorf("finish job %d: %w", j.ID, err)
	}
	return nil
}

// CancelJob deletes the pending job with the given key, if any.
func (s *DB) CancelJob(ctx context.Context, key string) error {
	if _, err := s.sql.ExecContext(ctx, `DELETE FROM jobs WHERE job_key = ?`, key); err != nil {
		return fmt.Errorf("cancel job %q: %w", key, err)
	}
	return nil
}

// Job returns the pending job with the given key.
func (s *DB) Job(ctx context.Context, key string) (Job, error) {
	var j Job
	err := s.getJSON(ctx, &j, `SELECT data FROM jobs WHERE job_key = ?`, key)
	return j, err
}

// Jobs returns pending jobs, soonest first; kind "" means every kind.
func (s *DB) Jobs(ctx context.Context, kind string, limit int) ([]Job, error) {
	if limit <= 0 {
		limit = 100
	}
	if kind == "" {
		return listJSON[Job](ctx, s, `SELECT data FROM jobs ORDER BY due_ms, id LIMIT ?`, limit)
	}
	return listJSON[Job](ctx, s, `SELECT data FROM jobs WHERE kind = ? ORDER BY due_ms, id LIMIT ?`, kind, limit)
}
