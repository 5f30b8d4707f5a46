package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/koomock/koomock/runner"
)

// busyboxVar is deploy.BusyboxVar, spelled here so that a build without template deploy (the
// container image, -tags nodeploy) links no Docker client; a test keeps the two equal.
const busyboxVar = "KOOMOCK_BUSYBOX"

// otherKnownEnv are KOOMOCK_* variables that are not flags and still are koomock's: KOOMOCK_CONFIG,
// the license-client contract koomock sets for a seller's client (runner.Env*, and the example
// client's KOOMOCK_CA_FILE), which a seller may export in the same shell to try their client, and
// the switches of koomock's own test suite (.ci/run exports them), and KOOMOCK_BUSYBOX.
var otherKnownEnv = []string{
	"KOOMOCK_CONFIG",
	runner.EnvURL, runner.EnvAK, runner.EnvSK, runner.EnvLicenseCode, runner.EnvStateDir, "KOOMOCK_CA_FILE",
	"KOOMOCK_REQUIRE_BROWSER", "KOOMOCK_CHROMIUM", "KOOMOCK_ARTIFACTS", "KOOMOCK_FUZZTIME", "KOOMOCK_REQUIRE_DOCKER",
	busyboxVar, // the static busybox template deploy builds its image from
}

// knownEnv is every KOOMOCK_* variable koomock reads: each flag of each command as KOOMOCK_<FLAG>
// and KOOMOCK_<FLAG>_FILE (the mapping flagSet.parse applies, through envName), and otherKnownEnv.
func knownEnv(e *env) []string {
	known := slices.Clone(otherKnownEnv)
	for name := range allFlagNames(e) {
		if name != "config" {
			known = append(known, envName(name), envName(name)+"_FILE")
		}
	}
	slices.Sort(known)
	return slices.Compact(known)
}

// warnUnknownEnv names on stderr each KOOMOCK_* variable koomock does not know, with the closest
// known name: a misspelt KOOMOCK_SELER_URL would otherwise be ignored without a word. A warning,
// not an error, so that a variable of a newer koomock does not stop an older one.
func warnUnknownEnv(e *env) {
	if e.environ == nil {
		return
	}
	var unknown []string
	var known []string
	for _, kv := range e.environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "KOOMOCK_") {
			continue
		}
		if known == nil {
			known = knownEnv(e)
		}
		if !slices.Contains(known, name) {
			unknown = append(unknown, name)
		}
	}
	slices.Sort(unknown)
	for _, name := range slices.Compact(unknown) {
		fmt.Fprintf(e.stderr, "koomock: unknown %s; did you mean %s?\n", name, closest(name, known))
	}
}

// closest returns the candidate nearest to word by edit distance; the first of equals, in order.
func closest(word string, candidates []string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		if d := editDistance(word, c); bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b: insertions, deletions and substitutions
// of one byte each (KOOMOCK_* names are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
