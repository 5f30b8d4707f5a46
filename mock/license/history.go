package license

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/protocol"
)

// heartbeats returns a code's heartbeats as the journal recorded them, newest first, at most limit.
// A v2 call about several codes is tied to its first code in the journal.
func (s *Service) heartbeats(ctx context.Context, code string, limit int) ([]koomock.LicenseEvent, error) {
	list, err := s.Store.Exchanges(ctx, koomock.ExchangeFilter{Direction: koomock.Inbound, Activity: protocol.LicenseAPIHeartbeat, InstanceID: code, Limit: limit})
	if err != nil {
		return nil, err
	}
	out := make([]koomock.LicenseEvent, 0, len(list))
	for _, e := range list {
		out = append(out, heartbeatFromExchange(code, e))
	}
	return out, nil
}

// heartbeatFromExchange reads a heartbeat call back from its journal entry.
func heartbeatFromExchange(code string, e koomock.Exchange) koomock.LicenseEvent {
	ev := koomock.LicenseEvent{Code: code, Kind: koomock.LicenseEventHeartbeat, At: e.StartedAt, ExchangeID: e.ID, API: "v1"}
	if strings.Contains(e.Request.URL, "/v2/") {
		ev.API = "v2"
	}
	var req protocol.HeartbeatRequest
	if json.Unmarshal([]byte(e.Request.Body), &req) == nil && req.HeartbeatInfo != nil {
		ev.Account, ev.IP = req.HeartbeatInfo.ThirdPartyAccount, req.HeartbeatInfo.IP
	}
	if e.Response == nil {
		ev.Note = "no answer: " + e.Error
		return ev
	}
	var env protocol.LicenseEnvelope
	if err := json.Unmarshal([]byte(e.Response.Body), &env); err != nil || e.Response.Status != 200 {
		ev.Note = fmt.Sprintf("HTTP %d %s", e.Response.Status, env.ErrorCode)
		return ev
	}
	if env.ErrorCode != protocol.LicenseSuccess {
		ev.Note = string(env.ErrorCode) + " " + env.ErrorMsg
		return ev
	}
	var one protocol.LicenseInfo
	var many []protocol.LicenseInfo
	var obj protocol.LicenseInfoList
	switch {
	case json.Unmarshal(env.Data, &one) == nil && one.LicenseCode != "":
		many = []protocol.LicenseInfo{one}
	case json.Unmarshal(env.Data, &many) == nil:
	case json.Unmarshal(env.Data, &obj) == nil:
		many = obj.LicenseInfoList
	}
	for _, li := range many {
		if li.LicenseCode == code {
			ev.Status = string(li.Status)
		}
	}
	return ev
}
