package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/koomock/koomock"
)

// PutCase stores a debug case, assigning its ID when it has none.
func (s *DB) PutCase(ctx context.Context, c *koomock.DebugCase) error {
	if c.ID == 0 {
		res, err := s.sql.ExecContext(ctx, `INSERT INTO debug_cases (product_id, data) VALUES (?, '')`, c.ProductID)
		if err != nil {
			return fmt.Errorf("create debug case: %w", err)
		}
		if c.ID, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("create debug case: %w", err)
		}
	}
	if _, err := s.sql.ExecContext(ctx, `UPDATE debug_cases SET product_id = ?, data = ? WHERE id = ?`, c.ProductID, mustJSON(c), c.ID); err != nil {
		return fmt.Errorf("put debug case %d: %w", c.ID, err)
	}
	return nil
}

// Case returns the debug case with the given ID.
func (s *DB) Case(ctx context.Context, id int64) (koomock.DebugCase, error) {
	var c koomock.DebugCase
	if err := s.getJSON(ctx, &c, `SELECT data FROM debug_cases WHERE id = ?`, id); err != nil {
		return c, fmt.Errorf("debug case %d: %w", id, err)
	}
	return c, nil
}

// Cases returns every debug case, oldest first.
func (s *DB) Cases(ctx context.Context) ([]koomock.DebugCase, error) {
	return listJSON[koomock.DebugCase](ctx, s, `SELECT data FROM debug_cases ORDER BY id`)
}

// DeleteCase deletes a debug case.
func (s *DB) DeleteCase(ctx context.Context, id int64) error {
	res, err := s.sql.ExecContext(ctx, `DELETE FROM debug_cases WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete debug case %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("debug case %d: %w", id, ErrNotFound)
	}
	return nil
}

// ProductState returns whether a product is on sale; a product never frozen is on sale.
func (s *DB) ProductState(ctx context.Context, productID string) (koomock.ProductState, error) {
	var p koomock.ProductState
	err := s.getJSON(ctx, &p, `SELECT data FROM product_states WHERE product_id = ?`, productID)
	if errors.Is(err, ErrNotFound) {
		return koomock.ProductState{ProductID: productID}, nil
	}
	if err != nil {
		return p, fmt.Errorf("product state %s: %w", productID, err)
	}
	return p, nil
}

// PutProductState stores whether a product is on sale.
func (s *DB) PutProductState(ctx context.Context, p koomock.ProductState) error {
	_, err := s.sql.ExecContext(ctx, `INSERT INTO product_states (product_id, data) VALUES (?, ?)
		ON CONFLICT (product_id) DO UPDATE SET data = excluded.data`, p.ProductID, mustJSON(p))
	if err != nil {
		return fmt.Errorf("put product state %s: %w", p.ProductID, err)
	}
	return nil
}
