package commands

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRich(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Point fait avec la CCI", "Point fait avec la CCI"},
		{"mention", "vu avec <@U02PAUL|paul> hier", "vu avec <@U02PAUL|paul> hier"},
		{"bare mention", "<@U02PAUL>", "<@U02PAUL>"},
		{"channel", "voir <#C0PROSP|prospection>", "voir <#C0PROSP|prospection>"},
		{"link", "<https://example.org/cr.pdf|compte rendu>", "<https://example.org/cr.pdf|compte rendu>"},
		{"link with &", "<https://example.org/?a=1&b=2|R&D>", "<https://example.org/?a=1&amp;b=2|R&amp;D>"},
		{"channel ping", "<!channel> réunion", "&lt;!channel&gt; réunion"},
		{"here", "<!here|here>", "&lt;!here|here&gt;"},
		{"everyone", "<!everyone>", "&lt;!everyone&gt;"},
		{"subteam", "<!subteam^S0123|@copil>", "&lt;!subteam^S0123|@copil&gt;"},
		{"literal comparisons", "a < b & c > d", "a &lt; b &amp; c &gt; d"},
		{"not a user", "<@marie>", "&lt;@marie&gt;"},
		{"unclosed", "<@U02PAUL", "&lt;@U02PAUL"},
		{"javascript", "<javascript:alert(1)|x>", "&lt;javascript:alert(1)|x&gt;"},
		{"nested", "<<@U02PAUL>>", "&lt;<@U02PAUL>&gt;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rich(tt.in); got != tt.want {
				t.Errorf("rich(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestEscapeNeutralisesPings(t *testing.T) {
	for _, s := range []string{"<!channel>", "<!here>", "<!everyone>", "<!subteam^S1>", "<@U02PAUL>"} {
		if got := escape(s); strings.ContainsAny(got, "<>") {
			t.Errorf("escape(%q) = %q", s, got)
		}
	}
	if got := unescape(escape("R&D <3 > x")); got != "R&D <3 > x" {
		t.Errorf("unescape(escape()) = %q", got)
	}
}

func TestClipMrkdwn(t *testing.T) {
	tests := []struct {
		name string
		in   string
		n    int
		want string
	}{
		{"short", "abc", 10, "abc"},
		{"plain cut", "abcdefghij", 5, "abcd…"},
		{"before an entity", "abc&amp;def", 6, "abc…"},
		{"after an entity", "abc&amp;def", 10, "abc&amp;d…"},
		{"before a mention", "vu <@U02PAUL|paul> hier", 10, "vu …"},
		{"after a mention", "vu <@U02PAUL|paul> hier", 21, "vu <@U02PAUL|paul> h…"},
		{"before a link", "<https://example.org|x> y", 8, "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := clipMrkdwn(tt.in, tt.n)
			if got != tt.want {
				t.Errorf("clipMrkdwn(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
			if utf8.RuneCountInString(got) > tt.n {
				t.Errorf("clipMrkdwn(%q, %d) has %d characters", tt.in, tt.n, utf8.RuneCountInString(got))
			}
		})
	}
}

func FuzzRich(f *testing.F) {
	for _, s := range []string{"<@U02PAUL|paul>", "<!channel>", "a & b", "<https://x.org|R&D>", "<<>>", "&amp;"} {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		out := rich(s)
		if strings.Contains(out, "<!") {
			t.Fatalf("rich(%q) = %q keeps a ping", s, out)
		}
		if n < 2 || n > 1000 {
			return
		}
		c := clipMrkdwn(out, n)
		if utf8.RuneCountInString(c) > n {
			t.Fatalf("clipMrkdwn(%q, %d) = %q too long", out, n, c)
		}
		if amp := strings.LastIndexByte(c, '&'); amp >= 0 && !strings.Contains(c[amp:], ";") {
			t.Fatalf("clipMrkdwn(%q, %d) = %q splits an entity", out, n, c)
		}
	})
}

func TestPlainTextNamed(t *testing.T) {
	names := map[string]string{"U02PAUL": "Paul Moreau", "U05AMP": "A & B"}
	tests := []struct {
		name, text, want string
	}{
		{"named", "Pilote : <@U02PAUL>", "Pilote : @Paul Moreau"},
		{"named over its label", "voir <@U02PAUL|paul>", "voir @Paul Moreau"},
		{"unknown with a label", "voir <@U09X|xavier>", "voir @xavier"},
		{"unknown", "voir <@U09X>", "voir @U09X"},
		{"a name with markup characters", "<@U05AMP>", "@A & B"},
		{"typed as text stays as typed", "note : &lt;@U02PAUL&gt;", "note : <@U02PAUL>"},
		{"emoji still shown", ":red_circle: <@U02PAUL>", "🔴 @Paul Moreau"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Message{Text: tc.text}.PlainTextNamed(func(id string) string { return names[id] })
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
