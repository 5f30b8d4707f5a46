package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ErrNotJSONObject is returned when a body that must be one JSON object is anything else.
var ErrNotJSONObject = errors.New("body is not a single JSON object")

// CanonicalJSON returns the canonical form of a JSON object body, the payload both KooGallery
// signatures are computed over (spec saas-v2 §2.2, §2.3): top-level keys sorted ascending, top-level
// null values dropped, compact, no HTML escaping, numbers exactly as written.
//
// Huawei's sample re-serialises the body through a Java TreeMap, so a seller that re-serialises and one
// that hashes the raw bytes only agree when the raw body is already canonical; that is why koomock
// always sends canonical bytes. Go sorts nested object keys too, which is the documented order koomock
// emits for nested values (spec saas-v2 §2.3: "nested objects in a fixed documented order").
func CanonicalJSON(body []byte) ([]byte, error) {
	obj, err := DecodeObject(body)
	if err != nil {
		return nil, err
	}
	for k, v := range obj {
		if v == nil {
			delete(obj, k)
		}
	}
	return MarshalCanonical(obj)
}

// DecodeObject parses body as exactly one JSON object, keeping numbers as json.Number so that they
// re-serialise byte for byte.
func DecodeObject(body []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotJSONObject, err)
	}
	if obj == nil {
		return nil, ErrNotJSONObject
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: data after the object", ErrNotJSONObject)
	}
	return obj, nil
}

// MarshalCanonical serialises obj compactly with sorted keys and without HTML escaping. Top-level nil
// values are kept: callers that build bodies leave optional fields out rather than setting them nil.
func MarshalCanonical(obj map[string]any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(obj); err != nil {
		return nil, fmt.Errorf("marshal canonical body: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
