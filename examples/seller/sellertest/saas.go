package sellertest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/protocol"
)

// intercept answers the callbacks decide handles itself (signed with Body-Sign as the reference
// seller signs), and lets the reference seller answer the others.
func intercept(decide func(f map[string]any) (map[string]any, bool)) func(seller.Config, http.Handler) http.Handler {
	return func(cfg seller.Config, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			f, err := protocol.DecodeObject(body)
			if err == nil && protocol.VerifyV2(cfg.AccessKey, r.URL.Query(), body, now(cfg)) == nil {
				if a, ok := decide(f); ok {
					writeAnswer(w, cfg, a, true)
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

func writeAnswer(w http.ResponseWriter, cfg seller.Config, a map[string]any, escape bool) {
	body, _ := json.Marshal(a)
	if escape {
		body = protocol.EscapeNonASCII(body)
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set(protocol.BodySignHeader, protocol.FormatBodySign(protocol.BodySign(cfg.AccessKey, body)))
	w.Write(body)
}

func str(f map[string]any, k string) string {
	v, _ := f[k].(string)
	return v
}

func code(c protocol.ResultCode) map[string]any {
	return map[string]any{"resultCode": string(c), "resultMsg": "sellertest"}
}

// releaseOnce answers 000003 to a second release of the same instance.
func releaseOnce(cfg seller.Config, next http.Handler) http.Handler {
	var mu sync.Mutex
	released := map[string]bool{}
	return intercept(func(f map[string]any) (map[string]any, bool) {
		if str(f, "activity") != string(protocol.ReleaseInstance) {
			return nil, false
		}
		mu.Lock()
		defer mu.Unlock()
		id := str(f, "instanceId")
		if released[id] {
			return code(protocol.ResultNoSuchInstance), true
		}
		released[id] = true
		return nil, false
	})(cfg, next)
}

// acceptTooManyIDs answers a queryInstance of more than 100 IDs with success.
func acceptTooManyIDs(cfg seller.Config, next http.Handler) http.Handler {
	return intercept(func(f map[string]any) (map[string]any, bool) {
		if str(f, "activity") == string(protocol.QueryInstance) && strings.Count(str(f, "instanceId"), ",") >= protocol.MaxQueryIDs {
			return map[string]any{"resultCode": "000000", "resultMsg": "ok", "info": []any{}}, true
		}
		return nil, false
	})(cfg, next)
}

// refuse17Digits refuses refreshInstance whose expireTime has milliseconds.
func refuse17Digits(cfg seller.Config, next http.Handler) http.Handler {
	return intercept(func(f map[string]any) (map[string]any, bool) {
		if str(f, "activity") == string(protocol.RefreshInstance) && len(str(f, "expireTime")) == 17 {
			return code(protocol.ResultInvalidParam), true
		}
		return nil, false
	})(cfg, next)
}

// neverReady keeps answering 000004 to queryInstance for an instance it once answered 000004 for.
func neverReady(cfg seller.Config, next http.Handler) http.Handler {
	var mu sync.Mutex
	creating := map[string]bool{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		f, _ := protocol.DecodeObject(body)
		query := str(f, "activity") == string(protocol.QueryInstance)
		mu.Lock()
		stuck := query && creating[str(f, "instanceId")]
		mu.Unlock()
		if stuck && protocol.VerifyV2(cfg.AccessKey, r.URL.Query(), body, now(cfg)) == nil {
			writeAnswer(w, cfg, code(protocol.ResultProcessing), true)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var a map[string]any
		json.Unmarshal(rec.Body.Bytes(), &a)
		if query && a["resultCode"] == string(protocol.ResultProcessing) {
			mu.Lock()
			creating[str(f, "instanceId")] = true
			mu.Unlock()
		}
		copyAnswer(w, rec)
	})
}

// debugOnce answers each debug call's order once, then fails its replays.
func debugOnce(cfg seller.Config, next http.Handler) http.Handler {
	var mu sync.Mutex
	seen := map[string]bool{}
	return intercept(func(f map[string]any) (map[string]any, bool) {
		if str(f, "testFlag") != protocol.TestFlagDebug {
			return nil, false
		}
		key := str(f, "activity") + "/" + str(f, "orderId") + "/" + str(f, "instanceId")
		mu.Lock()
		defer mu.Unlock()
		if seen[key] {
			return code(protocol.ResultInternalError), true
		}
		seen[key] = true
		return nil, false
	})(cfg, next)
}

// unescapedAnswers re-sends the reference seller's answers with non-ASCII characters as they are.
func unescapedAnswers(cfg seller.Config, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var a map[string]any
		if json.Unmarshal(rec.Body.Bytes(), &a) != nil {
			copyAnswer(w, rec)
			return
		}
		writeAnswer(w, cfg, a, false)
	})
}

func copyAnswer(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func appInfo(info map[string]any) map[string]any {
	m, _ := info["appInfo"].(map[string]any)
	if m == nil {
		return map[string]any{}
	}
	return m
}

// editInfo edits queryInstance's info list.
func editInfo(edit func([]any) []any) func(seller.Config, http.Handler) http.Handler {
	return rewriteAnswer(func(a map[string]any) {
		if info := asList(a["info"]); len(info) > 0 {
			a["info"] = edit(info)
		}
	})
}

// editEachInfo edits every instance of queryInstance's info.
func editEachInfo(edit func(map[string]any)) func(seller.Config, http.Handler) http.Handler {
	return editInfo(func(info []any) []any {
		for _, i := range info {
			if m, ok := i.(map[string]any); ok {
				edit(m)
			}
		}
		return info
	})
}

// tamperUsageSignature corrupts the signature of usage pushes on their way out.
type tamperUsageSignature struct{}

func (tamperUsageSignature) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, protocol.UsagePushPath) {
		r = r.Clone(r.Context())
		r.Header.Set(protocol.HeaderUsageSignature, "AAAA"+r.Header.Get(protocol.HeaderUsageSignature)[4:])
	}
	return http.DefaultTransport.RoundTrip(r)
}

// wrongBodySign sends the reference seller's answers with a Body-Sign over other bytes.
func wrongBodySign(cfg seller.Config, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		if rec.Header().Get(protocol.BodySignHeader) != "" {
			rec.Header().Set(protocol.BodySignHeader, protocol.FormatBodySign(protocol.BodySign(cfg.AccessKey, []byte("other bytes"))))
		}
		copyAnswer(w, rec)
	})
}
