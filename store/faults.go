package store

import (
	"context"
	"fmt"

	"github.com/koomock/koomock"
)

// PutFault stores a fault, assigning its ID when it has none.
func (s *DB) PutFault(ctx context.Context, f *koomock.Fault) error {
	if f.ID == 0 {
		res, err := s.sql.ExecContext(ctx, `INSERT INTO faults (data) VALUES ('')`)
		if err != nil {
			return fmt.Errorf("put fault: %w", err)
		}
		if f.ID, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("put fault: %w", err)
		}
	}
	if _, err := s.sql.ExecContext(ctx, `UPDATE faults SET data = ? WHERE id = ?`, mustJSON(f), f.ID); err != nil {
		return fmt.Errorf("put fault %d: %w", f.ID, err)
	}
	return nil
}

// DeleteFault deletes a fault; deleting a missing one is not an error.
func (s *DB) DeleteFault(ctx context.Context, id int64) error {
	if _, err := s.sql.ExecContext(ctx, `DELETE FROM faults WHERE id = ?`, id); err != nil {
		return fmt.Errorf("delete fault %d: %w", id, err)
	}
	return nil
}

// Faults returns every stored fault, oldest first.
func (s *DB) Faults(ctx context.Context) ([]koomock.Fault, error) {
	return listJSON[koomock.Fault](ctx, s, `SELECT data FROM faults ORDER BY id`)
}
