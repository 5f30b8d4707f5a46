package license

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/mock/inbound"
	"github.com/koomock/koomock/protocol"
)

// refusal is a business refusal of a license call: its error code and, for the journal, why: in
// English, and as a verdict's argument rendered in the reader's language.
type refusal struct {
	code   protocol.LicenseErrorCode
	reason string
	why    string
}

// refused is a refusal whose reason is the catalog's key with its arguments.
func refused(code protocol.LicenseErrorCode, key string, args ...any) *refusal {
	t := i18n.Say(key, args...)
	return &refusal{code: code, reason: t.English, why: i18n.TextPhrase(t)}
}

func (r *refusal) Error() string { return string(r.code) + ": " + r.reason }

// checkActivation says why c cannot be activated now (with realEffect, if given), or nil.
func checkActivation(c koomock.LicenseCode, realEffect time.Time) *refusal {
	switch {
	case !c.Received():
		return refused(protocol.LicenseNotReceived, "license.refusal.notReceived")
	case c.Activated:
		return refused(protocol.LicenseIllegalState, "license.refusal.activatedAt", c.ActivatedAt.UTC().Format(time.RFC3339))
	case c.State != koomock.LicenseActive:
		return refused(protocol.LicenseIllegalState, "license.refusal.state", c.State)
	case !realEffect.IsZero() && realEffect.Before(c.CreatedAt):
		return refused(protocol.LicenseInvalidParam, "license.refusal.beforeOrder",
			protocol.FormatLicenseTime(realEffect), protocol.FormatLicenseTime(c.CreatedAt))
	}
	return nil
}

// activate marks c activated and returns the event.
func activate(c *koomock.LicenseCode, now, realEffect time.Time, api, note string) []koomock.LicenseEvent {
	c.Activated, c.ActivatedAt, c.RealEffectAt = true, now, realEffect
	return []koomock.LicenseEvent{{Code: c.Code, Kind: koomock.LicenseEventActivated, At: now, API: api, Note: note}}
}

// status is what the query API reports for c.
func (s *Service) status(c koomock.LicenseCode) protocol.LicenseStatus {
	switch c.State {
	case koomock.LicenseFrozen:
		return s.Settings.FrozenStatus
	case koomock.LicenseReleased:
		return protocol.LicenseReleased
	}
	return protocol.LicenseAlive
}

// decodeBody reads the request body the gateway already validated.
func decodeBody(r *http.Request, v any) error {
	return json.Unmarshal(inbound.Body(r.Context()), v)
}

// noCode is the note of a call naming a code koomock does not know.
func noCode(code string) string { return i18n.TextPhrase(i18n.Say("license.note.noCode", code)) }

// answer writes a license envelope and records the call's outcome in the journal.
func answer(w http.ResponseWriter, r *http.Request, code protocol.LicenseErrorCode, data any, note string) {
	outcome := koomock.Pass
	if code != protocol.LicenseSuccess {
		outcome = koomock.Warn
	}
	// code.Message() is the error_msg KooGallery sends, kept as it is in either language.
	v := i18n.Verdict(koomock.RuleLicenseCall, outcome, "verdict.license.call", string(code), code.Message())
	if note != "" {
		v = i18n.Verdict(koomock.RuleLicenseCall, outcome, "verdict.license.callNote", string(code), code.Message(), note)
	}
	inbound.Judge(r.Context(), v)
	writeEnvelope(w, code, data)
}

func (s *Service) handleActivateV1(w http.ResponseWriter, r *http.Request) {
	var req protocol.ActivateRequest
	if !s.decode(w, r, &req) {
		return
	}
	inbound.Correlate(r.Context(), "", req.License)
	if s.gatewayFault(w, r, []string{req.License}) {
		return
	}
	codes, ref := s.activateByAPI(r.Context(), []string{req.License}, req.RealEffectTime, "v1")
	if ref != nil {
		if ref.code == protocol.LicenseInvalidInBatch {
			ref.code = protocol.LicenseNotExist // one code: v1 names the refusal itself
		}
		answer(w, r, ref.code, nil, ref.why)
		return
	}
	c := codes[0]
	inbound.Correlate(r.Context(), c.OrderID, "")
	info, _ := json.Marshal(protocol.LicenseCodeInfo{
		Status: s.status(c), ExpireTime: protocol.FormatLicenseTime(c.ExpireAt),
		ProductID: c.ProductID, Amount: c.Amount, OrderID: c.OrderID,
	})
	answer(w, r, protocol.LicenseSuccess, protocol.ActivateData{LicenseCodeInfo: string(info)}, i18n.Phrase("license.note.activated", c.Code))
}

