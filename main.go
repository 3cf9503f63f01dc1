// Command sunostudio is a terminal music studio for Suno, reached through relay services.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strconv"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"sunostudio/config"
	"sunostudio/internal/buildinfo"
	"sunostudio/internal/i18n"
)

// Exit codes scripts can rely on.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// usageError marks errors in how the command was called (exit code 2).
type usageError struct{ error }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// The language is chosen before the commands are built: their help is in it.
	lang, err := chooseLanguage(args, os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, "sunostudio:", err)
		return exitUsage
	}
	i18n.Use(lang)
	root := newRootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err = root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "sunostudio:", err)
	var ue usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	return exitFailure
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "sunostudio",
		Short:         i18n.T("cli.root.short"),
		Long:          i18n.T("cli.root.long"),
		Version:       buildinfo.String(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("sunostudio {{.Version}}\n") // i18n:ignore: a template, no words
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{flagError(err)} })
	g := &globals{}
	root.Args = rootArgs
	root.RunE = func(cmd *cobra.Command, args []string) error { return runTUI(cmd, g) }
	addTUIFlags(root)
	pf := root.PersistentFlags()
	pf.StringVar(&g.dataDir, "data-dir", "", i18n.T("cli.flag.data_dir"))
	pf.StringVar(&g.profile, "profile", "", i18n.T("cli.flag.profile"))
	pf.BoolVar(&g.json, "json", false, i18n.T("cli.flag.json"))
	// Read by chooseLanguage before cobra parses; declared so that it is accepted and listed.
	pf.String("lang", "", i18n.T("cli.flag.lang"))
	root.AddCommand(
		newGenerateCmd(g), newBatchCmd(g), newLyricsCmd(g),
		newTasksCmd(g), newListCmd(g), newShowCmd(g), newRmCmd(g), newFavCmd(g),
		newExportCmd(g), newImportCmd(g), newQuotaCmd(g), newResumeCmd(g),
		newPlayCmd(g), newChatCmd(g), newSimCmd(),
	)
	root.AddCommand(craftCommands(g)...) // cmd_craft.go
	if i18n.Current() != i18n.English {
		localizeCobra(root) // cobra.go
	}
	return root
}

// exactArgs is cobra.ExactArgs with a usage error, so a wrong call exits 2.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageError{errors.New(i18n.T("cli.err.args", n, len(args)))}
		}
		return nil
	}
}

// rootArgs accepts sunostudio alone (the studio); a word after it that is not a command is
// an unknown command, said as such with the commands it may have meant (exit 2).
func rootArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	help := cmd.Root().CommandPath() + " --help" // i18n:ignore: a command line
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2 // cobra's own default, set only when it suggests itself
	}
	msg := i18n.T("cli.err.unknown_command", args[0], help)
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg = i18n.T("cli.err.unknown_command_suggest", args[0], i18n.List(s), help)
	}
	return usageError{errors.New(msg)}
}

// chooseLanguage applies --lang, else config.toml's language, else the locale variables. It
// reads --lang and --data-dir from the raw arguments because cobra parses them only after
// the commands (and their help text) are built.
func chooseLanguage(args []string, getenv func(string) string) (i18n.Lang, error) {
	flag, dataDir := rawFlag(args, "lang"), rawFlag(args, "data-dir")
	return i18n.Resolve(flag, config.PeekLanguage(dataDir, getenv), getenv)
}

// rawFlag finds --name VALUE or --name=VALUE before any "--".
func rawFlag(args []string, name string) string {
	for i, a := range args {
		switch {
		case a == "--":
			return ""
		case a == "--"+name && i+1 < len(args):
			return args[i+1]
		case strings.HasPrefix(a, "--"+name+"="):
			return a[len(name)+3:]
		}
	}
	return ""
}

// caused is an error said with a catalog message that keeps its causes for errors.Is and
// errors.As, as fmt.Errorf's %w does.
type caused struct {
	msg  string
	errs []error
}

