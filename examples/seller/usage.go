package seller

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/koomock/koomock/protocol"
)

// usageRecord is one metered amount of an on-demand instance.
type usageRecord struct {
	sn         string
	value      float64
	begin, end time.Time
	pushed     bool
}

// startMeter meters an on-demand instance's first use: one unit for its activation. A real seller
// meters what its buyers use; the reference seller needs some usage to push. s.mu is held.
func (s *Seller) startMeter(in *instance) {
	now := s.cfg.Now().UTC().Truncate(time.Second)
	in.meter = append(in.meter, usageRecord{sn: in.ID + "-1", value: 1, begin: now, end: now.Add(time.Second)})
}

// metered is the cumulative usage, what queryInstance's usageInfo reports for on-demand instances.
func (in *instance) metered() float64 {
	var sum float64
	for _, r := range in.meter {
		sum += r.value
	}
	return sum
}

// pushUsage pushes the usage of the instances not pushed yet with the new usage push (spec saas-v2
// §6.3), signed with the access key. A failed push is logged and tried again next time.
func (s *Seller) pushUsage(ctx context.Context, ids []string) {
	if s.cfg.MarketplaceURL == "" {
		return
	}
	s.mu.Lock()
	var push protocol.UsagePush
	for _, id := range ids {
		in := s.find(id, false)
		if in == nil {
			continue
		}
		for _, r := range in.meter {
			if !r.pushed {
				push.Records = append(push.Records, protocol.UsageRecord{
					InstanceID: in.ID, MeteringSN: r.sn, UsageValue: protocol.UsageAmount(strconv.FormatFloat(r.value, 'f', -1, 64)),
					BeginTime: r.begin.Format(protocol.UsageTimeLayout), EndTime: r.end.Format(protocol.UsageTimeLayout),
					RecordTime: s.cfg.Now().UTC().Format(protocol.UsageTimeLayout),
				})
			}
		}
	}
	s.mu.Unlock()
	if len(push.Records) == 0 {
		return
	}
	if err := s.sendUsage(ctx, push); err != nil {
		s.cfg.Logger.Warn("usage push failed", "err", err)
		return
	}
	pushed := map[string]bool{}
	for _, r := range push.Records {
		pushed[r.MeteringSN] = true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		if in := s.find(id, false); in != nil {
			for i := range in.meter {
				in.meter[i].pushed = in.meter[i].pushed || pushed[in.meter[i].sn]
			}
		}
	}
}

// sendUsage posts one push: the body in its natural (sorted) order, signed over "ts=&nonce=&body=".
func (s *Seller) sendUsage(ctx context.Context, push protocol.UsagePush) error {
	raw, err := json.Marshal(push)
	if err != nil {
		return err
	}
	obj, err := protocol.DecodeObject(raw)
	if err != nil {
		return err
	}
	body, err := protocol.MarshalCanonical(obj)
	if err != nil {
		return err
	}
	ts := strconv.FormatInt(s.cfg.Wall().UnixMilli(), 10)
	nonce := fmt.Sprintf("%x", s.cfg.Wall().UnixNano())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(s.cfg.MarketplaceURL, "/")+protocol.UsagePushPath, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(protocol.HeaderUsageTS, ts)
	req.Header.Set(protocol.HeaderUsageNonce, nonce)
	req.Header.Set(protocol.HeaderUsageSignature, protocol.SignUsage(s.cfg.AccessKey, ts, nonce, body))
	resp, err := s.cfg.HTTPClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	var res protocol.UsageResult
	if json.Unmarshal(answer, &res) != nil || res.ErrorCode != protocol.MKTSuccess {
		return fmt.Errorf("HTTP %d %.200s", resp.StatusCode, answer)
	}
	return nil
}
