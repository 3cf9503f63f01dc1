package ui

import (
	"fmt"
	"strings"
	"time"
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
		parts = append(parts, st.Badge.Render(" DEMO ")+" "+st.Muted.Render("built-in simulator"))
	} else {
		parts = append(parts, st.Accent.Render(line(prof.Name))+st.Muted.Render(" · "+string(m.eng.Client().Dialect())))
	}
	if m.quota != nil {
		q := fmt.Sprintf("quota %.2f", m.quota.Remaining)
		if m.quota.Unlimited {
			q = "quota unlimited"
		}
		parts = append(parts, q)
	}
	if n := m.eng.Pending(); n > 0 {
		parts = append(parts, st.Warn.Render(plural(n, "task pending", "tasks pending")))
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
	right := " " + st.Muted.Render(hk+" help")
	if msg != "" {
		left += st.Muted.Render(" │ ") + msg
	}
	return spread(left, right, w)
}
