// Package openapi holds koomock's OpenAPI documents, embedded, and validates bodies against them.
//
// seller.yaml describes what a seller implements: one webhook per activity, with the request koomock
// sends and the answer it expects. Answers are validated with kin-openapi's schema validator, every
// violation reported with its JSON pointer. A flag can point koomock at edited copies on disk.
package openapi

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// FS holds the embedded documents.
//
//go:embed *.yaml
var FS embed.FS

// SellerFile is the name of the seller-side document.
const SellerFile = "seller.yaml"

// Violation is one way a body breaks its schema.
type Violation struct {
	// In says where the offending value is in a request: "body", "query", "header" or "path"; empty
	// for answers, which only have a body.
	In string `json:"in,omitempty"`
	// Pointer is the JSON pointer of the offending value ("" for the whole body); for a parameter it
	// is "/" and the parameter's name.
	Pointer string `json:"pointer"`
	Message string `json:"message"`
}

// Spec is a loaded, validated document.
type Spec struct {
	doc *openapi3.T
	routing
}

// Load reads and validates the named document from fsys (FS when nil).
func Load(fsys fs.FS, name string) (*Spec, error) {
	if fsys == nil {
		fsys = FS
	}
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", name, err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("validate %s: %w", name, err)
	}
	return &Spec{doc: doc}, nil
}

// ErrUnknownWebhook is returned for an activity the document does not describe.
var ErrUnknownWebhook = errors.New("no such webhook in the document")

func (s *Spec) operation(webhook string) (*openapi3.Operation, error) {
	item := s.doc.Webhooks[webhook]
	if item == nil || item.Post == nil {
		return nil, fmt.Errorf("%w: %s", ErrUnknownWebhook, webhook)
	}
	return item.Post, nil
}

// Webhooks lists the webhook names the document describes, sorted.
func (s *Spec) Webhooks() []string {
	names := make([]string, 0, len(s.doc.Webhooks))
	for name := range s.doc.Webhooks {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

func (s *Spec) requestSchema(webhook string) (*openapi3.Schema, error) {
	op, err := s.operation(webhook)
	if err != nil {
		return nil, err
	}
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil, fmt.Errorf("webhook %s has no request body", webhook)
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return nil, fmt.Errorf("webhook %s has no JSON request schema", webhook)
	}
	return mt.Schema.Value, nil
}

func (s *Spec) answerSchema(webhook string) (*openapi3.Schema, error) {
	op, err := s.operation(webhook)
	if err != nil {
		return nil, err
	}
	resp := op.Responses.Status(200)
	if resp == nil || resp.Value == nil {
		return nil, fmt.Errorf("webhook %s has no 200 answer", webhook)
	}
	mt := resp.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return nil, fmt.Errorf("webhook %s has no JSON answer schema", webhook)
	}
	return mt.Schema.Value, nil
}

// CheckAnswer validates a seller's decoded JSON answer to webhook against its 200 schema.
func (s *Spec) CheckAnswer(webhook string, answer any) ([]Violation, error) {
	schema, err := s.answerSchema(webhook)
	if err != nil {
		return nil, err
	}
	return check(schema, answer), nil
}

// CheckRequest validates a decoded request body koomock sends for webhook against its schema.
func (s *Spec) CheckRequest(webhook string, body any) ([]Violation, error) {
	schema, err := s.requestSchema(webhook)
	if err != nil {
		return nil, err
	}
	return check(schema, body), nil
}

// Required returns the mandatory request fields of webhook, in the document's order.
func (s *Spec) Required(webhook string) ([]string, error) {
	schema, err := s.requestSchema(webhook)
	if err != nil {
		return nil, err
	}
	return slices.Clone(schema.Required), nil
}

// check runs the schema validator and flattens its errors into violations.
func check(schema *openapi3.Schema, value any) []Violation {
	// Round-trip through JSON so callers may pass typed structs as well as decoded maps.
	if _, ok := value.(map[string]any); !ok {
		if b, err := json.Marshal(value); err == nil {
			var decoded any
			if json.Unmarshal(b, &decoded) == nil {
				value = decoded
			}
		}
	}
	err := schema.VisitJSON(value, openapi3.MultiErrors())
	if err == nil {
		return nil
	}
	var out []Violation
	collect(err, &out)
	return out
}

func collect(err error, out *[]Violation) {
	var multi openapi3.MultiError
	if errors.As(err, &multi) {
		for _, e := range multi {
			collect(e, out)
		}
		return
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		*out = append(*out, Violation{Pointer: pointer(se.JSONPointer()), Message: schemaMessage(se)})
		return
	}
	*out = append(*out, Violation{Message: err.Error()})
}

// schemaMessage names the broken keyword and the reason, without kin-openapi's dump of the whole
// schema and value, which would bury the point in a journal entry.
func schemaMessage(se *openapi3.SchemaError) string {
	if se.SchemaField == "" {
		return se.Reason
	}
	return se.SchemaField + ": " + se.Reason
}

func pointer(tokens []string) string {
	if len(tokens) == 0 {
		return ""
	}
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(t))
	}
	return b.String()
}
