package store

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
)

// maxCachedStmts bounds the statement cache; the store's queries are constants, or built from a
// handful of filter combinations (the journal's), so it is never reached in practice.
const maxCachedStmts = 512

// stmtDB is the database with every query outside a transaction prepared once and kept: SQLite
// compiles a statement on each unprepared call, and on the hot paths (the identity provider's token
// endpoint reads and writes a few rows per call) compiling cost as much as running.
type stmtDB struct {
	*sql.DB
	stmts sync.Map // query to *sql.Stmt
	count atomic.Int64
}

// stmt returns the statement prepared for query, preparing it on first use; nil when the cache is full
// or the query does not prepare (the caller then runs it unprepared, which reports the error).
func (d *stmtDB) stmt(ctx context.Context, query string) *sql.Stmt {
	if v, ok := d.stmts.Load(query); ok {
		return v.(*sql.Stmt)
	}
	if d.count.Load() >= maxCachedStmts {
		return nil
	}
	st, err := d.DB.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	if v, loaded := d.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return v.(*sql.Stmt)
	}
	d.count.Add(1)
	return st
}

// ExecContext runs query through its prepared statement.
func (d *stmtDB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := d.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return d.DB.ExecContext(ctx, query, args...)
}

// QueryContext runs query through its prepared statement.
func (d *stmtDB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := d.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return d.DB.QueryContext(ctx, query, args...)
}

// QueryRowContext runs query through its prepared statement.
func (d *stmtDB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := d.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return d.DB.QueryRowContext(ctx, query, args...)
}

// Close closes the statements, then the database.
func (d *stmtDB) Close() error {
	d.stmts.Range(func(_, v any) bool {
		v.(*sql.Stmt).Close()
		return true
	})
	return d.DB.Close()
}
