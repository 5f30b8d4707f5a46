package saasapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/diagnose"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/mock/inbound"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/store"
)

// UsageWindow is how old begin_time may be (spec saas-v2 §6.3, MKT.9004).
const UsageWindow = 21 * 24 * time.Hour

// usageStatus is the HTTP status of each usage push code: the documentation gives only MKT.0999's
// (500); the others are koomock's choice, stated in openapi/marketplace.yaml.
var usageStatus = map[string]int{
	protocol.MKTSuccess:          http.StatusOK,
	protocol.MKTInvalidBodySign:  http.StatusUnauthorized,
	protocol.MKTIllegalToken:     http.StatusUnauthorized,
	protocol.MKTIllegalOperation: http.StatusForbidden,
	protocol.MKTNoAuthority:      http.StatusForbidden,
	protocol.MKTInternal:         http.StatusInternalServerError,
}

func writeUsage(w http.ResponseWriter, code, msg string) {
	status, ok := usageStatus[code]
	if !ok {
		status = http.StatusBadRequest
	}
	writeJSON(w, status, protocol.UsageResult{ErrorCode: code, ErrorMsg: msg})
}

// usageError is a refused push: its MKT code and why.
type usageError struct {
	code, msg string
}

func (e *usageError) Error() string { return e.code + ": " + e.msg }

func refuse(code, format string, args ...any) error {
	return &usageError{code: code, msg: fmt.Sprintf(format, args...)}
}

func (a *API) handleUsagePush(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	h := r.Header
	ts, nonce, sig := h.Get(protocol.HeaderUsageTS), h.Get(protocol.HeaderUsageNonce), h.Get(protocol.HeaderUsageSignature)
	err := protocol.VerifyUsage(a.AccessKey, ts, nonce, sig, inbound.Body(ctx))
	if err != nil {
		d := diagnose.UsagePush(diagnose.UsageInput{TS: ts, Nonce: nonce, Signature: sig, Body: inbound.Body(ctx), AccessKey: a.AccessKey, OtherKeys: a.OtherKeys})
		inbound.Diagnose(ctx, d)
		inbound.Judge(ctx, i18n.Verdict(koomock.RuleUsageSignature, koomock.Fail, "verdict.usageSignature.fail", err, i18n.DiagnosisPhrase(d)))
		writeUsage(w, protocol.MKTInvalidBodySign, "invalid body sign")
		return
	}
	inbound.Judge(ctx, i18n.Verdict(koomock.RuleUsageSignature, koomock.Pass, "verdict.usageSignature.pass"))
	a.acceptUsage(w, r, false)
}

func (a *API) handleUsagePushOld(w http.ResponseWriter, r *http.Request) {
	a.acceptUsage(w, r, true)
}

// acceptUsage validates every record and stores them all, or refuses the push with the first
// problem's code and stores nothing.
func (a *API) acceptUsage(w http.ResponseWriter, r *http.Request, old bool) {
	ctx := r.Context()
	var push protocol.UsagePush
	if err := json.Unmarshal(inbound.Body(ctx), &push); err != nil {
		a.refused(w, r, refuse(protocol.MKTInputInvalid, "the body is not a usage push: %v", err))
		return
	}
	records, err := a.check(ctx, push.Records, old)
	if err != nil {
		a.refused(w, r, err)
		return
	}
	dup, err := a.Store.AddUsage(ctx, records)
	if err != nil {
		a.Logger.Error("store usage", "err", err)
		writeUsage(w, protocol.MKTInternal, "internal error")
		return
	}
	inbound.Correlate(ctx, "", records[0].InstanceID)
	v := i18n.Verdict(koomock.RuleUsageRecords, koomock.Pass, "verdict.usageRecords.pass", len(records)-len(dup))
	if len(dup) > 0 {
		v = i18n.Verdict(koomock.RuleUsageRecords, koomock.Pass, "verdict.usageRecords.passDup", len(records)-len(dup), len(dup), strings.Join(dup, ", "))
	}
	inbound.Judge(ctx, v)
	writeUsage(w, protocol.MKTSuccess, "success")
}

