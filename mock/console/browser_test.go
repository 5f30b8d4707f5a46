package console_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/koomock/koomock/controlapi"
)

// These tests drive the console in real headless Chromium (Debian's chromium package, which .ci/run
// installs). Without a browser they skip, unless KOOMOCK_REQUIRE_BROWSER is set, as CI sets it: there
// a missing browser fails. Screenshots go to $KOOMOCK_ARTIFACTS/console (or the temp directory).

// browserTimeout bounds a whole browser test; each step waits on a DOM condition, never a timer.
const browserTimeout = 2 * time.Minute

// chromium finds a Chromium or Chrome binary.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("KOOMOCK_CHROMIUM"), "chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if name == "" {
			continue
		}
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	msg := "no chromium binary found: install Debian's chromium package (apt-get install chromium), as .ci/run does, or set KOOMOCK_CHROMIUM"
	if os.Getenv("KOOMOCK_REQUIRE_BROWSER") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// tab is one browser tab with what went wrong in it: script errors, console errors (a violation of
// the Content-Security-Policy shows there) and dialogs, which would mean a seller's script ran.
type tab struct {
	t    *testing.T
	ctx  context.Context
	mu   sync.Mutex
	errs []string
}

// newBrowserTab starts headless Chromium with a fresh profile and returns its first tab.
func newBrowserTab(t *testing.T) *tab {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()), chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.WindowSize(1280, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	t.Cleanup(cancel)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	return openTab(t, alloc)
}

// openTab opens a tab: in a new browser when parent is an allocator, beside parent's tab otherwise.
func openTab(t *testing.T, parent context.Context) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(parent)
	t.Cleanup(cancel)
	tb := &tab{t: t, ctx: ctx}
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			tb.fail("script error: " + ev.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError {
				tb.fail("console error: " + ev.Entry.Text)
			}
		case *cdppage.EventJavascriptDialogOpening:
			tb.fail("a dialog opened: " + ev.Message)
			go chromedp.Call(ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: true})
		}
	})
	if err != nil {
		t.Fatalf("start the browser: %v", err)
	}
	t.Cleanup(tb.check)
	return tb
}

func (tb *tab) fail(msg string) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.errs = append(tb.errs, msg)
}

func (tb *tab) check() {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, e := range tb.errs {
		tb.t.Errorf("in the browser: %s", e)
	}
}

// do runs actions in the tab, failing the test with the step that failed.
func (tb *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.shot("failed-" + what)
		tb.t.Fatalf("%s: %v", what, err)
	}
}

// text returns the text of the first element matching a CSS selector, once one is visible. The text
// is read in the page rather than through chromedp's node IDs, which a busy machine can leave pointing
// at a document a navigation has just replaced ("No node with given id found").
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	if _, err := chromedp.Run(tb.ctx, chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		tb.t.Fatalf("text of %s: %v", sel, err)
	}
	quoted, _ := json.Marshal(sel)
	return eval[string](tb, `document.querySelector(`+string(quoted)+`).innerText`)
}

// eval runs a script in the page and returns its result.
func eval[T any](tb *tab, script string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](script))
	if err != nil {
		tb.t.Fatalf("evaluate %s: %v", script, err)
	}
	return v
}

// shot saves a screenshot of the whole page as a test artifact.
func (tb *tab) shot(name string) {
	tb.t.Helper()
	dir := filepath.Join(os.TempDir(), "koomock-artifacts", "console")
	if d := os.Getenv("KOOMOCK_ARTIFACTS"); d != "" {
		dir = filepath.Join(d, "console")
	}
	png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Logf("screenshot %s: %v", name, err)
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.t.Fatal(err)
	}
	path := filepath.Join(dir, tb.t.Name()+"-"+name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	tb.t.Logf("screenshot: %s", path)
}

// location is the URL the tab shows.
func (tb *tab) location() string {
	tb.t.Helper()
	return eval[string](tb, "window.location.href")
}

// spillsSideways reports whether the page is wider than the window.
func (tb *tab) spillsSideways() bool {
	tb.t.Helper()
	return eval[bool](tb, `document.documentElement.scrollWidth > window.innerWidth + 1`)
}

// fitsNarrow opens each page at a phone's width (390 px) and fails the test for each that spills
// sideways; paths are the console's, under the server's URL.
func (tb *tab) fitsNarrow(base string, paths ...string) {
	tb.t.Helper()
	for _, path := range paths {
		tb.do("open "+path+" at 390 px",
			chromedp.EmulateViewport(390, 844),
			chromedp.Navigate(base+path),
			chromedp.WaitVisible(chromedp.CSS("main h1")))
		if tb.spillsSideways() {
			tb.t.Errorf("at 390 px %s is wider than the window", path)
		}
	}
}

