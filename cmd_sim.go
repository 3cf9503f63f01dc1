package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"sunostudio/client/sim"
	"sunostudio/internal/i18n"
)

func newSimCmd() *cobra.Command {
	var (
		addr   string
		opts   = sim.DemoOptions()
		format string
	)
	cmd := &cobra.Command{
		Use:   "sim",
		Short: i18n.T("cli.sim.short"),
		Long:  i18n.T("cli.sim.long"),
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ChatFormat = format
			return sim.ListenAndServe(cmd.Context(), addr, opts, func(base string) {
				out := cmd.OutOrStdout()
				key := opts.Key
				if key == "" {
					key = i18n.T("cli.sim.any_key", "sk-demo")
				}
				fmt.Fprintln(out, i18n.T("cli.sim.listening", base, key))
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8787", i18n.T("cli.sim.flag.addr"))
	f.StringVar(&opts.Key, "key", "", i18n.T("cli.sim.flag.key"))
	f.DurationVar(&opts.StageTime, "stage", opts.StageTime, i18n.T("cli.sim.flag.stage"))
	f.Float64Var(&opts.SongSeconds, "song-seconds", opts.SongSeconds, i18n.T("cli.sim.flag.song_seconds"))
	f.Float64Var(&opts.StreamPace, "stream-pace", opts.StreamPace, i18n.T("cli.sim.flag.stream_pace"))
	secondsFlag(cmd, "song-seconds")
	f.StringVar(&format, "chat-format", opts.ChatFormat, i18n.T("cli.sim.flag.chat_format"))
	f.BoolVar(&opts.RejectExtended, "stock-new-api", false, i18n.T("cli.sim.flag.stock_new_api"))
	return cmd
}
