package protocol

import (
	"encoding/base64"
	"net/url"
	"slices"
	"strings"
)

// V1 authToken (deprecated SaaS V1, License 1.0, kit V1; spec saas-v2 §7): the query parameters (or, for
// kit V1, the body fields) except authToken, sorted by name, joined as name=value with "&" using decoded
// values and skipping blank ones, then
//
//	authToken = base64(HMAC_SHA256(key = accessKey + timeStamp, msg = joined))
//
// koomock does not send V1 callbacks; it computes V1 tokens to recognise a V2 seller still verifying
// with the V1 formula, and to print them in `koomock sign`.

// V1AuthToken holds the intermediate values of a V1 authToken.
type V1AuthToken struct {
	// Joined is the sorted name=value&... string that is signed.
	Joined string
	// Token is the base64 authToken.
	Token string
}

// SignV1 computes the V1 authToken over params with the given timeStamp (yyyyMMddHHmmssSSS).
func SignV1(accessKey, timeStamp string, params url.Values) V1AuthToken {
	names := make([]string, 0, len(params))
	for k := range params {
		if k != "authToken" {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	var parts []string
	for _, k := range names {
		if v := params.Get(k); v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	joined := strings.Join(parts, "&")
	return V1AuthToken{Joined: joined, Token: base64.StdEncoding.EncodeToString(hmacSHA256(accessKey+timeStamp, []byte(joined)))}
}
