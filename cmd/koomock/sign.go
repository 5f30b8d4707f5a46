package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/ids"
	"github.com/koomock/koomock/protocol"
)

// signSchemes are the schemes `koomock sign` prints, in order.
var signSchemes = []string{"v2", "kit", "body-sign", "usage-push", "v1", "apig"}

func runSign(_ context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "sign", "sign [--scheme v2|kit|body-sign|usage-push|v1|apig|all] [--body JSON|@FILE|-] [--key KEY] [--nonce N] [--timestamp MS] [--url URL --method M]")
	scheme := fs.String("scheme", "all", "which `scheme` to show: v2 (basic-interface callbacks), kit (joint-operation syncs), body-sign (answers), usage-push (new usage push, with --timestamp as ts), v1 (deprecated authToken), apig (open-API AK/SK), or all")
	bodyArg := fs.String("body", "", "the JSON `body`: inline, @file, or - for standard input (default: a sample newInstance body)")
	key := fs.String("key", "", "the access `key` (default: koomock's demo key); it is never printed")
	nonce := fs.String("nonce", "", "the `nonce` (default: a random one)")
	timestamp := fs.Int64("timestamp", 0, "the timestamp in `milliseconds` (default: now)")
	rawURL := fs.String("url", "", "for apig: the request `URL` (e.g. https://mkt.myhuaweicloud.com/api/mkp-openapi-public/global/v1/order/query?orderId=CS1)")
	method := fs.String("method", "", "for apig: the HTTP `method` (default: GET without a body, POST with one)")
	ak := fs.String("ak", fixtures.DemoAK, "for apig: the access key `ID`")
	sk := fs.String("sk", "", "for apig: the secret `key` (default: koomock's demo SK); it is never printed")
	asJSON := registerJSON(fs)
	if err := fs.parse(args); err != nil {
		return usageError(e, "sign", err)
	}
	if *scheme != "all" && !contains(signSchemes, *scheme) {
		return usageError(e, "sign", fmt.Errorf("--scheme %q: want one of %s or all", *scheme, strings.Join(signSchemes, ", ")))
	}
	body, err := readBodyArg(*bodyArg, e.stdin)
	if err != nil {
		return usageError(e, "sign", err)
	}
	if *key == "" {
		*key = fixtures.DemoAccessKey
	}
	if *sk == "" {
		*sk = fixtures.DemoSK
	}
	if *nonce == "" {
		*nonce = ids.New(nil).Nonce()
	}
	at := time.Now()
	if *timestamp != 0 {
		at = time.UnixMilli(*timestamp)
	}
	o := &signOutput{w: e.stdout, schemes: map[string]map[string]string{}}
	if *asJSON {
		o.w = nil
	}
	// show also names the section the printers below fill.
	show := func(name string) bool {
		o.scheme = name
		return *scheme == "all" || *scheme == name
	}
	if show("v2") {
		if err := printV2(o, *key, *nonce, at, body); err != nil {
			return usageError(e, "sign", err)
		}
	}
	if show("kit") {
		if err := printKit(o, *key, *nonce, at, body); err != nil {
			return usageError(e, "sign", err)
		}
	}
	if show("body-sign") {
		printBodySign(o, *key, body)
	}
	if show("usage-push") {
		if err := printUsagePush(o, *key, *nonce, at, body); err != nil {
			return usageError(e, "sign", err)
		}
	}
	if show("v1") {
		if err := printV1(o, *key, at, body); err != nil {
			return usageError(e, "sign", err)
		}
	}
	if show("apig") {
		if *rawURL == "" {
			if *scheme == "apig" {
				return usageError(e, "sign", errors.New("--scheme apig needs --url"))
			}
			if o.w != nil {
				fmt.Fprintln(o.w, "APIG AK/SK: give --url (and --method) to see the open-API signature")
			}
		} else if err := printAPIG(o, *method, *rawURL, *bodyArg != "", body, *ak, *sk, at); err != nil {
			return usageError(e, "sign", err)
		}
	}
	if *asJSON {
		writeJSON(e.stdout, signJSON{Nonce: *nonce, Timestamp: at.UnixMilli(), Schemes: o.schemes})
	}
	return exitOK
}

