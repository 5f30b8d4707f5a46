package runner

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
)

// stepAction is what the developer chose at a pause.
type stepAction int

const (
	stepRun  stepAction = iota // Enter: run the step
	stepSkip                   // s: skip the rest of the scenario
	stepQuit                   // q (or end of input): skip everything left
)

// stepper pauses before each step of a step-through run (koomock verify --step): it shows the step and
// the last exchange, and reads the developer's choice, one line at a time, from the input.
type stepper struct {
	out     io.Writer
	mockURL string      // for the replay hint: the koomock lives while the developer is paused
	lines   chan string // lines of input; closed at its end
	done    chan struct{}
	once    sync.Once
	quit    atomic.Bool
	keys    bool          // single keys, not lines: echo the key, since the terminal does not
	lang    *i18n.Printer // the language of the verdicts it shows
}

// newStepper reads the developer's choices from in: a line each, or, with keys (a terminal in
// single-key mode), one key each, Enter, s or q, without waiting for Enter.
func newStepper(in io.Reader, out io.Writer, mockURL string, keys bool) *stepper {
	s := &stepper{out: out, mockURL: mockURL, lines: make(chan string), done: make(chan struct{}), keys: keys}
	// One reader for the whole run, so a pause can also give up when the run's context ends.
	go func() {
		defer close(s.lines)
		sc := bufio.NewScanner(in)
		if keys {
			sc.Split(bufio.ScanRunes)
		}
		for sc.Scan() {
			choice := sc.Text()
			if keys {
				switch choice {
				case "\r", "\n":
					choice = ""
				case "\x04": // Ctrl-D: the end of input, as in line mode
					return
				}
			}
			select {
			case s.lines <- choice:
			case <-s.done:
				return
			}
		}
	}()
	return s
}

// prompt says which keys a pause takes.
func (s *stepper) prompt() string {
	if s.keys {
		return "  [Enter] run it · [s] skip the rest of the scenario · [q] quit (one key) > "
	}
	return "  [Enter] run it · s skip the rest of the scenario · q quit > "
}

// close releases the input reader once the run is over.
func (s *stepper) close() { s.once.Do(func() { close(s.done) }) }

func (s *stepper) quitting() bool { return s.quit.Load() }

func (s *stepper) scenario(rec *ScenarioRecord) {
	fmt.Fprintf(s.out, "\n▶ Scenario: %s  (%s)\n", rec.Name, rec.URI)
}

// pause shows the step about to run and the last exchange, then waits for a choice.
func (s *stepper) pause(ctx context.Context, step string, last *koomock.Exchange) stepAction {
	fmt.Fprintf(s.out, "\n  next step: %s\n", step)
	if last != nil {
		fmt.Fprintf(s.out, "  last exchange: %s\n", describeExchange(last))
		for _, v := range last.Failures() {
			fmt.Fprintf(s.out, "      FAIL %s: %s\n", v.Rule, s.lang.Why(v))
		}
	} else {
		fmt.Fprintln(s.out, "  last exchange: none yet in this scenario")
	}
	for {
		fmt.Fprint(s.out, s.prompt())
		var line string
		var ok bool
		select {
		case line, ok = <-s.lines:
		case <-ctx.Done():
			ok = false
		}
		if !ok {
			fmt.Fprintln(s.out, "\n  (input closed: stopping)")
			s.quit.Store(true)
			return stepQuit
		}
		if s.keys {
			fmt.Fprintln(s.out, strings.TrimSpace(strings.ReplaceAll(line, "\x1b", "")))
		}
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "":
			return stepRun
		case "s":
			fmt.Fprintln(s.out, "  skipping the rest of this scenario")
			return stepSkip
		case "q":
			fmt.Fprintln(s.out, "  quitting: the remaining scenarios are skipped")
			s.quit.Store(true)
			return stepQuit
		}
		fmt.Fprintf(s.out, "  %q is not a choice\n", line)
	}
}

// after shows how the step went and the exchanges it caused.
func (s *stepper) after(rec *StepRecord) {
	switch rec.Status {
	case StatusFailed:
		fmt.Fprintf(s.out, "  ✗ failed in %s: %s\n", rec.Duration.Round(1000), indent(rec.Error, "    "))
	default:
		fmt.Fprintf(s.out, "  ✓ %s in %s\n", rec.Status, rec.Duration.Round(1000))
	}
	for _, e := range rec.Exchanges {
		fmt.Fprintf(s.out, "    exchange %s\n      re-send it while paused: koomock replay %d --mock-url %s\n", describeExchange(e), e.ID, s.mockURL)
	}
}

// describeExchange is one line about an exchange: which, where, what came back, how it was judged.
func describeExchange(e *koomock.Exchange) string {
	ok, failed := 0, 0
	for _, v := range e.Verdicts {
		switch v.Outcome {
		case koomock.Pass:
			ok++
		case koomock.Fail:
			failed++
		}
	}
	probe := ""
	if e.Probe != "" {
		probe = " [" + e.Probe + "]"
	}
	return fmt.Sprintf("#%d %s%s → %s  %s; verdicts: %d ok, %d failed", e.ID, e.Activity, probe, stripQuery(e.Request.URL), outcomeOf(nil, e), ok, failed)
}
