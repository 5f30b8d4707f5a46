// Package dialtest keeps the seller's debug cases and replays them as KooGallery's dial tests (拨测):
// twice a day of koomock's time, while the case's product is on sale, with testFlag "1". A product
// whose case fails on five consecutive days is frozen (spec saas-v2 §1).
//
// Control API (mounted under /_mock by package mock):
//
//	POST   /cases              save a passing exchange as a debug case
//	GET    /cases              the cases
//	GET    /cases/{id}         one case with its replays
//	DELETE /cases/{id}         delete a case
//	POST   /cases/{id}/replay  replay a case now
//	POST   /cases/replay       run a dial test of every case now
//	GET    /products           the catalog, with each product's state
//	POST   /products/{id}/unfreeze  put a frozen product on sale again
package dialtest

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/ids"
	"github.com/koomock/koomock/mock/delivery"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/mock/schedule"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/store"
)

// FreezeAfterDays is how many consecutive failing days freeze a product (the control API's
// contract, which the console shows).
const FreezeAfterDays = controlapi.DialTestFreezeAfterDays

// Target is what faults aim at to hit dial tests alone.
const Target = controlapi.DialTestTarget

const (
	jobDial = "dialtest.run"
	jobKey  = "dialtest"
)

// Zone is KooGallery's time zone (UTC+8), in which days and dial times are counted.
var Zone = time.FixedZone("UTC+8", 8*60*60)

// DefaultTimes are the dial tests' times of day in UTC+8: one in the morning, one in the afternoon.
var DefaultTimes = []time.Duration{9 * time.Hour, 15 * time.Hour}

// Tester replays debug cases. Every field is required except Logger and Times; call Init once.
type Tester struct {
	Store     *store.DB
	Courier   *delivery.Courier
	Scheduler *schedule.Scheduler
	Catalog   fixtures.Catalog
	Now       func() time.Time
	// IDs makes each replayed newInstance's businessId, a fresh UUID like every KooGallery one.
	IDs       *ids.Source
	SellerURL string
	AccessKey string
	// Judging returns how a replayed activity is judged (the codes that count as success besides
	// 000000, and stateless checks).
	Judging func(activity protocol.Activity, body map[string]any) ([]protocol.ResultCode, []notify.Check)
	// ProductOf tells which product an exchange's order or instance belongs to ("" when unknown).
	ProductOf func(ctx context.Context, e koomock.Exchange) string
	// Times are the dial tests' times of day in Zone; DefaultTimes when empty.
	Times  []time.Duration
	Logger *slog.Logger
}

// Open registers the dial-test job: the flow contract's start.
func (t *Tester) Open(context.Context) error {
	if t.Logger == nil {
		t.Logger = slog.New(slog.DiscardHandler)
	}
	if len(t.Times) == 0 {
		t.Times = DefaultTimes
	}
	t.Scheduler.Handle(jobDial, t.runDial)
	return nil
}

// next returns the first dial time after now.
func (t *Tester) next(now time.Time) time.Time {
	local := now.In(Zone)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, Zone)
	for {
		for _, at := range t.Times {
			if c := day.Add(at); c.After(now) {
				return c.In(now.Location())
			}
		}
		day = day.AddDate(0, 0, 1)
	}
}

// schedule plans the next dial test if a case of a product on sale remains, and drops it otherwise.
func (t *Tester) schedule(ctx context.Context) error {
	cases, err := t.Store.Cases(ctx)
	if err != nil {
		return err
	}
	for _, c := range cases {
		st, err := t.Store.ProductState(ctx, c.ProductID)
		if err != nil {
			return err
		}
		if !st.Frozen {
			_, err := t.Scheduler.Schedule(ctx, jobDial, jobKey, t.next(t.Now()), 1, nil)
			return err
		}
	}
	return t.Scheduler.Cancel(ctx, jobKey)
}