const sampleBody = `{"activity":"newInstance","businessId":"87b94795-0603-4e24-8ae5-69420d60e3c8","orderId":"CS2211181819B4LVS","orderLineId":"CS2211181819B4LVS-000001","testFlag":"1"}`

func readBodyArg(arg string, stdin io.Reader) ([]byte, error) {
	switch {
	case arg == "":
		return []byte(sampleBody), nil
	case arg == "-":
		return io.ReadAll(io.LimitReader(stdin, 16<<20))
	case strings.HasPrefix(arg, "@"):
		b, err := os.ReadFile(arg[1:])
		if err != nil {
			return nil, fmt.Errorf("--body %s: %w", arg, err)
		}
		return b, nil
	}
	return []byte(arg), nil
}

func printV2(o *signOutput, key, nonce string, at time.Time, body []byte) error {
	canonical, err := protocol.CanonicalJSON(body)
	if err != nil {
		return fmt.Errorf("v2 needs a JSON object body: %w", err)
	}
	s := protocol.SignV2(key, nonce, at, canonical)
	o.section("V2 basic-interface callback signature (spec saas-v2 §2.2)")
	o.row("canonical body", "keys sorted, nulls dropped, compact, no HTML escaping", string(canonical))
	o.row("inner digest", "lowerhex(HMAC-SHA256(key, canonical body))", s.Inner)
	o.row("string to sign", "key + nonce + timestamp + inner digest", s.MaskedStringToSign())
	o.row("signature", "HEX(HMAC-SHA256(key, string to sign)), compared ignoring case", s.Signature)
	o.row("query", "added to the production URL", "?"+s.Query().Encode())
	o.end()
	return nil
}

func printKit(o *signOutput, key, nonce string, at time.Time, body []byte) error {
	canonical, err := protocol.CanonicalJSON(body)
	if err != nil {
		return fmt.Errorf("kit needs a JSON object body: %w", err)
	}
	s := protocol.SignKit(key, nonce, at, canonical, false)
	inner := protocol.SignKit(key, nonce, at, canonical, true)
	o.section("Kit sync signature (joint operation, spec saas-v2 §2.3), with --key as the kit key")
	o.row("canonical body", "keys sorted, nulls dropped, compact; numbers stay numbers", string(canonical))
	o.row("string to sign", "kit key + x-nonce + x-timestamp + canonical body (no inner HMAC)", s.MaskedStringToSign())
	o.row("x-sign", "lowerhex(HMAC-SHA256(kit key, string to sign))", s.Signature)
	o.row("headers", "", "x-sign: "+s.Signature+"\nx-timestamp: "+s.Timestamp+"\nx-nonce: "+s.Nonce)
	o.row("inner-HMAC variant", "with --kit-inner-hmac: the payload is lowerhex(HMAC(kit key, body)) instead of the body", inner.Signature)
	o.end()
	return nil
}

func printBodySign(o *signOutput, key string, body []byte) {
	sig := protocol.BodySign(key, body)
	o.section("Body-Sign answer signature (spec saas-v2 §2.4), over the body as the answer")
	o.row("signed bytes", "the exact answer body", strconv.Itoa(len(body))+" bytes")
	o.row("signature", "base64(HMAC-SHA256(key alone, body))", sig)
	o.row("header", "", protocol.BodySignHeader+": "+protocol.FormatBodySign(sig))
	o.end()
}

func printUsagePush(o *signOutput, key, nonce string, at time.Time, body []byte) error {
	canonical, err := protocol.CanonicalJSON(body)
	if err != nil {
		return fmt.Errorf("usage-push needs a JSON object body: %w", err)
	}
	ts := strconv.FormatInt(at.UnixMilli(), 10)
	o.section("Usage push signature (new push, spec saas-v2 §6.3), over the body as the push")
	o.row("body", "keys in natural (sorted) order, compact", string(canonical))
	o.row("string to sign", "ts={ts}&nonce={nonce}&body={body}", "ts="+ts+"&nonce="+nonce+"&body="+string(canonical))
	o.row("signature", "base64(HMAC-SHA256(access key, string to sign))", protocol.SignUsage(key, ts, nonce, canonical))
	o.row("headers", "", "ts: "+ts+"\nnonce: "+nonce+"\nsignature: "+protocol.SignUsage(key, ts, nonce, canonical))
	o.end()
	return nil
}

