package main

import (
	"flag"

	"github.com/koomock/koomock/protocol"
)

// configSettings is config's --json object: the command, its config file, and each setting with its
// value (secrets masked, "" when unset) and where the value comes from.
type configSettings struct {
	Command         string                   `json:"command"`
	ConfigFile      string                   `json:"configFile"`
	ConfigFileFound bool                     `json:"configFileFound"`
	Settings        map[string]configSetting `json:"settings"`
}

// configSetting is one setting of configSettings.
type configSetting struct {
	Value  string `json:"value"`
	Source string `json:"source"`
}

// configJSON collects the settings config shows.
func configJSON(target, path string, found bool, shown *flagSet) configSettings {
	out := configSettings{Command: target, ConfigFile: path, ConfigFileFound: found, Settings: map[string]configSetting{}}
	shown.VisitAll(func(f *flag.Flag) {
		if f.Name == "config" {
			return
		}
		v, source := shownSetting(shown, f)
		out.Settings[f.Name] = configSetting{Value: v, Source: source}
	})
	return out
}

// shownSetting is a setting's value as config shows it, a secret masked, and its source.
func shownSetting(shown *flagSet, f *flag.Flag) (value, source string) {
	value = f.Value.String()
	if isSecret(f.Name) && value != "" {
		value = protocol.MaskSecret(value)
	}
	source = shown.sources[f.Name]
	if source == "" {
		source = "default"
	}
	return value, source
}

// takeJSONFlag removes config's own --json from its arguments, which are otherwise the command's.
func takeJSONFlag(args []string) ([]string, bool) {
	var rest []string
	found := false
	for _, a := range args {
		switch a {
		case "--json", "-json", "--json=true", "-json=true":
			found = true
		default:
			rest = append(rest, a)
		}
	}
	return rest, found
}