func (e *caused) Error() string   { return e.msg }
func (e *caused) Unwrap() []error { return e.errs }

// withCause returns an error whose text is msg (a catalog message that names the causes
// itself, as it likes) and which wraps errs.
func withCause(msg string, errs ...error) error { return &caused{msg: msg, errs: errs} }

// flagError says pflag's parse errors in the current language (their English text is pflag's
// own, word for word).
func flagError(err error) error {
	var (
		unknown  *pflag.NotExistError
		noValue  *pflag.ValueRequiredError
		badValue *pflag.InvalidValueError
		syntax   *pflag.InvalidSyntaxError
	)
	switch {
	case errors.As(err, &unknown):
		name := unknown.GetSpecifiedName()
		if short := unknown.GetSpecifiedShortnames(); short != "" && name != "" {
			return withCause(i18n.T("cli.err.unknown_shorthand", rune(name[0]), short), err)
		}
		return withCause(i18n.T("cli.err.unknown_flag", name), err)
	case errors.As(err, &noValue):
		name := noValue.GetSpecifiedName()
		if short := noValue.GetSpecifiedShortnames(); short != "" && name != "" {
			return withCause(i18n.T("cli.err.shorthand_needs_value", rune(name[0]), short), err)
		}
		return withCause(i18n.T("cli.err.flag_needs_value", name), err)
	case errors.As(err, &badValue):
		f := badValue.GetFlag()
		name := "--" + f.Name
		if f.Shorthand != "" && f.ShorthandDeprecated == "" {
			name = "-" + f.Shorthand + ", --" + f.Name
		}
		if why := badValueReason(f, errors.Unwrap(badValue)); why != "" {
			return withCause(i18n.T("cli.err.bad_flag_reason", badValue.GetValue(), name, why), err)
		}
		return withCause(i18n.T("cli.err.bad_flag_value", badValue.GetValue(), name, errors.Unwrap(badValue)), err)
	case errors.As(err, &syntax):
		return withCause(i18n.T("cli.err.flag_syntax", syntax.GetSpecifiedFlag()), err)
	}
	return err
}

// unitSeconds marks a number flag whose value is a number of seconds (annotationUnit), so
// that a bad value is said as "not a number of seconds".
const (
	annotationUnit = "sunostudio_unit" // i18n:ignore: a pflag annotation key
	unitSeconds    = "seconds"         // i18n:ignore: a pflag annotation value
)

// secondsFlag marks the flag name of cmd as a number of seconds.
func secondsFlag(cmd *cobra.Command, name string) {
	_ = cmd.Flags().SetAnnotation(name, annotationUnit, []string{unitSeconds})
}

// badValueReason says why a flag's value did not parse, by the flag's type, instead of the
// parser's own words (strconv.ParseInt: parsing "abc": invalid syntax). "" leaves the parser's
// error as it is (a type this does not know).
func badValueReason(f *pflag.Flag, cause error) string {
	if errors.Is(cause, strconv.ErrRange) {
		return i18n.T("cli.err.flag_reason.range")
	}
	switch f.Value.Type() {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return i18n.T("cli.err.flag_reason.int")
	case "float32", "float64":
		if u := f.Annotations[annotationUnit]; len(u) == 1 && u[0] == unitSeconds {
			return i18n.T("cli.err.flag_reason.seconds")
		}
		return i18n.T("cli.err.flag_reason.float")
	case "duration":
		return i18n.T("cli.err.flag_reason.duration")
	case "bool":
		return i18n.T("cli.err.flag_reason.bool")
	}
	return ""
}