func printV1(o *signOutput, key string, at time.Time, body []byte) error {
	fields, err := protocol.DecodeObject(body)
	if err != nil {
		return fmt.Errorf("v1 needs a JSON object body (its fields become the parameters): %w", err)
	}
	ts := at.UTC().Format("20060102150405.000")
	ts = strings.Replace(ts, ".", "", 1)
	params := url.Values{"timeStamp": {ts}}
	for k, v := range fields {
		params.Set(k, fmt.Sprint(v))
	}
	s := protocol.SignV1(key, ts, params)
	o.section("V1 authToken (deprecated; spec saas-v2 §7), over the body's fields as parameters")
	o.row("timeStamp", "yyyyMMddHHmmssSSS, UTC", ts)
	o.row("joined", "name=value&... sorted, blanks skipped, authToken excluded", s.Joined)
	o.row("authToken", "base64(HMAC-SHA256(key + timeStamp, joined))", s.Token)
	o.end()
	return nil
}

func printAPIG(o *signOutput, method, rawURL string, hasBody bool, body []byte, ak, sk string, at time.Time) error {
	if !hasBody {
		body = nil
	}
	if method == "" {
		method = http.MethodGet
		if len(body) > 0 {
			method = http.MethodPost
		}
	}
	r, err := http.NewRequest(method, rawURL, nil)
	if err != nil || r.URL.Host == "" {
		return fmt.Errorf("--url %q is not an absolute URL", rawURL)
	}
	if len(body) > 0 {
		r.Header.Set("Content-Type", "application/json")
	}
	s := protocol.SignAPIGRequest(r, body, ak, sk, at)
	o.section("APIG AK/SK, SDK-HMAC-SHA256 (spec saas-v2 §6.1), as Huawei's SDK signs it")
	o.row("canonical request", "METHOD, URI ending in /, sorted query, headers, signed headers, body hash", "\n"+s.CanonicalRequest)
	o.row("string to sign", "SDK-HMAC-SHA256, X-Sdk-Date, lowerhex(SHA256(canonical request))", "\n"+s.StringToSign)
	o.row("signature", "lowerhex(HMAC-SHA256(SK, string to sign))", s.Signature)
	o.row("headers", "", "\nX-Sdk-Date: "+r.Header.Get(protocol.HeaderSdkDate)+"\nAuthorization: "+r.Header.Get("Authorization"))
	o.end()
	return nil
}

// signOutput is where sign's printers write: the text for a terminal, or, with w nil, the values
// by scheme and JSON key for --json.
type signOutput struct {
	w       io.Writer
	scheme  string
	schemes map[string]map[string]string
}

// signJSON is sign's --json object: the nonce and timestamp used, and each scheme's values.
type signJSON struct {
	Nonce     string                       `json:"nonce"`
	Timestamp int64                        `json:"timestamp"`
	Schemes   map[string]map[string]string `json:"schemes"`
}

// section starts a scheme's block.
func (o *signOutput) section(title string) {
	if o.w != nil {
		fmt.Fprintln(o.w, title)
		return
	}
	o.schemes[o.scheme] = map[string]string{}
}

// row prints one intermediate value with how it is computed.
func (o *signOutput) row(name, how, value string) {
	if o.w == nil {
		o.schemes[o.scheme][jsonKey(name)] = strings.TrimPrefix(value, "\n")
		return
	}
	w := o.w
	if how != "" {
		fmt.Fprintf(w, "  %-17s %s\n  %-17s = %s\n", name, how, "", strings.ReplaceAll(value, "\n", "\n      "))
		return
	}
	fmt.Fprintf(w, "  %-17s %s\n", name, strings.ReplaceAll(value, "\n", "\n      "))
}

// end closes a scheme's block.
func (o *signOutput) end() {
	if o.w != nil {
		fmt.Fprintln(o.w)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
