package saas

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/store"
)

// The market's scheduled jobs, keyed by instance so that rescheduling replaces.
const (
	jobExpire  = "saas.expire"  // the period ends: FREEZE, and the freeze window starts
	jobRelease = "saas.release" // the freeze window ends: releaseInstance
	jobPoll    = "saas.poll"    // poll queryInstance for an instance created asynchronously
)

type instanceJob struct {
	InstanceID string `json:"instanceId"`
}

// scheduleExpiry (re)schedules the end of an instance's period; an instance without one has none.
func (m *Market) scheduleExpiry(ctx context.Context, in koomock.Instance) error {
	key := "expire:" + in.ID
	if in.ExpireAt.IsZero() {
		return m.Scheduler.Cancel(ctx, key)
	}
	_, err := m.Scheduler.Schedule(ctx, jobExpire, key, in.ExpireAt, 1, instanceJob{in.ID})
	return err
}

func (m *Market) scheduleRelease(ctx context.Context, in koomock.Instance) error {
	_, err := m.Scheduler.Schedule(ctx, jobRelease, "release:"+in.ID, in.ReleaseAt, 1, instanceJob{in.ID})
	return err
}

// cancelTimers drops an instance's pending expiry and release, when it is released or unfrozen.
func (m *Market) cancelTimers(ctx context.Context, id string, expiry bool) error {
	if expiry {
		if err := m.Scheduler.Cancel(ctx, "expire:"+id); err != nil {
			return err
		}
	}
	return m.Scheduler.Cancel(ctx, "release:"+id)
}

// freezeExpired freezes an instance whose period ended and starts its freeze window. m.mu is held.
func (m *Market) freezeExpired(ctx context.Context, in *koomock.Instance) (outgoing, error) {
	now := m.Now()
	in.State, in.FrozenAt, in.ReleaseAt = koomock.InstanceFrozen, now, now.Add(m.Options.FreezeFor)
	if err := m.scheduleRelease(ctx, *in); err != nil {
		return outgoing{}, err
	}
	if err := m.Store.PutInstance(ctx, *in); err != nil {
		return outgoing{}, err
	}
	return m.status(*in, protocol.StatusFreeze), nil
}

// runExpire freezes an instance when its period ended, unless a renewal moved the end meanwhile.
func (m *Market) runExpire(ctx context.Context, j store.Job) error {
	var p instanceJob
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return fmt.Errorf("expiry job: %w", err)
	}
	m.mu.Lock()
	in, err := m.Store.Instance(ctx, p.InstanceID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (in.State != koomock.InstanceActive || in.ExpireAt.IsZero() || in.ExpireAt.After(m.Now()))) {
		m.mu.Unlock()
		return nil
	}
	if err != nil {
		m.mu.Unlock()
		return err
	}
	out, err := m.freezeExpired(ctx, &in)
	m.mu.Unlock()
	if err != nil {
		return err
	}
	_, _, err = m.start(ctx, []outgoing{out})
	return err
}

// runRelease releases an instance at the end of its freeze window, unless it was renewed meanwhile.
func (m *Market) runRelease(ctx context.Context, j store.Job) error {
	var p instanceJob
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return fmt.Errorf("release job: %w", err)
	}
	m.mu.Lock()
	in, err := m.Store.Instance(ctx, p.InstanceID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (in.State != koomock.InstanceFrozen || in.ReleaseAt.IsZero() || in.ReleaseAt.After(m.Now()))) {
		m.mu.Unlock()
		return nil
	}
	if err != nil {
		m.mu.Unlock()
		return err
	}
	in.State, in.ReleasedAt = koomock.InstanceReleased, m.Now()
	if err := m.Store.PutInstance(ctx, in); err != nil {
		m.mu.Unlock()
		return err
	}
	m.mu.Unlock()
	_, _, err = m.start(ctx, []outgoing{m.callback(protocol.ReleaseInstance, in, nil, nil)})
	return err
}
