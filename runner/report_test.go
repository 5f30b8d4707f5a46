package runner_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/koomock/koomock/examples/seller/sellertest"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/runner"
)

// sampleReport runs the official sample as published (two required rules broken, four advisory, some
// scenarios skipped by its profile) with the HTML report written to a file, and returns the page.
func sampleReport(t *testing.T) (string, string, *runner.Result) {
	t.Helper()
	v := sellertest.SampleVariants[1]
	p := startPairWith(t, v.Handler, mock.Config{Market: mock.MarketConfig{CallbackTimeout: 5 * time.Second}})
	profile, err := runner.ParseProfile(v.Profile)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "report.html")
	var out bytes.Buffer
	p.opts.Profile, p.opts.Output, p.opts.Concurrency, p.opts.Seed, p.opts.Format = profile, &out, 4, 11, "progress,html:"+file
	res, err := runner.Run(context.Background(), p.opts)
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return string(page), file, res
}

// TestHTMLReportLayout: the summary comes first, then an index linking every failure, then the failed
// scenarios (the first scenario on the page is a failure), the warnings, and the passes collapsed;
// each exchange is shown once; the timeline and the filters are in the page, which loads nothing.
func TestHTMLReportLayout(t *testing.T) {
	page, _, res := sampleReport(t)
	order := []string{`id="summary"`, `id="failures"`, `id="timeline"`, `id="filters"`, `id="failed"`, `id="warnings"`, `<details class="group" id="passed">`}
	last := -1
	for _, marker := range order {
		i := strings.Index(page, marker)
		if i < 0 || i < last {
			t.Errorf("%s is missing or out of order (at %d, after %d)", marker, i, last)
		}
		last = i
	}
	first := regexp.MustCompile(`<details class="sc [^"]*" id="(sc-\d+)" data-status="(\w+)"`).FindAllStringSubmatch(page, -1)
	if len(first) == 0 || first[0][2] != "failed" {
		t.Fatalf("the first scenario on the page is not a failure: %v", first[:min(1, len(first))])
	}
	index := page[strings.Index(page, `id="failures"`):strings.Index(page, `id="timeline"`)]
	failed := 0
	for _, m := range first {
		if m[2] == "failed" {
			failed++
			if !strings.Contains(index, `href="#`+m[1]+`"`) {
				t.Errorf("the index does not link failed scenario %s", m[1])
			}
		}
	}
	if ran, f := res.Scenarios(); failed != f+res.OptionalFailed() || ran == 0 {
		t.Errorf("%d failed scenarios on the page, the run failed %d", failed, f+res.OptionalFailed())
	}
	for _, m := range regexp.MustCompile(`id="ex-(\d+)"`).FindAllStringSubmatch(page, -1) {
		if n := strings.Count(page, `id="ex-`+m[1]+`"`); n != 1 {
			t.Errorf("exchange #%s is shown %d times", m[1], n)
			break
		}
	}
	warnings := page[strings.Index(page, `id="warnings"`):]
	for _, w := range res.Warnings() {
		if !strings.Contains(warnings, string(w.Rule)) || !strings.Contains(warnings, "fix: ") {
			t.Errorf("the warnings section lacks %s or its fix", w.Rule)
		}
	}
	for _, want := range []string{`<svg class="timeline"`, `data-show="failed"`, `<select id="tag">`, "<script>", "passed with warnings"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script src", "<link", `src="http`, "@import"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page loads an external resource (%s)", bad)
		}
	}
}

// TestHTMLReportInBrowser opens the report from its file in headless Chromium: the warnings section
// renders, the "failed" filter leaves only failed scenarios, "with warnings" only those that drew a
// warning, a timeline row opens its collapsed scenario, and no script fails. Without a browser it
// skips, unless KOOMOCK_REQUIRE_BROWSER is set, as CI sets it (.ci/run installs Chromium).
func TestHTMLReportInBrowser(t *testing.T) {
	bin := ""
	for _, name := range []string{os.Getenv("KOOMOCK_CHROMIUM"), "chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); name != "" && err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		msg := "no chromium binary found: install Debian's chromium package, as .ci/run does, or set KOOMOCK_CHROMIUM"
		if os.Getenv("KOOMOCK_REQUIRE_BROWSER") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	_, file, _ := sampleReport(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()), chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.WindowSize(1280, 900))
	defer cancelAlloc()
	tab, cancelTab := chromedp.NewContext(alloc)
	defer cancelTab()
	var mu sync.Mutex
	var scriptErrs []string
	if err := chromedp.Listen(tab, func(ev any) {
		if ev, ok := ev.(*runtime.EventExceptionThrown); ok {
			mu.Lock()
			defer mu.Unlock()
			scriptErrs = append(scriptErrs, ev.ExceptionDetails.Text)
		}
	}); err != nil {
		t.Fatalf("start the browser: %v", err)
	}
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tab, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(script string) bool {
		t.Helper()
		v, err := chromedp.Run(tab, chromedp.Evaluate[bool](script))
		if err != nil {
			t.Fatalf("evaluate %s: %v", script, err)
		}
		return v
	}
	do("open the report", chromedp.Navigate("file://"+file), chromedp.WaitVisible(chromedp.ID("warnings")))
	shot(t, tab, "report")
	if !eval(`document.getElementById("warnings").getBoundingClientRect().height > 40 && document.querySelectorAll("#warnings tr").length > 0`) {
		t.Error("the warnings section does not render")
	}
	for _, width := range []int64{1024, 1920} {
		do(fmt.Sprintf("resize to %d px", width), chromedp.EmulateViewport(width, 900))
		if eval(`document.documentElement.scrollWidth > window.innerWidth + 1`) {
			t.Errorf("at %d px the report is wider than the window", width)
		}
	}
	do("show failed only", chromedp.Click(chromedp.CSS(`button[data-show="failed"]`)))
	if !eval(`[...document.querySelectorAll(".sc")].every(el => el.hidden === (el.dataset.status !== "failed")) && document.querySelector(".sc:not([hidden])") !== null`) {
		t.Error(`the "failed" filter does not leave exactly the failed scenarios`)
	}
	do("show those with warnings", chromedp.Click(chromedp.CSS(`button[data-show="warned"]`)))
	if !eval(`[...document.querySelectorAll(".sc")].every(el => el.hidden === (el.dataset.warned !== "true")) && document.getElementById("passed").open`) {
		t.Error(`the "with warnings" filter does not leave exactly the scenarios with warnings, in the opened passes`)
	}
	shot(t, tab, "warned")
	do("show all", chromedp.Click(chromedp.CSS(`button[data-show="all"]`)))
	passed, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.getElementById("passed").open = false, document.querySelector("#passed .sc").id`))
	if err != nil || passed == "" {
		t.Fatalf("no passed scenario: %v", err)
	}
	do("follow a timeline row into the closed passes", chromedp.Click(chromedp.CSS(`svg.timeline a[href="#`+passed+`"] rect`)), chromedp.WaitVisible(chromedp.ID(passed)))
	mu.Lock()
	defer mu.Unlock()
	if len(scriptErrs) > 0 {
		t.Errorf("script errors: %v", scriptErrs)
	}
}

// shot saves a screenshot of the whole page to $KOOMOCK_ARTIFACTS/report (or the temp directory).
func shot(t *testing.T, tab context.Context, name string) {
	t.Helper()
	dir := filepath.Join(os.TempDir(), "koomock-artifacts", "report")
	if d := os.Getenv("KOOMOCK_ARTIFACTS"); d != "" {
		dir = filepath.Join(d, "report")
	}
	png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	if err := os.MkdirAll(dir, 0o755); err == nil {
		p := filepath.Join(dir, t.Name()+"-"+name+".png")
		if os.WriteFile(p, png, 0o644) == nil {
			t.Logf("screenshot: %s", p)
		}
	}
}
