package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"sunostudio/client/sim"
)

func newSimCmd() *cobra.Command {
	var (
		addr   string
		opts   = sim.DemoOptions()
		format string
	)
	cmd := &cobra.Command{
		Use:   "sim",
		Short: "Run the built-in relay simulator as a server",
		Long: `Run the relay simulator: a fake Suno relay that speaks the task, GoAmzAI and
chat dialects with real (synthesised) mp3 audio. Point any profile at the
printed base URL to try sunostudio, or a script, without a paid key.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ChatFormat = format
			return sim.ListenAndServe(cmd.Context(), addr, opts, func(base string) {
				out := cmd.OutOrStdout()
				key := opts.Key
				if key == "" {
					key = "sk-demo (any key is accepted)"
				}
				fmt.Fprintf(out, "relay simulator listening\nbase URL: %s\nAPI key:  %s\ndialects: task (/suno/...), goamz (/suno/v1/...), chat (/v1/chat/completions)\n", base, key)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8787", "address to listen on")
	f.StringVar(&opts.Key, "key", "", "API key to require (default: accept any key)")
	f.DurationVar(&opts.StageTime, "stage", opts.StageTime, "time per task stage (submitted, queued, streaming, complete)")
	f.Float64Var(&opts.SongSeconds, "song-seconds", opts.SongSeconds, "length of generated songs in seconds")
	f.Float64Var(&opts.StreamPace, "stream-pace", opts.StreamPace, "streaming URLs deliver audio at this multiple of real time (0 = at once)")
	f.StringVar(&format, "chat-format", opts.ChatFormat, "chat transcript format: a (Suno-API) or b (Suno2openai)")
	f.BoolVar(&opts.RejectExtended, "stock-new-api", false, "behave like stock new-api: only music and lyrics")
	return cmd
}
