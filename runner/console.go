package runner

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/cucumber/godog/formatters"
	messages "github.com/cucumber/messages/go/v34"
)

// progressName is koomock's progress formatter in godog's registry: godog's own "progress" is found
// first, so godogFormat hands godog this name wherever the format list says progress.
const progressName = "koomock-progress"

// stepsPerRow is how many step marks a progress row holds, as in godog's progress format.
const stepsPerRow = 70

// progressFormatter prints godog's progress marks (. passed, F failed, - skipped, U undefined, P
// pending, A ambiguous), a row at a time, and nothing at the end: godog's progress would list every
// failed step again before koomock's summary lists them by rule, and tally the run a second time.
// --format pretty keeps godog's whole view.
type progressFormatter struct {
	w     io.Writer
	mu    sync.Mutex
	steps int
}

func newProgressFormatter(_ string, w io.Writer) formatters.Formatter {
	return &progressFormatter{w: w}
}

func (f *progressFormatter) mark(m string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fmt.Fprint(f.w, m)
	f.steps++
	if f.steps%stepsPerRow == 0 {
		fmt.Fprintf(f.w, " %d\n", f.steps)
	}
}

func (f *progressFormatter) Summary() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if left := f.steps % stepsPerRow; left != 0 {
		pad := 0
		if f.steps > stepsPerRow {
			pad = stepsPerRow - left
		}
		fmt.Fprintf(f.w, "%*s %d\n", pad, "", f.steps)
	}
}

func (f *progressFormatter) Passed(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {
	f.mark(".")
}
func (f *progressFormatter) Skipped(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {
	f.mark("-")
}
func (f *progressFormatter) Failed(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition, error) {
	f.mark("F")
}
func (f *progressFormatter) Undefined(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {
	f.mark("U")
}
func (f *progressFormatter) Pending(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {
	f.mark("P")
}
func (f *progressFormatter) Ambiguous(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition, error) {
	f.mark("A")
}

// The events progress marks do not need.
func (f *progressFormatter) TestRunStarted()                                   {}
func (f *progressFormatter) Feature(*messages.GherkinDocument, string, []byte) {}
func (f *progressFormatter) Pickle(*messages.Pickle)                           {}
func (f *progressFormatter) Defined(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {
}

// colorFor says whether the summary may colour what it writes to w: only on a terminal, and never
// when NO_COLOR is set to anything (no-color.org) or TERM is dumb.
func colorFor(w io.Writer, getenv func(string) string) bool {
	if getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// painter colours the summary's key words, or leaves them as they are.
type painter bool

const (
	ansiRed    = "\033[1;31m"
	ansiYellow = "\033[33m"
	ansiGreen  = "\033[32m"
	ansiDim    = "\033[2m"
	ansiReset  = "\033[0m"
)

func (p painter) paint(code, s string) string {
	if !p {
		return s
	}
	return code + s + ansiReset
}

func (p painter) red(s string) string    { return p.paint(ansiRed, s) }
func (p painter) yellow(s string) string { return p.paint(ansiYellow, s) }
func (p painter) green(s string) string  { return p.paint(ansiGreen, s) }
func (p painter) dim(s string) string    { return p.paint(ansiDim, s) }
