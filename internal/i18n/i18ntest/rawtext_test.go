package i18ntest

import "testing"

func TestProse(t *testing.T) {
	yes := []string{"Mode", "task pending", "歌曲", "no audio output", "press %s to retry", "  Title  ", "it's done now"}
	no := []string{"", "ctrl+c", "play_pause", "%d/%d", " │ ", "q", "mp3", "songs/%s.mp3", "shift+tab", "a b", "v4.5", "x\x00y", "DEMO"}
	for _, s := range yes {
		if !Prose(s) {
			t.Errorf("Prose(%q) = false", s)
		}
	}
	for _, s := range no {
		if Prose(s) {
			t.Errorf("Prose(%q) = true", s)
		}
	}
}
