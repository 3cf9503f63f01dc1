package studio

import (
	"regexp"
	"strconv"
	"strings"
	"sync"

	"sunostudio/client"
	"sunostudio/internal/i18n"
)

// Messages the engine writes into the library (a task's error, a clip's download error) are
// data: written once, read by every later run, whatever its language, and by --json. So they
// are stored in English, in the formats below, and translated when they are shown: Localize
// reads a stored text back into its message and arguments and says it in the current
// language. Each format is the English text of the catalog message of its key (a test holds
// them equal); an argument that is itself a stored text (a download error inside a task's
// error) is translated too, and anything unknown (the relay's own words, an operating-system
// error) is left as it is.
//
// A client error inside a stored text (the relay did not answer clearly (...)) is kept as it
// was said, in the language of the run that wrote it: it is built from many messages and is
// not read back.
const (
	storedIntentStopped  = "sunostudio stopped while the relay was being asked; it may have accepted the request: check its task list before resubmitting"
	storedIntentUnclear  = "the relay did not answer clearly (%s); it may have accepted the request: check its task list before resubmitting"
	storedChatUncertain  = "%s; the relay may have accepted the request: check its task list before asking again"
	storedChatNoSongs    = "the relay's answer named no songs"
	storedChatAllFailed  = "every song of the chat failed"
	storedChatFollowing  = "the stream ended early; following the songs through the relay: %s"
	storedChatCut        = "the stream ended before the songs were finished, and this relay offers no way to ask again"
	storedChatCutWhy     = "the stream ended before the songs were finished, and this relay offers no way to ask again: %s"
	storedChatNoFeed     = "this relay offers no way to follow a chat's songs after the stream"
	storedFailedNoReason = "the relay reported the task as failed without a reason"
	storedStemsFailed    = "the relay could not split the song"
	storedTaskUnknown    = "the relay does not know this task (tasks are visible only to the key that created them); re-check it later or resubmit"
	storedTimedOut       = "no result before the deadline; re-check it later (the relay may still finish it)"
	storedAssetGaveUp    = "the %s could not be downloaded after %d attempts: %v"

	storedAudioCut       = "audio download cut after %d bytes: %w"
	storedAudioTooLarge  = "audio larger than %d MiB"
	storedAudioShort     = "audio download cut: got %d of %d bytes"
	storedAudioEmpty     = "the audio file is empty"
	storedAudioNoDecode  = "the downloaded audio does not decode: %w"
	storedAudioTruncated = "the downloaded audio is cut short at %s"
	storedAudioLength    = "the downloaded audio is %.1f s long but the relay said %.1f s"
	storedNotWAV         = "the downloaded file is not a WAV file"
	storedWAVNoData      = "the WAV file has no data chunk"
	storedWAVBadFormat   = "the WAV file has a broken format chunk"
	storedWAVNoFormat    = "the WAV file has no format chunk"
	storedWAVShort       = "the WAV file is cut short (%d of %d data bytes)"
	storedCoverFailed    = "cover: %w"
	storedLyricsFailed   = "lyrics: %w"
	storedNotImage       = "the cover is not an image (%s)"
	storedNotURL         = "not a web address: %q"
	storedFileGone       = "the file is gone from the relay (HTTP %d; relays delete files after about 14 days)"
	storedHTTPStatus     = "HTTP %d from %s"
	storedFileCut        = "download cut after %d bytes: %w"
	storedFileTooLarge   = "the file is larger than %d MiB"
	storedFileShort      = "download cut: got %d of %d bytes"
	storedNotMP4         = "the downloaded file is not an MP4 video"
	storedMP4Short       = "the downloaded MP4 is cut short"
	storedClipGone       = "the song was deleted while its file was downloading"
	storedEmptyID        = "empty clip id"
	storedIDNoName       = "clip id %q gives no file name"
	storedIDEscapes      = "clip id %q would leave the library folder"
)

type storedMsg struct{ key, format string }