func (s *Service) handleActivateV2(w http.ResponseWriter, r *http.Request) {
	var req protocol.ActivateBatchRequest
	if !s.decode(w, r, &req) {
		return
	}
	names := unique(req.LicenseList)
	inbound.Correlate(r.Context(), "", names[0])
	if s.gatewayFault(w, r, names) {
		return
	}
	_, ref := s.activateByAPI(r.Context(), names, req.RealEffectTime, "v2")
	if ref != nil {
		if ref.code != protocol.LicenseInternalError {
			ref.code = protocol.LicenseInvalidInBatch
		}
		answer(w, r, ref.code, nil, ref.why)
		return
	}
	answer(w, r, protocol.LicenseSuccess, nil, i18n.Phrase("license.note.activatedN", len(names)))
}

// activateByAPI activates every named code, or none: the refusal names the first code that cannot
// be, with LicenseInvalidInBatch standing for an unknown code.
func (s *Service) activateByAPI(ctx context.Context, names []string, realEffectTime, api string) ([]koomock.LicenseCode, *refusal) {
	var realEffect time.Time
	if realEffectTime != "" {
		t, err := time.Parse(protocol.LicenseTimeFormat, realEffectTime)
		if err != nil {
			return nil, refused(protocol.LicenseInvalidParam, "license.refusal.notATime", realEffectTime)
		}
		realEffect = t
	}
	for _, n := range names {
		if _, ok := s.code(n); !ok {
			return nil, refused(protocol.LicenseInvalidInBatch, "license.note.noCode", n)
		}
	}
	now := s.Now()
	codes, err := s.change(ctx, names, func(cs []*koomock.LicenseCode) ([]koomock.LicenseEvent, error) {
		var events []koomock.LicenseEvent
		for _, c := range cs {
			if ref := checkActivation(*c, realEffect); ref != nil {
				ref.reason, ref.why = c.Code+": "+ref.reason, c.Code+": "+ref.why
				return nil, ref
			}
			events = append(events, activate(c, now, realEffect, api, "")...)
		}
		return events, nil
	})
	if ref, ok := err.(*refusal); ok {
		return nil, ref
	}
	if err != nil {
		s.Logger.Error("activate license codes", "err", err)
		return nil, refused(protocol.LicenseInternalError, "license.refusal.notStored")
	}
	return codes, nil
}

func (s *Service) handleHeartbeatV1(w http.ResponseWriter, r *http.Request) {
	var req protocol.HeartbeatRequest
	if !s.decode(w, r, &req) {
		return
	}
	inbound.Correlate(r.Context(), "", req.License)
	if s.gatewayFault(w, r, []string{req.License}) {
		return
	}
	c, ok := s.code(req.License)
	switch {
	case !ok:
		answer(w, r, protocol.LicenseNotExist, nil, noCode(req.License))
		return
	case !c.Activated:
		answer(w, r, protocol.LicenseNotActivated, nil, i18n.Phrase("license.note.activateFirst", c.Code))
		return
	}
	inbound.Correlate(r.Context(), c.OrderID, "")
	infos, err := s.heartbeat(r, []koomock.LicenseCode{c}, "v1", req.HeartbeatInfo)
	if err != nil {
		answer(w, r, protocol.LicenseInternalError, nil, i18n.Phrase("license.note.heartbeatNotStored"))
		return
	}
	answer(w, r, protocol.LicenseSuccess, infos[0], i18n.Phrase("license.note.status", c.Code, infos[0].Status))
}

func (s *Service) handleHeartbeatV2(w http.ResponseWriter, r *http.Request) {
	var req protocol.HeartbeatBatchRequest
	if !s.decode(w, r, &req) {
		return
	}
	names := unique(req.LicenseList)
	inbound.Correlate(r.Context(), "", names[0])
	if s.gatewayFault(w, r, names) {
		return
	}
	codes := make([]koomock.LicenseCode, 0, len(names))
	for _, n := range names {
		c, ok := s.code(n)
		switch {
		case !ok:
			answer(w, r, protocol.LicenseInvalidInBatch, nil, noCode(n))
			return
		case !c.Activated:
			answer(w, r, protocol.LicenseInvalidInBatch, nil, i18n.Phrase("license.note.notActivated", n))
			return
		}
		codes = append(codes, c)
	}
	infos, err := s.heartbeat(r, codes, "v2", nil)
	if err != nil {
		answer(w, r, protocol.LicenseInternalError, nil, i18n.Phrase("license.note.heartbeatNotStored"))
		return
	}
	var data any = infos
	if s.Settings.V2HeartbeatShape == ShapeObject {
		data = protocol.LicenseInfoList{LicenseInfoList: infos}
	}
	answer(w, r, protocol.LicenseSuccess, data, i18n.Phrase("license.note.codes", len(infos)))
}

