package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/store"
)

// fill sets every exported field reachable from v (structs, pointers, slices, maps) to a value that
// is not its zero, so that a round trip that drops a field, including one added later, shows.
func fill(t *testing.T, v reflect.Value, path string) {
	t.Helper()
	if v.Type() == reflect.TypeOf(time.Time{}) {
		v.Set(reflect.ValueOf(time.Date(2026, 12, 4, 20, 0, 0, 123456789, time.UTC)))
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() || f.Tag.Get("json") == "-" {
				continue
			}
			fill(t, v.Field(i), path+"."+f.Name)
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem(), path)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(t, v.Index(0), path+"[0]")
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(t, k, path+"{key}")
		fill(t, e, path+"{}")
		v.SetMapIndex(k, e)
	case reflect.String:
		v.SetString("x" + path)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(7)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(7)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(7.5)
	default:
		t.Fatalf("%s: a %s field: teach fill (and check the journal keeps it)", path, v.Kind())
	}
}

// TestJournalKeepsEveryField: an exchange with every field set reads back equal, from memory and
// from a file, before and after a reopen.
func TestJournalKeepsEveryField(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "koomock.db")
	for _, p := range []string{store.Memory, path} {
		var want koomock.Exchange
		fill(t, reflect.ValueOf(&want).Elem(), "Exchange")
		db := mustOpen(t, p)
		e := want
		if err := db.RecordExchanges(ctx, []*koomock.Exchange{&e}); err != nil {
			t.Fatal(err)
		}
		want.ID = e.ID
		got, err := db.Exchange(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: read back\n%+v\nwant\n%+v", p, got, want)
		}
		if p == path {
			db.Close()
			db = mustOpen(t, p)
			if got, err = db.Exchange(ctx, e.ID); err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("after reopen: %+v, %v", got, err)
			}
		}
	}
}

// TestJournalLogIsReplayed: records in the log that the table lacks (the process died before the
// indexer took them) are in the journal after a reopen; a torn last record is cut off, and the next
// exchange follows the last whole one.
func TestJournalLogIsReplayed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "koomock.db")
	db := mustOpen(t, path)
	for i := range 3 {
		e := &koomock.Exchange{Direction: koomock.Inbound, Activity: "licenseHeartbeat", InstanceID: "PL" + string(rune('a'+i))}
		if err := db.RecordExchanges(ctx, []*koomock.Exchange{e}); err != nil {
			t.Fatal(err)
		}
	}
	// A copy of the log as it stood with three records, before the indexer's rows.
	raw, err := os.ReadFile(path + "-journal.log")
	if err != nil || len(raw) == 0 {
		t.Fatalf("journal log: %d bytes, %v", len(raw), err)
	}
	db.Close()
	// A fresh database with that log beside it, plus half of a fourth record.
	path2 := filepath.Join(dir, "again.db")
	torn := append(append([]byte{}, raw...), raw[:len(raw)/3/2]...)
	if err := os.WriteFile(path2+"-journal.log", torn, 0o600); err != nil {
		t.Fatal(err)
	}
	db2 := mustOpen(t, path2)
	list, err := db2.Exchanges(ctx, koomock.ExchangeFilter{Activity: "licenseHeartbeat"})
	if err != nil || len(list) != 3 || list[0].ID != 3 || list[0].InstanceID != "PLc" || list[2].InstanceID != "PLa" {
		t.Fatalf("replayed journal = %+v, %v", list, err)
	}
	e := &koomock.Exchange{Direction: koomock.Outbound, Activity: "newInstance"}
	if err := db2.RecordExchanges(ctx, []*koomock.Exchange{e}); err != nil || e.ID != 4 {
		t.Fatalf("next exchange: ID %d, %v", e.ID, err)
	}
	db2.Close()
	db3 := mustOpen(t, path2)
	if list, err := db3.Exchanges(ctx, koomock.ExchangeFilter{}); err != nil || len(list) != 4 || list[0].Activity != "newInstance" {
		t.Fatalf("after another reopen: %+v, %v", list, err)
	}
}

// TestResetEmptiesTheJournalLog: after Reset the journal is empty, IDs keep counting, and a reopen
// brings nothing back.
func TestResetEmptiesTheJournalLog(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "koomock.db")
	db := mustOpen(t, path)
	first := &koomock.Exchange{Activity: "orderQuery"}
	db.RecordExchanges(ctx, []*koomock.Exchange{first})
	if err := db.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	second := &koomock.Exchange{Activity: "orderQuery"}
	db.RecordExchanges(ctx, []*koomock.Exchange{second})
	if second.ID <= first.ID {
		t.Errorf("IDs restarted: %d after %d", second.ID, first.ID)
	}
	db.Close()
	db = mustOpen(t, path)
	list, err := db.Exchanges(ctx, koomock.ExchangeFilter{})
	if err != nil || len(list) != 1 || list[0].ID != second.ID {
		t.Fatalf("after reset and reopen: %+v, %v", list, err)
	}
}

// TestJournalFiltersAgreeInMemoryAndInAFile: the memory journal's index answers every filter as the
// file journal's SQL does.
func TestJournalFiltersAgreeInMemoryAndInAFile(t *testing.T) {
	ctx := context.Background()
	mem := mustOpen(t, store.Memory)
	file := mustOpen(t, filepath.Join(t.TempDir(), "koomock.db"))
	for i := range 60 {
		e := koomock.Exchange{Direction: koomock.Inbound, Activity: []protocol.Activity{"orderQuery", "licenseHeartbeat", "tenantSync"}[i%3]}
		if i%4 == 0 {
			e.Direction = koomock.Outbound
		}
		if i%5 == 0 {
			e.OrderID = "CS" + string(rune('0'+i%2))
		}
		if i%7 == 0 {
			e.InstanceID = "PL" + string(rune('0'+i%3))
		}
		if i%6 == 0 {
			e.TenantID = "t-1"
		}
		if i%9 == 0 {
			e.Judge(koomock.RuleIdempotent, koomock.Fail, "failed")
		}
		for _, db := range []*store.DB{mem, file} {
			c := e
			if err := db.RecordExchanges(ctx, []*koomock.Exchange{&c}); err != nil {
				t.Fatal(err)
			}
		}
	}
	filters := []koomock.ExchangeFilter{{}, {Limit: 7}, {Direction: koomock.Outbound}, {Activity: "tenantSync"},
		{Activity: "nothing"}, {Direction: "sideways"}, {OrderID: "CS0"}, {OrderID: "CS1", Direction: koomock.Inbound},
		{InstanceID: "PL1"}, {TenantID: "t-1", Activity: "orderQuery"}, {FailedOnly: true}, {BeforeID: 30, Limit: 5},
		{AfterID: 50}, {AfterID: 10, BeforeID: 20}, {BeforeID: 1}, {AfterID: 60}, {BeforeID: 1000, Activity: "licenseHeartbeat", Limit: 3}}
	for _, f := range filters {
		ids := func(db *store.DB) []int64 {
			list, err := db.Exchanges(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, e := range list {
				out = append(out, e.ID)
			}
			return out
		}
		if m, f2 := ids(mem), ids(file); !reflect.DeepEqual(m, f2) {
			t.Errorf("%+v: memory %v, file %v", f, m, f2)
		}
	}
	if _, err := mem.Exchange(ctx, 61); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("memory exchange 61: %v", err)
	}
}
