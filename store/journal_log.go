package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/koomock/koomock"
)

// The journal is written in two steps (docs/architecture.md, "The journal is durable before the
// answer"). RecordExchanges encodes each exchange once, appends the records to the journal log in one
// write, and returns; a background indexer then inserts one small row per exchange (its lookup
// columns and its record's place in the log) into the exchanges table, in large transactions. The
// log is the journal's record store: reads find a row through the table and its record in the log.
//
// For a database file the log is a file beside it (koomock.db-journal.log). Data written with write(2)
// is in the kernel's page cache at once, so it survives the death of the process (kill -9), as a WAL
// commit with synchronous=NORMAL does; Open indexes the records the table lacks. In memory the log is
// a list of slabs outside the Go heap, and dies with the process like the rest of the store.
//
// Reads of the journal wait until the indexer has caught up with every exchange appended before them,
// so nothing needs a flush.

// logSuffix names the journal log beside the database file.
const logSuffix = "-journal.log"

// journalLog is the append side of the journal and its indexer.
type journalLog struct {
	db  *DB
	log recordLog
	// mem is the index of a memory database, which then has no indexer and no exchanges rows.
	mem *memIndex

	// mu guards the append state: the last ID given, the rows not yet indexed, closed.
	mu      sync.Mutex
	lastID  int64
	pending []exchangeRow
	closed  bool

	// indexing is held while rows move from pending into the table (the indexer, Reset).
	indexing sync.Mutex

	// appended is the highest ID appended.
	appended atomic.Int64
	// progress guards indexed (the highest ID the table holds) and caught, which is closed (and
	// replaced) whenever indexed moves.
	progress sync.Mutex
	indexed  int64
	caught   chan struct{}

	// wake tells the indexer there are rows; hurry that a reader waits for them.
	wake, hurry chan struct{}
	done        chan struct{}
}

// recordBuffers hold a group's records until they are written (the log copies them).
var recordBuffers = sync.Pool{New: func() any { return new([]byte) }}

// indexLinger is how long the indexer lets rows gather before a transaction, unless a reader waits
// for them: larger transactions cost less per row, and nobody waits for the indexer but readers.
const indexLinger = 10 * time.Millisecond

// indexBatch is how many pending rows make the indexer start at once.
const indexBatch = 512

// openJournalLog opens the journal log at path (path "" for memory), indexes what the table lacks,
// and starts the indexer.
func openJournalLog(ctx context.Context, db *DB, path string) (*journalLog, error) {
	var seq int64
	err := db.sql.QueryRowContext(ctx, `SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'exchanges'), 0)`).Scan(&seq)
	if err != nil {
		return nil, fmt.Errorf("journal sequence: %w", err)
	}
	l := &journalLog{db: db, lastID: seq, caught: make(chan struct{}), wake: make(chan struct{}, 1), hurry: make(chan struct{}, 1), done: make(chan struct{})}
	if path == "" {
		l.log, l.mem = &memLog{}, newMemIndex()
	} else {
		var end int64
		err := db.sql.QueryRowContext(ctx, `SELECT COALESCE((SELECT log_off + log_len FROM exchanges WHERE log_len > 0 ORDER BY id DESC LIMIT 1), 0)`).Scan(&end)
		if err != nil {
			return nil, fmt.Errorf("journal log end: %w", err)
		}
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
		if err != nil {
			return nil, fmt.Errorf("open journal log: %w", err)
		}
		fl := &fileLog{f: f}
		lost, err := fl.recover(end, seq)
		if err != nil {
			f.Close()
			return nil, err
		}
		l.log = fl
		if len(lost) > 0 {
			if err := db.insertExchangeRows(ctx, lost); err != nil {
				f.Close()
				return nil, fmt.Errorf("index the journal log: %w", err)
			}
			l.lastID = lost[len(lost)-1].id
		}
	}
	l.appended.Store(l.lastID)
	l.indexed = l.lastID
	go l.index()
	return l, nil
}

