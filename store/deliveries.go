package store

import (
	"context"
	"fmt"

	"github.com/koomock/koomock"
)

// PutDelivery stores a delivery, assigning its ID when it has none.
func (s *DB) PutDelivery(ctx context.Context, d *koomock.Delivery) error {
	if d.ID == 0 {
		res, err := s.sql.ExecContext(ctx, `INSERT INTO deliveries (status, activity, order_id, instance_id, data)
			VALUES (?, ?, ?, ?, '')`, d.Status, d.Activity, d.OrderID, d.InstanceID)
		if err != nil {
			return fmt.Errorf("create delivery: %w", err)
		}
		if d.ID, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("create delivery: %w", err)
		}
	}
	_, err := s.sql.ExecContext(ctx, `UPDATE deliveries SET status = ?, order_id = ?, instance_id = ?, data = ? WHERE id = ?`,
		d.Status, d.OrderID, d.InstanceID, mustJSON(d), d.ID)
	if err != nil {
		return fmt.Errorf("put delivery %d: %w", d.ID, err)
	}
	return nil
}

// Delivery returns the delivery with the given ID.
func (s *DB) Delivery(ctx context.Context, id int64) (koomock.Delivery, error) {
	var d koomock.Delivery
	if err := s.getJSON(ctx, &d, `SELECT data FROM deliveries WHERE id = ?`, id); err != nil {
		return d, fmt.Errorf("delivery %d: %w", id, err)
	}
	return d, nil
}

// DeliveryFilter selects deliveries; zero fields select everything.
type DeliveryFilter struct {
	Status     koomock.DeliveryStatus
	Activity   string
	OrderID    string
	InstanceID string
	// Limit caps the result; 0 means 100.
	Limit int
}

// Deliveries returns the matching deliveries, newest first.
func (s *DB) Deliveries(ctx context.Context, f DeliveryFilter) ([]koomock.Delivery, error) {
	query := "SELECT data FROM deliveries WHERE 1 = 1"
	var args []any
	for col, v := range map[string]string{"status": string(f.Status), "activity": f.Activity, "order_id": f.OrderID, "instance_id": f.InstanceID} {
		if v != "" {
			query += " AND " + col + " = ?"
			args = append(args, v)
		}
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	return listJSON[koomock.Delivery](ctx, s, query+" ORDER BY id DESC LIMIT ?", append(args, limit)...)
}
