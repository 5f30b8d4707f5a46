package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Reset deletes every record (orders, instances, the journal, jobs, faults, usage, tenants and their
// apps, orgs, users and grants, license codes and events, deliveries, debug cases, product states)
// in one transaction, keeping the schema: back to a freshly created database. The tables are read
// from the schema, so a table a later migration adds is reset too. IDs keep counting up
// (AUTOINCREMENT remembers them), so that an event stream resuming from an ID cannot take a new
// exchange for one it already has.
func (s *DB) Reset(ctx context.Context) error {
	// The journal holds appends while the tables are emptied, then empties its log.
	defer s.joint.invalidate()
	return s.journal.reset(func() error { return s.resetTables(ctx) })
}

func (s *DB) resetTables(ctx context.Context) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT name FROM sqlite_master
			WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name`)
		if err != nil {
			return fmt.Errorf("reset: list tables: %w", err)
		}
		var tables []string
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				rows.Close()
				return err
			}
			tables = append(tables, name)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, t := range tables {
			// The names come from the schema itself, not from a caller.
			if _, err := tx.ExecContext(ctx, `DELETE FROM "`+t+`"`); err != nil {
				return fmt.Errorf("reset %s: %w", t, err)
			}
		}
		return nil
	})
}
