package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/koomock/koomock"
)

// ErrExists is returned when creating a record whose key is taken.
var ErrExists = errors.New("already exists")

// CreateOrder stores a new order.
func (s *DB) CreateOrder(ctx context.Context, o koomock.Order) error {
	res, err := s.sql.ExecContext(ctx, `INSERT INTO orders (order_id, instance_id, created_ms, data)
		VALUES (?, ?, ?, ?) ON CONFLICT (order_id) DO NOTHING`,
		o.ID, o.InstanceID, o.CreatedAt.UnixMilli(), mustJSON(o))
	if err != nil {
		return fmt.Errorf("create order %s: %w", o.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("create order %s: %w", o.ID, ErrExists)
	}
	return nil
}

// UpdateOrder replaces a stored order.
func (s *DB) UpdateOrder(ctx context.Context, o koomock.Order) error {
	res, err := s.sql.ExecContext(ctx, `UPDATE orders SET instance_id = ?, data = ? WHERE order_id = ?`,
		o.InstanceID, mustJSON(o), o.ID)
	if err != nil {
		return fmt.Errorf("update order %s: %w", o.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("update order %s: %w", o.ID, ErrNotFound)
	}
	return nil
}

// Order returns the order with the given ID.
func (s *DB) Order(ctx context.Context, id string) (koomock.Order, error) {
	var o koomock.Order
	err := s.getJSON(ctx, &o, `SELECT data FROM orders WHERE order_id = ?`, id)
	if err != nil {
		return o, fmt.Errorf("order %s: %w", id, err)
	}
	return o, nil
}

// Orders returns the newest orders first, at most limit of them.
func (s *DB) Orders(ctx context.Context, limit int) ([]koomock.Order, error) {
	return listJSON[koomock.Order](ctx, s, `SELECT data FROM orders ORDER BY created_ms DESC, order_id LIMIT ?`, limit)
}

// OrdersOfInstance returns every order that names the instance, oldest first.
func (s *DB) OrdersOfInstance(ctx context.Context, instanceID string) ([]koomock.Order, error) {
	return listJSON[koomock.Order](ctx, s, `SELECT data FROM orders WHERE instance_id = ? ORDER BY created_ms, order_id`, instanceID)
}

// PutInstance creates or replaces an instance.
func (s *DB) PutInstance(ctx context.Context, in koomock.Instance) error {
	_, err := s.sql.ExecContext(ctx, `INSERT INTO instances (instance_id, order_id, data) VALUES (?, ?, ?)
		ON CONFLICT (instance_id) DO UPDATE SET order_id = excluded.order_id, data = excluded.data`,
		in.ID, in.OrderID, mustJSON(in))
	if err != nil {
		return fmt.Errorf("put instance %s: %w", in.ID, err)
	}
	return nil
}

// Instance returns the instance with the given ID.
func (s *DB) Instance(ctx context.Context, id string) (koomock.Instance, error) {
	var in koomock.Instance
	err := s.getJSON(ctx, &in, `SELECT data FROM instances WHERE instance_id = ?`, id)
	if err != nil {
		return in, fmt.Errorf("instance %s: %w", id, err)
	}
	return in, nil
}
