package saas

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/store"
)

// schedulePoll schedules the next queryInstance poll of an instance being created asynchronously.
func (m *Market) schedulePoll(ctx context.Context, id string) error {
	_, err := m.Scheduler.Schedule(ctx, jobPoll, "poll:"+id, m.Now().Add(m.Options.AsyncPollEvery), 1, instanceJob{id})
	return err
}

// runPoll asks the seller for an instance it answered 000004 for (spec saas-v2 §1, §3.1): delivered
// when the answer carries it, polled again while the window is open, and failed (the order cancelled)
// when it closes.
func (m *Market) runPoll(ctx context.Context, j store.Job) error {
	var p instanceJob
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return fmt.Errorf("poll job: %w", err)
	}
	in, err := m.Store.Instance(ctx, p.InstanceID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && in.State != koomock.InstanceCreating) {
		return nil
	}
	if err != nil {
		return err
	}
	last := m.Now().Add(m.Options.AsyncPollEvery).After(in.CreatingUntil)
	nd := m.queryCallback([]string{in.ID})
	nd.Allow = []protocol.ResultCode{protocol.ResultProcessing}
	nd.Checks = []notify.Check{m.pollCheck(ctx, in, last)}
	sent, err := m.Courier.Send(ctx, nd, string(protocol.QueryInstance))
	if err != nil {
		return err
	}
	e := sent[len(sent)-1]

	m.mu.Lock()
	defer m.mu.Unlock()
	if in, err = m.Store.Instance(ctx, in.ID); err != nil || in.State != koomock.InstanceCreating {
		return err
	}
	o, err := m.Store.Order(ctx, in.OrderID)
	if err != nil {
		return err
	}
	switch {
	case answered(e, in.ID):
		in.State, in.CreatingUntil, o.Status = koomock.InstanceActive, time.Time{}, koomock.OrderDelivered
		if err := m.scheduleExpiry(ctx, in); err != nil {
			return err
		}
	case last:
		in.State, o.Status = koomock.InstanceFailed, koomock.OrderFailed // KooGallery cancels and refunds
	default:
		return m.schedulePoll(ctx, in.ID)
	}
	if err := m.Store.PutInstance(ctx, in); err != nil {
		return err
	}
	return m.Store.UpdateOrder(ctx, o)
}

// pollCheck judges one poll: the instance delivered (then judged as any queryInstance answer), still
// being created, or, on the last poll of the window, never delivered.
func (m *Market) pollCheck(ctx context.Context, in koomock.Instance, last bool) notify.Check {
	query := m.queryChecks(ctx, []string{in.ID})
	return func(e *koomock.Exchange, answer map[string]any) {
		if answered(e, in.ID) {
			query(e, answer)
			i18n.Judge(e, koomock.RuleAsyncCreation, koomock.Pass, "verdict.async.delivered",
				in.ID, e.StartedAt.Sub(in.CreatedAt).Round(time.Second))
			return
		}
		if last {
			i18n.Judge(e, koomock.RuleAsyncCreation, koomock.Fail, "verdict.async.late",
				in.CreatedAt.Format(time.RFC3339), in.ID, in.CreatingUntil.Format(time.RFC3339))
			return
		}
		i18n.Judge(e, koomock.RuleAsyncCreation, koomock.Pass, "verdict.async.creating", in.ID, m.Options.AsyncPollEvery)
	}
}
