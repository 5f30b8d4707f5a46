package runner

import (
	"fmt"
	"strings"
)

// tagHint explains godog's tag syntax, which is Behat's and not Cucumber's tag expressions.
const tagHint = `tags use godog's syntax: "&&" for and, "," for or, "~" for not, e.g. "@saas && ~@slow, @smoke"`

// CheckTags rejects tag filters godog would panic on (an empty term, as in a trailing ",") or silently
// misread (Cucumber's "and", "or", "not", parentheses).
func CheckTags(filter string) error {
	if strings.TrimSpace(filter) == "" {
		return nil
	}
	for or := range strings.SplitSeq(filter, ",") {
		for and := range strings.SplitSeq(or, "&&") {
			term := strings.TrimSpace(and)
			name := strings.TrimPrefix(strings.ReplaceAll(term, "@", ""), "~")
			switch {
			case term == "":
				return fmt.Errorf("tag filter %q has an empty term; %s", filter, tagHint)
			case name == "" || strings.ContainsAny(name, " \t~!()|&"):
				return fmt.Errorf("tag filter %q: %q is not a tag; %s", filter, term, tagHint)
			}
		}
	}
	return nil
}
