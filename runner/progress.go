package runner

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progress keeps one line on a terminal up to date during a run: scenarios done, failed, skipped, and
// the time elapsed. It redraws every second, so a step waiting on a slow seller still shows life, and it
// clears itself whenever the report writes, so the two never mix on one line.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	res   *Result
	start time.Time
	now   func() time.Time
	shown bool
	stop  chan struct{}
	wg    sync.WaitGroup
}

func newProgress(w io.Writer, res *Result, now func() time.Time) *progress {
	p := &progress{w: w, res: res, start: now(), now: now, stop: make(chan struct{})}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.update(res)
			case <-p.stop:
				return
			}
		}
	}()
	return p
}

// line is the progress line's text.
func (p *progress) line(res *Result) string {
	ran, failed := res.Scenarios()
	res.mu.Lock()
	skipped := res.skippedRun
	res.mu.Unlock()
	return fmt.Sprintf("koomock: %d scenarios done, %d failed, %d skipped, %s elapsed",
		ran+skipped, failed, skipped, p.now().Sub(p.start).Round(time.Second))
}

func (p *progress) update(res *Result) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "\r\033[K%s", p.line(res))
	p.shown = true
}

// clearLocked erases the line; the caller holds mu.
func (p *progress) clearLocked() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}

// finish stops redrawing and erases the line.
func (p *progress) finish() {
	close(p.stop)
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearLocked()
}

// wrap returns a writer that erases the progress line before each write to w, and draws it again
// after a write that ends a line.
func (p *progress) wrap(w io.Writer) io.Writer {
	return writerFunc(func(b []byte) (int, error) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.clearLocked()
		n, err := w.Write(b)
		if len(b) > 0 && b[len(b)-1] == '\n' {
			fmt.Fprintf(p.w, "\r\033[K%s", p.line(p.res))
			p.shown = true
		}
		return n, err
	})
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }
