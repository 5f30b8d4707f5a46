package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/koomock/koomock/protocol"
)

// defaultConfigFile is read from the working directory when --config and KOOMOCK_CONFIG are not set.
const defaultConfigFile = "koomock.yaml"

// inspectStage says when a command's flag set is handed to env.inspect.
type inspectStage int

const (
	inspectFlags    inspectStage = iota // right after registration: the flags' names and defaults
	inspectSettings                     // after command line, environment and file are applied
)

// configFile is koomock.yaml: flag names as keys (seller-url, access-key, profile, ...), and KEY-file
// for a value kept in a file (access-key-file: secrets/key). Lists give a repeatable flag several
// values; profile may also be a mapping of product, modes and capabilities.
type configFile struct {
	path   string
	values map[string][]string
	lines  map[string]int
}

// configPath is the config file to read, and whether it was asked for explicitly (then it must exist).
func (fs *flagSet) configPath() (string, bool) {
	if fs.config != "" {
		return fs.config, true
	}
	if p, ok := fs.e.lookupEnv("KOOMOCK_CONFIG"); ok && p != "" {
		return p, true
	}
	return defaultConfigFile, false
}

func loadConfig(path string) (*configFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c := &configFile{path: path, values: map[string][]string{}, lines: map[string]int{}}
	if len(doc.Content) == 0 {
		return c, nil // an empty file
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: want a mapping of settings (seller-url: ..., access-key-file: ...)", path)
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		vals, err := configValues(k.Value, v)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %s: %w", path, v.Line, k.Value, err)
		}
		c.values[k.Value], c.lines[k.Value] = vals, k.Line
	}
	return c, nil
}

// configValues turns a YAML value into the flag values it stands for.
func configValues(key string, v *yaml.Node) ([]string, error) {
	switch v.Kind {
	case yaml.ScalarNode:
		return []string{v.Value}, nil
	case yaml.SequenceNode:
		var out []string
		for _, item := range v.Content {
			if item.Kind != yaml.ScalarNode {
				return nil, errors.New("a list of plain values is expected")
			}
			out = append(out, item.Value)
		}
		if key == "profile" {
			return []string{strings.Join(out, ",")}, nil
		}
		return out, nil
	case yaml.MappingNode:
		if key != "profile" {
			return nil, errors.New("a plain value or a list is expected")
		}
		// profile: {product: joint, modes: [period], capabilities: [upgrade]}
		var words []string
		for i := 0; i+1 < len(v.Content); i += 2 {
			part, val := v.Content[i].Value, v.Content[i+1]
			if !slices.Contains([]string{"product", "modes", "capabilities"}, part) {
				return nil, fmt.Errorf("%q is not part of a profile (product, modes, capabilities)", part)
			}
			vals, err := configValues("", val)
			if err != nil {
				return nil, err
			}
			words = append(words, vals...)
		}
		return []string{strings.Join(words, ",")}, nil
	}
	return nil, errors.New("a plain value or a list is expected")
}

// applyConfig fills every flag still unset from the config file. Keys that no command of koomock
// knows are an error, so a typo does not silently drop a setting; keys of other commands are ignored.
func (fs *flagSet) applyConfig() error {
	path, explicit := fs.configPath()
	c, err := loadConfig(path)
	switch {
	case errors.Is(err, os.ErrNotExist) && !explicit:
		return nil
	case err != nil:
		return fmt.Errorf("config file: %w", err)
	}
	known := allFlagNames(fs.e)
	for key := range c.values {
		name := strings.TrimSuffix(key, "-file")
		if !known[key] && !known[name] {
			return fmt.Errorf("%s:%d: %q is not a koomock setting (settings are flag names, e.g. seller-url, access-key-file)", c.path, c.lines[key], key)
		}
	}
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if fs.sources[f.Name] != "" || f.Name == "config" {
			return
		}
		source := fmt.Sprintf("%s:%d", c.path, c.lines[f.Name])
		vals, ok := c.values[f.Name]
		if !ok {
			p, ok := c.values[f.Name+"-file"]
			if !ok {
				return
			}
			source = fmt.Sprintf("%s:%d (%s-file)", c.path, c.lines[f.Name+"-file"], f.Name)
			v, err := readSecretFile(p[0])
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", source, err))
				return
			}
			vals = []string{v}
		}
		for _, v := range vals {
			if err := fs.Set(f.Name, v); err != nil {
				errs = append(errs, fmt.Errorf("%s: %q is not a valid --%s: %v", source, v, f.Name, err))
				return
			}
		}
		fs.sources[f.Name] = source
	})
	return errors.Join(errs...)
}

// readSecretFile reads a value kept in a file, without the trailing newline editors add.
func readSecretFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// allFlagNames returns the flag names of every command: the set of keys a config file may hold.
func allFlagNames(e *env) map[string]bool {
	names := map[string]bool{}
	for _, fl := range commandFlags(e) {
		for _, f := range fl {
			names[f.Name] = true
		}
	}
	return names
}

// isSecret tells which settings koomock config masks.
func isSecret(name string) bool {
	for _, w := range []string{"key", "secret", "password", "token"} {
		if strings.Contains(name, w) && !strings.HasSuffix(name, "-file") {
			return true
		}
	}
	return name == "sk"
}

func runConfig(ctx context.Context, e *env, args []string) int {
	if e.inspect != nil {
		return exitOK // config has no settings of its own to show
	}
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		fmt.Fprintln(e.stderr, "Usage: koomock config [COMMAND] [flags of COMMAND]\n\nPrints the settings COMMAND (default verify) would run with and where each comes from, secrets masked.")
		return exitOK
	}
	target := "verify"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		target, args = args[0], args[1:]
	}
	var cmd *command
	for _, c := range commands() {
		if c.name == target && c.name != "config" {
			cmd = &c
		}
	}
	if cmd == nil {
		return usageError(e, "config", fmt.Errorf("%q is not a command with settings", target))
	}
	var shown *flagSet
	inspecting := *e
	inspecting.inspectWhen, inspecting.inspect = inspectSettings, func(fs *flagSet) { shown = fs }
	if code := cmd.run(ctx, &inspecting, args); shown == nil {
		return code // a usage error, already reported
	}
	path, _ := shown.configPath()
	if _, err := os.Stat(path); err != nil {
		path += " (not found)"
	}
	fmt.Fprintf(e.stdout, "koomock %s settings (config file: %s; command line > KOOMOCK_* > file > default)\n\n", target, path)
	shown.VisitAll(func(f *flag.Flag) {
		if f.Name == "config" {
			return
		}
		v := f.Value.String()
		if isSecret(f.Name) && v != "" {
			v = protocol.MaskSecret(v)
		}
		if v == "" {
			v = "(unset)"
		}
		source := shown.sources[f.Name]
		if source == "" {
			source = "default"
		}
		fmt.Fprintf(e.stdout, "  %-20s %-40s %s\n", f.Name, v, source)
	})
	return exitOK
}
