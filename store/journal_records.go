package store

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/koomock/koomock"
)

// exchangeRow is one exchange as the indexer inserts it: its lookup columns, its JSON, and where its
// record is in the log.
type exchangeRow struct {
	id, startedMs, failed                        int64
	direction, activity, order, instance, tenant string
	data                                         []byte
	off, n                                       int64
}

// jsonBuffers hold exchanges' JSON until it is copied into their records.
var jsonBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// rowOf makes the row of e, its JSON in buf (from jsonBuffers): encoding/json's own encoding of the
// exchange, as json.Marshal makes it.
func rowOf(e *koomock.Exchange, buf *bytes.Buffer) exchangeRow {
	buf.Reset()
	if err := json.NewEncoder(buf).Encode(e); err != nil {
		// Exchanges are plain data that always encode; failing here is a programming error.
		panic(fmt.Sprintf("store: encode exchange: %v", err))
	}
	// The ID is given after the JSON is made: the JSON's "id" is not read back, the row's is.
	r := exchangeRow{startedMs: e.StartedAt.UnixMilli(), direction: string(e.Direction), activity: string(e.Activity),
		order: e.OrderID, instance: e.InstanceID, tenant: e.TenantID, data: bytes.TrimSuffix(buf.Bytes(), []byte("\n"))}
	if e.Failed() {
		r.failed = 1
	}
	return r
}

// A record is its payload's length and CRC-32C (4 bytes each, little endian), then the payload: the
// ID, start time and failed flag as varints, then the six strings (direction, activity, order,
// instance, tenant, the exchange's JSON), each as a uvarint length and its bytes. The JSON is the
// exchange's own encoding (encoding/json over koomock.Exchange), so every field, including fields
// added later, is kept without a change here.
func appendRecord(buf []byte, r *exchangeRow) []byte {
	start := len(buf)
	buf = append(buf, 0, 0, 0, 0, 0, 0, 0, 0)
	buf = binary.AppendVarint(buf, r.id)
	buf = binary.AppendVarint(buf, r.startedMs)
	buf = binary.AppendVarint(buf, r.failed)
	for _, s := range [...]string{r.direction, r.activity, r.order, r.instance, r.tenant} {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	buf = binary.AppendUvarint(buf, uint64(len(r.data)))
	buf = append(buf, r.data...)
	payload := buf[start+8:]
	binary.LittleEndian.PutUint32(buf[start:], uint32(len(payload)))
	binary.LittleEndian.PutUint32(buf[start+4:], crc32.Checksum(payload, crcTable))
	return buf
}

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// recordSize bounds the size of r's record, for the buffer.
func recordSize(r *exchangeRow) int {
	return 8 + 3*binary.MaxVarintLen64 + 6*binary.MaxVarintLen32 +
		len(r.direction) + len(r.activity) + len(r.order) + len(r.instance) + len(r.tenant) + len(r.data)
}

// checkRecord returns the payload of the whole record rec, false when it is torn or corrupt.
func checkRecord(rec []byte) ([]byte, bool) {
	if len(rec) < 8 || int(binary.LittleEndian.Uint32(rec)) != len(rec)-8 {
		return nil, false
	}
	payload := rec[8:]
	return payload, crc32.Checksum(payload, crcTable) == binary.LittleEndian.Uint32(rec[4:])
}

// decodeRecord returns the exchange JSON of the record rec.
func decodeRecord(rec []byte) ([]byte, bool) {
	payload, ok := checkRecord(rec)
	if !ok {
		return nil, false
	}
	var r exchangeRow
	var data []byte
	return data, parseRecord(payload, &r, &data)
}

// parseRecord reads a payload into r, and the JSON into *data (aliasing payload).
func parseRecord(p []byte, r *exchangeRow, data *[]byte) bool {
	for _, v := range [...]*int64{&r.id, &r.startedMs, &r.failed} {
		x, n := binary.Varint(p)
		if n <= 0 {
			return false
		}
		*v, p = x, p[n:]
	}
	for i, s := range [...]*string{&r.direction, &r.activity, &r.order, &r.instance, &r.tenant, nil} {
		size, n := binary.Uvarint(p)
		if n <= 0 || uint64(len(p)-n) < size {
			return false
		}
		field := p[n : n+int(size)]
		p = p[n+int(size):]
		if i == 5 {
			*data = field
		} else {
			*s = string(field)
		}
	}
	return len(p) == 0
}

// recordLog is where the records are: a file, or memory.
type recordLog interface {
	// write appends buf, whole records, and returns the offset of its first byte. Calls are serialised.
	write(buf []byte) (int64, error)
	// readAt returns the n bytes at off (a record written before).
	readAt(off, n int64) ([]byte, error)
	// truncate empties the log (Reset).
	truncate() error
	close() error
}

// fileLog is the journal log of a database file.
type fileLog struct {
	f    *os.File // opened O_APPEND
	size int64
}

func (l *fileLog) write(buf []byte) (int64, error) {
	off := l.size
	n, err := l.f.Write(buf)
	if err != nil {
		// A partial write leaves a torn record, which the next write must not follow: cut it off.
		if n > 0 && l.f.Truncate(off) != nil {
			l.size += int64(n)
		}
		return 0, err
	}
	l.size += int64(n)
	return off, nil
}

func (l *fileLog) readAt(off, n int64) ([]byte, error) {
	b := make([]byte, n)
	if _, err := l.f.ReadAt(b, off); err != nil {
		return nil, fmt.Errorf("journal log: read at %d: %w", off, err)
	}
	return b, nil
}

func (l *fileLog) truncate() error {
	if err := l.f.Truncate(0); err != nil {
		return err
	}
	l.size = 0
	return nil
}

func (l *fileLog) close() error { return l.f.Close() }

// recover reads the records from end (where the table's last record ends) on, returns the rows of
// those the table lacks (IDs above seq), and cuts off a torn or corrupt tail: a record cut by a
// crash inside its write was never acknowledged.
func (l *fileLog) recover(end, seq int64) ([]exchangeRow, error) {
	if _, err := l.f.Seek(end, io.SeekStart); err != nil {
		return nil, fmt.Errorf("read journal log: %w", err)
	}
	br := bufio.NewReader(l.f)
	good := end
	var rows []exchangeRow
	for {
		var head [8]byte
		if _, err := io.ReadFull(br, head[:]); err != nil {
			break
		}
		n := int64(binary.LittleEndian.Uint32(head[:]))
		if n > 1<<30 {
			break
		}
		rec := make([]byte, 8+n)
		copy(rec, head[:])
		if _, err := io.ReadFull(br, rec[8:]); err != nil {
			break
		}
		payload, ok := checkRecord(rec)
		var r exchangeRow
		var data []byte
		if !ok || !parseRecord(payload, &r, &data) {
			break
		}
		r.data = nil // the row names the record; the JSON stays in the log
		r.off, r.n = good, 8+n
		if r.id > seq {
			rows = append(rows, r)
		}
		good += 8 + n
	}
	st, err := l.f.Stat()
	if err != nil {
		return nil, fmt.Errorf("journal log: %w", err)
	}
	if st.Size() > good {
		if err := l.f.Truncate(good); err != nil {
			return nil, fmt.Errorf("journal log: cut a torn record: %w", err)
		}
	}
	if st.Size() < good {
		return nil, errors.New("journal log: shorter than the records the database names")
	}
	l.size = good
	return rows, nil
}

// slabSize is the size of the memory log's slabs; a larger record gets a slab of its own.
const slabSize = 4 << 20

// memLog is the journal log of a memory database: slabs outside the Go heap. An offset is the slab's
// index (high 32 bits) and the position in it.
type memLog struct {
	mu    sync.RWMutex
	slabs [][]byte
	frees []func()
	used  int // of the last slab
}

func (l *memLog) write(buf []byte) (int64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.slabs) == 0 || len(buf) > len(l.slabs[len(l.slabs)-1])-l.used {
		slab, free := newSlab(max(slabSize, len(buf)))
		l.slabs, l.frees, l.used = append(l.slabs, slab), append(l.frees, free), 0
	}
	i := len(l.slabs) - 1
	off := int64(i)<<32 | int64(l.used)
	l.used += copy(l.slabs[i][l.used:], buf)
	return off, nil
}

