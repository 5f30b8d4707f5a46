package browser

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// MobileUserAgent is the user agent of the phone the layout check emulates.
const MobileUserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 koomock"

// Chromium returns the path of a Chromium or Chrome binary ($KOOMOCK_CHROMIUM first), or "" when there
// is none: checks that need a real browser then skip, saying so.
func Chromium() string {
	for _, name := range []string{os.Getenv("KOOMOCK_CHROMIUM"), "chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if name == "" {
			continue
		}
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	return ""
}

// FrameLayout is how the document in a page's first iframe lays out.
type FrameLayout struct {
	URL         string `json:"url"`
	ScrollWidth int    `json:"scrollWidth"`
	ClientWidth int    `json:"clientWidth"`
}

// errNoFrame is returned for a page without an iframe.
var errNoFrame = errors.New("the page has no iframe")

// MeasureFrame opens pageURL in headless Chromium as a phone width px wide (a mobile viewport and user
// agent), with cookies set first on pageURL, waits until the page and its frames have loaded, and
// measures the document of its first iframe. The frame is read in an isolated world of its own, so
// a frame of another origin is measured too.
func MeasureFrame(ctx context.Context, chromium, pageURL string, width int, cookies []*http.Cookie) (FrameLayout, error) {
	dir, err := os.MkdirTemp("", "koomock-chromium-")
	if err != nil {
		return FrameLayout{}, err
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.UserDataDir(dir), chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.WindowSize(width, 812))
	defer cancelAlloc()
	tab, cancelTab := chromedp.NewContext(alloc)
	defer cancelTab()
	setup := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: int64(width), Height: 812, DeviceScaleFactor: 2, Mobile: true}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, t, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: MobileUserAgent}); err != nil {
			return err
		}
		for _, c := range cookies {
			if _, err := cdp.Call(ctx, t, network.SetCookie, network.SetCookieParams{Name: c.Name, Value: c.Value, URL: pageURL, Path: "/"}); err != nil {
				return fmt.Errorf("set cookie %s: %w", c.Name, err)
			}
		}
		return nil
	})
	if err := chromedp.Do(tab, setup, chromedp.Navigate(pageURL)); err != nil {
		return FrameLayout{}, fmt.Errorf("open %s in Chromium: %w", pageURL, err)
	}
	measure := func(ctx context.Context, t *chromedp.Target) (FrameLayout, error) {
		tree, err := cdp.Call(ctx, t, page.GetFrameTree, cdp.Empty{})
		if err != nil {
			return FrameLayout{}, err
		}
		if tree.FrameTree == nil || len(tree.FrameTree.ChildFrames) == 0 {
			return FrameLayout{}, errNoFrame
		}
		world, err := cdp.Call(ctx, t, page.CreateIsolatedWorld, page.CreateIsolatedWorldParams{FrameID: tree.FrameTree.ChildFrames[0].Frame.ID, WorldName: "koomock"})
		if err != nil {
			return FrameLayout{}, fmt.Errorf("reach the iframe's document: %w", err)
		}
		return chromedp.Evaluate[FrameLayout](`({url: location.href, scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth})`,
			func(p *runtime.EvaluateParams) { p.ContextID = world.ExecutionContextID })(ctx, t)
	}
	return chromedp.Run(tab, chromedp.Action[FrameLayout](measure))
}