// storedMsgs lists every stored text with its catalog message. The client's defaults for a
// failed clip or chat are stored the same way (client.Text*).
var storedMsgs = []storedMsg{
	{"studio.stored.intent_stopped", storedIntentStopped},
	{"studio.stored.intent_unclear", storedIntentUnclear},
	{"studio.stored.chat_uncertain", storedChatUncertain},
	{"studio.stored.chat_no_songs", storedChatNoSongs},
	{"studio.stored.chat_all_failed", storedChatAllFailed},
	{"studio.stored.chat_following", storedChatFollowing},
	{"studio.stored.chat_cut", storedChatCut},
	{"studio.stored.chat_cut_why", storedChatCutWhy},
	{"studio.stored.chat_no_feed", storedChatNoFeed},
	{"studio.stored.failed_no_reason", storedFailedNoReason},
	{"studio.stored.stems_failed", storedStemsFailed},
	{"studio.stored.task_unknown", storedTaskUnknown},
	{"studio.stored.timed_out", storedTimedOut},
	{"studio.stored.asset_gave_up", storedAssetGaveUp},
	{"studio.stored.audio_cut", storedAudioCut},
	{"studio.stored.audio_too_large", storedAudioTooLarge},
	{"studio.stored.audio_short", storedAudioShort},
	{"studio.stored.audio_empty", storedAudioEmpty},
	{"studio.stored.audio_no_decode", storedAudioNoDecode},
	{"studio.stored.audio_truncated", storedAudioTruncated},
	{"studio.stored.audio_length", storedAudioLength},
	{"studio.stored.not_wav", storedNotWAV},
	{"studio.stored.wav_no_data", storedWAVNoData},
	{"studio.stored.wav_bad_format", storedWAVBadFormat},
	{"studio.stored.wav_no_format", storedWAVNoFormat},
	{"studio.stored.wav_short", storedWAVShort},
	{"studio.stored.cover_failed", storedCoverFailed},
	{"studio.stored.lyrics_failed", storedLyricsFailed},
	{"studio.stored.not_image", storedNotImage},
	{"studio.stored.not_url", storedNotURL},
	{"studio.stored.file_gone", storedFileGone},
	{"studio.stored.http_status", storedHTTPStatus},
	{"studio.stored.file_cut", storedFileCut},
	{"studio.stored.file_too_large", storedFileTooLarge},
	{"studio.stored.file_short", storedFileShort},
	{"studio.stored.not_mp4", storedNotMP4},
	{"studio.stored.mp4_short", storedMP4Short},
	{"studio.stored.clip_gone", storedClipGone},
	{"studio.stored.empty_id", storedEmptyID},
	{"studio.stored.id_no_name", storedIDNoName},
	{"studio.stored.id_escapes", storedIDEscapes},
	{"studio.stored.clip_rejected", client.TextClipRejected},
	{"studio.stored.generation_failed", client.TextGenerationFailed},
	{"studio.stored.chat_no_audio", client.TextChatNoAudio},
	{"studio.stored.relay_error", client.TextRelayError},
}

// storedPattern reads one stored format back: the regexp matches a text the format made and
// conv turns each captured argument back into what the message takes.
type storedPattern struct {
	key  string
	re   *regexp.Regexp
	conv []func(string) (any, bool)
}

var (
	storedOnce     sync.Once
	storedPatterns []storedPattern
)

// verbRE finds the verbs the stored formats use.
var storedVerbRE = regexp.MustCompile(`%(\.\d+)?[dsvwqf]`)

func compileStored() {
	for _, m := range storedMsgs {
		p := storedPattern{key: m.key}
		var re strings.Builder
		re.WriteString("^")
		last := 0
		for _, loc := range storedVerbRE.FindAllStringIndex(m.format, -1) {
			re.WriteString(regexp.QuoteMeta(m.format[last:loc[0]]))
			last = loc[1]
			switch m.format[loc[1]-1] {
			case 'd':
				re.WriteString(`(-?\d+)`)
				p.conv = append(p.conv, func(s string) (any, bool) {
					n, err := strconv.ParseInt(s, 10, 64)
					return n, err == nil
				})
			case 'f':
				re.WriteString(`(-?[0-9.]+)`)
				p.conv = append(p.conv, func(s string) (any, bool) {
					f, err := strconv.ParseFloat(s, 64)
					return f, err == nil
				})
			case 'q':
				re.WriteString(`("(?:[^"\\]|\\.)*")`)
				p.conv = append(p.conv, func(s string) (any, bool) {
					u, err := strconv.Unquote(s)
					return u, err == nil
				})
			default: // s, v, w: text, perhaps a stored text itself
				re.WriteString(`(.*?)`)
				p.conv = append(p.conv, func(s string) (any, bool) { return Localize(s), true })
			}
		}
		re.WriteString(regexp.QuoteMeta(m.format[last:]))
		re.WriteString("$")
		p.re = regexp.MustCompile("(?s)" + re.String())
		storedPatterns = append(storedPatterns, p)
	}
}

// Localize says a stored text (a task's Error, a clip's Error or DownloadError) in the current
// language. Text the engine did not write, such as the relay's own words, comes back as it is.
func Localize(stored string) string {
	if stored == "" || i18n.Current() == i18n.English {
		return stored
	}
	lang := i18n.Current()
	storedMu.Lock()
	if storedCache[lang] == nil || len(storedCache[lang]) > 4096 {
		storedCache[lang] = map[string]string{}
	}
	out, ok := storedCache[lang][stored]
	storedMu.Unlock()
	if ok {
		return out
	}
	out = localize(stored)
	storedMu.Lock()
	storedCache[lang][stored] = out
	storedMu.Unlock()
	return out
}

// storedCache keeps what Localize said, per language: a list redrawn many times a second shows
// the same few texts.
var (
	storedMu    sync.Mutex
	storedCache = map[i18n.Lang]map[string]string{}
)

func localize(stored string) string {
	storedOnce.Do(compileStored)
	for _, p := range storedPatterns {
		m := p.re.FindStringSubmatch(stored)
		if m == nil {
			continue
		}
		args := make([]any, 0, len(p.conv))
		ok := true
		for i, conv := range p.conv {
			v, good := conv(m[i+1])
			if !good {
				ok = false
				break
			}
			args = append(args, v)
		}
		if ok {
			return i18n.T(p.key, args...)
		}
	}
	return stored
}

// localized is err in the user's language when its text is a stored one.
func localized(err error) error {
	if err == nil {
		return nil
	}
	text := err.Error()
	if l := Localize(text); l != text {
		return i18n.Wrap(l, err)
	}
	return err
}