// runDial is a dial test: every case of a product on sale is replayed.
func (t *Tester) runDial(ctx context.Context, _ store.Job) error {
	cases, err := t.Store.Cases(ctx)
	if err != nil {
		return err
	}
	for _, c := range cases {
		st, err := t.Store.ProductState(ctx, c.ProductID)
		if err != nil {
			return err
		}
		if st.Frozen {
			continue // KooGallery dials only products on sale
		}
		if _, err := t.replay(ctx, &c, true); err != nil {
			return err
		}
	}
	return t.schedule(ctx)
}

// replay sends a case once and records the run; a dial test also counts failing days and freezes the
// product on the fifth in a row.
func (t *Tester) replay(ctx context.Context, c *koomock.DebugCase, dial bool) (*koomock.Exchange, error) {
	allow, checks := t.Judging(protocol.Activity(c.Activity), c.Body)
	checks = append(checks, func(e *koomock.Exchange, _ map[string]any) { judgeRun(e, c) })
	nd := notify.Callback{Activity: c.Activity, URL: t.SellerURL, Key: t.AccessKey, Body: maps.Clone(c.Body), Allow: allow, Checks: checks}
	nd.OrderID, _ = c.Body[protocol.FieldOrderID].(string)
	nd.InstanceID, _ = c.Body[protocol.FieldInstanceID].(string)
	if c.Activity == protocol.NewInstance {
		nd.Body[protocol.FieldBusinessID] = t.IDs.UUID() // new on every call, as KooGallery's are
	}
	target := c.Activity
	if dial {
		target = Target
	}
	sent, err := t.Courier.Send(ctx, nd, string(target))
	if err != nil {
		return nil, err
	}
	e := sent[len(sent)-1]
	passed := !e.Failed()
	c.Runs = append(c.Runs, koomock.CaseRun{At: e.StartedAt, Exchange: e.ID, Passed: passed, DialTest: dial})
	if len(c.Runs) > koomock.MaxCaseRuns {
		c.Runs = c.Runs[len(c.Runs)-koomock.MaxCaseRuns:]
	}
	if dial {
		if err := t.countDay(ctx, c, e.StartedAt, passed); err != nil {
			return e, err
		}
	}
	return e, t.Store.PutCase(ctx, c)
}

// judgeRun gives the case's own verdict: it still passes, or it fails its dial test.
func judgeRun(e *koomock.Exchange, c *koomock.DebugCase) {
	if !e.Failed() {
		i18n.Judge(e, koomock.RuleDialTest, koomock.Pass, "verdict.dialTest.pass", c.ID, c.Name)
		return
	}
	i18n.Judge(e, koomock.RuleDialTest, koomock.Fail, "verdict.dialTest.fail", c.ID, c.Name, c.FromExchange, FreezeAfterDays)
}

// countDay keeps the run of consecutive days (UTC+8) on which the case failed a dial test.
func (t *Tester) countDay(ctx context.Context, c *koomock.DebugCase, at time.Time, passed bool) error {
	day := at.In(Zone).Format(time.DateOnly)
	yesterday := at.In(Zone).AddDate(0, 0, -1).Format(time.DateOnly)
	if passed {
		if c.LastFailedDay != day && c.LastFailedDay != yesterday {
			c.FailedDays = 0
		}
		return nil
	}
	if c.LastFailedDay == day {
		return nil
	}
	if c.LastFailedDay == yesterday {
		c.FailedDays++
	} else {
		c.FailedDays = 1
	}
	c.LastFailedDay = day
	if c.FailedDays < FreezeAfterDays {
		return nil
	}
	st, err := t.Store.ProductState(ctx, c.ProductID)
	if err != nil || st.Frozen {
		return err
	}
	st.Frozen, st.FrozenAt = true, t.Now()
	st.Reason = fmt.Sprintf("debug case #%d (%s) failed its dial tests on %d consecutive days", c.ID, c.Name, c.FailedDays)
	t.Logger.Warn("product frozen", "product", c.ProductID, "reason", st.Reason)
	return t.Store.PutProductState(ctx, st)
}
