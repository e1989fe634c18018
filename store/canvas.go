package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// The canvas the bot keeps in a channel is remembered in the settings:
// its ID under canvasKey, and, while its creation is asked of Slack,
// canvasCreatingKey — so that a crash between Slack's answer and the
// record of the ID is recognised afterwards (see bot's sender).
const (
	canvasKey         = "canvas:"
	canvasCreatingKey = "canvas-creating:"
)

// CanvasID returns the ID of the canvas the bot keeps in channel, "" when
// it has none yet.
func (s *Store) CanvasID(ctx context.Context, channel string) (string, error) {
	var st setting
	err := s.db.WithContext(ctx).Where("key = ?", canvasKey+channel).Take(&st).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("canvas of %s: %w", channel, err)
	}
	return st.Value, nil
}

// SetCanvasID records id as the canvas of channel ("" forgets it) and
// forgets that its creation was under way, in one transaction.
func (s *Store) SetCanvasID(ctx context.Context, channel, id string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("key IN ?", []string{canvasKey + channel, canvasCreatingKey + channel}).Delete(&setting{}).Error; err != nil {
			return fmt.Errorf("canvas of %s: %w", channel, err)
		}
		if id == "" {
			return nil
		}
		return s.setSetting(tx, canvasKey+channel, id)
	})
}

// MarkCanvasCreating records that the bot is about to ask Slack for the
// canvas of channel; SetCanvasID ends it.
func (s *Store) MarkCanvasCreating(ctx context.Context, channel string) error {
	return s.setSetting(s.db.WithContext(ctx), canvasCreatingKey+channel, s.Now().UTC().Format("2006-01-02T15:04:05Z"))
}

// CanvasCreating reports whether a creation of channel's canvas was asked
// of Slack and its ID never recorded.
func (s *Store) CanvasCreating(ctx context.Context, channel string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&setting{}).Where("key = ?", canvasCreatingKey+channel).Count(&n).Error
	return n > 0, err
}

// LatestDelivery returns the delivery last enqueued whose key begins with
// prefix, or ErrNotFound.
func (s *Store) LatestDelivery(ctx context.Context, prefix string) (Delivery, error) {
	var d Delivery
	err := s.db.WithContext(ctx).Where("SUBSTR(key, 1, ?) = ?", utf8.RuneCountInString(prefix), prefix).Order("id DESC").Take(&d).Error
	return d, notFound(err, "delivery "+strings.TrimSpace(prefix))
}
