package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Errors of CheckLink, beside ErrNotFound for a token that was never
// issued (or was altered).
var (
	// ErrLinkExpired means the link's validity has run out.
	ErrLinkExpired = errors.New("link expired")
	// ErrLinkRevoked means an admin ended the link.
	ErrLinkRevoked = errors.New("link revoked")
)

// Link is a read-only access link to the plan on the web. Only the SHA-256
// of its token is stored: the token itself is shown once, when the link is
// made, and a copy of the database lets no one in.
type Link struct {
	ID        uint      `gorm:"primaryKey"`
	Hash      string    `gorm:"uniqueIndex;not null"` // hex SHA-256 of the token
	Name      string    `gorm:"not null"`             // whom it was made for: « MEDEF Touraine »
	CreatedBy string    `gorm:"not null"`             // "cli", a Slack user ID, "copil:<email>"
	ExpiresAt time.Time `gorm:"not null"`
	RevokedAt *time.Time
	LastUsed  *time.Time
	CreatedAt time.Time
}

// Active reports whether the link lets its holder in at now.
func (l Link) Active(now time.Time) bool {
	return l.RevokedAt == nil && now.Before(l.ExpiresAt)
}

// tokenBytes is the randomness of a link token: 256 bits.
const tokenBytes = 32

// HashToken returns what is stored of a token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateLink makes a link for name, valid until expires, and returns it
// with its token — the only time the token is known.
func (s *Store) CreateLink(ctx context.Context, name, by string, expires time.Time) (Link, string, error) {
	name = strings.TrimSpace(name)
	if name == "" || by == "" || !expires.After(s.Now()) {
		return Link{}, "", fmt.Errorf("link %q until %s: %w", name, expires.Format(time.DateOnly), ErrInvalid)
	}
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return Link{}, "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	l := Link{Hash: HashToken(token), Name: name, CreatedBy: by, ExpiresAt: expires.UTC()}
	err := s.tx(ctx, func(tx *gorm.DB) error { return tx.Create(&l).Error })
	if err != nil {
		return Link{}, "", fmt.Errorf("create link: %w", err)
	}
	return l, token, nil
}

// CheckLink returns the link of token if it is active at now: otherwise
// ErrNotFound (never issued, or altered), ErrLinkExpired or ErrLinkRevoked.
func (s *Store) CheckLink(ctx context.Context, token string, now time.Time) (Link, error) {
	var l Link
	if token == "" || len(token) > 100 {
		return l, fmt.Errorf("link: %w", ErrNotFound)
	}
	err := s.db.WithContext(ctx).Where("hash = ?", HashToken(token)).Take(&l).Error
	if err != nil {
		return Link{}, notFound(err, "link")
	}
	switch {
	case l.RevokedAt != nil:
		return l, fmt.Errorf("link %d: %w", l.ID, ErrLinkRevoked)
	case !now.Before(l.ExpiresAt):
		return l, fmt.Errorf("link %d: %w", l.ID, ErrLinkExpired)
	}
	return l, nil
}

// TouchLink records that link id was used at now, at most once a minute
// so that a page view rarely writes.
func (s *Store) TouchLink(ctx context.Context, l Link, now time.Time) error {
	if l.LastUsed != nil && now.Sub(*l.LastUsed) < time.Minute {
		return nil
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		return tx.Model(&Link{}).Where("id = ?", l.ID).Update("last_used", now.UTC()).Error
	})
}

// Links returns every link, newest first.
func (s *Store) Links(ctx context.Context) ([]Link, error) {
	var ls []Link
	err := s.db.WithContext(ctx).Order("id DESC").Find(&ls).Error
	return ls, err
}

// RevokeLink ends link id now. Revoking a revoked link is a no-op; an
// unknown id is ErrNotFound.
func (s *Store) RevokeLink(ctx context.Context, id uint) (Link, error) {
	var l Link
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("id = ?", id).Take(&l).Error; err != nil {
			return notFound(err, fmt.Sprintf("link %d", id))
		}
		if l.RevokedAt != nil {
			return nil
		}
		now := s.Now().UTC()
		l.RevokedAt = &now
		return tx.Model(&Link{}).Where("id = ?", id).Update("revoked_at", now).Error
	})
	return l, err
}
