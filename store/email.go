package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// MailPrefix starts the Channel of a delivery that is an e-mail:
// "mailto:contact@cci-touraine.example".
const MailPrefix = "mailto:"

// emailOptout is an address that asked for no more e-mail.
type emailOptout struct {
	Address   string `gorm:"primaryKey"`
	CreatedAt time.Time
}

// normalAddress is how an address is kept: trimmed, lower case.
func normalAddress(addr string) string { return strings.ToLower(strings.TrimSpace(addr)) }

// Unsubscribe records that addr wants no more e-mail. Doing it twice is
// a no-op.
func (s *Store) Unsubscribe(ctx context.Context, addr string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&emailOptout{Address: normalAddress(addr), CreatedAt: s.Now().UTC()}).Error
	})
}

// Resubscribe lets addr receive e-mail again; it returns false when addr
// had not unsubscribed.
func (s *Store) Resubscribe(ctx context.Context, addr string) (bool, error) {
	var n int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Where("address = ?", normalAddress(addr)).Delete(&emailOptout{})
		n = res.RowsAffected
		return res.Error
	})
	return n > 0, err
}

// Unsubscribed reports whether addr asked for no more e-mail.
func (s *Store) Unsubscribed(ctx context.Context, addr string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&emailOptout{}).Where("address = ?", normalAddress(addr)).Count(&n).Error
	return n > 0, err
}

const keyMailSecret = "mail_secret"

// MailSecret returns the key that signs the unsubscribe links of
// e-mails, made at random the first time.
func (s *Store) MailSecret(ctx context.Context) ([]byte, error) {
	var st setting
	err := s.db.WithContext(ctx).Where("key = ?", keyMailSecret).Take(&st).Error
	if err == nil {
		return hex.DecodeString(st.Value)
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		// Two processes at once: the first one's key stays.
		return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&setting{Key: keyMailSecret, Value: hex.EncodeToString(b)}).Error
	})
	if err != nil {
		return nil, err
	}
	if err := s.db.WithContext(ctx).Where("key = ?", keyMailSecret).Take(&st).Error; err != nil {
		return nil, err
	}
	return hex.DecodeString(st.Value)
}

// slackMailto is how Slack sends an address typed in a message:
// <mailto:a@b.fr|a@b.fr>.
var slackMailto = regexp.MustCompile(`<mailto:([^|>]+)(?:\|[^>]*)?>`)

// Email returns the address an organisation's name carries —
// « CCI Touraine <contact@cci-touraine.example> », as typed in a
// spreadsheet or in Slack — and the name without it. ok is false for a
// Slack user and for a name with no address.
func (p Person) Email() (name, addr string, ok bool) {
	if p.UserID != "" || !strings.Contains(p.Name, "@") {
		return p.Name, "", false
	}
	s := slackMailto.ReplaceAllString(p.Name, "$1")
	s = strings.ReplaceAll(strings.ReplaceAll(s, "<<", "<"), ">>", ">")
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name == "" {
		return p.Name, "", false
	}
	return a.Name, strings.ToLower(a.Address), true
}

// Display is how p's name is shown: an organisation's address is left
// out, since only admins see addresses.
func (p Person) Display() string {
	name, _, _ := p.Email()
	return name
}
