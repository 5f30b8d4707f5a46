package store

import (
	"context"
	"strings"
	"testing"

	"github.com/koomock/koomock"
)

// TestJournalFiltersUseThePartialIndexes guards migration 0500: the order and instance indexes only
// hold rows that name one, so a filter must say "<> ”" or SQLite scans the whole journal.
func TestJournalFiltersUseThePartialIndexes(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tc := range []struct {
		filter koomock.ExchangeFilter
		index  string
	}{
		{koomock.ExchangeFilter{OrderID: "CS1"}, "exchanges_order"},
		{koomock.ExchangeFilter{InstanceID: "i-1"}, "exchanges_instance"},
		{koomock.ExchangeFilter{TenantID: "t-1"}, "exchanges_tenant"},
	} {
		query, args := exchangesQuery(tc.filter)
		rows, err := db.sql.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if !strings.Contains(strings.Join(plan, "; "), tc.index) {
			t.Errorf("%+v: query plan %q does not use %s", tc.filter, plan, tc.index)
		}
	}
}
