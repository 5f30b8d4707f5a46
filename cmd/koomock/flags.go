package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// envName is the environment variable that can set a flag: --seller-url → KOOMOCK_SELLER_URL.
func envName(flagName string) string {
	return "KOOMOCK_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// flagSet is a command's flags, settable from the command line, the environment or the config file.
type flagSet struct {
	*flag.FlagSet
	e        *env
	synopsis string
	config   string
	// sources says where each flag's value came from: flag, an environment variable, or the file.
	sources map[string]string
}

// newFlagSet returns the flag set of command name. Every command takes --config.
func newFlagSet(e *env, name, synopsis string) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	// flag calls Usage on every parse error; koomock reports errors in one line and prints the full
	// usage only for -h.
	fs.Usage = func() {}
	f := &flagSet{FlagSet: fs, e: e, synopsis: synopsis, sources: map[string]string{}}
	fs.StringVar(&f.config, "config", "", "read settings from this YAML `file` (default: koomock.yaml in the working directory, if there is one)")
	return f
}

// printUsage lists each flag with its environment variable.
func (fs *flagSet) printUsage() {
	w := fs.e.stderr
	fmt.Fprintf(w, "Usage: koomock %s\n\nFlags (each also settable from the environment variable shown):\n", fs.synopsis)
	fs.VisitAll(func(f *flag.Flag) {
		arg, help := flag.UnquoteUsage(f)
		fmt.Fprintf(w, "  --%s %s\n      %s", f.Name, arg, help)
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			fmt.Fprintf(w, " (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, " [%s]\n", envName(f.Name))
	})
}

// errHelp is returned by parse when help was asked for; the usage was printed.
var errHelp = errors.New("help requested")

// parse parses args, then fills every flag not given on the command line from its KOOMOCK_*
// environment variable (or KOOMOCK_*_FILE, a file holding the value), and failing that from the
// config file (key, or key-file). Command line over environment over file.
func (fs *flagSet) parse(args []string) error {
	if fs.e.inspect != nil && fs.e.inspectWhen == inspectFlags {
		fs.e.inspect(fs)
		return errHelp
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.printUsage()
			return errHelp
		}
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true; fs.sources[f.Name] = "flag" })
	var errs []error
	set := func(name, value, source string) {
		if err := fs.Set(name, value); err != nil {
			errs = append(errs, fmt.Errorf("%s: %q is not a valid --%s: %v", source, value, name, err))
			return
		}
		fs.sources[name] = source
	}
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] || f.Name == "config" {
			return
		}
		if v, ok := fs.e.lookupEnv(envName(f.Name)); ok {
			set(f.Name, v, envName(f.Name))
		} else if p, ok := fs.e.lookupEnv(envName(f.Name) + "_FILE"); ok {
			v, err := readSecretFile(p)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s_FILE: %w", envName(f.Name), err))
				return
			}
			set(f.Name, v, envName(f.Name)+"_FILE")
		}
	})
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if err := fs.applyConfig(); err != nil {
		return err
	}
	if fs.e.inspect != nil && fs.e.inspectWhen == inspectSettings {
		fs.e.inspect(fs)
		return errHelp
	}
	return nil
}

// usageError reports a usage problem in one line and returns exit code 2.
func usageError(e *env, cmd string, err error) int {
	if errors.Is(err, errHelp) {
		return exitOK
	}
	fmt.Fprintf(e.stderr, "koomock %s: %v (run koomock %s -h)\n", cmd, err, cmd)
	return exitUsage
}

// listFlag is a repeatable flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}
