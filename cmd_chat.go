package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"sunostudio/client"
	"sunostudio/internal/safetext"
	"sunostudio/store"
	"sunostudio/studio"
)

func newChatCmd(g *globals) *cobra.Command {
	var model string
	var noWait bool
	cmd := &cobra.Command{
		Use:   "chat PROMPT",
		Short: "Make a song through the relay's chat endpoint, streaming its answer",
		Long: `Send PROMPT to the relay's OpenAI-style chat endpoint (/v1/chat/completions) and stream
the answer to stdout as it arrives. Every song named in the answer enters the library at
once and is downloaded when finished; at the end the songs are listed (with --json: one JSON
object per song per line on stdout, the streamed text then goes to stderr).

Use chat mode with relays that sell Suno only through their chat endpoint, or to let the
relay's model write the lyrics and style from a conversational prompt. The task endpoints
(generate) give more control and more reliable status.`,
		Example: `  sunostudio chat "一首关于夏天海边的欢快歌曲"
  sunostudio chat "a sad piano ballad about rain" --model suno-v3 --json`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if strings.TrimSpace(args[0]) == "" {
				return usageError{errors.New("the prompt is empty")}
			}
			a, err := openApp(cmd, g, readWrite)
			if err != nil {
				return err
			}
			defer a.close()
			if err := a.start(); err != nil {
				return err
			}
			return a.runChat(cmd, client.ChatRequest{Prompt: args[0], Model: model}, !noWait)
		},
	}
	cmd.Flags().StringVar(&model, "model", "", "chat model, e.g. suno-v3.5 (default) or suno-v3")
	cmd.Flags().BoolVar(&noWait, "no-wait", false, "do not wait for the songs to download after the stream ends")
	return cmd
}

func (a *app) runChat(cmd *cobra.Command, req client.ChatRequest, wait bool) error {
	ctx := cmd.Context()
	text := a.out
	if a.json {
		text = a.errw // stdout carries only the JSON lines
	}
	fmt.Fprintln(a.errw, "waiting for the relay (it may think for a while before the first word)…")
	wrote := false
	task, res, chatErr := a.eng.Chat(ctx, req, func(u client.ChatUpdate) {
		if u.Shown != "" {
			io.WriteString(text, safetext.Clean(u.Shown))
			wrote = true
		}
	})
	if wrote && !strings.HasSuffix(res.Text, "\n") {
		fmt.Fprintln(text)
	}
	if task == nil {
		return chatErr
	}
	if chatErr != nil {
		fmt.Fprintln(a.errw, "chat:", chatErr)
	}
	if wait && task.Status != store.TaskFailed {
		fmt.Fprintln(a.errw, "downloading the songs…")
		pp := newProgressPrinter(a.errw)
		if t, err := a.eng.Wait(ctx, task.ID, pp.event); err == nil {
			task = t
		}
	}
	clips, err := a.st.ClipsOfTask(task.ID)
	if err != nil {
		return err
	}
	if a.json {
		for _, c := range clips {
			b, _ := json.Marshal(studio.ClipView(c))
			fmt.Fprintln(a.out, string(b))
		}
	} else if len(clips) > 0 {
		fmt.Fprintln(a.out, "\nsongs:")
		printClips(a.out, clips)
	}
	switch {
	case chatErr != nil && task.Status != store.TaskSucceeded:
		return fmt.Errorf("chat %s: %w", task.ID, chatErr)
	case task.Status == store.TaskFailed || task.Status == store.TaskTimedOut:
		return fmt.Errorf("chat %s %s: %s", task.ID, task.Status, task.Error)
	}
	return nil
}
