package ui

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// modelVersion is one Suno model as relays name it (the mv value) and as people call it.
type modelVersion struct {
	ID, Label string
	// modern: v4.5 and later, with the larger limits.
	modern bool
}

// models lists the versions in the picker, oldest first; free text is accepted as well,
// since relays add names before this list knows them.
var models = []modelVersion{
	{"chirp-v3-0", "v3.0", false},
	{"chirp-v3-5", "v3.5", false},
	{"chirp-v4", "v4", false},
	{"chirp-auk", "v4.5", true},
	{"chirp-auk-turbo", "v4.5-all", true},
	{"chirp-bluejay", "v4.5+", true},
	{"chirp-crow", "v5", true},
}

// defaultModel is used when neither the form nor the profile names one.
const defaultModel = "chirp-auk"

// limits are the documented maximum lengths of a request's texts, in characters.
//
// Lyrics (the custom-mode prompt) and style tags follow Suno's documented limits: 3000 and 200
// up to v4, 5000 and 1000 from v4.5 on. The inspiration description has no single documented
// figure (relays quote 200 to 500); we use 200 up to v4 and 500 from v4.5, the values Suno's
// own form enforced for those versions. Titles: 80 characters up to v4, 100 from v4.5.
type limits struct {
	Lyrics, Tags, Description, Title int
	// Known is false for a free-text model name: the modern limits are assumed and said so.
	Known bool
	Label string
}

func limitsFor(model string) limits {
	model = strings.TrimSpace(model)
	for _, m := range models {
		if m.ID == model {
			return limitsOf(m.modern, true, m.Label)
		}
	}
	return limitsOf(true, false, "")
}

func limitsOf(modern, known bool, label string) limits {
	if modern {
		return limits{Lyrics: 5000, Tags: 1000, Description: 500, Title: 100, Known: known, Label: label}
	}
	return limits{Lyrics: 3000, Tags: 200, Description: 200, Title: 80, Known: known, Label: label}
}

// modelLabel is the short human name of a model ("v4.5"), or the id itself.
func modelLabel(id string) string {
	for _, m := range models {
		if m.ID == id {
			return m.Label
		}
	}
	return id
}

// chars counts characters as Suno does: code points, so a CJK character counts one.
func chars(s string) int { return utf8.RuneCountInString(s) }

// level says how close a count is to its limit.
type level int

const (
	levelOK level = iota
	levelNear
	levelOver
)

func levelOf(n, max int) level {
	switch {
	case max <= 0:
		return levelOK
	case n > max:
		return levelOver
	case n*10 >= max*9:
		return levelNear
	}
	return levelOK
}

// counter is "123/5000".
func counter(n, max int) string { return fmt.Sprintf("%d/%d", n, max) }
