package main

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tours-metropole/actionbot/store"
)

// childEnv, when set to 1, makes the test binary the actionbot binary: its
// arguments are actionbot's command line. The fault tests start the real
// program that way — no build step — and kill it.
const childEnv = "ACTIONBOT_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// child is "actionbot ARGS…" running in a process of its own.
type child struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	stderr strings.Builder
	addr   chan string
	exited chan struct{}
}

// startChild runs actionbot with args and the configuration file config.
func startChild(t *testing.T, config string, args ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"--config", config}, args...)...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, addr: make(chan string, 1), exited: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			line := sc.Text()
			c.mu.Lock()
			c.stderr.WriteString(line + "\n")
			c.mu.Unlock()
			if m := listening.FindStringSubmatch(line); m != nil {
				c.addr <- m[1]
			}
		}
		cmd.Wait()
		close(c.exited)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-c.exited
	})
	return c
}

func (c *child) log() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stderr.String()
}

// kill sends SIGKILL; it fails the test if the process had already ended,
// since then nothing was interrupted.
func (c *child) kill(t *testing.T) {
	t.Helper()
	select {
	case <-c.exited:
		t.Fatalf("the process ended before it was killed:\n%s", c.log())
	default:
	}
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("kill: %v\n%s", err, c.log())
	}
	<-c.exited
	if ws, ok := c.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the process ended on its own (%v) before SIGKILL:\n%s", c.cmd.ProcessState, c.log())
	}
}

// reopen opens the database the killed process left and checks that
// SQLite finds it sound.
func reopen(t *testing.T, path string) *store.Store {
	t.Helper()
	s, err := store.Open(path)
	if err != nil {
		t.Fatalf("reopening after the kill: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if res, err := s.IntegrityCheck(context.Background()); err != nil || res != "ok" {
		t.Fatalf("PRAGMA integrity_check = %q, %v; want ok", res, err)
	}
	return s
}

// TestKillDuringUpdates kills "actionbot serve" with SIGKILL in the middle
// of a burst of signed updates from eight users at once, then reopens the
// database: it must be sound and hold every change that was answered.
// Changes sent but not answered may or may not be there; nothing else may.
func TestKillDuringUpdates(t *testing.T) {
	const (
		secret   = "fault-signing-secret"
		admin    = "U0BURST"
		workers  = 8
		killFrom = 150 // answers before the kill
	)
	// The Slack API: a late answer (past the 2 s a reply may take) goes
	// to the response_url, here; it counts as given once received.
	var mu sync.Mutex
	late := map[string]bool{}
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		for _, m := range burstNote.FindAllString(string(body), -1) {
			late[m] = true
		}
		mu.Unlock()
		io.WriteString(w, `{"ok":true}`)
	}))
	defer fake.Close()
	db := seededDB(t)
	config := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(config, []byte(`admins = ["`+admin+`"]
[slack]
bot_token = "xoxb-fault"
signing_secret = "`+secret+`"
api_url = "`+fake.URL+`/api/"
[http]
listen = "127.0.0.1:0"
[store]
path = "`+db+`"
[nudges]
enabled = false
`), 0o600); err != nil {
		t.Fatal(err)
	}
	c := startChild(t, config, "serve")
	var addr string
	select {
	case addr = <-c.addr:
	case <-c.exited:
		t.Fatalf("serve ended before listening:\n%s", c.log())
	case <-time.After(20 * time.Second):
		t.Fatalf("serve is not listening:\n%s", c.log())
	}

	var (
		answered = map[string]bool{} // notes whose change was answered
		sent     = map[string]bool{} // every note sent
		killing  = make(chan struct{})
		once     sync.Once
		wg       sync.WaitGroup
	)
	client := &http.Client{Timeout: 10 * time.Second}
	for w := range workers {
		wg.Go(func() {
			for i := 0; ; i++ {
				note := fmt.Sprintf("rafale-%d-%d", w, i)
				n := 1 + (w*7+i)%52
				form := url.Values{
					"team_id": {"T0FAULT"}, "channel_id": {"C0FAULT"}, "user_id": {admin}, "command": {"/action"},
					"text": {fmt.Sprintf("%d note %s", n, note)}, "response_url": {fake.URL + "/response/" + note},
				}.Encode()
				mu.Lock()
				sent[note] = true
				mu.Unlock()
				reply, err := signedPost(client, "http://"+addr+"/slack/commands", secret, form)
				if err != nil {
					return // the process is gone
				}
				if strings.Contains(reply, note) {
					mu.Lock()
					answered[note] = true
					if len(answered) >= killFrom {
						once.Do(func() { close(killing) })
					}
					mu.Unlock()
				}
			}
		})
	}
	select {
	case <-killing:
	case <-time.After(30 * time.Second):
		t.Fatalf("only %d answers in 30 s:\n%s", len(answered), c.log())
	}
	c.kill(t)
	wg.Wait()

	s := reopen(t, db)
	entries, err := s.Journal(context.Background(), store.JournalFilter{Fields: []string{store.FieldNote}})
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for _, e := range entries {
		if e.Author == admin {
			stored[e.Note] = true
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for note := range late {
		answered[note] = true
	}
	for note := range answered {
		if !stored[note] {
			t.Errorf("note %s was answered but is not in the journal", note)
		}
	}
	for note := range stored {
		if !sent[note] {
			t.Errorf("note %s is in the journal but was never sent", note)
		}
	}
	t.Logf("%d updates sent, %d answered, %d in the journal after SIGKILL; integrity_check ok", len(sent), len(answered), len(stored))
	if len(stored) < len(answered) || len(stored) > len(sent) {
		t.Errorf("journal holds %d notes; want between %d answered and %d sent", len(stored), len(answered), len(sent))
	}
}

var burstNote = regexp.MustCompile(`rafale-[0-9]+-[0-9]+`)

// signedPost posts a slash command's form signed as Slack signs it, now,
// and returns the reply's body.
func signedPost(client *http.Client, u, secret, form string) (string, error) {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	io.WriteString(mac, "v0:"+ts+":"+form)
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s: %s", resp.Status, body)
	}
	return string(body), nil
}

