package notify

import (
	"fmt"
	"sort"
	"strings"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/openapi"
)

// judgeNulls reads the answer as KooGallery's Java parser does: a JSON null is an absent field. It
// returns the answer without its nulls, for the schema check and the rules, and notes each null of an
// optional field under the advisory answer.nullField (Spring Boot's Jackson writes unset fields as
// null by default). A null mandatory field is left to the schema check, which finds it missing: the
// pointers of the nulls are returned so that its message can say the field was null.
func judgeNulls(e *koomock.Exchange, d Callback, n *Notifier, obj map[string]any) (map[string]any, []string) {
	var nulls []string
	stripped := stripNulls(obj, "", &nulls).(map[string]any)
	if len(nulls) == 0 {
		return obj, nil
	}
	violations, err := n.Spec.CheckAnswer(string(d.Activity), stripped)
	if err != nil {
		return stripped, nulls
	}
	sort.Strings(nulls)
	for _, p := range nulls {
		if mandatory(p, violations) {
			continue // answer.schema fails it
		}
		e.Record(i18n.VerdictAt(koomock.RuleNullField, koomock.Fail, p, "verdict.nullField.fail", p))
	}
	return stripped, nulls
}

// stripNulls copies v without the members of its objects that are null, appending their pointers.
// Nulls inside arrays stay: an array element cannot be absent.
func stripNulls(v any, at string, nulls *[]string) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, val := range t {
			p := at + "/" + escapePointer(k)
			if val == nil {
				*nulls = append(*nulls, p)
				continue
			}
			out[k] = stripNulls(val, p, nulls)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, val := range t {
			out[i] = stripNulls(val, fmt.Sprintf("%s/%d", at, i), nulls)
		}
		return out
	}
	return v
}

// mandatory reports whether the schema check, run without the nulls, misses the field at p: the
// field is mandatory, so its null breaks answer.schema.
func mandatory(p string, violations []openapi.Violation) bool {
	parent, name := p[:strings.LastIndex(p, "/")], p[strings.LastIndex(p, "/")+1:]
	for _, v := range violations {
		if v.Pointer == p || (v.Pointer == parent && strings.Contains(v.Message, `"`+name+`"`)) {
			return true
		}
	}
	return false
}

// nullOf is the pointer of the null field a schema violation misses, "" when the field was not null.
func nullOf(v openapi.Violation, nulls []string) string {
	for _, p := range nulls {
		if mandatory(p, []openapi.Violation{v}) {
			return p
		}
	}
	return ""
}

func escapePointer(k string) string {
	return strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
}
