package protocol_test

import (
	"errors"
	"testing"

	"github.com/koomock/koomock/protocol"
)

// The vector of spec saas-v2 §2.4.
const (
	bodySignBody = `{"resultCode":"000000","resultMsg":"success"}`
	bodySignWant = "9r6UjfYtel1H1EO7t+89DeDkSnQky1LpCOfzpJpfHuk="
)

func TestBodySignMatchesSpecVector(t *testing.T) {
	if got := protocol.BodySign(vecKey, []byte(bodySignBody)); got != bodySignWant {
		t.Errorf("BodySign = %s, want %s", got, bodySignWant)
	}
	want := `sign_type="HMAC-SHA256", signature= "` + bodySignWant + `"`
	if got := protocol.FormatBodySign(bodySignWant); got != want {
		t.Errorf("FormatBodySign = %s, want %s", got, want)
	}
}

func TestVerifyBodySign(t *testing.T) {
	tests := []struct {
		name   string
		header string
		body   string
		want   error
	}{
		{"documented form", protocol.FormatBodySign(bodySignWant), bodySignBody, nil},
		{"no space after signature=", `sign_type="HMAC-SHA256",signature="` + bodySignWant + `"`, bodySignBody, nil},
		{"spaces everywhere", ` sign_type = "HMAC-SHA256" , signature = "` + bodySignWant + `" `, bodySignBody, nil},
		{"missing", "", bodySignBody, protocol.ErrBodySignMissing},
		{"wrong sign type", `sign_type="HMAC-SHA1", signature= "` + bodySignWant + `"`, bodySignBody, protocol.ErrBodySignMalformed},
		{"empty signature", `sign_type="HMAC-SHA256", signature= ""`, bodySignBody, protocol.ErrBodySignMalformed},
		{"body with trailing newline", protocol.FormatBodySign(bodySignWant), bodySignBody + "\n", protocol.ErrBodySignMismatch},
		{"re-encoded body", protocol.FormatBodySign(bodySignWant), `{"resultCode": "000000", "resultMsg": "success"}`, protocol.ErrBodySignMismatch},
		{"not base64", `sign_type="HMAC-SHA256", signature= "%%%"`, bodySignBody, protocol.ErrBodySignMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := protocol.VerifyBodySign(vecKey, tt.header, []byte(tt.body))
			if !errors.Is(err, tt.want) {
				t.Errorf("VerifyBodySign = %v, want %v", err, tt.want)
			}
		})
	}
}
