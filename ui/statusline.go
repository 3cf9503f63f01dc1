package ui

import (
	"strings"
	"time"

	"sunostudio/internal/i18n"
)

// noticeFor is how long a notice ("exported to ...") stays before the last problem shows
// again. It is checked at render time; no timer runs for it.
const noticeFor = 8 * time.Second

// statusLine: profile and dialect (DEMO on the simulator), quota, pending tasks, and the last
// notice or error; "? help" on the right.
func (m *Model) statusLine(w int) string {
	st := &m.sty
	var parts []string
	prof := m.eng.Client().Profile()
	if m.o.Demo {
		parts = append(parts, st.Badge.Render(" "+i18n.T("ui.status.demo")+" ")+" "+st.Muted.Render(i18n.T("ui.status.simulator")))
	} else {
		parts = append(parts, st.Accent.Render(line(prof.Name))+st.Muted.Render(" · "+string(m.eng.Client().Dialect())))
	}
	if m.quota != nil {
		q := i18n.T("ui.status.quota", m.quota.Remaining)
		if m.quota.Unlimited {
			q = i18n.T("ui.status.quota_unlimited")
		}
		parts = append(parts, q)
	}
	if n := m.eng.Pending(); n > 0 {
		parts = append(parts, st.Warn.Render(i18n.N("ui.status.pending", n)))
	}
	left := strings.Join(parts, st.Muted.Render(" │ "))
	var msg string
	switch {
	case m.notice != "" && m.now().Sub(m.noticeAt) < noticeFor:
		msg = st.OK.Render(line(m.notice))
	case m.problem != "":
		msg = st.Error.Render("✗ " + line(m.problem))
	}
	hk, _ := m.keys.short(ActHelp)
	right := " " + st.Muted.Render(i18n.T("ui.hint.help", hk))
	if msg != "" {
		left += st.Muted.Render(" │ ") + msg
	}
	return spread(left, right, w)
}