// localizeCobra puts cobra's own words in the current language: the headings of the help
// (its usage template), the help and version flags, the help command and the completion
// commands. English keeps cobra's text untouched, so this is only called for another language.
func localizeCobra(root *cobra.Command) {
	cobra.AddTemplateFunc("sunoFlagDefaults", localizeFlagDefaults)
	root.SetUsageTemplate(localizeUsageTemplate(root.UsageTemplate()))
	// Created now rather than when the command runs, so that their words can be changed.
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	root.InitDefaultVersionFlag()
	if f := root.Flags().Lookup("version"); f != nil {
		f.Usage = i18n.T("cli.help.version_flag", root.DisplayName())
	}
	for _, c := range root.Commands() {
		switch c.Name() {
		case "help":
			c.Short, c.Long = i18n.T("cli.help.cmd_short"), i18n.T("cli.help.cmd_long", root.DisplayName())
		case "completion":
			localizeCompletion(c, root.Name())
		}
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.InitDefaultHelpFlag()
		if f := c.Flags().Lookup("help"); f != nil {
			f.Usage = i18n.T("cli.help.flag", c.DisplayName())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// localizeUsageTemplate replaces the English words of cobra's usage template. A heading a
// later cobra renames stays English (TestChineseHelp notices).
func localizeUsageTemplate(tmpl string) string {
	// The first of each pair is cobra's text, searched for: never shown.
	for _, r := range [][2]string{
		{"Usage:", i18n.T("cli.help.usage")},                                 // i18n:ignore
		{"\nAliases:\n", "\n" + i18n.T("cli.help.aliases") + "\n"},           // i18n:ignore
		{"\nExamples:\n", "\n" + i18n.T("cli.help.examples") + "\n"},         // i18n:ignore
		{"\nAvailable Commands:", "\n" + i18n.T("cli.help.commands")},        // i18n:ignore
		{"\nAdditional Commands:", "\n" + i18n.T("cli.help.more_commands")},  // i18n:ignore
		{"\nFlags:\n", "\n" + i18n.T("cli.help.flags") + "\n"},               // i18n:ignore
		{"\nGlobal Flags:\n", "\n" + i18n.T("cli.help.global_flags") + "\n"}, // i18n:ignore
		{"\nAdditional help topics:", "\n" + i18n.T("cli.help.topics")},      // i18n:ignore
		{`Use "{{.CommandPath}} [command] --help" for more information about a command.`, // i18n:ignore
			i18n.T("cli.help.more", "{{.CommandPath}}")}, // i18n:ignore
		{"FlagUsages | trimTrailingWhitespaces}}", "FlagUsages | trimTrailingWhitespaces | sunoFlagDefaults}}"}, // i18n:ignore
	} {
		tmpl = strings.ReplaceAll(tmpl, r[0], r[1])
	}
	return tmpl
}

// flagDefaultRE finds the " (default X)" pflag writes at the end of a flag's usage line.
var flagDefaultRE = regexp.MustCompile(`(?m) \(default (.*)\)$`)

// localizeFlagDefaults says pflag's "(default X)" in the current language.
func localizeFlagDefaults(usages string) string {
	return flagDefaultRE.ReplaceAllStringFunc(usages, func(m string) string {
		return i18n.T("cli.help.default", flagDefaultRE.FindStringSubmatch(m)[1])
	})
}

// localizeCompletion translates cobra's completion command and its shell subcommands.
func localizeCompletion(c *cobra.Command, prog string) {
	c.Short, c.Long = i18n.T("cli.completion.short"), i18n.T("cli.completion.long", prog)
	for _, sh := range c.Commands() {
		sh.Short = i18n.T("cli.completion.shell_short", sh.Name())
		switch sh.Name() {
		case "bash":
			sh.Long = i18n.T("cli.completion.bash", prog)
		case "zsh":
			sh.Long = i18n.T("cli.completion.zsh", prog)
		case "fish":
			sh.Long = i18n.T("cli.completion.fish", prog)
		case "powershell":
			sh.Long = i18n.T("cli.completion.powershell", prog)
		}
		if f := sh.Flags().Lookup("no-descriptions"); f != nil {
			f.Usage = i18n.T("cli.completion.no_descriptions")
		}
	}
}
