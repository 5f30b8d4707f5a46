package store

import (
	"context"
	"fmt"

	"github.com/koomock/koomock"
)

// CreateAsset stores a new asset; ErrExists when its ID is taken.
func (s *DB) CreateAsset(ctx context.Context, a koomock.Asset) error {
	res, err := s.sql.ExecContext(ctx, `INSERT INTO assets (id, created_ms, data) VALUES (?, ?, ?)
		ON CONFLICT (id) DO NOTHING`, a.ID, a.CreatedAt.UnixMilli(), mustJSON(a))
	if err != nil {
		return fmt.Errorf("create asset %s: %w", a.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("asset %s: %w", a.ID, ErrExists)
	}
	return nil
}

// PutAsset replaces an asset's record (its versions with it); ErrNotFound when it does not exist.
func (s *DB) PutAsset(ctx context.Context, a koomock.Asset) error {
	res, err := s.sql.ExecContext(ctx, `UPDATE assets SET data = ? WHERE id = ?`, mustJSON(a), a.ID)
	if err != nil {
		return fmt.Errorf("update asset %s: %w", a.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("asset %s: %w", a.ID, ErrNotFound)
	}
	return nil
}

// DeleteAsset removes an asset; ErrNotFound when it does not exist.
func (s *DB) DeleteAsset(ctx context.Context, id string) error {
	res, err := s.sql.ExecContext(ctx, `DELETE FROM assets WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete asset %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("asset %s: %w", id, ErrNotFound)
	}
	return nil
}

// Asset returns one asset.
func (s *DB) Asset(ctx context.Context, id string) (koomock.Asset, error) {
	var a koomock.Asset
	if err := s.getJSON(ctx, &a, `SELECT data FROM assets WHERE id = ?`, id); err != nil {
		return a, fmt.Errorf("asset %s: %w", id, err)
	}
	return a, nil
}

// Assets returns every asset, oldest first.
func (s *DB) Assets(ctx context.Context) ([]koomock.Asset, error) {
	return listJSON[koomock.Asset](ctx, s, `SELECT data FROM assets ORDER BY created_ms, id`)
}
