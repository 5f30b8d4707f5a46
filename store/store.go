// Package store is koomock's persistence: SQLite through modernc.org/sqlite (pure Go, so the binary
// runs in a scratch image), with the schema migrations in migrations/ applied on open.
//
// Migrations are named NNNN_topic.sql and applied once each, in name order, each in its own
// transaction. Number ranges keep flows apart: 0001-0099 core, 0100s SaaS lifecycle, 0200s joint
// operation, 0300s license, 0400s delivery and debugging, 0500s the journal, 0600s the asset centre
// (docs/architecture.md keeps the same list; a new flow takes the next free hundred).
package store

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// memdbSeq names in-memory databases: each Open of Memory gets a database of its own.
var memdbSeq atomic.Int64

// Memory is the path that opens a private in-memory database.
const Memory = ":memory:"

// ErrNotFound is returned when a looked-up record does not exist.
var ErrNotFound = errors.New("not found")

// DB is an open koomock database. It is safe for concurrent use.
type DB struct {
	sql *stmtDB

	// prepared guards the statements prepared once for hot paths.
	prepared           sync.Mutex
	insertExchanges    [len(insertSizes)]*sql.Stmt
	insertLicenseEvent *sql.Stmt

	// journal is the journal's log and indexer (journal_log.go).
	journal *journalLog
	// joint remembers tenants and apps as read (joint_cache.go).
	joint jointCache

	// lock is this process's exclusive hold on a database file; nil in memory.
	lock *lockFile
}

// Open opens (creating if needed) the database at path, or a private in-memory one for Memory, and
// applies pending migrations. A database file is held by one DB at a time: while one is open, Open
// of the same file, from this process or another, returns an *InUseError naming the holder's PID.
func Open(ctx context.Context, path string) (*DB, error) {
	dsn, err := dataSource(path)
	if err != nil {
		return nil, err
	}
	var lock *lockFile
	if path != Memory && path != "" {
		if lock, err = acquireLock(path); err != nil {
			return nil, err
		}
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		lock.release()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// One connection: an in-memory database exists per connection, and SQLite serialises writers
	// anyway; a single connection also makes every read see every acknowledged write.
	db.SetMaxOpenConns(1)
	s := &DB{sql: &stmtDB{DB: db}, lock: lock}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("migrate database %s: %w", path, err)
	}
	logPath := ""
	if lock != nil {
		logPath = path + logSuffix
	}
	if s.journal, err = openJournalLog(ctx, s, logPath); err != nil {
		s.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return s, nil
}

func dataSource(path string) (string, error) {
	pragmas := "_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)"
	if path == Memory || path == "" {
		// The memdb VFS keeps the database in one memory file behind an ordinary page cache. SQLite's
		// classic ":memory:" keeps every page in the page cache instead, and then pays, on each commit,
		// a scan of a cache as large as the whole database: the journal made commits slower and slower.
		return fmt.Sprintf("file:/koomock-%d?vfs=memdb&", memdbSeq.Add(1)) + pragmas, nil
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return "", fmt.Errorf("create database directory: %w", err)
		}
	}
	// WAL keeps readers and the writer from blocking each other; synchronous=NORMAL under WAL still
	// never loses a committed transaction on an application crash.
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + pragmas +
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)", nil
}

// Close closes the database.
func (s *DB) Close() error {
	if s.journal != nil {
		s.journal.close() // indexes what is pending first
	}
	s.prepared.Lock()
	for _, stmt := range append(s.insertExchanges[:], s.insertLicenseEvent) {
		if stmt != nil {
			stmt.Close()
		}
	}
	s.prepared.Unlock()
	err := s.sql.Close()
	// After SQLite has let go of the file: the next holder must find it closed.
	s.lock.release()
	return err
}

// prepare returns the statement prepared once into *stmt. It must not be called inside a transaction:
// the transaction holds the only connection.
func (s *DB) prepare(ctx context.Context, stmt **sql.Stmt, query string) (*sql.Stmt, error) {
	s.prepared.Lock()
	defer s.prepared.Unlock()
	if *stmt == nil {
		p, err := s.sql.PrepareContext(ctx, query)
		if err != nil {
			return nil, err
		}
		*stmt = p
	}
	return *stmt, nil
}

func (s *DB) migrate(ctx context.Context) error {
	if _, err := s.sql.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_ms INTEGER NOT NULL)`); err != nil {
		return err
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		var n int
		if err := s.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE name = ?`, base).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		script, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		err = s.inTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, string(script)); err != nil {
				return fmt.Errorf("%s: %w", base, err)
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_ms) VALUES (?, ?)`,
				base, time.Now().UnixMilli())
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// inTx runs fn in a transaction, committing when it returns nil.
func (s *DB) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// getJSON reads the data column of the single row query returns into v.
func (s *DB) getJSON(ctx context.Context, v any, query string, args ...any) error {
	var data string
	err := s.sql.QueryRowContext(ctx, query, args...).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	return json.Unmarshal([]byte(data), v)
}

// listJSON reads the data column of every row query returns, decoding each with add.
func listJSON[T any](ctx context.Context, s *DB, query string, args ...any) ([]T, error) {
	rows, err := s.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		var v T
		if err := json.Unmarshal([]byte(data), &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		// Every record type is plain data that always marshals; failing here is a programming error.
		panic(fmt.Sprintf("store: marshal %T: %v", v, err))
	}
	return string(b)
}