// TestBrowserBuyWatchAndReproduce is a newcomer's first minutes: open the journal, buy a yearly
// product in another tab, watch the newInstance exchange appear in the journal with its verdict
// without reloading, open it, replay it, resend the order, and move the clock.
func TestBrowserBuyWatchAndReproduce(t *testing.T) {
	srv, _ := newServer(t, nil, nil)
	journal := newBrowserTab(t)
	journal.do("open the overview",
		chromedp.Navigate(srv.URL()+"/"),
		chromedp.WaitVisible(chromedp.CSS(`a[aria-current="page"][href="/console/"]`)))
	journal.shot("overview")
	journal.do("open the journal",
		chromedp.Navigate(srv.URL()+"/console/journal"),
		chromedp.WaitVisible(chromedp.CSS(`tbody[data-events] tr.empty`)))

	shop := openTab(t, journal.ctx)
	shop.do("open the orders", chromedp.Navigate(srv.URL()+"/console/orders"), chromedp.WaitVisible(chromedp.ID("quick-buy")))
	shop.shot("orders")
	shop.do("buy a yearly product",
		chromedp.Click(chromedp.CSS(`#quick-buy button`)), // the first quick button: 1 year
		chromedp.WaitVisible(chromedp.ID("instance-id")))
	if state := shop.text("#instance-state"); state != "active" {
		t.Errorf("instance state %q after buying from the reference seller", state)
	}
	shop.shot("order")

	// The row arrives over the event stream: the page was not reloaded, and only the script marks
	// rows it adds as new.
	journal.do("watch the exchange appear", chromedp.WaitVisible(chromedp.CSS(`tr.new[data-id="1"][data-outcome="pass"]`)))
	if row := journal.text(`tr[data-id="1"]`); !strings.Contains(row, "newInstance") || !strings.Contains(row, "pass") {
		t.Errorf("journal row: %q", row)
	}
	if n := eval[int](journal, `document.querySelectorAll("tbody tr.empty").length`); n != 0 {
		t.Error("the empty-journal row stayed")
	}
	journal.shot("journal")

	journal.do("open the exchange",
		chromedp.Click(chromedp.CSS(`tr[data-id="1"] a`)),
		chromedp.WaitVisible(chromedp.ID("curl")))
	for sel, want := range map[string]string{
		"#curl":           "curl -sS",
		"#string-to-sign": "<key:",
		"table.verdicts":  "newInstance.instanceId",
		"#answer-body":    `"resultCode": "000000"`,
	} {
		if got := journal.text(sel); !strings.Contains(got, want) {
			t.Errorf("%s shows %q, want %q in it", sel, got, want)
		}
	}
	journal.shot("exchange")

	journal.do("replay it",
		chromedp.Click(chromedp.ID("replay")),
		chromedp.WaitVisible(chromedp.CSS(`h1[data-exchange="2"][data-outcome="pass"]`)))
	journal.shot("replayed")

	journal.do("resend the order",
		chromedp.Click(chromedp.CSS(`p.lead a[href^="/console/orders/"]`)),
		chromedp.WaitVisible(chromedp.ID("resend")),
		chromedp.Click(chromedp.ID("resend")),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-id="3"][data-outcome="pass"]`)))
	if row := journal.text(`tr[data-id="3"]`); !strings.Contains(row, "newInstance") {
		t.Errorf("the resend's row: %q", row)
	}

	journal.do("advance the clock",
		chromedp.Navigate(srv.URL()+"/console/clock"),
		chromedp.Click(chromedp.CSS(`button[data-by="1d"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#clock-now[data-now="2026-11-28T08:00:00Z"]`)))
	journal.shot("clock")

	// At a phone's width nothing spills sideways: wide tables scroll in their own box.
	journal.do("narrow the window",
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(srv.URL()+"/console/journal"),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-id="3"]`)))
	if journal.spillsSideways() {
		t.Error("at 390 px the journal is wider than the window")
	}
	journal.shot("journal-narrow")
}

// TestBrowserShowsHostileAnswersAsText has a seller answer with a script in resultMsg and in a header
// and an image tag as instanceId: the console must show them as text and run nothing.
func TestBrowserShowsHostileAnswersAsText(t *testing.T) {
	srv, api := newServer(t, hostile, nil)
	p, err := api.Buy(context.Background(), controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowserTab(t)
	b.do("open the exchange",
		chromedp.Navigate(fmt.Sprintf("%s/console/journal/%d", srv.URL(), p.Exchange.ID)),
		chromedp.WaitVisible(chromedp.ID("answer-body")))
	if got := b.text("#answer-body"); !strings.Contains(got, `<script>alert(1)</script>`) {
		t.Errorf("the answer body shows %q, want the script as text", got)
	}
	if got := b.text("#answer-headers"); !strings.Contains(got, `X-Evil: <script>alert("header")</script>`) {
		t.Errorf("the answer headers show %q", got)
	}
	b.shot("exchange")
	b.do("open the journal", chromedp.Navigate(srv.URL()+"/console/journal"), chromedp.WaitVisible(chromedp.CSS(`tr[data-id="1"]`)))
	if got := b.text(`tr[data-id="1"]`); !strings.Contains(got, `<img src=x onerror=alert(2)>`) {
		t.Errorf("the journal row shows %q, want the instanceId as text", got)
	}
	if n := eval[int](b, `document.querySelectorAll("img").length`); n != 0 {
		t.Errorf("the seller's image tag became %d element(s)", n)
	}
	if n := eval[int](b, `document.querySelectorAll("script").length`); n != 1 {
		t.Errorf("%d script elements, want only the console's own", n)
	}
	b.shot("journal")
}

// TestBrowserLogsInWithTheToken logs in with the admin token through the login form.
func TestBrowserLogsInWithTheToken(t *testing.T) {
	srv, _ := newServer(t, nil, withToken)
	b := newBrowserTab(t)
	b.do("log in",
		chromedp.Navigate(srv.URL()+"/console/orders"),
		chromedp.WaitVisible(chromedp.ID("token")),
		chromedp.SendKeys(chromedp.ID("token"), adminToken),
		chromedp.Submit(chromedp.ID("token")),
		chromedp.WaitVisible(chromedp.ID("quick-buy")))
	b.shot("orders")
}
