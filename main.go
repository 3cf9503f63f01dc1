// Command sunostudio is a terminal music studio for Suno, reached through relay services.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"sunostudio/internal/buildinfo"
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
	root := newRootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
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
		Use:   "sunostudio",
		Short: "A terminal music studio for Suno, through relay services",
		Long: `sunostudio writes lyrics, generates songs with Suno through a relay service
(apicore, V-API/gpt.ge, openai-core, new-api/one-hub, ...), tracks the tasks,
and keeps every song in a local library.

With no API key configured it runs on the built-in relay simulator (demo mode).`,
		Version:       buildinfo.String(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("sunostudio {{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	g := &globals{}
	root.Args = exactArgs(0)
	root.RunE = func(cmd *cobra.Command, args []string) error { return runTUI(cmd, g) }
	addTUIFlags(root)
	pf := root.PersistentFlags()
	pf.StringVar(&g.dataDir, "data-dir", "", "keep config, library, songs and logs in this folder (or set $SUNOSTUDIO_HOME)")
	pf.StringVar(&g.profile, "profile", "", "relay profile from config.toml (or set $SUNOSTUDIO_PROFILE)")
	pf.BoolVar(&g.json, "json", false, "print results as JSON")
	root.AddCommand(
		newGenerateCmd(g), newBatchCmd(g), newLyricsCmd(g),
		newTasksCmd(g), newListCmd(g), newShowCmd(g), newRmCmd(g), newFavCmd(g),
		newExportCmd(g), newImportCmd(g), newQuotaCmd(g), newResumeCmd(g),
		newPlayCmd(g), newChatCmd(g), newSimCmd(),
	)
	root.AddCommand(craftCommands(g)...) // cmd_craft.go
	return root
}

// exactArgs is cobra.ExactArgs with a usage error, so a wrong call exits 2.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := cobra.ExactArgs(n)(cmd, args); err != nil {
			return usageError{err}
		}
		return nil
	}
}
