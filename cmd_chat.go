package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"sunostudio/client"
	"sunostudio/internal/i18n"
	"sunostudio/internal/safetext"
	"sunostudio/store"
	"sunostudio/studio"
)

func newChatCmd(g *globals) *cobra.Command {
	var model string
	var noWait bool
	cmd := &cobra.Command{
		Use:     "chat PROMPT", // i18n:ignore: command syntax
		Short:   i18n.T("cli.chat.short"),
		Long:    i18n.T("cli.chat.long"),
		Example: i18n.T("cli.chat.example"),
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if strings.TrimSpace(args[0]) == "" {
				return usageError{errors.New(i18n.T("cli.err.empty_prompt"))}
			}
			return withApp(cmd, g, readWrite, engineRunning, func(a *app) error {
				return a.runChat(cmd, client.ChatRequest{Prompt: args[0], Model: model}, !noWait)
			})
		},
	}
	cmd.Flags().StringVar(&model, "model", "", i18n.T("cli.chat.flag.model"))
	cmd.Flags().BoolVar(&noWait, "no-wait", false, i18n.T("cli.chat.flag.no_wait"))
	return cmd
}

func (a *app) runChat(cmd *cobra.Command, req client.ChatRequest, wait bool) error {
	ctx := cmd.Context()
	text := a.out
	if a.json {
		text = a.errw // stdout carries only the JSON lines
	}
	fmt.Fprintln(a.errw, i18n.T("cli.chat.waiting"))
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
		fmt.Fprintln(a.errw, i18n.T("cli.chat.error", chatErr))
	}
	if wait && task.Status != store.TaskFailed {
		fmt.Fprintln(a.errw, i18n.T("cli.chat.downloading"))
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
		fmt.Fprintln(a.out, "\n"+i18n.T("cli.chat.songs"))
		printClips(a.out, clips)
	}
	switch {
	case chatErr != nil && task.Status != store.TaskSucceeded:
		return withCause(i18n.T("cli.err.chat", task.ID, chatErr), chatErr)
	case task.Status == store.TaskFailed:
		return errors.New(i18n.T("cli.err.chat_failed", task.ID, studio.Localize(task.Error)))
	case task.Status == store.TaskTimedOut:
		return errors.New(i18n.T("cli.err.chat_timed_out", task.ID, studio.Localize(task.Error)))
	}
	return nil
}
