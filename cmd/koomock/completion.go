package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
)

// commandFlags returns each command's flags, found by letting each command register its flags and
// stop (env.inspect): the one source of the config file's keys, the known KOOMOCK_* variables and
// the shell completions.
func commandFlags(e *env) map[string][]*flag.Flag {
	byCommand := map[string][]*flag.Flag{}
	for _, c := range commands() {
		probe := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: e.getenv, lookupEnv: e.lookupEnv,
			inspectWhen: inspectFlags, inspect: func(fs *flagSet) {
				fs.VisitAll(func(f *flag.Flag) { byCommand[c.name] = append(byCommand[c.name], f) })
			}}
		c.run(context.Background(), probe, nil)
	}
	return byCommand
}

// shells are the shells koomock completion writes a script for.
var shells = []string{"bash", "zsh", "fish"}

func runCompletion(_ context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "completion", "completion bash|zsh|fish\n\nPrints a script that completes koomock's commands and their flags. Load it with\n  bash:  source <(koomock completion bash)        (or save it in /etc/bash_completion.d/koomock)\n  zsh:   source <(koomock completion zsh)         (or save it as _koomock in a directory of $fpath)\n  fish:  koomock completion fish | source         (or save it as ~/.config/fish/completions/koomock.fish)")
	if err := fs.parse(args); err != nil {
		return usageError(e, "completion", err)
	}
	if fs.NArg() != 1 {
		return usageError(e, "completion", fmt.Errorf("name one shell: %s", strings.Join(shells, ", ")))
	}
	cmds := commands()
	flags := commandFlags(e)
	switch fs.Arg(0) {
	case "bash":
		writeBashCompletion(e.stdout, cmds, flags)
	case "zsh":
		writeZshCompletion(e.stdout, cmds, flags)
	case "fish":
		writeFishCompletion(e.stdout, cmds, flags)
	default:
		return usageError(e, "completion", fmt.Errorf("%q is not a shell koomock completes (%s)", fs.Arg(0), strings.Join(shells, ", ")))
	}
	return exitOK
}

// commandNames are the words that may follow koomock: its commands and help.
func commandNames(cmds []command) []string {
	names := []string{"help"}
	for _, c := range cmds {
		names = append(names, c.name)
	}
	return names
}

func flagNames(fl []*flag.Flag) string {
	var out []string
	for _, f := range fl {
		out = append(out, "--"+f.Name)
	}
	return strings.Join(out, " ")
}

// isBool reports whether a flag takes no value, so completion does not wait for one after it.
func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// shortHelp is the first clause of a flag's help, short enough for a completion menu.
func shortHelp(f *flag.Flag) string {
	_, help := flag.UnquoteUsage(f)
	for _, sep := range []string{"; ", " (", ": "} {
		if i := strings.Index(help, sep); i > 0 {
			help = help[:i]
		}
	}
	if r := []rune(help); len(r) > 70 {
		help = string(r[:69]) + "…"
	}
	return help
}

func writeBashCompletion(w io.Writer, cmds []command, flags map[string][]*flag.Flag) {
	fmt.Fprintf(w, `# bash completion for koomock. Load it with: source <(koomock completion bash)
_koomock() {
    local cur=${COMP_WORDS[COMP_CWORD]} cmd=${COMP_WORDS[1]} flags=""
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "%s --help --version" -- "$cur"))
        return
    fi
    case "$cmd" in
        help) [ "$COMP_CWORD" -eq 2 ] && COMPREPLY=($(compgen -W "%[1]s" -- "$cur")); return ;;
        completion) [ "$COMP_CWORD" -eq 2 ] && COMPREPLY=($(compgen -W "%s" -- "$cur")); return ;;
        config)
            if [ "$COMP_CWORD" -eq 2 ] && [[ $cur != -* ]]; then
                COMPREPLY=($(compgen -W "%[1]s" -- "$cur"))
                return
            fi
            cmd=${COMP_WORDS[2]} ;;
    esac
    case "$cmd" in
`, strings.Join(commandNames(cmds)[1:], " "), strings.Join(shells, " "))
	for _, c := range cmds {
		fmt.Fprintf(w, "        %s) flags=%q ;;\n", c.name, flagNames(flags[c.name])+" --help")
	}
	fmt.Fprint(w, `    esac
    # Anything but a flag is left to the shell's default completion (files), thanks to -o default.
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$flags" -- "$cur"))
    fi
}
complete -o default -F _koomock koomock
`)
}

// zshQuote quotes s for zsh (and any POSIX shell) in single quotes.
func zshQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func writeZshCompletion(w io.Writer, cmds []command, flags map[string][]*flag.Flag) {
	fmt.Fprint(w, `#compdef koomock
# zsh completion for koomock. Load it with: source <(koomock completion zsh), or save it as _koomock
# in a directory of $fpath.
_koomock() {
    local -a commands flags
    commands=(
        'help:print the flags of a command'
`)
	for _, c := range cmds {
		fmt.Fprintf(w, "        %s\n", zshQuote(c.name+":"+c.summary))
	}
	fmt.Fprint(w, `    )
    if (( CURRENT == 2 )); then
        _describe 'command' commands
        return
    fi
    local cmd=$words[2]
    case $cmd in
        help) (( CURRENT == 3 )) && _describe 'command' commands; return ;;
        completion) (( CURRENT == 3 )) && compadd bash zsh fish; return ;;
        config)
            if (( CURRENT == 3 )) && [[ $PREFIX != -* ]]; then
                _describe 'command' commands
                return
            fi
            cmd=$words[3] ;;
    esac
    case $cmd in
`)
	for _, c := range cmds {
		var items []string
		for _, f := range flags[c.name] {
			items = append(items, zshQuote("--"+f.Name+":"+shortHelp(f)))
		}
		fmt.Fprintf(w, "        %s) flags=(%s) ;;\n", c.name, strings.Join(items, " "))
	}
	fmt.Fprint(w, `    esac
    if [[ $PREFIX == -* ]]; then
        _describe 'flag' flags
    else
        _files
    fi
}
if [ "$funcstack[1]" = "_koomock" ]; then
    _koomock "$@"
else
    compdef _koomock koomock
fi
`)
}

// fishQuote quotes s for fish in single quotes, where only \ and ' are special.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

func writeFishCompletion(w io.Writer, cmds []command, flags map[string][]*flag.Flag) {
	fmt.Fprintln(w, "# fish completion for koomock. Load it with: koomock completion fish | source, or save it as\n# ~/.config/fish/completions/koomock.fish")
	fmt.Fprintln(w, "complete -c koomock -f")
	fmt.Fprintln(w, "complete -c koomock -n __fish_use_subcommand -a help -d 'print the flags of a command'")
	all := strings.Join(commandNames(cmds)[1:], " ")
	for _, c := range cmds {
		fmt.Fprintf(w, "complete -c koomock -n __fish_use_subcommand -a %s -d %s\n", c.name, fishQuote(c.summary))
	}
	fmt.Fprintf(w, "complete -c koomock -n '__fish_seen_subcommand_from help config; and test (count (commandline -opc)) -eq 2' -a %s\n", fishQuote(all))
	fmt.Fprintln(w, "complete -c koomock -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'")
	for _, c := range cmds {
		for _, f := range flags[c.name] {
			req := " -r -F"
			if isBool(f) {
				req = ""
			}
			fmt.Fprintf(w, "complete -c koomock -n '__fish_seen_subcommand_from %s' -l %s%s -d %s\n", c.name, f.Name, req, fishQuote(shortHelp(f)))
		}
	}
}
