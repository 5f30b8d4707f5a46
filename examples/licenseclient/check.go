package licenseclient

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/koomock/koomock/protocol"
)

// Decision is the outcome of a license check: may the software run?
type Decision struct {
	Allowed bool
	// Reason says why not, in words for the user; for an allowed run, what was confirmed.
	Reason string
	// Info is the code's status as KooGallery reported it, when it did.
	Info protocol.LicenseInfo
}

// Guard decides, on each use of the software, whether it may run. It activates the code the first
// time (remembered in StateDir, so a restart does not activate again), then queries the code's status
// and reports the day's usage. It fails closed: anything but a confirmed ALIVE blocks the user.
type Guard struct {
	Client *Client
	// StateDir remembers activations across runs; empty keeps them in memory only.
	StateDir string
	// ReportUsage sends the day's usage statistics after each successful check.
	ReportUsage bool

	activated bool
}

// Check runs the daily license check.
func (g *Guard) Check(ctx context.Context) Decision {
	if !g.activated && !g.rememberedActivation() {
		if err := g.Client.Activate(ctx); err != nil {
			return Decision{Reason: activationRefusal(err)}
		}
		g.activated = true
		if err := g.rememberActivation(); err != nil {
			return Decision{Reason: "could not remember the activation: " + err.Error()}
		}
	}
	info, err := g.Client.Heartbeat(ctx)
	switch {
	case IsLicenseError(err, protocol.LicenseNotActivated):
		// KooGallery does not know the activation remembered here: start again next time.
		g.forgetActivation()
		return Decision{Reason: "KooGallery says the license code " + g.Client.Code() + " has not been activated"}
	case err != nil:
		return Decision{Reason: "KooGallery could not confirm the license: " + describe(err)}
	}
	switch info.Status {
	case protocol.LicenseAlive:
	case protocol.LicenseExpired:
		return Decision{Info: info, Reason: "the license expired; renew it in KooGallery (我的云商店 → 已购买资源)"}
	case protocol.LicenseReleased:
		return Decision{Info: info, Reason: "the license was released; buy a new one in KooGallery"}
	default:
		return Decision{Info: info, Reason: fmt.Sprintf("the license is %s, not ALIVE", info.Status)}
	}
	if g.ReportUsage {
		// Usage statistics never block the user: they are KooGallery's business, not the license's.
		g.Client.ReportUsage(ctx)
	}
	return Decision{Allowed: true, Info: info, Reason: "license " + g.Client.Code() + " is ALIVE until " + info.ExpireTime}
}

// Watch checks now and then at every tick, until a check blocks (which it returns) or ctx ends.
// report sees every decision.
func (g *Guard) Watch(ctx context.Context, ticks <-chan time.Time, report func(Decision)) Decision {
	for {
		d := g.Check(ctx)
		report(d)
		if !d.Allowed {
			return d
		}
		select {
		case <-ctx.Done():
			return d
		case <-ticks:
		}
	}
}

func activationRefusal(err error) string {
	var le *LicenseError
	if errors.As(err, &le) {
		switch le.Code {
		case protocol.LicenseIllegalState:
			return "the license code is already activated by another installation, or no longer valid"
		case protocol.LicenseNotReceived:
			return "the license code has not been received yet: receive it in KooGallery (我的云商店 → 已购买资源) first"
		case protocol.LicenseNotExist:
			return "there is no such license code"
		case protocol.LicenseInvalidInBatch:
			return "the license code cannot be activated: unknown, already activated by another installation, or no longer valid"
		}
	}
	return "KooGallery could not activate the license: " + describe(err)
}

func describe(err error) string {
	var ge *GatewayError
	switch {
	case errors.As(err, &ge) && ge.Status == 401:
		return "the gateway refused the software's credentials (" + ge.Code + ")"
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "Client.Timeout"):
		return "no answer in time"
	}
	return err.Error()
}

// stateFile is where an activation is remembered: one file per code.
func (g *Guard) stateFile() string {
	return filepath.Join(g.StateDir, "activated-"+strings.NewReplacer("/", "_", "\\", "_", "..", "_").Replace(g.Client.Code()))
}

func (g *Guard) rememberedActivation() bool {
	if g.StateDir == "" {
		return false
	}
	_, err := os.Stat(g.stateFile())
	g.activated = err == nil
	return g.activated
}

func (g *Guard) rememberActivation() error {
	if g.StateDir == "" {
		return nil
	}
	if err := os.MkdirAll(g.StateDir, 0o700); err != nil {
		return err
	}
	return os.WriteFile(g.stateFile(), []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o600)
}

func (g *Guard) forgetActivation() {
	g.activated = false
	if g.StateDir != "" {
		os.Remove(g.stateFile())
	}
}