func (a *API) refused(w http.ResponseWriter, r *http.Request, err error) {
	var ue *usageError
	if !errors.As(err, &ue) {
		a.Logger.Error("usage push", "err", err)
		writeUsage(w, protocol.MKTInternal, "internal error")
		return
	}
	// The refusal's message is KooGallery's result message, sent as it is; only the verdict's frame is
	// the reader's language.
	inbound.Judge(r.Context(), i18n.Verdict(koomock.RuleUsageRecords, koomock.Fail, "verdict.usageRecords.refused", ue.code, ue.msg))
	writeUsage(w, ue.code, ue.msg)
}

// check turns the pushed records into stored ones, refusing the first invalid record.
func (a *API) check(ctx context.Context, in []protocol.UsageRecord, old bool) ([]koomock.UsageRecord, error) {
	if len(in) == 0 {
		return nil, refuse(protocol.MKTInputInvalid, "usage_records is empty")
	}
	if len(in) > protocol.MaxUsageRecords {
		return nil, refuse(protocol.MKTTooManyRecords, "%d records: at most %d per push", len(in), protocol.MaxUsageRecords)
	}
	now := a.Now()
	seen := map[string]bool{}
	var out []koomock.UsageRecord
	for i, rec := range in {
		at := fmt.Sprintf("usage_records[%d]", i)
		value, err := rec.UsageValue.Value()
		if err != nil {
			return nil, refuse(protocol.MKTInvalidUsage, "%s: %v", at, err)
		}
		times := [3]time.Time{}
		for j, s := range []string{rec.RecordTime, rec.BeginTime, rec.EndTime} {
			if times[j], err = time.Parse(protocol.UsageTimeLayout, s); err != nil {
				return nil, refuse(protocol.MKTInvalidParam, "%s: %q is not yyyyMMdd'T'HHmmss'Z' (UTC)", at, s)
			}
		}
		recordAt, begin, end := times[0], times[1], times[2]
		if !end.After(begin) {
			return nil, refuse(protocol.MKTInvalidUsage, "%s: end_time %s is not after begin_time %s", at, rec.EndTime, rec.BeginTime)
		}
		if now.Sub(begin) > UsageWindow {
			return nil, refuse(protocol.MKTTooOld, "%s: begin_time %s is more than 21 days before koomock's time %s",
				at, rec.BeginTime, now.UTC().Format(protocol.UsageTimeLayout))
		}
		if err := a.checkInstance(ctx, at, rec, old); err != nil {
			return nil, err
		}
		if seen[rec.MeteringSN] {
			continue // the same record twice in one push: counted once, as across pushes
		}
		seen[rec.MeteringSN] = true
		out = append(out, koomock.UsageRecord{
			MeteringSN: rec.MeteringSN, InstanceID: rec.InstanceID, Value: value, BeginAt: begin, EndAt: end, RecordAt: recordAt,
			PackageInstanceID: rec.RelatePkgInstance, ReceivedAt: now,
		})
	}
	return out, nil
}

// checkInstance requires an on-demand instance koomock knows (and, for the old push, its product).
func (a *API) checkInstance(ctx context.Context, at string, rec protocol.UsageRecord, old bool) error {
	in, err := a.Store.Instance(ctx, rec.InstanceID)
	if errors.Is(err, store.ErrNotFound) {
		return refuse(protocol.MKTNoInstance, "%s: instance %s does not exist", at, rec.InstanceID)
	}
	if err != nil {
		return err
	}
	if in.ChargingMode != koomock.ChargingOnDemand {
		return refuse(protocol.MKTIllegalOperation, "%s: instance %s is %s; usage is pushed for pay-per-use (ON_DEMAND) instances", at, in.ID, in.ChargingMode)
	}
	if old && rec.ProductID != in.ProductID {
		return refuse(protocol.MKTInvalidParam, "%s: product_id %q is not instance %s's product %s", at, rec.ProductID, in.ID, in.ProductID)
	}
	if rec.RelatePkgInstance != "" {
		pkg, err := a.Store.Instance(ctx, rec.RelatePkgInstance)
		if err != nil || pkg.ChargingMode != koomock.ChargingOnDemandPkg {
			return refuse(protocol.MKTInvalidUsage, "%s: relate_pkg_instance %s is not a package instance", at, rec.RelatePkgInstance)
		}
	}
	return nil
}
