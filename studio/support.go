package studio

import (
	"errors"
	"time"

	"sunostudio/client"
	"sunostudio/internal/i18n"
)

// Support is what a relay has shown about the extended (apicore-family) features: concat,
// upload, stems, timing, WAV, MP4, personas, and the cover / infill / persona submit modes.
//
// Stock new-api and one-hub have none of them, and worse, they accept a cover, infill or
// persona submit and silently drop the extra fields, so the user pays for an ordinary song
// (relay-api 9.18). Nothing in that answer tells the difference. What does is an extended
// endpoint answering "unsupported" on the same relay: the engine remembers that answer and
// refuses those submit modes before anything is sent. Until some extended endpoint has
// answered, the relay is unknown and the submit goes through (the README and help say so).
type Support struct {
	// Known is false until an extended endpoint of this relay answered either way.
	Known bool `json:"known"`
	// Extended: the relay offers the extended features.
	Extended bool `json:"extended"`
	// Op names the endpoint whose answer decided it, At when.
	Op string    `json:"op,omitempty"`
	At time.Time `json:"at,omitempty"`
}

// supportKey names the setting for this relay: the profile and its base URL, so pointing a
// profile at another relay starts over.
func (e *Engine) supportKey() string {
	p := e.cl.Profile()
	return "relay_support/" + p.Name + "@" + p.BaseURL
}

// ExtendedSupport is what this relay has shown so far about the extended features, for
// greying out actions before the user picks them.
func (e *Engine) ExtendedSupport() Support {
	var s Support
	if ok, err := e.st.Setting(e.supportKey(), &s); !ok || err != nil {
		return Support{}
	}
	return s
}

// noteSupport remembers what an extended endpoint answered. Only a clear "unsupported" or a
// success counts; a network error says nothing about the relay.
func (e *Engine) noteSupport(op client.Op, err error) {
	if e.cl.Dialect() != client.DialectTask || e.st.ReadOnly() {
		return // other dialects lack these endpoints by definition: nothing to learn
	}
	var extended bool
	switch {
	case err == nil:
		extended = true
	case errors.Is(err, client.ErrUnsupported):
		extended = false
	default:
		return
	}
	if prev := e.ExtendedSupport(); prev.Known && prev.Extended == extended {
		return
	}
	s := Support{Known: true, Extended: extended, Op: string(op), At: e.now()}
	if err := e.st.SetSetting(e.supportKey(), s); err != nil {
		e.log.Warn("could not remember the relay's support", "err", err)
	}
}

// refuseOnStockRelay stops a cover, infill or persona submit on a relay known to drop those
// fields, before anything is recorded or sent.
func (e *Engine) refuseOnStockRelay(what string) error {
	s := e.ExtendedSupport()
	if !s.Known || s.Extended {
		return nil
	}
	p := e.cl.Profile()
	return &client.Error{Kind: client.KindUnsupported, Op: what, Relay: p.Name,
		Message: i18n.T("studio.err.stock_relay", client.Op(s.Op).Text(), s.At.Local().Format("2006-01-02 15:04"))}
}