// TestKillDuringImport kills "actionbot import" with SIGKILL while it
// writes a big spreadsheet — changing the 52 actions of the plan and
// adding thousands — then reopens the database: it must be sound and
// hold either none of the file's changes or all of them.
func TestKillDuringImport(t *testing.T) {
	const rows = 10_000
	dir := t.TempDir()
	db := filepath.Join(dir, "plan.db")
	ctx := context.Background()
	journalBefore, err := importedPlan(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "plan.csv")
	if err := writeBigPlan(file, rows); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(config, []byte("[store]\npath = \""+db+"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	walBefore := fileSize(db + "-wal")
	c := startChild(t, config, "import", file)
	// The import writes in one transaction; once SQLite has spilled 1 MB
	// of it to the WAL, the transaction is well under way.
	deadline := time.Now().Add(60 * time.Second)
	for fileSize(db+"-wal") < walBefore+1<<20 {
		select {
		case <-c.exited:
			t.Fatalf("the import ended before it could be killed (make the file bigger):\n%s", c.log())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the import wrote nothing in 60 s:\n%s", c.log())
		}
		time.Sleep(2 * time.Millisecond)
	}
	c.kill(t)

	s := reopen(t, db)
	_, _, n, err := s.NumberRange(ctx)
	if err != nil {
		t.Fatal(err)
	}
	journal, err := s.JournalCount(ctx)
	if err != nil {
		t.Fatal(err)
	}
	renamed := 0
	for i := 1; i <= 52; i++ {
		a, err := s.ActionByNumber(ctx, i)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(a.Title, "Importée : ") {
			renamed++
		}
	}
	switch {
	case n == 52 && renamed == 0 && journal == journalBefore:
		t.Logf("killed mid-import: none of the file's changes were kept (%d actions, %d journal entries); integrity_check ok", n, journal)
	case n == rows && renamed == 52 && journal > journalBefore:
		t.Logf("killed after the import committed: all of the file's changes are there; integrity_check ok")
	default:
		t.Errorf("half an import: %d actions (want 52 or %d), %d of 52 renamed, journal %d entries (was %d)", n, rows, renamed, journal, journalBefore)
	}
}

// importedPlan writes the demo's 52 actions to a new database as an
// imported plan — an import refuses to mix with the demo — and returns
// how many journal entries it has.
func importedPlan(ctx context.Context, path string) (int64, error) {
	s, err := store.Open(path)
	if err != nil {
		return 0, err
	}
	defer s.Close()
	s.Now = testNow
	if err := s.SyncGroups(ctx, store.DefaultGroups()); err != nil {
		return 0, err
	}
	if _, err := s.Import(ctx, store.DemoPlan(store.DateOf(testNow(), testNow().Location())), store.ImportAuthor); err != nil {
		return 0, err
	}
	return s.JournalCount(ctx)
}

// writeBigPlan writes a plan spreadsheet of n actions: the demo's 52
// renamed, and more in the same programmes.
func writeBigPlan(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "N°;Axe;Programme;Titre;Groupe de travail;Pilote;Contributeurs;Statut;Avancement;Échéance;Description")
	progs := []string{"S.1", "1.2", "2.3", "3.1", "4.2"}
	groups := []string{"Parcours client", "Prospection", "Ambassadeurs", "Outils numériques"}
	for i := 1; i <= n; i++ {
		p := progs[i%len(progs)]
		fmt.Fprintf(w, "%d;%s;%s;Importée : action %d du plan;%s;<@U0PILOTE%d>;\"CCI Touraine; Dev'Up\";En cours;%d;15/03/2027;Ligne %d du fichier.\n",
			i, p[:1], p, i, groups[i%len(groups)], i%50, i%101, i)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) || err != nil {
		return 0
	}
	return fi.Size()
}