// heartbeat answers a status query of activated codes: each code's status, unless the license-status
// fault overrides it. A code's first heartbeat changes it (已检测): that is stored, with its history
// event, before the answer. Later heartbeats change nothing; the journal records each of them, tied to
// the code, like every call, and that is their history (GET /_mock/license/codes/{code} lists them):
// storing each a second time would put a SQLite write on the hottest path for nothing the answer
// depends on.
func (s *Service) heartbeat(r *http.Request, codes []koomock.LicenseCode, api string, info *protocol.HeartbeatInfo) ([]protocol.LicenseInfo, error) {
	now := s.Now()
	infos := make([]protocol.LicenseInfo, len(codes))
	var first []string
	var events []koomock.LicenseEvent
	for i, c := range codes {
		st := s.status(c)
		if f, ok := s.Faults.Take(r.Context(), FaultStatus, c.Code); ok && f.Value != "" {
			inbound.Judge(r.Context(), i18n.Verdict(koomock.RuleLicenseCall, koomock.Warn, "verdict.fault.status", FaultStatus, c.Code, f.Value, st))
			st = protocol.LicenseStatus(f.Value)
		}
		infos[i] = protocol.LicenseInfo{LicenseCode: c.Code, Status: st,
			ActivateTime: protocol.FormatLicenseTime(c.ActivatedAt), ExpireTime: protocol.FormatLicenseTime(c.ExpireAt)}
		if c.HeartbeatSeen {
			continue
		}
		first = append(first, c.Code)
		ev := koomock.LicenseEvent{Code: c.Code, Kind: koomock.LicenseEventHeartbeat, At: now, API: api, Status: string(st), Note: "first heartbeat"}
		if info != nil {
			ev.Account, ev.IP = info.ThirdPartyAccount, info.IP
		}
		events = append(events, ev)
	}
	if len(first) == 0 {
		return infos, nil
	}
	_, err := s.change(r.Context(), first, func(cs []*koomock.LicenseCode) ([]koomock.LicenseEvent, error) {
		for _, c := range cs {
			c.HeartbeatSeen = true
		}
		return events, nil
	})
	return infos, err
}

func (s *Service) handleUsage(w http.ResponseWriter, r *http.Request) {
	var req protocol.UsageRequest
	if !s.decode(w, r, &req) {
		return
	}
	var names []string
	for _, u := range req.UsageInfo {
		names = append(names, u.License)
	}
	inbound.Correlate(r.Context(), "", names[0])
	if s.gatewayFault(w, r, names) {
		return
	}
	now := s.Now()
	failed := []string{}
	var events []koomock.LicenseEvent
	var first []string
	for _, u := range req.UsageInfo {
		c, ok := s.code(u.License)
		if !ok || !c.Activated {
			if !slices.Contains(failed, u.License) {
				failed = append(failed, u.License)
			}
			continue
		}
		for _, su := range u.SoftwareUsageInfo {
			events = append(events, koomock.LicenseEvent{Code: c.Code, Kind: koomock.LicenseEventUsage, At: now, API: "v2",
				Account: su.ID, ActiveNum: su.ActiveNum})
		}
		if !c.UsageSeen && !slices.Contains(first, c.Code) {
			first = append(first, c.Code)
		}
	}
	var err error
	switch {
	case len(first) > 0:
		_, err = s.change(r.Context(), first, func(cs []*koomock.LicenseCode) ([]koomock.LicenseEvent, error) {
			for _, c := range cs {
				c.UsageSeen = true
			}
			return events, nil
		})
	case len(events) > 0:
		err = s.record(r.Context(), events...)
	}
	if err != nil {
		answer(w, r, protocol.LicenseInternalError, nil, i18n.Phrase("license.note.usageNotStored"))
		return
	}
	note := i18n.Phrase("license.note.usage", len(req.UsageInfo)-len(failed))
	if len(failed) > 0 {
		note = i18n.TextPhrase(i18n.Say("license.note.usageRefused", len(req.UsageInfo)-len(failed), strings.Join(failed, ", ")))
	}
	answer(w, r, protocol.LicenseSuccess, map[string][]string{s.Settings.UsageFailField: failed}, note)
}

// unique drops repeated codes, keeping the first of each.
func unique(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}
