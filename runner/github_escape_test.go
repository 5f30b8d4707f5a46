package runner

import "testing"

// TestWorkflowCommandEscaping follows GitHub's toolkit (escapeData, escapeProperty): a message keeps
// ':' and ',', a property escapes them, both escape %, CR and LF, and nothing is escaped twice.
func TestWorkflowCommandEscaping(t *testing.T) {
	got := workflowCommand("error",
		[]prop{{"file", "a,b:c.feature"}, {"line", "7"}, {"title", "koomock: 100% a,b\r\nc %0A"}},
		"50% done\r\nnext: a, b %0A")
	want := "::error file=a%2Cb%3Ac.feature,line=7,title=koomock%3A 100%25 a%2Cb%0D%0Ac %250A::50%25 done%0D%0Anext: a, b %250A"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := workflowCommand("notice", nil, "x"); got != "::notice::x" {
		t.Errorf("no properties: %s", got)
	}
	for uri, want := range map[string]string{"a.feature:10": "a.feature", "own/a.feature": "own/a.feature", "a:b.feature": "a:b.feature", "a.feature:": "a.feature:"} {
		if got := featureFile(uri); got != want {
			t.Errorf("featureFile(%q) = %q, want %q", uri, got, want)
		}
	}
}