func (l *memLog) readAt(off, n int64) ([]byte, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	i, pos := int(off>>32), off&(1<<32-1)
	if i >= len(l.slabs) || pos+n > int64(len(l.slabs[i])) {
		return nil, fmt.Errorf("journal log: no record at %d", off)
	}
	return append([]byte(nil), l.slabs[i][pos:pos+n]...), nil
}

func (l *memLog) truncate() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, free := range l.frees {
		free()
	}
	l.slabs, l.frees, l.used = nil, nil, 0
	return nil
}

func (l *memLog) close() error { return l.truncate() }

// insertSizes are the row counts of the indexer's INSERT statements, largest first: a batch is
// written with as few statements as they allow (each statement costs about as much again as a row).
var insertSizes = [...]int{32, 8, 1}

// insertExchangeRows inserts rows in one transaction. A row with a place in the log gets no data:
// its JSON is read from the log.
func (s *DB) insertExchangeRows(ctx context.Context, rows []exchangeRow) error {
	const cols = `INSERT INTO exchanges (id, started_ms, direction, activity, order_id, instance_id, tenant_id, failed, data, log_off, log_len) VALUES `
	const one = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	var prepared [len(insertSizes)]*sql.Stmt
	for i, n := range insertSizes {
		st, err := s.prepare(ctx, &s.insertExchanges[i], cols+strings.TrimSuffix(strings.Repeat(one+", ", n), ", "))
		if err != nil {
			return err
		}
		prepared[i] = st
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		args := make([]any, 0, 11*insertSizes[0])
		for i, n := range insertSizes {
			if len(rows) < n {
				continue
			}
			stmt := tx.StmtContext(ctx, prepared[i])
			defer stmt.Close()
			for ; len(rows) >= n; rows = rows[n:] {
				args = args[:0]
				for j := range n {
					r := &rows[j]
					data := string(r.data)
					if r.n > 0 {
						data = ""
					}
					args = append(args, r.id, r.startedMs, r.direction, r.activity, r.order, r.instance, r.tenant, r.failed, data, r.off, r.n)
				}
				if _, err := stmt.ExecContext(ctx, args...); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