// append gives each exchange its ID, writes their records to the log in one write, and queues their
// rows for the indexer. It returns once the write is done: the exchanges are then durable against the
// death of the process, and every read that starts later sees them.
func (l *journalLog) append(list []*koomock.Exchange) error {
	// The JSON is made before the IDs are known, outside the lock: the record's JSON does not hold the
	// ID (the row and the record's header do).
	rows := make([]exchangeRow, len(list))
	bufs := make([]*bytes.Buffer, len(list))
	for i, e := range list {
		bufs[i] = jsonBuffers.Get().(*bytes.Buffer)
		rows[i] = rowOf(e, bufs[i])
	}
	defer func() {
		for _, b := range bufs {
			if b.Cap() <= 64<<10 { // a large one is left to the collector
				jsonBuffers.Put(b)
			}
		}
	}()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return errors.New("journal closed")
	}
	size := 0
	for i := range rows {
		size += recordSize(&rows[i])
	}
	rec := recordBuffers.Get().(*[]byte)
	defer func() {
		if cap(*rec) <= 256<<10 {
			recordBuffers.Put(rec)
		}
	}()
	buf := slices.Grow((*rec)[:0], size)
	for i := range rows {
		rows[i].id = l.lastID + int64(i) + 1
		start := len(buf)
		buf = appendRecord(buf, &rows[i])
		rows[i].off, rows[i].n, rows[i].data = int64(start), int64(len(buf)-start), nil
	}
	*rec = buf
	base, err := l.log.write(buf)
	if err != nil {
		return fmt.Errorf("append to journal log: %w", err)
	}
	for i, e := range list {
		rows[i].off += base
		e.ID = rows[i].id
	}
	l.lastID += int64(len(list))
	if l.mem != nil {
		l.mem.add(rows)
		return nil
	}
	l.pending = append(l.pending, rows...)
	l.appended.Store(l.lastID)
	select {
	case l.wake <- struct{}{}:
	default:
	}
	return nil
}

// index is the indexer: it inserts the rows appended, in one transaction per turn, until closed.
func (l *journalLog) index() {
	defer close(l.done)
	linger := time.NewTimer(indexLinger)
	linger.Stop()
	for {
		_, open := <-l.wake
		if open && l.queued() < indexBatch {
			linger.Reset(indexLinger)
			select {
			case <-linger.C:
			case <-l.hurry:
				linger.Stop()
			}
		}
		l.indexing.Lock()
		l.mu.Lock()
		rows := l.pending
		l.pending = nil
		l.mu.Unlock()
		if len(rows) > 0 {
			// The records are in the log: on a failure try again rather than drop the rows.
			for l.db.insertExchangeRows(context.Background(), rows) != nil {
				time.Sleep(100 * time.Millisecond)
			}
			l.advance(rows[len(rows)-1].id)
		}
		l.indexing.Unlock()
		if !open {
			return
		}
	}
}

func (l *journalLog) queued() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.pending)
}

func (l *journalLog) advance(id int64) {
	l.progress.Lock()
	if id > l.indexed {
		l.indexed = id
		close(l.caught)
		l.caught = make(chan struct{})
	}
	l.progress.Unlock()
}

// wait returns once the table holds every exchange appended before it was called.
func (l *journalLog) wait(ctx context.Context) error {
	if l.mem != nil {
		return nil // indexed as appended
	}
	target := l.appended.Load()
	for {
		l.progress.Lock()
		indexed, caught := l.indexed, l.caught
		l.progress.Unlock()
		if indexed >= target {
			return nil
		}
		select {
		case l.hurry <- struct{}{}:
		default:
		}
		select {
		case <-caught:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// reset runs del (which deletes the table's rows) with appends held and the indexer idle, after
// indexing what is pending, then empties the log.
func (l *journalLog) reset(del func() error) error {
	l.indexing.Lock()
	defer l.indexing.Unlock()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.pending) > 0 {
		if err := l.db.insertExchangeRows(context.Background(), l.pending); err != nil {
			return err
		}
		l.advance(l.pending[len(l.pending)-1].id)
		l.pending = nil
	}
	if err := del(); err != nil {
		return err
	}
	if l.mem != nil {
		l.mem.reset()
	}
	// A crash between the delete and this leaves records no row names: Open skips them by ID.
	return l.log.truncate()
}

// read returns the JSON of the record at off, n bytes long.
func (l *journalLog) read(off, n int64) ([]byte, error) {
	rec, err := l.log.readAt(off, n)
	if err != nil {
		return nil, err
	}
	r, ok := decodeRecord(rec)
	if !ok {
		return nil, fmt.Errorf("journal log: bad record at %d", off)
	}
	return r, nil
}

// close indexes what is pending and stops the indexer.
func (l *journalLog) close() {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return
	}
	l.closed = true
	close(l.wake)
	l.mu.Unlock()
	select {
	case l.hurry <- struct{}{}:
	default:
	}
	<-l.done
	l.log.close()
}
