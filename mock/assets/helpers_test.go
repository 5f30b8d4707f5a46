package assets_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/clock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/mock/mocktest"
	"github.com/koomock/koomock/protocol"
)

// env is a koomock on virtual time with its control client.
type env struct {
	t   *testing.T
	srv *mock.Server
	clk *clock.Clock
	api *controlapi.Client
}

// newEnv starts koomock with no seller; edit may change the configuration.
func newEnv(t *testing.T, edit func(*mock.Config)) *env {
	t.Helper()
	m := mocktest.New(t, mocktest.Options{NoSeller: true, Config: edit})
	return &env{t: t, srv: m.Server, clk: m.Clock, api: m.API}
}

// packageAsset creates a software_package asset.
func (e *env) packageAsset() koomock.Asset {
	e.t.Helper()
	a, err := e.api.CreateAsset(context.Background(), controlapi.AssetRequest{Name: "License client", DeployedType: koomock.DeploySoftwarePackage})
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// upload puts body as version v of asset id.
func (e *env) upload(id, v, name, body string) (koomock.Asset, error) {
	return e.api.UploadAssetVersion(context.Background(), id, v, controlapi.AssetUpload{
		PackageName: name, Body: strings.NewReader(body), Size: int64(len(body))})
}

// deployed calls the deployed-object API signed by Huawei's official Go SDK signer.
func (e *env) deployed(path string, q url.Values) (int, protocol.DeployedObjectAnswer, string) {
	e.t.Helper()
	b := request.NewHttpRequestBuilder().WithEndpoint(e.srv.URL()).WithPath(path).WithMethod("GET").
		AddHeaderParam("X-Sdk-Date", e.clk.Wall().Format(protocol.SdkDateFormat))
	for k, vs := range q {
		b = b.AddQueryParam(k, reflect.ValueOf(vs[0])) // the SDK takes reflect values
	}
	req := b.Build()
	extra, err := signer.Sign(req, fixtures.DemoAK, fixtures.DemoSK)
	if err != nil {
		e.t.Fatal(err)
	}
	for k, v := range extra {
		req.AddHeaderParam(k, v)
	}
	r, err := req.ConvertRequest()
	if err != nil {
		e.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var ans protocol.DeployedObjectAnswer
	json.Unmarshal(raw, &ans)
	return resp.StatusCode, ans, string(raw)
}

// get fetches url with optional headers.
func get(t *testing.T, u string, header ...string) (int, http.Header, string) {
	t.Helper()
	r, _ := http.NewRequest(http.MethodGet, u, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(raw)
}

// unescape is what the docs' recipe does to internal_path: jsondecode("\"${...}\"").
func unescape(t *testing.T, internal string) string {
	t.Helper()
	var s string
	if err := json.Unmarshal([]byte(`"`+internal+`"`), &s); err != nil {
		t.Fatalf("internal_path %q does not un-escape: %v", internal, err)
	}
	return s
}

func q(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// head sends a HEAD request to u.
func head(t *testing.T, u string) (int, http.Header, string) {
	t.Helper()
	resp, err := http.Head(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header, ""
}
