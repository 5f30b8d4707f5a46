package apig

import (
	"net/http"
	"strconv"

	"github.com/koomock/koomock"
)

// Headers of an explained refusal. Multi-line values are quoted Go strings, so they fit in a header.
const (
	HeaderDiagnosis        = "X-Koomock-Diagnosis"
	HeaderMistake          = "X-Koomock-Mistake"
	HeaderExpectedPrefix   = "X-Koomock-Expected-"
	HeaderMatchedPrefix    = "X-Koomock-Matched-"
	explainedStepMaxLength = 4096
)

// explain puts a diagnosis into response headers: the one-line summary, the mistake's name, and each
// expected and matched step (e.g. X-Koomock-Expected-Canonical-Request).
func explain(h http.Header, d koomock.Diagnosis) {
	h.Set(HeaderDiagnosis, d.Summary)
	if d.Mistake != "" {
		h.Set(HeaderMistake, d.Mistake)
	}
	put := func(prefix string, steps []koomock.Step) {
		for _, s := range steps {
			v := strconv.Quote(s.Value)
			if len(v) > explainedStepMaxLength {
				v = v[:explainedStepMaxLength]
			}
			h.Set(prefix+headerWord(s.Name), v)
		}
	}
	put(HeaderExpectedPrefix, d.Expected)
	put(HeaderMatchedPrefix, d.Matched)
}

// headerWord turns "canonical request" into "Canonical-Request".
func headerWord(name string) string {
	b := []byte(name)
	up := true
	for i, c := range b {
		switch {
		case c == ' ':
			b[i], up = '-', true
		case up && c >= 'a' && c <= 'z':
			b[i], up = c-'a'+'A', false
		default:
			up = false
		}
	}
	return string(b)
}
