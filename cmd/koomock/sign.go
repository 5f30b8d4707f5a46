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
	show := func(name string) bool { return *scheme == "all" || *scheme == name }
	w := e.stdout
	if show("v2") {
		if err := printV2(w, *key, *nonce, at, body); err != nil {
			return usageError(e, "sign", err)
		}
	}
	if show("kit") {
		if err := printKit(w, *key, *nonce, at, body); err != nil {
			return usageError(e, "sign", err)
		}
	}
	if show("body-sign") {
		printBodySign(w, *key, body)
	}
	if show("usage-push") {
		if err := printUsagePush(w, *key, *nonce, at, body); err != nil {
			return usageError(e, "sign", err)
		}
	}
	if show("v1") {
		if err := printV1(w, *key, at, body); err != nil {
			return usageError(e, "sign", err)
		}
	}
	if show("apig") {
		if *rawURL == "" {
			if *scheme == "apig" {
				return usageError(e, "sign", errors.New("--scheme apig needs --url"))
			}
			fmt.Fprintln(w, "APIG AK/SK: give --url (and --method) to see the open-API signature")
		} else if err := printAPIG(w, *method, *rawURL, *bodyArg != "", body, *ak, *sk, at); err != nil {
			return usageError(e, "sign", err)
		}
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

func printV2(w io.Writer, key, nonce string, at time.Time, body []byte) error {
	canonical, err := protocol.CanonicalJSON(body)
	if err != nil {
		return fmt.Errorf("v2 needs a JSON object body: %w", err)
	}
	s := protocol.SignV2(key, nonce, at, canonical)
	fmt.Fprintf(w, "V2 basic-interface callback signature (spec saas-v2 §2.2)\n")
	row(w, "canonical body", "keys sorted, nulls dropped, compact, no HTML escaping", string(canonical))
	row(w, "inner digest", "lowerhex(HMAC-SHA256(key, canonical body))", s.Inner)
	row(w, "string to sign", "key + nonce + timestamp + inner digest", s.MaskedStringToSign())
	row(w, "signature", "HEX(HMAC-SHA256(key, string to sign)), compared ignoring case", s.Signature)
	row(w, "query", "added to the production URL", "?"+s.Query().Encode())
	fmt.Fprintln(w)
	return nil
}

func printKit(w io.Writer, key, nonce string, at time.Time, body []byte) error {
	canonical, err := protocol.CanonicalJSON(body)
	if err != nil {
		return fmt.Errorf("kit needs a JSON object body: %w", err)
	}
	s := protocol.SignKit(key, nonce, at, canonical, false)
	inner := protocol.SignKit(key, nonce, at, canonical, true)
	fmt.Fprintf(w, "Kit sync signature (joint operation, spec saas-v2 §2.3), with --key as the kit key\n")
	row(w, "canonical body", "keys sorted, nulls dropped, compact; numbers stay numbers", string(canonical))
	row(w, "string to sign", "kit key + x-nonce + x-timestamp + canonical body (no inner HMAC)", s.MaskedStringToSign())
	row(w, "x-sign", "lowerhex(HMAC-SHA256(kit key, string to sign))", s.Signature)
	row(w, "headers", "", "x-sign: "+s.Signature+"\nx-timestamp: "+s.Timestamp+"\nx-nonce: "+s.Nonce)
	row(w, "inner-HMAC variant", "with --kit-inner-hmac: the payload is lowerhex(HMAC(kit key, body)) instead of the body", inner.Signature)
	fmt.Fprintln(w)
	return nil
}

func printBodySign(w io.Writer, key string, body []byte) {
	sig := protocol.BodySign(key, body)
	fmt.Fprintf(w, "Body-Sign answer signature (spec saas-v2 §2.4), over the body as the answer\n")
	row(w, "signed bytes", "the exact answer body", strconv.Itoa(len(body))+" bytes")
	row(w, "signature", "base64(HMAC-SHA256(key alone, body))", sig)
	row(w, "header", "", protocol.BodySignHeader+": "+protocol.FormatBodySign(sig))
	fmt.Fprintln(w)
}

func printUsagePush(w io.Writer, key, nonce string, at time.Time, body []byte) error {
	canonical, err := protocol.CanonicalJSON(body)
	if err != nil {
		return fmt.Errorf("usage-push needs a JSON object body: %w", err)
	}
	ts := strconv.FormatInt(at.UnixMilli(), 10)
	fmt.Fprintf(w, "Usage push signature (new push, spec saas-v2 §6.3), over the body as the push\n")
	row(w, "body", "keys in natural (sorted) order, compact", string(canonical))
	row(w, "string to sign", "ts={ts}&nonce={nonce}&body={body}", "ts="+ts+"&nonce="+nonce+"&body="+string(canonical))
	row(w, "signature", "base64(HMAC-SHA256(access key, string to sign))", protocol.SignUsage(key, ts, nonce, canonical))
	row(w, "headers", "", "ts: "+ts+"\nnonce: "+nonce+"\nsignature: "+protocol.SignUsage(key, ts, nonce, canonical))
	fmt.Fprintln(w)
	return nil
}

func printV1(w io.Writer, key string, at time.Time, body []byte) error {
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
	fmt.Fprintf(w, "V1 authToken (deprecated; spec saas-v2 §7), over the body's fields as parameters\n")
	row(w, "timeStamp", "yyyyMMddHHmmssSSS, UTC", ts)
	row(w, "joined", "name=value&... sorted, blanks skipped, authToken excluded", s.Joined)
	row(w, "authToken", "base64(HMAC-SHA256(key + timeStamp, joined))", s.Token)
	fmt.Fprintln(w)
	return nil
}

func printAPIG(w io.Writer, method, rawURL string, hasBody bool, body []byte, ak, sk string, at time.Time) error {
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
	fmt.Fprintf(w, "APIG AK/SK, SDK-HMAC-SHA256 (spec saas-v2 §6.1), as Huawei's SDK signs it\n")
	row(w, "canonical request", "METHOD, URI ending in /, sorted query, headers, signed headers, body hash", "\n"+s.CanonicalRequest)
	row(w, "string to sign", "SDK-HMAC-SHA256, X-Sdk-Date, lowerhex(SHA256(canonical request))", "\n"+s.StringToSign)
	row(w, "signature", "lowerhex(HMAC-SHA256(SK, string to sign))", s.Signature)
	row(w, "headers", "", "\nX-Sdk-Date: "+r.Header.Get(protocol.HeaderSdkDate)+"\nAuthorization: "+r.Header.Get("Authorization"))
	fmt.Fprintln(w)
	return nil
}

// row prints one intermediate value with how it is computed.
func row(w io.Writer, name, how, value string) {
	if how != "" {
		fmt.Fprintf(w, "  %-17s %s\n  %-17s = %s\n", name, how, "", strings.ReplaceAll(value, "\n", "\n      "))
		return
	}
	fmt.Fprintf(w, "  %-17s %s\n", name, strings.ReplaceAll(value, "\n", "\n      "))
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
