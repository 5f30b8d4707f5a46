package license

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/store"
)

// Kinds of the license's scheduled jobs. Each handler checks the code's state before acting, because
// jobs run at least once.
const (
	// jobExpire freezes a code when the clock reaches its expiry.
	jobExpire = "license.expire"
	// jobFreezeEnd releases a code still frozen at the end of the freeze window.
	jobFreezeEnd = "license.freezeEnd"
)

// jobPayload names the code a job is about.
type jobPayload struct {
	Code string `json:"code"`
}

func expireKey(code string) string    { return "license-expire:" + code }
func freezeEndKey(code string) string { return "license-freeze-end:" + code }

func (s *Service) registerJobs() {
	s.Scheduler.Handle(jobExpire, s.runExpire)
	s.Scheduler.Handle(jobFreezeEnd, s.runFreezeEnd)
}

func payloadCode(j store.Job) (string, error) {
	var p jobPayload
	if err := json.Unmarshal(j.Payload, &p); err != nil || p.Code == "" {
		return "", fmt.Errorf("%s job %q: bad payload %s", j.Kind, j.Key, j.Payload)
	}
	return p.Code, nil
}

func (s *Service) runExpire(ctx context.Context, j store.Job) error {
	code, err := payloadCode(j)
	if err != nil {
		return err
	}
	if _, ok := s.code(code); !ok {
		return nil
	}
	_, err = s.freeze(ctx, code, controlapi.LicenseResult{})
	return err
}

func (s *Service) runFreezeEnd(ctx context.Context, j store.Job) error {
	code, err := payloadCode(j)
	if err != nil {
		return err
	}
	c, ok := s.code(code)
	if !ok || c.State != koomock.LicenseFrozen || s.Now().Before(c.FrozenAt.Add(s.Settings.FreezeWindow)) {
		return nil
	}
	_, err = s.release(ctx, code, koomock.Order{}, false)
	return err
}
