package openapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/koomock/koomock/openapi"
)

func loadSeller(t *testing.T) *openapi.Spec {
	t.Helper()
	spec, err := openapi.Load(nil, openapi.SellerFile)
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestNewInstanceAnswer(t *testing.T) {
	spec := loadSeller(t)
	tests := []struct {
		name     string
		answer   string
		pointers []string
	}{
		{"documented example", `{"resultCode":"000000","resultMsg":"success.","instanceId":"03pf80c2bae96vc49"}`, nil},
		{"refusal without instanceId", `{"resultCode":"000001","resultMsg":"token is invalid"}`, nil},
		{"resultCode a number", `{"resultCode":0,"instanceId":"i"}`, []string{"/resultCode"}},
		{"resultCode five digits", `{"resultCode":"00000","instanceId":"i"}`, []string{"/resultCode"}},
		{"resultMsg too long", `{"resultCode":"000000","resultMsg":"` + strings.Repeat("x", 256) + `","instanceId":"i"}`, []string{"/resultMsg"}},
		{"instanceId too long and msg too long", `{"resultCode":"000000","resultMsg":"` + strings.Repeat("长", 256) + `","instanceId":"` + strings.Repeat("i", 65) + `"}`, []string{"/instanceId", "/resultMsg"}},
		{"no resultCode", `{"instanceId":"i"}`, []string{"/resultCode"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := spec.CheckAnswer("newInstance", decode(t, tt.answer))
			if err != nil {
				t.Fatal(err)
			}
			var pointers []string
			for _, v := range got {
				pointers = append(pointers, v.Pointer)
				if v.Message == "" {
					t.Errorf("violation at %q has no message", v.Pointer)
				}
			}
			slices.Sort(pointers)
			if !slices.Equal(pointers, tt.pointers) {
				t.Errorf("violations at %q, want %q (%+v)", pointers, tt.pointers, got)
			}
		})
	}
}

func TestRequestSchemaAndRequired(t *testing.T) {
	spec := loadSeller(t)
	req, err := spec.Required("newInstance")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(req, []string{"activity", "orderId", "orderLineId", "businessId"}) {
		t.Errorf("Required = %v", req)
	}
	got, err := spec.CheckRequest("newInstance", map[string]any{"activity": "newInstance", "orderId": "o", "orderLineId": "l", "businessId": "b", "bogus": "x"})
	if err != nil || len(got) != 1 {
		t.Errorf("CheckRequest with an undeclared field = %+v, %v; want one violation", got, err)
	}
	if _, err := spec.CheckAnswer("noSuchActivity", map[string]any{}); !errors.Is(err, openapi.ErrUnknownWebhook) {
		t.Errorf("unknown webhook = %v", err)
	}
}

func TestLoadRejectsBrokenDocument(t *testing.T) {
	fsys := fstest.MapFS{"bad.yaml": {Data: []byte("openapi: 3.1.0\ninfo: {}\n")}}
	if _, err := openapi.Load(fsys, "bad.yaml"); err == nil {
		t.Error("a document without title and version loaded without error")
	}
}

func TestMarketplaceDocumentLoads(t *testing.T) {
	spec, err := openapi.Load(nil, openapi.MarketplaceFile)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "http://koomock.local:8080/healthz", nil)
	got, err := spec.CheckHTTPRequest(context.Background(), req, nil)
	if err != nil || len(got) != 0 {
		t.Errorf("healthz: %+v, %v", got, err)
	}
	req = httptest.NewRequest("GET", "/no/such/api", nil)
	if _, err := spec.CheckHTTPRequest(context.Background(), req, nil); !errors.Is(err, openapi.ErrNoOperation) {
		t.Errorf("unknown path: %v", err)
	}
}

// tinySpec is a hand-written document for testing request validation without depending on the real
// documents' content.
const tinySpec = `openapi: 3.0.3
info: {title: tiny, version: "1"}
paths:
  /things:
    post:
      parameters:
        - {name: kind, in: query, required: true, schema: {type: string, enum: [a, b]}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string, maxLength: 3}
                tags: {type: array, maxItems: 1, items: {type: string}}
      responses:
        "200": {description: ok}
`

func TestCheckHTTPRequest(t *testing.T) {
	spec, err := openapi.Load(fstest.MapFS{"tiny.yaml": {Data: []byte(tinySpec)}}, "tiny.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, query, body string
		want              []string // "in pointer"
	}{
		{"valid", "kind=a", `{"name":"abc"}`, nil},
		{"bad query value", "kind=c", `{"name":"abc"}`, []string{"query /kind"}},
		{"missing query", "", `{"name":"abc"}`, []string{"query /kind"}},
		{"body too long and too many tags", "kind=a", `{"name":"abcd","tags":["x","y"]}`, []string{"body /name", "body /tags"}},
		{"body missing field", "kind=b", `{}`, []string{"body /name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/things?"+tt.query, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			got, err := spec.CheckHTTPRequest(context.Background(), req, []byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			var where []string
			for _, v := range got {
				where = append(where, v.In+" "+v.Pointer)
				if v.Message == "" {
					t.Errorf("no message for %+v", v)
				}
			}
			slices.Sort(where)
			if !slices.Equal(where, tt.want) {
				t.Errorf("violations %q, want %q (%+v)", where, tt.want, got)
			}
		})
	}
}
