package seller

import (
	"context"
	"strings"

	"github.com/koomock/koomock/protocol"
)

// frontEndURL is where the reference seller's buyers would sign in.
const frontEndURL = "https://saas.example.com/instances/"

// memo is the free text shown to the buyer; its Chinese goes out as \uXXXX escapes (see reply).
const memo = "欢迎使用 koomock 演示服务。Welcome to the koomock demo service."

func (s *Seller) registerQueryActivity() {
	s.handle(protocol.QueryInstance, s.queryInstance)
}

type queryAnswer struct {
	answer
	Info []protocol.InstanceInfo `json:"info,omitempty"`
}

// queryInstance reports every requested instance with how to reach it and, for on-demand and
// package instances, the usage so far. It pushes on-demand usage not yet pushed first, so that what
// KooGallery pulls and what it was pushed agree. An instance created asynchronously answers 000004
// until it is ready.
func (s *Seller) queryInstance(ctx context.Context, f fields) any {
	if f.missing(protocol.FieldInstanceID) {
		return badParam()
	}
	ids := strings.Split(f.str(protocol.FieldInstanceID), ",")
	if len(ids) > protocol.MaxQueryIDs {
		return badParam()
	}
	if !f.debug() {
		if a, done := s.stillCreating(ids); done {
			return a
		}
		s.pushUsage(ctx, ids)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := queryAnswer{answer: ok()}
	for _, id := range ids {
		in := s.find(id, false)
		switch {
		case in == nil && f.debug():
			in = &instance{ID: id} // a debug call about a stand-in instance: answer it all the same
		case in == nil:
			return unknownInstance()
		}
		info := protocol.InstanceInfo{InstanceID: id, AppInfo: &protocol.AppInfo{
			FrontEndURL: frontEndURL + id, AdminURL: frontEndURL + id + "/admin", UserName: "admin", Memo: memo,
		}}
		switch in.ChargingMode {
		case chargingOnDemand:
			info.UsageInfo = []protocol.UsageInfo{{UsageValue: in.metered(), StatisticalTime: protocol.FormatMillisTime(s.cfg.Now())}}
		case chargingOnDemandPkg:
			info.UsageInfo = []protocol.UsageInfo{{UsageValue: 0, StatisticalTime: protocol.FormatMillisTime(s.cfg.Now())}}
		}
		a.Info = append(a.Info, info)
	}
	return a
}

// stillCreating answers 000004 while an asynchronously created instance among ids is not ready; each
// such answer brings it one query closer.
func (s *Seller) stillCreating(ids []string) (answer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	creating := false
	for _, id := range ids {
		in := s.find(id, false)
		if in == nil || in.Status != statusCreating {
			continue
		}
		if in.pollsLeft > 0 {
			in.pollsLeft--
			creating = true
			continue
		}
		in.Status = statusActive
	}
	return answer{protocol.ResultProcessing, msgProcessing}, creating
}
