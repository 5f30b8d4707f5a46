package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/koomock/koomock"
)

// LicenseWrite is one atomic change to License 2.0 state: codes to create, codes to replace, and
// history events to append.
type LicenseWrite struct {
	Create []koomock.LicenseCode
	Update []koomock.LicenseCode
	Events []koomock.LicenseEvent
}

// WriteLicense applies w in one transaction. Creating a code that exists fails with ErrExists and
// changes nothing; so does replacing one that does not exist, with ErrNotFound. Events get their IDs.
func (s *DB) WriteLicense(ctx context.Context, w LicenseWrite) error {
	// Heartbeats make the event insert the hot statement: it is prepared once, outside the transaction
	// (which holds the only connection). The ID lives in its column only (LicenseEvents puts it back),
	// so each event is one insert.
	insert, err := s.prepare(ctx, &s.insertLicenseEvent, `INSERT INTO license_events (code, kind, at_ms, data) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("write license state: %w", err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		for _, c := range w.Create {
			res, err := tx.ExecContext(ctx, `INSERT INTO license_codes (code, order_id, created_ms, data)
				VALUES (?, ?, ?, ?) ON CONFLICT (code) DO NOTHING`, c.Code, c.OrderID, c.CreatedAt.UnixMilli(), mustJSON(c))
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return fmt.Errorf("license code %s: %w", c.Code, ErrExists)
			}
		}
		for _, c := range w.Update {
			res, err := tx.ExecContext(ctx, `UPDATE license_codes SET order_id = ?, data = ? WHERE code = ?`,
				c.OrderID, mustJSON(c), c.Code)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return fmt.Errorf("license code %s: %w", c.Code, ErrNotFound)
			}
		}
		if len(w.Events) == 0 {
			return nil
		}
		stmt := tx.StmtContext(ctx, insert)
		defer stmt.Close()
		for i := range w.Events {
			ev := &w.Events[i]
			ev.ID = 0
			res, err := stmt.ExecContext(ctx, ev.Code, ev.Kind, ev.At.UnixMilli(), mustJSON(*ev))
			if err != nil {
				return err
			}
			if ev.ID, err = res.LastInsertId(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("write license state: %w", err)
	}
	return nil
}

// LicenseCodes returns every license code, oldest first.
func (s *DB) LicenseCodes(ctx context.Context) ([]koomock.LicenseCode, error) {
	return listJSON[koomock.LicenseCode](ctx, s, `SELECT data FROM license_codes ORDER BY created_ms, code`)
}

// LicenseCode returns one license code.
func (s *DB) LicenseCode(ctx context.Context, code string) (koomock.LicenseCode, error) {
	var c koomock.LicenseCode
	if err := s.getJSON(ctx, &c, `SELECT data FROM license_codes WHERE code = ?`, code); err != nil {
		return c, fmt.Errorf("license code %s: %w", code, err)
	}
	return c, nil
}

// LicenseEvents returns the newest events of a code, newest first, at most limit of them.
func (s *DB) LicenseEvents(ctx context.Context, code string, limit int) ([]koomock.LicenseEvent, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.sql.QueryContext(ctx, `SELECT id, data FROM license_events WHERE code = ? ORDER BY id DESC LIMIT ?`, code, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []koomock.LicenseEvent
	for rows.Next() {
		var id int64
		var data string
		if err := rows.Scan(&id, &data); err != nil {
			return nil, err
		}
		var ev koomock.LicenseEvent
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			return nil, err
		}
		ev.ID = id
		out = append(out, ev)
	}
	return out, rows.Err()
}
